import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { addDays, todayInVietnam, type SyntheticPerson } from '@pcmt/kit';
import { startTestFederation, type TestFederation } from '../harness.js';

// A day of a health officer (Sở Y tế, methadone clinic, rehab) through the registered operations of
// the health-app client only: every read and write below is a shipped document sent by id.

const ROLE = 'health-officer';
const PURPOSE = 'Điều trị Methadone và cai nghiện tại cơ sở';

let fed: TestFederation;
const today = todayInVietnam();
const year = Number(today.slice(0, 4));

/** The busiest methadone clinic, its commune, and the patients of this journey. */
let clinic: { id: string; communeCode: string; name: string };
let newcomer: SyntheticPerson;
let enrollmentId: string;
let missedPatient: { enrollmentId: string; citizenId: string };
let arrestedPatient: { enrollmentId: string; citizenId: string };

type Result = { data?: any; errors?: any[] };

async function run(operation: string, variables: Record<string, unknown> = {}, opts: { purpose?: string; communes?: string[] } = {}): Promise<Result> {
  return fed.run(ROLE, operation, variables, { purpose: PURPOSE, ...opts });
}

/** Data of an operation that must succeed (errors shown in full when it does not). */
async function ok(operation: string, variables: Record<string, unknown> = {}, opts: { purpose?: string; communes?: string[] } = {}): Promise<any> {
  const res = await run(operation, variables, opts);
  expect(res.errors ?? []).toEqual([]);
  return res.data;
}

/** The field errors of a refused write: `[{ field, message }]`. */
function fieldErrors(res: Result): Array<{ field: string; message: string }> {
  expect(res.errors?.length).toBeGreaterThan(0);
  return res.errors!.flatMap((e) => e.extensions?.fieldErrors ?? []);
}

const count = async (subgraph: string, sql: string, params: unknown[] = []) => Number((await fed.sql<{ n: number | string }>(subgraph, sql, params))[0].n);
const day = (v: unknown) => String(v).slice(0, 10);

beforeAll(async () => {
  fed = await startTestFederation();
  const [busiest] = await fed.sql<{ id: number; commune_code: string; name: string }>(
    'health',
    `select f.id, f.commune_code, f.name from facility f join methadone_enrollment e on e.clinic_id = f.id
     where f.kind = 'METHADONE_CLINIC' and e.status = 'ACTIVE' group by f.id, f.commune_code, f.name order by count(e.id) desc, f.id limit 1`,
  );
  clinic = { id: String(busiest.id), communeCode: busiest.commune_code, name: busiest.name };
  // A resident of the clinic's commune known to police and never treated, assessed or in rehab.
  const known = new Set(
    (
      await fed.sql<{ citizen_id: string }>(
        'health',
        'select citizen_id from methadone_enrollment union select citizen_id from addiction_assessment union select citizen_id from rehab_episode union select citizen_id from urine_test',
      )
    ).map((r) => r.citizen_id),
  );
  newcomer = fed.province.persons.find((p) => p.communeCode === clinic.communeCode && !known.has(p.citizenId))!;
  expect(newcomer).toBeDefined();
});

afterAll(async () => {
  await fed?.close();
});

