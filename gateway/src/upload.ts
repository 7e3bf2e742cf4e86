// The officer upload page (/import): a clerk's spreadsheet through the gateway, as the caller. The
// gateway authenticates as for /graphql, checks the importer's write scope, reads the sheet with
// the command line's code (import/), writes the audit entry of every row naming a person, and has
// the agency's subgraph parse and write the rows through its signed POST /import (audience, body
// hash, nonce, expiry: the trust boundary of /graphql), so its area checks and idempotency apply.
import { type FieldRow, type Identity, type ImporterInfo, type RowCheck, type RowOutcome } from '@pcmt/kit';
import { signSubgraphRequest } from '@pcmt/kit/identity';
import { SUBGRAPHS } from '@pcmt/kit/subgraph-list';
import express, { type Router } from 'express';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { AuditLog } from './audit.js';
import type { Caller } from './auth.js';
import { changesOf, type DataChange } from './response-cache.js';
import { importScope, runImport, sha256OfBytes, type ImportTarget } from './import/run.js';
import { errorsCsv, formatOfName, ImportRefused, sheetOf, tableOf, templateBytes, type SheetFormat } from './import/sheet.js';

const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/** Largest file accepted: a year of a district's records is well under 2 MB. */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
/** Most records in one file: beyond it, split the file (one upload holds one request). */
export const UPLOAD_MAX_ROWS = 20_000;
/** Rows per call to the subgraph: progress is reported per batch; the audit entries of a batch come before its writes. */
const BATCH = 25;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// Browsers label a .csv by the machine's settings: text/csv, or Excel's type on Windows with Office.
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

export interface UploadOptions {
  /** The gateway's own check of /graphql: a token or a signed-in session, and the purpose header. */
  authenticate: express.RequestHandler;
  audit: AuditLog;
  identitySecret: string;
  /** The subgraph's /graphql address, as the gateway calls it; null for a name it does not serve. */
  subgraphUrl(name: string): string | null;
  /**
   * After an import: cached answers that count what the rows touched (`changes`, as the subgraph
   * reported them), or without `changes` any that read the subgraph, are no longer served.
   */
  dataChanged(subgraphs: string[], changes?: DataChange[]): Promise<void>;
  log: Logger;
  maxBytes?: number;
  maxRows?: number;
  /** One call to the subgraph (a batch of rows). */
  timeoutMs?: number;
}

/** A refusal the page shows: Vietnamese for the clerk, English for the agency's IT. */
class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly vi: string,
    en: string,
  ) {
    super(en);
  }
}

/** The subgraph's answer was not a success: its own refusal (403, 404) or a failure. */
class SubgraphCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const agencyOf = (name: string) => SUBGRAPHS.find((s) => s.name === name)?.agency ?? { vi: name, en: name };

function identityOf(caller: Caller, purpose: string | null, requestId: string): Identity {
  const { sub, agency, roles, scopes, communes, province, project } = caller;
  return { sub, agency, roles, scopes, communes, province, project, purpose, requestId, exp: 0 };
}

