import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { AreaScoped, LocalDate, NotAreaScoped, Scopes } from '@pcmt/kit';
import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum BorderGateKind {
  LAND_GATE = 'LAND_GATE',
  SEAPORT = 'SEAPORT',
  AIRPORT = 'AIRPORT',
  POSTAL_HUB = 'POSTAL_HUB',
  TRAIL = 'TRAIL',
}
registerEnumType(BorderGateKind, {
  name: 'BorderGateKind',
  description: 'Kind of control point where goods and people cross (cửa khẩu)',
  valuesConfig: {
    LAND_GATE: { description: 'Cửa khẩu đường bộ' },
    SEAPORT: { description: 'Cảng biển' },
    AIRPORT: { description: 'Cảng hàng không (sân bay)' },
    POSTAL_HUB: { description: 'Bưu cục ngoại dịch / kho chuyển phát nhanh' },
    TRAIL: { description: 'Lối mở, đường mòn biên giới' },
  },
});

export enum SeizingAgency {
  CUSTOMS = 'CUSTOMS',
  BORDER_GUARD = 'BORDER_GUARD',
  COAST_GUARD = 'COAST_GUARD',
}
registerEnumType(SeizingAgency, {
  name: 'SeizingAgency',
  description: 'Force that made the seizure (lực lượng bắt giữ)',
  valuesConfig: {
    CUSTOMS: { description: 'Hải quan' },
    BORDER_GUARD: {
      description:
        "Bộ đội Biên phòng: kept for seizures customs recorded for the border guard before it kept its own (imports of old registers); new border-guard seizures are the border-guard subgraph's, and one seizure is recorded in one of the two, never both",
    },
    COAST_GUARD: { description: 'Cảnh sát biển' },
  },
});

export enum SmuggleRoute {
  LAND_BORDER = 'LAND_BORDER',
  SEA = 'SEA',
  AIR = 'AIR',
  POSTAL_EXPRESS = 'POSTAL_EXPRESS',
}
registerEnumType(SmuggleRoute, {
  name: 'SmuggleRoute',
  description: 'Route the drugs were smuggled on (tuyến vận chuyển)',
  valuesConfig: {
    LAND_BORDER: { description: 'Tuyến biên giới đất liền' },
    SEA: { description: 'Tuyến biển' },
    AIR: { description: 'Tuyến hàng không' },
    POSTAL_EXPRESS: { description: 'Bưu chính, chuyển phát nhanh' },
  },
});

/** Where a seizure stands; derived from the hand-over, not stored. */
export enum SeizureStatus {
  HELD = 'HELD',
  HANDED_OVER = 'HANDED_OVER',
}
registerEnumType(SeizureStatus, {
  name: 'SeizureStatus',
  description: 'Where a seizure stands: still with the seizing force, or handed over to a police case',
  valuesConfig: {
    HELD: { description: 'Đang do lực lượng bắt giữ xử lý' },
    HANDED_OVER: { description: 'Đã bàn giao cho cơ quan điều tra (Công an)' },
  },
});

export enum QuantityUnit {
  GRAM = 'GRAM',
  KILOGRAM = 'KILOGRAM',
  TABLET = 'TABLET',
  MILLILITRE = 'MILLILITRE',
}
registerEnumType(QuantityUnit, {
  name: 'QuantityUnit',
  description: 'Unit a seized quantity was recorded in (đơn vị tính)',
  valuesConfig: {
    GRAM: { description: 'Gam' },
    KILOGRAM: { description: 'Kilôgam' },
    TABLET: { description: 'Viên (ma túy tổng hợp dạng viên)' },
    MILLILITRE: { description: 'Mililít (dạng lỏng)' },
  },
});

export enum Conveyance {
  ON_FOOT = 'ON_FOOT',
  MOTORBIKE = 'MOTORBIKE',
  CAR = 'CAR',
  TRUCK = 'TRUCK',
  BOAT = 'BOAT',
  AIRCRAFT = 'AIRCRAFT',
  PARCEL = 'PARCEL',
}
registerEnumType(Conveyance, {
  name: 'Conveyance',
  description: 'How the drugs were carried (phương tiện vận chuyển)',
  valuesConfig: {
    ON_FOOT: { description: 'Đi bộ, mang vác (cửu vạn, gùi qua đường mòn)' },
    MOTORBIKE: { description: 'Xe máy' },
    CAR: { description: 'Ô tô con, xe khách' },
    TRUCK: { description: 'Xe tải, container đường bộ' },
    BOAT: { description: 'Tàu, thuyền (tàu cá, tàu hàng)' },
    AIRCRAFT: { description: 'Máy bay (hành khách, hàng không)' },
    PARCEL: { description: 'Bưu phẩm, bưu kiện chuyển phát' },
  },
});

/** Precursors (tiền chất) whose import and export need a licence; codes of the programme catalogue. */
export const PRECURSOR_CODES = ['EPHEDRINE', 'PSEUDOEPHEDRINE', 'ACETIC_ANHYDRIDE', 'SAFROLE'] as const;
export type PrecursorCode = (typeof PRECURSOR_CODES)[number];

