import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { LocalDate } from '@pcmt/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum Sex {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}
registerEnumType(Sex, { name: 'Sex' });

export enum ManagedCategory {
  ILLEGAL_USER = 'ILLEGAL_USER',
  ADDICT = 'ADDICT',
  POST_REHAB = 'POST_REHAB',
  RELEASED_AFTER_SENTENCE = 'RELEASED_AFTER_SENTENCE',
}
registerEnumType(ManagedCategory, {
  name: 'ManagedCategory',
  description: 'Who a management file (hồ sơ quản lý) is kept for',
  valuesConfig: {
    ILLEGAL_USER: { description: 'Người sử dụng trái phép chất ma túy' },
    ADDICT: { description: 'Người nghiện ma túy' },
    POST_REHAB: { description: 'Người sau cai nghiện ma túy' },
    RELEASED_AFTER_SENTENCE: { description: 'Người đã chấp hành xong án phạt tù về tội phạm ma túy' },
  },
});

export enum CaseStatus {
  REPORTED = 'REPORTED',
  INVESTIGATING = 'INVESTIGATING',
  PROSECUTED = 'PROSECUTED',
  TRIED = 'TRIED',
  CLOSED = 'CLOSED',
}
registerEnumType(CaseStatus, { name: 'CaseStatus', description: 'Lifecycle of a drug case (vụ án)' });

export enum CaseRoute {
  LAND_BORDER = 'LAND_BORDER',
  SEA = 'SEA',
  AIR = 'AIR',
  POSTAL_EXPRESS = 'POSTAL_EXPRESS',
  INLAND = 'INLAND',
  CYBERSPACE = 'CYBERSPACE',
}
registerEnumType(CaseRoute, { name: 'CaseRoute', description: 'Route the drugs took (tuyến)' });

export enum SuspectRole {
  LEADER = 'LEADER',
  ACCOMPLICE = 'ACCOMPLICE',
  OFFENDER = 'OFFENDER',
}
registerEnumType(SuspectRole, { name: 'SuspectRole', description: 'Role of a suspect in a case (vai trò)' });

export enum HotspotKind {
  USE_POINT = 'USE_POINT',
  DEALING_POINT = 'DEALING_POINT',
  HARBOURING_VENUE = 'HARBOURING_VENUE',
}
registerEnumType(HotspotKind, {
  name: 'HotspotKind',
  description: 'Điểm, tụ điểm tổ chức/chứa chấp sử dụng trái phép chất ma túy',
});

@ObjectType({ description: 'A person, keyed by the 12-digit citizen identity number (số định danh cá nhân / CCCD). Identity fields come from the police population register.' })
@Directive('@key(fields: "citizenId")')
@Entity({ tableName: 'person' })
export class Person {
  @Field(() => ID, { description: 'Số định danh cá nhân (CCCD), 12 digits' })
  @PrimaryKey({ length: 12 })
  citizenId!: string;

  @Field({ description: 'Họ và tên' })
  @Property()
  fullName!: string;

  @Field(() => Sex)
  @Enum(() => Sex)
  sex!: Sex;

  @Field(() => Int)
  @Property()
  birthYear!: number;

  /** Commune of residence (nơi cư trú), official code. */
  @Index()
  @Property({ length: 5 })
  communeCode!: string;
}

@ObjectType({ description: 'A drug case (vụ án ma túy) opened by the police.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'drug_case' })
export class DrugCase {
  @Field(() => ID, { description: 'Case number, e.g. VA-2025-00042' })
  @PrimaryKey({ length: 32 })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày phát hiện / tiếp nhận' })
  @Index()
  @Property({ type: 'date' })
  reportedOn!: string;

  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Field({ description: 'Penal Code 2015 article (Bộ luật Hình sự), 247–259' })
  @Property({ length: 8 })
  article!: string;

  @Field(() => CaseStatus)
  @Enum(() => CaseStatus)
  status!: CaseStatus;

  @Field(() => CaseRoute)
  @Enum(() => CaseRoute)
  route!: CaseRoute;
}

@ObjectType({ description: 'A person suspected in a case (đối tượng), with role and arrest.' })
@Entity({ tableName: 'case_suspect' })
@Unique({ properties: ['drugCase', 'person'] })
// PostgreSQL does not index foreign keys by itself; person lookups need this one.
@Index({ name: 'case_suspect_person_lookup', properties: ['person', 'drugCase'] })
export class CaseSuspect {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => DrugCase, { deleteRule: 'cascade' })
  drugCase!: DrugCase;

  @ManyToOne(() => Person)
  person!: Person;

  @Field(() => SuspectRole)
  @Enum(() => SuspectRole)
  role!: SuspectRole;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày bắt giữ' })
  @Property({ type: 'date', nullable: true })
  arrestedOn?: string | null;
}

@ObjectType({ description: 'A drug hotspot (điểm, tụ điểm ma túy) and when it was detected and dismantled.' })
@Entity({ tableName: 'hotspot' })
export class Hotspot {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field(() => HotspotKind)
  @Enum(() => HotspotKind)
  kind!: HotspotKind;

  @Field({ description: 'Place description, e.g. a karaoke bar or a house' })
  @Property()
  place!: string;

  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày phát hiện' })
  @Property({ type: 'date' })
  detectedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày triệt xóa' })
  @Property({ type: 'date', nullable: true })
  dismantledOn?: string | null;
}

@ObjectType({ description: 'A management file (hồ sơ quản lý) kept for a drug user, addict, post-rehab person or person released after a drug sentence.' })
@Entity({ tableName: 'management_file' })
@Index({ name: 'management_file_person_lookup', properties: ['person', 'openedOn'] })
export class ManagementFile {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Person)
  person!: Person;

  @Field(() => ManagedCategory)
  @Enum(() => ManagedCategory)
  category!: ManagedCategory;

  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => LocalDate)
  @Property({ type: 'date' })
  openedOn!: string;

  @Field(() => LocalDate, { nullable: true })
  @Property({ type: 'date', nullable: true })
  closedOn?: string | null;
}

export const entities = [Person, DrugCase, CaseSuspect, Hotspot, ManagementFile];
