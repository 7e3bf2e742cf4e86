import { CacheMaxAge, NotAreaScoped, REFERENCE_MAX_AGE } from '@pcmt/kit';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum CommuneKind {
  COMMUNE = 'COMMUNE',
  WARD = 'WARD',
  SPECIAL_ZONE = 'SPECIAL_ZONE',
}
registerEnumType(CommuneKind, {
  name: 'CommuneKind',
  description: 'Kind of commune-level unit (đơn vị hành chính cấp xã) since the two-tier reform of 1 July 2025',
  valuesConfig: {
    COMMUNE: { description: 'Xã' },
    WARD: { description: 'Phường' },
    SPECIAL_ZONE: { description: 'Đặc khu' },
  },
});

export enum SubstanceGroup {
  OPIOID = 'OPIOID',
  STIMULANT = 'STIMULANT',
  HALLUCINOGEN = 'HALLUCINOGEN',
  DISSOCIATIVE = 'DISSOCIATIVE',
  CANNABINOID = 'CANNABINOID',
  NEW_PSYCHOACTIVE = 'NEW_PSYCHOACTIVE',
  INHALANT = 'INHALANT',
  PRECURSOR = 'PRECURSOR',
}
registerEnumType(SubstanceGroup, {
  name: 'SubstanceGroup',
  description: 'Pharmacological group of a substance (nhóm chất)',
  valuesConfig: {
    OPIOID: { description: 'Các chất dạng thuốc phiện' },
    STIMULANT: { description: 'Chất kích thích (ma túy tổng hợp dạng amphetamine, cocain)' },
    HALLUCINOGEN: { description: 'Chất gây ảo giác' },
    DISSOCIATIVE: { description: 'Chất gây phân ly (ketamin)' },
    CANNABINOID: { description: 'Cần sa và các chất cannabinoid' },
    NEW_PSYCHOACTIVE: { description: 'Chất hướng thần mới (NPS)' },
    INHALANT: { description: 'Chất gây nghiện dạng hít (khí cười N2O)' },
    PRECURSOR: { description: 'Tiền chất' },
  },
});

@NotAreaScoped('reference data')
@ObjectType({ description: 'Tỉnh/thành phố trực thuộc trung ương, keyed by the official 2-digit code' })
@Directive('@key(fields: "code")')
@CacheMaxAge(REFERENCE_MAX_AGE)
@Entity({ tableName: 'province' })
export class Province {
  @Field(() => ID, { description: 'Mã tỉnh, 2 digits' })
  @PrimaryKey({ length: 2 })
  code!: string;

  @Field({ description: 'Tên tỉnh' })
  @Property()
  name!: string;
}

@ObjectType({ description: 'Xã/phường/đặc khu, keyed by the official administrative code' })
@Directive('@key(fields: "code")')
@CacheMaxAge(REFERENCE_MAX_AGE)
@Entity({ tableName: 'commune' })
// Communes of a province in code order; also serves the foreign key, which PostgreSQL does not index by itself.
@NotAreaScoped("reference data: names and codes of communes are public; communes() lists the caller's own")
@Index({ properties: ['province', 'code'] })
export class Commune {
  @Field(() => ID, { description: 'Mã xã, 5 digits' })
  @PrimaryKey({ length: 5 })
  code!: string;

  @Field({ description: 'Tên xã/phường/đặc khu' })
  @Property()
  name!: string;

  @Field(() => CommuneKind)
  @Enum(() => CommuneKind)
  kind!: CommuneKind;

  /** Column `province_code`; exposed as `provinceCode` and `province` by the resolver. */
  @ManyToOne(() => Province)
  province!: Province;

  @Field(() => Int, { description: 'Dân số' })
  @Property()
  population!: number;

  @Field({ description: 'Xã biên giới: a commune on the land border' })
  @Property()
  border!: boolean;
}

@NotAreaScoped('reference data')
@ObjectType({ description: 'A narcotic substance (chất ma túy) or precursor (tiền chất) in the programme catalogue' })
@Directive('@key(fields: "code")')
@CacheMaxAge(REFERENCE_MAX_AGE)
@Entity({ tableName: 'substance' })
export class Substance {
  @Field(() => ID, { description: 'Catalogue code, e.g. METHAMPHETAMINE' })
  @PrimaryKey({ length: 32 })
  code!: string;

  @Field({ description: 'English name' })
  @Property()
  name!: string;

  @Field({ description: 'Tên tiếng Việt, as province staff say it (e.g. ma túy đá)' })
  @Property()
  nameVi!: string;

  @Field(() => SubstanceGroup)
  @Enum(() => SubstanceGroup)
  group!: SubstanceGroup;

  @Field({ description: 'Tiền chất: a chemical used to make drugs, controlled on import/export' })
  @Property()
  precursor!: boolean;
}


/**
 * One programme indicator (chỉ tiêu) with its target and source. Seeded from the catalogue in
 * indicators.ts; the standing office may revise targets here without a code change.
 */
@NotAreaScoped('reference data')
@ObjectType({ description: 'A programme indicator (chỉ tiêu) with its target, deadline and source document' })
@Directive('@key(fields: "id")')
@CacheMaxAge(REFERENCE_MAX_AGE)
@Entity({ tableName: 'indicator' })
export class Indicator {
  @Field(() => ID, { description: "Letter of the plan's list (a, b1, dd1 = đ…) or a short name" })
  @PrimaryKey({ length: 16 })
  id!: string;

  @Field({ description: 'Tên chỉ tiêu' })
  @Property()
  nameVi!: string;