export enum PrecursorDirection {
  IMPORT = 'IMPORT',
  EXPORT = 'EXPORT',
}
registerEnumType(PrecursorDirection, {
  name: 'PrecursorDirection',
  description: 'Whether a precursor licence covers import or export',
  valuesConfig: {
    IMPORT: { description: 'Nhập khẩu' },
    EXPORT: { description: 'Xuất khẩu' },
  },
});

export enum PrecursorViolationKind {
  NO_LICENCE = 'NO_LICENCE',
  EXCEEDS_LICENCE = 'EXCEEDS_LICENCE',
  FALSE_DECLARATION = 'FALSE_DECLARATION',
  EXPIRED_LICENCE = 'EXPIRED_LICENCE',
}
registerEnumType(PrecursorViolationKind, {
  name: 'PrecursorViolationKind',
  description: 'What was wrong with a precursor shipment (hành vi vi phạm)',
  valuesConfig: {
    NO_LICENCE: { description: 'Xuất/nhập khẩu tiền chất không có giấy phép' },
    EXCEEDS_LICENCE: { description: 'Vượt số lượng được cấp phép' },
    FALSE_DECLARATION: { description: 'Khai sai tên hàng, số lượng (khai báo gian dối)' },
    EXPIRED_LICENCE: { description: 'Giấy phép đã hết hiệu lực' },
  },
});

@ObjectType({ description: 'A border gate, seaport, airport or postal hub where seizures are made (cửa khẩu, cảng, bưu cục).' })
// Not personal: the steering committee and analysts may read gates as reference for the figures.
@NotAreaScoped('a border gate is a place, not a record about people')
@Scopes('customs:read', 'aggregate:read')
@Directive('@key(fields: "id")')
@Entity({ tableName: 'border_gate' })
export class BorderGate {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Short code, e.g. CK-TL' })
  @Unique()
  @Property({ length: 16 })
  code!: string;

  @Field({ description: 'Tên cửa khẩu' })
  @Property()
  name!: string;

  @Field(() => BorderGateKind)
  @Enum(() => BorderGateKind)
  kind!: BorderGateKind;

  @Index()
  @Property({ length: 5 })
  communeCode!: string;
}

@ObjectType({ description: 'A drug seizure (vụ bắt giữ) by customs, the border guard or the coast guard.' })
@Scopes('customs:read')
@Directive('@key(fields: "id")')
@Entity({ tableName: 'seizure' })
// Figures per commune filter by commune and day; PostgreSQL does not index the gate foreign key by itself.
@Index({ name: 'seizure_commune_seized', properties: ['communeCode', 'seizedOn'] })
@Index({ name: 'seizure_gate_seized', properties: ['gate', 'seizedOn'] })
export class Seizure {
  // The key is also open to police: they may see which seizures a person was held in (Person.seizuresAsSuspect).
  @Scopes('customs:read', 'customs:person-seizures')
  @Field(() => ID, { description: 'Seizure number, e.g. TG-2025-00042' })
  @PrimaryKey({ length: 32 })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt giữ' })
  @Index()
  @Property({ type: 'date' })
  seizedOn!: string;

  /** Commune where the seizure was made, official code. */
  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => SeizingAgency)
  @Enum(() => SeizingAgency)
  agency!: SeizingAgency;

  /** Null when caught on patrol away from any gate. */
  @ManyToOne(() => BorderGate, { nullable: true })
  gate?: BorderGate | null;

  @Field(() => SmuggleRoute)
  @Enum(() => SmuggleRoute)
  route!: SmuggleRoute;

  @Field({ description: 'Phương thức cất giấu' })
  @Property()
  concealment!: string;

  @Field({ description: 'Country of origin (nước xuất phát), ISO 3166-1 alpha-2' })
  @Property({ length: 2 })
  originCountry!: string;

  @Field(() => String, { nullable: true, description: 'Country the drugs passed through before reaching the border (nước quá cảnh), ISO 3166-1 alpha-2; null when shipped directly' })
  @Property({ length: 2, nullable: true })
  transitCountry?: string | null;

  @Field({ description: "Country the drugs were bound for (nước đến): 'VN' for the domestic market, another code when Vietnam was only a corridor" })
  @Property({ length: 2, default: 'VN' })
  destinationCountry: string = 'VN';

  /** Null only on seizures recorded before conveyance was kept. */
  @Field(() => Conveyance, { nullable: true, description: 'Phương tiện vận chuyển; null on seizures recorded before it was kept' })
  @Enum({ items: () => Conveyance, nullable: true })
  conveyance?: Conveyance | null;

  /** Police case the seizure was handed over to (bàn giao), if any. */
  @Index()
  @Property({ length: 32, nullable: true })
  drugCaseId?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày bàn giao cho cơ quan điều tra (Công an); null while the seizure is still with the seizing force (or on hand-overs recorded before the day was kept)' })
  @Property({ type: 'date', nullable: true })
  handedOverOn?: string | null;
}

