import { LocalDate, NamesPerson, NamesPersonOf } from '@pcmt/kit';
import { Field, ID, InputType, Int } from 'type-graphql';
import {
  AddictionSeverity,
  AssessmentResult,
  CounsellingKind,
  EnrollmentStatus,
  FacilityKind,
  MissedDoseReason,
  RehabForm,
  RehabOutcome,
  UrineAnalyte,
} from './entities.js';
import { MAX_DOSE_MG, STARTING_DOSE_MG } from './writes.js';

// The GraphQL inputs of the health writes (mutations.ts) and imports (importers.ts). Only shapes and
// descriptions here: every check on their values is in writes.ts.

const KEY = 'Client key (8–160 characters): a retry with the same key is applied once';

@InputType({ description: 'A facility registered by the Department of Health (e.g. a new community rehab point)' })
export class RegisterFacilityInput {
  @Field({ description: 'Tên cơ sở' })
  name!: string;

  @Field(() => FacilityKind)
  kind!: FacilityKind;

  @Field({ description: 'Commune where it stands, official code' })
  communeCode!: string;

  @Field({ defaultValue: false, description: 'Đủ điều kiện xác định tình trạng nghiện ma túy' })
  canAssessAddiction?: boolean;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày đi vào hoạt động; not in the future' })
  openedOn?: string | null;

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}

@InputType({ description: 'An addiction-status assessment (xác định tình trạng nghiện ma túy)' })
export class RecordAssessmentInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số định danh cá nhân (CCCD), 12 digits' })
  citizenId!: string;

  @Field({ description: "The person's commune of residence, official code" })
  communeCode!: string;

  @Field(() => ID, { description: 'Facility making the assessment; it must be able to assess addiction' })
  facilityId!: string;

  @Field(() => LocalDate, { description: 'Ngày xác định; not in the future' })
  assessedOn!: string;

  @Field(() => AssessmentResult)
  result!: AssessmentResult;

  @Field(() => AddictionSeverity, { nullable: true, description: 'Mức độ nghiện: required when ADDICTED, empty otherwise' })
  severity?: AddictionSeverity | null;

  @Field(() => [String], { description: 'Substance codes of the programme catalogue (e.g. HEROIN), the primary one first' })
  substanceCodes!: string[];

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}

@InputType({ description: 'A patient starting methadone maintenance treatment at a clinic' })
export class EnrolMethadonePatientInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số CCCD' })
  citizenId!: string;

  @Field(() => ID, { description: 'A METHADONE_CLINIC facility' })
  clinicId!: string;

  @Field({ description: "The patient's commune of residence, official code" })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu điều trị; not in the future' })
  startedOn!: string;

  @Field(() => Int, { description: `Liều khởi đầu, ${STARTING_DOSE_MG.min}–${STARTING_DOSE_MG.max} mg` })
  startingDoseMg!: number;

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}

@InputType({ description: 'A change of an enrolment’s status along its lifecycle' })
export class ChangeEnrollmentStatusInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('methadoneEnrollment')
  @Field(() => ID)
  enrollmentId!: string;

  @Field(() => EnrollmentStatus)
  status!: EnrollmentStatus;

  @Field(() => LocalDate, { description: 'Ngày chuyển trạng thái; not in the future, not before the last change' })
  changedOn!: string;

  @Field(() => String, { nullable: true, description: 'Lý do' })
  reason?: string | null;

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}

@InputType({ description: 'One day of methadone dosing: a dose taken (observed or take-home) or a missed day' })
export class RecordDoseInput {
  // The dose is about the enrolment's patient: the audit entry names them (gateway, before the write).
  @NamesPersonOf('methadoneEnrollment')
  @Field(() => ID, { nullable: true, description: 'Mã bệnh nhân: the enrolment id; or give citizenId' })
  enrollmentId?: string | null;

  @NamesPerson()
  @Field(() => ID, { nullable: true, description: 'Số CCCD: finds the enrolment that is ACTIVE on the day, when enrollmentId is not given' })
  citizenId?: string | null;

  @Field(() => LocalDate, { description: 'Ngày; not in the future, not before the enrolment started' })
  day!: string;

  @Field(() => Int, { nullable: true, description: `Liều (mg), 1–${MAX_DOSE_MG}; 0 or empty on a missed day` })
  doseMg?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Uống tại chỗ (true) or take-home (false); taken as true for a dose and false for a missed day when empty' })
  observed?: boolean | null;

  @Field({ defaultValue: false, description: 'Bỏ liều' })
  missed?: boolean;

  @Field(() => MissedDoseReason, { nullable: true, description: 'Lý do bỏ liều: required on a missed day' })
  missedReason?: MissedDoseReason | null;

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}

@InputType({ description: 'The result for one analyte' })
export class UrineTestResultInput {
  @Field(() => UrineAnalyte)
  analyte!: UrineAnalyte;

  @Field({ description: 'Dương tính' })
  positive!: boolean;
}

@InputType({ description: 'A urine drug test: of a methadone patient (enrollmentId) or of any person (citizenId and communeCode)' })
export class RecordUrineTestInput {
  @NamesPersonOf('methadoneEnrollment')
  @Field(() => ID, { nullable: true, description: 'Methadone enrolment the test belongs to' })
  enrollmentId?: string | null;

  @NamesPerson()
  @Field(() => ID, { nullable: true, description: 'Số CCCD: required without enrollmentId' })
  citizenId?: string | null;

  @Field(() => String, { nullable: true, description: "The person's commune of residence: required without enrollmentId, the enrolment's otherwise" })
  communeCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Facility that took the sample; the clinic of the enrolment when omitted' })
  facilityId?: string | null;

  @Field(() => LocalDate, { description: 'Ngày xét nghiệm; not in the future' })
  testedOn!: string;

  @Field(() => [UrineTestResultInput], { description: 'One result per analyte tested, at least one' })
  results!: UrineTestResultInput[];

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}

@InputType({ description: 'A person starting rehab (bắt đầu cai nghiện ma túy)' })
export class StartRehabEpisodeInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số CCCD' })
  citizenId!: string;

  @Field({ description: "The person's commune of residence, official code" })
  communeCode!: string;

  @Field(() => RehabForm)
  form!: RehabForm;

  @Field(() => ID, { nullable: true, description: 'Rehab facility: required for VOLUNTARY_FACILITY (public or private) and COMPULSORY (public); for home/community rehab, optionally the supporting community point or health station' })
  facilityId?: string | null;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu; not in the future, not before the person’s previous episode ended' })
  startedOn!: string;

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}

@InputType({ description: 'The end of a rehab episode, with its outcome' })
export class EndRehabEpisodeInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('rehabEpisode')
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày kết thúc; not in the future, not before the start' })
  endedOn!: string;

  @Field(() => RehabOutcome)
  outcome!: RehabOutcome;

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}

@InputType({ description: 'A counselling session (tư vấn, can thiệp y tế / tâm lý)' })
export class RecordCounsellingInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số CCCD' })
  citizenId!: string;

  @Field({ description: "The person's commune of residence, official code" })
  communeCode!: string;

  @Field(() => ID, { description: 'Facility that gave the counselling' })
  facilityId!: string;

  @Field(() => LocalDate, { description: 'Ngày tư vấn; not in the future' })
  counselledOn!: string;

  @Field(() => CounsellingKind)
  kind!: CounsellingKind;

  @Field({ nullable: true, description: KEY })
  idempotencyKey?: string;
}
