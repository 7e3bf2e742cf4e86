import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DEMO_PROVINCE_CODE } from '@pcmt/kit';
import { postGraphql, TEST_IDENTITY } from '@pcmt/kit/testing';
import { startTestFederation, type TestFederation } from '../harness.js';

// Commune/province scoping (địa bàn): a token names the communes its holder may see, or a whole
// province. Control off = a province-wide token; control on = a token for one commune.

let fed: TestFederation;
let home: string;
let away: string;
let provinceWide: string;
let oneCommune: string;

const PURPOSE = { 'x-pcmt-purpose': 'area scoping test' };

/** Every agency's list of records, each record with the commune it belongs to. */
const LISTS = `query Lists {
  persons(first: 500) { totalCount items { citizenId commune { code } } }
  drugCases(first: 500) { totalCount items { __typename id commune { code } suspects { role drugCase { id commune { code } } } } }
  hotspots(first: 500) { totalCount items { __typename id commune { code } } }
  managementFiles(first: 500) { totalCount items { __typename id commune { code } } }
  methadoneEnrollments(first: 500) { totalCount items { __typename id commune { code } doses(first: 2) { doseMg } } }
  seizures(first: 500) { totalCount items { __typename id commune { code } } }
  legalAidRequests(first: 500) { totalCount items { __typename id commune { code } drugCase { __typename id commune { code } } } }
  awarenessActivities(first: 500) { totalCount items { __typename id commune { code } } }
  communes(first: 500) { totalCount items { code } }
}`;

/** The SQL count behind each list: `where` limits it to one commune. */
const COUNTS: Array<[string, string, string]> = [
  ['persons', 'police', 'person'],
  ['drugCases', 'police', 'drug_case'],
  ['hotspots', 'police', 'hotspot'],
  ['managementFiles', 'police', 'management_file'],
  ['methadoneEnrollments', 'health', 'methadone_enrollment'],
  ['seizures', 'customs', 'seizure'],
  ['legalAidRequests', 'legal-aid', 'legal_aid_request'],
  ['awarenessActivities', 'education', 'awareness_activity'],
];

async function countIn(subgraph: string, table: string, commune?: string): Promise<number> {
  const rows = await fed.sql<{ n: number | string }>(subgraph, `select count(*) as n from ${table}${commune ? ` where commune_code = '${commune}'` : ''}`);
  return Number(rows[0].n);
}

/** Records (objects with a __typename) in the answer whose commune is outside `allowed`. */
function outside(value: unknown, allowed: Set<string>, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => outside(v, allowed, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, any>;
    if (o.__typename && o.commune?.code && !allowed.has(o.commune.code)) out.push(`${o.__typename} ${o.id} in ${o.commune.code}`);
    Object.values(o).forEach((v) => outside(v, allowed, out));
  }
  return out;
}

beforeAll(async () => {
  fed = await startTestFederation({ seed: 47, scale: 0.12 });
  // The two communes with the most cases: one is the officer's own, the other is not.
  const busiest = await fed.sql<{ commune_code: string }>('police', 'select commune_code, count(*) as n from drug_case group by commune_code order by count(*) desc, commune_code limit 2');
  [home, away] = busiest.map((r) => r.commune_code);
  provinceWide = await fed.token({ sub: 'area-province', province: DEMO_PROVINCE_CODE, communes: [] });
  oneCommune = await fed.token({ sub: 'area-commune', province: null, communes: [home] });
});

afterAll(async () => {
  await fed?.close();
});

describe('lists', () => {
  test('control off: a province-wide token lists every commune\'s records', async () => {
    const res = await fed.query(LISTS, {}, { token: provinceWide, headers: PURPOSE });
    expect(res.errors).toBeUndefined();
    for (const [list, subgraph, table] of COUNTS) expect([list, res.data[list].totalCount]).toEqual([list, await countIn(subgraph, table)]);
    expect(outside(res.data, new Set([home])).length).toBeGreaterThan(0);
  });

  test('control on: a one-commune token lists only that commune\'s records, counts included', async () => {
    const res = await fed.query(LISTS, {}, { token: oneCommune, headers: PURPOSE });
    expect(res.errors).toBeUndefined();
    const leaked = outside(res.data, new Set([home]));
    let returned = 0;
    for (const [list, subgraph, table] of COUNTS) {
      expect([list, res.data[list].totalCount]).toEqual([list, await countIn(subgraph, table, home)]);
      returned += res.data[list].items.length;
    }
    expect(res.data.communes.items).toEqual([{ code: home }]);
    console.log(`area scoping, lists: ${returned} records returned for commune ${home}, out-of-area records returned ${leaked.length}`);
    expect(leaked).toEqual([]);
    expect(returned).toBeGreaterThan(0);
  });

  test('a token for another province sees no records; a token naming no area is refused', async () => {
    const elsewhere = await fed.token({ sub: 'area-elsewhere', province: '01', communes: [] });
    const res = await fed.query(LISTS, {}, { token: elsewhere, headers: PURPOSE });
    expect(COUNTS.map(([list]) => res.data[list].totalCount)).toEqual(COUNTS.map(() => 0));
    const nowhere = await fed.token({ sub: 'area-none', province: null, communes: [] });
    fed.resetStatements();
    const refused = await fed.query('{ drugCases { totalCount } }', {}, { token: nowhere });
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(fed.statements()).toBe(0);
  });
});

