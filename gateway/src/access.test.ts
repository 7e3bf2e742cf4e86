import { describe, expect, test } from '@jest/globals';
import { composeServices } from '@apollo/composition';
import { buildSchema, Kind, parse, print } from 'graphql';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessPolicy, analyseOperation, atPath, takeAuditKeys } from './access.js';
import { SqliteAuditLog, verifyChain, type AuditEntry } from './audit.js';
import { estimateCost, pseudonym } from './secure.js';

const police = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])
type Person @key(fields: "citizenId") {
  citizenId: ID! @tag(name: "pseudonym") @tag(name: "scope:person:identity") @tag(name: "scope:person:pseudonym")
  fullName: String @tag(name: "scope:person:identity")
  managementFiles: [File!]! @tag(name: "scope:police:read") @tag(name: "sensitive")
}
type File @tag(name: "scope:police:read") { id: ID! category: String }
type Query { persons: [Person!]! @tag(name: "scope:person:identity") @tag(name: "scope:person:pseudonym") addicts: Int @tag(name: "small-cell") }`;
const health = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])
type Person @key(fields: "citizenId") { citizenId: ID! enrolments: [Enrolment!]! @tag(name: "scope:health:read") @tag(name: "sensitive") }
type Enrolment @tag(name: "scope:health:read") { id: ID! doseMg: Int person: Person! }
type Query { enrolments: [Enrolment!]! }`;

const composed = composeServices([
  { name: 'police', url: 'http://p', typeDefs: parse(police) },
  { name: 'health', url: 'http://h', typeDefs: parse(health) },
]);
if (composed.errors) throw composed.errors[0];
const policy = AccessPolicy.fromSupergraph(composed.supergraphSdl);
const api = buildSchema(`type Person { citizenId: ID! fullName: String managementFiles: [File!]! enrolments: [Enrolment!]! }
type File { id: ID! category: String } type Enrolment { id: ID! doseMg: Int person: Person! }
type Query { persons: [Person!]! enrolments: [Enrolment!]! addicts: Int }`);

describe('access policy from the supergraph', () => {
  test('field tags win over type tags; untagged fields are open', () => {
    expect(policy.field('Person', 'fullName').scopes).toEqual(['person:identity']);
    expect(policy.field('File', 'category').scopes).toEqual(['police:read']);
    expect(policy.field('Person', 'managementFiles')).toMatchObject({ scopes: ['police:read'], sensitive: true });
    expect(policy.field('Person', 'citizenId')).toMatchObject({ pseudonym: true });
    expect(policy.field('Query', 'addicts')).toMatchObject({ scopes: [], smallCell: true });
  });
});

describe('operation analysis', () => {
  const doc = parse(`query Q { persons { citizenId fullName managementFiles { id } ...H } enrolments { doseMg person { fullName } } }
  fragment H on Person { enrolments { doseMg } }`);

  test('a health officer: police fields are withheld before planning, paths reported', () => {
    const a = analyseOperation(api, policy, doc, 'Q', ['person:identity', 'health:read']);
    expect(a.forbidden.map((f) => f.path.join('.'))).toEqual(['persons.managementFiles']);
    const printed = print(a.document);
    expect(printed).not.toContain('managementFiles');
    expect(a.sensitive).toEqual(new Set(['Person.enrolments']));
    // The person's key is added where sensitive fields are read, for the audit.
    expect(printed).toContain('__pcmt_cid: citizenId');
  });

  test('a police officer cannot read dosing, even through an entity path', () => {
    const a = analyseOperation(api, policy, doc, 'Q', ['person:identity', 'police:read']);
    expect(a.forbidden.map((f) => f.path.join('.')).sort()).toEqual(['enrolments.doseMg', 'enrolments.person', 'persons.enrolments']);
  });

  test('a selection emptied by removals stays valid', () => {
    const a = analyseOperation(api, policy, parse('{ enrolments { doseMg } }'), undefined, ['police:read']);
    expect(a.forbidden).toHaveLength(1);
    expect(print(a.document)).toContain('__typename');
  });

  test('pseudonym and small-cell paths are found', () => {
    const a = analyseOperation(api, policy, parse('{ persons { citizenId } addicts }'), undefined, ['person:pseudonym']);
    expect(a.pseudonymPaths).toEqual([['persons', 'citizenId']]);
    expect(a.smallCellPaths).toEqual([['addicts']]);
  });
});

describe('audit completeness: every person a sensitive read touches', () => {
  const policeSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])
