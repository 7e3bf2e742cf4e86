import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/core';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { createServer, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { createRequestContext, type SubgraphContext } from './context.js';
import { requestScope } from './turns.js';
import type { Readiness } from './database.js';
import { checkSignature, MemoryReplayGuard, verifySubgraphRequest, type ReplayGuard } from './identity.js';
import { importRoute, type Importer } from './importing.js';
import { schemaValueFieldError, type FieldError } from './validation.js';
import { checkPeriodFields, collectTouched, TOUCHED_HEADER, touchedReport, watchTouched } from './touched.js';

export interface SubgraphServerOptions {
  name: string;
  schema: GraphQLSchema;
  orm: MikroORM;
  log: Logger;
  production: boolean;
  identitySecret: string;
  /** Nonces of answered calls; this process's memory by default. The owner closes it. */
  replay?: ReplayGuard;
  /** How long `close()` waits for running requests before cutting them (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
  /** What `/ready` reports; by default the database answering `select 1`. */
  readiness?: () => Promise<Readiness>;
  /** The spreadsheet importers the gateway's upload page runs here (POST /import, signed like /graphql). */
  importers?: Importer[];
}

type RawBodyRequest = express.Request & { rawBody?: Buffer };

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Internal errors are logged with the request id and replaced by a generic message; a value the
 * schema refuses (a malformed date…) becomes a field error like the writes' own.
 */