describe('records by id', () => {
  test('records of another commune are not found; the same ids are found province-wide', async () => {
    const ids = {
      drugCase: await fed.sql<{ id: string }>('police', `select id from drug_case where commune_code = '${away}' order by id limit 5`),
      methadoneEnrollment: await fed.sql<{ id: string }>('health', `select id from methadone_enrollment where commune_code <> '${home}' order by id limit 5`),
      seizure: await fed.sql<{ id: string }>('customs', `select id from seizure where commune_code <> '${home}' order by id limit 5`),
      legalAidRequest: await fed.sql<{ id: string }>('legal-aid', `select id from legal_aid_request where commune_code <> '${home}' order by id limit 5`),
    };
    const persons = await fed.sql<{ citizen_id: string }>('police', `select citizen_id from person where commune_code <> '${home}' order by citizen_id limit 5`);
    let tried = 0;
    let foundOn = 0;
    let foundOff = 0;
    const ask = async (query: string, variables: Record<string, unknown>, field: string) => {
      tried++;
      const on = await fed.query(query, variables, { token: oneCommune, headers: PURPOSE });
      const off = await fed.query(query, variables, { token: provinceWide, headers: PURPOSE });
      if (on.data?.[field]) foundOn++;
      if (off.data?.[field]) foundOff++;
    };
    for (const [field, rows] of Object.entries(ids)) for (const r of rows) await ask(`query($id: ID!) { ${field}(id: $id) { id } }`, { id: String(r.id) }, field);
    for (const p of persons) await ask('query($id: ID!) { person(citizenId: $id) { citizenId fullName } }', { id: p.citizen_id }, 'person');
    console.log(`area scoping, records by id: ${foundOn} of ${tried} out-of-area records returned (province-wide: ${foundOff})`);
    expect(foundOn).toBe(0);
    expect(foundOff).toBe(tried);
  });
});

describe('figures', () => {
  const FIGURES = `query($c: ID!) {
    commune(code: $c) { code name period(period: "2025") { drugCasesReported methadonePatientsInTreatment seizureCount: borderSeizures servedLegalAidRequests } }
  }`;

  test('a commune\'s own figures are answered; another commune\'s are FORBIDDEN, with no figure computed', async () => {
    const own = await fed.query(FIGURES, { c: home }, { token: oneCommune });
    expect(own.errors).toBeUndefined();
    const cases = await fed.sql<{ n: number | string }>('police', `select count(*) as n from drug_case where commune_code = '${home}' and reported_on between '2025-01-01' and '2025-12-31'`);
    expect(own.data.commune.period.drugCasesReported).toBe(Number(cases[0].n));

    const other = await fed.query(FIGURES, { c: away }, { token: oneCommune });
    // The name is public reference data; the figures are not.
    expect(other.data.commune.name).toEqual(expect.any(String));
    const figures = Object.values(other.data.commune.period ?? {}).filter((v) => v !== null && typeof v === 'number');
    expect(figures).toEqual([]);
    expect(other.errors?.length).toBeGreaterThan(0);
    expect(other.errors!.every((e: any) => e.extensions.code === 'FORBIDDEN')).toBe(true);

    const off = await fed.query(FIGURES, { c: away }, { token: provinceWide });
    expect(off.errors).toBeUndefined();
    expect(off.data.commune.period.drugCasesReported).toBeGreaterThan(0);
  });

  test('province figures need the whole province', async () => {
    const q = `query($p: ID!) { province(code: $p) { name period(period: "2025") { drugCasesReported indicators { indicator { id } value } } } }`;
    const on = await fed.query(q, { p: DEMO_PROVINCE_CODE }, { token: oneCommune });
    // Indicators are not nullable, so the refusal empties the province's period (and the province).
    expect(on.data?.province?.period ?? null).toBeNull();
    expect(on.errors?.some((e: any) => e.extensions.code === 'FORBIDDEN')).toBe(true);
    const off = await fed.query(q, { p: DEMO_PROVINCE_CODE }, { token: provinceWide });
    expect(off.errors).toBeUndefined();
    expect(off.data.province.period.drugCasesReported).toBeGreaterThan(0);
  });
});

