import { LocalDate, NamesPerson, NamesPersonOf } from '@pcmt/kit';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import {
  CaseQuantityUnit,
  CaseRoute,
  CaseStatus,
  DrugSituationClass,
  HotspotKind,
  ManagedCategory,
  PlantKind,
  RetailDealerStatus,
  Sex,
  SuspectRole,
  VenueType,
} from './entities.js';

// The GraphQL inputs of the police writes (mutations.ts) and imports (importers.ts). Only shapes and
// descriptions here: every check on their values is in writes.ts.

// ---------------------------------------------------------------- persons

@InputType({ description: 'A person entered into the police population register' })
export class RegisterPersonInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số định danh cá nhân (CCCD), 12 digits' })
  citizenId!: string;

  @Field({ description: 'Họ và tên' })
  fullName!: string;

  @Field(() => Sex)
  sex!: Sex;

  @Field(() => Int, { description: 'Năm sinh' })
  birthYear!: number;

  @Field({ description: 'Commune of residence (nơi cư trú), official code' })
  communeCode!: string;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

// ---------------------------------------------------------------- drug cases

@InputType({ description: 'One substance seized in a case (tang vật)' })
export class CaseSeizedItemInput {
  @Field({ description: 'Substance code of the programme catalogue, e.g. HEROIN' })
  substanceCode!: string;

  @Field(() => Float, { description: 'Số lượng, more than 0, in `unit`' })
  quantity!: number;

  @Field(() => CaseQuantityUnit)
  unit!: CaseQuantityUnit;

  @Field(() => Float, { nullable: true, description: 'Weighed kilograms when known (e.g. for tablets or plants); computed from quantity and unit otherwise' })
  kgEquivalent?: number | null;
}

@InputType({ description: 'A suspect in a case (đối tượng), already in the population register' })
export class CaseSuspectInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số CCCD' })
  citizenId!: string;

  @Field(() => SuspectRole)
  role!: SuspectRole;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày bắt giữ; not before the case was reported' })
  arrestedOn?: string | null;
}

@InputType({ description: 'A new drug case (vụ án), recorded as REPORTED' })
export class OpenDrugCaseInput {
  @Field(() => ID, { description: 'Case number VA-YYYY-NNNNN, YYYY the year it was reported' })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày phát hiện / tiếp nhận; not in the future' })
  reportedOn!: string;

  @Field()
  communeCode!: string;

  @Field({ description: "Article of the Penal Code 2015, '247'…'259'" })
  article!: string;

  @Field(() => CaseRoute)
  route!: CaseRoute;

  @Field({ defaultValue: false, description: 'Xuyên quốc gia' })
  transnational?: boolean;

  @Field({ defaultValue: false, description: 'Có tổ chức (đường dây, ổ nhóm)' })
  organised?: boolean;

  @Field({ defaultValue: false, description: 'Trên không gian mạng; implied by route CYBERSPACE' })
  cyberspace?: boolean;

  @Field(() => Float, { nullable: true, description: 'Tài sản thu hồi, VND' })
  assetsRecoveredVnd?: number | null;

  @Field(() => [CaseSeizedItemInput], { defaultValue: [] })
  seizedItems?: CaseSeizedItemInput[];

  @Field(() => [CaseSuspectInput], { defaultValue: [] })
  suspects?: CaseSuspectInput[];

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

@InputType({ description: 'Move a case along its lifecycle (REPORTED → INVESTIGATING → PROSECUTED → TRIED → CLOSED)' })
export class ChangeDrugCaseStatusInput {
  // About the case's suspects: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('drugCase')
  @Field(() => ID, { description: 'Case number' })
  id!: string;

  @Field(() => CaseStatus)
  status!: CaseStatus;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

@InputType({ description: 'A further suspect in an open case' })
export class AddCaseSuspectInput {
  @Field(() => ID, { description: 'Case number' })
  drugCaseId!: string;

  @NamesPerson()
  @Field(() => ID, { description: 'Số CCCD' })
  citizenId!: string;

  @Field(() => SuspectRole)
  role!: SuspectRole;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày bắt giữ; not before the case was reported' })
  arrestedOn?: string | null;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

// ---------------------------------------------------------------- hotspots

@InputType({ description: 'A newly detected hotspot (điểm, tụ điểm ma túy)' })
export class RecordHotspotInput {
  @Field(() => HotspotKind)
  kind!: HotspotKind;

  @Field(() => VenueType, { defaultValue: VenueType.OTHER })
  venueType?: VenueType;

  @Field({ description: 'Place description, e.g. "Quán karaoke Hoa Hồng, thôn 3"' })
  place!: string;

