// Running a sheet's rows into a subgraph as an identified caller, the same for `npm run import` (the
// subgraph in-process) and the upload page (the subgraph's signed POST /import): rows parsed, the
// persons they name written to the audit log, then the rows written with the caller's identity.
import { checkImportRow, DEMO_PROVINCE_CODE, importRowRequestId, normalizeHeader, writeImportRow, type FieldRow, type Identity, type Importer, type ImporterInfo, type Progress, type RowCheck, type RowOutcome, type SubgraphService } from '@pcmt/kit';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SqliteAuditLog, type AuditLog } from '../audit.js';
import { explainInVietnamese } from './messages.js';
import { ImportRefused, type RowError, type Sheet, type SkippedRow } from './sheet.js';

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

/** Who imports, and where their entries go: the import writes as a mutation by that caller would. */
export interface ImportCaller {
  /** The verified token's identity (or a named operator's, outside production). */
  identity: Omit<Identity, 'exp' | 'requestId' | 'purpose'>;
  purpose: string;
  /** The gateway's audit log: a row naming a person is written only after its entry is. */
  audit: AuditLog;
  /** Names the file in the audit entries (`import <subgraph>/<importer>`, with its sha256). */
  source: { name: string; sha256: string };
  /** Ties the rows' entries and logs together; `import-<uuid>` when not given. */
  requestId?: string;
}

/** Where the rows go: the subgraph's own code, in this process or behind its import route. */
export interface ImportTarget {
  subgraph: string;
  importer: ImporterInfo;
  check(rows: FieldRow[], identity: Identity): Promise<RowCheck[]>;
  write(rows: FieldRow[], identity: Identity): Promise<RowOutcome[]>;
  /** Rows per round trip (audit entries of a batch are written before any of its rows). */
  batch: number;
}

/** The write scope a caller needs to import into `subgraph`: the one its mutations are tagged with. */
export const importScope = (subgraph: string) => `${subgraph}:write`;

export const sha256Of = (file: string) => sha256OfBytes(readFileSync(file));
export const sha256OfBytes = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The subgraph in this process (the command line): its importer's own parse and write. */
export function localTarget(service: SubgraphService, importer: Importer): ImportTarget {
  return {
    subgraph: service.name,
    importer,
    batch: 1,
    check: async (rows) => rows.map((r) => {
      const { errors, persons } = checkImportRow(importer, r);
      return { row: r.row, errors, persons };
    }),
    write: async (rows, identity) => {
      const out: RowOutcome[] = [];
      for (const r of rows) out.push(await writeImportRow(service.orm, service.log, importer, r, identity));
      return out;
    },
  };
}

/**
 * Imports every good row (one transaction each, idempotent by the row's natural key) and reports
 * every bad one with row number, the sheet's own column header and the reason (in Vietnamese too).
 *
 * Each row is written as the caller's mutation would be: with the caller's identity, so the caller's
 * area limits communes and records (a row outside it is refused like the mutation), idempotency keys
 * are the caller's, and a row naming a person is audited before it is written (no entry, no write:
 * the import stops).
 */
export async function runImport(target: ImportTarget, input: Record<string, string>[] | Sheet, caller: ImportCaller, progress: Progress = () => {}): Promise<ImportReport> {
  // Plain records count the header as row 1.
  const sheet: Sheet = Array.isArray(input) ? { headerRow: 1, records: input.map((cells, i) => ({ row: i + 2, cells })), skipped: [] } : input;
  const rows = sheet.records;
  if (!caller.identity.scopes.includes(importScope(target.subgraph))) {
    throw new ImportRefused(`${caller.identity.sub} may not write to ${target.subgraph}: the import needs the scope ${importScope(target.subgraph)}`);
  }
  const { importer } = target;
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
  const report: ImportReport = { importer: importer.name, rows: rows.length, imported: 0, alreadyImported: 0, failed: 0, audited: 0, errors: [], unknownHeaders, headerRow: sheet.headerRow, skipped: sheet.skipped };
  const sources = new Map(rows.map((r) => [r.row, r.cells]));
  const fail = (row: number, errs: Array<{ field: string; message: string }>) => {
    report.failed++;
    const source = sources.get(row) ?? {};
    for (const e of errs) {
      const column = fieldToHeader.get(e.field) ?? e.field;
      report.errors.push({ row, column, value: source[column] ?? '', reason: e.message, explanation: explainInVietnamese(column, e.message) });
    }
  };
  const requestId = caller.requestId ?? `import-${randomUUID()}`;
  // exp: the in-process target signs nothing; the route's client signs each call with its own expiry.
  const identity: Identity = { ...caller.identity, purpose: caller.purpose, requestId, exp: 0 };
  const mapped: FieldRow[] = rows.map(({ row, cells }) => {
    const fields: Record<string, string> = {};
    for (const [field, header] of fieldToHeader) fields[field] = cells[header] ?? '';
    return { row, cells: fields };
  });

  for (let start = 0; start < mapped.length; start += target.batch) {
    const batch = mapped.slice(start, start + target.batch);
    const checks = await target.check(batch, identity);
    const good = new Set<number>();
    for (const c of checks) {
      if (c.errors.length) {
        fail(c.row, c.errors);
        continue;
      }
      good.add(c.row);
      if (!c.persons.length) continue;
      // Before the write, as the gateway does for a sensitive write: refused or not, the attempt is on record.
      await caller.audit.append({
        at: new Date().toISOString(),
        subject: identity.sub,
        agency: identity.agency,
        roles: identity.roles,
        purpose: caller.purpose,
        requestId: importRowRequestId(requestId, c.row),
        operationName: `import ${target.subgraph}/${importer.name} ${caller.source.name} row ${c.row}`,
        operationHash: caller.source.sha256,
        persons: c.persons,
        fields: [`import:${target.subgraph}/${importer.name}`],
      });
      report.audited++;
    }
    const toWrite = batch.filter((r) => good.has(r.row));
    if (toWrite.length) {
      for (const o of await target.write(toWrite, identity)) {
        if (o.outcome === 'refused') fail(o.row, o.errors);
        else if (o.outcome === 'replayed') report.alreadyImported++;
        else report.imported++;
      }
    }
    progress('rows', Math.min(start + batch.length, mapped.length), mapped.length);
  }
  // Rows in the sheet's order, whichever phase refused them.
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}

/** The command line's import: the subgraph's service in this process. */
export function importRows(service: SubgraphService, importer: Importer, input: Record<string, string>[] | Sheet, caller: ImportCaller, progress?: Progress): Promise<ImportReport> {
  return runImport(localTarget(service, importer), input, caller, progress);
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
