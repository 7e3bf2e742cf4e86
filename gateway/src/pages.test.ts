import { describe, expect, test } from '@jest/globals';
import { inertCell, toCsv } from './pages.js';

describe('CSV export', () => {
  test('text a spreadsheet would run as a formula is exported as text', () => {
    for (const formula of ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(inertCell(formula)).toBe(`'${formula}`);
    // Numbers, including negative ones, and ordinary text are untouched.
    expect(inertCell(-5)).toBe(-5);
    expect(inertCell('Thái Vĩnh')).toBe('Thái Vĩnh');
    const csv = toCsv({ communes: { items: [{ code: '01000', name: '=cmd|"/c calc"!A1', change: -3.5 }] } });
    expect(csv.split('\n')[1]).toBe(`01000,"'=cmd|""/c calc""!A1",-3.5`);
  });
});
