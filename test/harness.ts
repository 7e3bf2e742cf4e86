import { seededTestDatabase, testDatabase, usingPostgres } from '@pcmt/kit/testing';
import { DEMO_PROVINCE_CODE, syntheticProvinces, type SyntheticProvince } from '@pcmt/kit';
import { devTokenClaims, ensureDevKeys, issueToken, type TokenClaims } from '@pcmt/gateway/dev-keys';
import { ROLE_AGENCY, ROLE_CLIENT } from '@pcmt/gateway/roles';
import { SHIPPED_CLIENTS, shippedClient } from '@pcmt/gateway/registry';
import { operationDocuments } from '@pcmt/gateway/registry';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFederation, type Federation } from '../scripts/lib/federation.js';

/**
 * A lab identity for tests that check the graph's computations across agencies (no real user holds
 * all of these roles): every agency's officer plus the steering committee, with ad-hoc rights.
 * Tests that act as a user use `roleToken` and `run`, which hold exactly what `npm run tokens` gives.
 */
export const ALL_AGENCIES: TokenClaims = {
  sub: 'e2e-all-agencies',
  agency: 'program',
  // Every agency's officer roles (the list of subgraphs through ROLE_AGENCY), so a new agency is in too.
  roles: [...Object.keys(ROLE_AGENCY).filter((r) => r.endsWith('-officer')), 'steering-committee'],
  // The tests write their own ad-hoc operations.
  scopes: ['operations:adhoc'],
  province: DEMO_PROVINCE_CODE,
};

export interface AreaOptions {
  communes?: string[];
  province?: string;
}

/** The id of each shipped operation, by client and operation name. */
function shippedOperationIds(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const entry of SHIPPED_CLIENTS) {
    const ids = new Map<string, string>();
    for (const source of shippedClient(entry).sources) for (const d of operationDocuments(source.body)) ids.set(d.operationName!, d.id);
    out.set(entry.client, ids);
  }
  return out;
}

export interface TestFederation extends Federation {
  /** The (first) seeded province. */
  province: SyntheticProvince;
  /** Every seeded province (one unless `provinces` named several). */
  provinces: SyntheticProvince[];
  /** A token signed with the test key (expired or foreign ones are made by the tests themselves). */
  token(claims?: Partial<TokenClaims>, ttlSeconds?: number, opts?: { audience?: string; issuer?: string }): Promise<string>;
  query<T = any>(query: string, variables?: Record<string, unknown>, opts?: { token?: string; headers?: Record<string, string> }): Promise<{ data?: T; errors?: any[] }>;
  /** A token for one role, exactly as `npm run tokens -- --role <role>` issues it (the demo province unless an area is named). */
  roleToken(role: string, area?: AreaOptions & { agency?: string }): Promise<string>;
  /**
   * Runs an operation registered for the role's client application, sent by document id, with the
   * role's token and, when given, a declared purpose. Throws if the client ships no such operation.
   */
  run<T = any>(role: string, operationName: string, variables?: Record<string, unknown>, opts?: AreaOptions & { purpose?: string; gatewayUrl?: string }): Promise<{ data?: T; errors?: any[]; status: number }>;
  /**
   * Runs a typed document of a generated client (clients/<client>/), sent by its persisted id
   * (`__meta__.hash`, the registry's `sha256:<hex>`) with the role's token and, when given, a purpose.
   */
  execute<TResult, TVariables>(
    role: string,
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    opts?: AreaOptions & { purpose?: string },
  ): Promise<{ data?: TResult; errors?: any[]; status: number }>;
  /** Rows straight from one subgraph's own database, bypassing GraphQL. */
  sql<T = Record<string, unknown>>(subgraph: string, query: string, params?: unknown[]): Promise<T[]>;
  /** Where the gateway's SQLite audit log lives (PCMT_DATA_DIR of the test gateway). */
  auditDir: string;
  /** SQL statements run by all subgraphs since the last reset: 0 means no subgraph did any work. */
  statements(): number;
  resetStatements(): void;
}

/**
 * The whole federation in-process on free ports: every subgraph of the list, each on its own fresh database
 * (SQLite files, or PostgreSQL databases when PCMT_TEST_POSTGRES_URL is set), and the gateway
 * serving the committed supergraph.
 */
