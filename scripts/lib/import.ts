import { createRequestContext, DEMO_PROVINCE_CODE, InputErrors, normalizeHeader, type Identity, type Importer, type Progress, type SubgraphService } from '@pcmt/kit';
import { SqliteAuditLog, type AuditLog } from '@pcmt/gateway';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { GraphQLError } from 'graphql';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { explainInVietnamese } from './import-messages.js';

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

export interface ImportReport {
  importer: string;
  rows: number;
  imported: number;
  alreadyImported: number;
  failed: number;
  /** Rows naming a person, each with its entry in the gateway's audit log. */
  audited: number;
  errors: RowError[];
  errorFile?: string;
  unknownHeaders: string[];
  /** The sheet row the headers were found on (title rows above it are not data). */
  headerRow: number;
  skipped: SkippedRow[];
}

/** A sheet's records keyed by their header, each with its row number in the sheet as the clerk sees it. */
export interface Sheet {
  headerRow: number;
  records: Array<{ row: number; cells: Record<string, string> }>;
  skipped: SkippedRow[];
}

/** Every row of the first sheet (xlsx) or of a UTF-8 CSV (BOM or not) as text cells; index i is sheet row i + 1. */
export async function readTable(file: string): Promise<string[][]> {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    // Excel in Vietnamese settings saves CSV with semicolons (the comma is the decimal mark).
    const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    const rows: string[][] = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: true });
    return rows;
  }
  if (ext === '.xlsx') {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
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
  throw new ImportRefused(`unsupported file type ${ext || '(none)'}: use .csv (UTF-8) or .xlsx`);
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
export function sheetOf(table: string[][], importer?: Importer): Sheet {
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
export async function readSheet(file: string, importer: Importer): Promise<Sheet> {
  return sheetOf(await readTable(file), importer);
}

/** Rows keyed by the header on the first non-blank row (for files that have no title rows). */
export async function readRows(file: string): Promise<Record<string, string>[]> {
  return sheetOf(await readTable(file)).records.map((r) => r.cells);
}

/** An empty workbook for one importer: its Vietnamese headers, a note row on what each column takes, ready to fill. */
export async function writeTemplate(path: string, subgraph: string, importer: Importer): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(importer.name);
  const headers = Object.values(importer.columns).map((aliases) => aliases[0]);
  sheet.addRow(headers).font = { bold: true };
  // Text format, so Excel keeps the zeros at the start of CCCDs and commune codes.
  headers.forEach((_, i) => (sheet.getColumn(i + 1).numFmt = '@'));
  sheet.columns.forEach((c) => (c.width = 24));
  const about = book.addWorksheet('Hướng dẫn');
  about.addRow([`npm run import -- ${subgraph} <tệp> --kind ${importer.name}`]);
  about.addRow([importer.description]);
  about.addRow([]);
  about.addRow(['Cột', 'Tên cột khác được chấp nhận']).font = { bold: true };
  for (const aliases of Object.values(importer.columns)) about.addRow([aliases[0], aliases.slice(1).join('; ')]);
  about.addRow([]);
  about.addRow(['Dòng tiêu đề, dòng tổng cộng và phần ký tên được bỏ qua; số CCCD thiếu số 0 ở đầu được bổ sung.']);
  await book.xlsx.writeFile(path);
}

export function pickImporter(importers: Importer[] | undefined, kind?: string): Importer {
  if (!importers?.length) throw new Error('this subgraph accepts no imports');
  if (kind) {
    const found = importers.find((i) => i.name === kind);
    if (!found) throw new Error(`unknown --kind ${kind}; this subgraph imports: ${importers.map((i) => i.name).join(', ')}`);
    return found;
  }
  if (importers.length > 1) throw new Error(`choose --kind: ${importers.map((i) => i.name).join(', ')}`);
  return importers[0];
}

/** Who imports, and where their entries go: the import writes as a mutation by that caller would. */
export interface ImportCaller {
  /** The verified token's identity (or a named operator's, outside production). */
  identity: Omit<Identity, 'exp' | 'requestId' | 'purpose'>;
  purpose: string;
  /** The gateway's audit log: a row naming a person is written only after its entry is. */
  audit: AuditLog;
  /** Names the file in the audit entries (`import <subgraph>/<importer>`, with its sha256). */
  source: { name: string; sha256: string };
}

export class ImportRefused extends Error {}

/** The write scope a caller needs to import into `subgraph`: the one its mutations are tagged with. */
export const importScope = (subgraph: string) => `${subgraph}:write`;

/** Citizen IDs a parsed row names: `citizenId` fields and `suspects` lists (the inputs' `person` fields). */
export function personsNamed(input: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(input)) input.forEach((v) => personsNamed(v, found));
  else if (input && typeof input === 'object') {
    for (const [k, v] of Object.entries(input)) {
      if (k === 'citizenId' && typeof v === 'string' && v) found.add(v);
      else if (k === 'suspects' && Array.isArray(v)) v.forEach((x) => (typeof x === 'string' ? x && found.add(x) : personsNamed(x, found)));
      else personsNamed(v, found);
    }
  }
  return found;
}

