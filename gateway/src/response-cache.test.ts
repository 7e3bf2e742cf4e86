import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { AccessPolicy } from './access.js';
import type { Caller } from './auth.js';
import { openSql } from './registry/sql.js';
import { changesOf, DataVersions, dependenciesOf, operationMaxAge, operationPlaces, permissionClass, placesFor, placesOfAnswer, planSubgraphs, ResponseCache, stableJson, SupergraphFacts } from './response-cache.js';
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

describe('changes by place and period', () => {
  const versions = () => new DataVersions(openSql({ kind: 'sqlite', file: ':memory:' }));
  const placed = (communes: string[], provinces: string[], year: number) => dependenciesOf(['police', 'program'], { communes, provinces, year });

  test('a change overlaps an entry only in its subgraph, place and years up to the entry\'s period', async () => {
    const v = versions();
    const { seq } = await v.current();
    await v.record([{ subgraph: 'police', c: '01003', p: '11', y: 2025 }]);
    expect(await v.changedSince(seq, placed(['01003'], [], 2025))).toBe(true);
    expect(await v.changedSince(seq, placed(['01003'], [], 2026))).toBe(true);
    // Another commune, an earlier year, another agency: untouched.
    expect(await v.changedSince(seq, placed(['01006'], [], 2025))).toBe(false);
    expect(await v.changedSince(seq, placed(['01003'], [], 2024))).toBe(false);
    expect(await v.changedSince(seq, dependenciesOf(['health'], { communes: ['01003'], provinces: [], year: 2025 }))).toBe(false);
    // The commune's province, and entries that depend on police as a whole.
    expect(await v.changedSince(seq, placed([], ['11'], 2025))).toBe(true);
    expect(await v.changedSince(seq, placed([], ['12'], 2025))).toBe(false);
    expect(await v.changedSince(seq, dependenciesOf(['police'], null))).toBe(true);
    // Entries computed after it: nothing newer.
    expect(await v.changedSince((await v.current()).seq, placed(['01003'], [], 2025))).toBe(false);
  });

  test('a change nobody could place (or a subgraph bumped whole, or everything) overlaps every entry of it', async () => {
    const v = versions();
    const { seq } = await v.current();
    await v.bump(['police']);
    expect(await v.changedSince(seq, placed(['01006'], [], 2020))).toBe(true);
    expect(await v.changedSince(seq, placed([], ['12'], 2020))).toBe(true);
    const s2 = (await v.current()).seq;
    await v.record([{ subgraph: 'police', c: '*', p: '11', y: 2024 }]);
    expect(await v.changedSince(s2, placed(['01006'], [], 2024))).toBe(true);
    expect(await v.changedSince(s2, placed([], ['12'], 2024))).toBe(false);
    const s3 = (await v.current()).seq;
    await v.bump(['*']);
    expect(await v.changedSince(s3, dependenciesOf(['education'], null))).toBe(true);
    // Program (plans, closures) is always depended on whole.
    const s4 = (await v.current()).seq;
    await v.record([{ subgraph: 'program', c: '01003', p: '11', y: 2025 }]);
    expect(await v.changedSince(s4, placed(['01006'], [], 2020))).toBe(true);
  });

  test('small cells withheld over the province table: a commune entry of a caller who may not see them depends on the province, or everywhere', async () => {
    const commune = { communes: ['01003'], provinces: [], year: 2025, smallCells: true };
    const analyst = caller('analyst', { project: 'p' });
    expect(placesFor(commune, analyst)).toEqual({ communes: [], provinces: ['11'], year: 2025, smallCells: true });
    expect(placesFor(commune, { ...analyst, province: null })).toEqual({ ...commune, anywhere: true });
    // Who sees small cells sees them as they are: the commune alone; figures without small cells likewise.
    expect(placesFor(commune, caller('analyst', { scopes: [...scopesOf(['analyst']), 'person:identity'] }))).toBe(commune);
    expect(placesFor({ ...commune, smallCells: undefined }, analyst)).toEqual({ ...commune, smallCells: undefined });
    const v = versions();
    const { seq } = await v.current();
    await v.record([{ subgraph: 'police', c: '01006', p: '12', y: 2025 }]);
    expect(await v.changedSince(seq, dependenciesOf(['police'], { ...commune, anywhere: true }))).toBe(true);
    expect(await v.changedSince(seq, dependenciesOf(['police'], { ...commune, year: 2024, anywhere: true }))).toBe(false);
  });

  test('reports: malformed ones count as everything in their subgraph', () => {
    expect(changesOf('police', { changes: [{ c: '01003', p: '11', y: 2025 }] })).toEqual([{ subgraph: 'police', c: '01003', p: '11', y: 2025 }]);
    expect(changesOf('police', { all: true, changes: [] })).toEqual([{ subgraph: 'police', c: '*', p: '*', y: 0 }]);
    expect(changesOf('police', { changes: [{ c: 3 }] })).toBeNull();
    expect(changesOf('police', 'nonsense')).toBeNull();
  });
});

