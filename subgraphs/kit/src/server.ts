import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/core';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createRequestContext, type SubgraphContext } from './context.js';
import { verifyIdentity } from './identity.js';

export interface SubgraphServerOptions {
  name: string;
  schema: GraphQLSchema;
  orm: MikroORM;
  log: Logger;
  production: boolean;
  identitySecret: string;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Internal errors are logged with the request id and replaced by a generic message. */
export function maskError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as { originalError?: unknown })?.originalError;
    const code = formatted.extensions?.code;
    const expected = original instanceof GraphQLError || (code && code !== 'INTERNAL_SERVER_ERROR');
    if (expected || !original) return formatted;
    log.error({ err: original, path: formatted.path }, 'resolver failed');
    return { message: 'Internal error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

export async function startSubgraphServer(opts: SubgraphServerOptions, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const apollo = new ApolloServer<SubgraphContext>({
    schema: opts.schema,
    introspection: !opts.production,
    includeStacktraceInErrorResponses: false,
    formatError: maskError(opts.log),
    // No traces or usage reports for Apollo's cloud: nothing leaves the province's network.
    plugins: [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_req, res) => {
    try {
      await opts.orm.em.getConnection().execute('select 1');
      res.json({ status: 'ok', subgraph: opts.name });
    } catch {
      res.status(503).json({ status: 'unavailable', subgraph: opts.name });
    }
  });
  // Only the gateway may call: an unsigned, forged or stale identity never reaches a resolver.
  app.use('/graphql', (req, res, next) => {
    const check = verifyIdentity(req.headers, opts.identitySecret);
    if (!check.ok) {
      opts.log.warn({ reason: check.reason, ip: req.socket.remoteAddress }, 'refused call without a valid gateway signature');
      res.status(401).json({ errors: [{ message: 'Unauthenticated: this service answers only the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    res.locals.caller = check.identity;
    next();
  });
  app.use(
    '/graphql',
    express.json({ limit: '2mb' }),
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
        await new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeAllConnections();
        await apollo.stop();
      })();
      return closing;
    },
  };
}
