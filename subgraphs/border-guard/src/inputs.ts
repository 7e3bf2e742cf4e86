import { LocalDate, NamesPerson, NamesPersonOf } from '@pcmt/kit';
import { Field, Float, ID, InputType } from 'type-graphql';
import { BorderRoute } from './entities.js';

// The GraphQL inputs of the border guard writes (mutations.ts) and imports (importers.ts). Only shapes and
// descriptions here: every check on their values is in writes.ts.

@InputType({ description: 'Tang vật: one substance of a new seizure' })
export class BorderGuardSeizedItemInput {
  @Field({ description: 'Substance code of the catalogue, e.g. HEROIN' })
  substanceCode!: string;

  @Field(() => Float, { description: 'Khối lượng, kg; more than 0' })
  quantityKg!: number;
}

@InputType({ description: 'Ghi nhận vụ bắt giữ của Bộ đội Biên phòng: the seizure, its items and the persons held, all or nothing' })
export class RegisterBorderGuardSeizureInput {
  @Field(() => ID, { description: 'Seizure number BP-YYYY-NNNNN, in the year of seizedOn' })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt giữ; not in the future' })
  seizedOn!: string;

  @Field({ description: 'Official code of the commune' })
  communeCode!: string;

  @Field(() => BorderRoute)
  route!: BorderRoute;

  @Field({ description: 'Địa điểm: trail, landmark or sea area' })
  place!: string;

  @Field(() => String, { nullable: true, description: 'Đồn biên phòng (BorderPost.code); its sector must match the route' })
  postCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Tổ/đội chuyên trách that made it (AntiDrugTeam.code)' })
  teamCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Joint operation it was made in (JointOperation.code)' })
  jointOperationCode?: string | null;

  @Field(() => [BorderGuardSeizedItemInput], { description: 'At least one item, one per substance' })
  items!: BorderGuardSeizedItemInput[];

  @NamesPerson()
  @Field(() => [String], { nullable: true, description: 'Số CCCD of the persons held, 12 digits each' })
  suspects?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Bàn giao vụ bắt giữ cho cơ quan điều tra (Công an)' })
export class HandOverBorderGuardSeizureInput {
  // About the persons held: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('borderGuardSeizure')
  @Field(() => ID, { description: 'Seizure number' })
  id!: string;

  @Field({ description: 'Police case number VA-YYYY-NNNNN' })
  drugCaseId!: string;

  @Field(() => LocalDate, { description: 'Ngày bàn giao; not before the seizure, not in the future' })
  handedOverOn!: string;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Ghi nhận trang bị: a unit or an officer has been issued modern weapons, support tools and technical means' })
export class RecordEquipmentInput {
  @Field(() => String, { nullable: true, description: 'AntiDrugTeam.code; give this or serviceNumber' })
  teamCode?: string | null;

  @Field(() => String, { nullable: true, description: 'AntiDrugOfficer.serviceNumber; give this or teamCode' })
  serviceNumber?: string | null;

  @Field(() => LocalDate, { description: 'Ngày trang bị; not in the future' })
  equippedOn!: string;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Mở chuyên án / kế hoạch phối hợp with customs and/or police' })
export class RegisterJointOperationInput {
  @Field(() => ID, { description: 'Code PH-YYYY-NN' })
  code!: string;

  @Field({ description: 'Tên chuyên án / kế hoạch' })
  name!: string;

  @Field({ description: 'Official code of the commune it is led from' })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu; not in the future' })
  startedOn!: string;

  @Field({ description: 'Phối hợp với Hải quan' })
  withCustoms!: boolean;

  @Field({ description: 'Phối hợp với Công an' })
  withPolice!: boolean;

  @Field(() => String, { nullable: true, description: 'Police case number it serves, VA-YYYY-NNNNN' })
  drugCaseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}
