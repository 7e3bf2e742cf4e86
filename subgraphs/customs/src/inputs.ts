import { LocalDate, NamesPerson, NamesPersonOf } from '@pcmt/kit';
import { Field, Float, ID, InputType } from 'type-graphql';
import {
  Conveyance,
  PRECURSOR_CODES,
  PrecursorDirection,
  PrecursorViolationKind,
  QuantityUnit,
  SeizingAgency,
  SmuggleRoute,
} from './entities.js';
import { MAX_ITEMS, MAX_PRECURSOR_KG } from './writes.js';

// The GraphQL inputs of the customs writes (mutations.ts) and imports (importers.ts). Only shapes and
// descriptions here: every check on their values is in writes.ts.

@InputType({ description: 'One substance seized (tang vật)' })
export class SeizedItemInput {
  @Field({ description: 'Substance code of the programme catalogue, e.g. HEROIN, METHAMPHETAMINE' })
  substanceCode!: string;

  @Field(() => Float, { description: 'Số lượng, in `unit`; more than 0' })
  quantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;
}

@InputType({ description: 'A seizure as the seizing force records it: the seizure, what was seized and who was held, written at once' })
export class RegisterSeizureInput {
  @Field(() => ID, { description: 'Số vụ bắt giữ, TG-YYYY-NNNNN; YYYY is the year of seizedOn' })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt giữ; not in the future' })
  seizedOn!: string;

  @Field({ description: 'Official code of the commune where it was seized' })
  communeCode!: string;

  @Field(() => SeizingAgency)
  agency!: SeizingAgency;

  @Field(() => String, { nullable: true, description: 'Code of the gate, port or hub (e.g. CK-TL); omit when caught on patrol' })
  gateCode?: string | null;

  @Field(() => SmuggleRoute)
  route!: SmuggleRoute;

  @Field(() => Conveyance)
  conveyance!: Conveyance;

  @Field({ description: 'Phương thức cất giấu' })
  concealment!: string;

  @Field({ description: 'Nước xuất phát, ISO 3166-1 alpha-2' })
  originCountry!: string;

  @Field(() => String, { nullable: true, description: 'Nước quá cảnh, ISO 3166-1 alpha-2' })
  transitCountry?: string | null;

  @Field(() => String, { description: "Nước đến, ISO 3166-1 alpha-2; 'VN' unless Vietnam was only a corridor" })
  destinationCountry: string = 'VN';

  @Field(() => [SeizedItemInput], { description: `Tang vật: 1–${MAX_ITEMS} items, one per substance and unit` })
  items!: SeizedItemInput[];

  @NamesPerson()
  @Field(() => [String], { description: 'Citizen identity numbers (CCCD, 12 digits) of the persons held' })
  suspects: string[] = [];

  @Field(() => String, { nullable: true, description: 'Client key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Hand-over of a seizure to the police case that investigates it (bàn giao)' })
export class HandOverSeizureInput {
  // About the seizure's suspects: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('seizure')
  @Field(() => ID)
  seizureId!: string;

  @Field({ description: 'Số vụ án of the police case, VA-YYYY-NNNNN' })
  drugCaseId!: string;

  @Field(() => LocalDate, { description: 'Ngày bàn giao; not before the seizure, not in the future' })
  handedOverOn!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A precursor import/export licence (giấy phép xuất/nhập khẩu tiền chất)' })
export class RegisterPrecursorLicenceInput {
  @Field({ description: 'Số giấy phép; unique' })
  licenceNo!: string;

  @Field()
  company!: string;

  @Field(() => PrecursorDirection)
  direction!: PrecursorDirection;

  @Field({ description: `Precursor code: ${PRECURSOR_CODES.join(', ')}` })
  substanceCode!: string;

  @Field(() => Float, { description: `Licensed quantity, kg; more than 0, at most ${MAX_PRECURSOR_KG}` })
  quantityKg!: number;

  @Field(() => LocalDate)
  validFrom!: string;

  @Field(() => LocalDate, { description: 'Not before validFrom' })
  validTo!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A precursor violation found in import/export control' })
export class RecordPrecursorViolationInput {
  @Field(() => String, { nullable: true, description: 'Số giấy phép the shipment was declared under; required unless kind is NO_LICENCE, where it must be empty' })
  licenceNo?: string | null;

  @Field(() => String, { nullable: true, description: "Doanh nghiệp vi phạm; defaults to the licence's company" })
  company?: string | null;

  @Field({ description: `Precursor code: ${PRECURSOR_CODES.join(', ')}` })
  substanceCode!: string;

  @Field(() => Float, { description: 'Quantity of the shipment, kg' })
  quantityKg!: number;

  @Field(() => LocalDate, { description: 'Ngày phát hiện; not in the future' })
  detectedOn!: string;

  @Field({ description: 'Official code of the commune of the gate or port' })
  communeCode!: string;

  @Field(() => PrecursorViolationKind)
  kind!: PrecursorViolationKind;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}
