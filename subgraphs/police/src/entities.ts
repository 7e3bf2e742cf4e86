import { PrimaryKeyProp } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { AreaScoped, LocalDate, NotAreaScoped, Pseudonym, Scopes, Sensitive } from '@pcmt/kit';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

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
registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'Lifecycle of a drug case (vụ án): REPORTED → INVESTIGATING → PROSECUTED → TRIED → CLOSED; any open stage may be closed early',
  valuesConfig: {
    REPORTED: { description: 'Tiếp nhận, phát hiện (tin báo về tội phạm)' },
    INVESTIGATING: { description: 'Khởi tố, đang điều tra' },
    PROSECUTED: { description: 'Đã chuyển Viện kiểm sát, truy tố' },
    TRIED: { description: 'Đã xét xử' },
    CLOSED: { description: 'Kết thúc (đã thi hành án, đình chỉ hoặc không khởi tố)' },
  },
});

/** Which status a case may move to from each status (changeDrugCaseStatus). */
export const CASE_LIFECYCLE: Record<CaseStatus, readonly CaseStatus[]> = {
  REPORTED: [CaseStatus.INVESTIGATING, CaseStatus.CLOSED],
  INVESTIGATING: [CaseStatus.PROSECUTED, CaseStatus.CLOSED],
  PROSECUTED: [CaseStatus.TRIED, CaseStatus.CLOSED],
  TRIED: [CaseStatus.CLOSED],
  CLOSED: [],
};

export enum CaseRoute {
  LAND_BORDER = 'LAND_BORDER',
  SEA = 'SEA',
  AIR = 'AIR',
  POSTAL_EXPRESS = 'POSTAL_EXPRESS',
  INLAND = 'INLAND',
  CYBERSPACE = 'CYBERSPACE',
}
registerEnumType(CaseRoute, {
  name: 'CaseRoute',
  description: 'Route the drugs took (tuyến)',
  valuesConfig: {
    LAND_BORDER: { description: 'Tuyến biên giới đất liền' },
    SEA: { description: 'Tuyến biển' },
    AIR: { description: 'Tuyến hàng không' },
    POSTAL_EXPRESS: { description: 'Bưu chính, chuyển phát nhanh' },
    INLAND: { description: 'Nội địa' },
    CYBERSPACE: { description: 'Trên không gian mạng (mua bán, giao dịch qua mạng)' },
  },
});

export enum SuspectRole {
  LEADER = 'LEADER',
  ACCOMPLICE = 'ACCOMPLICE',
  OFFENDER = 'OFFENDER',
}
registerEnumType(SuspectRole, {
  name: 'SuspectRole',
  description: 'Role of a suspect in a case (vai trò)',
  valuesConfig: {
    LEADER: { description: 'Cầm đầu, chủ mưu' },
    ACCOMPLICE: { description: 'Đồng phạm, giúp sức' },
    OFFENDER: { description: 'Người thực hiện (một mình)' },
  },
});

export enum HotspotKind {
  USE_POINT = 'USE_POINT',
  DEALING_POINT = 'DEALING_POINT',
  HARBOURING_VENUE = 'HARBOURING_VENUE',
}
registerEnumType(HotspotKind, {
  name: 'HotspotKind',
  description: 'Điểm, tụ điểm tổ chức/chứa chấp sử dụng trái phép chất ma túy',
  valuesConfig: {
    USE_POINT: { description: 'Điểm, tụ điểm tổ chức sử dụng trái phép chất ma túy' },
    DEALING_POINT: { description: 'Điểm mua bán trái phép chất ma túy' },
    HARBOURING_VENUE: { description: 'Cơ sở kinh doanh chứa chấp việc sử dụng (karaoke, bar, nhà nghỉ…)' },
  },
});

