import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { importRows, testImportCaller } from '../../../scripts/lib/import.js';
import { health } from './index.js';
import { doseRecordsImporter, urineTestsImporter } from './importers.js';

// Imports run as a province-wide operator of the agency, as `npm run import -- --token` would.
const operator = testImportCaller('health');

const province = syntheticProvince({ seed: 11, scale: 0.05 });
const FUTURE = '2999-01-01';
const [communeA, communeB] = province.communes.map((c) => c.code);
const UNKNOWN_COMMUNE = '09999';
// Synthetic citizen IDs all start 004: 009… never belong to a seeded person.
let nextCitizen = 0;
const newCitizen = () => `0090${String(++nextCitizen).padStart(8, '0')}`;

let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;
const fac: Record<'clinic' | 'station' | 'dispensing' | 'publicRehab' | 'privateRehab' | 'point', string> = {} as any;

beforeAll(async () => {
  subgraph = await startTestSubgraph(health, province);
  ({ service, url } = subgraph);
  const rows = await sql('select id, kind, can_assess_addiction from facility order by id');
  const able = (r: any) => r.can_assess_addiction === true || r.can_assess_addiction === 1;
  const first = (kind: string, ok: (r: any) => boolean = () => true) => String(rows.find((r) => r.kind === kind && ok(r))!.id);
  fac.clinic = first('METHADONE_CLINIC');
  fac.station = first('COMMUNE_HEALTH_STATION', able);
  fac.dispensing = first('DISPENSING_POINT');
  fac.publicRehab = first('PUBLIC_REHAB');
  fac.privateRehab = first('PRIVATE_REHAB');
  fac.point = first('COMMUNITY_REHAB_POINT');
});

afterAll(async () => {
  await subgraph?.close();
});

async function sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  return service.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}

const inputType = (op: string) => `${op[0].toUpperCase()}${op.slice(1)}Input`;

async function call(op: string, input: Record<string, unknown>, selection = 'id') {
  return postGraphql(url, `mutation($input: ${inputType(op)}!) { ${op}(input: $input) { ${selection} } }`, { input });
}

async function ok(op: string, input: Record<string, unknown>, selection = 'id') {
  const res = await call(op, input, selection);
  expect(res.errors).toBeUndefined();
  return res.data[op];
}

/** The write is refused with exactly these field errors, and the `unchanged` queries answer as before. */
async function refused(op: string, input: Record<string, unknown>, fields: string[], unchanged: string[]) {
  const before = await Promise.all(unchanged.map((q) => sql(q)));
  const res = await call(op, input, '__typename');
  expect(res.data?.[op] ?? null).toBeNull();
  expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const got = ((res.errors![0].extensions!.fieldErrors as Array<{ field: string }>) ?? []).map((e) => e.field);
  expect([...got].sort()).toEqual([...fields].sort());
  expect(await Promise.all(unchanged.map((q) => sql(q)))).toEqual(before);
  return res.errors![0];
}

const count = (table: string) => `select count(*) as n from ${table}`;
const ENROLMENT_TABLES = [count('methadone_enrollment'), count('enrollment_status_change'), 'select status, current_dose_mg from methadone_enrollment order by id'];
const DOSE_TABLES = [count('dose_record'), 'select current_dose_mg from methadone_enrollment order by id'];

/** A new patient enrolled at the test clinic; returns the enrolment id and citizen ID. */
async function enrol(startedOn = '2026-03-01', startingDoseMg = 20) {
  const citizenId = newCitizen();
  const e = await ok('enrolMethadonePatient', { citizenId, clinicId: fac.clinic, communeCode: communeA, startedOn, startingDoseMg });
  return { id: e.id as string, citizenId };
}

