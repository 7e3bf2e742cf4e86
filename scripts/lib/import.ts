import { createRequestContext, DEMO_PROVINCE_CODE, InputErrors, normalizeHeader, type Identity, type Importer, type Progress, type SubgraphService } from '@pcmt/kit';
import { SqliteAuditLog, type AuditLog } from '@pcmt/gateway';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { GraphQLError } from 'graphql';
import { createHash, randomUUID } from 'node:crypto';
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
  /** Rows naming a person, each with its entry in the gateway's audit log. */
  audited: number;
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
  rows: Record<string, string>[],
  caller: ImportCaller,
  progress: Progress = () => {},
): Promise<ImportReport> {
  if (!caller.identity.scopes.includes(importScope(service.name))) {
    throw new ImportRefused(`${caller.identity.sub} may not write to ${service.name}: the import needs the scope ${importScope(service.name)}`);
  }
  const run = randomUUID();
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
  const report: ImportReport = { importer: importer.name, rows: rows.length, imported: 0, alreadyImported: 0, failed: 0, audited: 0, errors: [], unknownHeaders };
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

export function writeErrorFile(path: string, errors: RowError[]): void {
  // BOM so Excel opens the Vietnamese text as UTF-8.
  writeFileSync(path, '\uFEFF' + stringify(errors, { header: true, columns: ['row', 'column', 'value', 'reason'] }));
}
