import type { EntityManager } from '@mikro-orm/core';
import { addDays, ALL_AREAS, checkCommune, findById, idempotentWrite, InputErrors, SUBSTANCE_CODES } from '@pcmt/kit';
import {
  AddictionAssessment,
  AddictionSeverity,
  AssessmentResult,
  AssessmentSubstance,
  Counselling,
  CounsellingKind,
  DoseRecord,
  ENROLLMENT_LIFECYCLE,
  EnrollmentStatus,
  EnrollmentStatusChange,
  Facility,
  FacilityKind,
  IN_TREATMENT,
  MethadoneEnrollment,
  MissedDoseReason,
  RehabEpisode,
  RehabForm,
  RehabOutcome,
  UrineAnalyte,
  UrineTest,
  UrineTestResult,
} from './entities.js';
import type {
  RegisterFacilityInput,
  RecordAssessmentInput,
  EnrolMethadonePatientInput,
  ChangeEnrollmentStatusInput,
  RecordDoseInput,
  RecordUrineTestInput,
  StartRehabEpisodeInput,
  EndRehabEpisodeInput,
  RecordCounsellingInput,
} from './inputs.js';

// Every write validates inside its idempotent transaction (as police does): a retry of a write
// that succeeded is answered from the record, not refused because the row now exists.

export interface Written<T> {
  result: T;
  replayed: boolean;
}

/** Methadone induction (QĐ 3140/QĐ-BYT): start at 15–30 mg, never more than 40 mg on the first day. */
export const STARTING_DOSE_MG = { min: 5, max: 40 } as const;
/** Above any maintenance dose a clinic gives: a larger number is a typing error. */
export const MAX_DOSE_MG = 400;
/** Bỏ điều trị: a patient who has not come for a month is recorded as dropped out. */
export const DROPOUT_AFTER_DAYS = 30;

/**
 * The refusal when another record of the person is in the way (a treatment, an open rehab episode,
 * a later episode's end), counted in every area. It names no record, status or date, and reads the
 * same whether that record is in the caller's area or not: the answer must not tell a commune
 * officer what another commune holds about someone. The attempt is audited at the gateway.
 */
export const contactHealthDepartment = (what: string) => `${what} here: contact the provincial health department (Sở Y tế)`;

/** A facility that exists and, when `kinds` is given, is of one of those kinds. */
async function checkFacility(em: EntityManager, errs: InputErrors, field: string, id: unknown, kinds?: readonly FacilityKind[]): Promise<Facility | null> {
  const facility = await findById(em, errs, Facility, field, id, 'facility');
  if (facility && kinds) errs.check(kinds.includes(facility.kind), field, `facility ${facility.id} is a ${facility.kind}; must be ${kinds.join(' or ')}`);
  return facility;
}

/** The status history entry in force on `day` (the latest change on or before it), or null before the start. */
export async function statusOn(em: EntityManager, enrollment: MethadoneEnrollment, day: string): Promise<EnrollmentStatusChange | null> {
  return em.findOne(EnrollmentStatusChange, { enrollment, changedOn: { $lte: day } }, { orderBy: { changedOn: 'desc', id: 'desc' } });
}

function addStatusChange(em: EntityManager, enrollment: MethadoneEnrollment, status: EnrollmentStatus, changedOn: string, reason: string | null): EnrollmentStatusChange {
  return em.create(EnrollmentStatusChange, { enrollment, communeCode: enrollment.communeCode, status, changedOn, supersededOn: null, reason });
}

// ---------------------------------------------------------------- facilities

export async function registerFacility(em: EntityManager, input: RegisterFacilityInput): Promise<Written<Facility>> {
  return idempotentWrite(em, Facility, { key: input.idempotencyKey, operation: 'registerFacility', input }, async (tx) => {
    const errs = new InputErrors();
    errs.text('name', input.name, { required: true, max: 255 });
    errs.oneOf('kind', input.kind, FacilityKind);
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    if (input.openedOn != null) errs.date('openedOn', input.openedOn, { notFuture: true });
    errs.throwIfAny();
    return tx.create(Facility, {
      name: input.name.trim(),
      kind: input.kind,
      communeCode: input.communeCode,
      canAssessAddiction: input.canAssessAddiction ?? false,
      openedOn: input.openedOn ?? null,
    });
  });
}

// ---------------------------------------------------------------- addiction assessments

