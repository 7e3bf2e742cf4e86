/**
 * Small cells (ô số liệu nhỏ): a count of 1–4 persons could point at someone, so callers who may
 * not see identities get no such count — neither a figure itself nor any number computed from it.
 * The one rule, used by the gateway (figures tagged `small-cell`) and by `program` (indicators).
 */
export const SMALL_CELL_MIN = 5;

export const isSmallCell = (v: unknown): boolean => typeof v === 'number' && v > 0 && v < SMALL_CELL_MIN;

/** Who sees small cells: callers allowed to see identities anyway. */
export const seesSmallCells = (scopes: readonly string[]): boolean => scopes.includes('person:identity') || scopes.includes('*');