type Person @key(fields: "citizenId") {
  citizenId: ID! @tag(name: "scope:person:identity") @tag(name: "scope:person:pseudonym")
  fullName: String @tag(name: "scope:person:identity") @tag(name: "sensitive")
  commune: Commune @tag(name: "sensitive")
}
type Commune { code: ID! name: String }
type Case { id: ID! article: String suspects: [Suspect!]! @tag(name: "scope:police:read") @tag(name: "sensitive") }
type Suspect @tag(name: "scope:police:read") { role: String person: Person! }
type Query {
  person(citizenId: ID! @tag(name: "person")): Person @tag(name: "scope:person:identity")
  cases: [Case!]! @tag(name: "scope:police:read")
}`;
  const healthSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])
type Person @key(fields: "citizenId") { citizenId: ID! enrolments: [Enrolment!]! @tag(name: "scope:health:read") @tag(name: "sensitive") }
type Enrolment @tag(name: "scope:health:read") { id: ID! status: String person: Person! }
type Test @tag(name: "scope:health:read") { id: ID! positive: Boolean enrolment: Enrolment }
type EnrolmentPage { totalCount: Int! items: [Enrolment!]! }
type TestPage { totalCount: Int! items: [Test!]! }
type Query {
  enrolments(first: Int! = 50): EnrolmentPage! @tag(name: "scope:health:read") @tag(name: "sensitive")
  tests(citizenId: ID @tag(name: "person")): TestPage! @tag(name: "scope:health:read") @tag(name: "sensitive")
}`;
  const c = composeServices([
    { name: 'police', url: 'http://p', typeDefs: parse(policeSdl) },
    { name: 'health', url: 'http://h', typeDefs: parse(healthSdl) },
  ]);
  if (c.errors) throw c.errors[0];
  const p = AccessPolicy.fromSupergraph(c.supergraphSdl);
  const s = buildSchema(`type Person { citizenId: ID! fullName: String commune: Commune enrolments: [Enrolment!]! } type Commune { code: ID! name: String }
type Case { id: ID! article: String suspects: [Suspect!]! } type Suspect { role: String person: Person! }
type Enrolment { id: ID! status: String person: Person! } type Test { id: ID! positive: Boolean enrolment: Enrolment }
type EnrolmentPage { totalCount: Int! items: [Enrolment!]! } type TestPage { totalCount: Int! items: [Test!]! }
type Query { person(citizenId: ID!): Person cases: [Case!]! enrolments(first: Int! = 50): EnrolmentPage! tests(citizenId: ID): TestPage! }`);
  const nurse = ['person:identity', 'health:read'];
  const officer = ['person:identity', 'police:read'];

  test('a page of records read without the person field still fetches each record\'s person key', () => {
    const a = analyseOperation(s, p, parse('{ enrolments(first: 500) { items { status } } }'), undefined, nurse);
    expect(print(a.document).replace(/\s+/g, ' ')).toContain('items { status __pcmt_person: person { __pcmt_cid: citizenId } }');
  });

  test('two steps when the record names its person through another record (a test through its enrolment)', () => {
    const a = analyseOperation(s, p, parse('{ tests { items { positive } } }'), undefined, nurse);
    expect(print(a.document).replace(/\s+/g, ' ')).toContain('__pcmt_person: enrolment { __pcmt_person: person { __pcmt_cid: citizenId } }');
  });

  test('a person\'s own records need no key of their own: the person\'s key names them (no extra lookups)', () => {
    const a = analyseOperation(s, p, parse('{ person(citizenId: "003") { enrolments { status } } }'), undefined, nurse);
    const printed = print(a.document).replace(/\s+/g, ' ');
    expect(printed).toContain('enrolments { status } __pcmt_cid: citizenId');
    expect(printed).not.toContain('__pcmt_person');
    expect([...a.inputPersons]).toEqual(['003']);
  });

  test('a person selected by an argument tagged `person` is named, from a literal or a variable', () => {
    expect(p.personArguments()).toEqual(['Query.person(citizenId)', 'Query.tests(citizenId)']);
    const q = parse('query Q($c: ID) { tests(citizenId: $c) { totalCount } }');
    expect([...analyseOperation(s, p, q, 'Q', nurse, { c: '001' }).inputPersons]).toEqual(['001']);
    expect([...analyseOperation(s, p, parse('{ person(citizenId: "002") { fullName } }'), undefined, nurse).inputPersons]).toEqual(['002']);
    // Control: an argument leading to nothing sensitive names nobody (no entry is written at all).
    const plain = analyseOperation(s, p, parse('{ person(citizenId: "002") { citizenId } }'), undefined, nurse);
    expect(plain.inputPersons.size).toBe(0);
    expect(plain.sensitive.size).toBe(0);
  });

  test('register identity fields: sensitive, the person keyed where they are read', () => {
    const a = analyseOperation(s, p, parse('{ cases { suspects { role person { fullName commune { name } } } } }'), undefined, officer);
    expect([...a.sensitive].sort()).toEqual(['Case.suspects', 'Person.commune', 'Person.fullName']);
    const printed = print(a.document).replace(/\s+/g, ' ');
    expect(printed).toContain('fullName commune { name } __pcmt_cid: citizenId');
    // A commune is no record about persons: it gets no key, and lists of other records are never followed.
    expect(printed).not.toMatch(/commune \{ name __pcmt/);
  });

  test('in the committed supergraph every `citizenId` argument is tagged `person`', () => {
    const sdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
    const untagged: string[] = [];
    for (const def of parse(sdl).definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      for (const f of def.fields ?? []) for (const arg of f.arguments ?? []) {
        const tagged = arg.directives?.some((d) => d.name.value === 'tag' && (d.arguments?.[0]?.value as any)?.value === 'person');
        if (arg.name.value === 'citizenId' && !tagged) untagged.push(`${def.name.value}.${f.name.value}(${arg.name.value})`);
      }
    }
    expect(untagged).toEqual([]);
    expect(AccessPolicy.fromSupergraph(sdl).personArguments()).toEqual(expect.arrayContaining(['Query.person(citizenId)', 'Query.urineTests(citizenId)']));
  });

  test('a person key the caller selected itself is read where it is: no hidden key, nothing more to plan', () => {
    const own = analyseOperation(s, p, parse('{ enrolments(first: 500) { items { status person { id: citizenId fullName } } } }'), undefined, [...nurse, ...officer]);
    expect(print(own.document)).not.toContain('__pcmt');
    expect(own.auditKeysAdded).toBe(false);
    expect(own.auditReads).toEqual(expect.arrayContaining([{ path: ['enrolments', 'items', 'person'], keys: ['id'] }]));
    // The record's own key goes through the selected `person { id: citizenId }` too.
    expect(own.auditReads).toEqual(expect.arrayContaining([{ path: ['enrolments', 'items'], keys: ['person', 'id'] }]));
    // Control: a key that may be left out of the answer (`@include`) is not relied on; the hidden one is added.
    const maybe = analyseOperation(s, p, parse('query Q($x: Boolean!) { person(citizenId: "001") { citizenId @include(if: $x) fullName } }'), 'Q', officer, { x: false });
    expect(print(maybe.document).replace(/\s+/g, ' ')).toContain('fullName __pcmt_cid: citizenId');
    expect(maybe.auditReads).toEqual([]);
    // A fragment on the same type is in every object there; one under a directive is not.
    const spread = analyseOperation(s, p, parse('query { person(citizenId: "001") { ...F } } fragment F on Person { citizenId fullName }'), undefined, officer);
    expect(print(spread.document)).not.toContain('__pcmt');
    expect(spread.auditReads).toEqual([{ path: ['person'], keys: ['citizenId'] }]);
    const maybeSpread = analyseOperation(s, p, parse('query Q($x: Boolean!) { person(citizenId: "001") { ...F @include(if: $x) } } fragment F on Person { citizenId fullName }'), 'Q', officer, { x: true });
    expect(print(maybeSpread.document)).toContain('__pcmt_cid: citizenId');
  });

  test('a record whose `person` is selected and keyed there gets no second key of its own', () => {
    const a = analyseOperation(s, p, parse('{ enrolments { items { status person { fullName } } } }'), undefined, [...nurse, ...officer]);
    const printed = print(a.document).replace(/\s+/g, ' ');
    expect(printed).toContain('items { status person { fullName __pcmt_cid: citizenId } }');
    expect(printed).not.toContain('__pcmt_person');
    expect(a.auditKeysAdded).toBe(true);
  });

  test('a hook the caller may not read is not added (the subgraph would refuse it); the parent still names the person', () => {
    // Without person scopes the suspect's person key cannot be read: no key is added there.
    const a = analyseOperation(s, p, parse('{ cases { suspects { role } } }'), undefined, ['police:read']);
    expect(print(a.document)).not.toContain('__pcmt');
  });
});

