import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { databaseName, type DatabaseTarget } from './config.js';
import { DEV_IDENTITY_SECRET, signSubgraphRequest, type Identity } from './identity.js';
import { createSubgraphService, type SeedCounts, type SubgraphDefinition, type SubgraphService } from './service.js';
import { DEMO_PROVINCE_CODE, type SyntheticProvince } from './synthetic/province.js';

/**
 * Which database tests run on: SQLite files in a temp dir by default; PostgreSQL when
 * PCMT_TEST_POSTGRES_URL is set (CI sets it to the machine's server), one fresh database per subgraph.
 */
export async function testDatabase(subgraph: string, suite = randomUUID().slice(0, 8)): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  const server = process.env.PCMT_TEST_POSTGRES_URL;
  if (!server) {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), `pcmt-${subgraph}-`));
    return { target: { kind: 'sqlite', file: join(dir, `${subgraph}.sqlite`) }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const dbName = `${databaseName(subgraph)}_t${suite.replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
  const admin = new pg.Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(`/${dbName}`, server).toString();
  return {
    target: { kind: 'postgresql', url, dbName },
    async drop() {
      const c = new pg.Client({ connectionString: new URL('/postgres', server).toString() });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    },
  };
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
