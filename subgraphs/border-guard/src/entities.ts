import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { AreaScoped, LocalDate, NotAreaScoped, Scopes } from '@pcmt/kit';
import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum PostSector {
  LAND = 'LAND',
  SEA = 'SEA',
}
registerEnumType(PostSector, {
  name: 'BorderPostSector',
  description: 'Which border a post guards (tuyến biên giới)',
  valuesConfig: {
    LAND: { description: 'Biên giới đất liền' },
    SEA: { description: 'Biên giới biển, cửa sông, hải đảo' },
  },
});

export enum AntiDrugTeamKind {
  POST_TEAM = 'POST_TEAM',
  TASK_FORCE = 'TASK_FORCE',
}
registerEnumType(AntiDrugTeamKind, {
  name: 'AntiDrugTeamKind',
  description: 'Kind of specialised anti-drug unit of the border guard (lực lượng chuyên trách phòng, chống ma túy)',
  valuesConfig: {
    POST_TEAM: { description: 'Tổ công tác chuyên trách phòng, chống ma túy của đồn biên phòng' },
    TASK_FORCE: { description: 'Đội đặc nhiệm phòng, chống ma túy và tội phạm của Bộ Chỉ huy BĐBP tỉnh' },
  },
});

export enum BorderRoute {
  LAND_BORDER = 'LAND_BORDER',
  SEA = 'SEA',
}
registerEnumType(BorderRoute, {
  name: 'BorderGuardRoute',
  description: 'Route in the border area the drugs were carried on (tuyến vận chuyển trong khu vực biên giới)',
  valuesConfig: {
    LAND_BORDER: { description: 'Tuyến biên giới đất liền (đường mòn, lối mở, cửa khẩu phụ)' },
    SEA: { description: 'Tuyến biển (vùng biển, cửa sông, ven biển)' },
  },
});

/** Where a seizure stands; derived from the hand-over, not stored. */
export enum BorderGuardSeizureStatus {
  HELD = 'HELD',
  HANDED_OVER = 'HANDED_OVER',
}
registerEnumType(BorderGuardSeizureStatus, {
  name: 'BorderGuardSeizureStatus',
  description: 'Still with the border guard, or handed over to a police case',
  valuesConfig: {
    HELD: { description: 'Đang do Bộ đội Biên phòng xử lý' },
    HANDED_OVER: { description: 'Đã bàn giao cho cơ quan điều tra (Công an)' },
  },
});

@ObjectType({ description: 'Đồn biên phòng: a border-guard post in a border commune.' })
// A post is a place and a unit, not a record about people: reference for the figures too.
@NotAreaScoped('a border post is a unit of the province, not a record about people')
@Scopes('border-guard:read', 'aggregate:read')
@Directive('@key(fields: "code")')
@Entity({ tableName: 'border_post' })
export class BorderPost {
  @PrimaryKey()
  id!: number;

  @Field(() => ID, { description: 'Short code, e.g. DBP-TL' })
  @Unique()
  @Property({ length: 16 })
  code!: string;

  @Field({ description: 'Tên đồn, e.g. Đồn Biên phòng Tân Lạc' })
  @Property()
  name!: string;

  @Field(() => PostSector)
  @Enum(() => PostSector)
  sector!: PostSector;

  @Index()
  @Property({ length: 5 })
  communeCode!: string;
}

@ObjectType({ description: 'Tổ/đội chuyên trách phòng, chống ma túy: a specialised anti-drug unit of the border guard, with its equipment status.' })
@Scopes('border-guard:read')
@Directive('@key(fields: "code")')
@Entity({ tableName: 'anti_drug_team' })
@Index({ name: 'anti_drug_team_commune_established', properties: ['communeCode', 'establishedOn'] })
export class AntiDrugTeam {
  @PrimaryKey()
  id!: number;

  @Field(() => ID, { description: 'Unit code, e.g. TCT-TL or DDN-04' })
  @Unique()
  @Property({ length: 16 })
  code!: string;

  @Field({ description: 'Tên tổ/đội' })
  @Property()
  name!: string;

  @Field(() => AntiDrugTeamKind)
  @Enum(() => AntiDrugTeamKind)
  kind!: AntiDrugTeamKind;

  /** The post it belongs to; null for the provincial task force. */
  @ManyToOne(() => BorderPost, { nullable: true })
  post?: BorderPost | null;

  /** Commune it is stationed in (its post's), official code. */
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày thành lập' })
  @Property({ type: 'date' })
  establishedOn!: string;

  @Field(() => LocalDate, {
    nullable: true,
    description: 'Day the unit was fully equipped (trang bị vũ khí hiện đại, công cụ hỗ trợ, phương tiện kỹ thuật nghiệp vụ); null while not',
  })
  @Property({ type: 'date', nullable: true })
  equippedOn?: string | null;
}

@ObjectType({ description: 'Cán bộ chuyên trách: an officer of a specialised anti-drug unit, with the day he or she was equipped.' })
@Scopes('border-guard:read')
@AreaScoped('team.communeCode')
@Entity({ tableName: 'anti_drug_officer' })
export class AntiDrugOfficer {
  @PrimaryKey()
  id!: number;

