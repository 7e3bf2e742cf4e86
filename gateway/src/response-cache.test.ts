import { describe, expect, test } from '@jest/globals';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { AccessPolicy } from './access.js';
import type { Caller } from './auth.js';
import { openSql } from './registry/sql.js';
import { DataVersions, permissionClass, planSubgraphs, ResponseCache, stableJson } from './response-cache.js';
import { scopesOf } from './roles.js';

const caller = (role: string, extra: Partial<Caller> = {}): Caller => ({
  sub: `${role}-1`,
  agency: 'program',
  roles: [role],
  scopes: scopesOf([role]),
  communes: [],
  province: '11',
  project: null,
  client: role === 'analyst' ? 'explorer' : 'dashboard',
  ...extra,
});

describe('permission class', () => {
  test('differs whenever scopes, area, client or project differ; the same role and area share it', () => {
    const steering = caller('steering-committee');
    expect(permissionClass(steering)).toBe(permissionClass({ ...steering, sub: 'another-member' }));
    expect(permissionClass(caller('analyst', { project: 'p1' }))).not.toBe(permissionClass(steering));
    expect(permissionClass({ ...steering, province: '12' })).not.toBe(permissionClass(steering));
    expect(permissionClass({ ...steering, province: null, communes: ['01003'] })).not.toBe(permissionClass({ ...steering, province: null, communes: ['01006'] }));
    expect(permissionClass({ ...steering, client: 'explorer' })).not.toBe(permissionClass(steering));
    expect(permissionClass(caller('analyst', { project: 'p1' }))).not.toBe(permissionClass(caller('analyst', { project: 'p2' })));
    // Pseudonyms without a project are keyed by the subject: such an analyst shares with nobody.
    expect(permissionClass(caller('analyst', { sub: 'a' }))).not.toBe(permissionClass(caller('analyst', { sub: 'b' })));
    // Order of claims does not matter.
    expect(permissionClass({ ...steering, scopes: [...steering.scopes].reverse() })).toBe(permissionClass(steering));
  });

  test('stable JSON ignores key order', () => {
    expect(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(stableJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });

  test('the subgraphs of a plan, and everything for a plan node it does not know', () => {
    const plan = { kind: 'QueryPlan', node: { kind: 'Sequence', nodes: [{ kind: 'Fetch', serviceName: 'program' }, { kind: 'Flatten', node: { kind: 'Parallel', nodes: [{ kind: 'Fetch', serviceName: 'police' }, { kind: 'Fetch', serviceName: 'health' }] } }] } };
    expect([...planSubgraphs(plan)].sort()).toEqual(['health', 'police', 'program']);
    expect(planSubgraphs({ kind: 'QueryPlan', node: { kind: 'Teleport' } }).has('*')).toBe(true);
  });
});

const schema = buildSchema(`
type Query { figure(commune: ID!): Int  person(id: ID!): Person }
type Mutation { record(commune: ID!): Int }
type Person { id: ID! diagnosis: String }
`);
const policy = AccessPolicy.fromSupergraph(`
type Query { figure(commune: ID!): Int @tag(name: "scope:aggregate:read")  person(id: ID!): Person }
type Person { id: ID! diagnosis: String @tag(name: "sensitive") }
`);

function setup() {
  const versions = new DataVersions(openSql({ kind: 'sqlite', file: ':memory:' }));
  const cache = new ResponseCache({ store: new InMemoryLRUCache<string>(), versions, ttlSeconds: 60, policy: () => policy, log: pino({ level: 'silent' }), metrics: new Registry() });
  let calls = 0;
  let answer: any = { data: { figure: 7 } };
  const inner = async (rc: any) => {
    calls++;
    // What Apollo's plan hook reports: every operation here is answered by the police subgraph.
    cache.onPlan({ queryPlan: { kind: 'QueryPlan', node: { kind: 'Fetch', serviceName: 'police' } }, requestContext: rc });
    return structuredClone(answer);
  };
  const rc = (query: string, who: Caller, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return { schema, document, operation: document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION), queryHash: query, request: { variables }, operationName: null, context: { caller: who, language: 'vi' } };
  };
  const run = (r: any) => cache.execute(r, inner);
  return { versions, cache, run, rc, calls: () => calls, setAnswer: (a: any) => (answer = a) };
}

describe('response cache', () => {
  const Q = 'query($c: ID!) { figure(commune: $c) }';

  test('a second identical request is served without the executor; another class or variables are not', async () => {
    const { run, rc, calls } = setup();
    const steering = caller('steering-committee');
    expect(await run(rc(Q, steering, { c: '01003' }))).toEqual({ data: { figure: 7 } });
    expect(calls()).toBe(1);
    await run(rc(Q, steering, { c: '01003' }));
    expect(calls()).toBe(1);
    await run(rc(Q, caller('analyst', { project: 'p' }), { c: '01003' }));
    expect(calls()).toBe(2);
    await run(rc(Q, steering, { c: '01006' }));
    expect(calls()).toBe(3);
  });

  test('a mutation is never cached and invalidates what its plan touched', async () => {
    const { run, rc, calls, setAnswer } = setup();
    const who = caller('steering-committee');
    await run(rc(Q, who, { c: '01003' }));
    setAnswer({ data: { record: 1 } });
    await run(rc('mutation { record(commune: "01003") }', who));
    await run(rc('mutation { record(commune: "01003") }', who));
    expect(calls()).toBe(3);
    setAnswer({ data: { figure: 8 } });
    expect(await run(rc(Q, who, { c: '01003' }))).toEqual({ data: { figure: 8 } });
    expect(calls()).toBe(4);
  });

  test('an import (another process) invalidates through the shared versions', async () => {
    const { run, rc, calls, versions } = setup();
    const who = caller('steering-committee');
    await run(rc(Q, who, { c: '01003' }));
    await versions.bump(['health']);
    await run(rc(Q, who, { c: '01003' }));
    expect(calls()).toBe(1); // health is not in this answer's plan
    await versions.bump(['police']);
    await run(rc(Q, who, { c: '01003' }));
    expect(calls()).toBe(2);
  });

  test('errors and sensitive reads are never cached', async () => {
    const { run, rc, calls, setAnswer } = setup();
    const who = caller('police-officer');
    setAnswer({ data: { figure: null }, errors: [{ message: 'down' }] });
    await run(rc(Q, who, { c: '01003' }));
    await run(rc(Q, who, { c: '01003' }));
    expect(calls()).toBe(2);
    setAnswer({ data: { person: { id: '1', diagnosis: 'x' } } });
    await run(rc('{ person(id: "1") { id diagnosis } }', who));
    await run(rc('{ person(id: "1") { id diagnosis } }', who));
    expect(calls()).toBe(4);
    // Control: the same person without the sensitive field is cached.
    await run(rc('{ person(id: "1") { id } }', who));
    await run(rc('{ person(id: "1") { id } }', who));
    expect(calls()).toBe(5);
  });

  test('answers are handed out as copies: editing one (pseudonyms, small cells) does not change the entry', async () => {
    const { run, rc } = setup();
    const who = caller('steering-committee');
    await run(rc(Q, who, { c: '01003' }));
    const hit = await run(rc(Q, who, { c: '01003' }));
    hit.data.figure = null;
    expect((await run(rc(Q, who, { c: '01003' }))).data.figure).toBe(7);
  });
});
