import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { addDays, parsePeriod, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, TEST_IDENTITY, type TestSubgraph } from '@pcmt/kit/testing';
import { health } from './index.js';

const province = syntheticProvince({ seed: 7, scale: 0.05 });
const yearStart = `${province.year}-01-01`;
const yearEnd = `${province.year}-12-31`;
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

/** Dosed days of one patient in the synthetic year, computed without the seed code. */
function expectedDays(m: (typeof province.methadone)[number]): number {
  const from = m.startedOn > yearStart ? m.startedOn : yearStart;
  const to = m.droppedOn ? addDays(m.droppedOn, -1) : yearEnd;
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) n++;
  return n;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [{ n }] = await service.orm.em.fork().getConnection().execute(sql, params);
  return Number(n);
}

async function sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  return service.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}

/** `{ k, n }` rows as a map from commune code to number. */
async function byCommune(query: string, params: unknown[] = []): Promise<Map<string, number>> {
  return new Map((await sql(query, params)).map((r) => [r.k, Number(r.n)]));
}

function tally<T>(rows: T[], key: (r: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return out;
}

/** Day the synthetic patient was recorded DROPPED_OUT: a month without a dose after they stopped coming. */
const droppedOutOn = (m: (typeof province.methadone)[number]) => (m.droppedOn ? addDays(m.droppedOn, 30) : null);

beforeAll(async () => {
  subgraph = await startTestSubgraph(health, province);
  ({ service, url } = subgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

describe('health subgraph', () => {
  test('seeds exactly the synthetic patients, assessments and doses', async () => {
    const addicts = province.managed.filter((m) => m.category === 'ADDICT');
    const users = province.managed.filter((m) => m.category === 'ILLEGAL_USER');
    expect(await count('select count(*) as n from methadone_enrollment')).toBe(province.methadone.length);
    expect(await count(`select count(*) as n from methadone_enrollment where status = 'DROPPED_OUT'`)).toBe(province.methadone.filter((m) => m.droppedOn).length);
    expect(await count('select count(*) as n from dose_record')).toBe(province.methadone.reduce((s, m) => s + expectedDays(m), 0));
    expect(await count(`select count(*) as n from facility where kind = 'COMMUNE_HEALTH_STATION'`)).toBe(province.communes.length);
    // Every addict is assessed addicted; users only sometimes.
    const assessed = await count('select count(*) as n from addiction_assessment');
    expect(assessed).toBeGreaterThan(addicts.length);
    expect(assessed).toBeLessThanOrEqual(addicts.length + users.length);
    const addictIds = addicts.map((m) => m.citizenId);
    const marks = addictIds.map(() => '?').join(',');
    expect(await count(`select count(*) as n from addiction_assessment where result = 'ADDICTED' and citizen_id in (${marks})`, addictIds)).toBe(addicts.length);
    // Assessments are made only where the facility is able to make them.
    expect(await count('select count(*) as n from addiction_assessment a join facility f on f.id = a.facility_id where not f.can_assess_addiction')).toBe(0);
    // A missed day has no dose.
    expect(await count('select count(*) as n from dose_record where missed and dose_mg <> 0')).toBe(0);
  });

  test('resolves a methadone enrolment with clinic, person and doses', async () => {
    const patient = province.methadone.find((m) => m.droppedOn) ?? province.methadone[0];
    const list = await postGraphql(
      url,
      `query($code: String) { methadoneEnrollments(communeCode: $code, first: 500) { totalCount items { id person { citizenId } } } }`,
      { code: patient.communeCode },
    );
    expect(list.errors).toBeUndefined();
    expect(list.data.methadoneEnrollments.totalCount).toBe(province.methadone.filter((m) => m.communeCode === patient.communeCode).length);
    const id = list.data.methadoneEnrollments.items.find((e: any) => e.person.citizenId === patient.citizenId).id;

    const res = await postGraphql(
      url,
      `query($id: ID!, $year: Int) { methadoneEnrollment(id: $id) {
        startedOn status currentDoseMg commune { code } clinic { kind name }
        doseCount(year: $year) missedDoseCount(year: $year) doses(year: $year, first: 500) { day doseMg observed missed }
      } }`,
      { id, year: province.year },
    );
    expect(res.errors).toBeUndefined();
    const e = res.data.methadoneEnrollment;
    expect(e).toMatchObject({ startedOn: patient.startedOn, status: patient.droppedOn ? 'DROPPED_OUT' : 'ACTIVE', commune: { code: patient.communeCode } });
    expect(e.clinic.kind).toBe('METHADONE_CLINIC');
    expect(e.doseCount).toBe(expectedDays(patient));
    expect(e.doses).toHaveLength(e.doseCount);
    expect(e.missedDoseCount).toBe(e.doses.filter((d: any) => d.missed).length);
    expect(e.doses[0].day).toBe(patient.startedOn > yearStart ? patient.startedOn : yearStart);
    if (patient.droppedOn) expect(e.doses.at(-1).day).toBe(addDays(patient.droppedOn, -1));

    const page = await postGraphql(url, `query($id: ID!) { methadoneEnrollment(id: $id) { doses(from: "${yearStart}", to: "${province.year}-01-31", first: 5, offset: 2) { day } } }`, { id });
    expect(page.errors).toBeUndefined();
    expect(page.data.methadoneEnrollment.doses.length).toBeLessThanOrEqual(5);
  });

  test('a page of doses per enrolment is cut in SQL: each page equals its slice, in one statement for all enrolments', async () => {
    const ids = (await sql<{ id: number }>('select id from methadone_enrollment order by id limit 40')).map((r) => String(r.id));
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on MethadoneEnrollment { id doses(first: 4, offset: 3) { day } } } }`;
    service.queries.reset();
    const res = await postGraphql(url, query, { r: ids.map((id) => ({ __typename: 'MethadoneEnrollment', id })) });
    const statements = service.queries.total;
    expect(res.errors).toBeUndefined();
    const rows = await sql<{ enrollment_id: number; day: string }>(`select enrollment_id, day from dose_record where enrollment_id in (${ids.join(',')}) order by enrollment_id, day`);
    for (const e of (res.data as any)._entities) {
      const all = rows.filter((r) => String(r.enrollment_id) === e.id).map((r) => String(r.day).slice(0, 10));
      expect(e.doses.map((d: any) => d.day)).toEqual(all.slice(3, 7));
    }
    // The enrolments (one), their doses (one), whatever the number of enrolments.
    expect(statements).toBe(2);
  });

  test('resolves a person with assessments and enrolments, and facilities by kind', async () => {
    const patient = province.methadone[0];
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
        addictionAssessments { result severity substance { code } facility { canAssessAddiction } commune { code } }
        methadoneEnrollments { status clinic { kind } }
      } } }`,
      { reps: [{ __typename: 'Person', citizenId: patient.citizenId }] },
    );
    expect(res.errors).toBeUndefined();
    const [person] = res.data._entities;
    expect(person.addictionAssessments).toHaveLength(1);
    const [a] = person.addictionAssessments;
    expect(a).toMatchObject({ result: 'ADDICTED', facility: { canAssessAddiction: true }, commune: { code: patient.communeCode } });
    expect(['HEROIN', 'OPIUM']).toContain(a.substance.code);
    expect(a.severity).not.toBeNull();
    expect(person.methadoneEnrollments).toHaveLength(1);

    const clinics = await postGraphql(url, `{ facilities(kind: METHADONE_CLINIC) { totalCount items { id kind commune { code } } } }`);
    expect(clinics.errors).toBeUndefined();
    expect(clinics.data.facilities.totalCount).toBeGreaterThan(0);
    const one = clinics.data.facilities.items[0];
    const byId = await postGraphql(url, `query($id: ID!) { facility(id: $id) { id kind commune { code } } }`, { id: one.id });
    expect(byId.data.facility).toEqual(one);
  });

  test('rejects bad input with a field error', async () => {
    const badId = await postGraphql(url, `{ facility(id: "abc") { name } }`);
    expect(badId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const badCommune = await postGraphql(url, `{ methadoneEnrollments(communeCode: "12") { totalCount } }`);
    expect(badCommune.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'communeCode' });
    const badPage = await postGraphql(url, `{ methadoneEnrollments(first: 0) { totalCount } }`);
    expect(badPage.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badYear = await postGraphql(url, `{ methadoneEnrollment(id: 1) { doseCount(year: 1800) } }`);
    expect(badYear.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
  });

  test('per-commune figures are counted in SQL and match the synthetic province', async () => {
    const year = province.year;
    const reps = province.communes.map((c) => ({ __typename: 'Commune', code: c.code }));
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!, $year: Int) { _entities(representations: $reps) { ... on Commune {
        code activeMethadonePatientCount addictionAssessmentCount(year: $year)
        facilities { kind } methadoneEnrollments(status: DROPPED_OUT, first: 500) { status }
      } } }`,
      { reps, year },
    );
    expect(res.errors).toBeUndefined();
    for (const c of res.data._entities) {
      const patients = province.methadone.filter((m) => m.communeCode === c.code);
      expect(c.activeMethadonePatientCount).toBe(patients.filter((m) => !m.droppedOn).length);
      expect(c.methadoneEnrollments).toHaveLength(patients.filter((m) => m.droppedOn).length);
      expect(c.facilities.filter((f: any) => f.kind === 'COMMUNE_HEALTH_STATION')).toHaveLength(1);
      expect(c.addictionAssessmentCount).toBe(
        await count('select count(*) as n from addiction_assessment where commune_code = ? and assessed_on between ? and ?', [c.code, `${year}-01-01`, `${year}-12-31`]),
      );
    }
    expect(res.data._entities.reduce((s: number, c: any) => s + c.activeMethadonePatientCount, 0)).toBe(province.methadone.filter((m) => !m.droppedOn).length);
  });

  test('entity lookups of many persons and communes cost a constant number of statements', async () => {
    const run = async (reps: object[], selection: string) => {
      service.queries.reset();
      const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ${selection} } }`, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(reps.length);
      return service.queries.total;
    };
    // Patients with a rehab episode at a facility first, so the small set reaches every nested loader too.
    const atFacility = new Set((await sql(`select citizen_id from rehab_episode where facility_id is not null`)).map((r) => r.citizen_id));
    const patients = [...province.methadone].sort((a, b) => Number(atFacility.has(b.citizenId)) - Number(atFacility.has(a.citizenId)));
    expect(atFacility.has(patients[0].citizenId)).toBe(true);
    const persons = (n: number) => patients.slice(0, n).map((m) => ({ __typename: 'Person', citizenId: m.citizenId }));
    const communes = (n: number) => province.communes.slice(0, n).map((c) => ({ __typename: 'Commune', code: c.code }));
    expect(province.methadone.length).toBeGreaterThan(50);
    const everything = `
      ... on Person {
        addictionAssessments { result facility { name } substances { code } }
        methadoneEnrollments { clinic { name } doseCount missedDoseCount(year: ${province.year}) doses(first: 3) { day missedReason } statusHistory { status changedOn }
          urineTests(first: 3) { testedOn results { analyte positive } } }
        rehabEpisodes { form } counsellings(year: ${province.year}) { kind } urineTests(first: 2) { enrollment { id } }
      }
      ... on Commune { facilities { name } activeMethadonePatientCount addictionAssessmentCount methadoneEnrollments(first: 5) { currentDoseMg clinic { kind } } }`;
    expect(await run([...persons(50), ...communes(province.communes.length)], everything)).toBe(await run([...persons(5), ...communes(2)], everything));
    // Facilities are one loader for every field: a facility one field already loaded costs the next
    // field nothing, so each field is measured on its own.
    for (const selection of [
      '... on Person { rehabEpisodes { facility { kind } } }',
      `... on Person { counsellings(year: ${province.year}) { facility { kind } } }`,
      '... on Person { methadoneEnrollments { urineTests(first: 2) { facility { kind } } } }',
    ]) {
      expect({ selection, n: await run(persons(50), selection) }).toEqual({ selection, n: await run(persons(5), selection) });
    }
  });
});

describe('domain depth seeded from the backbone', () => {
  const yearEnd = `${province.year}-12-31`;
  const addicts = province.managed.filter((m) => m.category === 'ADDICT');

  test('status history: ACTIVE from the start, DROPPED_OUT a month after the last dose, and the enrolment status is the latest entry', async () => {
    const dropped = province.methadone.filter((m) => m.droppedOn);
    expect(dropped.length).toBeGreaterThan(0);
    expect(await count(`select count(*) as n from enrollment_status_change where status = 'ACTIVE'`)).toBe(province.methadone.length);
    expect(await count(`select count(*) as n from enrollment_status_change`)).toBe(province.methadone.length + dropped.length);
    const rows = await sql(`select e.citizen_id, c.status, c.changed_on, c.superseded_on from enrollment_status_change c join methadone_enrollment e on e.id = c.enrollment_id order by c.id`);
    const byPerson = new Map<string, any[]>();
    for (const r of rows) byPerson.set(r.citizen_id, [...(byPerson.get(r.citizen_id) ?? []), r]);
    for (const m of province.methadone) {
      const history = byPerson.get(m.citizenId)!.map((r) => ({ status: r.status, changedOn: String(r.changed_on).slice(0, 10), supersededOn: r.superseded_on && String(r.superseded_on).slice(0, 10) }));
      const out = droppedOutOn(m);
      expect(history).toEqual([
        { status: 'ACTIVE', changedOn: m.startedOn, supersededOn: out },
        ...(out ? [{ status: 'DROPPED_OUT', changedOn: out, supersededOn: null }] : []),
      ]);
    }
    // The last dose is more than 30 days before the dropout: one missed month.
    expect(await count(`select count(*) as n from dose_record d join enrollment_status_change c on c.enrollment_id = d.enrollment_id and c.status = 'DROPPED_OUT' where d.day >= c.changed_on`)).toBe(0);
    const res = await postGraphql(url, `query($id: ID!) { methadoneEnrollment(id: $id) { status statusHistory { status changedOn supersededOn reason } } }`, {
      id: (await sql(`select id from methadone_enrollment where citizen_id = ?`, [dropped[0].citizenId]))[0].id,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.methadoneEnrollment.status).toBe('DROPPED_OUT');
    expect(res.data.methadoneEnrollment.statusHistory.map((h: any) => h.status)).toEqual(['ACTIVE', 'DROPPED_OUT']);
  });

  test('missed doses carry a reason, taken doses none', async () => {
    expect(await count(`select count(*) as n from dose_record where missed and missed_reason is null`)).toBe(0);
    expect(await count(`select count(*) as n from dose_record where not missed and missed_reason is not null`)).toBe(0);
    expect(await count(`select count(*) as n from dose_record where missed`)).toBeGreaterThan(0);
  });

  test('assessments list every substance, the primary one first', async () => {
    expect(await count(`select count(*) as n from addiction_assessment a where not exists (select 1 from assessment_substance s where s.assessment_id = a.id)`)).toBe(0);
    expect(await count(`select count(*) as n from addiction_assessment a join assessment_substance s on s.id = (select min(id) from assessment_substance x where x.assessment_id = a.id) where s.substance_code <> a.substance_code`)).toBe(0);
    expect(await count(`select count(*) as n from assessment_substance`)).toBeGreaterThan(await count(`select count(*) as n from addiction_assessment`));
    const several = (await sql(`select assessment_id from assessment_substance group by assessment_id having count(*) > 1`))[0].assessment_id;
    const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on AddictionAssessment { substance { code } substances { code } } } }`, {
      reps: [{ __typename: 'AddictionAssessment', id: String(several) }],
    });
    expect(res.errors).toBeUndefined();
    const [a] = res.data._entities;
    expect(a.substances.length).toBe(2);
    expect(a.substances[0]).toEqual(a.substance);
  });

  test('community rehab points stand in 60–75 % of the communes with addicts', async () => {
    const withAddicts = new Set(addicts.map((m) => m.communeCode));
    const points = await sql(`select commune_code, opened_on, can_assess_addiction from facility where kind = 'COMMUNITY_REHAB_POINT'`);
    expect(points.length).toBe(Math.round(withAddicts.size * 0.68));
    expect(new Set(points.map((p) => p.commune_code)).size).toBe(points.length);
    for (const p of points) {
      expect(withAddicts.has(p.commune_code)).toBe(true);
      expect(String(p.opened_on).slice(0, 10) <= yearEnd).toBe(true);
    }
    const share = points.length / withAddicts.size;
    expect(share).toBeGreaterThanOrEqual(0.6);
    expect(share).toBeLessThanOrEqual(0.75);
  });

  test('one rehab episode for about 30 % of addicts: mostly at home or in the community, compulsory ones at public facilities', async () => {
    const rows = await sql(`select r.citizen_id, r.commune_code, r.form, r.started_on, r.ended_on, r.outcome, f.kind from rehab_episode r left join facility f on f.id = r.facility_id`);
    expect(rows.length).toBe(Math.round(addicts.length * 0.3));
    expect(new Set(rows.map((r) => r.citizen_id)).size).toBe(rows.length);
    const addictOf = new Map(addicts.map((m) => [m.citizenId, m]));
    const patients = new Set(province.methadone.map((m) => m.citizenId));
    for (const r of rows) {
      expect(addictOf.get(r.citizen_id)?.communeCode).toBe(r.commune_code);
      if (r.form === 'COMPULSORY') expect(r.kind).toBe('PUBLIC_REHAB');
      if (r.form === 'VOLUNTARY_FACILITY') expect(['PUBLIC_REHAB', 'PRIVATE_REHAB']).toContain(r.kind);
      if (r.form === 'VOLUNTARY_HOME_COMMUNITY') expect([null, 'COMMUNITY_REHAB_POINT']).toContain(r.kind);
      if (patients.has(r.citizen_id)) expect(r.form).toBe('VOLUNTARY_HOME_COMMUNITY');
      expect(r.ended_on === null).toBe(r.outcome === null);
      if (r.ended_on) {
        expect(String(r.ended_on).slice(0, 10) >= String(r.started_on).slice(0, 10)).toBe(true);
        expect(String(r.ended_on).slice(0, 10) <= yearEnd).toBe(true);
      }
    }
    const community = rows.filter((r) => r.form === 'VOLUNTARY_HOME_COMMUNITY').length;
    expect(community / rows.length).toBeGreaterThan(0.5);
    expect(rows.some((r) => r.form === 'COMPULSORY')).toBe(true);
  });

  test('85–95 % of users and addicts with an open file are counselled in the year, within their file', async () => {
    const yearStart = `${province.year}-01-01`;
    const open = province.managed.filter((m) => (m.category === 'ILLEGAL_USER' || m.category === 'ADDICT') && (!m.closedOn || m.closedOn > yearEnd));
    const counselled = new Set((await sql(`select distinct citizen_id from counselling where counselled_on between ? and ?`, [yearStart, yearEnd])).map((r) => r.citizen_id));
    const share = open.filter((m) => counselled.has(m.citizenId)).length / open.length;
    expect(share).toBeGreaterThanOrEqual(0.85);
    expect(share).toBeLessThanOrEqual(0.95);
    const managedOf = new Map(province.managed.map((m) => [m.citizenId, m]));
    for (const r of await sql(`select citizen_id, commune_code, counselled_on from counselling`)) {
      const m = managedOf.get(r.citizen_id)!;
      expect(['ILLEGAL_USER', 'ADDICT']).toContain(m.category);
      expect(r.commune_code).toBe(m.communeCode);
      const day = String(r.counselled_on).slice(0, 10);
      expect(day >= m.openedOn && (!m.closedOn || day <= m.closedOn)).toBe(true);
    }
  });

  test('urine tests about monthly while in treatment, opiates mostly negative', async () => {
    const tests = await sql(`select t.id, t.citizen_id, t.tested_on, e.started_on, f.kind from urine_test t join methadone_enrollment e on e.id = t.enrollment_id join facility f on f.id = t.facility_id`);
    expect(tests.length).toBe(await count('select count(*) as n from urine_test'));
    const patientOf = new Map(province.methadone.map((m) => [m.citizenId, m]));
    const months = new Set<string>();
    for (const t of tests) {
      const m = patientOf.get(t.citizen_id)!;
      const day = String(t.tested_on).slice(0, 10);
      expect(day >= m.startedOn && day >= `${province.year}-01-01` && day <= yearEnd).toBe(true);
      if (m.droppedOn) expect(day < m.droppedOn).toBe(true);
      expect(t.kind).toBe('METHADONE_CLINIC');
      const month = `${t.citizen_id}:${day.slice(0, 7)}`;
      expect(months.has(month)).toBe(false);
      months.add(month);
    }
    expect(tests.length / province.methadone.length).toBeGreaterThan(6);
    for (const analyte of ['OPIATES', 'METHAMPHETAMINE']) expect(await count(`select count(*) as n from urine_test_result where analyte = ?`, [analyte])).toBe(tests.length);
    const positive = await count(`select count(*) as n from urine_test_result where analyte = 'OPIATES' and positive`);
    expect(positive / tests.length).toBeLessThan(0.25);
    expect(positive).toBeGreaterThan(0);
  });
});

const FIGURES = [
  'healthStations',
  'healthStationsAbleToAssess',
  'publicRehabFacilities',
  'publicRehabFacilitiesAbleToAssess',
  'rehabReceptionPoints',
  'methadonePatientsInTreatment',
  'methadonePatientsRetained',
  'personsAssessedAddicted',
  'personsCounselled',
  'personsInFacilityRehab',
  'personsInCommunityRehab',
] as const;

/** Every figure of every commune for one period, worked out without the subgraph's loaders. */
async function expectedFigures(period: string): Promise<Record<(typeof FIGURES)[number], Map<string, number>>> {
  const { from, to } = parsePeriod(period);
  const facilities = (kind: string, more = '') =>
    byCommune(`select commune_code as k, count(*) as n from facility where kind = ? and (opened_on is null or opened_on <= ?) ${more} group by commune_code`, [kind, to]);
  const able = service.config.database.kind === 'sqlite' ? 'and can_assess_addiction = 1' : 'and can_assess_addiction';
  const rehab = (forms: string) =>
    byCommune(`select commune_code as k, count(distinct citizen_id) as n from rehab_episode where form in (${forms}) and started_on <= ? and (ended_on is null or ended_on >= ?) group by commune_code`, [to, from]);
  // Methadone from the synthetic province itself: in treatment from the start until DROPPED_OUT.
  const started = province.methadone.filter((m) => m.startedOn <= to);
  return {
    healthStations: await facilities('COMMUNE_HEALTH_STATION'),
    healthStationsAbleToAssess: await facilities('COMMUNE_HEALTH_STATION', able),
    publicRehabFacilities: await facilities('PUBLIC_REHAB'),
    publicRehabFacilitiesAbleToAssess: await facilities('PUBLIC_REHAB', able),
    rehabReceptionPoints: await facilities('COMMUNITY_REHAB_POINT'),
    methadonePatientsInTreatment: tally(started.filter((m) => !m.droppedOn || droppedOutOn(m)! >= from), (m) => m.communeCode),
    methadonePatientsRetained: tally(started.filter((m) => !m.droppedOn || droppedOutOn(m)! > to), (m) => m.communeCode),
    personsAssessedAddicted: await byCommune(`select commune_code as k, count(distinct citizen_id) as n from addiction_assessment where result = 'ADDICTED' and assessed_on <= ? group by commune_code`, [to]),
    personsCounselled: await byCommune(`select commune_code as k, count(distinct citizen_id) as n from counselling where counselled_on between ? and ? group by commune_code`, [from, to]),
    personsInFacilityRehab: await rehab(`'VOLUNTARY_FACILITY', 'COMPULSORY'`),
    personsInCommunityRehab: await rehab(`'VOLUNTARY_HOME_COMMUNITY'`),
  };
}

const COMMUNE_PERIOD = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { communeCode period ${FIGURES.join(' ')} } } }`;
const PROVINCE_PERIOD = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ProvincePeriod { provinceCode period ${FIGURES.join(' ')} communesWithRehabReceptionPoint } } }`;
const communeReps = (period: string, codes = province.communes.map((c) => c.code)) => codes.map((communeCode) => ({ __typename: 'CommunePeriod', communeCode, period }));
const provinceRep = (period: string) => ({ __typename: 'ProvincePeriod', provinceCode: province.province.code, period });
const PERIODS = [String(province.year), String(province.year - 1), `${province.year}-Q2`, `${province.year}-12`, `${province.year - 2}-07`];

describe('figures per reporting period', () => {
  test.each(PERIODS)('every CommunePeriod figure of %s matches the seed and the tables', async (period) => {
    const res = await postGraphql(url, COMMUNE_PERIOD, { reps: communeReps(period) });
    expect(res.errors).toBeUndefined();
    const expected = await expectedFigures(period);
    expect(res.data._entities).toHaveLength(province.communes.length);
    for (const got of res.data._entities) {
      expect(got.period).toBe(period);
      for (const figure of FIGURES) {
        const want = expected[figure].get(got.communeCode) ?? 0;
        expect({ commune: got.communeCode, figure, value: got[figure] }).toEqual({ commune: got.communeCode, figure, value: want });
      }
    }
    if (period === String(province.year)) {
      // Something to count for every figure in the data year, and some dropouts not retained.
      for (const figure of FIGURES) expect(res.data._entities.some((e: any) => e[figure] > 0)).toBe(true);
      const sum = (f: string) => res.data._entities.reduce((s: number, e: any) => s + e[f], 0);
      expect(sum('methadonePatientsRetained')).toBeLessThan(sum('methadonePatientsInTreatment'));
    }
  });

  test.each(PERIODS)('ProvincePeriod %s is the sum of its communes', async (period) => {
    const [communes, provinceRes] = await Promise.all([postGraphql(url, COMMUNE_PERIOD, { reps: communeReps(period) }), postGraphql(url, PROVINCE_PERIOD, { reps: [provinceRep(period)] })]);
    expect(provinceRes.errors).toBeUndefined();
    const total = provinceRes.data._entities[0];
    for (const figure of FIGURES) {
      expect({ figure, value: total[figure] }).toEqual({ figure, value: communes.data._entities.reduce((s: number, e: any) => s + e[figure], 0) });
    }
    const withPoint = communes.data._entities.filter((e: any) => e.rehabReceptionPoints > 0).map((e: any) => e.communeCode);
    expect(total.communesWithRehabReceptionPoint).toEqual(withPoint.sort());
  });

  test('province totals: a station per commune, both public rehab facilities able to assess, every patient in treatment in the data year', async () => {
    const res = await postGraphql(url, PROVINCE_PERIOD, { reps: [provinceRep(String(province.year))] });
    const total = res.data._entities[0];
    expect(total.healthStations).toBe(province.communes.length);
    expect(total.publicRehabFacilities).toBe(2);
    expect(total.publicRehabFacilitiesAbleToAssess).toBe(2);
    expect(total.methadonePatientsInTreatment).toBe(province.methadone.length);
    expect(total.personsAssessedAddicted).toBeGreaterThanOrEqual(province.managed.filter((m) => m.category === 'ADDICT').length);
    // Earlier years have fewer reception points (they opened over the last years).
    const earlier = await postGraphql(url, PROVINCE_PERIOD, { reps: [provinceRep(String(province.year - 3))] });
    expect(earlier.data._entities[0].rehabReceptionPoints).toBeLessThan(total.rehabReceptionPoints);
  });

  test('5 or all communes, or the province, cost a constant number of SQL statements', async () => {
    const run = async (reps: object[]) => {
      service.queries.reset();
      const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on CommunePeriod { communeCode ${FIGURES.join(' ')} }
        ... on ProvincePeriod { provinceCode ${FIGURES.join(' ')} communesWithRehabReceptionPoint }
      } }`, { reps });
      expect(res.errors).toBeUndefined();
      return service.queries.total;
    };
    const period = String(province.year);
    expect(province.communes.length).toBeGreaterThan(5);
    const five = await run(communeReps(period, province.communes.slice(0, 5).map((c) => c.code)));
    expect(await run(communeReps(period))).toBe(five);
    // One grouped statement per entity (facilities, status history, assessments, counselling, rehab episodes).
    expect(five).toBe(5);
    // The province: the same five grouped by province, and the communes with a reception point.
    expect(await run([provinceRep(period)])).toBe(5 + 1);
    expect(await run([...communeReps(period), provinceRep(period)])).toBe(5 + 5 + 1);
  });

  test('a malformed period is refused', async () => {
    const res = await postGraphql(url, COMMUNE_PERIOD, { reps: [{ __typename: 'CommunePeriod', communeCode: province.communes[0].code, period: '2025-Q5' }] });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });
});