describe('registerFacility', () => {
  test('registers a community rehab point, counted from its opening day', async () => {
    const f = await ok('registerFacility', { name: ' Điểm tiếp nhận thử ', kind: 'COMMUNITY_REHAB_POINT', communeCode: communeB, openedOn: '2026-02-01' }, 'id name kind canAssessAddiction openedOn commune { code }');
    expect(f).toMatchObject({ name: 'Điểm tiếp nhận thử', kind: 'COMMUNITY_REHAB_POINT', canAssessAddiction: false, openedOn: '2026-02-01', commune: { code: communeB } });
    const period = (p: string) => postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { rehabReceptionPoints } } }`, { reps: [{ __typename: 'CommunePeriod', communeCode: communeB, period: p }] });
    const [before, after] = await Promise.all([period('2026-01'), period('2026-02')]);
    expect(after.data._entities[0].rehabReceptionPoints).toBe(before.data._entities[0].rehabReceptionPoints + 1);
  });

  test('refuses a blank name, an unknown commune and a future opening at once', async () => {
    await refused('registerFacility', { name: ' ', kind: 'PUBLIC_REHAB', communeCode: UNKNOWN_COMMUNE, openedOn: FUTURE }, ['name', 'communeCode', 'openedOn'], [count('facility')]);
  });
});

describe('recordAssessment', () => {
  const TABLES = [count('addiction_assessment'), count('assessment_substance')];

  test('records an ADDICTED assessment with several substances, the first one primary', async () => {
    const citizenId = newCitizen();
    const a = await ok(
      'recordAssessment',
      { citizenId, communeCode: communeA, facilityId: fac.station, assessedOn: '2026-04-02', result: 'ADDICTED', severity: 'MODERATE', substanceCodes: ['HEROIN', 'METHAMPHETAMINE'] },
      'id result severity substance { code } substances { code } facility { id canAssessAddiction } person { citizenId }',
    );
    expect(a).toMatchObject({ result: 'ADDICTED', severity: 'MODERATE', substance: { code: 'HEROIN' }, substances: [{ code: 'HEROIN' }, { code: 'METHAMPHETAMINE' }], facility: { id: fac.station, canAssessAddiction: true }, person: { citizenId } });
  });

  test('refuses a facility unable to assess, a severity missing for ADDICTED, an unknown and a repeated substance', async () => {
    await refused(
      'recordAssessment',
      { citizenId: newCitizen(), communeCode: communeA, facilityId: fac.dispensing, assessedOn: '2026-04-02', result: 'ADDICTED', substanceCodes: ['HEROIN', 'SUGAR', 'HEROIN'] },
      ['facilityId', 'severity', 'substanceCodes[1]', 'substanceCodes[2]'],
      TABLES,
    );
  });

  test('refuses a malformed citizen ID, an unknown commune and facility, a future date, a severity when not addicted, no substance', async () => {
    await refused(
      'recordAssessment',
      { citizenId: '12AB', communeCode: UNKNOWN_COMMUNE, facilityId: '99999', assessedOn: FUTURE, result: 'NOT_ADDICTED', severity: 'MILD', substanceCodes: [] },
      ['citizenId', 'communeCode', 'facilityId', 'assessedOn', 'severity', 'substanceCodes'],
      TABLES,
    );
  });
});

describe('enrolMethadonePatient', () => {
  test('enrols a patient ACTIVE with the starting dose and a first history entry', async () => {
    const citizenId = newCitizen();
    const e = await ok('enrolMethadonePatient', { citizenId, clinicId: fac.clinic, communeCode: communeA, startedOn: '2026-02-10', startingDoseMg: 25 }, 'status currentDoseMg startedOn clinic { id } statusHistory { status changedOn supersededOn }');
    expect(e).toEqual({ status: 'ACTIVE', currentDoseMg: 25, startedOn: '2026-02-10', clinic: { id: fac.clinic }, statusHistory: [{ status: 'ACTIVE', changedOn: '2026-02-10', supersededOn: null }] });
  });

  test('refuses a clinic that is not a methadone clinic, an unknown commune, a future start and an out-of-range dose', async () => {
    await refused('enrolMethadonePatient', { citizenId: newCitizen(), clinicId: fac.station, communeCode: UNKNOWN_COMMUNE, startedOn: FUTURE, startingDoseMg: 100 }, ['clinicId', 'communeCode', 'startedOn', 'startingDoseMg'], ENROLMENT_TABLES);
  });

  test('refuses a malformed citizen ID, an unknown clinic, and a person already in treatment', async () => {
    await refused('enrolMethadonePatient', { citizenId: '0040', clinicId: '99999', communeCode: communeA, startedOn: '2026-02-10', startingDoseMg: 20 }, ['citizenId', 'clinicId'], ENROLMENT_TABLES);
    const active = province.methadone.find((m) => !m.droppedOn)!;
    const err = await refused('enrolMethadonePatient', { citizenId: active.citizenId, clinicId: fac.clinic, communeCode: active.communeCode, startedOn: '2026-02-10', startingDoseMg: 20 }, ['citizenId'], ENROLMENT_TABLES);
    // Names no enrolment and no status: the same whether the treatment is in the caller's area or not.
    expect(err.message).toMatch(/cannot be enrolled here: contact the provincial health department/);
    expect(err.message).not.toMatch(/\d{2,}|ACTIVE|SUSPENDED|treatment/);
  });
});

describe('changeEnrollmentStatus: the treatment lifecycle', () => {
  const change = (enrollmentId: string, status: string, changedOn: string, reason?: string) => ({ enrollmentId, status, changedOn, ...(reason ? { reason } : {}) });
  const dose = (enrollmentId: string, day: string, doseMg = 30) => ok('recordDose', { enrollmentId, day, doseMg });

  test('suspended, back, dropped out after a month without a dose, re-enrolled, completed — each step in the history', async () => {
    const { id } = await enrol('2026-03-01');
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) await dose(id, day);
    await ok('changeEnrollmentStatus', change(id, 'SUSPENDED', '2026-03-10', 'Nằm viện'));
    await ok('changeEnrollmentStatus', change(id, 'ACTIVE', '2026-03-20'));
    // Dosed on 3 March: DROPPED_OUT only from 3 April (30 days without a dose).
    const early = await refused('changeEnrollmentStatus', change(id, 'DROPPED_OUT', '2026-03-25'), ['changedOn'], ENROLMENT_TABLES);
    expect(early.message).toMatch(/dosed on 2026-03-03/);
    await ok('changeEnrollmentStatus', change(id, 'DROPPED_OUT', '2026-04-03'));
    await ok('changeEnrollmentStatus', change(id, 'ACTIVE', '2026-05-01', 'Tái điều trị'));
    const done = await ok('changeEnrollmentStatus', change(id, 'COMPLETED', '2026-06-01'), 'status statusHistory { status changedOn supersededOn reason }');
    expect(done.status).toBe('COMPLETED');
    expect(done.statusHistory).toEqual([
      { status: 'ACTIVE', changedOn: '2026-03-01', supersededOn: '2026-03-10', reason: 'Bắt đầu điều trị' },
      { status: 'SUSPENDED', changedOn: '2026-03-10', supersededOn: '2026-03-20', reason: 'Nằm viện' },
      { status: 'ACTIVE', changedOn: '2026-03-20', supersededOn: '2026-04-03', reason: null },
      { status: 'DROPPED_OUT', changedOn: '2026-04-03', supersededOn: '2026-05-01', reason: null },
      { status: 'ACTIVE', changedOn: '2026-05-01', supersededOn: '2026-06-01', reason: 'Tái điều trị' },
      { status: 'COMPLETED', changedOn: '2026-06-01', supersededOn: null, reason: null },
    ]);
    // COMPLETED is final.
    const err = await refused('changeEnrollmentStatus', change(id, 'ACTIVE', '2026-07-01'), ['status'], ENROLMENT_TABLES);
    expect(err.message).toMatch(/cannot change from COMPLETED to ACTIVE/);
  });

  test('the figures follow the history: in treatment and retained in each month', async () => {
    const { id } = await enrol('2026-03-01');
    await ok('changeEnrollmentStatus', change(id, 'ARRESTED', '2026-04-15'));
    const figures = async (period: string) => {
      const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { methadonePatientsInTreatment methadonePatientsRetained } } }`, {
        reps: [{ __typename: 'CommunePeriod', communeCode: communeA, period }],
      });
      return res.data._entities[0];
    };
    const [march, april, may] = [await figures('2026-03'), await figures('2026-04'), await figures('2026-05')];
    await ok('changeEnrollmentStatus', change(id, 'ACTIVE', '2026-05-20'));
    const [april2, may2] = [await figures('2026-04'), await figures('2026-05')];
    // Arrested in April: in treatment that month but not retained; not in treatment in May until re-activated.
    expect(april2.methadonePatientsInTreatment).toBe(april.methadonePatientsInTreatment);
    expect(april2.methadonePatientsRetained).toBe(april.methadonePatientsRetained);
    expect(april.methadonePatientsInTreatment - april.methadonePatientsRetained).toBeGreaterThanOrEqual(1);
    expect(may2.methadonePatientsInTreatment).toBe(may.methadonePatientsInTreatment + 1);
    expect(may2.methadonePatientsRetained).toBe(may.methadonePatientsRetained + 1);
    expect(march.methadonePatientsRetained).toBeGreaterThanOrEqual(1);
  });

  test('refuses a step the lifecycle does not allow, the same status, a date before the last change or in the future', async () => {
    const { id } = await enrol('2026-03-01');
    await ok('changeEnrollmentStatus', change(id, 'TRANSFERRED', '2026-03-05'));
    await refused('changeEnrollmentStatus', change(id, 'SUSPENDED', '2026-03-06'), ['status'], ENROLMENT_TABLES);
    const other = await enrol('2026-03-01');
    await refused('changeEnrollmentStatus', change(other.id, 'ACTIVE', '2026-03-06'), ['status'], ENROLMENT_TABLES);
    await ok('changeEnrollmentStatus', change(other.id, 'SUSPENDED', '2026-03-10'));
    await refused('changeEnrollmentStatus', change(other.id, 'DIED', '2026-03-09'), ['changedOn'], ENROLMENT_TABLES);
    await refused('changeEnrollmentStatus', change(other.id, 'DIED', FUTURE), ['changedOn'], ENROLMENT_TABLES);
  });

  test('refuses an unknown enrolment, and a change that would leave doses after it', async () => {
    await refused('changeEnrollmentStatus', change('99999', 'SUSPENDED', '2026-03-06'), ['enrollmentId'], ENROLMENT_TABLES);
    await refused('changeEnrollmentStatus', change('x', 'SUSPENDED', '2026-03-06'), ['enrollmentId'], ENROLMENT_TABLES);
    const { id } = await enrol('2026-03-01');
    await dose(id, '2026-03-10');
    const err = await refused('changeEnrollmentStatus', change(id, 'ARRESTED', '2026-03-05'), ['changedOn'], ENROLMENT_TABLES);
    expect(err.message).toMatch(/doses are recorded up to 2026-03-10/);
  });

  test('a dropped-out enrolment is not re-activated while the person is treated under another one', async () => {
    const { id, citizenId } = await enrol('2026-01-05');
    await ok('changeEnrollmentStatus', change(id, 'DROPPED_OUT', '2026-02-10'));
    await ok('enrolMethadonePatient', { citizenId, clinicId: fac.clinic, communeCode: communeA, startedOn: '2026-03-01', startingDoseMg: 20 });
    const err = await refused('changeEnrollmentStatus', change(id, 'ACTIVE', '2026-03-05'), ['status'], ENROLMENT_TABLES);
    expect(err.message).toMatch(/cannot be re-activated here: contact the provincial health department/);
  });
});