export async function recordAssessment(em: EntityManager, input: RecordAssessmentInput): Promise<Written<AddictionAssessment>> {
  return idempotentWrite(em, AddictionAssessment, { key: input.idempotencyKey, operation: 'recordAssessment', input }, async (tx) => {
    const errs = new InputErrors();
    errs.citizenId('citizenId', input.citizenId);
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    const facility = await checkFacility(tx, errs, 'facilityId', input.facilityId);
    if (facility) errs.check(facility.canAssessAddiction, 'facilityId', `facility ${facility.id} is not able to assess addiction`);
    errs.date('assessedOn', input.assessedOn, { notFuture: true });
    if (errs.oneOf('result', input.result, AssessmentResult)) {
      if (input.result === AssessmentResult.ADDICTED) {
        if (errs.check(input.severity != null, 'severity', 'is required when the person is assessed ADDICTED')) errs.oneOf('severity', input.severity, AddictionSeverity);
      } else {
        errs.check(input.severity == null, 'severity', 'must be empty when the person is not addicted');
      }
    }
    const codes = input.substanceCodes ?? [];
    if (errs.check(codes.length > 0, 'substanceCodes', 'must name at least one substance')) {
      codes.forEach((code, i) => {
        if (errs.check((SUBSTANCE_CODES as readonly string[]).includes(code), `substanceCodes[${i}]`, `unknown substance code ${code}; one of ${SUBSTANCE_CODES.join(', ')}`)) {
          errs.check(codes.indexOf(code) === i, `substanceCodes[${i}]`, 'is listed twice');
        }
      });
    }
    errs.throwIfAny();
    const assessment = tx.create(AddictionAssessment, {
      citizenId: input.citizenId,
      communeCode: input.communeCode,
      facility: facility!,
      assessedOn: input.assessedOn,
      result: input.result,
      severity: input.severity ?? null,
      substanceCode: codes[0],
    });
    for (const substanceCode of codes) tx.create(AssessmentSubstance, { assessment, substanceCode });
    return assessment;
  });
}

// ---------------------------------------------------------------- methadone enrolment

export async function enrolMethadonePatient(em: EntityManager, input: EnrolMethadonePatientInput): Promise<Written<MethadoneEnrollment>> {
  return idempotentWrite(em, MethadoneEnrollment, { key: input.idempotencyKey, operation: 'enrolMethadonePatient', input }, async (tx) => {
    const errs = new InputErrors();
    if (errs.citizenId('citizenId', input.citizenId)) {
      const current = await tx.findOne(MethadoneEnrollment, { citizenId: input.citizenId, status: { $in: [...IN_TREATMENT] } }, ALL_AREAS);
      errs.check(current === null, 'citizenId', contactHealthDepartment('this person cannot be enrolled'));
    }
    const clinic = await checkFacility(tx, errs, 'clinicId', input.clinicId, [FacilityKind.METHADONE_CLINIC]);
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    errs.date('startedOn', input.startedOn, { notFuture: true });
    if (errs.range('startingDoseMg', input.startingDoseMg, STARTING_DOSE_MG.min, STARTING_DOSE_MG.max, 'mg')) {
      errs.check(Number.isInteger(input.startingDoseMg), 'startingDoseMg', 'must be a whole number of mg');
    }
    errs.throwIfAny();
    const enrollment = tx.create(MethadoneEnrollment, {
      citizenId: input.citizenId,
      clinic: clinic!,
      communeCode: input.communeCode,
      startedOn: input.startedOn,
      status: EnrollmentStatus.ACTIVE,
      currentDoseMg: input.startingDoseMg,
    });
    addStatusChange(tx, enrollment, EnrollmentStatus.ACTIVE, input.startedOn, 'Bắt đầu điều trị');
    return enrollment;
  });
}

