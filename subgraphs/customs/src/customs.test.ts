import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createSubgraphService, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, TEST_IDENTITY, testDatabase, type TestSubgraph } from '@pcmt/kit/testing';
import { QuantityUnit } from './entities.js';
import { customs } from './index.js';
import { kgEquivalent } from './seed.js';

// Scale 0.2: 30 communes (8 on the border) and 120 seizures, so "5 vs many" is a real difference.
const province = syntheticProvince({ seed: 7, scale: 0.2 });
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

const sql = async (query: string): Promise<any[]> => service.orm.em.fork().getConnection().execute(query);
const count = async (table: string): Promise<number> => Number((await sql(`select count(*) as n from ${table}`))[0].n);

beforeAll(async () => {
  subgraph = await startTestSubgraph(customs, province);
  ({ service, url } = subgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

describe('customs subgraph', () => {
  test('seeds one seizure per backbone seizure, its items and suspects', async () => {
    expect(await count('seizure')).toBe(province.seizures.length);
    expect(await count('seized_item')).toBe(province.seizures.reduce((n, s) => n + s.substanceCodes.length, 0));
    expect(await count('seizure_suspect')).toBe(province.seizures.reduce((n, s) => n + new Set(s.suspectIds).size, 0));
    expect(await count('border_gate')).toBe(7);
  });

  test('is deterministic: the same seed gives the same rows', async () => {
    const db = await testDatabase('customs');
    const again = await createSubgraphService(customs, { database: db.target, logLevel: 'silent' });
    try {
      await again.migrate();
      await again.seed(province);
      const dump = (s: SubgraphService) =>
        s.orm.em.fork().getConnection().execute(
          'select s.id, s.agency, s.route, s.gate_id, s.concealment, s.origin_country, i.substance_code, i.quantity, i.unit, i.kg_equivalent from seizure s join seized_item i on i.seizure_id = s.id order by s.id, i.substance_code',
        );
      expect(await dump(again)).toEqual(await dump(service));
    } finally {
      await again.close();
      await db.drop();
    }
  });

  test('lists border gates in border communes, with one postal hub', async () => {
    const res = await postGraphql(url, `{ borderGates { id code name kind commune { code } seizureCount } }`);
    expect(res.errors).toBeUndefined();
    const gates = res.data.borderGates;
    const border = new Set(province.communes.filter((c) => c.border).map((c) => c.code));
    expect(gates).toHaveLength(7);
    expect(new Set(gates.map((g: any) => g.code)).size).toBe(7);
    expect(gates.filter((g: any) => g.kind === 'POSTAL_HUB')).toHaveLength(1);
    for (const g of gates) expect(border.has(g.commune.code)).toBe(true);
    const atGates = Number((await sql('select count(*) as n from seizure where gate_id is not null'))[0].n);
    expect(gates.reduce((n: number, g: any) => n + g.seizureCount, 0)).toBe(atGates);
  });

  test('resolves a handed-over seizure with items, suspects and the police case', async () => {
    const s = province.seizures.find((x) => x.handedOverCaseId && x.suspectIds.length > 0)!;
    const res = await postGraphql(
      url,
      `query($id: ID!) { seizure(id: $id) { id seizedOn agency route concealment originCountry commune { code } gate { code kind }
         handedOverTo { id } suspects { citizenId } items { quantity unit kgEquivalent substance { code } } } }`,
      { id: s.id },
    );
    expect(res.errors).toBeUndefined();
    const got = res.data.seizure;
    expect(got).toMatchObject({ id: s.id, seizedOn: s.seizedOn, commune: { code: s.communeCode }, handedOverTo: { id: s.handedOverCaseId } });
    expect(got.originCountry).toMatch(/^[A-Z]{2}$/);
    expect(got.suspects.map((p: any) => p.citizenId).sort()).toEqual([...new Set(s.suspectIds)].sort());
    expect(got.items.map((i: any) => i.substance.code).sort()).toEqual([...s.substanceCodes].sort());
    for (const i of got.items) expect(i.kgEquivalent).toBeCloseTo(kgEquivalent(i.substance.code, i.quantity, i.unit as QuantityUnit), 6);

    const none = province.seizures.find((x) => !x.handedOverCaseId)!;
    const res2 = await postGraphql(url, `query($id: ID!) { seizure(id: $id) { handedOverTo { id } } }`, { id: none.id });
    expect(res2.data.seizure.handedOverTo).toBeNull();
  });

  test('converts quantities to kilograms like UNODC', () => {
    expect(kgEquivalent('HEROIN', 1500, QuantityUnit.GRAM)).toBe(1.5);
    expect(kgEquivalent('CANNABIS', 12.5, QuantityUnit.KILOGRAM)).toBe(12.5);
    expect(kgEquivalent('MDMA', 1000, QuantityUnit.TABLET)).toBe(0.3);
    expect(kgEquivalent('METHAMPHETAMINE', 1000, QuantityUnit.TABLET)).toBe(0.1);
    expect(kgEquivalent('NPS', 500, QuantityUnit.MILLILITRE)).toBe(0.5);
  });

  test('filters seizures by period, commune and agency, newest first', async () => {
    const code = province.seizures[0].communeCode;
    const year = province.year;
    const expected = province.seizures.filter((s) => s.communeCode === code && s.seizedOn.startsWith(String(year)));
    const q = `query($code: String, $year: Int, $agency: SeizingAgency) { seizures(communeCode: $code, year: $year, agency: $agency, first: 500) { totalCount items { id seizedOn } } }`;
    const res = await postGraphql(url, q, { code, year });
    expect(res.errors).toBeUndefined();
    expect(res.data.seizures.totalCount).toBe(expected.length);
    expect(res.data.seizures.items.map((s: any) => s.id).sort()).toEqual(expected.map((s) => s.id).sort());
    const dates = res.data.seizures.items.map((s: any) => s.seizedOn);
    expect(dates).toEqual([...dates].sort().reverse());

    let byAgency = 0;
    for (const agency of ['CUSTOMS', 'BORDER_GUARD', 'COAST_GUARD']) {
      const r = await postGraphql(url, q, { code, year, agency });
      expect(r.errors).toBeUndefined();
      byAgency += r.data.seizures.totalCount;
    }
    expect(byAgency).toBe(expected.length);
  });

  test('rejects malformed input with a field error', async () => {
    const bad = await postGraphql(url, `{ seizures(communeCode: "12") { totalCount } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'communeCode' });
    const period = await postGraphql(url, `{ seizures(from: "2025-06-01", to: "2025-01-01") { totalCount } }`);
    expect(period.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    const page = await postGraphql(url, `{ seizures(first: 0) { totalCount } }`);
    expect(page.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  test('per-commune counts and kilograms are computed in SQL and match the seed', async () => {
    const year = province.year;
    const codes = province.communes.map((c) => c.code);
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!, $year: Int) { _entities(representations: $reps) { ... on Commune { code seizureCount(year: $year) seizedKgEquivalent(year: $year)
         allKg: seizedKgEquivalent seizures(year: $year, first: 500) { id items { kgEquivalent } } } } }`,
      { reps: codes.map((code) => ({ __typename: 'Commune', code })), year },
    );
    expect(res.errors).toBeUndefined();
    let total = 0;
    for (const c of res.data._entities) {
      const expected = province.seizures.filter((s) => s.communeCode === c.code && s.seizedOn.startsWith(String(year)));
      expect(c.seizureCount).toBe(expected.length);
      expect(c.seizures.map((s: any) => s.id).sort()).toEqual(expected.map((s) => s.id).sort());
      // The SQL SUM must agree with adding up the items one by one.
      const kg = c.seizures.reduce((n: number, s: any) => n + s.items.reduce((m: number, i: any) => m + i.kgEquivalent, 0), 0);
      expect(c.seizedKgEquivalent).toBeCloseTo(kg, 6);
      total += c.allKg;
    }
    const [{ kg: all }] = await sql('select sum(kg_equivalent) as kg from seized_item');
    expect(total).toBeCloseTo(Number(all), 6);
    expect(total).toBeGreaterThan(0);
  });

  test('a person lists the seizures they were held in', async () => {
    const person = province.seizures.find((s) => s.suspectIds.length > 0)!.suspectIds[0];
    const expected = province.seizures.filter((s) => s.suspectIds.includes(person)).map((s) => s.id);
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { citizenId seizuresAsSuspect { id } } } }`,
      { reps: [{ __typename: 'Person', citizenId: person }] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0].seizuresAsSuspect.map((s: any) => s.id).sort()).toEqual(expected.sort());
  });

  test('entity lookups of many persons and communes cost a constant number of statements', async () => {
    const suspects = [...new Set(province.seizures.flatMap((s) => s.suspectIds))];
    expect(suspects.length).toBeGreaterThan(30);
    const run = async (query: string, reps: object[]) => {
      service.queries.reset();
      const res = await postGraphql(url, query, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(reps.length);
      return service.queries.total;
    };
    const persons = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
      seizuresAsSuspect { id gate { code } items { quantity substance { code } } suspects { citizenId } } } } }`;
    const personReps = (n: number) => suspects.slice(0, n).map((citizenId) => ({ __typename: 'Person', citizenId }));
    expect(await run(persons, personReps(suspects.length))).toBe(await run(persons, personReps(5)));

    const communes = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Commune {
      seizureCount seizedKgEquivalent(year: ${province.year}) seizures { id gate { kind } items { unit } } } } }`;
    const communeReps = (n: number) => province.communes.slice(0, n).map((c) => ({ __typename: 'Commune', code: c.code }));
    expect(await run(communes, communeReps(province.communes.length))).toBe(await run(communes, communeReps(5)));

    const seizures = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Seizure { id handedOverTo { id } items { kgEquivalent } } } }`;
    const seizureReps = (n: number) => province.seizures.slice(0, n).map((s) => ({ __typename: 'Seizure', id: s.id }));
    expect(await run(seizures, seizureReps(province.seizures.length))).toBe(await run(seizures, seizureReps(5)));
  });
});