describe('recordDose', () => {
  let enrollment: { id: string; citizenId: string };

  beforeAll(async () => {
    enrollment = await enrol('2026-05-01', 20);
  });

  test('records an observed dose, a take-home dose and a missed day; the current dose follows the latest day dosed', async () => {
    const a = await ok('recordDose', { enrollmentId: enrollment.id, day: '2026-05-02', doseMg: 30 }, 'day doseMg observed missed missedReason');
    expect(a).toEqual({ day: '2026-05-02', doseMg: 30, observed: true, missed: false, missedReason: null });
    const b = await ok('recordDose', { enrollmentId: enrollment.id, day: '2026-05-04', doseMg: 40, observed: false }, 'observed');
    expect(b.observed).toBe(false);
    const c = await ok('recordDose', { enrollmentId: enrollment.id, day: '2026-05-05', missed: true, missedReason: 'SICK' }, 'doseMg observed missed missedReason');
    expect(c).toEqual({ doseMg: 0, observed: false, missed: true, missedReason: 'SICK' });
    // An earlier day recorded late does not change the current dose.
    await ok('recordDose', { enrollmentId: enrollment.id, day: '2026-05-03', doseMg: 35 });
    const e = await postGraphql(url, `query($id: ID!) { methadoneEnrollment(id: $id) { currentDoseMg doseCount missedDoseCount doses(missed: true) { day } } }`, { id: enrollment.id });
    expect(e.data.methadoneEnrollment).toEqual({ currentDoseMg: 40, doseCount: 4, missedDoseCount: 1, doses: [{ day: '2026-05-05' }] });
  });

  test('finds the enrolment ACTIVE on the day from the citizen ID', async () => {
    const d = await ok('recordDose', { citizenId: enrollment.citizenId, day: '2026-05-06', doseMg: 40 }, 'day');
    expect(d.day).toBe('2026-05-06');
    await refused('recordDose', { citizenId: newCitizen(), day: '2026-05-06', doseMg: 40 }, ['citizenId'], DOSE_TABLES);
  });

  test('refuses a dose out of range, a reason on a taken dose, and a day before the start', async () => {
    await refused('recordDose', { enrollmentId: enrollment.id, day: '2026-04-20', doseMg: 500, missedReason: 'TRAVEL' }, ['day', 'doseMg', 'missedReason'], DOSE_TABLES);
    await refused('recordDose', { enrollmentId: enrollment.id, day: '2026-05-07', doseMg: 0 }, ['doseMg'], DOSE_TABLES);
    await refused('recordDose', { enrollmentId: enrollment.id, day: '2026-05-07' }, ['doseMg'], DOSE_TABLES);
  });

  test('refuses a missed day without a reason, with a dose, or observed', async () => {
    await refused('recordDose', { enrollmentId: enrollment.id, day: '2026-05-07', missed: true, doseMg: 60, observed: true }, ['doseMg', 'observed', 'missedReason'], DOSE_TABLES);
  });

  test('refuses a future day, an unknown enrolment and no patient at all', async () => {
    await refused('recordDose', { enrollmentId: enrollment.id, day: FUTURE, doseMg: 30 }, ['day'], DOSE_TABLES);
    await refused('recordDose', { enrollmentId: '99999', day: '2026-05-07', doseMg: 30 }, ['enrollmentId'], DOSE_TABLES);
    await refused('recordDose', { day: '2026-05-07', doseMg: 30 }, ['enrollmentId'], DOSE_TABLES);
    await refused('recordDose', { enrollmentId: enrollment.id, citizenId: newCitizen(), day: '2026-05-07', doseMg: 30 }, ['citizenId'], DOSE_TABLES);
  });

  test('refuses a day the enrolment is not ACTIVE', async () => {
    const other = await enrol('2026-05-01');
    await ok('changeEnrollmentStatus', { enrollmentId: other.id, status: 'SUSPENDED', changedOn: '2026-05-10' });
    const err = await refused('recordDose', { enrollmentId: other.id, day: '2026-05-11', doseMg: 30 }, ['day'], DOSE_TABLES);
    expect(err.message).toMatch(/is SUSPENDED on 2026-05-11/);
    await ok('recordDose', { enrollmentId: other.id, day: '2026-05-09', doseMg: 30 });
  });

  test('refuses a dose taken in the month before a recorded dropout, but records a missed day there', async () => {
    const other = await enrol('2026-01-05');
    await ok('changeEnrollmentStatus', { enrollmentId: other.id, status: 'DROPPED_OUT', changedOn: '2026-03-01' });
    const err = await refused('recordDose', { enrollmentId: other.id, day: '2026-02-10', doseMg: 30 }, ['day'], DOSE_TABLES);
    expect(err.message).toMatch(/recorded DROPPED_OUT on 2026-03-01/);
    await ok('recordDose', { enrollmentId: other.id, day: '2026-02-10', missed: true, missedReason: 'UNKNOWN' });
    await ok('recordDose', { enrollmentId: other.id, day: '2026-01-20', doseMg: 30 });
  });

  test('one record per enrolment and day: a second one is refused, a retry with the same key is answered from the first', async () => {
    const input = { enrollmentId: enrollment.id, day: '2026-05-08', doseMg: 45, idempotencyKey: 'dose-2026-05-08-test' };
    const first = await ok('recordDose', input, 'id doseMg');
    const again = await ok('recordDose', input, 'id doseMg');
    expect(again).toEqual(first);
    const [{ n }] = await sql(`select count(*) as n from dose_record where enrollment_id = ? and day = ?`, [Number(enrollment.id), '2026-05-08']);
    expect(Number(n)).toBe(1);
    const err = await refused('recordDose', { ...input, idempotencyKey: 'dose-2026-05-08-other' }, ['day'], DOSE_TABLES);
    expect(err.message).toMatch(/already recorded/);
  });
});