export async function changeEnrollmentStatus(em: EntityManager, input: ChangeEnrollmentStatusInput): Promise<Written<MethadoneEnrollment>> {
  return idempotentWrite(em, MethadoneEnrollment, { key: input.idempotencyKey, operation: 'changeEnrollmentStatus', input }, async (tx) => {
    const errs = new InputErrors();
    const enrollment = await findById(tx, errs, MethadoneEnrollment, 'enrollmentId', input.enrollmentId, 'methadone enrolment');
    const last = enrollment ? await tx.findOne(EnrollmentStatusChange, { enrollment }, { orderBy: { changedOn: 'desc', id: 'desc' } }) : null;
    const allowed =
      errs.oneOf('status', input.status, EnrollmentStatus) &&
      enrollment !== null &&
      errs.check(input.status !== enrollment.status, 'status', `enrolment ${enrollment.id} is already ${enrollment.status}`) &&
      errs.transition('status', ENROLLMENT_LIFECYCLE, enrollment.status, input.status);
    const dayOk = errs.date('changedOn', input.changedOn, { notFuture: true, notBefore: last?.changedOn ?? enrollment?.startedOn });
    errs.text('reason', input.reason, { max: 255 });
    if (enrollment && allowed && dayOk) {
      if (input.status === EnrollmentStatus.ACTIVE) {
        const other = await tx.findOne(MethadoneEnrollment, { citizenId: enrollment.citizenId, status: { $in: [...IN_TREATMENT] }, id: { $ne: enrollment.id } }, ALL_AREAS);
        errs.check(other === null, 'status', contactHealthDepartment('this enrolment cannot be re-activated'));
      } else {
        // A patient who is not ACTIVE is not dosed: refuse a change that would leave doses after it.
        const later = await tx.findOne(DoseRecord, { enrollment, day: { $gte: input.changedOn } }, { orderBy: { day: 'desc' } });
        errs.check(later === null, 'changedOn', `doses are recorded up to ${later?.day}; the change must come after them`);
      }
      if (input.status === EnrollmentStatus.DROPPED_OUT) {
        const from = addDays(input.changedOn, -DROPOUT_AFTER_DAYS);
        const dosed = await tx.findOne(DoseRecord, { enrollment, missed: false, day: { $gte: from, $lt: input.changedOn } }, { orderBy: { day: 'desc' } });
        errs.check(dosed === null, 'changedOn', `the patient was dosed on ${dosed?.day}; DROPPED_OUT needs ${DROPOUT_AFTER_DAYS} days without a dose (from ${addDays(dosed?.day ?? from, DROPOUT_AFTER_DAYS + 1)})`);
      }
    }
    errs.throwIfAny();
    if (last) last.supersededOn = input.changedOn;
    addStatusChange(tx, enrollment!, input.status, input.changedOn, input.reason?.trim() || null);
    enrollment!.status = input.status;
    return enrollment!;
  });
}

// ---------------------------------------------------------------- daily doses

/** The enrolment a dose row is for: by id, or the person's enrolment that is ACTIVE on the day. */
async function doseEnrollment(tx: EntityManager, errs: InputErrors, input: RecordDoseInput, dayOk: boolean): Promise<MethadoneEnrollment | null> {
  const byId = input.enrollmentId != null && input.enrollmentId !== '';
  const byCitizen = input.citizenId != null && input.citizenId !== '';
  if (!byId && !byCitizen) {
    errs.add('enrollmentId', 'give the enrolment id or the citizen ID');
    return null;
  }
  const citizenOk = byCitizen && errs.citizenId('citizenId', input.citizenId);
  if (byId) {
    const enrollment = await findById(tx, errs, MethadoneEnrollment, 'enrollmentId', input.enrollmentId, 'methadone enrolment');
    if (enrollment && citizenOk) errs.check(enrollment.citizenId === input.citizenId, 'citizenId', `is not the patient of enrolment ${enrollment.id}`);
    return enrollment;
  }
  if (!citizenOk || !dayOk) return null;
  for (const enrollment of await tx.find(MethadoneEnrollment, { citizenId: input.citizenId! }, { orderBy: { startedOn: 'desc', id: 'desc' } })) {
    if ((await statusOn(tx, enrollment, input.day))?.status === EnrollmentStatus.ACTIVE) return enrollment;
  }
  errs.add('citizenId', `no methadone enrolment of ${input.citizenId} is ACTIVE on ${input.day}`);
  return null;
}