describe('access tags', () => {
  test('another agency may not read seizures or figures; police see which seizures, the steering committee the figures', async () => {
    const healthOnly = { ...TEST_IDENTITY, scopes: ['health:read'] };
    const police = { ...TEST_IDENTITY, scopes: ['customs:person-seizures'] };
    const steering = { ...TEST_IDENTITY, scopes: ['aggregate:read'] };
    const s = province.seizures.find((x) => x.suspectIds.length > 0)!;

    // A record of ours: refused with FORBIDDEN, and no value; by reference too.
    const refused = await postGraphql(url, `query($id: ID!) { seizure(id: $id) { id seizedOn suspects { citizenId } } }`, { id: s.id }, {}, healthOnly);
    expect(refused.errors?.[0]).toMatchObject({ path: ['seizure'], extensions: { code: 'FORBIDDEN' } });
    expect(refused.data?.seizure ?? null).toBeNull();
    const byRef = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Seizure { seizedOn } } }`, { reps: [{ __typename: 'Seizure', id: s.id }] }, {}, healthOnly);
    expect(byRef.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(byRef.data?._entities?.[0] ?? null).toBeNull();

    // Police may see which seizures a person was held in (the ids), not the seizures' details.
    const PERSON = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { citizenId seizuresAsSuspect { id seizedOn } } } }`;
    const personReps = [{ __typename: 'Person', citizenId: s.suspectIds[0] }];
    const hiddenPerson = await postGraphql(url, PERSON, { reps: personReps }, {}, healthOnly);
    expect(hiddenPerson.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'seizuresAsSuspect'], extensions: { code: 'FORBIDDEN' } });
    expect(hiddenPerson.data._entities[0]).toEqual({ citizenId: s.suspectIds[0], seizuresAsSuspect: null });
    const byPolice = await postGraphql(url, PERSON.replace(' seizedOn', ''), { reps: personReps }, {}, police);
    expect(byPolice.errors).toBeUndefined();
    expect(byPolice.data._entities[0].seizuresAsSuspect.map((x: any) => x.id)).toContain(s.id);
    const policeDetail = await postGraphql(url, `query($id: ID!) { seizure(id: $id) { id } }`, { id: s.id }, {}, police);
    expect(policeDetail.errors?.[0]).toMatchObject({ path: ['seizure'], extensions: { code: 'FORBIDDEN' } });

    // An aggregate figure: refused to health alone (null at the field only: it is nullable), readable with aggregate:read.
    const year = String(s.seizedOn.slice(0, 4));
    const [{ n }] = await sql(`select count(*) as n from seizure where commune_code = '${s.communeCode}' and seized_on >= '${year}-01-01' and seized_on <= '${year}-12-31'`);
    const FIGURE = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { communeCode borderSeizures } } }`;
    const reps = [{ __typename: 'CommunePeriod', communeCode: s.communeCode, period: year }];
    const hidden = await postGraphql(url, FIGURE, { reps }, {}, healthOnly);
    expect(hidden.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'borderSeizures'], extensions: { code: 'FORBIDDEN' } });
    expect(hidden.data._entities[0]).toEqual({ communeCode: s.communeCode, borderSeizures: null });
    const shown = await postGraphql(url, FIGURE, { reps }, {}, steering);
    expect(shown.errors).toBeUndefined();
    expect(shown.data._entities[0]).toEqual({ communeCode: s.communeCode, borderSeizures: Number(n) });
    expect(Number(n)).toBeGreaterThan(0);
  });
});