export enum VenueType {
  KARAOKE = 'KARAOKE',
  BAR = 'BAR',
  HOTEL_GUESTHOUSE = 'HOTEL_GUESTHOUSE',
  PRIVATE_HOUSE = 'PRIVATE_HOUSE',
  PUBLIC_PLACE = 'PUBLIC_PLACE',
  OTHER = 'OTHER',
}
registerEnumType(VenueType, {
  name: 'VenueType',
  description: 'Kind of place a hotspot is in (loại hình địa điểm)',
  valuesConfig: {
    KARAOKE: { description: 'Quán karaoke' },
    BAR: { description: 'Quán bar, vũ trường, câu lạc bộ' },
    HOTEL_GUESTHOUSE: { description: 'Khách sạn, nhà nghỉ, nhà trọ' },
    PRIVATE_HOUSE: { description: 'Nhà riêng' },
    PUBLIC_PLACE: { description: 'Nơi công cộng (bãi đất trống, gầm cầu, công viên…)' },
    OTHER: { description: 'Khác; also hotspots recorded before the venue type was kept' },
  },
});

export enum CaseQuantityUnit {
  GRAM = 'GRAM',
  KILOGRAM = 'KILOGRAM',
  TABLET = 'TABLET',
  MILLILITRE = 'MILLILITRE',
  PLANT = 'PLANT',
}
registerEnumType(CaseQuantityUnit, {
  name: 'CaseQuantityUnit',
  description: 'Unit a quantity seized in a police case was recorded in (đơn vị tính)',
  valuesConfig: {
    GRAM: { description: 'Gam' },
    KILOGRAM: { description: 'Kilôgam' },
    TABLET: { description: 'Viên (ma túy tổng hợp dạng viên)' },
    MILLILITRE: { description: 'Mililít (dạng lỏng)' },
    PLANT: { description: 'Cây (cây có chứa chất ma túy)' },
  },
});

export enum RetailDealerStatus {
  ACTIVE = 'ACTIVE',
  ARRESTED = 'ARRESTED',
  ADMINISTRATIVELY_SANCTIONED = 'ADMINISTRATIVELY_SANCTIONED',
  CEASED = 'CEASED',
}
registerEnumType(RetailDealerStatus, {
  name: 'RetailDealerStatus',
  description: 'Where police stand with a retail dealer (đối tượng bán lẻ)',
  valuesConfig: {
    ACTIVE: { description: 'Đang hoạt động, chưa xử lý' },
    ARRESTED: { description: 'Đã bắt giữ, xử lý hình sự' },
    ADMINISTRATIVELY_SANCTIONED: { description: 'Đã xử lý vi phạm hành chính' },
    CEASED: { description: 'Đã chấm dứt hoạt động (bỏ địa bàn, chết…)' },
  },
});

export enum PlantKind {
  OPIUM_POPPY = 'OPIUM_POPPY',
  CANNABIS = 'CANNABIS',
  OTHER = 'OTHER',
}
registerEnumType(PlantKind, {
  name: 'PlantKind',
  description: 'Cây có chứa chất ma túy',
  valuesConfig: {
    OPIUM_POPPY: { description: 'Cây thuốc phiện (anh túc)' },
    CANNABIS: { description: 'Cây cần sa' },
    OTHER: { description: 'Cây khác có chứa chất ma túy (côca, nấm thần…)' },
  },
});

export enum DrugSituationClass {
  DRUG_FREE = 'DRUG_FREE',
  HAS_DRUG_PROBLEMS = 'HAS_DRUG_PROBLEMS',
  KEY_HOTSPOT = 'KEY_HOTSPOT',
}
registerEnumType(DrugSituationClass, {
  name: 'DrugSituationClass',
  description: 'Phân loại xã theo tình hình ma túy',
  valuesConfig: {
    DRUG_FREE: { description: 'Xã không có ma túy' },
    HAS_DRUG_PROBLEMS: { description: 'Xã có tệ nạn ma túy' },
    KEY_HOTSPOT: { description: 'Xã trọng điểm, phức tạp về ma túy' },
  },
});

