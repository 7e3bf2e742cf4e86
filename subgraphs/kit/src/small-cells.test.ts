import { describe, expect, test } from '@jest/globals';
import { periodsOfYear, provinceYearGroups, relatedFiguresGroups, seesSmallCells, suppressCells, type CellGroup } from './small-cells.js';

const cellsOf = (o: Record<string, number>) => new Map(Object.entries(o));
const sorted = (s: Set<string>) => [...s].sort();

describe('suppressCells', () => {
  const group: CellGroup = { total: 'T', parts: ['a', 'b', 'c', 'd'] };

  test('a small cell alone in its group takes the smallest non-zero part with it, never a zero', () => {
    expect(sorted(suppressCells(cellsOf({ T: 40, a: 3, b: 0, c: 20, d: 17 }), [group]))).toEqual(['a', 'd']);
  });

  test('a coarser total (a year for its quarters) is never taken: one whose only non-zero part is small is that part, so small itself', () => {
    expect(sorted(suppressCells(cellsOf({ T: 3, a: 3, b: 0, c: 0, d: 0 }), [group]))).toEqual(['T', 'a']);
    // A small total takes a part with it.
    expect(sorted(suppressCells(cellsOf({ T: 4, a: 2, b: 2, c: 0, d: 0 }), [group]))).toEqual(['T', 'a', 'b']);
    expect(sorted(suppressCells(cellsOf({ T: 4, a: 0, b: 0, c: 0, d: 0 }), [group]))).toEqual(['T']);
  });

  test('a province of the same period goes when its withheld communes are all 1s and no other is left', () => {
    const values = cellsOf({ T: 3, a: 1, b: 1, c: 1, d: 0 });
    expect(sorted(suppressCells(cellsOf({ T: 7, a: 1, b: 1, c: 1, d: 4, e: 0 }), [{ ...group, parts: ['a', 'b', 'c', 'd', 'e'], totalAlike: true }]))).toEqual(['a', 'b', 'c', 'd']);
    expect(sorted(suppressCells(cellsOf({ T: 6, a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 }), [{ total: 'T', parts: ['a', 'b', 'c', 'd', 'e', 'f'], totalAlike: true }]))).toEqual(['T', 'a', 'b', 'c', 'd', 'e', 'f']);
    // A year is not taken for its quarters.
    expect(sorted(suppressCells(values, [group]))).toEqual(['T', 'a', 'b', 'c']);
  });

  test('two withheld 1s (or 4s) would add up to what the total gives away: a third goes', () => {
    expect(sorted(suppressCells(cellsOf({ T: 32, a: 1, b: 1, c: 10, d: 20 }), [group]))).toEqual(['a', 'b', 'c']);
    expect(sorted(suppressCells(cellsOf({ T: 38, a: 4, b: 4, c: 10, d: 20 }), [group]))).toEqual(['a', 'b', 'c']);
    // 1 and 3: the total gives 4, which 2 + 2 and 3 + 1 give as well.
    expect(sorted(suppressCells(cellsOf({ T: 34, a: 1, b: 3, c: 10, d: 20 }), [group]))).toEqual(['a', 'b']);
  });

  test('a group without small cells is left alone; ties go by key, whatever the order of the values', () => {
    expect(suppressCells(cellsOf({ T: 60, a: 10, b: 20, c: 30 }), [group]).size).toBe(0);
    const one = suppressCells(cellsOf({ T: 24, a: 2, b: 11, c: 11, d: 0 }), [group]);
    const other = suppressCells(cellsOf({ d: 0, c: 11, b: 11, a: 2, T: 24 }), [group]);
    expect(sorted(one)).toEqual(['a', 'b']);
    expect(sorted(other)).toEqual(sorted(one));
  });

  test('a random province-year table: no group is left with a single withheld cell (subtraction recovers none)', () => {
    // A fixed pseudo-random sequence: the same table on every run.
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const communes = ['01000', '01003', '01006', '01009', '01012'];
    const key = (place: string, period: string) => `${place}|${period}`;
    const values = new Map<string, number>();
    for (const c of communes) {
      for (let m = 1; m <= 12; m++) values.set(key(c, `2025-${String(m).padStart(2, '0')}`), random() < 0.4 ? 0 : Math.floor(random() * 7));
    }
    // Additive: quarters, year and province are sums, as for requests received in a period.
    const get = (k: string) => values.get(k) ?? 0;
    for (const c of communes) {
      for (let q = 1; q <= 4; q++) values.set(key(c, `2025-Q${q}`), [1, 2, 3].reduce((s, i) => s + get(key(c, `2025-${String((q - 1) * 3 + i).padStart(2, '0')}`)), 0));
      values.set(key(c, '2025'), [1, 2, 3, 4].reduce((s, q) => s + get(key(c, `2025-Q${q}`)), 0));
    }
    for (const p of periodsOfYear('2025')) values.set(key('P', p), communes.reduce((s, c) => s + get(key(c, p)), 0));
    const levels = provinceYearGroups('P', communes, '2025', key);
    const groups = levels.flat();
    expect(levels.map((l) => l.length)).toEqual([1, 4 + 6, 12 + 6 * 4]);
    const withheld = suppressCells(values, ...levels);
    const small = [...values].filter(([, v]) => v > 0 && v < 5).length;
    expect(small).toBeGreaterThan(5);
    for (const [k, v] of values) if (v > 0 && v < 5) expect(withheld.has(k)).toBe(true);
    for (const k of withheld) expect(get(k)).toBeGreaterThan(0);
    for (const g of groups) expect([g.total, ...g.parts].filter((k) => withheld.has(k)).length).not.toBe(1);
    // Years alone (a request for years) withhold the same year cells as the whole table; quarters likewise.
    for (const finest of ['YEAR', 'QUARTER'] as const) {
      const periods = new Set(periodsOfYear('2025', finest));
      const coarse = new Map([...values].filter(([k]) => periods.has(k.split('|')[1])));
      const fromCoarse = suppressCells(coarse, ...provinceYearGroups('P', communes, '2025', key, finest));
      expect(sorted(fromCoarse)).toEqual(sorted(withheld).filter((k) => periods.has(k.split('|')[1])));
    }
  });
});

