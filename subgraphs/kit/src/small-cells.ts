/**
 * Small cells (ô số liệu nhỏ): a count of 1–4 persons could point at someone, so callers who may
 * not see identities get no such count — neither a figure itself nor any number computed from it,
 * nor one they could get back by subtraction (province − its communes, year − its quarters,
 * quarter − its months). The one rule, used by the kit's period figures (`figures.ts`, which
 * withholds cells in the subgraph), the gateway (figures tagged `small-cell`, again) and `program`
 * (indicators read a withheld figure as withheld).
 */
export const SMALL_CELL_MIN = 5;

export const isSmallCell = (v: unknown): boolean => typeof v === 'number' && v > 0 && v < SMALL_CELL_MIN;

/** Who sees small cells: callers allowed to see identities anyway. */
export const seesSmallCells = (scopes: readonly string[]): boolean => scopes.includes('person:identity') || scopes.includes('*');

/** A published total and the cells it adds up (when the figure is additive): what subtraction works on. */
export interface CellGroup {
  total: string;
  parts: readonly string[];
  /** The total is of the same period as its parts (a province and its communes), so it may be withheld too. */
  totalAlike?: boolean;
}

/**
 * Which cells to withhold (primary: 1–4; secondary: enough others that no withheld cell follows
 * from a total and the cells shown). A group with withheld cells gets more until
 * - it has at least two (one alone is total − shown parts, or the sum of the parts), and
 * - when its total is shown, the withheld parts are not all 1s (their sum would equal their count)
 *   nor all small cells adding up to 4 each.
 * The next cell withheld is the group's smallest non-zero part still shown (the least lost; ties by
 * key); when none is left, the total if it is of the same period (a province of 7 made of seven
 * withheld 1s). Never a coarser total (a year for its quarters): one whose only non-zero part is
 * withheld equals that part, so it is small itself, and four parts of 1 add up to a small 4. So
 * `levels` (coarse to fine: years, quarters, months) are settled in order and a level's cells never
 * depend on a finer one: a request for years needs no months. Zeros are never
 * withheld: 0 is no person, and a withheld 0 would give the other withheld cell away. A pure
 * function of the values, so every request and every path (figures, indicators, CSV) withholds the
 * same cells — nothing to average over.
 */
