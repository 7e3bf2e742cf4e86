import { describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { buildSchema } from 'graphql';
import { exportTable, inertCell, tableToCsv, tableToXlsx } from './export.js';

const schema = buildSchema(`
  type Query { communes: [Commune!]! }
  type Commune {
    code: String!
    "Tên xã: the commune's name"
    name: String!
    police: PoliceFigures
    indicators: [IndicatorValue!]!
  }
  type PoliceFigures {
    "Số vụ bắt giữ tại biên giới: seizures at the border"
    borderSeizures: Int
    "Tỷ lệ thay đổi (%): against the same period last year"
    change: Float
  }
  type Indicator { id: ID! }
  type IndicatorValue { indicator: Indicator! value: Float status: IndicatorStatus! suppressed: Boolean! }
  enum IndicatorStatus {
    "Đạt chỉ tiêu"
    MET
    "Chậm so với lộ trình"
    OFF_TRACK
  }
`);
const query = '{ communes { code name police { borderSeizures change } indicators { indicator { id } value status suppressed } } }';
const data = {
  communes: [
    { code: '01000', name: '=HYPERLINK("x")', police: { borderSeizures: 3, change: 75.14705000000001 }, indicators: [{ indicator: { id: 'a' }, value: 12.345, status: 'MET', suppressed: false }] },
    { code: '01003', name: 'Xã Nà', police: null, indicators: [{ indicator: { id: 'a' }, value: null, status: 'OFF_TRACK', suppressed: true }] },
  ],
};
const errors = [{ message: 'Forbidden', path: ['communes', 1, 'police'], extensions: { code: 'FORBIDDEN' } }];

describe('export of a list', () => {
  test('Vietnamese: headers from the fields\' Vietnamese terms, statuses in words, floats rounded, withheld cells said so', () => {
    const t = exportTable({ data, errors, query, schema, language: 'vi' });
    expect(t.headers).toEqual(['Code', 'Tên xã', 'police · Số vụ bắt giữ tại biên giới', 'police · Tỷ lệ thay đổi', 'indicators · a · Value', 'indicators · a · Status', 'indicators · a · Suppressed']);
    expect(t.rows[0]).toEqual(['01000', `'=HYPERLINK("x")`, 3, 75.15, 12.35, 'Đạt chỉ tiêu', false]);
    expect(t.rows[1]).toEqual(['01003', 'Xã Nà', '[không có quyền xem]', '[không có quyền xem]', '[ẩn: dưới 5 người]', 'Chậm so với lộ trình', true]);
    // Excel under Vietnamese regional settings: semicolons, decimal commas.
    const csv = tableToCsv(t, 'vi');
    expect(csv.startsWith('\uFEFFCode;Tên xã;')).toBe(true);
    expect(csv).toContain(';75,15;');
  });

  test('English: words from the field names; a comma-separated CSV with decimal points', () => {
    const t = exportTable({ data, errors, query, schema, language: 'en' });
    expect(t.headers.slice(2, 4)).toEqual(['police · Border seizures', 'police · Change']);
    expect(t.rows[0][5]).toBe('Met');
    expect(t.rows[1][2]).toBe('[no access]');
    expect(tableToCsv(t, 'en')).toContain(',75.15,');
  });

  test('the workbook holds the same table, numbers as numbers', async () => {
    const t = exportTable({ data, errors, query, schema, language: 'vi' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await tableToXlsx(t)) as any);
    const sheet = book.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(t.headers);
    expect(sheet.getCell('D2').value).toBe(75.15);
    expect(sheet.getCell('C3').value).toBe('[không có quyền xem]');
  });

  test('text a spreadsheet would run as a formula is exported as text; numbers and ordinary text are untouched', () => {
    for (const formula of ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(inertCell(formula)).toBe(`'${formula}`);
    expect(inertCell(-3.5)).toBe(-3.5);
    expect(inertCell('Thái Vĩnh')).toBe('Thái Vĩnh');
    const csv = tableToCsv(exportTable({ data: { communes: { items: [{ code: '01000', name: '=cmd|"/c calc"!A1', change: -3.5 }] } } }), 'en');
    expect(csv.split('\n')[1]).toBe(`01000,"'=cmd|""/c calc""!A1",-3.5`);
  });
});
