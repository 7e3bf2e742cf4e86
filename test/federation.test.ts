import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from './harness.js';

let fed: TestFederation;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.15 });
});

afterAll(async () => {
  await fed?.close();
});

/** Person-level reads through the gateway declare why (they are audited). */
const PURPOSE = { 'x-pcmt-purpose': 'end-to-end test' };

const sortBy = <T>(rows: T[], key: (r: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

describe('no N+1 across the federation', () => {
  const PERSONS = `query Persons($first: Int!, $offset: Int!) {
    persons(first: $first, offset: $offset) {
      items {
        citizenId fullName
        managementFiles { category openedOn }
        suspectIn { role drugCase { id article } }
        methadoneEnrollments { id status currentDoseMg clinic { name } }
        legalAidRequests { id status serviceForm }
        seizuresAsSuspect { id seizedOn items { substance { code } quantity } }
      }
    }
  }`;

  /** First 10 persons (by citizen ID) among whom every subgraph has something to load. */
  async function windowWithDataEverywhere(): Promise<number> {
    const ids = (await fed.sql<{ citizen_id: string }>('police', 'select citizen_id from person order by citizen_id')).map((r) => r.citizen_id);
    const sets = await Promise.all([
      fed.sql<any>('police', 'select person_citizen_id as id from management_file'),
      fed.sql<any>('police', 'select person_citizen_id as id from case_suspect'),
      fed.sql<any>('health', 'select citizen_id as id from methadone_enrollment'),
      fed.sql<any>('legal-aid', 'select citizen_id as id from legal_aid_request'),
      fed.sql<any>('customs', 'select citizen_id as id from seizure_suspect'),
    ]).then((all) => all.map((rows) => new Set(rows.map((r) => r.id))));
    for (let offset = 0; offset + 10 <= ids.length; offset++) {
      const window = ids.slice(offset, offset + 10);
      if (sets.every((set) => window.some((id) => set.has(id)))) return offset;
    }
    throw new Error('no 10 consecutive persons with data in every subgraph');
  }

  async function statementsFor(first: number, offset = 0): Promise<Record<string, number>> {
    for (const s of fed.services.values()) s.queries.reset();
    const res = await fed.query(PERSONS, { first, offset }, { headers: PURPOSE });
    expect(res.errors).toBeUndefined();
    expect(res.data.persons.items).toHaveLength(first);
    return Object.fromEntries([...fed.services].map(([name, s]) => [name, s.queries.total]));
  }

  test('listing 10 or 500 persons with fields from four subgraphs costs the same SQL statements', async () => {
    const ten = await statementsFor(10, await windowWithDataEverywhere());
    const fiveHundred = await statementsFor(500);
    console.log(`SQL statements per subgraph: 10 persons ${JSON.stringify(ten)}; 500 persons ${JSON.stringify(fiveHundred)}`);
    expect(fiveHundred).toEqual(ten);
    for (const name of ['police', 'health', 'legal-aid', 'customs']) expect(ten[name]).toBeGreaterThan(0);
  });
});

describe('one question across all six subgraphs', () => {
  const QUERY = `query CommuneView($code: ID!, $year: Int!, $citizenId: ID!) {
    commune(code: $code) {
      code name kind province { code name }
      drugCaseCount(year: $year)
      drugCases(year: $year, first: 500) { id reportedOn status suspects { role person { citizenId fullName } } }
      hotspots(first: 500) { id kind detectedOn dismantledOn }
      activeMethadonePatientCount
      methadoneEnrollments(first: 500) { id status startedOn person { citizenId fullName } }
      awarenessActivityCount(year: $year)
      awarenessActivities(year: $year, first: 500) { id heldOn participants }
      seizureCount(year: $year)
      seizures(year: $year, first: 500) { id seizedOn handedOverTo { id status } items { substance { code name } quantity unit } }
      legalAidRequestCount(year: $year)
      legalAidRequests(year: $year, first: 500) { id status person { citizenId } }
    }
    person(citizenId: $citizenId) {
      citizenId fullName commune { name }
      managementFiles { category openedOn }
      suspectIn { role drugCase { id } }
      methadoneEnrollments { id status }
      legalAidRequests { id status drugCase { id reportedOn } }
      seizuresAsSuspect { id }
    }
  }`;

  test('returns exactly what the seed put in each agency database', async () => {
    const year = fed.province.year;
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    // The busiest commune: it has data in every subgraph.
    const [busiest] = await fed.sql<{ commune_code: string }>('customs', 'select commune_code, count(*) as n from seizure group by commune_code order by n desc, commune_code limit 1');
    const code = busiest.commune_code;
    // A person known to police, health and legal aid at once.
    const aided = (await fed.sql<{ citizen_id: string }>('legal-aid', 'select citizen_id from legal_aid_request')).map((r) => r.citizen_id);
    const treated = new Set((await fed.sql<{ citizen_id: string }>('health', 'select citizen_id from methadone_enrollment')).map((r) => r.citizen_id));
    const citizenId = aided.find((id) => treated.has(id)) ?? aided[0];

    const res = await fed.query(QUERY, { code, year, citizenId }, { headers: PURPOSE });
    expect(res.errors).toBeUndefined();
    const c = res.data.commune;

    const [commune] = await fed.sql<any>('program', 'select name, kind, province_code from commune where code = ?', [code]);
    expect({ name: c.name, kind: c.kind, province: c.province.code }).toEqual({ name: commune.name, kind: commune.kind, province: commune.province_code });

    const cases = await fed.sql<any>('police', 'select id, status from drug_case where commune_code = ? and reported_on between ? and ? order by id', [code, from, to]);
    expect(c.drugCaseCount).toBe(cases.length);
    expect(sortBy(c.drugCases, (x: any) => x.id).map((x: any) => ({ id: x.id, status: x.status }))).toEqual(cases.map((x) => ({ id: x.id, status: x.status })));
    const suspects = await fed.sql<any>('police', 'select s.person_citizen_id as id from case_suspect s join drug_case c on c.id = s.drug_case_id where c.commune_code = ? and c.reported_on between ? and ?', [code, from, to]);
    expect(c.drugCases.flatMap((x: any) => x.suspects.map((s: any) => s.person.citizenId)).sort()).toEqual(suspects.map((s) => s.id).sort());

    const hotspots = await fed.sql<any>('police', 'select id from hotspot where commune_code = ?', [code]);
    expect(c.hotspots.map((h: any) => Number(h.id)).sort()).toEqual(hotspots.map((h) => Number(h.id)).sort());

    const enrolments = await fed.sql<any>('health', 'select id, status, citizen_id from methadone_enrollment where commune_code = ?', [code]);
    expect(c.methadoneEnrollments.map((e: any) => Number(e.id)).sort()).toEqual(enrolments.map((e) => Number(e.id)).sort());
    expect(c.activeMethadonePatientCount).toBe(enrolments.filter((e) => e.status === 'ACTIVE').length);
    // Names of methadone patients come from police, through federation.
    const names = await fed.sql<any>('police', `select citizen_id, full_name from person`);
    const nameOf = new Map(names.map((n) => [n.citizen_id, n.full_name]));
    for (const e of c.methadoneEnrollments) expect(e.person.fullName).toBe(nameOf.get(e.person.citizenId));

    const activities = await fed.sql<any>('education', 'select id from awareness_activity where commune_code = ? and held_on between ? and ?', [code, from, to]);
    expect(c.awarenessActivityCount).toBe(activities.length);
    expect(c.awarenessActivities.map((a: any) => Number(a.id)).sort()).toEqual(activities.map((a) => Number(a.id)).sort());

    const seizures = await fed.sql<any>('customs', 'select id, drug_case_id from seizure where commune_code = ? and seized_on between ? and ?', [code, from, to]);
    expect(c.seizureCount).toBe(seizures.length);
    expect(c.seizures.map((s: any) => s.id).sort()).toEqual(seizures.map((s) => s.id).sort());
    for (const s of c.seizures) {
      const row = seizures.find((x) => x.id === s.id);
      expect(s.handedOverTo?.id ?? null).toBe(row.drug_case_id ?? null);
      if (s.handedOverTo) expect(s.handedOverTo.status).toEqual(expect.any(String)); // resolved by police
    }
    const items = await fed.sql<any>('customs', 'select count(*) as n from seized_item i join seizure s on s.id = i.seizure_id where s.commune_code = ? and s.seized_on between ? and ?', [code, from, to]);
    expect(c.seizures.flatMap((s: any) => s.items)).toHaveLength(Number(items[0].n));
    for (const item of c.seizures.flatMap((s: any) => s.items)) expect(item.substance.name).toEqual(expect.any(String)); // from program

    const requests = await fed.sql<any>('legal-aid', 'select id from legal_aid_request where commune_code = ? and received_on between ? and ?', [code, from, to]);
    expect(c.legalAidRequestCount).toBe(requests.length);
    expect(c.legalAidRequests.map((r: any) => r.id).sort()).toEqual(requests.map((r) => r.id).sort());

    const p = res.data.person;
    expect(p.fullName).toBe(nameOf.get(citizenId));
    const files = await fed.sql<any>('police', 'select category from management_file where person_citizen_id = ?', [citizenId]);
    expect(p.managementFiles.map((f: any) => f.category).sort()).toEqual(files.map((f) => f.category).sort());
    const myEnrolments = await fed.sql<any>('health', 'select id from methadone_enrollment where citizen_id = ?', [citizenId]);
    expect(p.methadoneEnrollments.map((e: any) => Number(e.id)).sort()).toEqual(myEnrolments.map((e) => Number(e.id)).sort());
    const myRequests = await fed.sql<any>('legal-aid', 'select id, drug_case_id from legal_aid_request where citizen_id = ?', [citizenId]);
    expect(p.legalAidRequests.map((r: any) => r.id).sort()).toEqual(myRequests.map((r) => r.id).sort());
    expect(p.legalAidRequests.length).toBeGreaterThan(0);
    const mySeizures = await fed.sql<any>('customs', 'select seizure_id from seizure_suspect where citizen_id = ?', [citizenId]);
    expect(p.seizuresAsSuspect.map((s: any) => s.id).sort()).toEqual(mySeizures.map((s) => s.seizure_id).sort());
  });
});

describe('gateway cache', () => {
  test('an automatic persisted query is kept in the configured cache (Redis when set) and served by hash', async () => {
    const { createHash, randomUUID } = await import('node:crypto');
    // A comment unique to this run: Redis outlives test runs, the hash must be new each time.
    const query = `{ provinces { code name communeCount } } # ${randomUUID()}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const token = await fed.token();
    const post = (body: unknown) =>
      fetch(fed.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    const ext = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await post({ extensions: ext });
    expect(unknown.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post({ query, extensions: ext });
    expect(registered.errors).toBeUndefined();
    const byHash = await post({ extensions: ext });
    expect(byHash.data).toEqual(registered.data);
    if (process.env.PCMT_TEST_REDIS_URL) {
      const { createClient } = await import('redis');
      const redis = createClient({ url: process.env.PCMT_TEST_REDIS_URL });
      await redis.connect();
      try {
        expect(await redis.get(`pcmt:apq:${sha256Hash}`)).toBe(query);
      } finally {
        await redis.quit();
      }
    }
  });
});
