import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { AreaScoped, LocalDate, NotAreaScoped, Scopes } from '@pcmt/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum FacilityKind {
  METHADONE_CLINIC = 'METHADONE_CLINIC',
  DISPENSING_POINT = 'DISPENSING_POINT',
  COMMUNE_HEALTH_STATION = 'COMMUNE_HEALTH_STATION',
  PUBLIC_REHAB = 'PUBLIC_REHAB',
  PRIVATE_REHAB = 'PRIVATE_REHAB',
  COMMUNITY_REHAB_POINT = 'COMMUNITY_REHAB_POINT',
}
registerEnumType(FacilityKind, {
  name: 'FacilityKind',
  description: 'Kind of health or rehab facility (cơ sở y tế, cơ sở cai nghiện)',
  valuesConfig: {
    METHADONE_CLINIC: { description: 'Cơ sở điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay thế (Methadone)' },
    DISPENSING_POINT: { description: 'Cơ sở cấp phát thuốc thay thế (điểm cấp phát vệ tinh)' },
    COMMUNE_HEALTH_STATION: { description: 'Trạm y tế xã/phường/đặc khu' },
    PUBLIC_REHAB: { description: 'Cơ sở cai nghiện ma túy công lập' },
    PRIVATE_REHAB: { description: 'Cơ sở cai nghiện ma túy tự nguyện (ngoài công lập)' },
    COMMUNITY_REHAB_POINT: { description: 'Điểm tiếp nhận, tư vấn, hỗ trợ cai nghiện ma túy tại cộng đồng' },
  },
});

export enum AssessmentResult {
  ADDICTED = 'ADDICTED',
  NOT_ADDICTED = 'NOT_ADDICTED',
}
registerEnumType(AssessmentResult, {
  name: 'AssessmentResult',
  description: 'Outcome of an addiction-status assessment (kết quả xác định tình trạng nghiện)',
  valuesConfig: {
    ADDICTED: { description: 'Nghiện ma túy' },
    NOT_ADDICTED: { description: 'Không nghiện ma túy' },
  },
});

export enum AddictionSeverity {
  MILD = 'MILD',
  MODERATE = 'MODERATE',
  SEVERE = 'SEVERE',
}
registerEnumType(AddictionSeverity, {
  name: 'AddictionSeverity',
  description: 'Mức độ nghiện',
  valuesConfig: {
    MILD: { description: 'Nhẹ' },
    MODERATE: { description: 'Trung bình' },
    SEVERE: { description: 'Nặng' },
  },
});

export enum EnrollmentStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  DROPPED_OUT = 'DROPPED_OUT',
  TRANSFERRED = 'TRANSFERRED',
  COMPLETED = 'COMPLETED',
  DIED = 'DIED',
  ARRESTED = 'ARRESTED',
}
registerEnumType(EnrollmentStatus, {
  name: 'EnrollmentStatus',
  description: 'Status of a methadone maintenance enrolment (tình trạng điều trị)',
  valuesConfig: {
    ACTIVE: { description: 'Đang điều trị' },
    SUSPENDED: { description: 'Tạm ngừng điều trị' },
    DROPPED_OUT: { description: 'Bỏ điều trị' },
    TRANSFERRED: { description: 'Chuyển cơ sở điều trị' },
    COMPLETED: { description: 'Hoàn thành điều trị (giảm liều, ngừng thuốc)' },
    DIED: { description: 'Tử vong' },
    ARRESTED: { description: 'Bị bắt, đi tù hoặc đưa vào cơ sở cai nghiện bắt buộc' },
  },
});

