import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AccessPolicy, scopesOf } from '@pcmt/gateway';
import { postGraphql, TEST_IDENTITY } from '@pcmt/kit/testing';
import { readFileSync } from 'node:fs';
import { startTestFederation, type TestFederation } from '../harness.js';

let fed: TestFederation;
let policy: AccessPolicy;
let personId: string;
let enrolmentId: string;
let caseId: string;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 31, scale: 0.12 });
  policy = AccessPolicy.fromSupergraph(readFileSync('schema/supergraph.graphql', 'utf8'));
  // A person known to police, health and legal aid, and their enrolment and case.
  const aided = (await fed.sql<any>('legal-aid', 'select citizen_id from legal_aid_request where drug_case_id is not null')).map((r) => r.citizen_id);
  const treated = await fed.sql<any>('health', 'select id, citizen_id from methadone_enrollment');
  const both = treated.find((t) => aided.includes(t.citizen_id)) ?? treated[0];
  personId = both.citizen_id;
  enrolmentId = String(both.id);
  caseId = (await fed.sql<any>('police', 'select id from drug_case order by id limit 1'))[0].id;
});

afterAll(async () => {
  await fed?.close();
});

const ROLE_AGENCY: Record<string, string> = {
  'police-officer': 'police',
  'health-officer': 'health',
  'education-officer': 'education',
  'customs-officer': 'customs',
  'legal-aid-officer': 'legal-aid',
  'steering-committee': 'program',
  analyst: 'program',
};

/** Fields of every agency about one person, one case, one enrolment and one commune period. */
const MATRIX = `query Matrix($person: ID!, $case: ID!, $enrolment: ID!, $commune: ID!) {
  person(citizenId: $person) {
    citizenId fullName birthYear
    managementFiles { category openedOn }
    suspectIn { role drugCase { id article status } }
    methadoneEnrollments { id status currentDoseMg doses(first: 3) { day doseMg } }
    addictionAssessments { result severity }
    legalAidRequests { id status drugCase { id status } }
    seizuresAsSuspect { id seizedOn }
  }
  drugCase(id: $case) { id article status reportedOn }
  methadoneEnrollment(id: $enrolment) { id status currentDoseMg }
  commune(code: $commune) {
    name
    drugCaseCount
    activeMethadonePatientCount
    seizureCount
    legalAidRequestCount
    period(period: "2025") { managedAddicts methadonePatientsInTreatment schoolsReached borderSeizures servedLegalAidRequests }
  }
}`;

type Leaf = { path: (string | number)[]; type: string; field: string; value: unknown };

/** Every non-null leaf of the answer with the schema coordinate that produced it. */
function leaves(value: unknown, path: (string | number)[], types: Record<string, string>, out: Leaf[] = []): Leaf[] {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], types, out));
  else if (value && typeof value === 'object') {
    const parentKey = path.filter((p) => typeof p === 'string').join('.');
    for (const [k, v] of Object.entries(value)) {
      if (v !== null && v !== undefined) out.push({ path: [...path, k], type: types[parentKey], field: k, value: v });
      leaves(v, [...path, k], types, out);
    }
  }
  return out;
}

// Response path (without indices) → the GraphQL type holding the fields found there.
const TYPES: Record<string, string> = {
  '': 'Query',
  person: 'Person',
  'person.managementFiles': 'ManagementFile',
  'person.suspectIn': 'CaseSuspect',
  'person.suspectIn.drugCase': 'DrugCase',
  'person.methadoneEnrollments': 'MethadoneEnrollment',
  'person.methadoneEnrollments.doses': 'DoseRecord',
  'person.addictionAssessments': 'AddictionAssessment',
  'person.legalAidRequests': 'LegalAidRequest',
  'person.legalAidRequests.drugCase': 'DrugCase',
  'person.seizuresAsSuspect': 'Seizure',
  drugCase: 'DrugCase',
  methadoneEnrollment: 'MethadoneEnrollment',
  commune: 'Commune',
  'commune.period': 'CommunePeriod',
};

