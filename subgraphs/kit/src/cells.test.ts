import { describe, expect, test } from '@jest/globals';
import { cellCitizenId, cellCommuneCode, cellDay, cellLabel, cellNumber, cellYesNo, labelIndex } from './cells.js';
import { InputErrors } from './validation.js';

const read = <T>(fn: (errs: InputErrors) => T): [T, string[]] => {
  const errs = new InputErrors();
  const value = fn(errs);
  return [value, errs.errors.map((e) => `${e.field}: ${e.message}`)];
};

describe('spreadsheet cells', () => {
  test('days: ISO or day first, real calendar days only; blank is required unless said otherwise', () => {
    expect(read((e) => cellDay(e, 'd', ' 7/3/2025 '))).toEqual(['2025-03-07', []]);
    expect(read((e) => cellDay(e, 'd', '07.03.2025'))[0]).toBe('2025-03-07');
    expect(read((e) => cellDay(e, 'd', '2025-3-7'))[0]).toBe('2025-03-07');
    expect(read((e) => cellDay(e, 'd', '31/02/2026'))).toEqual([null, ['d: "31/02/2026" is not a date (YYYY-MM-DD or DD/MM/YYYY)']]);
    expect(read((e) => cellDay(e, 'd', 'hôm qua'))[0]).toBeNull();
    expect(read((e) => cellDay(e, 'd', ''))).toEqual([null, ['d: is required']]);
    expect(read((e) => cellDay(e, 'd', '', { required: false }))).toEqual([null, []]);
  });

  test('numbers as typed in Vietnam and elsewhere', () => {
    const n = (raw: string, need = {}) => read((e) => cellNumber(e, 'n', raw, need))[0];
    expect(n('1.234,5')).toBe(1234.5);
    expect(n('1 234,5')).toBe(1234.5);
    expect(n('1,234.5')).toBe(1234.5);
    expect(n('1,5')).toBe(1.5);
    expect(n('1,200', { whole: true })).toBe(1200);
    expect(n('1.200', { whole: true })).toBe(1200);
    expect(n('60 mg', { unit: 'mg' })).toBe(60);
    expect(read((e) => cellNumber(e, 'n', '1,5', { whole: true }))).toEqual([null, ['n: "1,5" is not a whole number']]);
    expect(read((e) => cellNumber(e, 'n', 'ba mươi', { unit: 'mg' }))).toEqual([null, ['n: "ba mươi" is not a number of mg']]);
  });

  test('yes/no, labels and CCCD numbers Excel shortened', () => {
    expect(read((e) => [cellYesNo(e, 'y', 'Có'), cellYesNo(e, 'y', 'x'), cellYesNo(e, 'y', 'Không'), cellYesNo(e, 'y', '')])).toEqual([[true, true, false, null], []]);
    expect(read((e) => cellYesNo(e, 'y', 'có lẽ'))[1]).toHaveLength(1);
    const index = labelIndex({ ADDICT: ['Người nghiện ma túy'], ILLEGAL_USER: ['Người sử dụng trái phép'] });
    expect(read((e) => cellLabel(e, 'c', 'người NGHIỆN ma tuý', index))).toEqual(['ADDICT', []]);
    expect(read((e) => cellLabel(e, 'c', 'addict', index))[0]).toBe('ADDICT');
    expect(read((e) => cellLabel(e, 'c', 'khác', index))[1]).toEqual(['c: unknown value "khác"; use ADDICT, ILLEGAL_USER or their Vietnamese names']);
    // A dash in an unused label cell is blank, not a value.
    expect(read((e) => cellLabel(e, 'c', ' - ', index, { required: false }))).toEqual([null, []]);
    expect(read((e) => cellLabel(e, 'c', '-', index))).toEqual([null, ['c: is required']]);
    expect(() => labelIndex({ UNKNOWN: ['?'] })).toThrow(/no letters or digits/);
    expect(cellCitizenId('4085123456 7')).toBe('040851234567');
    expect(cellCitizenId('040851234567')).toBe('040851234567');
    // Province codes 001–009: a number cell loses two zeros.
    expect(cellCitizenId('4085123456')).toBe('004085123456');
    // Nine digits is an old CMND number, not a CCCD with lost zeros: left for the write to refuse.
    expect(cellCitizenId('123456789')).toBe('123456789');
    expect(cellCommuneCode('1003')).toBe('01003');
    expect(cellCommuneCode(' 04252 ')).toBe('04252');
    expect(cellCommuneCode('')).toBeNull();
    expect(cellCommuneCode('Xã Nà')).toBe('Xã Nà');
  });
});