export function suppressCells(values: ReadonlyMap<string, number>, ...levels: ReadonlyArray<readonly CellGroup[]>): Set<string> {
  const value = (k: string) => values.get(k) ?? 0;
  const withheld = new Set([...values.keys()].filter((k) => isSmallCell(values.get(k))));
  const exposed = (g: CellGroup): boolean => {
    const members = [g.total, ...g.parts].filter((k) => withheld.has(k));
    if (members.length === 0) return false;
    if (members.length === 1) return true;
    if (withheld.has(g.total)) return false;
    const parts = members.map(value);
    const sum = parts.reduce((a, b) => a + b, 0);
    return sum === parts.length || (parts.every(isSmallCell) && sum === (SMALL_CELL_MIN - 1) * parts.length);
  };
  for (const groups of levels) {
    // Each round withholds at least one more cell, so this ends.
    for (let changed = true; changed; ) {
      changed = false;
      for (const g of groups) {
        if (!exposed(g)) continue;
        const next = g.parts
          .filter((k) => !withheld.has(k) && value(k) > 0)
          .sort((a, b) => value(a) - value(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
        const add = next ?? (g.totalAlike && !withheld.has(g.total) && value(g.total) > 0 ? g.total : undefined);
        if (add === undefined) continue;
        withheld.add(add);
        changed = true;
      }
    }
  }
  return withheld;
}

const pad = (n: number) => String(n).padStart(2, '0');

export type PeriodLevel = 'YEAR' | 'QUARTER' | 'MONTH';
const DEPTH: Record<PeriodLevel, number> = { YEAR: 1, QUARTER: 2, MONTH: 3 };

/** The reporting periods of one year down to `finest`: the year, its quarters, its months (ids as `parsePeriod` reads them). */
export function periodsOfYear(year: string, finest: PeriodLevel = 'MONTH'): string[] {
  const quarters = DEPTH[finest] >= 2 ? [1, 2, 3, 4].map((q) => `${year}-Q${q}`) : [];
  const months = DEPTH[finest] >= 3 ? Array.from({ length: 12 }, (_, i) => `${year}-${pad(i + 1)}`) : [];
  return [year, ...quarters, ...months];
}

/**
 * A figure that is the exact sum of others of the same place and period (requests = eligible +
 * not eligible, when both parts are published): one more group per place and period, so a cell
 * withheld in one figure is not the total minus the other figures shown. Figure names.
 */
export interface FigureRelation {
  total: string;
  parts: readonly string[];
}

/**
 * How one figure's cells relate over time. `sum` (the default): a year is its quarters, a quarter
 * its months. `atPeriodEnd`: a count on the period's last day (files open, patients in treatment
 * at the end), so a year *is* its fourth quarter and its December, a quarter its last month — not
 * their sum. Such a figure gets no time groups: each period's cells are settled by the same groups
 * over the same values (the province and its communes, the relations), so the year, Q4 and
 * December are withheld alike, and a complement never shows up as the equal cell of another period.
 */
export type TimeRelation = 'sum' | 'atPeriodEnd';

/**
 * The groups of one figure in one province and year, by level down to `finest`: the province and
 * its communes in each period; each place's year and its quarters (quarter level), each quarter
 * and its months (month level) unless the figure is counted at the period end. `key` names a cell.
 */
export function provinceYearGroups(
  province: string,
  communes: readonly string[],
  year: string,
  key: (place: string, period: string) => string,
  finest: PeriodLevel = 'MONTH',
  time: TimeRelation = 'sum',
): CellGroup[][] {
  const places = [province, ...communes];
  const sums = time === 'sum';
  const across = (period: string): CellGroup => ({ total: key(province, period), parts: communes.map((c) => key(c, period)), totalAlike: true });
  const levels: CellGroup[][] = [[across(year)]];
  if (DEPTH[finest] >= 2) {
    const quarters = [1, 2, 3, 4].map((q) => `${year}-Q${q}`);
    levels.push([...quarters.map(across), ...(sums ? places.map((x) => ({ total: key(x, year), parts: quarters.map((q) => key(x, q)) })) : [])]);
  }
  if (DEPTH[finest] >= 3) {
    const months = periodsOfYear(year).slice(5);
    levels.push([
      ...months.map(across),
      ...(sums ? places.flatMap((x) => [1, 2, 3, 4].map((q) => ({ total: key(x, `${year}-Q${q}`), parts: months.slice((q - 1) * 3, q * 3).map((m) => key(x, m)) }))) : []),
    ]);
  }
  return levels;
}

/**
 * The groups of several related figures of one province and year: each figure's own
 * (`provinceYearGroups`), and per level one group per relation, place and period of that level,
 * settled together — `suppressCells` runs each level to a fixed point, so a cell a relation
 * withholds may call for another in the province group, and that one for another relation, and so
 * on. A relation links cells of one period only, so a coarser level still never depends on a finer.
 */
export function relatedFiguresGroups(
  figures: ReadonlyArray<{ name: string; time?: TimeRelation }>,
  relations: readonly FigureRelation[],
  province: string,
  communes: readonly string[],
  year: string,
  key: (figure: string, place: string, period: string) => string,
  finest: PeriodLevel = 'MONTH',
): CellGroup[][] {
  const levels: CellGroup[][] = [];
  for (const f of figures) {
    provinceYearGroups(province, communes, year, (place, period) => key(f.name, place, period), finest, f.time).forEach((groups, i) => (levels[i] ??= []).push(...groups));
  }
  const periods = periodsOfYear(year, finest);
  const levelOf = (period: string) => (period.length === 4 ? 0 : period.includes('Q') ? 1 : 2);
  for (const period of periods) {
    for (const place of [province, ...communes]) {
      for (const r of relations) {
        levels[levelOf(period)].push({ total: key(r.total, place, period), parts: r.parts.map((p) => key(p, place, period)), totalAlike: true });
      }
    }
  }
  return levels;
}