describe('recordUrineTest', () => {
  const TABLES = [count('urine_test'), count('urine_test_result')];
  const results = [
    { analyte: 'OPIATES', positive: false },
    { analyte: 'METHAMPHETAMINE', positive: true },
  ];

  test('records a test of a methadone patient at the clinic, and one of any person', async () => {
    const { id, citizenId } = await enrol('2026-06-01');
    const t = await ok('recordUrineTest', { enrollmentId: id, testedOn: '2026-06-15', results }, 'testedOn person { citizenId } commune { code } facility { id } enrollment { id } results { analyte positive }');
    expect(t).toEqual({ testedOn: '2026-06-15', person: { citizenId }, commune: { code: communeA }, facility: { id: fac.clinic }, enrollment: { id }, results });
    const other = newCitizen();
    const u = await ok('recordUrineTest', { citizenId: other, communeCode: communeB, facilityId: fac.station, testedOn: '2026-06-15', results: [{ analyte: 'THC', positive: true }] }, 'enrollment { id } facility { id } commune { code }');
    expect(u).toEqual({ enrollment: null, facility: { id: fac.station }, commune: { code: communeB } });
    const list = await postGraphql(url, `query($c: ID) { urineTests(citizenId: $c, year: 2026) { totalCount items { results { analyte } } } }`, { c: other });
    expect(list.data.urineTests).toEqual({ totalCount: 1, items: [{ results: [{ analyte: 'THC' }] }] });
  });

  test('refuses no result, a repeated analyte, a test before the enrolment started, another patient’s citizen ID', async () => {
    const { id } = await enrol('2026-06-01');
    await refused('recordUrineTest', { enrollmentId: id, citizenId: newCitizen(), testedOn: '2026-05-15', results: [{ analyte: 'MDMA', positive: false }, { analyte: 'MDMA', positive: true }] }, ['citizenId', 'testedOn', 'results[1].analyte'], TABLES);
    await refused('recordUrineTest', { enrollmentId: id, testedOn: '2026-06-15', results: [] }, ['results'], TABLES);
  });

  test('refuses a malformed citizen ID, an unknown commune, facility and enrolment, a future date', async () => {
    await refused('recordUrineTest', { citizenId: '1', communeCode: UNKNOWN_COMMUNE, facilityId: '99999', testedOn: FUTURE, results }, ['citizenId', 'communeCode', 'facilityId', 'testedOn'], TABLES);
    await refused('recordUrineTest', { enrollmentId: '99999', testedOn: '2026-06-15', results }, ['enrollmentId'], TABLES);
  });
});