describe('access tags', () => {
  const police = { ...TEST_IDENTITY, scopes: ['police:read', 'police:write', 'person:identity', 'health:treatment-status'] };
  const steering = { ...TEST_IDENTITY, scopes: ['aggregate:read'] };

  test('another agency may not read health records; the steering committee reads the figures', async () => {
    const patient = province.methadone[0];
    const [{ id }] = await sql(`select id from methadone_enrollment where citizen_id = ? order by id limit 1`, [patient.citizenId]);

    // A record of ours: refused with FORBIDDEN, and no value; by reference too.
    const refused = await postGraphql(url, `query($id: ID!) { methadoneEnrollment(id: $id) { id status currentDoseMg } }`, { id: String(id) }, {}, police);
    expect(refused.errors?.[0]).toMatchObject({ path: ['methadoneEnrollment'], extensions: { code: 'FORBIDDEN' } });
    expect(refused.data?.methadoneEnrollment ?? null).toBeNull();
    const byRef = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on MethadoneEnrollment { status } } }`, { reps: [{ __typename: 'MethadoneEnrollment', id: String(id) }] }, {}, police);
    expect(byRef.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(byRef.data?._entities?.[0] ?? null).toBeNull();
    // On the shared Person: null at the field only (it is nullable), the key still answers.
    const PERSON = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { citizenId methadoneEnrollments { status } } } }`;
    const personReps = [{ __typename: 'Person', citizenId: patient.citizenId }];
    const hiddenPerson = await postGraphql(url, PERSON, { reps: personReps }, {}, police);
    expect(hiddenPerson.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'methadoneEnrollments'], extensions: { code: 'FORBIDDEN' } });
    expect(hiddenPerson.data._entities[0]).toEqual({ citizenId: patient.citizenId, methadoneEnrollments: null });
    // The steering committee reads facilities (not personal), not enrolments.
    const facilities = await postGraphql(url, `{ facilities(kind: PUBLIC_REHAB) { totalCount items { kind } } }`, {}, {}, steering);
    expect(facilities.errors).toBeUndefined();
    expect(facilities.data.facilities.totalCount).toBe(2);
    const noEnrollments = await postGraphql(url, `{ methadoneEnrollments(first: 1) { totalCount } }`, {}, {}, steering);
    expect(noEnrollments.errors?.[0]).toMatchObject({ path: ['methadoneEnrollments'], extensions: { code: 'FORBIDDEN' } });

    // An aggregate figure: refused to police (null at the field only), readable with aggregate:read.
    const year = String(province.year);
    const FIGURE = `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on CommunePeriod { communeCode methadonePatientsInTreatment }
      ... on Commune { code activeMethadonePatientCount }
    } }`;
    const reps = [
      { __typename: 'CommunePeriod', communeCode: patient.communeCode, period: year },
      { __typename: 'Commune', code: patient.communeCode },
    ];
    const [{ n: active }] = await sql(`select count(*) as n from methadone_enrollment where commune_code = ? and status = 'ACTIVE'`, [patient.communeCode]);
    const hidden = await postGraphql(url, FIGURE, { reps }, {}, police);
    expect(hidden.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(hidden.data._entities).toEqual([
      { communeCode: patient.communeCode, methadonePatientsInTreatment: null },
      { code: patient.communeCode, activeMethadonePatientCount: null },
    ]);
    const shown = await postGraphql(url, FIGURE, { reps }, {}, steering);
    expect(shown.data._entities[0].methadonePatientsInTreatment).toBeGreaterThan(0);
    // A count "now" is withheld from callers who may not see identities (two reads around a change give it away) ...
    expect(shown.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason])).toEqual([[['_entities', 1, 'activeMethadonePatientCount'], 'FORBIDDEN', 'SMALL_CELLS']]);
    expect(shown.data._entities[1]).toEqual({ code: patient.communeCode, activeMethadonePatientCount: null });
    // ... and exact for a health officer.
    const officer = await postGraphql(url, FIGURE, { reps }, {}, { ...TEST_IDENTITY, scopes: ['health:read', 'person:identity'] });
    expect(officer.errors).toBeUndefined();
    expect(officer.data._entities[1]).toEqual({ code: patient.communeCode, activeMethadonePatientCount: Number(active) });
  });

  test('Person.inTreatment: police learn whether a person is in treatment, from one statement for many persons', async () => {
    // Expected from the table: a current status ACTIVE or SUSPENDED on any of the person's enrolments.
    const rows = await sql(`select citizen_id, max(case when status in ('ACTIVE', 'SUSPENDED') then 1 else 0 end) as t from methadone_enrollment group by citizen_id order by citizen_id`);
    const expected = new Map(rows.map((r) => [r.citizen_id as string, Number(r.t) === 1]));
    const enrolled = [...expected.keys()];
    const notEnrolled = province.managed.map((m) => m.citizenId).filter((c) => !expected.has(c));
    expect([...expected.values()]).toContain(true);
    expect([...expected.values()]).toContain(false);
    expect(notEnrolled.length).toBeGreaterThan(0);

    const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { citizenId inTreatment } } }`;
    const repsOf = (ids: string[]) => ids.map((citizenId) => ({ __typename: 'Person', citizenId }));
    const ids = [...enrolled, ...notEnrolled.slice(0, 10)];
    const res = await postGraphql(url, QUERY, { reps: repsOf(ids) }, {}, police);
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual(ids.map((citizenId) => ({ citizenId, inTreatment: expected.get(citizenId) ?? false })));

    // Batched: as many statements for 5 persons as for all of them.
    const statements = async (reps: object[]) => {
      service.queries.reset();
      const r = await postGraphql(url, QUERY, { reps }, {}, police);
      expect(r.errors).toBeUndefined();
      return service.queries.total;
    };
    expect(await statements(repsOf(ids))).toBe(await statements(repsOf(ids.slice(0, 5))));

    // Police see the status, not the treatment details; an analyst sees neither.
    const details = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { inTreatment urineTests { testedOn } } } }`, { reps: repsOf(enrolled.slice(0, 1)) }, {}, police);
    expect(details.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'urineTests'], extensions: { code: 'FORBIDDEN' } });
    expect(details.data._entities[0]).toEqual({ inTreatment: expected.get(enrolled[0]), urineTests: null });
    const analyst = await postGraphql(url, QUERY, { reps: repsOf(enrolled.slice(0, 1)) }, {}, { ...TEST_IDENTITY, scopes: ['aggregate:read', 'person:pseudonym'] });
    expect(analyst.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'inTreatment'], extensions: { code: 'FORBIDDEN' } });
  });
});
