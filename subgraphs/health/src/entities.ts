import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { LocalDate } from '@pcmt/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum FacilityKind {
  METHADONE_CLINIC = 'METHADONE_CLINIC',
  DISPENSING_POINT = 'DISPENSING_POINT',
  COMMUNE_HEALTH_STATION = 'COMMUNE_HEALTH_STATION',
  PUBLIC_REHAB = 'PUBLIC_REHAB',
  PRIVATE_REHAB = 'PRIVATE_REHAB',
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

@ObjectType({ description: 'A health or rehab facility (cơ sở y tế, cơ sở cai nghiện ma túy) in a commune.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'facility' })
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
}

@ObjectType({ description: 'An addiction-status assessment (xác định tình trạng nghiện ma túy) of one person at one facility.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'addiction_assessment' })
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

  /** Primary substance, a code of the programme's substance catalogue. */
  @Property({ length: 16 })
  substanceCode!: string;
}

@ObjectType({ description: 'A methadone maintenance enrolment (điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay thế) of one patient at one clinic.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'methadone_enrollment' })
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

  @Field(() => EnrollmentStatus)
  @Enum(() => EnrollmentStatus)
  status!: EnrollmentStatus;

  @Field(() => Int, { description: 'Liều hiện tại (mg/ngày)' })
  @Property()
  currentDoseMg!: number;
}

@ObjectType({ description: 'One day of methadone dosing (cấp phát thuốc hằng ngày) for one enrolment.' })
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
}

export const entities = [Facility, AddictionAssessment, MethadoneEnrollment, DoseRecord];