describe('rehab episodes', () => {
  const TABLES = [count('rehab_episode'), 'select ended_on, outcome from rehab_episode order by id'];

  test('starts home/community rehab without a facility and compulsory rehab at a public facility, then ends one', async () => {
    const citizenId = newCitizen();
    const home = await ok('startRehabEpisode', { citizenId, communeCode: communeA, form: 'VOLUNTARY_HOME_COMMUNITY', startedOn: '2026-01-10' }, 'id form facility { id } endedOn outcome');
    expect(home).toMatchObject({ form: 'VOLUNTARY_HOME_COMMUNITY', facility: null, endedOn: null, outcome: null });
    const ended = await ok('endRehabEpisode', { id: home.id, endedOn: '2026-02-01', outcome: 'ABSCONDED' }, 'endedOn outcome');
    expect(ended).toEqual({ endedOn: '2026-02-01', outcome: 'ABSCONDED' });
    const compulsory = await ok('startRehabEpisode', { citizenId, communeCode: communeA, form: 'COMPULSORY', facilityId: fac.publicRehab, startedOn: '2026-03-01' }, 'facility { kind } person { rehabEpisodes { form } }');
    expect(compulsory).toEqual({ facility: { kind: 'PUBLIC_REHAB' }, person: { rehabEpisodes: [{ form: 'VOLUNTARY_HOME_COMMUNITY' }, { form: 'COMPULSORY' }] } });
    const list = await postGraphql(url, `{ rehabEpisodes(communeCode: "${communeA}", open: true, from: "2026-03-01", to: "2026-03-31", first: 500) { items { person { citizenId } form } } }`);
    expect(list.data.rehabEpisodes.items).toContainEqual({ person: { citizenId }, form: 'COMPULSORY' });
  });

  test('refuses compulsory rehab without a facility or at a private one, facility rehab at a health station', async () => {
    await refused('startRehabEpisode', { citizenId: newCitizen(), communeCode: communeA, form: 'COMPULSORY', startedOn: '2026-01-10' }, ['facilityId'], TABLES);
    await refused('startRehabEpisode', { citizenId: newCitizen(), communeCode: communeA, form: 'COMPULSORY', facilityId: fac.privateRehab, startedOn: '2026-01-10' }, ['facilityId'], TABLES);
    await refused('startRehabEpisode', { citizenId: newCitizen(), communeCode: communeA, form: 'VOLUNTARY_FACILITY', facilityId: fac.station, startedOn: '2026-01-10' }, ['facilityId'], TABLES);
  });

  test('refuses a second open episode, a start before the last one ended, a future start, an unknown commune, a malformed ID', async () => {
    const citizenId = newCitizen();
    const first = await ok('startRehabEpisode', { citizenId, communeCode: communeA, form: 'VOLUNTARY_HOME_COMMUNITY', facilityId: fac.point, startedOn: '2026-01-10' });
    await refused('startRehabEpisode', { citizenId, communeCode: UNKNOWN_COMMUNE, form: 'VOLUNTARY_HOME_COMMUNITY', startedOn: FUTURE }, ['citizenId', 'communeCode', 'startedOn'], TABLES);
    await ok('endRehabEpisode', { id: first.id, endedOn: '2026-03-01', outcome: 'COMPLETED' });
    // The end of the last episode is not told: the conflict is reported on the person, without a date.
    const before = await refused('startRehabEpisode', { citizenId, communeCode: communeA, form: 'VOLUNTARY_HOME_COMMUNITY', startedOn: '2026-02-01' }, ['citizenId'], TABLES);
    expect(before.message).not.toMatch(/2026-03-01/);
    await refused('startRehabEpisode', { citizenId: '123', communeCode: communeA, form: 'VOLUNTARY_HOME_COMMUNITY', startedOn: '2026-02-01' }, ['citizenId'], TABLES);
  });

  test('endRehabEpisode refuses an end before the start or in the future, an unknown or ended episode', async () => {
    const e = await ok('startRehabEpisode', { citizenId: newCitizen(), communeCode: communeA, form: 'VOLUNTARY_FACILITY', facilityId: fac.privateRehab, startedOn: '2026-01-10' });
    await refused('endRehabEpisode', { id: e.id, endedOn: '2026-01-01', outcome: 'COMPLETED' }, ['endedOn'], TABLES);
    await refused('endRehabEpisode', { id: e.id, endedOn: FUTURE, outcome: 'COMPLETED' }, ['endedOn'], TABLES);
    await refused('endRehabEpisode', { id: '99999', endedOn: '2026-02-01', outcome: 'COMPLETED' }, ['id'], TABLES);
    await ok('endRehabEpisode', { id: e.id, endedOn: '2026-02-01', outcome: 'TRANSFERRED' });
    await refused('endRehabEpisode', { id: e.id, endedOn: '2026-02-02', outcome: 'COMPLETED' }, ['id'], TABLES);
  });
});