describe('places and hints read from the operation', () => {
  const supergraph = `
enum join__Graph { POLICE @join__graph(name: "police", url: "") PROGRAM @join__graph(name: "program", url: "") }
type Query @join__type(graph: POLICE) @join__type(graph: PROGRAM) { commune(code: ID!): Commune @join__field(graph: PROGRAM) province(code: ID!): Province @join__field(graph: PROGRAM) communes(provinceCode: ID): CommunePage @join__field(graph: PROGRAM) provinces: [Province] @join__field(graph: PROGRAM) indicators: [Indicator] @join__field(graph: PROGRAM) }
type CommunePage @join__type(graph: PROGRAM) { items: [Commune] }
type Commune @join__type(graph: POLICE, key: "code") @join__type(graph: PROGRAM, key: "code") @tag(name: "cache-max-age:86400") { code: ID! name: String @join__field(graph: PROGRAM) period(period: String!): CommunePeriod @join__field(graph: PROGRAM) periods(from: String!, to: String!): [CommunePeriod] @join__field(graph: PROGRAM) hotspots: [Int] @join__field(graph: POLICE) province: Province @join__field(graph: PROGRAM) }
type Province @join__type(graph: PROGRAM, key: "code") @tag(name: "cache-max-age:86400") { code: ID! period(period: String!): ProvincePeriod @join__field(graph: PROGRAM) communes: [Commune] @join__field(graph: PROGRAM) }
type CommunePeriod @join__type(graph: POLICE, key: "communeCode period") @join__type(graph: PROGRAM, key: "communeCode period") @tag(name: "cache-max-age:300") { communeCode: ID! hotspotsDetected: Int @join__field(graph: POLICE) @join__field(graph: PROGRAM, external: true) indicators: [IndicatorValue] @join__field(graph: PROGRAM) }
type ProvincePeriod @join__type(graph: POLICE, key: "provinceCode period") @tag(name: "cache-max-age:300") { provinceCode: ID! hotspotsDetected: Int @join__field(graph: POLICE) }
type IndicatorValue @join__type(graph: PROGRAM) { value: Float indicator: Indicator }
type Indicator @join__type(graph: PROGRAM, key: "id") @tag(name: "cache-max-age:86400") { id: ID! name: String }
`;
  const api = buildSchema(supergraph.replace(/@join__\w+\([^)]*\)|@tag\([^)]*\)/g, '').replace(/enum join__Graph \{[^}]*\}/, ''));
  const facts = new SupergraphFacts(supergraph);
  const places = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    return operationPlaces(api, facts, document, op, variables);
  };
  const maxAge = (query: string) => {
    const document = parse(query);
    return operationMaxAge(api, facts, document, document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!);
  };

  test('figures of a commune, a province and a province\'s communes, with the latest period\'s year', () => {
    expect(places('query($c: ID!) { commune(code: $c) { name period(period: "2024") { hotspotsDetected indicators { value indicator { id } } } periods(from: "2024-01", to: "2025-03") { hotspotsDetected } } }', { c: '01003' })).toEqual({ communes: ['01003'], provinces: [], year: 2025, smallCells: true });
    expect(places('{ province(code: "11") { period(period: "2025-Q2") { hotspotsDetected } communes { period(period: "2023") { hotspotsDetected } } } }')).toEqual({ communes: [], provinces: ['11'], year: 2025 });
    expect(places('query($p: ID) { communes(provinceCode: $p) { items { code period(period: "2025") { hotspotsDetected } } } }', { p: '11' })).toEqual({ communes: [], provinces: ['11'], year: 2025 });
    // Only program's reference data: no place, nothing of an agency read.
    expect(places('{ indicators { id name } }')).toEqual({ communes: [], provinces: [], year: 0 });
  });

  test('anything that could read other places or other dates is not placed', () => {
    // An agency field outside the period types (records of any date).
    expect(places('{ commune(code: "01003") { hotspots } }')).toBeNull();
    // A place the document does not name: the caller's provinces without their codes, a commune's province, no province code.
    expect(places('{ provinces { period(period: "2025") { hotspotsDetected } } }')).toBeNull();
    expect(places('query($x: Boolean!) { provinces { code @include(if: $x) period(period: "2025") { hotspotsDetected } } }', { x: true })).toBeNull();
    expect(places('{ provinces { ... on Province { code } period(period: "2025") { hotspotsDetected } } }')).toBeNull();
    expect(places('{ commune(code: "01003") { province { period(period: "2025") { hotspotsDetected } } } }')).toBeNull();
    expect(places('{ communes { items { period(period: "2025") { hotspotsDetected } } } }')).toBeNull();
    // A period that is not one, a variable not given.
    expect(places('{ commune(code: "01003") { period(period: "soon") { hotspotsDetected } } }')).toBeNull();
    expect(places('query($c: ID!) { commune(code: $c) { period(period: "2025") { hotspotsDetected } } }')).toBeNull();
  });

  test("the caller's provinces (root `provinces`): the codes the answer lists, found under the response keys", () => {
    const read = places('{ mine: provinces { id: code communes { period(period: "2024") { hotspotsDetected } } period(period: "2025-Q1") { hotspotsDetected } } }');
    expect(read).toEqual({ communes: [], provinces: [], year: 2025, listed: [{ key: 'mine', code: 'id' }] });
    expect(placesOfAnswer(read, { mine: [{ id: '11' }, { id: '04' }] })).toEqual({ communes: [], provinces: ['04', '11'], year: 2025 });
    // Listed beside a named province: both.
    const both = places('{ provinces { code period(period: "2025") { hotspotsDetected } } province(code: "20") { period(period: "2024") { hotspotsDetected } } }');
    expect(placesOfAnswer(both, { provinces: [{ code: '11' }], province: {} })).toEqual({ communes: [], provinces: ['11', '20'], year: 2025 });
    // An answer that does not show every code: not placed.
    expect(placesOfAnswer(read, { mine: [{ id: '11' }, { id: null }] })).toBeNull();
    expect(placesOfAnswer(read, { provinces: [{ id: '11' }] })).toBeNull();
    expect(placesOfAnswer(read, null)).toBeNull();
    // No figure under the list: nothing to read from the answer.
    expect(places('{ provinces { code } }')).toEqual({ communes: [], provinces: [], year: 0 });
    // No province at all (a caller whose area holds none): the subgraphs as a whole.
    expect(dependenciesOf(['police'], placesOfAnswer(read, { mine: [] }))).toEqual({ whole: [], placed: { subgraphs: ['police'], communes: [], provinces: [], year: 2025 } });
  });

  test('the smallest hint of what is read: a field\'s own, else its type\'s', () => {
    expect(maxAge('{ indicators { id name } }')).toBe(86400);
    expect(maxAge('{ commune(code: "01003") { name period(period: "2025") { hotspotsDetected } } }')).toBe(300);
    expect(maxAge('{ communes(provinceCode: "11") { items { code } } }')).toBe(86400);
  });
});

