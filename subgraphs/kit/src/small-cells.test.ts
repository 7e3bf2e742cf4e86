import { describe, expect, test } from '@jest/globals';
import { periodsOfYear, provinceYearGroups, seesSmallCells, suppressCells, type CellGroup } from './small-cells.js';

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

test('periods of a year and who sees small cells', () => {
  expect(periodsOfYear('2025')).toEqual(['2025', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => `2025-${m}`)]);
  expect(seesSmallCells(['aggregate:read', 'person:pseudonym'])).toBe(false);
  expect(seesSmallCells(['person:identity'])).toBe(true);
});
