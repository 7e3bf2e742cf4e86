import express, { type Router } from 'express';
import { Kind, parse } from 'graphql';
import { BoundaryStore, generateBoundaries } from './boundaries.js';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PUBLIC = join(here, '..', 'public');
const require = createRequire(import.meta.url);

/** The dashboard's typed client (npm run clients:generate): its persisted documents, by registry id. */
const DASHBOARD_DOCUMENTS = join(here, '..', '..', 'clients', 'dashboard', 'persisted-documents.json');

/** operationName → `sha256:<hex>` of the dashboard's persisted documents, or null when none were generated. */
function dashboardDocumentIds(): Record<string, string> | null {
  if (!existsSync(DASHBOARD_DOCUMENTS)) return null;
  const manifest = JSON.parse(readFileSync(DASHBOARD_DOCUMENTS, 'utf8')) as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [id, body] of Object.entries(manifest)) {
    const op = parse(body).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (op?.name) out[op.name.value] = id;
  }
  return out;
}

/** Front-end libraries served from node_modules: the pages work with no network beyond the gateway. */
const VENDOR: Record<string, { pkg: string; file: string }> = {
  'chart.umd.min.js': { pkg: 'chart.js', file: 'dist/chart.umd.min.js' },
  'exceljs.min.js': { pkg: 'exceljs', file: 'dist/exceljs.bare.min.js' },
  // The commune map: d3-geo's UMD build reads d3-array from the global d3.
  'd3-array.min.js': { pkg: 'd3-array', file: 'dist/d3-array.min.js' },
  'd3-geo.min.js': { pkg: 'd3-geo', file: 'dist/d3-geo.min.js' },
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js' },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js' },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css' },
};

/**
 * A package's folder, found from its own entry point: packages with an `exports` map (chart.js 4.5)
 * do not export `package.json`, so resolving that fails. Walks up to the package.json naming it.
 */
export function packageRoot(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === pkg) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json of ${pkg} above its entry`);
    dir = up;
  }
}

export function vendorPath(name: string): string | null {
  const spec = VENDOR[name];
  return spec ? join(packageRoot(spec.pkg), spec.file) : null;
}

/** Generated maps by province and commune list: the same request gives the same shapes, so they are kept. */
const GENERATED_KEPT = 32;

/**
 * GET /dashboard/boundaries/<province>.geojson: the province's imported boundaries, else shapes
 * generated from the commune codes the page lists (`?communes=01273,01280,…`, public codes only).
 * Shapes and codes are public; no figure passes here.
 */
function boundariesRoute(store: BoundaryStore) {
  const generated = new Map<string, string>();
  return (req: express.Request, res: express.Response) => {
    const m = /^(\d{2})\.geojson$/.exec(String(req.params.file));
    if (!m) return res.status(404).end();
    const province = m[1];
    if (store.has(province)) return res.type('application/geo+json').sendFile(resolve(store.path(province)), { headers: { 'cache-control': 'no-cache' } });
    const codes = typeof req.query.communes === 'string' ? req.query.communes.split(',').filter(Boolean) : [];
    if (!codes.length || codes.length > 2000 || !codes.every((c) => /^\d{5}$/.test(c))) {
      return res.status(codes.length ? 400 : 404).json({ error: codes.length ? 'communes: up to 2000 five-digit commune codes, comma-separated' : `no boundaries imported for province ${province} (npm run boundaries -- import ${province} <file.geojson>); give ?communes= for generated shapes` });
    }
    const key = `${province}:${[...codes].sort().join(',')}`;
    let body = generated.get(key);
    if (!body) {
      body = JSON.stringify(generateBoundaries(province, codes.map((code) => ({ code }))));
      if (generated.size >= GENERATED_KEPT) generated.delete(generated.keys().next().value!);
      generated.set(key, body);
    }
    // Revalidated: once a province imports its boundaries, the generated shapes must not linger in a cache.
    res.type('application/geo+json').setHeader('cache-control', 'no-cache');
    res.send(body);
  };
}

/** The dashboard, the explorer and their assets; every figure they show comes through /graphql. */
export function pagesRouter(operationsDir: string, boundariesDir = 'data/boundaries'): Router {
  const router = express.Router();
  const dashboardIds = dashboardDocumentIds();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:");
    next();
  });
  router.get('/', (_req, res) => res.redirect('/dashboard'));
  router.get('/dashboard', (_req, res) => res.sendFile(join(PUBLIC, 'dashboard.html')));
  // The dashboard sends its operations by id (GraphQL over HTTP's documentId), never their text.
  router.get('/dashboard/operations.json', (_req, res) => (dashboardIds ? res.json(dashboardIds) : res.status(404).json({ error: 'clients/dashboard is not generated: run npm run clients:generate' })));
  router.get('/dashboard/boundaries/:file', boundariesRoute(new BoundaryStore(boundariesDir)));
  router.get('/dashboard/:file', (req, res) => sendPublic(res, ['dashboard.js', 'dashboard.i18n.js', 'dashboard.map.js', 'dashboard.css'], req.params.file));
  router.get('/explorer', (_req, res) => res.sendFile(join(PUBLIC, 'explorer.html')));
  router.get('/explorer/:file', (req, res) => sendPublic(res, ['explorer.js', 'examples.graphql'], req.params.file));
  router.get('/vendor/:file', (req, res) => {
    const path = vendorPath(req.params.file);
    if (!path || !existsSync(path)) return res.status(404).end();
    res.sendFile(path);
  });
  router.get('/operations/:file', (req, res) => {
    if (!/^[a-z0-9-]+\.graphql$/.test(req.params.file)) return res.status(404).end();
    const path = join(operationsDir, req.params.file);
    if (!existsSync(path)) return res.status(404).end();
    res.type('text/plain; charset=utf-8').send(readFileSync(path, 'utf8'));
  });
  return router;
}

function sendPublic(res: express.Response, allowed: string[], file: string) {
  if (!allowed.includes(file)) return res.status(404).end();
  res.sendFile(join(PUBLIC, file));
}