/** Where a status may go next (vòng đời điều trị); terminal statuses lead nowhere. */
export const ENROLLMENT_LIFECYCLE: Record<EnrollmentStatus, readonly EnrollmentStatus[]> = {
  ACTIVE: [EnrollmentStatus.SUSPENDED, EnrollmentStatus.DROPPED_OUT, EnrollmentStatus.TRANSFERRED, EnrollmentStatus.COMPLETED, EnrollmentStatus.DIED, EnrollmentStatus.ARRESTED],
  SUSPENDED: [EnrollmentStatus.ACTIVE, EnrollmentStatus.DROPPED_OUT, EnrollmentStatus.DIED, EnrollmentStatus.ARRESTED],
  // Re-enrolled at the same clinic after dropping out, or back from detention.
  DROPPED_OUT: [EnrollmentStatus.ACTIVE],
  ARRESTED: [EnrollmentStatus.ACTIVE],
  TRANSFERRED: [],
  COMPLETED: [],
  DIED: [],
};

/** Still enrolled: dosed (ACTIVE) or on a temporary break (SUSPENDED). */
export const IN_TREATMENT: readonly EnrollmentStatus[] = [EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED];

/** Left treatment without a bad outcome: tapered off, or continuing at another clinic. */
export const GOOD_EXITS: readonly EnrollmentStatus[] = [EnrollmentStatus.COMPLETED, EnrollmentStatus.TRANSFERRED];

export enum MissedDoseReason {
  SICK = 'SICK',
  TRAVEL = 'TRAVEL',
  WORK = 'WORK',
  DETAINED = 'DETAINED',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(MissedDoseReason, {
  name: 'MissedDoseReason',
  description: 'Lý do bỏ liều: why a patient missed a daily dose',
  valuesConfig: {
    SICK: { description: 'Ốm, nằm viện' },
    TRAVEL: { description: 'Đi xa, về quê' },
    WORK: { description: 'Bận việc, đi làm ăn xa' },
    DETAINED: { description: 'Bị tạm giữ, tạm giam' },
    OTHER: { description: 'Lý do khác' },
    UNKNOWN: { description: 'Không rõ lý do (không liên lạc được)' },
  },
});

export enum UrineAnalyte {
  OPIATES = 'OPIATES',
  METHAMPHETAMINE = 'METHAMPHETAMINE',
  MDMA = 'MDMA',
  THC = 'THC',
}
registerEnumType(UrineAnalyte, {
  name: 'UrineAnalyte',
  description: 'What a urine drug test looks for (xét nghiệm nước tiểu tìm chất ma túy)',
  valuesConfig: {
    OPIATES: { description: 'Chất dạng thuốc phiện (morphin, heroin)' },
    METHAMPHETAMINE: { description: 'Methamphetamine (ma túy đá)' },
    MDMA: { description: 'MDMA (thuốc lắc)' },
    THC: { description: 'THC (cần sa)' },
  },
});

export enum RehabForm {
  VOLUNTARY_HOME_COMMUNITY = 'VOLUNTARY_HOME_COMMUNITY',
  VOLUNTARY_FACILITY = 'VOLUNTARY_FACILITY',
  COMPULSORY = 'COMPULSORY',
}
registerEnumType(RehabForm, {
  name: 'RehabForm',
  description: 'Hình thức cai nghiện ma túy',
  valuesConfig: {
    VOLUNTARY_HOME_COMMUNITY: { description: 'Cai nghiện ma túy tự nguyện tại gia đình, cộng đồng' },
    VOLUNTARY_FACILITY: { description: 'Cai nghiện ma túy tự nguyện tại cơ sở cai nghiện' },
    COMPULSORY: { description: 'Cai nghiện ma túy bắt buộc (tại cơ sở cai nghiện công lập)' },
  },
});

/** Facility forms: the person lives at the facility for the episode. */
export const FACILITY_REHAB_FORMS: readonly RehabForm[] = [RehabForm.VOLUNTARY_FACILITY, RehabForm.COMPULSORY];

export enum RehabOutcome {
  COMPLETED = 'COMPLETED',
  ABSCONDED = 'ABSCONDED',
  TRANSFERRED = 'TRANSFERRED',
  OTHER = 'OTHER',
}
registerEnumType(RehabOutcome, {
  name: 'RehabOutcome',
  description: 'How a rehab episode ended (kết quả cai nghiện)',
  valuesConfig: {
    COMPLETED: { description: 'Hoàn thành cai nghiện' },
    ABSCONDED: { description: 'Bỏ trốn, tự ý bỏ cai nghiện' },
    TRANSFERRED: { description: 'Chuyển hình thức hoặc cơ sở cai nghiện' },
    OTHER: { description: 'Khác (tử vong, bị bắt, ...)' },
  },
});

export enum CounsellingKind {
  MEDICAL = 'MEDICAL',
  PSYCHOLOGICAL = 'PSYCHOLOGICAL',
}
registerEnumType(CounsellingKind, {
  name: 'CounsellingKind',
  description: 'Tư vấn, can thiệp: medical or psychological',
  valuesConfig: {
    MEDICAL: { description: 'Tư vấn, can thiệp y tế' },
    PSYCHOLOGICAL: { description: 'Tư vấn, can thiệp tâm lý, xã hội' },
  },
});

@NotAreaScoped('a clinic or health station serves patients from many communes; the patient records are scoped')
@ObjectType({ description: 'A health or rehab facility (cơ sở y tế, cơ sở cai nghiện ma túy) in a commune.' })
@Directive('@key(fields: "id")')
@Scopes('health:read', 'aggregate:read')
@Entity({ tableName: 'facility' })
@Index({ name: 'facility_kind_commune', properties: ['kind', 'communeCode'] })
export class Facility {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Tên cơ sở' })
  @Property()
  name!: string;