export async function startTestFederation(opts: { seed?: number; scale?: number; env?: NodeJS.ProcessEnv; provinces?: string[] } = {}): Promise<TestFederation> {
  const seed = { seed: opts.seed ?? 11, scale: opts.scale ?? 0.15, provinces: opts.provinces };
  const provinces = syntheticProvinces(seed);
  const auditDir = mkdtempSync(join(tmpdir(), 'pcmt-audit-'));
  const drops: Array<() => Promise<void>> = [];
  // The audit log on the same kind of database as the subgraphs.
  const auditDb = usingPostgres() ? await testDatabase('audit') : null;
  if (auditDb) drops.push(auditDb.drop);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: process.env.PCMT_TEST_REDIS_URL,
    NODE_ENV: 'test',
    // CI runs both engines' suites and prod:check at once on two cores: a cold first dashboard on
    // PostgreSQL once took over the production 10 s and failed a statement-count test. Tests of the
    // timeout itself set their own (resilience/subgraph-hang.test.ts).
    SUBGRAPH_TIMEOUT_MS: '30000',
    PCMT_DATA_DIR: auditDir,
    ...(auditDb && auditDb.target.kind === 'postgresql' ? { AUDIT_DATABASE_URL: auditDb.target.url } : {}),
    ...opts.env,
  };
  delete env.PCMT_POSTGRES_URL;
  const keys = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'pcmt-keys-')));
  const token = (claims: Partial<TokenClaims> = {}, ttlSeconds?: number, opts: { audience?: string; issuer?: string } = {}) =>
    issueToken(keys.privatePem, { ...ALL_AGENCIES, ...claims }, { ttlSeconds, ...opts });
  const defaultToken = await token();
  const roleToken = (role: string, area: AreaOptions & { agency?: string } = {}) =>
    issueToken(keys.privatePem, devTokenClaims(role, { ...area, demoProvince: DEMO_PROVINCE_CODE }));
  const shipped = shippedOperationIds();
  const federation = await startFederation({
    auth: { publicKeyPem: keys.publicPem },
    env,
    port: 0,
    logLevel: 'silent',
    seed,
    // A copy of a database seeded once with the same spec and code (kit/testing.ts); startFederation
    // finds it full and does not seed again.
    database: async (_name, def) => {
      const db = await seededTestDatabase(def, seed, env);
      drops.push(db.drop);
      return db.target;
    },
  });
  return {
    ...federation,
    province: provinces[0],
    provinces,
    token,
    async query(query, variables = {}, opts = {}) {
      const res = await fetch(federation.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token ?? defaultToken}`, ...opts.headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as any;
    },
    roleToken,
    async run(role, operationName, variables = {}, opts = {}) {
      const client = ROLE_CLIENT[role];
      const id = shipped.get(client)?.get(operationName);
      if (!id) throw new Error(`client ${client} (role ${role}) ships no operation ${operationName}`);
      const res = await fetch(opts.gatewayUrl ?? federation.gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await roleToken(role, opts)}`,
          ...(opts.purpose ? { 'x-pcmt-purpose': encodeURIComponent(opts.purpose) } : {}),
        },
        body: JSON.stringify({ documentId: `sha256:${id}`, operationName, variables }),
      });
      return { ...((await res.json()) as any), status: res.status };
    },
    async execute(role, document, variables, opts = {}) {
      const documentId = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
      if (!documentId) throw new Error('the document has no persisted id (__meta__.hash): is it from clients/<client>/, generated with persisted documents?');
      const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const res = await fetch(federation.gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await roleToken(role, opts)}`,
          ...(opts.purpose ? { 'x-pcmt-purpose': encodeURIComponent(opts.purpose) } : {}),
        },
        body: JSON.stringify({ documentId, operationName: operation?.name?.value, variables }),
      });
      return { ...((await res.json()) as any), status: res.status };
    },
    async sql(subgraph, query, params = []) {
      const service = federation.services.get(subgraph);
      if (!service) throw new Error(`no subgraph ${subgraph}`);
      return service.orm.em.fork().getConnection().execute(query, params as any[]) as any;
    },
    async close() {
      await federation.close();
      for (const drop of drops) await drop();
    },
    auditDir,
    statements: () => [...federation.services.values()].reduce((n, s) => n + s.queries.total, 0),
    resetStatements: () => {
      for (const s of federation.services.values()) s.queries.reset();
    },
  };
}