  @Field()
  @Property()
  nameEn!: string;

  @Field({ description: 'Numerator and denominator in words' })
  @Property({ type: 'text' })
  definition!: string;

  @Field({ description: 'PERCENT, or PERCENT_CHANGE against the previous period' })
  @Property({ length: 16 })
  unit!: string;

  @Field({ description: 'AT_LEAST or AT_MOST the target' })
  @Property({ length: 8 })
  comparator!: string;

  @Field(() => Float)
  @Property({ type: 'double' })
  target!: number;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  baseline?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ nullable: true })
  baselineYear?: number | null;

  @Field({ description: 'Hạn hoàn thành, YYYY-MM-DD' })
  @Property({ length: 10 })
  deadline!: string;

  @Field({ description: 'Source document and clause (văn bản nguồn)' })
  @Property({ type: 'text' })
  source!: string;

  @Field(() => [String], { description: 'PROVINCE and/or COMMUNE: where the indicator is computed' })
  @Property({ type: 'json' })
  levels!: string[];
}

/**
 * A province's own plan (kế hoạch, chỉ thị, nghị quyết, chương trình hành động) or the national
 * programme: the document its targets come from. A province's indicators use its own plans'
 * targets, the newest document first, and the national programme for what they do not set.
 */
@NotAreaScoped('public documents: plans and their targets are published')
@ObjectType({ description: 'Kế hoạch/văn bản chỉ đạo PCMT of a province (or the national programme), with its targets' })
@Entity({ tableName: 'plan' })
export class Plan {
  @Field(() => ID, { description: 'Short id, e.g. QN-32-CT-TU-2023' })
  @PrimaryKey({ length: 40 })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'Mã tỉnh; null for the national programme (Chương trình MTQG)' })
  @Index()
  @Property({ length: 2, nullable: true })
  provinceCode?: string | null;

  @Field({ description: 'Trích yếu: what the document is' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Số ký hiệu văn bản, e.g. 32-CT/TU; null when the source text does not show it' })
  @Property({ length: 40, nullable: true })
  documentNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'Ngày ban hành, YYYY-MM-DD; null when the source text does not show it' })
  @Property({ length: 10, nullable: true })
  documentDate?: string | null;

  @Field({ description: 'Cơ quan ban hành, e.g. Ban Thường vụ Tỉnh ủy Quảng Ninh' })
  @Property()
  issuer!: string;

  @Field(() => String, { nullable: true, description: 'Source text in shared/seeds (e.g. 000_2c99ea28af25ce9e.txt) or a link to the document' })
  @Property({ length: 255, nullable: true })
  sourceLink?: string | null;

  @Field(() => String, { nullable: true, description: 'Ghi chú: what the source text leaves open' })
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Field({ description: "Who recorded the plan: 'seed', or agency/subject of the caller who added it" })
  @Property({ length: 255 })
  recordedBy!: string;

  @Field({ description: 'When it was recorded (ISO 8601, UTC)' })
  @Property({ length: 24 })
  recordedAt!: string;
}

/** One indicator's target in one plan: comparator, target, baseline and deadline, with the line it comes from. */
@NotAreaScoped('public documents: plans and their targets are published')
@ObjectType({ description: 'Chỉ tiêu của một kế hoạch: the target a plan sets for one indicator' })
@Entity({ tableName: 'plan_target' })
@Unique({ properties: ['plan', 'indicatorId'] })
export class PlanTarget {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Plan, { deleteRule: 'cascade' })
  plan!: Plan;

  @Field(() => ID, { description: 'Indicator.id' })
  @Property({ length: 16 })
  indicatorId!: string;

  @Field({ description: 'AT_LEAST (≥, "ít nhất", "100 %"), ABOVE (>, "trên"), AT_MOST (≤), BELOW (<, "giảm")' })
  @Property({ length: 12 })
  comparator!: string;

  @Field(() => Float)
  @Property({ type: 'double' })
  target!: number;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  baseline?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  baselineYear?: number | null;

  @Field({ description: 'Hạn hoàn thành, YYYY-MM-DD' })
  @Property({ length: 10 })
  deadline!: string;

  @Field({ description: 'Câu trích: the line of the document the target comes from' })
  @Property({ type: 'text' })
  seedLine!: string;
}

/**
 * Khóa sổ kỳ báo cáo (DHIS2's "complete data set registration"): an agency says it has reported
 * everything for one commune and one period. Indicators read it as reporting completeness.
 */
@ObjectType({ description: 'Khóa sổ kỳ báo cáo: an agency has reported (closed) one period for one commune' })
@Entity({ tableName: 'reporting_period_closure' })
@Unique({ properties: ['agency', 'communeCode', 'period'] })
@Index({ properties: ['communeCode', 'period'] })
export class ReportingPeriodClosure {
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Cơ quan báo cáo: police, health, education, customs, legal-aid, border-guard' })
  @Property({ length: 32 })
  agency!: string;

  @Field({ description: 'Mã xã' })
  @Property({ length: 5 })
  communeCode!: string;

  @Field({ description: "Kỳ báo cáo: '2025', '2025-Q2' or '2025-06'" })
  @Property({ length: 7 })
  period!: string;

  @Field({ description: "Who closed it: agency/subject, or 'seed'" })
  @Property({ length: 255 })
  closedBy!: string;

  @Field({ description: 'When (ISO 8601, UTC)' })
  @Property({ length: 24 })
  closedAt!: string;
}

export const entities = [Province, Commune, Substance, Indicator, Plan, PlanTarget, ReportingPeriodClosure];