describe('the dashboard\'s registered operations, on the real supergraph', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const sdl = readFileSync(`${root}schema/supergraph.graphql`, 'utf8');
  // The supergraph itself as a schema: the same types and fields as the API schema, for walking.
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  const facts = new SupergraphFacts(sdl);
  const doc = parse(readFileSync(`${root}schema/operations/dashboard.graphql`, 'utf8'));
  const fragments = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  const ops = new Map(doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION).map((op) => [op.name!.value, op]));
  const placesOf = (name: string, variables: Record<string, unknown>) => {
    const op = ops.get(name)!;
    return operationPlaces(schema, facts, { ...doc, definitions: [op, ...fragments] }, op, variables);
  };

  test('province, communes, commune and national views depend on their places and years only', () => {
    expect(placesOf('DashboardProvince', { province: '11', period: '2025', from: '2024-Q1', to: '2025-Q4' })).toEqual({ communes: [], provinces: ['11'], year: 2025, smallCells: true });
    expect(placesOf('DashboardCommunes', { province: '11', period: '2024' })).toEqual({ communes: [], provinces: ['11'], year: 2024, smallCells: true });
    expect(placesOf('DashboardCommune', { code: '01003', period: '2025-06', from: '2025-01', to: '2025-06' })).toEqual({ communes: ['01003'], provinces: [], year: 2025, smallCells: true });
    // Every province the caller sees: not named in the document, read from the answer's codes.
    expect(placesOf('DashboardNational', { period: '2025' })).toEqual({ communes: [], provinces: [], year: 2025, smallCells: true, listed: [{ key: 'provinces', code: 'code' }] });
  });

  test('hints: figures short, the catalogue long', () => {
    const op = ops.get('DashboardProvince')!;
    expect(operationMaxAge(schema, facts, { ...doc, definitions: [op, ...fragments] }, op)).toBe(300);
    const catalogue = parse('{ indicators { id nameVi } }');
    expect(operationMaxAge(schema, facts, catalogue, catalogue.definitions[0] as OperationDefinitionNode)).toBe(86400);
  });
});
