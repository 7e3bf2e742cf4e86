import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { inertCell, toCsv, vendorPath } from './pages.js';

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

describe('vendor files', () => {
  test('every front-end library the pages load resolves to a file, whatever its package exports', () => {
    // chart.js 4.5 exports no package.json: the path is found from its entry point.
    for (const name of ['chart.umd.min.js', 'exceljs.min.js', 'react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'graphiql.min.css']) {
      const path = vendorPath(name);
      expect(path && existsSync(path)).toBe(true);
    }
    expect(vendorPath('unknown.js')).toBeNull();
  });
});