export function maskError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const fieldError = schemaValueFieldError(formatted, error);
    if (fieldError) return asFieldErrors(formatted, [fieldError]);
    const original = (error as { originalError?: unknown })?.originalError;
    const code = formatted.extensions?.code;
    const expected = original instanceof GraphQLError || (code && code !== 'INTERNAL_SERVER_ERROR');
    if (expected || !original) return formatted;
    log.error({ err: original, path: formatted.path }, 'resolver failed');
    return { message: 'Internal error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

function asFieldErrors(formatted: GraphQLFormattedError, fieldErrors: FieldError[]): GraphQLFormattedError {
  const summary = fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return { message: `Invalid input — ${summary}`, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT', field: fieldErrors[0].field, fieldErrors } };
}

/** Several refusals of the schema's (two malformed dates) answer as one error listing them all, like a write's checks. */
function mergeFieldErrors(errors: readonly GraphQLFormattedError[]): readonly GraphQLFormattedError[] {
  const fieldErrors = (e: GraphQLFormattedError) => (e.extensions?.code === 'BAD_USER_INPUT' && Array.isArray(e.extensions.fieldErrors) && !e.path ? (e.extensions.fieldErrors as FieldError[]) : null);
  if (errors.length < 2 || !errors.every(fieldErrors)) return errors;
  return [asFieldErrors(errors[0], errors.flatMap((e) => fieldErrors(e)!))];
}

export async function startSubgraphServer(opts: SubgraphServerOptions, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const apollo = new ApolloServer<SubgraphContext>({
    schema: opts.schema,
    introspection: !opts.production,
    includeStacktraceInErrorResponses: false,
    formatError: maskError(opts.log),
    // Shutdown is ours (close() drains): Apollo's handler would stop and re-raise the signal mid-request.
    stopOnTerminationSignals: false,
    // Compact JSON to the gateway: Apollo's default indents every answer (more CPU and bytes each way).
    stringifyResult: (result) => JSON.stringify(result),
    plugins: [
      // No traces or usage reports for Apollo's cloud: nothing leaves the province's network.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are read anywhere, and its hook ran on every field (a heavy answer has 100,000).
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart({ contextValue }) {
          // The gateway's response cache drops only answers whose places and periods a write touched (touched.ts).
          if (contextValue?.em) collectTouched(contextValue.em, opts.name);
          return {
            async willSendResponse({ response, operation }) {
              if (response.body.kind === 'single' && response.body.singleResult.errors && response.body.singleResult.data === undefined) {
                response.body.singleResult.errors = mergeFieldErrors(response.body.singleResult.errors);
              }
              if (operation?.operation === 'mutation' && contextValue?.em) {
                const touched = await touchedReport(contextValue.em, opts.orm).catch(() => ({ all: true as const, changes: [] }));
                if (touched) response.http.headers.set(TOUCHED_HEADER, JSON.stringify(touched));
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  watchTouched(opts.orm);
  const unplaced = checkPeriodFields(opts.name, opts.schema);
  if (unplaced.length) opts.log.warn({ fields: unplaced }, 'period-type fields not declared as figures: every write of this subgraph drops all its cached answers');

  const graceMs = opts.shutdownGraceMs ?? 10_000;
  const readiness = opts.readiness ?? (async (): Promise<Readiness> => {
    await opts.orm.em.getConnection().execute('select 1');
    return { ready: true };
  });
  // Requests being answered: close() waits for them before it closes any connection.
  const running = new Set<ServerResponse>();
  let draining = false;
  let drained: (() => void) | null = null;

  const app = express();
  app.disable('x-powered-by');
  // Alive: the process answers. No database call, so a database outage never gets it restarted.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', subgraph: opts.name });
  });
  // Ready for traffic: the database answers and its migrations are exactly the code's.
  app.get('/ready', async (_req, res) => {
    const state = draining ? { ready: false as const, reason: 'shutting down' } : await readiness().catch((err): Readiness => ({ ready: false, reason: `database unavailable: ${(err as Error)?.message}` }));
    if (state.ready) res.json({ status: 'ready', subgraph: opts.name });
    else res.status(503).json({ status: 'unavailable', subgraph: opts.name, reason: state.reason });
  });
  app.use((_req, res, next) => {
    if (draining) {
      // Arrived on a kept-alive connection after close(): the caller retries elsewhere.
      res.setHeader('connection', 'close');
      res.status(503).json({ errors: [{ message: 'Service is shutting down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      return;
    }
    running.add(res);
    const done = () => {
      running.delete(res);
      if (draining && running.size === 0) drained?.();
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  });
  // Only the gateway may call, each signed call once: nothing unsigned, forged, stale, meant for
  // another subgraph, for another body or already answered reaches a resolver.
  const replay = opts.replay ?? new MemoryReplayGuard();
  const refuse = (req: express.Request, res: express.Response, reason: string) => {
    opts.log.warn({ reason, ip: req.socket.remoteAddress }, 'refused call without a valid gateway signature');
    res.status(401).json({ errors: [{ message: 'Unauthenticated: this service answers only the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
  };
  // The gateway's signature, checked as a whole: the same for /graphql and the import route.
  const signedOnly: express.RequestHandler[] = [
    // The signature first, so a forged call's body is never parsed.
    (req, res, next) => {
      const signed = checkSignature(req.headers, opts.identitySecret);
      if (signed.ok) return next();
      refuse(req, res, signed.reason);
    },
    // The raw bytes are what the gateway hashed: kept for the check below.
    express.json({ limit: '2mb', verify: (req, _res, buf) => void ((req as RawBodyRequest).rawBody = buf) }),
    (req, res, next) => {
      verifySubgraphRequest(req.headers, (req as RawBodyRequest).rawBody, { audience: opts.name, secret: opts.identitySecret, replay }).then((check) => {
        if (!check.ok) return refuse(req, res, check.reason);
        res.locals.caller = check.identity;
        next();
      }, next);
    },
  ];
  app.post('/import', ...signedOnly, importRoute(opts.name, opts.importers ?? [], opts.orm, opts.log));
  app.use(
    '/graphql',
    ...signedOnly,
    // Statements the request starts are counted for it (its context, once made): loaders batch by rounds (kit turns.ts).
    (_req, _res, next) => requestScope.run({}, next),
    expressMiddleware(apollo, { context: async ({ req, res }) => createRequestContext(opts.orm, opts.log, req.headers, res.locals.caller) }),
  );

  app.use((err: any, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) opts.log.error({ err }, 'request failed');
    res.status(status).json({ errors: [{ message: status === 500 ? 'Internal error' : 'Malformed request', extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });

  const http: Server = createServer(app);
  await new Promise<void>((resolve) => http.listen(port, host, resolve));
  const actual = (http.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${actual}/graphql`,
    port: actual,
    close() {
      // Idempotent: resilience tests stop a subgraph that the harness stops again later.
      closing ??= (async () => {
        draining = true;
        // Stop accepting; connections with no request in flight close now, the others after their answer.
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        for (const res of running) if (!res.headersSent) res.setHeader('connection', 'close');
        http.closeIdleConnections();
        if (running.size > 0) {
          const abort = new AbortController();
          const allAnswered = new Promise<void>((resolve) => (drained = resolve));
          await Promise.race([allAnswered, sleep(graceMs, undefined, { signal: abort.signal }).catch(() => {})]);
          abort.abort();
          if (running.size > 0) opts.log.warn({ cut: running.size, graceMs }, 'shutdown grace expired: cutting requests still running');
        }
        http.closeAllConnections();
        await closed;
        await apollo.stop();
      })();
      return closing;
    },
  };
}