export async function recordDose(em: EntityManager, input: RecordDoseInput): Promise<Written<DoseRecord>> {
  return idempotentWrite(em, DoseRecord, { key: input.idempotencyKey, operation: 'recordDose', input }, async (tx) => {
    const errs = new InputErrors();
    const missed = input.missed ?? false;
    const dayFormatOk = errs.date('day', input.day, { notFuture: true });
    const enrollment = await doseEnrollment(tx, errs, input, dayFormatOk);
    if (enrollment && dayFormatOk && errs.date('day', input.day, { notBefore: enrollment.startedOn })) {
      const status = (await statusOn(tx, enrollment, input.day))?.status ?? enrollment.status;
      if (errs.check(status === EnrollmentStatus.ACTIVE, 'day', `enrolment ${enrollment.id} is ${status} on ${input.day}; doses are recorded only while ACTIVE`)) {
        const existing = await tx.findOne(DoseRecord, { enrollment, day: input.day });
        errs.check(existing === null, 'day', `a dose is already recorded for enrolment ${enrollment.id} on ${input.day}`);
      }
      if (!missed) {
        // A dropout is a month without a dose: a dose taken in that month would contradict it.
        const dropout = await tx.findOne(EnrollmentStatusChange, { enrollment, status: EnrollmentStatus.DROPPED_OUT, changedOn: { $gt: input.day, $lte: addDays(input.day, DROPOUT_AFTER_DAYS) } });
        errs.check(dropout === null, 'day', `enrolment ${enrollment.id} was recorded DROPPED_OUT on ${dropout?.changedOn} after ${DROPOUT_AFTER_DAYS} days without a dose; a dose taken on ${input.day} contradicts it`);
      }
    }
    if (missed) {
      errs.check(input.doseMg == null || input.doseMg === 0, 'doseMg', 'must be 0 or empty on a missed day');
      errs.check(input.observed !== true, 'observed', 'a missed dose cannot be observed');
      if (errs.check(input.missedReason != null, 'missedReason', 'is required on a missed day')) errs.oneOf('missedReason', input.missedReason, MissedDoseReason);
    } else {
      if (errs.check(input.doseMg != null, 'doseMg', 'is required unless the dose was missed') && errs.range('doseMg', input.doseMg, 1, MAX_DOSE_MG, 'mg')) {
        errs.check(Number.isInteger(input.doseMg), 'doseMg', 'must be a whole number of mg');
      }
      errs.check(input.missedReason == null, 'missedReason', 'must be empty when the dose was taken');
    }
    errs.throwIfAny();
    const dose = tx.create(DoseRecord, {
      enrollment: enrollment!,
      day: input.day,
      doseMg: missed ? 0 : input.doseMg!,
      observed: missed ? false : (input.observed ?? true),
      missed,
      missedReason: missed ? input.missedReason! : null,
    });
    if (!missed) {
      // The current dose follows the latest day dosed, whatever order the days are recorded in.
      const later = await tx.findOne(DoseRecord, { enrollment: enrollment!, missed: false, day: { $gt: input.day } });
      if (!later) enrollment!.currentDoseMg = input.doseMg!;
    }
    return dose;
  });
}

// ---------------------------------------------------------------- urine tests

export async function recordUrineTest(em: EntityManager, input: RecordUrineTestInput): Promise<Written<UrineTest>> {
  return idempotentWrite(em, UrineTest, { key: input.idempotencyKey, operation: 'recordUrineTest', input }, async (tx) => {
    const errs = new InputErrors();
    const given = (v: unknown) => v != null && v !== '';
    let enrollment: MethadoneEnrollment | null = null;
    if (given(input.enrollmentId)) {
      enrollment = await findById(tx, errs, MethadoneEnrollment, 'enrollmentId', input.enrollmentId, 'methadone enrolment');
      if (given(input.citizenId) && errs.citizenId('citizenId', input.citizenId) && enrollment) {
        errs.check(enrollment.citizenId === input.citizenId, 'citizenId', `is not the patient of enrolment ${enrollment.id}`);
      }
      if (given(input.communeCode)) await checkCommune(tx, errs, 'communeCode', input.communeCode);
    } else {
      errs.citizenId('citizenId', input.citizenId);
      await checkCommune(tx, errs, 'communeCode', input.communeCode);
    }
    const facility = given(input.facilityId) ? await checkFacility(tx, errs, 'facilityId', input.facilityId) : null;
    errs.date('testedOn', input.testedOn, { notFuture: true, notBefore: enrollment?.startedOn });
    const results = input.results ?? [];
    if (errs.check(results.length > 0, 'results', 'must give at least one analyte')) {
      const seen = new Set<string>();
      results.forEach((r, i) => {
        if (errs.oneOf(`results[${i}].analyte`, r.analyte, UrineAnalyte)) {
          errs.check(!seen.has(r.analyte), `results[${i}].analyte`, 'is listed twice');
          seen.add(r.analyte);
        }
        errs.check(typeof r.positive === 'boolean', `results[${i}].positive`, 'must be true (dương tính) or false (âm tính)');
      });
    }
    errs.throwIfAny();
    const test = tx.create(UrineTest, {
      enrollment,
      citizenId: enrollment?.citizenId ?? input.citizenId!,
      communeCode: given(input.communeCode) ? input.communeCode! : enrollment!.communeCode,
      facility: facility ?? enrollment?.clinic ?? null,
      testedOn: input.testedOn,
    });
    for (const r of results) tx.create(UrineTestResult, { test, analyte: r.analyte, positive: r.positive });
    return test;
  });
}