describe('relations between figures and counts at the period end', () => {
  const key = (figure: string, place: string, period: string) => `${figure}|${place}|${period}`;
  const communes = ['c1', 'c2', 'c3'];

  test('a relation group and the province groups reach a fixed point together: a cell one withholds calls for more in the other, and back', () => {
    // T = A + B in each place; A of c1 (2) is small.
    const a = { P: 27, c1: 2, c2: 11, c3: 14 };
    const b = { P: 21, c1: 9, c2: 0, c3: 12 };
    const values = new Map<string, number>();
    for (const [place, v] of Object.entries(a)) values.set(key('A', place, '2025'), v);
    for (const [place, v] of Object.entries(b)) values.set(key('B', place, '2025'), v);
    for (const place of Object.keys(a)) values.set(key('T', place, '2025'), values.get(key('A', place, '2025'))! + values.get(key('B', place, '2025'))!);
    const figures = [{ name: 'A' }, { name: 'B' }, { name: 'T' }];
    const levels = relatedFiguresGroups(figures, [{ total: 'T', parts: ['A', 'B'] }], 'P', communes, '2025', key, 'YEAR');
    expect(levels.map((l) => l.length)).toEqual([3 + 4]);
    const withheld = suppressCells(values, ...levels);
    // A's province group takes A c2 (11); c2's relation (B c2 = 0) its total T c2; T's province
    // group then T c1 (11); c1's relation (A c1 withheld) B c1; B's province group B c3; c3's relation A c3.
    expect(sorted(withheld)).toEqual(['A|c1|2025', 'A|c2|2025', 'A|c3|2025', 'B|c1|2025', 'B|c3|2025', 'T|c1|2025', 'T|c2|2025'].sort());
    for (const g of levels.flat()) expect([g.total, ...g.parts].filter((k) => withheld.has(k)).length).not.toBe(1);
    // Province groups alone leave A c1 = T c1 − B c1.
    const alone = suppressCells(values, ...relatedFiguresGroups(figures, [], 'P', communes, '2025', key, 'YEAR'));
    expect(sorted(alone)).toEqual(['A|c1|2025', 'A|c2|2025']);
    expect(values.get('T|c1|2025')! - values.get('B|c1|2025')!).toBe(2);
  });

  test('relations of a month never reach its quarter or year: a request for years withholds the same year cells', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = new Map<string, number>();
    const months = periodsOfYear('2025').slice(5);
    for (const c of communes) {
      for (const m of months) for (const f of ['A', 'B']) values.set(key(f, c, m), random() < 0.4 ? 0 : Math.floor(random() * 8));
    }
    const get = (k: string) => values.get(k) ?? 0;
    for (const f of ['A', 'B']) {
      for (const c of communes) {
        for (let q = 1; q <= 4; q++) values.set(key(f, c, `2025-Q${q}`), months.slice((q - 1) * 3, q * 3).reduce((s, m) => s + get(key(f, c, m)), 0));
        values.set(key(f, c, '2025'), [1, 2, 3, 4].reduce((s, q) => s + get(key(f, c, `2025-Q${q}`)), 0));
      }
      for (const p of periodsOfYear('2025')) values.set(key(f, 'P', p), communes.reduce((s, c) => s + get(key(f, c, p)), 0));
    }
    for (const place of ['P', ...communes]) for (const p of periodsOfYear('2025')) values.set(key('T', place, p), get(key('A', place, p)) + get(key('B', place, p)));
    const figures = [{ name: 'A' }, { name: 'B' }, { name: 'T' }];
    const relations = [{ total: 'T', parts: ['A', 'B'] }];
    const all = relatedFiguresGroups(figures, relations, 'P', communes, '2025', key);
    const withheld = suppressCells(values, ...all);
    for (const g of all.flat()) expect([g.total, ...g.parts].filter((k) => withheld.has(k)).length).not.toBe(1);
    const years = new Map([...values].filter(([k]) => k.endsWith('|2025')));
    expect(sorted(suppressCells(years, ...relatedFiguresGroups(figures, relations, 'P', communes, '2025', key, 'YEAR')))).toEqual(sorted(withheld).filter((k) => k.endsWith('|2025')));
  });

  test('a count at the period end: the year, Q4 and December are one value and withheld alike; as a sum over time a complement December showed as its Q4', () => {
    // Files open at each month end in c1..c3; a quarter's and a year's count is their last month's.
    const months = periodsOfYear('2025').slice(5);
    const open: Record<string, number[]> = { c1: [6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9], c2: [2, 2, 2, 15, 15, 15, 15, 15, 15, 15, 15, 15], c3: [9, 9, 9, 9, 9, 9, 9, 9, 9, 3, 9, 8] };
    const values = new Map<string, number>();
    for (const c of communes) months.forEach((m, i) => values.set(key('F', c, m), open[c][i]));
    for (const c of communes) {
      for (let q = 1; q <= 4; q++) values.set(key('F', c, `2025-Q${q}`), open[c][q * 3 - 1]);
      values.set(key('F', c, '2025'), open[c][11]);
    }
    for (const p of periodsOfYear('2025')) values.set(key('F', 'P', p), communes.reduce((s, c) => s + values.get(key('F', c, p))!, 0));
    const atEnd = suppressCells(values, ...relatedFiguresGroups([{ name: 'F', time: 'atPeriodEnd' }], [], 'P', communes, '2025', key));
    const equal: Array<[string, string]> = [['2025', '2025-Q4'], ['2025-Q4', '2025-12'], ['2025-Q1', '2025-03'], ['2025-Q2', '2025-06'], ['2025-Q3', '2025-09']];
    for (const place of ['P', ...communes]) for (const [x, y] of equal) expect([place, x, atEnd.has(key('F', place, x))]).toEqual([place, x, atEnd.has(key('F', place, y))]);
    for (const [k, v] of values) if (v > 0 && v < 5) expect(atEnd.has(k)).toBe(true);
    // Read as sums over time (the rule before), c3's small October (3) took its December (8) with it
    // in the group of Q4 and its months, while Q4 — 8, the same files — is shown.
    const asSums = suppressCells(values, ...provinceYearGroups('P', communes, '2025', (place, period) => key('F', place, period)));
    expect([asSums.has('F|c3|2025-12'), asSums.has('F|c3|2025-Q4'), values.get('F|c3|2025-Q4')]).toEqual([true, false, 8]);
  });
});

test('periods of a year and who sees small cells', () => {
  expect(periodsOfYear('2025')).toEqual(['2025', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => `2025-${m}`)]);
  expect(seesSmallCells(['aggregate:read', 'person:pseudonym'])).toBe(false);
  expect(seesSmallCells(['person:identity'])).toBe(true);
});