  @Field(() => FacilityKind)
  @Enum(() => FacilityKind)
  kind!: FacilityKind;

  /** Commune where the facility stands, official code. */
  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Field({ description: 'Đủ điều kiện xác định tình trạng nghiện ma túy' })
  @Property()
  canAssessAddiction!: boolean;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày đi vào hoạt động; null when it was operating before records began. Figures for a period count a facility from this day.' })
  @Property({ type: 'date', nullable: true })
  openedOn?: string | null;
}

@ObjectType({ description: 'An addiction-status assessment (xác định tình trạng nghiện ma túy) of one person at one facility.' })
@Directive('@key(fields: "id")')
@Scopes('health:read')
@Entity({ tableName: 'addiction_assessment' })
@Index({ name: 'addiction_assessment_facility_assessed', properties: ['facility', 'assessedOn'] })
@Index({ name: 'addiction_assessment_commune_result', properties: ['communeCode', 'result', 'assessedOn'] })
export class AddictionAssessment {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Index()
  @Property({ length: 12 })
  citizenId!: string;

  /** The person's commune of residence, so per-commune counts need no other agency's data. */
  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @ManyToOne(() => Facility)
  facility!: Facility;

  @Field(() => LocalDate, { description: 'Ngày xác định' })
  @Index()
  @Property({ type: 'date' })
  assessedOn!: string;

  @Field(() => AssessmentResult)
  @Enum(() => AssessmentResult)
  result!: AssessmentResult;

  @Field(() => AddictionSeverity, { nullable: true, description: 'Mức độ nghiện; null when not addicted' })
  @Enum({ items: () => AddictionSeverity, nullable: true })
  severity?: AddictionSeverity | null;

  /** Primary substance, a code of the programme's substance catalogue; `AssessmentSubstance` lists it and any others. */
  @Property({ length: 16 })
  substanceCode!: string;
}

/** One substance a person was assessed as using; the primary one first. */
@AreaScoped('assessment.communeCode')
@Entity({ tableName: 'assessment_substance' })
@Unique({ name: 'assessment_substance_assessment_substance_unique', properties: ['assessment', 'substanceCode'] })
export class AssessmentSubstance {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => AddictionAssessment, { deleteRule: 'cascade' })
  assessment!: AddictionAssessment;