describe('health officer: a day at the methadone clinic', () => {
  test('the clinic register and the daily dose sheet match the database', async () => {
    const clinics = await ok('HealthFacilities', { kind: 'METHADONE_CLINIC', first: 100 });
    expect(clinics.facilities.totalCount).toBe(await count('health', `select count(*) as n from facility where kind = 'METHADONE_CLINIC'`));
    expect(clinics.facilities.items.find((f: any) => f.id === clinic.id)).toMatchObject({ name: clinic.name, kind: 'METHADONE_CLINIC', canAssessAddiction: true, commune: { code: clinic.communeCode } });

    const sheet = await ok('HealthClinicDoseSheet', { clinicId: clinic.id, day: today });
    expect(sheet.facility).toMatchObject({ id: clinic.id, name: clinic.name, kind: 'METHADONE_CLINIC' });
    const active = await fed.sql<{ id: number; citizen_id: string; current_dose_mg: number }>(
      'health',
      `select id, citizen_id, current_dose_mg from methadone_enrollment where clinic_id = ? and status = 'ACTIVE' order by id`,
      [Number(clinic.id)],
    );
    expect(active.length).toBeGreaterThan(2);
    expect(sheet.methadoneEnrollments.totalCount).toBe(active.length);
    expect(sheet.methadoneEnrollments.items.map((e: any) => Number(e.id)).sort((a: number, b: number) => a - b)).toEqual(active.map((e) => Number(e.id)));
    // Nobody is dosed yet today; names come from the police population register.
    const names = new Map(fed.province.persons.map((p) => [p.citizenId, p.fullName]));
    for (const e of sheet.methadoneEnrollments.items) {
      expect(e.status).toBe('ACTIVE');
      expect(e.doses).toEqual([]);
      expect(e.person.fullName).toBe(names.get(e.person.citizenId));
      expect(e.currentDoseMg).toBe(Number(active.find((a) => a.citizen_id === e.person.citizenId)!.current_dose_mg));
    }
    const [first, second] = active;
    missedPatient = { enrollmentId: String(first.id), citizenId: first.citizen_id };
    arrestedPatient = { enrollmentId: String(second.id), citizenId: second.citizen_id };
  });

  test('a newcomer is looked up by CCCD, enrolled once (a retry with the same key writes nothing), and cannot be enrolled twice', async () => {
    const before = await ok('HealthPatientFile', { citizenId: newcomer.citizenId });
    expect(before.person).toMatchObject({ citizenId: newcomer.citizenId, fullName: newcomer.fullName, inTreatment: false, commune: { code: newcomer.communeCode } });
    expect(before.person.methadoneEnrollments ?? []).toEqual([]);

    const input = {
      citizenId: newcomer.citizenId,
      clinicId: clinic.id,
      communeCode: newcomer.communeCode,
      startedOn: today,
      startingDoseMg: 30,
      idempotencyKey: `enrol-${newcomer.citizenId}-${today}`,
    };
    const enrolled = (await ok('HealthEnrolMethadonePatient', { input })).enrolMethadonePatient;
    expect(enrolled).toMatchObject({
      startedOn: today,
      status: 'ACTIVE',
      currentDoseMg: 30,
      person: { citizenId: newcomer.citizenId, fullName: newcomer.fullName },
      commune: { code: newcomer.communeCode },
      clinic: { id: clinic.id },
    });
    expect(enrolled.statusHistory).toEqual([expect.objectContaining({ status: 'ACTIVE', changedOn: today, supersededOn: null })]);
    enrollmentId = enrolled.id;

    const retried = (await ok('HealthEnrolMethadonePatient', { input })).enrolMethadonePatient;
    expect(retried.id).toBe(enrollmentId);
    const rows = await fed.sql<any>('health', 'select id, clinic_id, commune_code, status, current_dose_mg, cast(started_on as text) as started_on from methadone_enrollment where citizen_id = ?', [newcomer.citizenId]);
    expect(rows.map((r) => ({ ...r, id: String(r.id), clinic_id: String(r.clinic_id), current_dose_mg: Number(r.current_dose_mg), started_on: day(r.started_on) }))).toEqual([
      { id: enrollmentId, clinic_id: clinic.id, commune_code: newcomer.communeCode, status: 'ACTIVE', current_dose_mg: 30, started_on: today },
    ]);
    expect(await count('health', 'select count(*) as n from enrollment_status_change where enrollment_id = ?', [Number(enrollmentId)])).toBe(1);

    const twice = await run('HealthEnrolMethadonePatient', { input: { ...input, idempotencyKey: `enrol-again-${newcomer.citizenId}` } });
    // Refused without naming the enrolment or its status (the same words wherever it is).
    expect(fieldErrors(twice)).toEqual([expect.objectContaining({ field: 'citizenId', message: expect.stringContaining('cannot be enrolled here: contact the provincial health department') })]);
    expect(await count('health', 'select count(*) as n from methadone_enrollment where citizen_id = ?', [newcomer.citizenId])).toBe(1);
  });

  test("today's doses: one observed, one missed day, no second record for the same day; the sheet shows them", async () => {
    const dosed = (await ok('HealthRecordDose', { input: { enrollmentId, day: today, doseMg: 30, observed: true, idempotencyKey: `dose-${enrollmentId}-${today}` } })).recordDose;
    expect(dosed).toMatchObject({ day: today, doseMg: 30, observed: true, missed: false, missedReason: null });
    // At the window the nurse keys the CCCD of a patient who phoned in sick.
    const missed = (await ok('HealthRecordDose', { input: { citizenId: missedPatient.citizenId, day: today, missed: true, missedReason: 'SICK' } })).recordDose;
    expect(missed).toMatchObject({ day: today, doseMg: 0, observed: false, missed: true, missedReason: 'SICK' });

    const again = await run('HealthRecordDose', { input: { enrollmentId, day: today, doseMg: 35 } });
    expect(fieldErrors(again)).toEqual([expect.objectContaining({ field: 'day', message: expect.stringContaining('already recorded') })]);

    const sheet = await ok('HealthClinicDoseSheet', { clinicId: clinic.id, day: today });
    const byId = new Map(sheet.methadoneEnrollments.items.map((e: any) => [e.id, e]));
    expect((byId.get(enrollmentId) as any).doses).toEqual([expect.objectContaining({ id: dosed.id, doseMg: 30, observed: true, missed: false })]);
    expect((byId.get(missedPatient.enrollmentId) as any).doses).toEqual([expect.objectContaining({ id: missed.id, doseMg: 0, missed: true, missedReason: 'SICK' })]);
    expect(sheet.methadoneEnrollments.items.filter((e: any) => e.doses.length > 0)).toHaveLength(2);

    const rows = await fed.sql<any>('health', 'select enrollment_id, dose_mg, observed, missed, missed_reason from dose_record where day = ? order by enrollment_id', [today]);
    expect(rows.map((r) => ({ enrollment: String(r.enrollment_id), doseMg: Number(r.dose_mg), observed: Boolean(r.observed), missed: Boolean(r.missed), reason: r.missed_reason }))).toEqual(
      [
        { enrollment: enrollmentId, doseMg: 30, observed: true, missed: false, reason: null },
        { enrollment: missedPatient.enrollmentId, doseMg: 0, observed: false, missed: true, reason: 'SICK' },
      ].sort((a, b) => Number(a.enrollment) - Number(b.enrollment)),
    );
  });

  test('a urine test at the clinic is recorded with a result per analyte and read back', async () => {
    const input = {
      enrollmentId,
      testedOn: today,
      results: [
        { analyte: 'OPIATES', positive: true },
        { analyte: 'METHAMPHETAMINE', positive: false },
      ],
      idempotencyKey: `urine-${enrollmentId}-${today}`,
    };
    const recorded = (await ok('HealthRecordUrineTest', { input })).recordUrineTest;
    // Without facilityId the sample is the clinic's; the commune is the patient's.
    expect(recorded).toMatchObject({ testedOn: today, enrollment: { id: enrollmentId, status: 'ACTIVE' }, facility: { id: clinic.id }, commune: { code: newcomer.communeCode }, person: { citizenId: newcomer.citizenId } });

    const listed = await ok('HealthUrineTests', { enrollmentId });
    expect(listed.urineTests.totalCount).toBe(1);
    expect(listed.urineTests.items[0]).toMatchObject({ id: recorded.id, testedOn: today });
    expect(listed.urineTests.items[0].results).toEqual(input.results);

    const rows = await fed.sql<any>('health', 'select r.analyte, r.positive from urine_test_result r join urine_test t on t.id = r.test_id where t.enrollment_id = ? order by r.analyte', [Number(enrollmentId)]);
    expect(rows.map((r) => ({ analyte: r.analyte, positive: Boolean(r.positive) }))).toEqual([
      { analyte: 'METHAMPHETAMINE', positive: false },
      { analyte: 'OPIATES', positive: true },
    ]);

    const twice = await run('HealthRecordUrineTest', { input: { ...input, idempotencyKey: undefined, results: [{ analyte: 'THC', positive: false }, { analyte: 'THC', positive: true }] } });
    expect(fieldErrors(twice)).toEqual([expect.objectContaining({ field: 'results[1].analyte', message: 'is listed twice' })]);
    expect(await count('health', 'select count(*) as n from urine_test where enrollment_id = ?', [Number(enrollmentId)])).toBe(1);
  });

  test('addiction assessment and counselling of the newcomer are recorded and listed', async () => {
    const register = await ok('HealthAddictionAssessments', { year: year - 1, result: 'ADDICTED', communeCode: clinic.communeCode, first: 500 });
    expect(register.addictionAssessments.totalCount).toBe(
      await count('health', `select count(*) as n from addiction_assessment where result = 'ADDICTED' and commune_code = ? and assessed_on between ? and ?`, [clinic.communeCode, `${year - 1}-01-01`, `${year - 1}-12-31`]),
    );

    const refused = await run('HealthRecordAssessment', {
      input: { citizenId: newcomer.citizenId, communeCode: newcomer.communeCode, facilityId: clinic.id, assessedOn: today, result: 'ADDICTED', substanceCodes: ['HEROIN', 'BANH_CHUNG'] },
    });
    expect(fieldErrors(refused).map((e) => e.field).sort()).toEqual(['severity', 'substanceCodes[1]']);

    const assessed = (
      await ok('HealthRecordAssessment', {
        input: { citizenId: newcomer.citizenId, communeCode: newcomer.communeCode, facilityId: clinic.id, assessedOn: today, result: 'ADDICTED', severity: 'SEVERE', substanceCodes: ['HEROIN', 'METHAMPHETAMINE'], idempotencyKey: `assess-${newcomer.citizenId}-${today}` },
      })
    ).recordAssessment;
    expect(assessed).toMatchObject({ assessedOn: today, result: 'ADDICTED', severity: 'SEVERE', facility: { id: clinic.id }, substance: { code: 'HEROIN' } });
    expect(assessed.substances.map((s: any) => s.code)).toEqual(['HEROIN', 'METHAMPHETAMINE']);
    expect((await fed.sql<any>('health', 'select substance_code from assessment_substance where assessment_id = ? order by id', [Number(assessed.id)])).map((r) => r.substance_code)).toEqual(['HEROIN', 'METHAMPHETAMINE']);

    const counselled = (
      await ok('HealthRecordCounselling', { input: { citizenId: newcomer.citizenId, communeCode: newcomer.communeCode, facilityId: clinic.id, counselledOn: today, kind: 'PSYCHOLOGICAL' } })
    ).recordCounselling;
    expect(counselled).toMatchObject({ counselledOn: today, kind: 'PSYCHOLOGICAL', person: { citizenId: newcomer.citizenId }, facility: { id: clinic.id } });
    const listed = await ok('HealthCounsellings', { communeCode: newcomer.communeCode, from: today, to: today });
    expect(listed.counsellings.items.map((c: any) => c.id)).toEqual([counselled.id]);
    expect(await count('health', 'select count(*) as n from counselling where citizen_id = ? and counselled_on = ?', [newcomer.citizenId, today])).toBe(1);

    const file = await ok('HealthPatientFile', { citizenId: newcomer.citizenId, from: today, to: today });
    expect(file.person).toMatchObject({ inTreatment: true, methadoneEnrollments: [{ id: enrollmentId, status: 'ACTIVE', startedOn: today }] });
    expect(file.person.addictionAssessments.map((a: any) => a.id)).toEqual([assessed.id]);
    expect(file.person.counsellings.map((c: any) => c.id)).toEqual([counselled.id]);
    expect(file.person.urineTests).toHaveLength(1);

    const record = await ok('HealthMethadoneEnrollment', { id: enrollmentId, from: today, to: today });
    expect(record.methadoneEnrollment).toMatchObject({ id: enrollmentId, doseCount: 1, missedDoseCount: 0, currentDoseMg: 30 });
    expect(record.methadoneEnrollment.doses.map((d: any) => d.doseMg)).toEqual([30]);
    expect(record.methadoneEnrollment.urineTests).toHaveLength(1);
  });

  test('status changes follow the lifecycle: an arrested patient leaves the sheet and is not dosed; a patient dosed today cannot be suspended today', async () => {
    const before = (await ok('HealthClinicDoseSheet', { clinicId: clinic.id, day: today })).methadoneEnrollments.totalCount;
    const changed = (
      await ok('HealthChangeEnrollmentStatus', { input: { enrollmentId: arrestedPatient.enrollmentId, status: 'ARRESTED', changedOn: today, reason: 'Bị tạm giữ hình sự theo quyết định của Công an xã' } })
    ).changeEnrollmentStatus;
    expect(changed.status).toBe('ARRESTED');
    expect(changed.statusHistory.at(-1)).toMatchObject({ status: 'ARRESTED', changedOn: today, supersededOn: null, reason: 'Bị tạm giữ hình sự theo quyết định của Công an xã' });
    expect(changed.statusHistory.at(-2)).toMatchObject({ status: 'ACTIVE', supersededOn: today });

    const sheet = await ok('HealthClinicDoseSheet', { clinicId: clinic.id, day: today });
    expect(sheet.methadoneEnrollments.totalCount).toBe(before - 1);
    expect(sheet.methadoneEnrollments.items.map((e: any) => e.id)).not.toContain(arrestedPatient.enrollmentId);

    const dose = await run('HealthRecordDose', { input: { enrollmentId: arrestedPatient.enrollmentId, day: today, doseMg: 60 } });
    expect(fieldErrors(dose)).toEqual([expect.objectContaining({ field: 'day', message: expect.stringContaining('ARRESTED') })]);
    const wrongWay = await run('HealthChangeEnrollmentStatus', { input: { enrollmentId: arrestedPatient.enrollmentId, status: 'SUSPENDED', changedOn: today } });
    expect(fieldErrors(wrongWay).map((e) => e.field)).toEqual(['status']);
    const suspendDosed = await run('HealthChangeEnrollmentStatus', { input: { enrollmentId, status: 'SUSPENDED', changedOn: today, reason: 'Đi làm ăn xa' } });
    expect(fieldErrors(suspendDosed)).toEqual([expect.objectContaining({ field: 'changedOn', message: expect.stringContaining(`doses are recorded up to ${today}`) })]);

    expect((await fed.sql<any>('health', 'select status from methadone_enrollment where id in (?, ?) order by id', [Number(arrestedPatient.enrollmentId), Number(enrollmentId)])).map((r) => r.status).sort()).toEqual(['ACTIVE', 'ARRESTED']);
    const history = await fed.sql<any>('health', 'select status, cast(changed_on as text) as changed_on, cast(superseded_on as text) as superseded_on from enrollment_status_change where enrollment_id = ? order by changed_on, id', [Number(arrestedPatient.enrollmentId)]);
    expect(history.map((h) => [h.status, day(h.changed_on), h.superseded_on ? day(h.superseded_on) : null]).slice(-2)).toEqual([
      ['ACTIVE', expect.any(String), today],
      ['ARRESTED', today, null],
    ]);
  });

  test('rehab: an open episode is ended, a home/community episode starts, a second open one and a compulsory one at a health station are refused', async () => {
    const open = await ok('HealthRehabEpisodes', { open: true, first: 500 });
    expect(open.rehabEpisodes.totalCount).toBe(await count('health', 'select count(*) as n from rehab_episode where ended_on is null'));
    const episode = open.rehabEpisodes.items[0];
    const one = await ok('HealthRehabEpisode', { id: episode.id });
    expect(one.rehabEpisode).toEqual(episode);

    const ended = (await ok('HealthEndRehabEpisode', { input: { id: episode.id, endedOn: today, outcome: 'COMPLETED' } })).endRehabEpisode;
    expect(ended).toMatchObject({ id: episode.id, endedOn: today, outcome: 'COMPLETED' });
    const [row] = await fed.sql<any>('health', 'select cast(ended_on as text) as ended_on, outcome from rehab_episode where id = ?', [Number(episode.id)]);
    expect({ endedOn: day(row.ended_on), outcome: row.outcome }).toEqual({ endedOn: today, outcome: 'COMPLETED' });

    const station = (await ok('HealthFacilities', { kind: 'COMMUNE_HEALTH_STATION', communeCode: newcomer.communeCode })).facilities.items[0];
    const started = (
      await ok('HealthStartRehabEpisode', { input: { citizenId: newcomer.citizenId, communeCode: newcomer.communeCode, form: 'VOLUNTARY_HOME_COMMUNITY', facilityId: station.id, startedOn: addDays(today, -1) } })
    ).startRehabEpisode;
    expect(started).toMatchObject({ form: 'VOLUNTARY_HOME_COMMUNITY', startedOn: addDays(today, -1), endedOn: null, outcome: null, facility: { id: station.id, kind: 'COMMUNE_HEALTH_STATION' } });
    const listed = await ok('HealthRehabEpisodes', { open: true, communeCode: newcomer.communeCode, from: today, to: today, first: 500 });
    expect(listed.rehabEpisodes.items.map((e: any) => e.id)).toContain(started.id);

    const second = await run('HealthStartRehabEpisode', { input: { citizenId: newcomer.citizenId, communeCode: newcomer.communeCode, form: 'COMPULSORY', facilityId: station.id, startedOn: today } });
    expect(fieldErrors(second).map((e) => e.field).sort()).toEqual(['citizenId', 'facilityId']);
    expect(await count('health', 'select count(*) as n from rehab_episode where citizen_id = ?', [newcomer.citizenId])).toBe(1);
  });

  test('a new community rehab reception point is registered and appears in the register and the commune report', async () => {
    const input = {
      name: `Điểm tiếp nhận, tư vấn, hỗ trợ cai nghiện ma túy tại cộng đồng – Trạm Y tế ${fed.province.communes.find((c) => c.code === newcomer.communeCode)!.name}`,
      kind: 'COMMUNITY_REHAB_POINT',
      communeCode: newcomer.communeCode,
      openedOn: today,
      idempotencyKey: `facility-point-${newcomer.communeCode}-${today}`,
    };
    const registered = (await ok('HealthRegisterFacility', { input })).registerFacility;
    expect(registered).toMatchObject({ name: input.name, kind: 'COMMUNITY_REHAB_POINT', canAssessAddiction: false, openedOn: today, commune: { code: newcomer.communeCode } });
    expect((await ok('HealthFacility', { id: registered.id })).facility).toEqual(registered);
    const points = await ok('HealthFacilities', { kind: 'COMMUNITY_REHAB_POINT', communeCode: newcomer.communeCode });
    expect(points.facilities.items.map((f: any) => f.id)).toContain(registered.id);
    expect(points.facilities.totalCount).toBe(await count('health', `select count(*) as n from facility where kind = 'COMMUNITY_REHAB_POINT' and commune_code = ?`, [newcomer.communeCode]));

    const month = today.slice(0, 7);
    const report = (await ok('HealthCommuneReport', { code: newcomer.communeCode, period: month })).commune;
    expect(report.facilities.map((f: any) => f.id)).toContain(registered.id);
    expect(report.activeMethadonePatientCount).toBe(await count('health', `select count(*) as n from methadone_enrollment where status = 'ACTIVE' and commune_code = ?`, [newcomer.communeCode]));
    expect(report.period.rehabReceptionPoints).toBe(points.facilities.totalCount);
    const counselled = await count('health', 'select count(distinct citizen_id) as n from counselling where commune_code = ? and counselled_on between ? and ?', [newcomer.communeCode, `${month}-01`, today]);
    expect(counselled).toBeGreaterThanOrEqual(1);
    expect(report.period.personsCounselled).toBe(counselled);
  });

  test('refused: sensitive reads without a declared purpose; writes to a commune outside the officer\'s area', async () => {
    const noPurpose = await run('HealthClinicDoseSheet', { clinicId: clinic.id, day: today }, { purpose: undefined });
    expect(noPurpose.errors?.[0].extensions.code).toBe('PURPOSE_REQUIRED');
    expect(noPurpose.data ?? null).toBeNull();
    // Control: the facility register holds no personal data and needs no purpose.
    expect((await run('HealthFacilities', { kind: 'METHADONE_CLINIC' }, { purpose: undefined })).errors).toBeUndefined();

    // An officer of the clinic's commune only.
    const area = { communes: [clinic.communeCode] };
    const away = fed.province.persons.find((p) => p.communeCode !== clinic.communeCode && !fed.province.methadone.some((m) => m.citizenId === p.citizenId))!;
    const outside = await run('HealthEnrolMethadonePatient', { input: { citizenId: away.citizenId, clinicId: clinic.id, communeCode: away.communeCode, startedOn: today, startingDoseMg: 25 } }, area);
    expect(fieldErrors(outside)).toEqual([expect.objectContaining({ field: 'communeCode', message: expect.stringContaining('outside your area') })]);
    expect(await count('health', 'select count(*) as n from methadone_enrollment where citizen_id = ?', [away.citizenId])).toBe(0);
    const counselAway = await run('HealthRecordCounselling', { input: { citizenId: away.citizenId, communeCode: away.communeCode, facilityId: clinic.id, counselledOn: today, kind: 'MEDICAL' } }, area);
    expect(fieldErrors(counselAway).map((e) => e.field)).toEqual(['communeCode']);
    expect(await count('health', 'select count(*) as n from counselling where citizen_id = ? and counselled_on = ?', [away.citizenId, today])).toBe(0);

    // Control: the same officer writes in their own commune, and their dose sheet holds only its patients.
    const home = await run('HealthRecordCounselling', { input: { citizenId: newcomer.citizenId, communeCode: newcomer.communeCode, facilityId: clinic.id, counselledOn: today, kind: 'MEDICAL' } }, area);
    expect(home.errors).toBeUndefined();
    const sheet = await ok('HealthClinicDoseSheet', { clinicId: clinic.id, day: today }, area);
    expect(sheet.methadoneEnrollments.totalCount).toBe(await count('health', `select count(*) as n from methadone_enrollment where clinic_id = ? and status = 'ACTIVE' and commune_code = ?`, [Number(clinic.id), clinic.communeCode]));
    expect(new Set(sheet.methadoneEnrollments.items.map((e: any) => e.commune.code))).toEqual(new Set([clinic.communeCode]));
  });
});
