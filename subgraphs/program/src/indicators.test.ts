import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { samePeriodLastYear, syntheticProvince } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, TEST_IDENTITY, type TestSubgraph } from '@pcmt/kit/testing';
import { program } from './index.js';
import { dataSpan, INDICATORS, meets, statusOf, unreported } from './indicators.js';
import { periodRange } from './periods.js';
import { migrations } from './migrations/index.js';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(program, syntheticProvince({ seed: 3, scale: 0.05 }));
});

afterAll(async () => {
  await subgraph?.close();
});

const byId = (id: string) => INDICATORS.find((d) => d.id === id)!;

describe('indicator computations', () => {
  test('ratios are never capped; b shows how many still operate', () => {
    expect(byId('b1').compute({ hotspotsDetectedDismantled: 3, hotspotsDetected: 4 })).toMatchObject({ value: 75, numerator: 3, denominator: 4, details: [{ name: 'stillOperating', value: 1 }] });
    // More dismantled than detected is a data error to see, not 100 %.
    expect(byId('b1').compute({ hotspotsDetectedDismantled: 5, hotspotsDetected: 4 })?.value).toBe(125);
    expect(byId('b3').compute({ cultivationAreaDetectedDestroyedM2: 900, cultivationAreaDetectedM2: 1000 })?.details?.[0].value).toBe(100);
  });

  test('denominator 0 or a missing figure is no data', () => {
    expect(byId('b1').compute({ hotspotsDetectedDismantled: 0, hotspotsDetected: 0 })).toBeNull();
    expect(byId('h').compute({ servedLegalAidPersons: 3 })).toBeNull();
    expect(byId('h').compute({ servedLegalAidPersons: 0, eligibleLegalAidPersons: 0 })).toBeNull();
  });

  test('change indicators compare with the same period of the previous year; the first year has none', () => {
    expect(byId('a').compute({ managedUsers: 40, managedAddicts: 50, managedUsersLastYear: 50, managedAddictsLastYear: 50 })?.value).toBe(-10);
    expect(byId('d3').compute({ cyberspaceCases: 5, cyberspaceCasesLastYear: 0 })).toBeNull();
    expect(samePeriodLastYear('2025-Q2')).toBe('2024-Q2');
    expect(samePeriodLastYear('2025-01')).toBe('2024-01');
    expect(samePeriodLastYear('2025')).toBe('2024');
  });

  test('d counts every agency once: police cases plus customs\' and the Border Guard\'s seizures not handed over; d2 is transnational and organised', () => {
    const figures = {
      seaRouteCases: 4, postalExpressCases: 2, seaRouteSeizuresNotHandedOver: 3, postalExpressSeizuresNotHandedOver: 1, borderGuardSeaRouteSeizuresNotHandedOver: 2,
      seaRouteCasesLastYear: 4, postalExpressCasesLastYear: 2, seaRouteSeizuresNotHandedOverLastYear: 1, postalExpressSeizuresNotHandedOverLastYear: 1, borderGuardSeaRouteSeizuresNotHandedOverLastYear: 0,
    };
    expect(byId('d1').compute(figures)).toMatchObject({ numerator: 4, denominator: 8, value: 50 });
    // Without the Border Guard's figure the value is not a silent police-and-customs count.
    expect(byId('d1').compute({ ...figures, borderGuardSeaRouteSeizuresNotHandedOver: null })).toBeNull();
    expect(byId('d2').compute({ transnationalOrganisedCases: 103, transnationalOrganisedCasesLastYear: 100 })?.value).toBeCloseTo(3);
  });

  test('f2: a year nobody classified is no data, not −100 %', () => {
    const f2 = byId('f2');
    expect(f2.compute({ communesWithDrugProblems: 0, communesClassified: 0, communesWithDrugProblemsLastYear: 20, communesClassifiedLastYear: 30 })).toBeNull();
    expect(f2.compute({ communesWithDrugProblems: 18, communesClassified: 30, communesWithDrugProblemsLastYear: 20, communesClassifiedLastYear: 0 })).toBeNull();
    expect(f2.compute({ communesWithDrugProblems: 18, communesClassified: 30, communesWithDrugProblemsLastYear: 20, communesClassifiedLastYear: 30 })?.value).toBe(-10);
  });

  test('h, i1, i2, border, managed follow the seed definitions', () => {
    expect(byId('h').compute({ servedLegalAidPersons: 9, eligibleLegalAidPersons: 10 })?.value).toBe(90);
    // Numerator: assessed opioid addicts in treatment, not every enrolment (methadonePatientsAtEnd counts those without an assessment too).
    const i1 = byId('i1').compute({ methadonePatientsAtEnd: 60, opioidAddictsInTreatment: 45, opioidAddictsAssessed: 50, methadonePatientsRetained: 40, methadonePatientsInTreatment: 50 });
    expect(i1).toMatchObject({ value: 90, numerator: 45, details: [{ name: 'retentionPercent', value: 80 }] });
    // g2: persons on the attendance lists over workers; the attendances beside it.
    expect(byId('g2').compute({ industrialParkWorkersReachedDistinct: 700, industrialParkWorkersReached: 1200, industrialParkWorkers: 1000 })).toMatchObject({ value: 70, details: [{ name: 'attendances', value: 1200 }] });
    expect(byId('i2').compute({ personsCounselled: 90, managedCounsellingPopulation: 100 })?.value).toBe(90);
    // Customs' and the Border Guard's land-border kilograms over police cases plus both agencies' seizures not handed over.
    expect(byId('border').compute({ landBorderSeizedKg: 50, borderGuardLandBorderSeizedKg: 20, policeSeizedKg: 80, seizedKgNotHandedOver: 10, borderGuardSeizedKgNotHandedOver: 10 })?.value).toBe(70);
    expect(byId('border').levels).toEqual(['PROVINCE']);
    expect(byId('managed').compute({ managedUsers: 20, managedAddicts: 60, personsAssessedAddicted: 80 })?.value).toBe(80);
    expect(byId('e').compute({ communesWithAddicts: ['1', '2', '3', '4'], communesWithRehabReceptionPoint: ['2', '3', '4', '9'] })?.value).toBe(75);
    expect(byId('outside').compute({ personsInFacilityRehab: 10, managedUsers: 20, managedAddicts: 60 })?.value).toBe(87.5);
  });

  test('strict comparators: "trên 80 %" is not met at exactly 80 %', () => {
    const g3 = byId('g3');
    expect(g3.compute({ mainMediaOutletsWithColumn: 4, mainMediaOutlets: 5 })?.value).toBe(80);
    expect(statusOf(g3, 80, '2025-12-31')).toBe('OFF_TRACK');
    expect(statusOf(g3, 80.01, '2025-12-31')).toBe('MET');
    for (const [id, target] of [['dd1', 80], ['e', 70], ['g2', 70], ['i2', 90], ['d1', 3], ['d2', 3], ['d3', 5], ['border', 70]] as const) {
      expect({ id, comparator: byId(id).comparator, target: byId(id).target }).toEqual({ id, comparator: 'ABOVE', target });
      expect({ id, status: statusOf(byId(id), target, '2025-12-31') }).toEqual({ id, status: 'OFF_TRACK' });
    }
    // "100 %" is met at exactly 100 %.
    expect(statusOf(byId('g1'), 100, '2025-12-31')).toBe('MET');
    // "giảm" (fall): 0 % is no fall.
    expect(statusOf(byId('a'), 0, '2025-12-31')).toBe('OFF_TRACK');
    expect(statusOf(byId('a'), -0.5, '2025-12-31')).toBe('MET');
    expect(meets('AT_MOST', -10, -10)).toBe(true);
  });

  test('status: met, on track against the line from baseline to target, off track, no data, context', () => {
    const f1 = byId('f1'); // baseline 11.8 % in 2023, more than 50 % by 2025
    expect(statusOf(f1, 55, '2025-12-31')).toBe('MET');
    expect(statusOf(f1, 50, '2025-12-31')).toBe('OFF_TRACK');
    expect(statusOf(f1, 35, '2024-12-31')).toBe('ON_TRACK'); // line at 2024: 30.9 %
    expect(statusOf(f1, 25, '2024-12-31')).toBe('OFF_TRACK');
    expect(statusOf(f1, 45, '2025-12-31')).toBe('OFF_TRACK'); // deadline reached
    expect(statusOf(byId('a'), 2, '2025-12-31')).toBe('OFF_TRACK');
    expect(statusOf(byId('h'), null, '2025-12-31')).toBe('NO_DATA');
    expect(statusOf(byId('outside'), 87.5, '2025-12-31')).toBe('CONTEXT');
    expect(statusOf(byId('outside'), null, '2025-12-31')).toBe('CONTEXT');
  });

  test('a period outside an agency\'s records is unreported', () => {
    const f = {
      policeFilesSince: '2021-01-03', policeCasesSince: '2024-01-02', policeFilesThrough: '2025-11-30', policeCasesThrough: '2025-12-20',
      healthCounsellingSince: null, healthCounsellingThrough: null, healthAssessmentsSince: '2023-02-01', healthAssessmentsThrough: '2025-06-01',
    };
    expect(dataSpan(f, 'police')).toEqual({ since: '2021-01-03', through: '2025-12-20' });
    expect(dataSpan(f, 'health')).toEqual({ since: '2023-02-01', through: '2025-06-01' });
    expect(dataSpan(f, 'customs')).toBeNull();
    const year = (y: number) => ({ from: `${y}-01-01`, to: `${y}-12-31` });
    expect(unreported(byId('a'), f, year(2025))).toBe(false);
    expect(unreported(byId('a'), f, year(2026))).toBe(true);
    expect(unreported(byId('a'), f, year(2020))).toBe(true);
    expect(unreported(byId('i1'), f, { from: '2025-07-01', to: '2025-09-30' })).toBe(true);
    expect(unreported(byId('i2'), f, { from: '2025-04-01', to: '2025-06-30' })).toBe(false); // health and police both have records then
    // Seizures are rare events: an agency without any in the place adds 0, it does not make the period unreported.
    expect(unreported(byId('border'), f, year(2025))).toBe(false);
    const borderGuardUntilMarch = { ...f, borderGuardSeizuresSince: '2024-02-01', borderGuardSeizuresThrough: '2025-03-10' };
    // The province's span of them counts; a commune's says nothing (one seizure there in March).
    expect(unreported(byId('d1'), borderGuardUntilMarch, { from: '2025-10-01', to: '2025-12-31' }, 'PROVINCE')).toBe(true);
    expect(unreported(byId('d1'), borderGuardUntilMarch, { from: '2025-10-01', to: '2025-12-31' }, 'COMMUNE')).toBe(false);
    expect(unreported(byId('d1'), borderGuardUntilMarch, year(2025), 'PROVINCE')).toBe(false);
  });

  test('every definition quotes its seed line and cites its document', () => {
    for (const d of INDICATORS) {
      expect({ id: d.id, quotes: /Seed: «[^»]{20,}» \((00[0-4]) — /.test(d.definition) }).toEqual({ id: d.id, quotes: true });
      expect(d.comparator.length).toBeLessThanOrEqual(8); // the catalogue column
    }
  });

  test('period ranges for trends', () => {
    expect(periodRange('2024-Q3', '2025-Q2')).toEqual(['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
    expect(() => periodRange('2025', '2025-Q1')).toThrow(/same kind/);
  });
});

describe('indicators through the subgraph', () => {
  test('the catalogue is in the database with targets and sources', async () => {
    const res = await postGraphql(subgraph.url, '{ indicators { id nameVi target deadline source levels } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.indicators.map((i: any) => i.id).sort()).toEqual(INDICATORS.map((d) => d.id).sort());
    for (const i of res.data.indicators) expect(i.source.length).toBeGreaterThan(5);
  });

  test('a commune period computes its indicators from the figures federation brings in', async () => {
    const through = {
      policeFilesSince: '2021-01-01', policeFilesThrough: '2025-12-01', legalAidRequestsSince: '2021-01-01', legalAidRequestsThrough: '2025-12-01',
      educationActivitiesSince: '2021-01-01', educationActivitiesThrough: '2025-12-01',
    };
    const rep = { __typename: 'CommunePeriod', communeCode: '01000', period: '2025', ...through, hotspotsDetected: 4, hotspotsDetectedDismantled: 3, schools: 2, schoolsReached: 2, eligibleLegalAidPersons: 0, servedLegalAidPersons: 0 };
    const res = await postGraphql(subgraph.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on CommunePeriod { indicators { indicator { id } value status target details { name value } } } } }', { r: [rep] });
    expect(res.errors).toBeUndefined();
    const values = Object.fromEntries(res.data._entities[0].indicators.map((v: any) => [v.indicator.id, v]));
    expect(values.b1).toMatchObject({ value: 75, status: 'OFF_TRACK', target: 100, details: [{ name: 'stillOperating', value: 1 }] });
    expect(values.g1).toMatchObject({ value: 100, status: 'MET' });
    expect(values.h).toMatchObject({ value: null, status: 'NO_DATA' });
    // After the agencies' last records: no data, whatever the registers say.
    const later = await postGraphql(subgraph.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on CommunePeriod { indicators { indicator { id } value status } } } }', { r: [{ ...rep, period: '2030-Q4' }] });
    for (const v of later.data._entities[0].indicators) expect({ id: v.indicator.id, value: v.value, status: v.status }).toEqual({ id: v.indicator.id, value: null, status: v.indicator.id === 'outside' ? 'CONTEXT' : 'NO_DATA' });
    // Province-only indicators are not computed for a commune.
    expect(values.g3).toBeUndefined();
  });

  test('a person count left out of the representation is withheld like a null one (fail closed, whatever the planner)', async () => {
    // A caller without small-cell rights (no person:identity): the steering committee's dashboard.
    const caller = { ...TEST_IDENTITY, scopes: ['figures:read'] };
    const health = { healthAssessmentsSince: '2021-01-01', healthAssessmentsThrough: '2025-12-30', healthCounsellingSince: '2021-01-01', healthCounsellingThrough: '2025-12-30' };
    const e3 = async (figures: Record<string, unknown>) => {
      const rep = { __typename: 'ProvincePeriod', provinceCode: '04', period: '2025', ...health, ...figures };
      const res = await postGraphql(subgraph.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on ProvincePeriod { indicators { indicator { id } value numerator suppressed } } } }', { r: [rep] }, {}, caller);
      expect(res.errors).toBeUndefined();
      return res.data._entities[0].indicators.find((v: any) => v.indicator.id === 'e3');
    };
    expect(await e3({ personsInCommunityRehab: 60, personsInCommunityRehabLastYear: 40 })).toMatchObject({ value: 50, suppressed: false });
    const withheld = { value: null, numerator: null, suppressed: true };
    expect(await e3({ personsInCommunityRehab: null, personsInCommunityRehabLastYear: 40 })).toMatchObject(withheld);
    expect(await e3({ personsInCommunityRehabLastYear: 40 })).toMatchObject(withheld);
  });

  test('an indicator the database catalogue lacks (seeded before it existed) is computed from the code catalogue', async () => {
    await subgraph.service.orm.em.fork().getConnection().execute('delete from indicator where id = ?', ['c1']);
    const rep = { __typename: 'ProvincePeriod', provinceCode: '04', period: '2025', borderGuardSeizuresSince: '2024-01-01', borderGuardSeizuresThrough: '2025-12-01', antiDrugTeams: 10, antiDrugTeamsEquipped: 9 };
    const res = await postGraphql(subgraph.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on ProvincePeriod { indicators { indicator { id comparator } value status } } } }', { r: [rep] });
    expect(res.errors).toBeUndefined();
    const c1 = res.data._entities[0].indicators.find((v: any) => v.indicator.id === 'c1');
    expect(c1).toEqual({ indicator: { id: 'c1', comparator: 'ABOVE' }, value: 90, status: 'MET' });
  });

  test('the definitions migration rewrites catalogue rows seeded with an old definition', async () => {
    const orm = subgraph.service.orm;
    const conn = orm.em.fork().getConnection();
    await conn.execute(`update indicator set definition = 'attendances, an upper bound' where id in ('g2', 'i1')`);
    const postgres = (orm.config.get('driver')?.name ?? '').toLowerCase().includes('postgre');
    const step = (postgres ? migrations.postgresql : migrations.sqlite).find((m) => m.name.endsWith('_definitions_follow_seeds'))!;
    // Run as the migrator would: collect the statements up() adds, then execute them.
    const migration = new step.class(orm.em.getDriver() as never, orm.config) as unknown as { up(): Promise<void> | void; getQueries(): unknown[] };
    await migration.up();
    for (const q of migration.getQueries()) await conn.execute(q as string);
    const rows = await conn.execute(`select id, definition from indicator where id in ('g2', 'i1') order by id`);
    expect(rows.map((r: any) => [r.id, r.definition])).toEqual([['g2', byId('g2').definition], ['i1', byId('i1').definition]]);
  });

  test('a malformed period is refused', async () => {
    const res = await postGraphql(subgraph.url, '{ commune(code: "01000") { period(period: "2025-13") { communeCode } } }');
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });
});
