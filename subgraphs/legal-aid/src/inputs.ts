import { LocalDate, NamesPerson, NamesPersonOf } from '@pcmt/kit';
import { Field, ID, InputType } from 'type-graphql';
import { EligibilityGroup, LegalAidForm, LegalAidProviderKind } from './entities.js';

// The GraphQL inputs of the legal-aid writes (mutations.ts) and imports (importers.ts). Only shapes and
// descriptions here: every check on their values is in writes.ts.

@InputType({ description: 'Tiếp nhận yêu cầu trợ giúp pháp lý: a new request as received by the centre' })
export class RegisterLegalAidRequestInput {
  @Field(() => ID, { nullable: true, description: "Request number (số yêu cầu); when omitted the next 'TGPL-NNNNN' is given" })
  id?: string | null;

  @NamesPerson()
  @Field({ description: 'Số CCCD of the person asking, 12 digits' })
  citizenId!: string;

  @Field(() => LocalDate, { description: 'Ngày tiếp nhận; not in the future, not before 2018-01-01' })
  receivedOn!: string;

  @Field({ description: 'Official code of the commune of residence' })
  communeCode!: string;

  @Field(() => EligibilityGroup, { description: 'Diện người được trợ giúp pháp lý (NOT_ELIGIBLE when none applies)' })
  eligibilityGroup!: EligibilityGroup;

  @Field(() => LegalAidForm, { description: 'Hình thức trợ giúp pháp lý requested' })
  serviceForm!: LegalAidForm;

  @Field(() => String, { nullable: true, description: 'Police case number (số vụ án) the request is about, VA-YYYY-NNNNN' })
  drugCaseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Ghi chú for the status history' })
  note?: string | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Thụ lý: accept a received request and assign who carries it out' })
export class AcceptLegalAidRequestInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('legalAidRequest')
  @Field(() => ID, { description: 'Request number' })
  id!: string;

  @Field(() => ID, { description: 'Người thực hiện trợ giúp pháp lý (LegalAidProvider.id)' })
  providerId!: string;

  @Field(() => LocalDate, { description: 'Ngày thụ lý; not in the future, not before the last status change' })
  acceptedOn!: string;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Từ chối thụ lý: refuse a received request, with the reason' })
export class RefuseLegalAidRequestInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('legalAidRequest')
  @Field(() => ID, { description: 'Request number' })
  id!: string;

  @Field({ description: 'Lý do từ chối (required)' })
  reason!: string;

  @Field(() => LocalDate, { description: 'Ngày từ chối; not in the future, not before the request was received' })
  refusedOn!: string;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Bắt đầu thực hiện trợ giúp pháp lý on an accepted request' })
export class StartLegalAidInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('legalAidRequest')
  @Field(() => ID, { description: 'Request number' })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu thực hiện; not in the future, not before acceptance' })
  startedOn!: string;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Kết thúc vụ việc trợ giúp pháp lý, with its outcome' })
export class CompleteLegalAidInput {
  // About the record's person: the gateway names them in the audit entry, before the write.
  @NamesPersonOf('legalAidRequest')
  @Field(() => ID, { description: 'Request number' })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày kết thúc; not in the future, not before the request was received or last changed' })
  completedOn!: string;

  @Field({ description: 'Kết quả vụ việc (required)' })
  outcome!: string;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Add a trợ giúp viên pháp lý, or a lawyer or law firm the centre has contracted' })
export class RegisterLegalAidProviderInput {
  @Field(() => ID, { description: 'Provider code, e.g. TGV-13, LS-09, TCLS-07' })
  id!: string;

  @Field({ description: 'Họ và tên, or the firm name' })
  name!: string;

  @Field(() => LegalAidProviderKind)
  kind!: LegalAidProviderKind;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}
