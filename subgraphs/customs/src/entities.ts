import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { LocalDate } from '@pcmt/kit';
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
    BORDER_GUARD: { description: 'Bộ đội Biên phòng' },
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

@ObjectType({ description: 'A border gate, seaport, airport or postal hub where seizures are made (cửa khẩu, cảng, bưu cục).' })
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
@Directive('@key(fields: "id")')
@Entity({ tableName: 'seizure' })
export class Seizure {
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

  @Field({ description: 'Country of origin (nước xuất xứ), ISO 3166-1 alpha-2' })
  @Property({ length: 2 })
  originCountry!: string;

  /** Police case the seizure was handed over to (bàn giao), if any. */
  @Index()
  @Property({ length: 32, nullable: true })
  drugCaseId?: string | null;
}

@ObjectType({ description: 'One substance seized in a seizure (tang vật), with quantity and its weight in kg.' })
@Entity({ tableName: 'seized_item' })
// Leads with seizure_id: PostgreSQL does not index foreign keys by itself, and items are loaded per seizure.
@Index({ name: 'seized_item_seizure_substance_index', properties: ['seizure', 'substanceCode'] })
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

export const entities = [BorderGate, Seizure, SeizedItem, SeizureSuspect];