/** Bộ luật Hình sự 2015 (sửa đổi 2017), Chương XX — Các tội phạm về ma túy, Điều 247–259. */
export const PENAL_ARTICLES: Record<string, string> = {
  '247': 'Tội trồng cây thuốc phiện, cây côca, cây cần sa hoặc các loại cây khác có chứa chất ma túy',
  '248': 'Tội sản xuất trái phép chất ma túy',
  '249': 'Tội tàng trữ trái phép chất ma túy',
  '250': 'Tội vận chuyển trái phép chất ma túy',
  '251': 'Tội mua bán trái phép chất ma túy',
  '252': 'Tội chiếm đoạt chất ma túy',
  '253': 'Tội tàng trữ, vận chuyển, mua bán hoặc chiếm đoạt tiền chất dùng vào việc sản xuất trái phép chất ma túy',
  '254': 'Tội sản xuất, tàng trữ, vận chuyển, mua bán phương tiện, dụng cụ dùng vào việc sản xuất hoặc sử dụng trái phép chất ma túy',
  '255': 'Tội tổ chức sử dụng trái phép chất ma túy',
  '256': 'Tội chứa chấp việc sử dụng trái phép chất ma túy',
  '257': 'Tội cưỡng bức người khác sử dụng trái phép chất ma túy',
  '258': 'Tội lôi kéo người khác sử dụng trái phép chất ma túy',
  '259': 'Tội vi phạm quy định về quản lý chất ma túy, tiền chất, thuốc gây nghiện, thuốc hướng thần',
};

@NotAreaScoped('a person is seen through the in-area records that name them; person(), persons() filter by residence themselves')
@ObjectType({ description: 'A person, keyed by the 12-digit citizen identity number (số định danh cá nhân / CCCD). Identity fields come from the police population register.' })
@Directive('@key(fields: "citizenId")')
@Entity({ tableName: 'person' })
export class Person {
  /** Typing only: lets a citizen ID stand for a Person reference. */
  [PrimaryKeyProp]?: 'citizenId';

  @Pseudonym()
  @Scopes('person:identity', 'person:pseudonym')
  @Field(() => ID, { description: 'Số định danh cá nhân (CCCD), 12 digits' })
  @PrimaryKey({ length: 12 })
  citizenId!: string;

  // Identity from the population register: reading it needs a purpose and is audited.
  @Sensitive()
  @Scopes('person:identity')
  @Field({ description: 'Họ và tên' })
  @Property()
  fullName!: string;

  // Identity from the population register: reading it needs a purpose and is audited.
  @Sensitive()
  @Scopes('person:identity')
  @Field(() => Sex)
  @Enum(() => Sex)
  sex!: Sex;

  // Identity from the population register: reading it needs a purpose and is audited.
  @Sensitive()
  @Scopes('person:identity')
  @Field(() => Int)
  @Property()
  birthYear!: number;

  /** Commune of residence (nơi cư trú), official code. */
  @Index()
  @Property({ length: 5 })
  communeCode!: string;
}

@ObjectType({ description: 'A drug case (vụ án ma túy) opened by the police.' })
// Tagged per field, not per type: customs and legal-aid reach linked cases for status/hand-over only.
@Directive('@key(fields: "id")')
@Entity({ tableName: 'drug_case' })
@Index({ name: 'drug_case_commune_reported', properties: ['communeCode', 'reportedOn'] })
export class DrugCase {
  @Field(() => ID, { description: 'Case number, e.g. VA-2025-00042' })
  @PrimaryKey({ length: 32 })
  id!: string;

  @Scopes('police:read', 'case:handover')
  @Field(() => LocalDate, { description: 'Ngày phát hiện / tiếp nhận' })
  @Index()
  @Property({ type: 'date' })
  reportedOn!: string;

  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Scopes('police:read')
  @Field({ description: "Điều luật: article of the Penal Code 2015 (Bộ luật Hình sự), '247'…'259'; its title is `penalArticleTitle`" })
  @Property({ length: 8 })
  article!: string;

  @Scopes('police:read', 'case:status', 'case:handover')
  @Field(() => CaseStatus)
  @Enum(() => CaseStatus)
  status!: CaseStatus;

  @Scopes('police:read')
  @Field(() => CaseRoute)
  @Enum(() => CaseRoute)
  route!: CaseRoute;

  @Scopes('police:read')
  @Field({ description: 'Xuyên quốc gia: the case crosses the national border (suspects, drugs or money abroad)' })
  @Property({ type: 'boolean', default: false })
  transnational: boolean = false;

  @Scopes('police:read')
  @Field({ description: 'Có tổ chức: committed by an organised group or ring (đường dây, ổ nhóm)' })
  @Property({ type: 'boolean', default: false })
  organised: boolean = false;

