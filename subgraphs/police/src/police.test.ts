import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { openOrm, parsePeriod, syntheticProvince, type MigrationSets, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, TEST_IDENTITY, testDatabase, type TestSubgraph } from '@pcmt/kit/testing';
import { entities } from './entities.js';
import { police } from './index.js';
import { migrations } from './migrations/index.js';

// Large enough for ~30 communes, so "5 communes vs all" means something for the statement counts.
const province = syntheticProvince({ seed: 7, scale: 0.2 });
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(police, province);
  ({ service, url } = subgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

describe('police subgraph', () => {
  test('seeds exactly the synthetic register and files', async () => {
    const em = service.orm.em.fork();
    const conn = em.getConnection();
    const [{ n: persons }] = await conn.execute('select count(*) as n from person');
    const [{ n: files }] = await conn.execute('select count(*) as n from management_file');
    expect(Number(persons)).toBe(province.persons.length);
    expect(Number(files)).toBe(province.managed.length);
  });

  test('resolves a person with files and cases, by citizen ID', async () => {
    const suspect = province.cases[0].suspects[0];
    const res = await postGraphql(url, `query($id: ID!) { person(citizenId: $id) { citizenId fullName suspectIn { role drugCase { id } } } }`, { id: suspect.citizenId });
    expect(res.errors).toBeUndefined();
    expect(res.data.person.citizenId).toBe(suspect.citizenId);
    expect(res.data.person.suspectIn.map((s: any) => s.drugCase.id)).toContain(province.cases[0].id);
  });

  test('rejects a malformed citizen ID with a field error', async () => {
    const res = await postGraphql(url, `{ person(citizenId: "12AB") { fullName } }`);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'citizenId' });
  });

  test('per-commune figures are counted in SQL and match the seed', async () => {
    const code = province.cases[0].communeCode;
    const year = province.year;
    const expected = province.cases.filter((c) => c.communeCode === code && c.reportedOn.startsWith(String(year))).length;
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!, $year: Int) { _entities(representations: $reps) { ... on Commune { drugCaseCount(year: $year) drugCases(year: $year, first: 500) { id } } } }`,
      { reps: [{ __typename: 'Commune', code }], year },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0].drugCaseCount).toBe(expected);
    expect(res.data._entities[0].drugCases).toHaveLength(expected);
  });

  test('access tags: another agency gets FORBIDDEN and no value at police records; aggregate readers get the figures', async () => {
    const person = province.cases[0].suspects[0].citizenId;
    const code = province.cases[0].communeCode;
    const health = { ...TEST_IDENTITY, scopes: ['health:read'] };
    const records = await postGraphql(
      url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { managementFiles { category } suspectIn { role } } } }`,
      { reps: [{ __typename: 'Person', citizenId: person }] },
      {},
      health,
    );
    const refused = (records.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.at(-1));
    expect(refused.sort()).toEqual(['managementFiles', 'suspectIn']);
    // The person itself survives (the fields are nullable): only the refused fields are null.
    expect(records.data?._entities[0]).toEqual({ managementFiles: null, suspectIn: null });
    const root = await postGraphql(url, `query($id: ID!) { drugCase(id: $id) { article } }`, { id: province.cases[0].id }, {}, health);
    expect(root.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(root.data?.drugCase ?? null).toBeNull();

    const steering = { ...TEST_IDENTITY, scopes: ['aggregate:read'] };
    const figures = await postGraphql(
      url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Commune { drugCaseCount managedPersonCount } ... on CommunePeriod { managedAddicts drugCasesReported managedAddictsPrevious } } }`,
      { reps: [{ __typename: 'Commune', code }, { __typename: 'CommunePeriod', communeCode: code, period: String(province.year) }] },
      {},
      steering,
    );
    // A count of persons "now" is withheld from callers who may not see identities; the period figures are not.
    expect(figures.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['_entities', 0, 'managedPersonCount'], 'FORBIDDEN']]);
    expect(figures.data._entities[0].drugCaseCount).toBeGreaterThan(0);
    expect(figures.data._entities[1].drugCasesReported).toEqual(expect.any(Number));
    expect(figures.data._entities[1].managedAddictsPrevious).toEqual(expect.any(Number));
    // ... but not the records behind them.
    const list = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Commune { drugCases { id } } } }`, { reps: [{ __typename: 'Commune', code }] }, {}, steering);
    expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(list.data?._entities[0].drugCases).toBeNull();
  });

  test('entity lookups of many persons cost a constant number of statements', async () => {
    const run = async (n: number) => {
      const reps = province.persons.slice(0, n).map((p) => ({ __typename: 'Person', citizenId: p.citizenId }));
      service.queries.reset();
      const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { fullName managementFiles { category } suspectIn { role drugCase { article } } } } }`, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(n);
      return service.queries.total;
    };
    const small = await run(5);
    const large = await run(150);
    expect(large).toBe(small);
  });
});

async function sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  return service.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}

/** `select <code> as k, <value> as n ... group by` as a map; PostgreSQL sends aggregates as strings. */
async function byCommune(query: string, params: unknown[] = []): Promise<Map<string, number>> {
  return new Map((await sql(query, params)).map((r) => [String(r.k), Number(r.n)]));
}

const tally = <T>(rows: T[], key: (r: T) => string) => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
};

const COMMUNE_FIGURES = [
  'managedPersons',
  'managedUsers',
  'managedAddicts',
  'hotspotsDetected',
  'hotspotsDismantled',
  'retailDealersDetected',
  'retailDealersDealtWith',
  'cultivationAreaDetectedM2',
  'cultivationAreaDestroyedM2',
  'drugCasesReported',
  'seaRouteCases',
  'postalExpressCases',
  'transnationalCases',
  'organisedCases',
  'cyberspaceCases',
  'policeSeizedKg',
] as const;
const CLASS_FIGURES = ['communesClassified', 'drugFreeCommunes', 'communesWithDrugProblems', 'keyHotspotCommunes'] as const;

/** Every figure of every commune for one period, worked out without the subgraph's loaders. */
async function expectedFigures(period: string): Promise<Record<(typeof COMMUNE_FIGURES)[number], Map<string, number>>> {
  const { from, to } = parsePeriod(period);
  const open = province.managed.filter((m) => m.openedOn <= to && (!m.closedOn || m.closedOn > to));
  const cases = (more: string) => byCommune(`select commune_code as k, count(*) as n from drug_case where reported_on between ? and ? and ${more} group by commune_code`, [from, to]);
  const counted = (table: string, column: string) => byCommune(`select commune_code as k, count(*) as n from ${table} where ${column} between ? and ? group by commune_code`, [from, to]);
  const area = (column: string) => byCommune(`select commune_code as k, sum(area_m2) as n from cultivation_site where ${column} between ? and ? group by commune_code`, [from, to]);
  return {
    // From the synthetic province itself: the seed must have kept them one to one.
    managedPersons: tally(open, (m) => m.communeCode),
    managedUsers: tally(open.filter((m) => m.category === 'ILLEGAL_USER'), (m) => m.communeCode),
    managedAddicts: tally(open.filter((m) => m.category === 'ADDICT'), (m) => m.communeCode),
    drugCasesReported: tally(province.cases.filter((c) => c.reportedOn >= from && c.reportedOn <= to), (c) => c.communeCode),
    // From the tables, in SQL written apart from the loaders.
    hotspotsDetected: await counted('hotspot', 'detected_on'),
    hotspotsDismantled: await counted('hotspot', 'dismantled_on'),
    retailDealersDetected: await counted('retail_dealer', 'detected_on'),
    retailDealersDealtWith: await counted('retail_dealer', 'dealt_with_on'),
    cultivationAreaDetectedM2: await area('detected_on'),
    cultivationAreaDestroyedM2: await area('destroyed_on'),
    seaRouteCases: await cases(`route = 'SEA'`),
    postalExpressCases: await cases(`route = 'POSTAL_EXPRESS'`),
    transnationalCases: await cases('transnational'),
    organisedCases: await cases('organised'),
    cyberspaceCases: await cases(`(cyberspace or route = 'CYBERSPACE')`),
    // Joined through the case, not through the copy of commune and date the items carry.
    policeSeizedKg: await byCommune(
      'select c.commune_code as k, sum(i.kg_equivalent) as n from case_seized_item i join drug_case c on c.id = i.drug_case_id where c.reported_on between ? and ? group by c.commune_code',
      [from, to],
    ),
  };
}

const COMMUNE_PERIOD = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { communeCode period ${COMMUNE_FIGURES.join(' ')} drugSituation } } }`;
const PROVINCE_PERIOD = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ProvincePeriod { provinceCode period ${[...COMMUNE_FIGURES, ...CLASS_FIGURES].join(' ')} } } }`;
const communeReps = (period: string, codes = province.communes.map((c) => c.code)) => codes.map((communeCode) => ({ __typename: 'CommunePeriod', communeCode, period }));
const provinceRep = (period: string) => ({ __typename: 'ProvincePeriod', provinceCode: province.province.code, period });
const PERIODS = [String(province.year), String(province.year - 1), `${province.year}-Q2`, `${province.year - 1}-07`];

describe('figures per reporting period', () => {
  test.each(PERIODS)('every CommunePeriod figure of %s matches the seed and the tables', async (period) => {
    const res = await postGraphql(url, COMMUNE_PERIOD, { reps: communeReps(period) });
    expect(res.errors).toBeUndefined();
    const expected = await expectedFigures(period);
    const classes = new Map((await sql('select commune_code, classification from commune_drug_situation where year = ?', [Number(period.slice(0, 4))])).map((r) => [r.commune_code, r.classification]));
    for (const got of res.data._entities) {
      expect(got.period).toBe(period);
      for (const figure of COMMUNE_FIGURES) {
        const want = expected[figure].get(got.communeCode) ?? 0;
        if (figure.endsWith('M2') || figure.endsWith('Kg')) expect(got[figure]).toBeCloseTo(want, 6);
        else expect({ commune: got.communeCode, figure, value: got[figure] }).toEqual({ commune: got.communeCode, figure, value: want });
      }
      expect(classes.has(got.communeCode)).toBe(true);
      expect(got.drugSituation).toBe(classes.get(got.communeCode));
    }
    // The figures are not all zero: the seed gives each of them something to count in a year.
    if (period.length === 4) {
      for (const figure of COMMUNE_FIGURES) expect(res.data._entities.some((e: any) => e[figure] > 0)).toBe(true);
    }
  });

  test.each(PERIODS)('ProvincePeriod %s is the sum of its communes, and counts the classification of its year', async (period) => {
    const [communes, provinceRes] = await Promise.all([postGraphql(url, COMMUNE_PERIOD, { reps: communeReps(period) }), postGraphql(url, PROVINCE_PERIOD, { reps: [provinceRep(period)] })]);
    expect(provinceRes.errors).toBeUndefined();
    const total = provinceRes.data._entities[0];
    for (const figure of COMMUNE_FIGURES) {
      const sum = communes.data._entities.reduce((s: number, e: any) => s + e[figure], 0);
      expect(total[figure]).toBeCloseTo(sum, 6);
    }
    const rows = await sql('select classification from commune_drug_situation where year = ?', [Number(period.slice(0, 4))]);
    const of = (...cls: string[]) => rows.filter((r) => cls.includes(r.classification)).length;
    expect(total.communesClassified).toBe(province.communes.length);
    expect(total.drugFreeCommunes).toBe(of('DRUG_FREE'));
    expect(total.communesWithDrugProblems).toBe(of('HAS_DRUG_PROBLEMS', 'KEY_HOTSPOT'));
    expect(total.keyHotspotCommunes).toBe(of('KEY_HOTSPOT'));
    expect(total.drugFreeCommunes + total.communesWithDrugProblems).toBe(total.communesClassified);
  });

  test('both years have data for the year-on-year indicators, and 35–45 % of communes are drug-free', async () => {
    const res = await postGraphql(url, PROVINCE_PERIOD, { reps: [provinceRep(String(province.year - 1)), provinceRep(String(province.year))] });
    expect(res.errors).toBeUndefined();
    for (const y of res.data._entities) {
      for (const figure of ['drugCasesReported', 'postalExpressCases', 'transnationalCases', 'organisedCases', 'cyberspaceCases', 'policeSeizedKg', 'hotspotsDetected', 'retailDealersDetected', 'cultivationAreaDetectedM2'] as const) {
        expect(y[figure]).toBeGreaterThan(0);
      }
      const share = y.drugFreeCommunes / y.communesClassified;
      expect(share).toBeGreaterThanOrEqual(0.35);
      expect(share).toBeLessThanOrEqual(0.45);
    }
  });

  test('5 or all communes cost the same number of SQL statements', async () => {
    const run = async (reps: object[]) => {
      service.queries.reset();
      const res = await postGraphql(url, COMMUNE_PERIOD, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(reps.length);
      return service.queries.total;
    };
    const period = String(province.year);
    const few = await run(communeReps(period).slice(0, 5));
    const all = await run(communeReps(period));
    expect(province.communes.length).toBeGreaterThan(20);
    expect(all).toBe(few);
    expect(few).toBeLessThanOrEqual(COMMUNE_FIGURES.length + 1);
  });

  test('a malformed period in a representation is refused', async () => {
    const res = await postGraphql(url, COMMUNE_PERIOD, { reps: [{ __typename: 'CommunePeriod', communeCode: province.communes[0].code, period: '2025-Q5' }] });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });
});

describe('seeded police detail', () => {
  test('rows derived from the backbone are one to one with it', async () => {
    const n = async (table: string) => Number((await sql(`select count(*) as n from ${table}`))[0].n);
    expect(await n('drug_case')).toBe(province.cases.length);
    expect(await n('case_seized_item')).toBe(province.cases.reduce((s, c) => s + c.substanceCodes.length, 0));
    expect(await n('case_suspect')).toBe(province.cases.reduce((s, c) => s + c.suspects.length, 0));
    expect(await n('commune_drug_situation')).toBe(2 * province.communes.length);
    // Wanted persons are suspects of their case not arrested with it; a catch is their arrest.
    const wanted = await sql(
      'select w.caught_on as caught, s.arrested_on as arrested, c.reported_on as reported, w.wanted_since as since from wanted_person w join case_suspect s on s.drug_case_id = w.drug_case_id and s.person_citizen_id = w.person_citizen_id join drug_case c on c.id = w.drug_case_id',
    );
    expect(wanted.length).toBe(await n('wanted_person'));
    expect(wanted.length).toBeGreaterThan(0);
    const day = (d: unknown) => (d == null ? null : String(d instanceof Date ? d.toISOString() : d).slice(0, 10));
    for (const w of wanted) expect(day(w.arrested)).toBe(day(w.caught));
    // Dealers are backbone persons, each recorded once.
    expect(Number((await sql('select count(*) as n from retail_dealer r left join person p on p.citizen_id = r.person_citizen_id where p.citizen_id is null'))[0].n)).toBe(0);
    expect(Number((await sql('select count(distinct person_citizen_id) as n from retail_dealer'))[0].n)).toBe(await n('retail_dealer'));
    // Drug-free communes have no hotspots, dealers or cultivation detected in that year.
    for (const table of ['hotspot', 'retail_dealer', 'cultivation_site']) {
      const clash = await sql(
        `select count(*) as n from ${table} t join commune_drug_situation s on s.commune_code = t.commune_code and s.classification = 'DRUG_FREE' where t.detected_on between ? and ? and s.year = ?`,
        [`${province.year}-01-01`, `${province.year}-12-31`, province.year],
      );
      expect(Number(clash[0].n)).toBe(0);
    }
  });

  test('lists filter by commune, period and status, and match the tables', async () => {
    const code = province.communes.find((c) => c.border)!.code;
    const year = province.year;
    const res = await postGraphql(
      url,
      `query($code: String, $year: Int, $day: LocalDate) {
        hotspots(communeCode: $code, year: $year, dismantled: true, first: 500) { totalCount items { id dismantledOn } }
        retailDealers(year: $year, status: ACTIVE, first: 500) { totalCount items { person { citizenId } } }
        cultivationSites(year: $year, destroyed: true, first: 500) { totalCount items { areaM2 } }
        managementFiles(openOn: $day, category: ADDICT, communeCode: $code, first: 500) { totalCount }
        wantedPersons(caught: false, first: 500) { totalCount items { person { citizenId } drugCase { id } } }
        communeDrugSituations(year: $year, classification: DRUG_FREE, first: 500) { totalCount }
        drugCases(year: $year, route: SEA, first: 500) { totalCount items { id seizedItems { kgEquivalent } } }
      }`,
      { code, year, day: `${year}-12-31` },
    );
    expect(res.errors).toBeUndefined();
    const d = res.data;
    const one = async (q: string, params: unknown[]) => Number((await sql(q, params))[0].n);
    const [from, to] = [`${year}-01-01`, `${year}-12-31`];
    expect(d.hotspots.totalCount).toBe(await one('select count(*) as n from hotspot where commune_code = ? and detected_on between ? and ? and dismantled_on is not null', [code, from, to]));
    expect(d.retailDealers.totalCount).toBe(await one(`select count(*) as n from retail_dealer where detected_on between ? and ? and status = 'ACTIVE'`, [from, to]));
    expect(d.cultivationSites.totalCount).toBe(await one('select count(*) as n from cultivation_site where detected_on between ? and ? and destroyed_on is not null', [from, to]));
    expect(d.managementFiles.totalCount).toBe(province.managed.filter((m) => m.communeCode === code && m.category === 'ADDICT' && m.openedOn <= to && (!m.closedOn || m.closedOn > to)).length);
    expect(d.wantedPersons.totalCount).toBe(await one('select count(*) as n from wanted_person where caught_on is null', []));
    expect(d.communeDrugSituations.totalCount).toBe(await one(`select count(*) as n from commune_drug_situation where year = ? and classification = 'DRUG_FREE'`, [year]));
    expect(d.drugCases.totalCount).toBe(await one(`select count(*) as n from drug_case where reported_on between ? and ? and route = 'SEA'`, [from, to]));
    for (const c of d.drugCases.items) expect(c.seizedItems.length).toBe(province.cases.find((x) => x.id === c.id)!.substanceCodes.length);
  });

  test('listing 5 or 100 cases with items, suspects and wanted notices costs the same statements', async () => {
    // One use per loader: a loader shared by two lists (persons of suspects and of wanted notices)
    // may be flushed in one batch or two depending on when the lists arrive, whatever the page size.
    const run = async (first: number) => {
      service.queries.reset();
      const res = await postGraphql(url, `query($first: Int!) { drugCases(first: $first) { items { id penalArticleTitle seizedItems { unit substance { code } } suspects { person { fullName } } wantedPersons { wantedSince caughtOn } } } }`, { first });
      expect(res.errors).toBeUndefined();
      expect(res.data.drugCases.items).toHaveLength(first);
      return service.queries.total;
    };
    expect(await run(100)).toBe(await run(5));
  });
});

describe('domain-depth migration', () => {
  test('upgrades a database that was seeded before it (and before idempotency keys had a caller)', async () => {
    const db = await testDatabase('police');
    const before: MigrationSets = { sqlite: migrations.sqlite.slice(0, 2), postgresql: migrations.postgresql.slice(0, 2) };
    let orm = await openOrm({ database: db.target, entities, migrations: before });
    try {
      await orm.migrator.up();
      const c = orm.em.getConnection();
      await c.execute(`insert into hotspot (kind, place, commune_code, detected_on) values ('USE_POINT', 'Nhà riêng', '01000', '2025-01-01')`);
      await c.execute(`insert into drug_case (id, reported_on, commune_code, article, status, route) values ('VA-2025-00001', '2025-01-01', '01000', '249', 'REPORTED', 'SEA')`);
      await c.execute(`insert into idempotent_write (key, operation, request_hash, entity, result_id, created_at) values ('written-before-01', 'openDrugCase', 'h', 'DrugCase', 'VA-2025-00001', '2025-01-01')`);
      await orm.close(true);
      orm = await openOrm({ database: db.target, entities, migrations });
      const names = (db.target.kind === 'sqlite' ? migrations.sqlite : migrations.postgresql).slice(2).map((m) => m.name);
      expect((await orm.migrator.up()).map((m) => m.name)).toEqual(names);
      const [h] = await orm.em.getConnection().execute('select venue_type, recurrence_count, recurred_on from hotspot');
      expect({ ...h, recurrence_count: Number(h.recurrence_count) }).toEqual({ venue_type: 'OTHER', recurrence_count: 0, recurred_on: null });
      const [dc] = await orm.em.getConnection().execute('select transnational, organised, cyberspace, assets_recovered_vnd from drug_case');
      expect([Boolean(dc.transnational), Boolean(dc.organised), Boolean(dc.cyberspace), dc.assets_recovered_vnd]).toEqual([false, false, false, null]);
      // Idempotency keys written before keys had a caller are kept, with the empty caller.
      expect(await orm.em.getConnection().execute('select caller, key, result_id from idempotent_write')).toEqual([{ caller: '', key: 'written-before-01', result_id: 'VA-2025-00001' }]);
      expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    } finally {
      await orm.close(true);
      await db.drop();
    }
  });
});