export function uploadRouter(opts: UploadOptions): Router {
  const maxBytes = opts.maxBytes ?? UPLOAD_MAX_BYTES;
  const maxRows = opts.maxRows ?? UPLOAD_MAX_ROWS;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const router = express.Router();

  /** One signed call to a subgraph's import route, bound to that subgraph, this body and this moment. */
  async function call<T>(subgraph: string, body: object, identity: Identity): Promise<T> {
    const base = opts.subgraphUrl(subgraph);
    if (!base) throw new SubgraphCallError(404, `no subgraph ${subgraph}`);
    const text = JSON.stringify(body);
    // exp left to the signer: each call gets its own short expiry.
    const headers = { 'content-type': 'application/json', ...signSubgraphRequest({ ...identity, exp: undefined }, { audience: subgraph, body: text }, opts.identitySecret) };
    let res: Response;
    try {
      res = await fetch(new URL('/import', base), { method: 'POST', headers, body: text, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new SubgraphCallError(503, `${subgraph} did not answer: ${(err as Error).message}`);
    }
    const answer = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!res.ok) throw new SubgraphCallError(res.status, answer.error?.message ?? `${subgraph} answered ${res.status}`);
    return answer as T;
  }

  const describe = async (subgraph: string, identity: Identity) => (await call<{ importers: ImporterInfo[] }>(subgraph, { op: 'describe' }, identity)).importers;

  /** The caller's right to import into the subgraph: the write scope its mutations need. */
  function mayWrite(caller: Caller, subgraph: string): void {
    if (!opts.subgraphUrl(subgraph)) throw new UploadError(404, 'NOT_FOUND', `Không có đơn vị ${subgraph}`, `no subgraph named ${subgraph}`);
    if (!caller.scopes.includes(importScope(subgraph))) {
      throw new UploadError(
        403,
        'FORBIDDEN',
        `Vai trò của bạn (${caller.roles.join(', ')}) không được nhập dữ liệu vào hệ thống của ${agencyOf(subgraph).vi}: cần quyền ${importScope(subgraph)}`,
        `your role (${caller.roles.join(', ')}) may not write to ${subgraph}: the import needs the scope ${importScope(subgraph)}`,
      );
    }
  }

  async function importerOf(subgraph: string, name: string, identity: Identity): Promise<ImporterInfo> {
    const importer = (await describe(subgraph, identity)).find((i) => i.name === name);
    if (!importer) throw new UploadError(404, 'NOT_FOUND', `${agencyOf(subgraph).vi} không có mẫu nhập «${name}»`, `${subgraph} has no importer ${name}`);
    return importer;
  }

  const fail = (res: express.Response, err: unknown) => {
    const requestId = res.locals.requestId;
    const e =
      err instanceof UploadError
        ? err
        : err instanceof ImportRefused
          ? new UploadError(400, 'BAD_REQUEST', err.message, err.message)
          : err instanceof SubgraphCallError
            ? err.status === 403 || err.status === 404
              ? new UploadError(err.status, err.status === 403 ? 'FORBIDDEN' : 'NOT_FOUND', err.message, err.message)
              : new UploadError(503, 'SUBGRAPH_UNAVAILABLE', 'Hệ thống của cơ quan không trả lời; các dòng đã ghi được giữ nguyên, hãy tải lại tệp sau', err.message)
            : new UploadError(503, 'AUDIT_UNAVAILABLE', 'Không ghi được nhật ký truy cập nên chưa ghi dòng nào tiếp theo; hãy thử lại sau', 'the import stopped: ' + ((err as Error)?.message ?? 'internal error'));
    if (e.status >= 500) opts.log.error({ err, requestId }, 'upload failed');
    const body = { error: { code: e.code, message: e.message, messageVi: e.vi, requestId } };
    if (res.headersSent) {
      res.end(JSON.stringify({ type: 'error', ...body }) + '\n');
      return;
    }
    res.status(e.status).json(body);
  };

  router.get('/import', (_req, res) => res.sendFile(join(PUBLIC, 'import.html')));
  router.get('/import/import.js', (_req, res) => res.sendFile(join(PUBLIC, 'import.js')));

  // The importers this caller may run: only the subgraphs whose write scope the caller holds.
  router.get('/import/api/importers', opts.authenticate, async (_req, res) => {
    const caller: Caller = res.locals.caller;
    const identity = identityOf(caller, null, res.locals.requestId);
    const writable = SUBGRAPHS.filter((s) => caller.scopes.includes(importScope(s.name)) && opts.subgraphUrl(s.name));
    const subgraphs = await Promise.all(
      writable.map(async (s) => {
        try {
          const importers = await describe(s.name, identity);
          return { name: s.name, agency: s.agency, importers: importers.map((i) => ({ name: i.name, description: i.description, columns: Object.values(i.columns).map((a) => a[0]) })) };
        } catch (err) {
          opts.log.warn({ subgraph: s.name, err: (err as Error).message }, 'importers not listed');
          return { name: s.name, agency: s.agency, importers: [], unavailable: true };
        }
      }),
    );
    res.setHeader('cache-control', 'no-store');
    res.json({ caller: { sub: caller.sub, roles: caller.roles, communes: caller.communes, province: caller.province }, limits: { maxBytes, maxRows }, subgraphs: subgraphs.filter((s) => s.importers.length || s.unavailable) });
  });

  // The workbook `npm run import -- <subgraph> --template` writes.
  router.get('/import/api/template/:subgraph/:importer', opts.authenticate, async (req, res) => {
    try {
      const subgraph = String(req.params.subgraph);
      mayWrite(res.locals.caller, subgraph);
      const importer = await importerOf(subgraph, String(req.params.importer), identityOf(res.locals.caller, null, res.locals.requestId));
      res.setHeader('content-disposition', `attachment; filename="mau-${subgraph}-${importer.name}.xlsx"`);
      res.type(XLSX_TYPE).send(await templateBytes(subgraph, importer));
    } catch (err) {
      fail(res, err);
    }
  });

  router.post(
    '/import/api/upload/:subgraph/:importer',
    opts.authenticate,
    // Who and what before the body is read: a role without the write scope sends its file for nothing.
    (req, res, next) => {
      try {
        mayWrite(res.locals.caller, String(req.params.subgraph));
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        const name = typeof req.query.name === 'string' ? req.query.name : '';
        const format: SheetFormat | null = formatOfName(name) ?? (type === XLSX_TYPE ? 'xlsx' : CSV_TYPES.includes(type) ? 'csv' : null);
        if (!format || !(type === XLSX_TYPE || CSV_TYPES.includes(type) || type === 'application/octet-stream')) {
          const old = /\.xls$/i.test(name) ? ' (Excel 97–2003 .xls: lưu lại thành .xlsx)' : '';
          throw new UploadError(415, 'UNSUPPORTED_MEDIA_TYPE', `Chỉ nhận tệp Excel .xlsx hoặc .csv (UTF-8)${old}`, `send an .xlsx workbook or a UTF-8 .csv (content-type ${XLSX_TYPE} or text/csv), not ${type || 'no content-type'}${name ? ` (${name})` : ''}`);
        }
        const length = Number(req.headers['content-length'] ?? 0);
        if (length > maxBytes) throw tooLarge(maxBytes);
        res.locals.upload = { format, name: name || `upload.${format}` };
        next();
      } catch (err) {
        fail(res, err);
      }
    },
    express.raw({ type: () => true, limit: maxBytes }),
    async (req, res) => {
      const caller: Caller = res.locals.caller;
      const subgraph = String(req.params.subgraph);
      const { format, name } = res.locals.upload as { format: SheetFormat; name: string };
      const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const requestId: string = res.locals.requestId;
      const purpose: string = res.locals.purpose ?? `spreadsheet import: ${name}`;
      // The page asks for a stream: progress lines while the rows go, then the result line.
      const streaming = String(req.headers.accept ?? '').includes('application/x-ndjson');
      try {
        const base = identityOf(caller, purpose, requestId);
        const importer = await importerOf(subgraph, String(req.params.importer), base);
        if (!bytes.length) throw new UploadError(400, 'BAD_REQUEST', 'Tệp rỗng', 'the file is empty');
        // What the name says must be what the bytes are: an .xlsx is a zip, a CSV is text.
        const zip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
        if ((format === 'xlsx') !== zip || (format === 'csv' && bytes.subarray(0, 4096).includes(0))) {
          throw new UploadError(415, 'UNSUPPORTED_MEDIA_TYPE', format === 'xlsx' ? 'Tệp không phải là bảng tính Excel .xlsx' : 'Tệp không phải là tệp văn bản .csv', `the file is not ${format === 'xlsx' ? 'an .xlsx workbook' : 'a text .csv file'}`);
        }
        const sheet = sheetOf(await tableOf(bytes, format), importer);
        // What the written rows touched, batch by batch (kit touched.ts through the import route).
        const touched: DataChange[] = [];
        let whole = false;
        if (sheet.records.length > maxRows) {
          throw new UploadError(413, 'TOO_MANY_ROWS', `Tệp có ${sheet.records.length} dòng, nhiều hơn ${maxRows}: hãy chia thành nhiều tệp`, `${sheet.records.length} rows, more than ${maxRows}: split the file`);
        }
        const target: ImportTarget = {
          subgraph,
          importer,
          batch: BATCH,
          check: async (rows: FieldRow[], identity) => (await call<{ rows: RowCheck[] }>(subgraph, { op: 'check', importer: importer.name, rows }, identity)).rows,
          write: async (rows: FieldRow[], identity) => {
            // Until its report is read, a call may have written rows nobody placed: the subgraph as a whole.
            let placed = false;
            try {
              const answer = await call<{ rows: RowOutcome[]; touched?: unknown }>(subgraph, { op: 'write', importer: importer.name, rows }, identity);
              const changes = changesOf(subgraph, answer.touched);
              if (changes) {
                touched.push(...changes);
                placed = true;
              }
              return answer.rows;
            } finally {
              if (!placed) whole = true;
            }
          },
        };
        const sha256 = sha256OfBytes(bytes);
        if (streaming) {
          res.status(200).type('application/x-ndjson').setHeader('cache-control', 'no-store');
          res.write(JSON.stringify({ type: 'progress', done: 0, total: sheet.records.length }) + '\n');
        }
        let report;
        try {
          report = await runImport(target, sheet, { identity: base, purpose, audit: opts.audit, source: { name, sha256 }, requestId }, (_step, done, total) => {
            if (streaming) res.write(JSON.stringify({ type: 'progress', done, total }) + '\n');
          });
        } finally {
          // Gateways stop serving cached answers that count the rows written, whatever was written before a stop.
          await opts.dataChanged([subgraph], whole ? undefined : touched).catch((err) => opts.log.error({ err: (err as Error).message, subgraph }, 'response cache not told of an import; cached answers expire within RESPONSE_CACHE_TTL_SECONDS'));
        }
        opts.log.info({ requestId, sub: caller.sub, subgraph, importer: importer.name, rows: report.rows, imported: report.imported, refused: report.failed }, 'spreadsheet imported');
        const result = {
          subgraph,
          importer: importer.name,
          file: name,
          sha256,
          requestId,
          headerRow: report.headerRow,
          rows: report.rows,
          imported: report.imported,
          alreadyImported: report.alreadyImported,
          refused: report.failed,
          audited: report.audited,
          skipped: report.skipped,
          unknownHeaders: report.unknownHeaders,
          errors: report.errors,
          // The file the command line writes beside the sheet (<file>.errors.csv), byte for byte.
          errorsCsv: report.errors.length ? errorsCsv(report.errors) : null,
        };
        if (streaming) res.end(JSON.stringify({ type: 'result', ...result }) + '\n');
        else res.json(result);
      } catch (err) {
        fail(res, err);
      }
    },
  );

  // The body parser's refusals (too large, aborted) as the page's errors.
  router.use('/import/api', (err: any, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (err?.type === 'entity.too.large' || err?.status === 413) return fail(res, tooLarge(maxBytes));
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) return fail(res, new UploadError(400, 'BAD_REQUEST', 'Không nhận được tệp', 'the file did not arrive whole'));
    next(err);
  });
  return router;
}

function tooLarge(maxBytes: number): UploadError {
  const mb = Math.round(maxBytes / 1024 / 1024);
  return new UploadError(413, 'PAYLOAD_TOO_LARGE', `Tệp lớn hơn ${mb} MB: hãy chia thành nhiều tệp`, `the file is larger than ${mb} MB: split it`);
}

/** Each subgraph's address in a supergraph (`@join__graph(name: …, url: …)`): where the gateway calls it. */
export function subgraphUrlsOf(supergraphSdl: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of supergraphSdl.matchAll(/@join__graph\(\s*name:\s*"([^"]+)"\s*,?\s*url:\s*"([^"]*)"\s*\)/g)) if (m[2]) out[m[1]] = m[2];
  return out;
}
