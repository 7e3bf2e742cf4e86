import { describe, expect, test } from '@jest/globals';
import { Kind, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENCIES, ROLE_SCOPES } from '../roles.js';
import { apiSchemaOf, checkAccessTags, checkRegisteredOperations, composeSubgraphs, diffSupergraphs, type RegisteredDocument, type SubgraphInput } from './checks.js';

const SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', 'schema');
const committedSupergraph = readFileSync(join(SCHEMA_DIR, 'supergraph.graphql'), 'utf8');

/** The committed subgraphs, at the URLs the committed supergraph routes to (scripts/lib/schema.ts defaultUrl). */
function committedSubgraphs(): SubgraphInput[] {
  const graphs = parse(committedSupergraph).definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');
  if (graphs?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('no join__Graph in the supergraph');
  return (graphs.values ?? []).map((v) => {
    const args = v.directives?.find((d) => d.name.value === 'join__graph')?.arguments ?? [];
    const arg = (n: string) => {
      const value = args.find((a) => a.name.value === n)?.value;
      return value?.kind === Kind.STRING ? value.value : '';
    };
    return { name: arg('name'), url: arg('url'), sdl: readFileSync(join(SCHEMA_DIR, `${arg('name')}.graphql`), 'utf8') };
  });
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])';
const commune = `${LINK}
type Commune @key(fields: "code") { code: ID! name: String! @tag(name: "scope:reference:read") }
type Query { commune(code: ID!): Commune }`;
const parcels = (fields: string) => `${LINK}
type Commune @key(fields: "code") { code: ID! parcels: [Parcel!]! @tag(name: "scope:customs:read") }
type Parcel @tag(name: "scope:customs:read") { id: ID! ${fields} }
type Query { parcel(id: ID!): Parcel @tag(name: "scope:customs:read") }`;

function supergraphOf(...subgraphs: Array<[string, string]>): string {
  const result = composeSubgraphs(subgraphs.map(([name, sdl]) => ({ name, url: `http://127.0.0.1:1/${name}`, sdl })));
  if (result.supergraphSdl === undefined) throw new Error(result.errors.join('\n'));
  return result.supergraphSdl;
}

const v1 = supergraphOf(['reference', commune], ['customs', parcels('carrier: String! screenedOn: String!')]);
const withoutCarrier = supergraphOf(['reference', commune], ['customs', parcels('courier: String! screenedOn: String!')]);
const withWeight = supergraphOf(['reference', commune], ['customs', parcels('carrier: String! screenedOn: String! weightGrams: Int')]);

describe('composition', () => {
  test('the committed subgraph SDLs compose into the committed supergraph', () => {
    const result = composeSubgraphs(committedSubgraphs());
    expect(result.errors).toEqual([]);
    expect(result.supergraphSdl).toBe(committedSupergraph);
  });

  test('a broken SDL gives one-line errors naming what is wrong', () => {
    const clash = `${LINK}\ntype Commune @key(fields: "code") { code: ID! name: Int }`;
    const result = composeSubgraphs([
      { name: 'reference', url: 'http://127.0.0.1:1/a', sdl: commune },
      { name: 'other', url: 'http://127.0.0.1:1/b', sdl: clash },
    ]);
    expect(result.supergraphSdl).toBeUndefined();
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.some((e) => e.includes('Commune.name'))).toBe(true);
    for (const e of result.errors) expect(e).not.toContain('\n');
  });

  test('unparsable SDL and a subgraph given twice are errors, not exceptions', () => {
    const result = composeSubgraphs([
      { name: 'reference', url: 'http://127.0.0.1:1/a', sdl: commune },
      { name: 'reference', url: 'http://127.0.0.1:1/b', sdl: commune },
      { name: 'broken', url: 'http://127.0.0.1:1/c', sdl: 'type Query {' },
    ]);
    expect(result.errors).toEqual([expect.stringContaining('"reference" is given twice'), 'subgraph "broken": Syntax Error: Expected Name, found <EOF>. (line 1, column 13)']);
  });

  test('the API schema hides federation machinery and access tags, and is cached', () => {
    const api = apiSchemaOf(v1);
    expect(api.getType('Parcel')).toBeDefined();
    expect(api.getType('join__Graph')).toBeUndefined();
    expect(api.getDirective('tag')).toBeUndefined();
    expect(apiSchemaOf(v1)).toBe(api);
  });
});

