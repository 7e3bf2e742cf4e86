import { InputErrors, normalizeHeader, type Importer, type Progress, type SubgraphService } from '@pcmt/kit';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { GraphQLError } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';

export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface ImportReport {
  importer: string;
  rows: number;
  imported: number;
  alreadyImported: number;
  failed: number;
  errors: RowError[];
  errorFile?: string;
  unknownHeaders: string[];
}

/** Rows of the first sheet (xlsx) or of a UTF-8 CSV (BOM or not), keyed by their header. */
export async function readRows(file: string): Promise<Record<string, string>[]> {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') {
    return parseCsv(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  }
  if (ext === '.xlsx') {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0];
    if (!sheet) return [];
    const headers: string[] = [];
    sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col] = cell.text.trim()));
    const rows: Record<string, string>[] = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      if (!row.hasValues) continue;
      const out: Record<string, string> = {};
      headers.forEach((h, col) => {
        if (!h) return;
        const cell = row.getCell(col);
        // Dates typed into Excel arrive as Date objects: keep them as the calendar day.
        out[h] = cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : cell.text.trim();
      });
      rows.push(out);
    }
    return rows;
  }
  throw new Error(`unsupported file type ${ext}: use .csv (UTF-8) or .xlsx`);
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

/**
 * Imports every good row (one transaction each, idempotent by the row's natural key) and reports
 * every bad one with row number, column and reason. Row numbers count the header as row 1.
 */
export async function importRows(
  service: SubgraphService,
  importer: Importer,
  rows: Record<string, string>[],
  progress: Progress = () => {},
): Promise<ImportReport> {
  const aliasToField = new Map<string, string>();
  for (const [field, aliases] of Object.entries(importer.columns)) {
    for (const a of [field, ...aliases]) aliasToField.set(normalizeHeader(a), field);
  }
  const headers = rows.length ? Object.keys(rows[0]) : [];
  const fieldToHeader = new Map<string, string>();
  const unknownHeaders: string[] = [];
  for (const h of headers) {
    const field = aliasToField.get(normalizeHeader(h));
    if (field) fieldToHeader.set(field, h);
    else unknownHeaders.push(h);
  }
  const report: ImportReport = { importer: importer.name, rows: rows.length, imported: 0, alreadyImported: 0, failed: 0, errors: [], unknownHeaders };
  const fail = (row: number, source: Record<string, string>, errs: Array<{ field: string; message: string }>) => {
    report.failed++;
    for (const e of errs) {
      const column = fieldToHeader.get(e.field) ?? e.field;
      report.errors.push({ row, column, value: source[column] ?? '', reason: e.message });
    }
  };

  for (let i = 0; i < rows.length; i++) {
    const rowNumber = i + 2;
    const source = rows[i];
    const mapped: Record<string, string> = {};
    for (const [field, header] of fieldToHeader) mapped[field] = source[header] ?? '';
    const errs = new InputErrors();
    const input = importer.parse(mapped, errs);
    if (errs.any) {
      fail(rowNumber, source, errs.errors);
    } else {
      try {
        const key = `import:${importer.name}:${importer.key(input)}`;
        const { replayed } = await importer.write(service.orm.em.fork(), input, key);
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

export function writeErrorFile(path: string, errors: RowError[]): void {
  // BOM so Excel opens the Vietnamese text as UTF-8.
  writeFileSync(path, '\uFEFF' + stringify(errors, { header: true, columns: ['row', 'column', 'value', 'reason'] }));
}
