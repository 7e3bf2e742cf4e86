import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { addDays, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
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
    const run = async (reps: object[]) => {
      service.queries.reset();
      const res = await postGraphql(
        url,
        `query($reps: [_Any!]!) { _entities(representations: $reps) {
          ... on Person { addictionAssessments { result facility { name } } methadoneEnrollments { clinic { name } doseCount missedDoseCount(year: ${province.year}) doses(first: 3) { day } } }
          ... on Commune { facilities { name } activeMethadonePatientCount addictionAssessmentCount methadoneEnrollments(first: 5) { currentDoseMg clinic { kind } } }
        } }`,
        { reps },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(reps.length);
      return service.queries.total;
    };
    const persons = (n: number) => province.methadone.slice(0, n).map((m) => ({ __typename: 'Person', citizenId: m.citizenId }));
    const communes = (n: number) => province.communes.slice(0, n).map((c) => ({ __typename: 'Commune', code: c.code }));
    expect(province.methadone.length).toBeGreaterThan(50);
    expect(await run([...persons(50), ...communes(province.communes.length)])).toBe(await run([...persons(5), ...communes(2)]));
  });
});