  @Property({ length: 16 })
  substanceCode!: string;
}

@ObjectType({ description: 'A methadone maintenance enrolment (điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay thế) of one patient at one clinic.' })
@Directive('@key(fields: "id")')
@Scopes('health:read')
@Entity({ tableName: 'methadone_enrollment' })
@Index({ name: 'methadone_enrollment_clinic_status', properties: ['clinic', 'status'] })
export class MethadoneEnrollment {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Index()
  @Property({ length: 12 })
  citizenId!: string;

  @ManyToOne(() => Facility)
  clinic!: Facility;

  /** The patient's commune of residence. */
  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu điều trị' })
  @Property({ type: 'date' })
  startedOn!: string;

  @Field(() => EnrollmentStatus, { description: 'Current status: the latest entry of `statusHistory`' })
  @Enum(() => EnrollmentStatus)
  status!: EnrollmentStatus;

  @Field(() => Int, { description: 'Liều hiện tại (mg/ngày): the starting dose, then the latest dose taken' })
  @Property()
  currentDoseMg!: number;
}

@ObjectType({ description: 'One entry of an enrolment\'s status history (diễn biến tình trạng điều trị): the status it took on a day.' })
@Scopes('health:read')
@Entity({ tableName: 'enrollment_status_change' })
@Index({ name: 'enrollment_status_change_enrollment_changed', properties: ['enrollment', 'changedOn'] })
@Index({ name: 'enrollment_status_change_commune_status', properties: ['communeCode', 'status', 'changedOn'] })
export class EnrollmentStatusChange {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => MethadoneEnrollment, { deleteRule: 'cascade' })
  enrollment!: MethadoneEnrollment;

  /** The patient's commune, copied from the enrolment so per-commune figures read one table. */
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => EnrollmentStatus)
  @Enum(() => EnrollmentStatus)
  status!: EnrollmentStatus;

  @Field(() => LocalDate, { description: 'Ngày chuyển trạng thái: the status holds from this day' })
  @Property({ type: 'date' })
  changedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Day the next status took over; null for the current status' })
  @Property({ type: 'date', nullable: true })
  supersededOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Lý do' })
  @Property({ nullable: true })
  reason?: string | null;
}

@AreaScoped('enrollment.communeCode')
@ObjectType({ description: 'One day of methadone dosing (cấp phát thuốc hằng ngày) for one enrolment.' })
@Scopes('health:read')
@Entity({ tableName: 'dose_record' })
@Unique({ properties: ['enrollment', 'day'] })
export class DoseRecord {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => MethadoneEnrollment, { deleteRule: 'cascade' })
  enrollment!: MethadoneEnrollment;

  @Field(() => LocalDate)
  @Property({ type: 'date' })
  day!: string;

  @Field(() => Int, { description: 'Liều (mg); 0 on a missed day' })
  @Property()
  doseMg!: number;

  @Field({ description: 'Uống tại cơ sở dưới sự giám sát của nhân viên y tế; false for a take-home dose (cấp thuốc mang về) or a missed day' })
  @Property()
  observed!: boolean;

  @Field({ description: 'Bỏ liều: the patient did not come that day' })
  @Property()
  missed!: boolean;

  @Field(() => MissedDoseReason, { nullable: true, description: 'Lý do bỏ liều; null on a day the dose was taken' })
  @Enum({ items: () => MissedDoseReason, nullable: true })
  missedReason?: MissedDoseReason | null;
}

@ObjectType({ description: 'A urine drug test (xét nghiệm nước tiểu) of one person, with a result per analyte.' })
@Scopes('health:read')
@Entity({ tableName: 'urine_test' })
@Index({ name: 'urine_test_enrollment_tested', properties: ['enrollment', 'testedOn'] })
@Index({ name: 'urine_test_citizen_tested', properties: ['citizenId', 'testedOn'] })
@Index({ name: 'urine_test_commune_tested', properties: ['communeCode', 'testedOn'] })
export class UrineTest {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  /** The methadone enrolment the test belongs to; null for a test outside methadone treatment. */
  @ManyToOne(() => MethadoneEnrollment, { nullable: true })
  enrollment?: MethadoneEnrollment | null;

