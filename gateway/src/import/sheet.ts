// Reading a clerk's spreadsheet, the same for `npm run import` and the gateway's upload page: the
// header row found below title rows, totals and signatures left out with a note, merged cells
// spread over the rows they cover; and the files a clerk gets back (template, refused rows).
import { normalizeHeader, type ImporterInfo } from '@pcmt/kit';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';

/** A sheet the import cannot read as a whole (wrong file type, no header row): nothing is done. */
export class ImportRefused extends Error {}

export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
  /** The same reason in Vietnamese, naming the column by the sheet's own header: what the clerk reads. */
  explanation: string;
}

/** A row that is not a record (a total, a signature block): left out, and said so. */
export interface SkippedRow {
  row: number;
  reason: string;
}

/** A sheet's records keyed by their header, each with its row number in the sheet as the clerk sees it. */
export interface Sheet {
  headerRow: number;
  records: Array<{ row: number; cells: Record<string, string> }>;
  skipped: SkippedRow[];
}

export type SheetFormat = 'csv' | 'xlsx';

/** The format a file name says, or null. */
export function formatOfName(name: string): SheetFormat | null {
  const ext = extname(name).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.xlsx' ? 'xlsx' : null;
}

/** Every row of the first sheet (xlsx) or of a UTF-8 CSV (BOM or not) as text cells; index i is sheet row i + 1. */
export async function tableOf(bytes: Buffer, format: SheetFormat): Promise<string[][]> {
  if (format === 'csv') {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    // Excel in Vietnamese settings saves CSV with semicolons (the comma is the decimal mark).
    const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    try {
      return parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: true });
    } catch (err) {
      throw new ImportRefused(`not a readable CSV file (tệp CSV không đọc được): ${(err as Error).message}`);
    }
  }
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as any);
  } catch {
    throw new ImportRefused('not a readable Excel workbook (tệp Excel .xlsx không đọc được)');
  }
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      // A merged cell reads as its master: a commune code merged down a block belongs to every row of it.
      const cell = row.getCell(c);
      const value = cell.isMerged ? cell.master.value : cell.value;
      // Dates typed into Excel arrive as Date objects: keep them as the calendar day.
      cells.push(value instanceof Date ? value.toISOString().slice(0, 10) : (cell.isMerged ? cell.master.text : cell.text).trim());
    }
    rows.push(cells);
  }
  return rows;
}

/** Every row of a .csv or .xlsx file, as `tableOf`. */
export async function readTable(file: string): Promise<string[][]> {
  const format = formatOfName(file);
  if (!format) throw new ImportRefused(`unsupported file type ${extname(file) || '(none)'}: use .csv (UTF-8) or .xlsx`);
  return tableOf(readFileSync(file), format);
}

const blankRow = (cells: string[]) => cells.every((c) => !c || !c.trim());

// Words that open the rows a report puts under its table: totals, the place-and-date line, signatures.
const TOTAL = /^(tong|tongcong|tongso|cong|total)$/;
const FOOTER = /(nguoilapbieu|nguoilap|thutruong|truongdonvi|kyten|kyghirohoten|ghirohoten|xacnhan|giamdoc|chutich|^ngay\d*thang\d*nam|ngay\d+thang\d+nam\d+|signature|preparedby)/;

/**
 * The sheet's records under the header row: the first row among the top 30 that names most of the
 * importer's columns (title rows above it are skipped); below it, blank rows are passed over and
 * total and signature rows left out with a note.
 */
