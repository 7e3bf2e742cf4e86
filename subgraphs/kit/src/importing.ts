import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { createRequestContext } from './context.js';
import type { Identity } from './identity.js';
import { InputErrors, type FieldError } from './validation.js';
import { collectedReport, collectTouched, importCollector, type Collector, type TouchedReport } from './touched.js';
import { refreshPlannerStatistics } from './database.js';
import { z } from 'zod';

/**
 * How one kind of spreadsheet row becomes a write in a subgraph. The import command reads the
 * file, maps headers to fields, calls `parse` (strings to a typed input, collecting field errors),
 * then `write` through the same code path as the matching mutation, one transaction per row,
 * with `key` as the idempotency key so a re-run imports nothing twice.
 */
export interface Importer<I = any> {
  /** e.g. 'dose-records'; chosen with --kind when a subgraph has several. */
  name: string;
  description: string;
  /** field → accepted headers (Vietnamese and English; matched ignoring case, diacritics and spaces). */
  columns: Record<string, string[]>;
  parse(row: Record<string, string>, errs: InputErrors): I;
  /** Natural key of the row (e.g. enrolment + day), so the same record is never imported twice. */
  key(input: I): string;
  /** Returns whether the row had been imported before (nothing written this time). */
  write(em: EntityManager, input: I, idempotencyKey: string): Promise<{ replayed: boolean }>;
}

/** `Ngày cấp phát` → `ngaycapphat`: headers are matched this way. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** One spreadsheet row with its cells already keyed by the importer's fields; `row` is the sheet's own row number. */
export interface FieldRow {
  row: number;
  cells: Record<string, string>;
}

/** A row parsed without writing: what it would be refused for, or the persons it names (for the audit entry first). */
export interface RowCheck {
  row: number;
  errors: FieldError[];
  persons: string[];
}

/** A row written (or found written before: `replayed`), or refused by the write's own checks (area, lifecycle…). */
export interface RowOutcome {
  row: number;
  outcome: 'imported' | 'replayed' | 'refused';
  errors: FieldError[];
}

/** What a gateway needs to know of an importer to find a sheet's headers and write its template. */
export interface ImporterInfo {
  name: string;
  description: string;
  columns: Record<string, string[]>;
}

export const importerInfo = ({ name, description, columns }: Importer): ImporterInfo => ({ name, description, columns });

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

/** Parses a row (no database): its field errors, or the persons it names. */
export function checkImportRow(importer: Importer, { row, cells }: FieldRow): RowCheck & { input?: unknown } {
  const errs = new InputErrors();
  const input = importer.parse(cells, errs);
  if (errs.any) return { row, errors: errs.errors, persons: [] };
  return { row, errors: [], persons: [...personsNamed(input)].sort(), input };
}

/**
 * Writes one row as `identity` would through the matching mutation: the caller's area limits communes
 * and records, idempotency keys are the caller's, the row's natural key makes a re-run write nothing.
 * The row's request id is the caller's with `-row-<n>`, as its audit entry names it.
 */
export async function writeImportRow(orm: MikroORM, log: Logger, importer: Importer, fieldRow: FieldRow, identity: Identity, touched?: Collector): Promise<RowOutcome> {
  const checked = checkImportRow(importer, fieldRow);
  if (checked.errors.length) return { row: fieldRow.row, outcome: 'refused', errors: checked.errors };
  const rowIdentity: Identity = { ...identity, requestId: importRowRequestId(identity.requestId, fieldRow.row) };
  try {
    const key = `import:${importer.name}:${importer.key(checked.input)}`;
    const { em, area } = createRequestContext(orm, log, {}, rowIdentity);
    // What the row's flushes touch goes to the import's one report (the gateway's response cache).
    if (touched) collectTouched(em, touched.agency, touched);
    // Resolved before the row's transaction: on SQLite's one connection the commune list could not be read inside it.
    await area.ready;
    const { replayed } = await importer.write(em, checked.input, key);
    return { row: fieldRow.row, outcome: replayed ? 'replayed' : 'imported', errors: [] };
  } catch (err) {
    const fieldErrors = err instanceof GraphQLError ? (err.extensions.fieldErrors as FieldError[] | undefined) : undefined;
    if (fieldErrors?.length) return { row: fieldRow.row, outcome: 'refused', errors: fieldErrors };
    if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT') return { row: fieldRow.row, outcome: 'refused', errors: [{ field: String(err.extensions.field ?? ''), message: err.message }] };
    throw err;
  }
}

/** The request id of one row of an import: in the audit entry, the subgraph's logs and the idempotency record alike. */
export const importRowRequestId = (requestId: string, row: number) => `${requestId}-row-${row}`;

/** Rows one call of the import route takes: the gateway sends a file in batches of fewer. */
export const IMPORT_ROUTE_MAX_ROWS = 500;

const fieldRows = z.array(z.object({ row: z.number().int().positive(), cells: z.record(z.string(), z.string().max(10_000)) })).max(IMPORT_ROUTE_MAX_ROWS);
const importCall = z.discriminatedUnion('op', [
  z.object({ op: z.literal('describe') }),
  z.object({ op: z.enum(['check', 'write']), importer: z.string(), rows: fieldRows }),
]);

/**
 * POST /import on every subgraph, behind the gateway's signature (audience, body hash, nonce, expiry):
 * `describe` lists the importers; `check` parses rows and names their persons (the gateway audits them);
 * `write` writes them as the signed caller, who needs this subgraph's write scope, as for its mutations.
 */
export function importRoute(subgraph: string, importers: Importer[], orm: MikroORM, log: Logger): RequestHandler {
  return async (req, res, next) => {
    const identity = res.locals.caller as Identity;
    const call = importCall.safeParse(req.body);
    if (!call.success) return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'malformed import call' } });
    if (call.data.op === 'describe') return void res.json({ importers: importers.map(importerInfo) });
    if (!identity.scopes.includes(`${subgraph}:write`)) {
      return void res.status(403).json({ error: { code: 'FORBIDDEN', message: `the import needs the scope ${subgraph}:write` } });
    }
    const { importer: name, rows, op } = call.data;
    const importer = importers.find((i) => i.name === name);
    if (!importer) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: `no importer ${name} in ${subgraph}` } });
    try {
      if (op === 'check') {
        return void res.json({ rows: rows.map((r): RowCheck => {
          const { errors, persons } = checkImportRow(importer, r);
          return { row: r.row, errors, persons };
        }) });
      }
      const out: RowOutcome[] = [];
      const touched = importCollector(orm, subgraph);
      // One row at a time, each its own transaction, as the command line does.
      for (const r of rows) out.push(await writeImportRow(orm, log, importer, r, identity, touched));
      // A big import can change which index serves a figure best (database.ts).
      await refreshPlannerStatistics(orm, 'imported').catch((err) => log.warn({ err: (err as Error).message }, 'planner statistics not refreshed'));
      // What the rows touched (touched.ts), for the gateway's response cache: a call that fails says nothing, and the gateway drops the subgraph whole.
      const report = await collectedReport(touched, orm).catch((): TouchedReport => ({ all: true, changes: [] }));
      res.json({ rows: out, touched: report });
    } catch (err) {
      next(err);
    }
  };
}
