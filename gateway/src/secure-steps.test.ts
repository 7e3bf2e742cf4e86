import { describe, expect, test } from '@jest/globals';
import { composeServices } from '@apollo/composition';
import { buildSchema, parse, print } from 'graphql';
import { pino } from 'pino';
import { AccessPolicy, AUDIT_KEY_ALIAS, type OperationAnalysis } from './access.js';
import type { AuditEntry, AuditLog } from './audit.js';
import type { Caller } from './auth.js';
import { MemoryBulkAccessWatch, type BulkAccessWatch } from './bulk-watch.js';
import { HeavyQueryGate } from './fair-share.js';
import { createMetrics } from './metrics.js';
import { OperationIndex } from './registry/registry.js';
import {
  auditRead,
  auditWrite,
  authenticate,
  authorizeFields,
  checkOperation,
  completeValues,
  limit,
  mask,
  personsRead,
  plan,
  pseudonym,
  Refusal,
  requirePurpose,
  run,
  withholdForbidden,
} from './secure-steps.js';

// Each step of the gateway's request path on its own, with the request context Apollo hands the
// executor reduced to what the step reads. The whole path runs end to end in test/security/*.

const police = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])
type Person @key(fields: "citizenId") {
  citizenId: ID! @tag(name: "pseudonym") @tag(name: "scope:person:identity") @tag(name: "scope:person:pseudonym")
  fullName: String @tag(name: "scope:person:identity")
  managementFiles: [File!]! @tag(name: "scope:police:read") @tag(name: "sensitive")
}
type File @tag(name: "scope:police:read") { id: ID! category: String }
type Query { persons: [Person!]! @tag(name: "scope:person:identity") @tag(name: "scope:person:pseudonym") addicts: Int @tag(name: "small-cell") }`;
const composed = composeServices([{ name: 'police', url: 'http://p', typeDefs: parse(police) }]);
if (composed.errors) throw composed.errors[0];
const policy = AccessPolicy.fromSupergraph(composed.supergraphSdl);
const api = buildSchema(`type Person { citizenId: ID! fullName: String managementFiles: [File!]! }
type File { id: ID! category: String }
type Query { persons(first: Int): [Person!]! addicts: Int }
type Subscription { tick: Int }`);

const caller = (over: Partial<Caller> = {}): Caller => ({
  sub: 'u1',
  agency: 'police',
  roles: ['officer'],
  scopes: ['person:identity', 'police:read'],
  communes: [],
  province: '04',
  project: null,
  client: 'police-app',
  ...over,
});
const analyst = caller({ sub: 'a1', roles: ['analyst'], scopes: ['person:pseudonym', 'operations:adhoc'], client: null, project: 'p1' });

/** The request context the executor receives, for one document. */
const request = (text: string, context: Record<string, unknown> = {}, variables: Record<string, unknown> = {}) => {
  const document = parse(text);
  const operation = document.definitions[0];
  return { schema: api, document, operation, operationName: null, queryHash: 'h0', request: { variables }, context: { requestId: 'r1', ...context } } as any;
};
const refusedCount = async (metrics: ReturnType<typeof createMetrics>, reason: string) =>
  (await metrics.refused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
const codeOf = (r: unknown) => (r as Refusal).answer.errors[0].extensions.code;
const httpOf = (r: unknown) => (r as Refusal).answer.errors[0].extensions.http as { status: number; headers?: Map<string, string> };

const analysis = (over: Partial<OperationAnalysis> = {}): OperationAnalysis => ({
  forbidden: [],
  sensitive: new Set(),
  pseudonymPaths: [],
  smallCellPaths: [],
  inputPersons: new Set(),
  inputRecords: new Map(),
  document: parse('{ addicts }'),
  auditReads: [],
  auditKeysAdded: false,
  ...over,
});

class MemoryAudit implements AuditLog {
  entries: AuditEntry[] = [];
  down = false;
  async append(e: AuditEntry) {
    if (this.down) throw new Error('audit store down');
    this.entries.push(e);
  }
  async all() {
    return [];
  }
  async ping() {}
  async close() {}
}
const silent = pino({ enabled: false });
const auditing = (watch: BulkAccessWatch = new MemoryBulkAccessWatch()) => ({ audit: new MemoryAudit(), log: silent, metrics: createMetrics(), bulkWatch: watch, bulkAccessThreshold: 3 });

describe('authenticate', () => {
  test('no verified caller on the context: UNAUTHENTICATED; with one: that caller', () => {
    expect(codeOf(authenticate(request('{ addicts }')))).toBe('UNAUTHENTICATED');
    const officer = caller();
    expect(authenticate(request('{ addicts }', { caller: officer }))).toBe(officer);
  });
});

describe('checkOperation', () => {
  const registered = '{ addicts }';
  const index = OperationIndex.build([{ client: 'police-app', version: '1', id: 'op1', operationName: null, body: registered }]);

  test('a client runs its registered operations and nothing else', async () => {
    const metrics = createMetrics();
    expect(checkOperation(request(registered), caller(), () => index, metrics)).toBeNull();
    const other = checkOperation(request('{ persons { fullName } }'), caller(), () => index, metrics);
    expect(codeOf(other)).toBe('OPERATION_NOT_REGISTERED');
    expect((other as Refusal).answer.errors[0].message).toContain('client application police-app');
    // Registered for another client is not registered for this one.
    expect(codeOf(checkOperation(request(registered), caller({ client: 'dashboard' }), () => index, metrics))).toBe('OPERATION_NOT_REGISTERED');
    expect(await refusedCount(metrics, 'unregistered_operation')).toBe(2);
  });

  test('a token without client_id runs no registered operation; ad-hoc scope and introspection pass', () => {
    const metrics = createMetrics();
    const noClient = checkOperation(request(registered), caller({ client: null }), () => index, metrics);
    expect((noClient as Refusal).answer.errors[0].message).toContain('names no client application');
    expect(checkOperation(request('{ persons { fullName } }'), analyst, () => index, metrics)).toBeNull();
    expect(checkOperation(request('{ __typename }'), caller(), () => index, metrics)).toBeNull();
  });

  test('subscriptions are a bad request, for everyone', () => {
    const refused = checkOperation(request('subscription { tick }'), analyst, () => index, createMetrics());
    expect(codeOf(refused)).toBe('BAD_REQUEST');
    expect(httpOf(refused).status).toBe(400);
  });
});

describe('limit', () => {
  // Cost of `{ persons(first: N) { citizenId } }`: 1 + N.
  const persons = (n: number) => request(`{ persons(first: ${n}) { citizenId } }`, {});
  const limits = { adhocCostBudget: 1000, heavyCost: 100 };

  test('ad-hoc: light under heavyCost, heavy over it (marked on the context), refused over budget', async () => {
    const metrics = createMetrics();
    const light = persons(50);
    expect(limit(light, analyst, limits, metrics)).toEqual({ heavy: false });
    expect(light.context.heavy).toBe(false);
    const heavy = persons(500);
    expect(limit(heavy, analyst, limits, metrics)).toEqual({ heavy: true });
    expect(heavy.context.heavy).toBe(true);
    const refused = limit(persons(5000), analyst, limits, metrics);
    expect(codeOf(refused)).toBe('COST_BUDGET_EXCEEDED');
    expect((refused as Refusal).answer.errors[0].message).toBe('Operation cost 5001 exceeds your budget of 1000');
    expect(await refusedCount(metrics, 'cost_budget')).toBe(1);
  });

  test('control: registered operations (no ad-hoc scope) are not costed', () => {
    const rc = persons(5000);
    expect(limit(rc, caller(), limits, createMetrics())).toEqual({ heavy: false });
    expect(rc.context.heavy).toBeUndefined();
  });
});

describe('authorizeFields and requirePurpose', () => {
  test('fields outside the caller’s scopes are reported and removed from the planned document', () => {
    const rc = request('{ persons { citizenId managementFiles { id } } }');
    const officer = authorizeFields(rc, caller(), policy);
    expect(officer.forbidden).toEqual([]);
    expect(officer.sensitive).toEqual(new Set(['Person.managementFiles']));
    const health = authorizeFields(rc, caller({ scopes: ['person:identity', 'health:read'] }), policy);
    expect(health.forbidden.map((f) => f.coordinate)).toEqual(['Person.managementFiles']);
    expect(print(health.document)).not.toContain('managementFiles');
  });

  test('sensitive fields need a purpose; other fields do not', async () => {
    const metrics = createMetrics();
    const sensitive = analysis({ sensitive: new Set(['Person.managementFiles']) });
    expect(codeOf(requirePurpose(sensitive, null, metrics))).toBe('PURPOSE_REQUIRED');
    expect(requirePurpose(sensitive, 'case VA-2025-00001', metrics)).toBeNull();
    expect(requirePurpose(analysis(), null, metrics)).toBeNull();
    expect(await refusedCount(metrics, 'purpose_missing')).toBe(1);
  });
});

describe('auditWrite', () => {
  const write = analysis({ sensitive: new Set(['Mutation.enrolMethadonePatient']), inputPersons: new Set(['004090000002', '004090000001']) });
  const mutation = () => request('mutation { enrolMethadonePatient }');

  test('a sensitive write is on record before it runs, under the persons its input names', async () => {
    const deps = auditing();
    expect(await auditWrite(deps, mutation(), caller(), 'treatment', write)).toBeNull();
    expect(deps.audit.entries).toHaveLength(1);
    expect(deps.audit.entries[0]).toMatchObject({ subject: 'u1', purpose: 'treatment', requestId: 'r1', operationHash: 'h0', persons: ['004090000001', '004090000002'], fields: ['Mutation.enrolMethadonePatient'] });
  });

  test('no audit, no write: 503 with Retry-After', async () => {
    const deps = auditing();
    deps.audit.down = true;
    const refused = await auditWrite(deps, mutation(), caller(), 'treatment', write);
    expect(codeOf(refused)).toBe('AUDIT_UNAVAILABLE');
    expect(httpOf(refused).status).toBe(503);
    expect(httpOf(refused).headers!.get('retry-after')).toBe('5');
  });

  test('control: reads and writes that touch nothing sensitive are not recorded here', async () => {
    const deps = auditing();
    expect(await auditWrite(deps, request('{ persons { citizenId } }'), caller(), 'x', write)).toBeNull();
    expect(await auditWrite(deps, mutation(), caller(), null, analysis())).toBeNull();
    expect(deps.audit.entries).toHaveLength(0);
  });
});

describe('plan and run', () => {
  test('the analysed document is planned under its own hash; an unchanged one is the request itself', () => {
    const rc = request('{ persons { citizenId } }');
    expect(plan(rc, analysis({ document: rc.document }))).toBe(rc);
    const rewritten = parse('{ persons { citizenId __pcmt_cid: citizenId } }');
    const planned = plan(rc, analysis({ document: rewritten }));
    expect(planned.document).toBe(rewritten);
    expect(planned.operation).toBe(rewritten.definitions[0]);
    expect(planned.queryHash).toMatch(/^[0-9a-f]{64}$/);
    expect(planned.queryHash).not.toBe(rc.queryHash);
    expect(planned.context).toBe(rc.context);
  });

  test('heavy operations wait for the gate, and a full gate is a 429; light ones pass it by', async () => {
    const metrics = createMetrics();
    const gate = new HeavyQueryGate(1, 0, 5_000);
    let release!: () => void;
    const first = run({}, () => new Promise((r) => (release = () => r({ data: { n: 1 } }))), true, gate, metrics);
    const refused = await run({}, async () => ({ data: { n: 2 } }), true, gate, metrics);
    expect(codeOf(refused)).toBe('TOO_MANY_REQUESTS');
    expect(httpOf(refused).status).toBe(429);
    expect(await run({}, async () => ({ data: { n: 3 } }), false, gate, metrics)).toEqual({ data: { n: 3 } });
    release();
    expect(await first).toEqual({ data: { n: 1 } });
    expect(await refusedCount(metrics, 'heavy_queue_full')).toBe(1);
    // Other failures are not refusals: they go up as they are.
    await expect(run({}, async () => Promise.reject(new Error('boom')), false, gate, metrics)).rejects.toThrow('boom');
  });
});

describe('answer steps', () => {
  test('completeValues: a missing required value becomes INCOMPLETE_DATA at its path', () => {
    const { result, errors } = completeValues({ data: { a: null }, extensions: { valueCompletion: [{ path: ['a', 'b'] }] } });
    expect(errors.map((e) => [e.extensions.code, e.path])).toEqual([['INCOMPLETE_DATA', ['a', 'b']]]);
    expect(result.extensions).toBeUndefined();
    const plain = { data: { a: 1 }, errors: [] };
    expect(completeValues(plain)).toEqual({ result: plain, errors: [] });
  });

  test('withholdForbidden: null with FORBIDDEN at each concrete path', async () => {
    const metrics = createMetrics();
    const data = { persons: [{ managementFiles: [{ id: '1' }] }, { managementFiles: [] }] };
    const errors: any[] = [];
    withholdForbidden(data, analysis({ forbidden: [{ path: ['persons', 'managementFiles'], coordinate: 'Person.managementFiles' }] }), errors, metrics);
    expect(data).toEqual({ persons: [{ managementFiles: null }, { managementFiles: null }] });
    expect(errors.map((e) => e.path)).toEqual([
      ['persons', 0, 'managementFiles'],
      ['persons', 1, 'managementFiles'],
    ]);
    expect((await metrics.forbiddenFields.get()).values[0].value).toBe(1);
  });

  test('personsRead takes the audit keys out of the answer', () => {
    const data = { persons: [{ [AUDIT_KEY_ALIAS]: '004090000001', fullName: 'A' }, { [AUDIT_KEY_ALIAS]: '004090000002' }] };
    expect(personsRead(data)).toEqual(new Set(['004090000001', '004090000002']));
    expect(JSON.stringify(data)).not.toContain(AUDIT_KEY_ALIAS);
  });

  test('personsRead reads the keys the caller selected where the analysis found them, through lists; the answer keeps them', () => {
    const data = { persons: { items: [{ id: '004090000001', cases: [{ s: { id: '004090000003' } }] }, { id: '004090000002', cases: [] }, null] } };
    const reads = [{ path: ['persons', 'items'], keys: ['id'] }, { path: ['persons', 'items', 'cases'], keys: ['s', 'id'] }];
    expect(personsRead(data, analysis({ auditReads: reads }))).toEqual(new Set(['004090000001', '004090000002', '004090000003']));
    expect(data.persons.items[0]?.id).toBe('004090000001');
    // Hidden keys beside them are still collected and taken out when the analysis added some.
    const mixed = { persons: { items: [{ id: '004090000001', [AUDIT_KEY_ALIAS]: '004090000009' }] } };
    expect(personsRead(mixed, analysis({ auditReads: reads.slice(0, 1), auditKeysAdded: true }))).toEqual(new Set(['004090000001', '004090000009']));
    expect(JSON.stringify(mixed)).not.toContain(AUDIT_KEY_ALIAS);
  });

  test('mask: pseudonyms per project and no small cells without person:identity; control: nothing masked with it', () => {
    const paths = analysis({ pseudonymPaths: [['persons', 'citizenId']], smallCellPaths: [['addicts'], ['other']] });
    const answer = () => ({ persons: [{ citizenId: '004090000001' }], addicts: 3, other: 12 });
    const masked = answer();
    expect(mask(masked, paths, analyst, 's'.repeat(32))).toBe(1);
    expect(masked).toEqual({ persons: [{ citizenId: pseudonym('s'.repeat(32), 'p1', '004090000001') }], addicts: null, other: 12 });
    const seen = answer();
    expect(mask(seen, paths, caller(), 's'.repeat(32))).toBe(0);
    expect(seen).toEqual(answer());
  });
});

describe('auditRead', () => {
  const sensitive = analysis({ sensitive: new Set(['Person.managementFiles']), inputPersons: new Set(['004090000009']) });

  test('a sensitive read is recorded under the persons in the answer and those its arguments name', async () => {
    const deps = auditing();
    expect(await auditRead(deps, request('{ persons { citizenId } }'), caller(), 'case', sensitive, new Set(['004090000001']))).toBeNull();
    expect(deps.audit.entries.map((e) => e.persons)).toEqual([['004090000001', '004090000009']]);
  });

  test('a write’s answer is recorded again only for persons its input did not name', async () => {
    const deps = auditing();
    const mutation = request('mutation { enrol }');
    expect(await auditRead(deps, mutation, caller(), 'case', sensitive, new Set(['004090000009']))).toBeNull();
    expect(deps.audit.entries).toHaveLength(0);
    expect(await auditRead(deps, mutation, caller(), 'case', sensitive, new Set(['004090000009', '004090000003']))).toBeNull();
    expect(deps.audit.entries.map((e) => e.persons)).toEqual([['004090000003']]);
  });

  test('no audit, no data; control: nothing sensitive, nothing recorded', async () => {
    const deps = auditing();
    deps.audit.down = true;
    expect(codeOf(await auditRead(deps, request('{ persons { citizenId } }'), caller(), 'case', sensitive, new Set()))).toBe('AUDIT_UNAVAILABLE');
    expect(await refusedCount(deps.metrics, 'audit_unavailable')).toBe(1);
    deps.audit.down = false;
    expect(await auditRead(deps, request('{ addicts }'), caller(), null, analysis(), new Set(['004090000001']))).toBeNull();
    expect(deps.audit.entries).toHaveLength(0);
  });

  test('the bulk watch alerts past its threshold, and a watch that fails does not refuse the read', async () => {
    const deps = auditing();
    await auditRead(deps, request('{ persons { citizenId } }'), caller(), 'case', sensitive, new Set(['004090000001', '004090000002', '004090000003']));
    expect((await deps.metrics.bulkAccessAlerts.get()).values[0]).toMatchObject({ value: 1, labels: { agency: 'police' } });
    const broken = auditing({ record: async () => Promise.reject(new Error('redis down')) });
    expect(await auditRead(broken, request('{ persons { citizenId } }'), caller(), 'case', sensitive, new Set(['004090000001']))).toBeNull();
    expect(broken.audit.entries).toHaveLength(1);
  });
});