describe('recordCounselling', () => {
  test('records a session, counted for the person in the period', async () => {
    const citizenId = newCitizen();
    const c = await ok('recordCounselling', { citizenId, communeCode: communeB, facilityId: fac.point, counselledOn: '2026-07-01', kind: 'PSYCHOLOGICAL' }, 'kind counselledOn facility { kind } person { citizenId }');
    expect(c).toEqual({ kind: 'PSYCHOLOGICAL', counselledOn: '2026-07-01', facility: { kind: 'COMMUNITY_REHAB_POINT' }, person: { citizenId } });
    await ok('recordCounselling', { citizenId, communeCode: communeB, facilityId: fac.station, counselledOn: '2026-07-15', kind: 'MEDICAL' });
    const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { personsCounselled } } }`, {
      reps: [{ __typename: 'CommunePeriod', communeCode: communeB, period: '2026-07' }],
    });
    expect(res.data._entities[0].personsCounselled).toBe(1);
  });

  test('refuses a malformed citizen ID, an unknown commune and facility, a future date', async () => {
    await refused('recordCounselling', { citizenId: 'x', communeCode: UNKNOWN_COMMUNE, facilityId: '99999', counselledOn: FUTURE, kind: 'MEDICAL' }, ['citizenId', 'communeCode', 'facilityId', 'counselledOn'], [count('counselling')]);
  });
});

describe('idempotency', () => {
  test('the same key twice writes once and answers the same', async () => {
    const input = { citizenId: newCitizen(), clinicId: fac.clinic, communeCode: communeA, startedOn: '2026-08-01', startingDoseMg: 15, idempotencyKey: 'enrol-once-0001' };
    const [before] = await sql(count('methadone_enrollment'));
    const first = await ok('enrolMethadonePatient', input, 'id status');
    // A retry is answered from the record, not refused because the person is now in treatment.
    const again = await ok('enrolMethadonePatient', input, 'id status');
    expect(again).toEqual(first);
    const [after] = await sql(count('methadone_enrollment'));
    expect(Number(after.n)).toBe(Number(before.n) + 1);
    const history = await sql(`select count(*) as n from enrollment_status_change where enrollment_id = ?`, [Number(first.id)]);
    expect(Number(history[0].n)).toBe(1);
  });

  test('a retried status change is applied once', async () => {
    const { id } = await enrol('2026-08-01');
    const input = { enrollmentId: id, status: 'SUSPENDED', changedOn: '2026-08-05', idempotencyKey: 'suspend-once-0001' };
    await ok('changeEnrollmentStatus', input);
    await ok('changeEnrollmentStatus', input);
    const rows = await sql(`select status from enrollment_status_change where enrollment_id = ? order by id`, [Number(id)]);
    expect(rows.map((r) => r.status)).toEqual(['ACTIVE', 'SUSPENDED']);
  });

  test('the same key with different input is refused and writes nothing', async () => {
    const citizenId = newCitizen();
    await ok('recordCounselling', { citizenId, communeCode: communeA, facilityId: fac.station, counselledOn: '2026-08-01', kind: 'MEDICAL', idempotencyKey: 'counsel-key-0001' });
    const before = await sql(count('counselling'));
    const res = await call('recordCounselling', { citizenId, communeCode: communeA, facilityId: fac.station, counselledOn: '2026-08-02', kind: 'MEDICAL', idempotencyKey: 'counsel-key-0001' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await sql(count('counselling'))).toEqual(before);
  });
});

describe('importers', () => {
  test('dose records: Vietnamese headers, by patient code or CCCD; bad rows reported by row and column; a re-run imports nothing more', async () => {
    const { id, citizenId } = await enrol('2026-09-01', 20);
    const rows = [
      { 'Mã bệnh nhân': id, 'Số CCCD': '', Ngày: '01/09/2026', 'Liều (mg)': '20', 'Uống tại chỗ': 'Có', 'Bỏ liều': '', 'Lý do': '' },
      { 'Mã bệnh nhân': '', 'Số CCCD': citizenId, Ngày: '2026-09-02', 'Liều (mg)': '25 mg', 'Uống tại chỗ': 'Không', 'Bỏ liều': '', 'Lý do': '' },
      { 'Mã bệnh nhân': id, 'Số CCCD': '', Ngày: '03/09/2026', 'Liều (mg)': '', 'Uống tại chỗ': '', 'Bỏ liều': 'x', 'Lý do': 'Ốm' },
      // Broken: a bad date, a dose that is not a number, an unknown reason, a missed day without a reason, no patient, a dose out of range.
      { 'Mã bệnh nhân': id, 'Số CCCD': '', Ngày: '31/02/2026', 'Liều (mg)': '30', 'Uống tại chỗ': 'Có', 'Bỏ liều': '', 'Lý do': '' },
      { 'Mã bệnh nhân': id, 'Số CCCD': '', Ngày: '04/09/2026', 'Liều (mg)': 'ba mươi', 'Uống tại chỗ': 'Có', 'Bỏ liều': '', 'Lý do': '' },
      { 'Mã bệnh nhân': id, 'Số CCCD': '', Ngày: '05/09/2026', 'Liều (mg)': '', 'Uống tại chỗ': '', 'Bỏ liều': 'Có', 'Lý do': 'Đi chơi' },
      { 'Mã bệnh nhân': id, 'Số CCCD': '', Ngày: '06/09/2026', 'Liều (mg)': '', 'Uống tại chỗ': '', 'Bỏ liều': 'Có', 'Lý do': '' },
      { 'Mã bệnh nhân': '', 'Số CCCD': '', Ngày: '07/09/2026', 'Liều (mg)': '30', 'Uống tại chỗ': 'Có', 'Bỏ liều': '', 'Lý do': '' },
      { 'Mã bệnh nhân': id, 'Số CCCD': '', Ngày: '08/09/2026', 'Liều (mg)': '900', 'Uống tại chỗ': 'Có', 'Bỏ liều': '', 'Lý do': '' },
    ];
    const report = await importRows(service, doseRecordsImporter, rows, operator);
    expect(report).toMatchObject({ rows: 9, imported: 3, alreadyImported: 0, failed: 6, unknownHeaders: [] });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [5, 'Ngày'],
      [6, 'Liều (mg)'],
      [7, 'Lý do'],
      [8, 'Lý do'],
      [9, 'Mã bệnh nhân'],
      [10, 'Liều (mg)'],
    ]);
    const doses = await sql(`select day, dose_mg, observed, missed, missed_reason from dose_record where enrollment_id = ? order by day`, [Number(id)]);
    expect(doses.map((d) => [String(d.day).slice(0, 10), d.dose_mg, Boolean(d.observed), Boolean(d.missed), d.missed_reason])).toEqual([
      ['2026-09-01', 20, true, false, null],
      ['2026-09-02', 25, false, false, null],
      ['2026-09-03', 0, false, true, 'SICK'],
    ]);
    const again = await importRows(service, doseRecordsImporter, rows, operator);
    expect(again).toMatchObject({ imported: 0, alreadyImported: 3, failed: 6 });
    expect(Number((await sql(`select count(*) as n from dose_record where enrollment_id = ?`, [Number(id)]))[0].n)).toBe(3);
  });

  test('dose records: English headers, a corrected row under the same key is refused', async () => {
    const { id } = await enrol('2026-09-01', 20);
    const rows = [{ 'enrolment id': id, date: '2026-09-10', 'dose (mg)': '30', 'take home': 'yes', missed: 'no', reason: '' }];
    expect(await importRows(service, doseRecordsImporter, rows, operator)).toMatchObject({ imported: 1, failed: 0, unknownHeaders: [] });
    const changed = await importRows(service, doseRecordsImporter, [{ ...rows[0], 'dose (mg)': '35' }], operator);
    expect(changed).toMatchObject({ imported: 0, failed: 1 });
    expect(changed.errors[0].column).toBe('idempotencyKey');
    const [d] = await sql(`select dose_mg, observed from dose_record where enrollment_id = ?`, [Number(id)]);
    expect([d.dose_mg, Boolean(d.observed)]).toEqual([30, false]);
  });

  test('urine tests: a column per analyte, blank when not tested; bad rows reported; a re-run imports nothing more', async () => {
    const { id, citizenId } = await enrol('2026-09-01', 20);
    const stranger = newCitizen();
    const rows = [
      { 'Mã bệnh nhân': id, 'Số CCCD': '', 'Mã xã': '', 'Ngày xét nghiệm': '15/09/2026', 'Chất dạng thuốc phiện': 'Âm tính', 'Ma túy đá': '(+)', MDMA: '', 'Cần sa': '' },
      { 'Mã bệnh nhân': '', 'Số CCCD': stranger, 'Mã xã': communeB, 'Ngày xét nghiệm': '2026-09-16', 'Chất dạng thuốc phiện': 'Dương tính', 'Ma túy đá': '( - )', MDMA: 'âm tính', 'Cần sa': 'DT' },
      // Broken: a result that is neither positive nor negative, no result at all, an unknown commune, a future date.
      { 'Mã bệnh nhân': id, 'Số CCCD': '', 'Mã xã': '', 'Ngày xét nghiệm': '16/09/2026', 'Chất dạng thuốc phiện': 'có lẽ', 'Ma túy đá': '', MDMA: '', 'Cần sa': '' },
      { 'Mã bệnh nhân': id, 'Số CCCD': '', 'Mã xã': '', 'Ngày xét nghiệm': '17/09/2026', 'Chất dạng thuốc phiện': '', 'Ma túy đá': '', MDMA: '', 'Cần sa': '' },
      { 'Mã bệnh nhân': '', 'Số CCCD': newCitizen(), 'Mã xã': UNKNOWN_COMMUNE, 'Ngày xét nghiệm': '16/09/2026', 'Chất dạng thuốc phiện': 'Âm tính', 'Ma túy đá': '', MDMA: '', 'Cần sa': '' },
      { 'Mã bệnh nhân': '', 'Số CCCD': citizenId, 'Mã xã': communeA, 'Ngày xét nghiệm': '01/01/2999', 'Chất dạng thuốc phiện': 'Âm tính', 'Ma túy đá': '', MDMA: '', 'Cần sa': '' },
    ];
    const report = await importRows(service, urineTestsImporter, rows, operator);
    expect(report).toMatchObject({ rows: 6, imported: 2, failed: 4, unknownHeaders: [] });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [4, 'Chất dạng thuốc phiện'],
      [5, 'results'],
      [6, 'Mã xã'],
      [7, 'Ngày xét nghiệm'],
    ]);
    const mine = await sql(`select r.analyte, r.positive from urine_test t join urine_test_result r on r.test_id = t.id where t.enrollment_id = ? order by r.id`, [Number(id)]);
    expect(mine.map((r) => [r.analyte, Boolean(r.positive)])).toEqual([
      ['OPIATES', false],
      ['METHAMPHETAMINE', true],
    ]);
    const theirs = await sql(`select r.analyte, r.positive from urine_test t join urine_test_result r on r.test_id = t.id where t.citizen_id = ? order by r.id`, [stranger]);
    expect(theirs.map((r) => [r.analyte, Boolean(r.positive)])).toEqual([
      ['OPIATES', true],
      ['METHAMPHETAMINE', false],
      ['MDMA', false],
      ['THC', true],
    ]);
    const before = await sql(count('urine_test'));
    expect(await importRows(service, urineTestsImporter, rows, operator)).toMatchObject({ imported: 0, alreadyImported: 2, failed: 4 });
    expect(await sql(count('urine_test'))).toEqual(before);
  });
});
