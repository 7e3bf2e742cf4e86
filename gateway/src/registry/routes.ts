import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Caller } from '../auth.js';
import { Registry, RegistryError } from './registry.js';

const subgraphBody = z.object({
  sdl: z.string().min(1),
  routingUrl: z.string().min(1),
  reason: z.string().max(2000).optional(),
  force: z.boolean().optional(),
});
const rollbackBody = z.object({ version: z.number().int().positive(), reason: z.string().max(2000).optional(), force: z.boolean().optional() });
const clientBody = z.object({
  version: z.string().optional(),
  // Source texts, or { id, body } pairs as graphql-codegen's persisted documents give them.
  documents: z.array(z.union([z.string().min(1), z.object({ id: z.string().optional(), body: z.string().min(1) })])).min(1),
});

/**
 * The registry over HTTP, for agencies' build pipelines. Publishing needs the `registry:publish`
 * scope, and an agency publishes only its own subgraphs and clients (the token's `agency`).
 */
export function registryRouter(registry: Registry, onChange: () => Promise<void>, log: Logger): Router {
  const router = express.Router();
  const caller = (res: express.Response): Caller => res.locals.caller;
  const publisherOnly: express.RequestHandler = (_req, res, next) => {
    if (caller(res).scopes.includes('registry:publish')) return next();
    res.status(403).json({ error: 'publishing needs a publisher credential (scope registry:publish) of the agency' });
  };
  const readers: express.RequestHandler = (_req, res, next) => {
    const scopes = caller(res).scopes;
    if (scopes.includes('registry:publish') || scopes.includes('operations:adhoc')) return next();
    res.status(403).json({ error: 'the changelog is for publishers and analysts' });
  };
  const handle =
    (fn: (req: express.Request, res: express.Response) => Promise<{ accepted: boolean; unchanged?: boolean } & object>): express.RequestHandler =>
    async (req, res) => {
      try {
        const report = await fn(req, res);
        if (report.accepted && !report.unchanged) await onChange();
        log.info({ path: req.path, by: caller(res).sub, agency: caller(res).agency, accepted: report.accepted }, 'registry publish');
        res.status(report.accepted ? 200 : 409).json(report);
      } catch (err) {
        if (err instanceof RegistryError) return void res.status(err.status).json({ error: err.message });
        if (err instanceof z.ZodError) return void res.status(400).json({ error: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
        log.error({ err }, 'registry request failed');
        res.status(500).json({ error: 'Internal error' });
      }
    };

  router.post(
    '/subgraphs/:name',
    publisherOnly,
    handle(async (req, res) => {
      const body = subgraphBody.parse(req.body);
      return registry.publishSubgraph({ name: String(req.params.name), agency: caller(res).agency, sdl: body.sdl, routingUrl: body.routingUrl, reason: body.reason, force: body.force, publishedBy: caller(res).sub });
    }),
  );
  router.post(
    '/subgraphs/:name/rollback',
    publisherOnly,
    handle(async (req, res) => {
      const body = rollbackBody.parse(req.body);
      return registry.rollbackSubgraph({ name: String(req.params.name), version: body.version, agency: caller(res).agency, reason: body.reason, force: body.force, publishedBy: caller(res).sub });
    }),
  );
  router.post(
    '/clients/:client',
    publisherOnly,
    handle(async (req, res) => {
      const body = clientBody.parse(req.body);
      const documents = body.documents.map((d) => (typeof d === 'string' ? { body: d } : d));
      return registry.publishClient({ client: String(req.params.client), agency: caller(res).agency, version: body.version, documents, publishedBy: caller(res).sub });
    }),
  );
  router.get('/changelog', readers, async (req, res) => {
    res.json(await registry.changelog(typeof req.query.subgraph === 'string' ? req.query.subgraph : undefined));
  });
  router.get('/clients', readers, async (_req, res) => {
    res.json(await registry.clients());
  });
  return router;
}