  @Scopes('police:read')
  @Field({ description: 'Trên không gian mạng: dealing arranged online (social networks, messaging apps); always true on route CYBERSPACE' })
  @Property({ type: 'boolean', default: false })
  cyberspace: boolean = false;

  @Scopes('police:read')
  @Field(() => Float, { nullable: true, description: 'Tài sản thu hồi: value of assets recovered, VND; null when none were recovered or not yet valued' })
  @Property({ type: 'double', runtimeType: 'number', nullable: true })
  assetsRecoveredVnd?: number | null;
}

@ObjectType({ description: 'One substance seized in a police case (tang vật ma túy), with quantity and its weight in kg.' })
@Scopes('police:read')
@Entity({ tableName: 'case_seized_item' })
// Leads with drug_case_id: PostgreSQL does not index foreign keys by itself; items load per case.
@Index({ name: 'case_seized_item_case_substance', properties: ['drugCase', 'substanceCode'] })
@Index({ name: 'case_seized_item_commune_reported', properties: ['communeCode', 'reportedOn'] })
export class CaseSeizedItem {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => DrugCase, { deleteRule: 'cascade' })
  drugCase!: DrugCase;

  // Copied from the case (neither changes once a case is opened), so the seized weight per
  // commune and period is one grouped statement without a join.
  @Property({ length: 5 })
  communeCode!: string;

  @Property({ type: 'date' })
  reportedOn!: string;

  @Field({ description: 'Substance code of the programme catalogue, e.g. HEROIN, METHAMPHETAMINE' })
  @Property({ length: 16 })
  substanceCode!: string;

  @Field(() => Float, { description: 'Số lượng, in `unit`' })
  @Property({ type: 'double', runtimeType: 'number' })
  quantity!: number;

  @Field(() => CaseQuantityUnit)
  @Enum(() => CaseQuantityUnit)
  unit!: CaseQuantityUnit;

  @Field(() => Float, { description: 'Quantity converted to kilograms (quy đổi): tablets by typical weight, 1 ml ≈ 1 g, plants 0 unless weighed' })
  @Property({ type: 'double', runtimeType: 'number' })
  kgEquivalent!: number;
}

@ObjectType({ description: 'A person suspected in a case (đối tượng), with role and arrest.' })
@Scopes('police:read')
@Entity({ tableName: 'case_suspect' })
@Unique({ properties: ['drugCase', 'person'] })
// PostgreSQL does not index foreign keys by itself; person lookups need this one.
@AreaScoped('drugCase.communeCode')
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

@ObjectType({ description: 'A drug hotspot (điểm, tụ điểm ma túy) and when it was detected, dismantled and, if so, reappeared.' })
@Scopes('police:read')
@Entity({ tableName: 'hotspot' })
// Figures count hotspots per commune by detection and by dismantling date.
@Index({ name: 'hotspot_commune_detected', properties: ['communeCode', 'detectedOn'] })
@Index({ name: 'hotspot_commune_dismantled', properties: ['communeCode', 'dismantledOn'] })
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

  @Field(() => LocalDate, { nullable: true, description: 'Ngày triệt xóa: the latest dismantling; null while never dismantled' })
  @Property({ type: 'date', nullable: true })
  dismantledOn?: string | null;

  @Field(() => VenueType, { description: 'Loại hình địa điểm' })
  @Enum({ items: () => VenueType, default: VenueType.OTHER })
  venueType: VenueType = VenueType.OTHER;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày tái hoạt động: the latest day the hotspot reappeared after being dismantled' })
  @Property({ type: 'date', nullable: true })
  recurredOn?: string | null;

  @Field(() => Int, { description: 'Số lần tái hoạt động sau khi triệt xóa' })
  @Property({ type: 'integer', default: 0 })
  recurrenceCount: number = 0;
}

@ObjectType({ description: 'A management file (hồ sơ quản lý) kept for a drug user, addict, post-rehab person or person released after a drug sentence.' })
@Scopes('police:read')
@Entity({ tableName: 'management_file' })
@Index({ name: 'management_file_person_lookup', properties: ['person', 'openedOn'] })
// Files open at a day in a commune: the managed-person figures.
@Index({ name: 'management_file_commune_opened', properties: ['communeCode', 'openedOn'] })
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

  @Field({ description: "Nguy cơ loạn thần ('ngáo đá'): the person shows or risks drug-induced psychosis and needs closer watch" })
  @Property({ type: 'boolean', default: false })
  psychosisRisk: boolean = false;
}