/** For tests: an operator of the subgraph's agency over the demo province (or `area`), audited to an in-memory log. */
export function testImportCaller(subgraph: string, area: { communes?: string[]; province?: string | null } = {}): ImportCaller & { audit: SqliteAuditLog } {
  const communes = area.communes ?? [];
  return {
    identity: { sub: `test-importer-${subgraph}`, agency: subgraph, roles: [], scopes: [importScope(subgraph)], communes, province: area.province ?? (communes.length ? null : DEMO_PROVINCE_CODE), project: null },
    purpose: 'automated test',
    audit: new SqliteAuditLog(':memory:'),
    source: { name: 'test rows', sha256: '0'.repeat(64) },
  };
}

export const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * Imports every good row (one transaction each, idempotent by the row's natural key) and reports
 * every bad one with row number, column and reason. Row numbers count the header as row 1.
 *
 * Each row is written as the caller's mutation would be: with the caller's identity in the request
 * context, so the caller's area limits communes and records (a row outside it is refused like the
 * mutation), idempotency keys are the caller's, and a row naming a person is audited first (no
 * entry, no write: the import stops).
 */
export async function importRows(
  service: SubgraphService,
  importer: Importer,
  input: Record<string, string>[] | Sheet,
  caller: ImportCaller,
  progress: Progress = () => {},
): Promise<ImportReport> {
  // Plain records count the header as row 1.
  const sheet: Sheet = Array.isArray(input) ? { headerRow: 1, records: input.map((cells, i) => ({ row: i + 2, cells })), skipped: [] } : input;
  const rows = sheet.records;
  if (!caller.identity.scopes.includes(importScope(service.name))) {
    throw new ImportRefused(`${caller.identity.sub} may not write to ${service.name}: the import needs the scope ${importScope(service.name)}`);
  }
  const run = randomUUID();
  const aliasToField = new Map<string, string>();
  for (const [field, aliases] of Object.entries(importer.columns)) {
    for (const a of [field, ...aliases]) aliasToField.set(normalizeHeader(a), field);
  }
  const headers = rows.length ? Object.keys(rows[0].cells) : [];
  const fieldToHeader = new Map<string, string>();
  const unknownHeaders: string[] = [];
  for (const h of headers) {
    const field = aliasToField.get(normalizeHeader(h));
    if (field) fieldToHeader.set(field, h);
    else unknownHeaders.push(h);
  }
  const report: ImportReport = {
    importer: importer.name,
    rows: rows.length,
    imported: 0,
    alreadyImported: 0,
    failed: 0,
    audited: 0,
    errors: [],
    unknownHeaders,
    headerRow: sheet.headerRow,
    skipped: sheet.skipped,
  };
  const fail = (row: number, source: Record<string, string>, errs: Array<{ field: string; message: string }>) => {
    report.failed++;
    for (const e of errs) {
      const column = fieldToHeader.get(e.field) ?? e.field;
      report.errors.push({ row, column, value: source[column] ?? '', reason: e.message, explanation: explainInVietnamese(column, e.message) });
    }
  };

  for (let i = 0; i < rows.length; i++) {
    const { row: rowNumber, cells: source } = rows[i];
    const mapped: Record<string, string> = {};
    for (const [field, header] of fieldToHeader) mapped[field] = source[header] ?? '';
    const errs = new InputErrors();
    const input = importer.parse(mapped, errs);
    if (errs.any) {
      fail(rowNumber, source, errs.errors);
    } else {
      const requestId = `import-${run}-row-${rowNumber}`;
      // exp: nothing is signed here, so nothing expires.
      const identity: Identity = { ...caller.identity, purpose: caller.purpose, requestId, exp: 0 };
      const persons = [...personsNamed(input)].sort();
      if (persons.length) {
        // Before the write, as the gateway does for a sensitive write: refused or not, the attempt is on record.
        await caller.audit.append({
          at: new Date().toISOString(),
          subject: identity.sub,
          agency: identity.agency,
          roles: identity.roles,
          purpose: caller.purpose,
          requestId,
          operationName: `import ${service.name}/${importer.name} ${caller.source.name} row ${rowNumber}`,
          operationHash: caller.source.sha256,
          persons,
          fields: [`import:${service.name}/${importer.name}`],
        });
        report.audited++;
      }
      try {
        const key = `import:${importer.name}:${importer.key(input)}`;
        const { em, area } = createRequestContext(service.orm, service.log, {}, identity);
        // Resolved before the row's transaction: on SQLite's one connection the commune list could not be read inside it.
        await area.ready;
        const { replayed } = await importer.write(em, input, key);
        if (replayed) report.alreadyImported++;
        else report.imported++;
      } catch (err) {
        const fieldErrors = err instanceof GraphQLError ? (err.extensions.fieldErrors as Array<{ field: string; message: string }> | undefined) : undefined;
        if (fieldErrors?.length) fail(rowNumber, source, fieldErrors);
        else if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT') fail(rowNumber, source, [{ field: String(err.extensions.field ?? ''), message: err.message }]);
        else throw err;
      }
    }
    progress('rows', i + 1, rows.length);
  }
  return report;
}

/** The refused rows for the clerk: Vietnamese headers and reasons first, the English reason last for the agency's IT. */
export function writeErrorFile(path: string, errors: RowError[]): void {
  const rows = errors.map((e) => [e.row, e.column, e.value, e.explanation, e.reason]);
  // BOM so Excel opens the Vietnamese text as UTF-8.
  writeFileSync(path, '\uFEFF' + stringify(rows, { header: true, columns: ['Dòng', 'Cột', 'Giá trị', 'Lý do', 'Reason'] }));
}