describe('changes clients see', () => {
  test('removing a field is BREAKING and names it', async () => {
    const changes = await diffSupergraphs(v1, withoutCarrier);
    const removed = changes.find((c) => c.type === 'FIELD_REMOVED');
    expect(removed).toMatchObject({ criticality: 'BREAKING', path: 'Parcel.carrier' });
    expect(removed!.message).toContain('carrier');
    expect(changes).toContainEqual(expect.objectContaining({ type: 'FIELD_ADDED', criticality: 'SAFE', path: 'Parcel.courier' }));
  });

  test('adding an optional field is SAFE, and nothing else changes', async () => {
    expect(await diffSupergraphs(v1, withWeight)).toEqual([
      { criticality: 'SAFE', type: 'FIELD_ADDED', message: "Field 'weightGrams' was added to object type 'Parcel'", path: 'Parcel.weightGrams' },
    ]);
  });

  test('the same supergraph has no changes', async () => {
    expect(await diffSupergraphs(v1, v1)).toEqual([]);
  });

  test('a field removed from the committed customs subgraph is BREAKING', async () => {
    const subgraphs = committedSubgraphs().map((s) =>
      s.name === 'customs' ? { ...s, sdl: s.sdl.replace('  """Ngày bắt giữ"""\n  seizedOn: LocalDate!\n', '') } : s,
    );
    const next = composeSubgraphs(subgraphs);
    expect(next.errors).toEqual([]);
    const changes = await diffSupergraphs(committedSupergraph, next.supergraphSdl!);
    expect(changes).toEqual([expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_REMOVED', path: 'Seizure.seizedOn' })]);
  });
});

describe('registered operations', () => {
  const doc = (id: string, operationName: string | null, body: string): RegisteredDocument => ({ client: 'customs-app', version: '1.0.0', id, operationName, body });
  const documents = [
    doc('a', 'Screening', 'query Screening($id: ID!) { parcel(id: $id) { id carrier screenedOn } }'),
    doc('b', 'Parcels', 'query Parcels { commune(code: "01000") { name parcels { id screenedOn } } }'),
    doc('c', 'ViaFragment', 'query ViaFragment { parcel(id: "1") { ...P } } fragment P on Parcel { carrier }'),
  ];

  test('every document valid against the current supergraph passes', () => {
    expect(checkRegisteredOperations(v1, documents)).toEqual([]);
  });

  test('a document using a removed field is reported with the validation error', () => {
    const broken = checkRegisteredOperations(withoutCarrier, documents);
    expect(broken.map((b) => b.id)).toEqual(['a', 'c']);
    expect(broken[0]).toMatchObject({ client: 'customs-app', version: '1.0.0', operationName: 'Screening' });
    expect(broken[0].errors).toEqual([expect.stringContaining('Cannot query field "carrier" on type "Parcel"')]);
  });

  test('an unparsable document, or one without its named operation, is broken', () => {
    const broken = checkRegisteredOperations(v1, [doc('x', 'X', 'query X {'), doc('y', 'Missing', 'query Other { parcel(id: "1") { id } }')]);
    expect(broken).toEqual([
      expect.objectContaining({ id: 'x', errors: [expect.stringContaining('Syntax Error')] }),
      expect.objectContaining({ id: 'y', errors: ['operation "Missing" is not in the document'] }),
    ]);
  });
});

describe('access tags', () => {
  const check = (agency: string, sdl: string) => checkAccessTags({ name: `${agency}-sub`, agency, sdl }, ROLE_SCOPES, AGENCIES);

  test("the agency's own scopes, shared scopes and untagged fields pass", () => {
    expect(check('customs', parcels('carrier: String! @tag(name: "scope:aggregate:read") @tag(name: "sensitive")'))).toEqual([]);
  });

  test("a field tagged with another agency's scope is refused", () => {
    const problems = check('customs', parcels('carrier: String! @tag(name: "scope:health:read")'));
    expect(problems).toEqual([expect.stringContaining('Parcel.carrier: @tag(name: "scope:health:read") gives health\'s scope')]);
  });

  test('a scope no role grants is refused, wherever the tag stands', () => {
    const sdl = `${LINK}
type Parcel @key(fields: "id") @tag(name: "scope:customs:everything") { id: ID! }
type Query { parcel(id: ID! @tag(name: "scope:nobody:has")): Parcel }
input ParcelFilter { carrier: String @tag(name: "scope:customs:secret") }`;
    expect(check('customs', sdl)).toEqual([
      'Parcel: @tag(name: "scope:customs:everything"): no role grants the scope "customs:everything"',
      'Query.parcel(id:): @tag(name: "scope:nobody:has"): no role grants the scope "nobody:has"',
      'ParcelFilter.carrier: @tag(name: "scope:customs:secret"): no role grants the scope "customs:secret"',
    ]);
  });

  test('@tag imported under another name or namespaced is still checked', () => {
    const renamed = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", { name: "@tag", as: "@label" }])
type Query { a: Int @label(name: "scope:police:read") }`;
    const namespaced = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", as: "fed", import: ["@key"])
type Query { a: Int @fed__tag(name: "scope:police:read") }`;
    expect(check('customs', renamed)).toEqual([expect.stringContaining("Query.a: @tag(name: \"scope:police:read\") gives police's scope")]);
    expect(check('customs', namespaced)).toEqual([expect.stringContaining("gives police's scope")]);
  });

  test('an agency outside the list may use its own prefix only if a role grants it', () => {
    // The coast guard is not (yet) in the list of subgraphs.
    const sdl = `${LINK}\ntype Query { parcels: Int @tag(name: "scope:coast-guard:read") @tag(name: "scope:aggregate:read") }`;
    expect(check('coast-guard', sdl)).toEqual(['Query.parcels: @tag(name: "scope:coast-guard:read"): no role grants the scope "coast-guard:read"']);
    expect(checkAccessTags({ name: 'cg', agency: 'coast-guard', sdl }, { ...ROLE_SCOPES, 'coast-guard-officer': ['coast-guard:read'] }, AGENCIES)).toEqual([]);
  });

  test('every committed subgraph passes (customs opens seizures to police with a scope of its own)', () => {
    const problems = Object.fromEntries(committedSubgraphs().map((s) => [s.name, check(s.name, s.sdl)]));
    expect(Object.keys(problems).sort()).toEqual([...AGENCIES].sort());
    expect(problems).toEqual(Object.fromEntries(AGENCIES.map((a) => [a, []])));
  });
});