  @Field()
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày phát hiện; not in the future' })
  detectedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày triệt xóa, when it was already dismantled (e.g. from a spreadsheet of past records)' })
  dismantledOn?: string | null;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

@InputType({ description: 'A hotspot dismantled (triệt xóa)' })
export class DismantleHotspotInput {
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày triệt xóa; not in the future, not before detection or the latest reappearance' })
  dismantledOn!: string;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

@InputType({ description: 'A dismantled hotspot found operating again (tái hoạt động)' })
export class RecordHotspotRecurrenceInput {
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDate, { description: 'Day it was found operating again; not in the future, after it was dismantled' })
  recurredOn!: string;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

// ---------------------------------------------------------------- management files

@InputType({ description: 'A management file (hồ sơ quản lý) opened for a person in the register' })
export class OpenManagementFileInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số CCCD' })
  citizenId!: string;

  @Field(() => ManagedCategory)
  category!: ManagedCategory;

  @Field(() => LocalDate, { description: 'Ngày lập hồ sơ; not in the future' })
  openedOn!: string;

  @Field(() => String, { nullable: true, description: 'Commune managing the file; the person’s commune of residence when omitted' })
  communeCode?: string | null;

  @Field({ defaultValue: false, description: "Nguy cơ loạn thần ('ngáo đá')" })
  psychosisRisk?: boolean;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

@InputType({ description: 'A management file closed (kết thúc quản lý)' })
export class CloseManagementFileInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('managementFile')
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDate, { description: 'Not in the future, not before the file was opened' })
  closedOn!: string;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

// ---------------------------------------------------------------- retail dealers

@InputType({ description: 'A retail dealer (đối tượng bán lẻ) detected in a commune' })
export class RecordRetailDealerInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số CCCD' })
  citizenId!: string;

  @Field({ description: 'Commune where they sell (địa bàn hoạt động)' })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày phát hiện; not in the future' })
  detectedOn!: string;

  @Field(() => RetailDealerStatus, { defaultValue: RetailDealerStatus.ACTIVE })
  status?: RetailDealerStatus;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày xử lý: required unless the status is ACTIVE' })
  dealtWithOn?: string | null;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

@InputType({ description: 'A retail dealer dealt with: arrested, sanctioned or stopped' })
export class DealWithRetailDealerInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('retailDealer')
  @Field(() => ID)
  id!: string;

  @Field(() => RetailDealerStatus, { description: 'Anything but ACTIVE' })
  status!: RetailDealerStatus;

  @Field(() => LocalDate, { description: 'Ngày xử lý; not in the future, not before detection' })
  dealtWithOn!: string;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

// ---------------------------------------------------------------- cultivation

@InputType({ description: 'A site of illegal drug-plant cultivation detected' })
export class RecordCultivationSiteInput {
  @Field()
  communeCode!: string;

  @Field(() => PlantKind)
  plant!: PlantKind;

  @Field(() => Float, { description: 'Diện tích, m², more than 0' })
  areaM2!: number;

  @Field(() => LocalDate, { description: 'Ngày phát hiện; not in the future' })
  detectedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày phá bỏ, when it was already destroyed' })
  destroyedOn?: string | null;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

@InputType({ description: 'A cultivation site destroyed (phá bỏ)' })
export class DestroyCultivationSiteInput {
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày phá bỏ; not in the future, not before detection' })
  destroyedOn!: string;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

// ---------------------------------------------------------------- wanted persons

@InputType({ description: 'A wanted notice (quyết định truy nã) for a person in the register' })
export class RecordWantedPersonInput {
  @NamesPerson()
  @Field(() => ID, { description: 'Số CCCD' })
  citizenId!: string;

  @Field(() => ID, { nullable: true, description: 'Case number the warrant belongs to' })
  drugCaseId?: string | null;

  @Field(() => LocalDate, { description: 'Ngày ra quyết định truy nã; not in the future' })
  wantedSince!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày bắt được, when already caught' })
  caughtOn?: string | null;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

@InputType({ description: 'A wanted person caught or surrendered' })
export class RecordWantedPersonCaughtInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('wantedPerson')
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt được; not in the future, not before the notice' })
  caughtOn!: string;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}

// ---------------------------------------------------------------- commune classification

@InputType({ description: 'Classify a commune by its drug situation for a year; replaces an earlier classification of that year' })
export class ClassifyCommuneInput {
  @Field()
  communeCode!: string;

  @Field(() => Int, { description: 'Năm phân loại, up to the current year' })
  year!: number;

  @Field(() => DrugSituationClass)
  classification!: DrugSituationClass;

  @Field({ nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string;
}