  @Field(() => ID, { description: 'Số hiệu quân nhân' })
  @Unique()
  @Property({ length: 16 })
  serviceNumber!: string;

  @Field({ description: 'Họ và tên' })
  @Property()
  fullName!: string;

  @Field({ description: 'Cấp bậc, e.g. Thiếu tá' })
  @Property({ length: 32 })
  rank!: string;

  @ManyToOne(() => AntiDrugTeam, { deleteRule: 'cascade' })
  team!: AntiDrugTeam;

  @Field(() => LocalDate, { description: 'Ngày về đơn vị chuyên trách' })
  @Property({ type: 'date' })
  joinedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày rời đơn vị; null while serving' })
  @Property({ type: 'date', nullable: true })
  leftOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the officer was issued modern weapons, support tools and technical means; null while not' })
  @Property({ type: 'date', nullable: true })
  equippedOn?: string | null;
}

@ObjectType({ description: 'Chuyên án / kế hoạch phối hợp: a joint operation of the border guard with customs and/or police.' })
@Scopes('border-guard:read')
@Directive('@key(fields: "code")')
@Entity({ tableName: 'joint_operation' })
@Index({ name: 'joint_operation_commune_started', properties: ['communeCode', 'startedOn'] })
export class JointOperation {
  @PrimaryKey()
  id!: number;

  @Field(() => ID, { description: 'Code, e.g. PH-2025-03' })
  @Unique()
  @Property({ length: 16 })
  code!: string;

  @Field({ description: 'Tên chuyên án / kế hoạch' })
  @Property()
  name!: string;

  /** Commune where it is led from, official code. */
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu' })
  @Property({ type: 'date' })
  startedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày kết thúc; null while running' })
  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;

  @Field({ description: 'Phối hợp với Hải quan' })
  @Property()
  withCustoms!: boolean;

  @Field({ description: 'Phối hợp với Công an' })
  @Property()
  withPolice!: boolean;

  /** The police case (chuyên án) it serves, if any. */
  @Property({ length: 32, nullable: true })
  drugCaseId?: string | null;
}

@ObjectType({ description: 'Vụ bắt giữ của Bộ đội Biên phòng: a drug seizure the border guard made in the border area.' })
@Scopes('border-guard:read')
@Directive('@key(fields: "id")')
@Entity({ tableName: 'border_guard_seizure' })
@Index({ name: 'border_guard_seizure_commune_seized', properties: ['communeCode', 'seizedOn'] })
export class BorderGuardSeizure {
  @Field(() => ID, { description: 'Seizure number, e.g. BP-2025-00042' })
  @PrimaryKey({ length: 32 })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt giữ' })
  @Index()
  @Property({ type: 'date' })
  seizedOn!: string;

  /** Commune where it was made, official code. */
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => BorderRoute)
  @Enum(() => BorderRoute)
  route!: BorderRoute;

  @Field({ description: 'Địa điểm: trail, landmark or sea area, e.g. "Lối mở gần mốc 112"' })
  @Property()
  place!: string;

  @ManyToOne(() => BorderPost, { nullable: true })
  post?: BorderPost | null;

  @ManyToOne(() => AntiDrugTeam, { nullable: true })
  team?: AntiDrugTeam | null;

  @ManyToOne(() => JointOperation, { nullable: true })
  jointOperation?: JointOperation | null;

  /** Police case it was handed over to (bàn giao), if any. */
  @Index()
  @Property({ length: 32, nullable: true })
  drugCaseId?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày bàn giao cho cơ quan điều tra; null while held' })
  @Property({ type: 'date', nullable: true })
  handedOverOn?: string | null;
}

@ObjectType({ description: 'Tang vật: one substance seized by the border guard, in kilograms.' })
@Scopes('border-guard:read')
@AreaScoped('seizure.communeCode')
@Entity({ tableName: 'border_guard_seized_item' })
@Unique({ name: 'border_guard_seized_item_seizure_substance_unique', properties: ['seizure', 'substanceCode'] })
export class BorderGuardSeizedItem {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => BorderGuardSeizure, { deleteRule: 'cascade' })
  seizure!: BorderGuardSeizure;

  @Property({ length: 16 })
  substanceCode!: string;

  @Field(() => Float, { description: 'Khối lượng, kg (tablets and liquids converted by the seizing unit)' })
  @Property({ type: 'double', runtimeType: 'number' })
  quantityKg!: number;
}

/** A person held in a border-guard seizure; identity lives in the police register. */
@AreaScoped('seizure.communeCode')
@Entity({ tableName: 'border_guard_suspect' })
@Unique({ properties: ['seizure', 'citizenId'] })
export class BorderGuardSuspect {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => BorderGuardSeizure, { deleteRule: 'cascade' })
  seizure!: BorderGuardSeizure;

  @Index()
  @Property({ length: 12 })
  citizenId!: string;
}

export const entities = [BorderPost, AntiDrugTeam, AntiDrugOfficer, JointOperation, BorderGuardSeizure, BorderGuardSeizedItem, BorderGuardSuspect];