export function sheetOf(table: string[][], importer?: ImporterInfo): Sheet {
  let headerIndex = table.findIndex((r) => !blankRow(r));
  if (importer) {
    const known = new Set<string>();
    for (const [field, aliases] of Object.entries(importer.columns)) for (const a of [field, ...aliases]) known.add(normalizeHeader(a));
    let best = 0;
    for (let i = 0; i < Math.min(table.length, 30); i++) {
      const hits = new Set(table[i].map(normalizeHeader).filter((h) => h && known.has(h))).size;
      if (hits > best) [best, headerIndex] = [hits, i];
    }
    if (best === 0) {
      const expected = Object.values(importer.columns).map((a) => a[0]).join('», «');
      throw new ImportRefused(`no header row found in the first 30 rows (không tìm thấy dòng tiêu đề cột): expected columns such as «${expected}»`);
    }
  }
  if (headerIndex < 0) return { headerRow: 1, records: [], skipped: [] };
  const headers = table[headerIndex].map((h) => (h ?? '').trim());
  const sheet: Sheet = { headerRow: headerIndex + 1, records: [], skipped: [] };
  let footer = false;
  for (let i = headerIndex + 1; i < table.length; i++) {
    const cells = table[i];
    if (blankRow(cells)) continue;
    const words = cells.map(normalizeHeader).filter(Boolean);
    if (TOTAL.test(words[0]) || (words.length <= 2 && words.some((w) => w.startsWith('tongcong')))) {
      sheet.skipped.push({ row: i + 1, reason: 'dòng tổng cộng (total row), không phải một bản ghi' });
      continue;
    }
    // A signature block: once it starts, what follows is names and titles, not records.
    if (footer || (words.length <= 3 && words.some((w) => FOOTER.test(w)))) {
      footer = true;
      sheet.skipped.push({ row: i + 1, reason: 'phần ký tên, ngày tháng dưới bảng (signature block), không phải một bản ghi' });
      continue;
    }
    const record: Record<string, string> = {};
    headers.forEach((h, c) => {
      if (h) record[h] = (cells[c] ?? '').trim();
    });
    sheet.records.push({ row: i + 1, cells: record });
  }
  return sheet;
}

/** The importer's sheet: headers found below any title rows, totals and signatures left out. */
export async function readSheet(file: string, importer: ImporterInfo): Promise<Sheet> {
  return sheetOf(await readTable(file), importer);
}

/** Rows keyed by the header on the first non-blank row (for files that have no title rows). */
export async function readRows(file: string): Promise<Record<string, string>[]> {
  return sheetOf(await readTable(file)).records.map((r) => r.cells);
}

/** An empty workbook for one importer: its Vietnamese headers as text columns, and a sheet naming the other headers it accepts. */
export function templateWorkbook(subgraph: string, importer: ImporterInfo): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(importer.name);
  const headers = Object.values(importer.columns).map((aliases) => aliases[0]);
  sheet.addRow(headers).font = { bold: true };
  // Text format, so Excel keeps the zeros at the start of CCCDs and commune codes.
  headers.forEach((_, i) => (sheet.getColumn(i + 1).numFmt = '@'));
  sheet.columns.forEach((c) => (c.width = 24));
  const about = book.addWorksheet('Hướng dẫn');
  about.addRow([`Trang /import (chọn ${subgraph} / ${importer.name}), hoặc: npm run import -- ${subgraph} <tệp> --kind ${importer.name}`]);
  about.addRow([importer.description]);
  about.addRow([]);
  about.addRow(['Cột', 'Tên cột khác được chấp nhận']).font = { bold: true };
  for (const aliases of Object.values(importer.columns)) about.addRow([aliases[0], aliases.slice(1).join('; ')]);
  about.addRow([]);
  about.addRow(['Dòng tiêu đề, dòng tổng cộng và phần ký tên được bỏ qua; số CCCD thiếu số 0 ở đầu được bổ sung.']);
  return book;
}

export async function writeTemplate(path: string, subgraph: string, importer: ImporterInfo): Promise<void> {
  await templateWorkbook(subgraph, importer).xlsx.writeFile(path);
}

export async function templateBytes(subgraph: string, importer: ImporterInfo): Promise<Buffer> {
  return Buffer.from(await templateWorkbook(subgraph, importer).xlsx.writeBuffer());
}

export function pickImporter<I extends ImporterInfo>(importers: I[] | undefined, kind?: string): I {
  if (!importers?.length) throw new Error('this subgraph accepts no imports');
  if (kind) {
    const found = importers.find((i) => i.name === kind);
    if (!found) throw new Error(`unknown --kind ${kind}; this subgraph imports: ${importers.map((i) => i.name).join(', ')}`);
    return found;
  }
  if (importers.length > 1) throw new Error(`choose --kind: ${importers.map((i) => i.name).join(', ')}`);
  return importers[0];
}

/** The refused rows for the clerk: Vietnamese headers and reasons first, the English reason last for the agency's IT. BOM so Excel opens it as UTF-8. */
export function errorsCsv(errors: RowError[]): string {
  const rows = errors.map((e) => [e.row, e.column, e.value, e.explanation, e.reason]);
  return '\uFEFF' + stringify(rows, { header: true, columns: ['Dòng', 'Cột', 'Giá trị', 'Lý do', 'Reason'] });
}

export function writeErrorFile(path: string, errors: RowError[]): void {
  writeFileSync(path, errorsCsv(errors));
}