describe('response helpers', () => {
  test('atPath reaches every list element and gives concrete paths', () => {
    const data = { persons: [{ files: null }, { files: [1] }] };
    const seen: unknown[] = [];
    atPath(data, ['persons', 'files'], (holder, key, path) => {
      holder[key] = null;
      seen.push(path);
    });
    expect(seen).toEqual([['persons', 0, 'files'], ['persons', 1, 'files']]);
    expect(data.persons[1].files).toBeNull();
  });

  test('audit keys are collected and removed from the answer', () => {
    const data = { persons: [{ __pcmt_cid: '001', x: 1 }, { y: { __pcmt_person: { __pcmt_cid: '002' } } }] };
    expect([...takeAuditKeys(data)].sort()).toEqual(['001', '002']);
    expect(JSON.stringify(data)).not.toContain('__pcmt');
  });

  test('pseudonyms are stable within a project, differ across projects, and hide the ID', () => {
    const a = pseudonym('s'.repeat(32), 'p1', '004085123456');
    expect(pseudonym('s'.repeat(32), 'p1', '004085123456')).toBe(a);
    expect(pseudonym('s'.repeat(32), 'p2', '004085123456')).not.toBe(a);
    expect(a).not.toContain('004085123456');
  });

  test('cost grows with page sizes', () => {
    const op = (q: string) => {
      const d = parse(q);
      return estimateCost(api, d, d.definitions[0] as any);
    };
    expect(op('{ persons(first: 500) { citizenId } }')).toBeGreaterThan(op('{ persons(first: 10) { citizenId } }'));
  });

  test('a period range costs the periods it spans, and the indicator list the indicator catalogue', () => {
    const places = buildSchema(`type Query { province(code: ID!): Province }
type Province { periods(from: String!, to: String!): [Period!]! }
type Period { period: String! indicators: [Value!]! }
type Value { value: Float }`);
    const d = parse('query($from: String!, $to: String!) { province(code: "04") { periods(from: $from, to: $to) { period indicators { value } } } }');
    const cost = (from: string, to: string) => estimateCost(places, d, d.definitions[0] as any, { from, to }, { 'Period.indicators': 25 });
    // province + periods, then per period: period + indicators + 25 values
    expect(cost('2025', '2025')).toBe(2 + 1 * 27);
    expect(cost('2021', '2025')).toBe(2 + 5 * 27);
    expect(cost('2021-01', '2025-12')).toBe(2 + 60 * 27);
    // Without a known length an unpaged list counts 10 rows.
    expect(estimateCost(places, d, d.definitions[0] as any, { from: '2025', to: '2025' }, {})).toBe(2 + 1 * 12);
  });

  test('a page\'s items count its first', () => {
    const pages = buildSchema(`type Query { persons(first: Int): PersonPage! } type PersonPage { totalCount: Int items: [P!]! } type P { id: ID files: [F!]! } type F { id: ID }`);
    const d = parse('{ persons(first: 500) { totalCount items { id files { id } } } }');
    // persons + totalCount + items, then 500 × (id + files + 10 × id)
    expect(estimateCost(pages, d, d.definitions[0] as any)).toBe(3 + 500 * 12);
  });
});