describe('writes', () => {
  const RECORD = `mutation($input: RecordHotspotInput!) { recordHotspot(input: $input) { id commune { code } } }`;
  const input = (communeCode: string) => ({ kind: 'HARBOURING_VENUE', venueType: 'KARAOKE', place: 'Quán karaoke tổ 3', communeCode, detectedOn: '2025-03-01' });

  test('an officer records in their own commune and is refused elsewhere, with nothing written', async () => {
    const before = await countIn('police', 'hotspot', away);
    const refused = await fed.query(RECORD, { input: input(away) }, { token: oneCommune });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'communeCode', message: expect.stringMatching(/outside your area/) })]);
    expect(await countIn('police', 'hotspot', away)).toBe(before);

    const own = await fed.query(RECORD, { input: input(home) }, { token: oneCommune });
    expect(own.errors).toBeUndefined();
    expect(own.data.recordHotspot.commune.code).toBe(home);
    // Control off: the province-wide officer may record in either.
    const off = await fed.query(RECORD, { input: input(away) }, { token: provinceWide });
    expect(off.errors).toBeUndefined();
  });

  test('integrity checks see every area: no second treatment or duplicate case number from a record the officer cannot see', async () => {
    const treated = (await fed.sql<{ citizen_id: string }>('health', `select citizen_id from methadone_enrollment where commune_code <> '${home}' and status in ('ACTIVE', 'SUSPENDED') order by id limit 1`))[0];
    const clinic = (await fed.sql<{ id: string }>('health', `select id from facility where kind = 'METHADONE_CLINIC' order by id limit 1`))[0];
    const enrolments = () => fed.sql<{ n: number | string }>('health', `select count(*) as n from methadone_enrollment where citizen_id = '${treated.citizen_id}'`).then((r) => Number(r[0].n));
    const before = await enrolments();
    const enrol = await fed.query(
      `mutation($input: EnrolMethadonePatientInput!) { enrolMethadonePatient(input: $input) { id } }`,
      { input: { citizenId: treated.citizen_id, clinicId: String(clinic.id), communeCode: home, startedOn: '2025-06-01', startingDoseMg: 20 } },
      { token: oneCommune, headers: PURPOSE },
    );
    // Refused, without naming the other commune's enrolment or its status (test/security/write-oracles.test.ts).
    expect(enrol.errors?.[0].extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'citizenId', message: expect.stringMatching(/cannot be enrolled here/) })]);
    expect(await enrolments()).toBe(before);

    const taken = (await fed.sql<{ id: string }>('police', `select id from drug_case where commune_code = '${away}' order by id limit 1`))[0].id;
    const open = await fed.query(
      `mutation($input: OpenDrugCaseInput!) { openDrugCase(input: $input) { id } }`,
      { input: { id: taken, reportedOn: `${taken.slice(3, 7)}-03-01`, communeCode: home, article: '249', route: 'LAND_BORDER' } },
      { token: oneCommune, headers: PURPOSE },
    );
    expect(open.errors?.[0].extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'id', message: expect.stringMatching(/already exists/) })]);
  });

  test('an officer cannot change a record of another commune', async () => {
    const hotspot = (await fed.sql<{ id: string }>('police', `select id from hotspot where commune_code = '${away}' and dismantled_on is null order by id limit 1`))[0];
    const res = await fed.query(`mutation($input: DismantleHotspotInput!) { dismantleHotspot(input: $input) { id } }`, { input: { id: String(hotspot.id), dismantledOn: '2025-06-01' } }, { token: oneCommune });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const row = await fed.sql<{ dismantled_on: unknown }>('police', `select dismantled_on from hotspot where id = ${Number(hotspot.id)}`);
    expect(row[0].dismantled_on).toBeNull();
  });
});

describe('defence in depth', () => {
  test('a subgraph scopes a signed call by itself, also inside _entities', async () => {
    const police = fed.servers.get('police')!.url;
    const caseAway = (await fed.sql<{ id: string }>('police', `select id from drug_case where commune_code = '${away}' order by id limit 1`))[0].id;
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on DrugCase { id article } ... on CommunePeriod { drugCasesReported } } }`;
    const r = [
      { __typename: 'DrugCase', id: String(caseAway) },
      { __typename: 'CommunePeriod', communeCode: away, period: '2025' },
    ];
    const on = await postGraphql(police, query, { r }, {}, { ...TEST_IDENTITY, province: null, communes: [home] });
    expect(on.data?._entities?.[0] ?? null).toBeNull();
    expect(on.errors?.some((e) => e.extensions?.code === 'FORBIDDEN' && JSON.stringify(e.path) === JSON.stringify(['_entities', 1, 'drugCasesReported']))).toBe(true);
    const off = await postGraphql(police, query, { r }, {}, TEST_IDENTITY);
    expect(off.errors).toBeUndefined();
    expect((off.data as any)._entities[0].id).toBe(String(caseAway));
  });
});