@ObjectType({ description: 'A retail drug dealer (đối tượng bán lẻ trái phép chất ma túy) police know of in a commune, and when they dealt with them.' })
@Scopes('police:read')
@Entity({ tableName: 'retail_dealer' })
// PostgreSQL does not index foreign keys by itself; person lookups need this one.
@Index({ name: 'retail_dealer_person_lookup', properties: ['person', 'detectedOn'] })
@Index({ name: 'retail_dealer_commune_detected', properties: ['communeCode', 'detectedOn'] })
@Index({ name: 'retail_dealer_commune_dealt', properties: ['communeCode', 'dealtWithOn'] })
export class RetailDealer {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Person)
  person!: Person;

  /** Commune where the dealer sells (địa bàn hoạt động), not necessarily where they live. */
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày phát hiện' })
  @Property({ type: 'date' })
  detectedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày xử lý (bắt giữ, xử phạt); null while still active' })
  @Property({ type: 'date', nullable: true })
  dealtWithOn?: string | null;

  @Field(() => RetailDealerStatus)
  @Enum(() => RetailDealerStatus)
  status!: RetailDealerStatus;
}

@ObjectType({ description: 'A site of illegal cultivation of drug plants (diện tích trồng cây có chứa chất ma túy), detected and destroyed.' })
@Scopes('police:read')
@Entity({ tableName: 'cultivation_site' })
@Index({ name: 'cultivation_site_commune_detected', properties: ['communeCode', 'detectedOn'] })
@Index({ name: 'cultivation_site_commune_destroyed', properties: ['communeCode', 'destroyedOn'] })
export class CultivationSite {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => PlantKind)
  @Enum(() => PlantKind)
  plant!: PlantKind;

  @Field(() => Float, { description: 'Diện tích, m²' })
  @Property({ type: 'double', runtimeType: 'number' })
  areaM2!: number;

  @Field(() => LocalDate, { description: 'Ngày phát hiện' })
  @Property({ type: 'date' })
  detectedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày phá bỏ (triệt phá); null while not yet destroyed' })
  @Property({ type: 'date', nullable: true })
  destroyedOn?: string | null;
}

@AreaScoped('person.communeCode')
@ObjectType({ description: 'A wanted person (đối tượng truy nã) in a drug matter, and when they were caught.' })
@Scopes('police:read')
@Entity({ tableName: 'wanted_person' })
@Index({ name: 'wanted_person_person_lookup', properties: ['person', 'wantedSince'] })
@Index({ name: 'wanted_person_case_lookup', properties: ['drugCase'] })
export class WantedPerson {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Person)
  person!: Person;

  /** The case the warrant belongs to; null for a warrant from before the case was kept here. */
  @ManyToOne(() => DrugCase, { nullable: true })
  drugCase?: DrugCase | null;

  @Field(() => LocalDate, { description: 'Ngày ra quyết định truy nã' })
  @Property({ type: 'date' })
  wantedSince!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày bắt được (bắt, vận động đầu thú); null while still at large' })
  @Property({ type: 'date', nullable: true })
  caughtOn?: string | null;
}

@ObjectType({ description: 'How a commune was classified by its drug situation for one year (phân loại xã theo tình hình ma túy).' })
@Scopes('police:read')
@Entity({ tableName: 'commune_drug_situation' })
@Unique({ name: 'commune_drug_situation_commune_year_unique', properties: ['communeCode', 'year'] })
@Index({ name: 'commune_drug_situation_year_class', properties: ['year', 'classification'] })
export class CommuneDrugSituation {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => Int, { description: 'Năm phân loại' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => DrugSituationClass)
  @Enum(() => DrugSituationClass)
  classification!: DrugSituationClass;
}

export const entities = [Person, DrugCase, CaseSeizedItem, CaseSuspect, Hotspot, ManagementFile, RetailDealer, CultivationSite, WantedPerson, CommuneDrugSituation];