@ObjectType({ description: 'One substance seized in a seizure (tang vật), with quantity and its weight in kg.' })
@Scopes('customs:read')
@Entity({ tableName: 'seized_item' })
// Leads with seizure_id: PostgreSQL does not index foreign keys by itself, and items are loaded per seizure.
@Index({ name: 'seized_item_seizure_substance_index', properties: ['seizure', 'substanceCode'] })
// One line per substance and unit in a seizure: the importer's natural key.
@AreaScoped('seizure.communeCode')
@Unique({ name: 'seized_item_seizure_substance_unit_unique', properties: ['seizure', 'substanceCode', 'unit'] })
export class SeizedItem {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Seizure, { deleteRule: 'cascade' })
  seizure!: Seizure;

  @Index()
  @Property({ length: 16 })
  substanceCode!: string;

  @Field(() => Float, { description: 'Số lượng, in `unit`' })
  @Property({ type: 'double', runtimeType: 'number' })
  quantity!: number;

  @Field(() => QuantityUnit)
  @Enum(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => Float, { description: 'Quantity converted to kilograms (quy đổi), as UNODC does: tablets by typical weight, 1 ml ≈ 1 g' })
  @Property({ type: 'double', runtimeType: 'number' })
  kgEquivalent!: number;
}

/** A person held in a seizure; identity lives in the police register. */
@AreaScoped('seizure.communeCode')
@Entity({ tableName: 'seizure_suspect' })
@Unique({ properties: ['seizure', 'citizenId'] })
export class SeizureSuspect {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Seizure, { deleteRule: 'cascade' })
  seizure!: Seizure;

  @Index()
  @Property({ length: 12 })
  citizenId!: string;
}

@ObjectType({ description: 'Giấy phép xuất khẩu/nhập khẩu tiền chất: a licence for one company to import or export up to a quantity of one precursor in a validity window.' })
// Not personal (a company's licence): readable with aggregate:read too.
@NotAreaScoped('licences are issued to companies for the whole province')
@Scopes('customs:read', 'aggregate:read')
@Entity({ tableName: 'precursor_licence' })
@Index({ name: 'precursor_licence_substance_valid', properties: ['substanceCode', 'validTo'] })
export class PrecursorLicence {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Số giấy phép, e.g. 0012/2025/GPNK-BCT' })
  @Unique({ name: 'precursor_licence_licence_no_unique' })
  @Property({ length: 32 })
  licenceNo!: string;

  @Field({ description: 'Doanh nghiệp được cấp phép' })
  @Property()
  company!: string;

  @Field(() => PrecursorDirection)
  @Enum(() => PrecursorDirection)
  direction!: PrecursorDirection;

  /** Precursor code of the programme catalogue (EPHEDRINE, ...). */
  @Property({ length: 16 })
  substanceCode!: string;

  @Field(() => Float, { description: 'Khối lượng được cấp phép, kg' })
  @Property({ type: 'double', runtimeType: 'number' })
  quantityKg!: number;

  @Field(() => LocalDate, { description: 'Hiệu lực từ ngày (inclusive)' })
  @Property({ type: 'date' })
  validFrom!: string;

  @Field(() => LocalDate, { description: 'Hiệu lực đến ngày (inclusive)' })
  @Property({ type: 'date' })
  validTo!: string;
}

@ObjectType({ description: 'A precursor-chemical violation (vi phạm về tiền chất) found in import/export control.' })
@Scopes('customs:read')
@Entity({ tableName: 'precursor_violation' })
// Per-commune figures filter by commune and day; violations are listed per licence (PostgreSQL does not index foreign keys).
@Index({ name: 'precursor_violation_commune_detected', properties: ['communeCode', 'detectedOn'] })
@Index({ name: 'precursor_violation_licence_detected', properties: ['licence', 'detectedOn'] })
export class PrecursorViolation {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  /** The licence the shipment was declared under; null when there was none. */
  @ManyToOne(() => PrecursorLicence, { nullable: true })
  licence?: PrecursorLicence | null;

  @Field({ description: 'Doanh nghiệp vi phạm' })
  @Property()
  company!: string;

  @Property({ length: 16 })
  substanceCode!: string;

  @Field(() => Float, { description: 'Khối lượng tiền chất của lô hàng vi phạm, kg' })
  @Property({ type: 'double', runtimeType: 'number' })
  quantityKg!: number;

  @Field(() => LocalDate, { description: 'Ngày phát hiện' })
  @Property({ type: 'date' })
  detectedOn!: string;

  /** Commune of the gate or port where it was found, official code. */
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => PrecursorViolationKind)
  @Enum(() => PrecursorViolationKind)
  kind!: PrecursorViolationKind;
}

export const entities = [BorderGate, Seizure, SeizedItem, SeizureSuspect, PrecursorLicence, PrecursorViolation];