  @Property({ length: 12 })
  citizenId!: string;

  /** The person's commune of residence. */
  @Property({ length: 5 })
  communeCode!: string;

  /** Where the sample was taken, when known. */
  @ManyToOne(() => Facility, { nullable: true })
  facility?: Facility | null;

  @Field(() => LocalDate, { description: 'Ngày xét nghiệm' })
  @Property({ type: 'date' })
  testedOn!: string;
}

@AreaScoped('test.communeCode')
@ObjectType({ description: 'The result of a urine test for one analyte.' })
@Scopes('health:read')
@Entity({ tableName: 'urine_test_result' })
@Unique({ name: 'urine_test_result_test_analyte_unique', properties: ['test', 'analyte'] })
export class UrineTestResult {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => UrineTest, { deleteRule: 'cascade' })
  test!: UrineTest;

  @Field(() => UrineAnalyte)
  @Enum(() => UrineAnalyte)
  analyte!: UrineAnalyte;

  @Field({ description: 'Dương tính (true) or âm tính (false)' })
  @Property()
  positive!: boolean;
}

@ObjectType({ description: 'A rehab episode (một lần cai nghiện ma túy) of one person: its form, facility and dates.' })
@Scopes('health:read')
@Entity({ tableName: 'rehab_episode' })
@Index({ name: 'rehab_episode_citizen_started', properties: ['citizenId', 'startedOn'] })
@Index({ name: 'rehab_episode_commune_form', properties: ['communeCode', 'form', 'startedOn'] })
@Index({ name: 'rehab_episode_facility_started', properties: ['facility', 'startedOn'] })
export class RehabEpisode {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Property({ length: 12 })
  citizenId!: string;

  /** The person's commune of residence. */
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => RehabForm)
  @Enum(() => RehabForm)
  form!: RehabForm;

  /** The rehab facility (required for facility and compulsory rehab) or the community point supporting it. */
  @ManyToOne(() => Facility, { nullable: true })
  facility?: Facility | null;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu cai nghiện' })
  @Property({ type: 'date' })
  startedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày kết thúc; null while the episode goes on' })
  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;

  @Field(() => RehabOutcome, { nullable: true, description: 'Kết quả; null while the episode goes on' })
  @Enum({ items: () => RehabOutcome, nullable: true })
  outcome?: RehabOutcome | null;
}

@ObjectType({ description: 'A medical or psychological counselling session (tư vấn, can thiệp y tế / tâm lý) for a drug user or addict.' })
@Scopes('health:read')
@Entity({ tableName: 'counselling' })
@Index({ name: 'counselling_citizen_counselled', properties: ['citizenId', 'counselledOn'] })
@Index({ name: 'counselling_commune_counselled', properties: ['communeCode', 'counselledOn'] })
@Index({ name: 'counselling_facility_counselled', properties: ['facility', 'counselledOn'] })
export class Counselling {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Property({ length: 12 })
  citizenId!: string;

  /** The person's commune of residence. */
  @Property({ length: 5 })
  communeCode!: string;

  @ManyToOne(() => Facility)
  facility!: Facility;

  @Field(() => LocalDate, { description: 'Ngày tư vấn' })
  @Property({ type: 'date' })
  counselledOn!: string;

  @Field(() => CounsellingKind)
  @Enum(() => CounsellingKind)
  kind!: CounsellingKind;
}

export const entities = [
  Facility,
  AddictionAssessment,
  AssessmentSubstance,
  MethadoneEnrollment,
  EnrollmentStatusChange,
  DoseRecord,
  UrineTest,
  UrineTestResult,
  RehabEpisode,
  Counselling,
];