describe('audit log', () => {
  const entry = (n: number): AuditEntry => ({
    at: new Date(2026, 0, 1, 0, n).toISOString(),
    subject: 'u1',
    agency: 'health',
    roles: ['health-officer'],
    purpose: 'treatment follow-up',
    requestId: `r${n}`,
    operationName: 'Q',
    operationHash: 'h',
    persons: ['004085123456'],
    fields: ['Person.enrolments'],
  });

  test('entries chain; editing or deleting a row is detected', async () => {
    const log = new SqliteAuditLog(join(mkdtempSync(join(tmpdir(), 'pcmt-audit-')), 'a.sqlite'));
    await Promise.all([1, 2, 3, 4].map((n) => log.append(entry(n))));
    expect(verifyChain(await log.all())).toEqual({ ok: true, rows: 4 });
    log.raw.exec(`update audit_entry set purpose = 'curiosity' where seq = 3`);
    expect(verifyChain(await log.all())).toEqual({ ok: false, rows: 4, brokenAt: 3 });
    log.raw.exec(`update audit_entry set purpose = 'treatment follow-up' where seq = 3`);
    log.raw.exec(`delete from audit_entry where seq = 2`);
    expect(verifyChain(await log.all())).toMatchObject({ ok: false, brokenAt: 3 });
    await log.close();
  });
});