describe('role × field matrix', () => {
  test('control off (every agency at once): the matrix query returns records from every agency', async () => {
    const res = await fed.query(MATRIX, { person: personId, case: caseId, enrolment: enrolmentId, commune: fed.province.communes[0].code }, { headers: { 'x-pcmt-purpose': 'test' } });
    expect(res.errors).toBeUndefined();
    expect(res.data.person.methadoneEnrollments.length).toBeGreaterThan(0);
    expect(res.data.person.legalAidRequests.length).toBeGreaterThan(0);
    expect(res.data.drugCase.article).toEqual(expect.any(String));
  });

  test('each role gets no value it may not see; every withheld field says FORBIDDEN at its path', async () => {
    let unauthorized = 0;
    let withheld = 0;
    for (const role of Object.keys(ROLE_AGENCY)) {
      const token = await fed.token({ sub: `matrix-${role}`, agency: ROLE_AGENCY[role], roles: [role], scopes: ['operations:adhoc'], project: 'matrix' });
      const scopes = scopesOf([role], ['operations:adhoc']);
      const res = await fed.query(MATRIX, { person: personId, case: caseId, enrolment: enrolmentId, commune: fed.province.communes[0].code }, { token, headers: { 'x-pcmt-purpose': 'access matrix test' } });
      for (const leaf of leaves(res.data, [], TYPES)) {
        if (!leaf.type) continue;
        const p = policy.field(leaf.type, leaf.field);
        if (!AccessPolicy.allows(p, scopes)) unauthorized++;
        // Analysts never see a raw citizen ID or a name.
        if (role === 'analyst' && leaf.field === 'citizenId') expect(String(leaf.value)).toMatch(/^P-/);
      }
      for (const e of res.errors ?? []) if (e.extensions?.code === 'FORBIDDEN') withheld++;
    }
    console.log(`role × field matrix: unauthorized values returned ${unauthorized}, fields withheld with FORBIDDEN ${withheld}`);
    expect(unauthorized).toBe(0);
    expect(withheld).toBeGreaterThan(0);
  });
});

