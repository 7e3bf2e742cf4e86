// The analyst who tries to recover withheld small cells, shared by the small-cells tests: the cells
// of one year (the year, its quarters, its months) for a province and its communes, and the solver.

export const YEAR = '2025';
const pad = (n: number) => String(n).padStart(2, '0');
export const QUARTERS = [1, 2, 3, 4].map((q) => `${YEAR}-Q${q}`);
export const MONTHS = Array.from({ length: 12 }, (_, i) => `${YEAR}-${pad(i + 1)}`);
export const PERIODS = [YEAR, ...QUARTERS, ...MONTHS];
/** The province's place key in a cell. */
export const PROVINCE = 'P';

/** `figure|place|period` → value (null: withheld); place `P` is the province. */
export type Cells = Map<string, number | null>;
export const cell = (figure: string, place: string, period: string) => `${figure}|${place}|${period}`;

/** A total and the cells that add up to it, as the attacker links them. */
export interface Group {
  total: string;
  parts: string[];
}

/**
 * The attacker: in a group with one unknown cell, that cell is the total minus the parts shown (or
 * the sum of the parts); with k unknown parts adding up to k, each is 1. Solved cells feed the
 * other groups until nothing more follows. Returns the cells solved, with the value found.
 */
export function solve(seen: Cells, groups: Group[]): Map<string, number> {
  const known = new Map([...seen].filter(([, v]) => v !== null) as Array<[string, number]>);
  const solved = new Map<string, number>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const g of groups) {
      const unknown = [g.total, ...g.parts].filter((k) => !known.has(k));
      if (unknown.length === 0) continue;
      const partsShown = g.parts.filter((k) => known.has(k)).reduce((s, k) => s + known.get(k)!, 0);
      const found: Array<[string, number]> = [];
      if (unknown.length === 1) found.push([unknown[0], unknown[0] === g.total ? partsShown : known.get(g.total)! - partsShown]);
      else if (known.has(g.total) && known.get(g.total)! - partsShown === unknown.length) for (const k of unknown) found.push([k, 1]);
      for (const [k, v] of found) {
        known.set(k, v);
        solved.set(k, v);
        changed = true;
      }
    }
  }
  return solved;
}
