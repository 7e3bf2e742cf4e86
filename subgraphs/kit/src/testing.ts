import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { databaseName, type DatabaseTarget } from './config.js';
import { DEV_IDENTITY_SECRET, signSubgraphRequest, type Identity } from './identity.js';
import { createSubgraphService, type SeedCounts, type SubgraphDefinition, type SubgraphService } from './service.js';
import { DEMO_PROVINCE_CODE, syntheticProvinces, type SyntheticProvince } from './synthetic/province.js';

/**
 * Which database tests run on: SQLite files in a temp dir by default; PostgreSQL when
 * PCMT_TEST_POSTGRES_URL is set (CI sets it to the machine's server), one fresh database per subgraph,
 * a copy of `template` when one is named.
 */
export async function testDatabase(subgraph: string, suite = randomUUID().slice(0, 8), template?: string): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  const server = process.env.PCMT_TEST_POSTGRES_URL;
  if (!server) {
    const dir = mkdtempSync(join(tmpdir(), `pcmt-${subgraph}-`));
    return { target: { kind: 'sqlite', file: join(dir, `${subgraph}.sqlite`) }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const dbName = `${databaseName(subgraph)}_t${suite.replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
  await onServer(server, `drop database if exists ${dbName} with (force)`, `create database ${dbName}${template ? ` template ${template}` : ''}`);
  return {
    target: { kind: 'postgresql', url: new URL(`/${dbName}`, server).toString(), dbName },
    drop: async () => void (await onServer(server, `drop database if exists ${dbName} with (force)`)),
  };
}

/** Statements on the server's maintenance database, one after another (database DDL cannot run in a transaction). */
async function onServer(server: string, ...statements: string[]): Promise<pg.QueryResultRow[]> {
  const admin = new pg.Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  try {
    let rows: pg.QueryResultRow[] = [];
    for (const sql of statements) rows = (await admin.query(sql)).rows;
    return rows;
  } finally {
    await admin.end();
  }
}

export interface SeedSpec {
  seed: number;
  scale: number;
  provinces?: string[];
}

/**
 * A fresh test database, migrated and seeded with the spec's provinces, copied from a template that
 * is built once (a PostgreSQL template database, or a SQLite file under the temp dir). Migrating and
 * seeding the whole federation took 1.5 s on SQLite and 3 s on PostgreSQL for every test file; a copy
 * takes milliseconds. The template's name holds the day and a hash of the spec and of the kit's and
 * the subgraph's code, so a change to migrations or seeding builds a new one; older days' are removed.
 */
export async function seededTestDatabase(
  def: SubgraphDefinition,
  spec: SeedSpec,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ target: DatabaseTarget; drop(): Promise<void>; /** Removes the template itself (the kit's own test of this). */ dropTemplate(): Promise<void> }> {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  const hash = createHash('sha256').update(JSON.stringify([def.name, spec.seed, spec.scale, spec.provinces ?? []])).update(codeHash(def.name)).digest('hex').slice(0, 12);
  const build = async (target: DatabaseTarget) => {
    const service = await createSubgraphService(def, { database: target, logLevel: 'silent' }, env);
    try {
      await service.migrate();
      for (const province of syntheticProvinces(spec)) await service.seed(province);
    } finally {
      await service.close();
    }
  };
  const server = process.env.PCMT_TEST_POSTGRES_URL;
  if (server) {
    const prefix = `pcmt_tpl_${databaseName(def.name).replace(/^pcmt_/, '')}_`;
    const template = `${prefix}${day}_${hash}`;
    const known = (await onServer(server, `select datname from pg_database where starts_with(datname, '${prefix}')`))
      .map((r) => r.datname as string)
      .filter((n) => /^\d{8}_[0-9a-f]{12}$/.test(n.slice(prefix.length)));
    if (!known.includes(template)) {
      // Built under a name of its own and renamed when complete: a run stopped halfway leaves no template.
      const building = await testDatabase(def.name);
      let built = false;
      try {
        await build(building.target);
        built = true;
        await onServer(server, `alter database ${(building.target as { dbName: string }).dbName} rename to ${template}`);
      } catch (err) {
        await building.drop();
        // A rename to a name that exists: another run built it first. Any other failure is real.
        if (!(built && err instanceof Error && /already exists/.test(err.message))) throw err;
      }
      for (const old of known.filter((n) => n.slice(prefix.length, prefix.length + 8) < day)) await onServer(server, `drop database if exists ${old} with (force)`).catch(() => {});
    }
    return {
      ...(await testDatabase(def.name, undefined, template)),
      dropTemplate: async () => void (await onServer(server, `drop database if exists ${template} with (force)`)),
    };
  }
  const root = join(tmpdir(), 'pcmt-test-templates');
  const dir = join(root, `${day}-${hash}`);
  const file = join(dir, `${def.name}.sqlite`);
  if (!existsSync(file)) {
    const building = mkdtempSync(join(tmpdir(), `pcmt-template-${def.name}-`));
    try {
      await build({ kind: 'sqlite', file: join(building, `${def.name}.sqlite`) });
      mkdirSync(dir, { recursive: true });
      // A closed SQLite file holds everything (the write-ahead log is folded in on close); rename is atomic.
      renameSync(join(building, `${def.name}.sqlite`), file);
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
    for (const old of readdirSync(root).filter((n) => /^\d{8}-/.test(n) && n.slice(0, 8) < day)) rmSync(join(root, old), { recursive: true, force: true });
  }
  const db = await testDatabase(def.name);
  copyFileSync(file, (db.target as { file: string }).file);
  return { ...db, dropTemplate: async () => rmSync(dir, { recursive: true, force: true }) };
}

const codeHashes = new Map<string, string>();

/** A hash of every non-test file of the kit's and the subgraph's sources (migrations and seeding among them). */
function codeHash(subgraph: string): string {
  let hash = codeHashes.get(subgraph);
  if (!hash) {
    const h = createHash('sha256');
    const subgraphs = fileURLToPath(new URL('../../', import.meta.url));
    // A fixture subgraph of the kit's own tests has no folder of its own.
    for (const dir of ['kit', subgraph].map((d) => join(subgraphs, d, 'src')).filter(existsSync)) {
      const files = readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
        .map((e) => join(e.parentPath, e.name))
        .sort();
      for (const path of files) h.update(path.slice(dir.length)).update(readFileSync(path));
    }
    hash = h.digest('hex');
    codeHashes.set(subgraph, hash);
  }
  return hash;
}

export function usingPostgres(): boolean {
  return Boolean(process.env.PCMT_TEST_POSTGRES_URL);
}

/** What a test caller may do: everything, as the gateway would sign it after its own checks. */
export const TEST_IDENTITY: Omit<Identity, 'exp'> = {
  sub: 'test',
  agency: 'test',
  roles: ['system'],
  scopes: ['*'],
  communes: [],
  // The whole synthetic province the tests seed.
  province: DEMO_PROVINCE_CODE,
  project: null,
  purpose: 'automated test',
  requestId: 'test',
};

const names = new Map<string, Promise<string>>();

/** The subgraph's own name, which a signed call must name as its audience: from its `/health`. */
export function subgraphNameAt(url: string): Promise<string> {
  let name = names.get(url);
  if (!name) {
    name = fetch(new URL('/health', url)).then(async (res) => {
      const body = (await res.json()) as { subgraph?: string };
      if (typeof body.subgraph !== 'string') throw new Error(`${url} does not say which subgraph it is`);
      return body.subgraph;
    });
    name.catch(() => names.delete(url));
    names.set(url, name);
  }
  return name;
}

/**
 * POST one GraphQL operation to a running subgraph, signed like the gateway signs each call
 * (this subgraph, this body, a fresh nonce; pass `identity: null` to send an unsigned call);
 * returns the parsed body.
 */
export async function postGraphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  identity: Omit<Identity, 'exp'> | null = TEST_IDENTITY,
): Promise<{ data?: T; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }> }> {
  const body = JSON.stringify({ query, variables });
  const signed = identity ? signSubgraphRequest(identity, { audience: await subgraphNameAt(url), body }, DEV_IDENTITY_SECRET) : {};
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed, ...headers },
    body,
  });
  return (await res.json()) as any;
}

export interface TestSubgraph {
  service: SubgraphService;
  url: string;
  counts: SeedCounts;
  close(): Promise<void>;
}

/** One subgraph on a fresh test database, migrated, seeded with `province` and listening on a free port. */
export async function startTestSubgraph(def: SubgraphDefinition, province: SyntheticProvince, opts: { listen?: boolean } = {}): Promise<TestSubgraph> {
  const db = await testDatabase(def.name);
  const service = await createSubgraphService(def, { database: db.target, logLevel: 'silent' });
  try {
    await service.migrate();
    const counts = await service.seed(province);
    const url = opts.listen === false ? '' : (await service.listen(0)).url;
    return {
      service,
      url,
      counts,
      async close() {
        await service.close();
        await db.drop();
      },
    };
  } catch (err) {
    await service.close();
    await db.drop();
    throw err;
  }
}