describe('entity paths', () => {
  test('police cannot reach dosing through a case; health cannot reach case details through a person', async () => {
    const police = await fed.token({ sub: 'p', agency: 'police', roles: ['police-officer'], scopes: ['operations:adhoc'] });
    const health = await fed.token({ sub: 'h', agency: 'health', roles: ['health-officer'], scopes: ['operations:adhoc'] });
    const viaCase = await fed.query(`query($c: ID!) { drugCase(id: $c) { suspects { person { methadoneEnrollments { currentDoseMg doses(first: 5) { doseMg } } inTreatment } } } }`, { c: caseId }, { token: police, headers: { 'x-pcmt-purpose': 'case work' } });
    const viaPerson = await fed.query(`query($p: ID!) { person(citizenId: $p) { suspectIn { drugCase { article status } } legalAidRequests { id } } }`, { p: personId }, { token: health, headers: { 'x-pcmt-purpose': 'treatment' } });
    const leaked = [
      ...JSON.stringify(viaCase.data ?? {}).matchAll(/"(currentDoseMg|doseMg)":\d/g),
      ...JSON.stringify(viaPerson.data ?? {}).matchAll(/"(article|status|id)":"/g),
    ];
    console.log(`entity-path bypass attempts: values leaked ${leaked.length}`);
    expect(leaked).toEqual([]);
    expect(viaCase.errors?.some((e: any) => e.extensions.code === 'FORBIDDEN')).toBe(true);
    // Police may see whether a person is in treatment.
    expect(JSON.stringify(viaCase.data)).toMatch(/"inTreatment":(true|false)/);
  });

  test('defence in depth: a subgraph refuses a signed caller without the scope, also inside _entities', async () => {
    const res = await postGraphql(
      fed.servers.get('health')!.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { methadoneEnrollments { currentDoseMg } } } }`,
      { r: [{ __typename: 'Person', citizenId: personId }] },
      {},
      { ...TEST_IDENTITY, roles: ['police-officer'], scopes: scopesOf(['police-officer']) },
    );
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(res.data ?? {})).not.toMatch(/currentDoseMg":\d/);
  });

  test('cross-agency enumeration of record ids returns nothing', async () => {
    const education = await fed.token({ sub: 'e', agency: 'education', roles: ['education-officer'], scopes: ['operations:adhoc'] });
    const ids = (await fed.sql<any>('health', 'select id from methadone_enrollment order by id limit 40')).map((r) => String(r.id));
    let returned = 0;
    for (const id of ids) {
      const r = await fed.query(`query($id: ID!) { methadoneEnrollment(id: $id) { id status currentDoseMg } }`, { id }, { token: education, headers: { 'x-pcmt-purpose': 'x' } });
      if (r.data?.methadoneEnrollment) returned++;
    }
    console.log(`cross-agency id enumeration: records returned ${returned} of ${ids.length}`);
    expect(returned).toBe(0);
  });
});

describe('analysts', () => {
  test('see pseudonyms stable within their project, never names; small cells suppressed', async () => {
    const a1 = await fed.token({ sub: 'analyst-a', agency: 'program', roles: ['analyst'], project: 'p1' });
    const a2 = await fed.token({ sub: 'analyst-b', agency: 'program', roles: ['analyst'], project: 'p2' });
    const q = `{ persons(first: 5) { items { citizenId fullName } } }`;
    const r1 = await fed.query(q, {}, { token: a1 });
    const r1again = await fed.query(q, {}, { token: a1 });
    const r2 = await fed.query(q, {}, { token: a2 });
    const ids1 = r1.data.persons.items.map((p: any) => p.citizenId);
    expect(ids1.every((id: string) => /^P-/.test(id))).toBe(true);
    expect(r1again.data.persons.items.map((p: any) => p.citizenId)).toEqual(ids1);
    expect(r2.data.persons.items.map((p: any) => p.citizenId)).not.toEqual(ids1);
    expect(r1.data.persons.items.every((p: any) => p.fullName === null)).toBe(true);
    const counts = await fed.query(`{ communes(first: 500) { items { period(period: "2025") { managedAddicts } } } }`, {}, { token: a1 });
    const values = counts.data.communes.items.map((c: any) => c.period.managedAddicts);
    expect(values.some((v: number | null) => v !== null && v > 0 && v < 5)).toBe(false);
  });
});

describe('registered operations', () => {
  test('a token that names no client application may run no registered operation', async () => {
    const noClient = await fed.token({ sub: 'd', agency: 'program', roles: ['dashboard'], scopes: [] });
    const operations = readFileSync('schema/operations/dashboard.graphql', 'utf8');
    fed.resetStatements();
    const res = await fetch(fed.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${noClient}` },
      body: JSON.stringify({ query: operations, operationName: 'DashboardCommunes', variables: { province: fed.province.province.code, period: '2025' } }),
    }).then((r) => r.json() as Promise<any>);
    expect(res.errors?.[0].extensions.code).toBe('OPERATION_NOT_REGISTERED');
    expect(res.errors?.[0].message).toMatch(/names no client application/);
    expect(fed.statements()).toBe(0);
  });

  test('a dashboard token may run registered operations only', async () => {
    const dashboard = await fed.roleToken('dashboard');
    fed.resetStatements();
    const adhoc = await fed.query(`{ provinces { code name } }`, {}, { token: dashboard });
    expect(adhoc.errors?.[0].extensions.code).toBe('OPERATION_NOT_REGISTERED');
    expect(fed.statements()).toBe(0);
    const operations = readFileSync('schema/operations/dashboard.graphql', 'utf8');
    const res = await fetch(fed.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dashboard}` },
      body: JSON.stringify({ query: operations, operationName: 'DashboardCommunes', variables: { province: fed.province.province.code, period: '2025' } }),
    }).then((r) => r.json() as Promise<any>);
    expect(res.errors).toBeUndefined();
    expect(res.data.communes.items.length).toBe(fed.province.communes.length);
  });

  test('ad-hoc operations above the analyst cost budget are refused before any subgraph work', async () => {
    const analyst = await fed.token({ sub: 'a', agency: 'program', roles: ['analyst'], project: 'p' });
    fed.resetStatements();
    const r = await fed.query(`{ communes(first: 500) { items { drugCases(first: 500) { suspects { person { suspectIn { drugCase { suspects { role } } } } } } } } }`, {}, { token: analyst });
    expect(r.errors?.[0].extensions.code).toMatch(/COST_BUDGET_EXCEEDED|GRAPHQL_VALIDATION_FAILED/);
    expect(fed.statements()).toBe(0);
  });
});