// ---------------------------------------------------------------- rehab episodes

/** Where each form of rehab takes place. */
export const REHAB_FACILITY_KINDS: Record<RehabForm, readonly FacilityKind[]> = {
  // Compulsory rehab is only at public facilities (Luật Phòng, chống ma túy 2021, art. 33).
  COMPULSORY: [FacilityKind.PUBLIC_REHAB],
  VOLUNTARY_FACILITY: [FacilityKind.PUBLIC_REHAB, FacilityKind.PRIVATE_REHAB],
  VOLUNTARY_HOME_COMMUNITY: [FacilityKind.COMMUNITY_REHAB_POINT, FacilityKind.COMMUNE_HEALTH_STATION],
};

export async function startRehabEpisode(em: EntityManager, input: StartRehabEpisodeInput): Promise<Written<RehabEpisode>> {
  return idempotentWrite(em, RehabEpisode, { key: input.idempotencyKey, operation: 'startRehabEpisode', input }, async (tx) => {
    const errs = new InputErrors();
    const dayOk = errs.date('startedOn', input.startedOn, { notFuture: true });
    if (errs.citizenId('citizenId', input.citizenId)) {
      // One open episode per person, and none starting before the last one ended: both in any area.
      const open = await tx.findOne(RehabEpisode, { citizenId: input.citizenId, endedOn: null }, ALL_AREAS);
      const later = dayOk ? await tx.findOne(RehabEpisode, { citizenId: input.citizenId, endedOn: { $gt: input.startedOn } }, ALL_AREAS) : null;
      errs.check(open === null && later === null, 'citizenId', contactHealthDepartment('a rehab episode cannot be started for this person'));
    }
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    let facility: Facility | null = null;
    if (errs.oneOf('form', input.form, RehabForm)) {
      const kinds = REHAB_FACILITY_KINDS[input.form];
      if (input.facilityId != null && input.facilityId !== '') facility = await checkFacility(tx, errs, 'facilityId', input.facilityId, kinds);
      else errs.check(input.form === RehabForm.VOLUNTARY_HOME_COMMUNITY, 'facilityId', `is required for ${input.form} rehab (${kinds.join(' or ')})`);
    }
    errs.throwIfAny();
    return tx.create(RehabEpisode, {
      citizenId: input.citizenId,
      communeCode: input.communeCode,
      form: input.form,
      facility,
      startedOn: input.startedOn,
      endedOn: null,
      outcome: null,
    });
  });
}

export async function endRehabEpisode(em: EntityManager, input: EndRehabEpisodeInput): Promise<Written<RehabEpisode>> {
  return idempotentWrite(em, RehabEpisode, { key: input.idempotencyKey, operation: 'endRehabEpisode', input }, async (tx) => {
    const errs = new InputErrors();
    const episode = await findById(tx, errs, RehabEpisode, 'id', input.id, 'rehab episode');
    if (episode) errs.check(episode.endedOn == null, 'id', `rehab episode ${episode.id} already ended on ${episode.endedOn}`);
    errs.date('endedOn', input.endedOn, { notFuture: true, notBefore: episode?.startedOn });
    errs.oneOf('outcome', input.outcome, RehabOutcome);
    errs.throwIfAny();
    episode!.endedOn = input.endedOn;
    episode!.outcome = input.outcome;
    return episode!;
  });
}

// ---------------------------------------------------------------- counselling

export async function recordCounselling(em: EntityManager, input: RecordCounsellingInput): Promise<Written<Counselling>> {
  return idempotentWrite(em, Counselling, { key: input.idempotencyKey, operation: 'recordCounselling', input }, async (tx) => {
    const errs = new InputErrors();
    errs.citizenId('citizenId', input.citizenId);
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    const facility = await checkFacility(tx, errs, 'facilityId', input.facilityId);
    errs.date('counselledOn', input.counselledOn, { notFuture: true });
    errs.oneOf('kind', input.kind, CounsellingKind);
    errs.throwIfAny();
    return tx.create(Counselling, { citizenId: input.citizenId, communeCode: input.communeCode, facility: facility!, counselledOn: input.counselledOn, kind: input.kind });
  });
}
