// The SQL floor of `npm run bench:peers`: the figures the dashboard's province view reads from each
// agency, written again by hand as set-based SQL over the agency's own tables (no kit, no ORM query
// building, no GraphQL). What the answer costs in SQL alone; `check.ts` proves the figures equal
// what the subgraphs compute.

export type Value = number | string | null;
export type Execute = (sql: string, params: readonly unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface FloorAsk {
  /** Official province code. */
  province: string;
  /** The years asked (the dashboard's five, and the year before for the `…LastYear` figures). */
  years: readonly number[];
  /** PostgreSQL (dates are cast from text parameters) or SQLite. */
  postgres: boolean;
}

/** Cells of one agency: figure → `place|year` → value. `place` is a commune code or `P` + the province code; `year` is `*` for figures of no period. */
export class Cells {
  readonly values = new Map<string, Map<string, Value>>();

  set(figure: string, place: string, year: number | '*', value: Value): void {
    let m = this.values.get(figure);
    if (!m) this.values.set(figure, (m = new Map()));
    m.set(`${place}|${year}`, value);
  }

  /** The value of a cell, the period-free one when the figure has no period; undefined when no row gave one. */
  get(figure: string, place: string, year: number): Value | undefined {
    const m = this.values.get(figure);
    // A null (an SQL sum or max over no rows) is no rows, as a missing cell is.
    return m?.get(`${place}|${year}`) ?? m?.get(`${place}|*`);
  }

  /** Every aggregate column of each row (`f_<figure>`) into the cells, at the row's `place` (commune or null for the province) and `year`. */
  addRows(rows: Array<Record<string, unknown>>, province: string, periodFree = false): void {
    for (const row of rows) {
      const place = row.place == null ? `P${province}` : String(row.place);
      for (const [column, raw] of Object.entries(row)) {
        if (!column.startsWith('f_')) continue;
        this.set(column.slice(2), place, periodFree ? '*' : Number(row.year), normalise(raw));
      }
    }
  }
}

/** PostgreSQL hands bigint and numeric back as strings, and dates as Date objects. */
function normalise(raw: unknown): Value {
  if (raw == null) return null;
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw as Value;
}

/** One agency's hand-written figures. */
export interface AgencyFloor {
  agency: string;
  /** The ProvincePeriod figures the dashboard reads (base names: a `…LastYear` field is the same figure a year earlier). */
  province: readonly string[];
  /**
   * The same figures per commune where the answer depends on them: small-cell figures (every cell of
   * the province decides which are withheld) and those behind a `communesWith` list.
   */
  commune: readonly string[];
  /** `communesWith` lists the dashboard reads → the figure (in `commune`) whose communes above 0 they list. */
  communesWith?: Readonly<Record<string, string>>;
  /** The figures, province and commune cells, in a few grouped statements. */
  run(exec: Execute, ask: FloorAsk): Promise<Cells>;
}

/**
 * `with y (year, y_from, y_to) as (values …)`: the years asked, to join rows to (the statements
 * read `y.y_from` and `y.y_to`), and its parameters.
 */
export function yearsTable(ask: FloorAsk): { text: string; params: unknown[] } {
  const d = dateParam(ask);
  return {
    text: `with y (year, y_from, y_to) as (values ${ask.years.map(() => `(?, ${d}, ${d})`).join(', ')})`,
    params: ask.years.flatMap((year) => [year, `${year}-01-01`, `${year}-12-31`]),
  };
}

/** A date parameter: PostgreSQL will not compare a date column with text. */
export const dateParam = (ask: FloorAsk): string => (ask.postgres ? 'cast(? as date)' : '?');

/**
 * The first and last day of a table's rows in the province, whatever the period (the `…Since` and
 * `…Through` figures: before and after them an agency has no data), as period-free province cells.
 */
export async function firstAndLastDay(exec: Execute, ask: FloorAsk, cells: Cells, t: { table: string; date: string; since: string; through: string }): Promise<void> {
  cells.addRows(
    await exec(
      `select cast(min(r.${t.date}) as char(10)) as "f_${t.since}", cast(max(r.${t.date}) as char(10)) as "f_${t.through}"
       from ${t.table} r join known_commune kc on kc.code = r.commune_code where kc.province_code = ?`,
      [ask.province],
    ),
    ask.province,
    true,
  );
}
