import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { AreaScoped, BusinessCounter, LocalDate, NotAreaScoped, Scopes } from '@pcmt/kit';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** Người được trợ giúp pháp lý, Luật Trợ giúp pháp lý 2017, Điều 7 (grouped as the centre reports them). */
export enum EligibilityGroup {
  POOR_HOUSEHOLD = 'POOR_HOUSEHOLD',
  ETHNIC_MINORITY_HARD_AREA = 'ETHNIC_MINORITY_HARD_AREA',
  ACCUSED_AGED_16_18 = 'ACCUSED_AGED_16_18',
  ACCUSED_NEAR_POOR = 'ACCUSED_NEAR_POOR',
  VICTIM = 'VICTIM',
  DISABLED = 'DISABLED',
  CHILD = 'CHILD',
  OTHER_FINANCIAL_HARDSHIP = 'OTHER_FINANCIAL_HARDSHIP',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
}
registerEnumType(EligibilityGroup, {
  name: 'EligibilityGroup',
  description: 'Diện người được trợ giúp pháp lý (Luật Trợ giúp pháp lý 2017, Điều 7)',
  valuesConfig: {
    POOR_HOUSEHOLD: { description: 'Người thuộc hộ nghèo (khoản 2)' },
    ETHNIC_MINORITY_HARD_AREA: { description: 'Người dân tộc thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn (khoản 4)' },
    ACCUSED_AGED_16_18: { description: 'Người bị buộc tội từ đủ 16 tuổi đến dưới 18 tuổi (khoản 5)' },
    ACCUSED_NEAR_POOR: { description: 'Người bị buộc tội thuộc hộ cận nghèo (khoản 6)' },
    VICTIM: { description: 'Bị hại từ đủ 16 đến dưới 18 tuổi, nạn nhân bạo lực gia đình hoặc mua bán người, có khó khăn về tài chính (khoản 7)' },
    DISABLED: { description: 'Người khuyết tật có khó khăn về tài chính (khoản 7)' },
    CHILD: { description: 'Trẻ em (khoản 3)' },
    OTHER_FINANCIAL_HARDSHIP: { description: 'Trường hợp khác có khó khăn về tài chính, ví dụ người nhiễm HIV, người cao tuổi (khoản 1, 7)' },
    NOT_ELIGIBLE: { description: 'Không thuộc diện được trợ giúp pháp lý' },
  },
});

export enum LegalAidStatus {
  RECEIVED = 'RECEIVED',
  ACCEPTED = 'ACCEPTED',
  REFUSED = 'REFUSED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
}
registerEnumType(LegalAidStatus, {
  name: 'LegalAidStatus',
  description: 'Tình trạng xử lý yêu cầu trợ giúp pháp lý',
  valuesConfig: {
    RECEIVED: { description: 'Đã tiếp nhận, đang xem xét' },
    ACCEPTED: { description: 'Đã thụ lý' },
    REFUSED: { description: 'Từ chối thụ lý' },
    IN_PROGRESS: { description: 'Đang thực hiện trợ giúp pháp lý' },
    COMPLETED: { description: 'Đã kết thúc vụ việc' },
  },
});

export enum LegalAidForm {
  ADVICE = 'ADVICE',
  DEFENCE_IN_PROCEEDINGS = 'DEFENCE_IN_PROCEEDINGS',
  REPRESENTATION_OUTSIDE_COURT = 'REPRESENTATION_OUTSIDE_COURT',
}
registerEnumType(LegalAidForm, {
  name: 'LegalAidForm',
  description: 'Hình thức trợ giúp pháp lý (Luật Trợ giúp pháp lý 2017, Điều 27)',
  valuesConfig: {
    ADVICE: { description: 'Tư vấn pháp luật' },
    DEFENCE_IN_PROCEEDINGS: { description: 'Tham gia tố tụng (bào chữa, bảo vệ quyền và lợi ích hợp pháp)' },
    REPRESENTATION_OUTSIDE_COURT: { description: 'Đại diện ngoài tố tụng' },
  },
});

/** Statuses in which the centre is serving (or has served) the person. */
export const SERVED_STATUSES = [LegalAidStatus.ACCEPTED, LegalAidStatus.IN_PROGRESS, LegalAidStatus.COMPLETED];

/**
 * Which status may follow which (Luật Trợ giúp pháp lý 2017, Điều 30–33: a request is accepted
 * (thụ lý) or refused, then carried out and closed). Advice is often given the day it is accepted,
 * so ACCEPTED may go straight to COMPLETED.
 */
export const LEGAL_AID_LIFECYCLE: Record<LegalAidStatus, readonly LegalAidStatus[]> = {
  [LegalAidStatus.RECEIVED]: [LegalAidStatus.ACCEPTED, LegalAidStatus.REFUSED],
  [LegalAidStatus.ACCEPTED]: [LegalAidStatus.IN_PROGRESS, LegalAidStatus.COMPLETED],
  [LegalAidStatus.IN_PROGRESS]: [LegalAidStatus.COMPLETED],
  [LegalAidStatus.REFUSED]: [],
  [LegalAidStatus.COMPLETED]: [],
};

export enum LegalAidProviderKind {
  LEGAL_AID_OFFICER = 'LEGAL_AID_OFFICER',
  CONTRACTED_LAWYER = 'CONTRACTED_LAWYER',
  CONTRACTED_LAW_FIRM = 'CONTRACTED_LAW_FIRM',
}
registerEnumType(LegalAidProviderKind, {
  name: 'LegalAidProviderKind',
  description: 'Người thực hiện trợ giúp pháp lý (Luật Trợ giúp pháp lý 2017, Điều 17)',
  valuesConfig: {
    LEGAL_AID_OFFICER: { description: 'Trợ giúp viên pháp lý of the state centre' },
    CONTRACTED_LAWYER: { description: 'Luật sư ký hợp đồng thực hiện trợ giúp pháp lý với Trung tâm' },
    CONTRACTED_LAW_FIRM: { description: 'Tổ chức hành nghề luật sư ký hợp đồng thực hiện trợ giúp pháp lý' },
  },
});

@NotAreaScoped('legal-aid providers are organisations serving the province')
@Scopes('legal-aid:read')
@ObjectType({ description: 'Người thực hiện trợ giúp pháp lý: a legal-aid officer of the centre, or a lawyer or law firm under contract with it.' })
@Entity({ tableName: 'legal_aid_provider' })
@Index({ name: 'legal_aid_provider_kind', properties: ['kind', 'name'] })
export class LegalAidProvider {
  @Field(() => ID, { description: 'Provider code, e.g. TGV-01 (officer), LS-03 (lawyer), TCLS-02 (law firm)' })
  @PrimaryKey({ length: 32 })
  id!: string;

  @Field({ description: 'Họ và tên, or the firm name' })
  @Property()
  name!: string;

  @Field(() => LegalAidProviderKind)
  @Enum(() => LegalAidProviderKind)
  kind!: LegalAidProviderKind;
}

@Scopes('legal-aid:read')
@ObjectType({ description: 'A legal-aid request (yêu cầu trợ giúp pháp lý) received by the state legal-aid centre (Trung tâm trợ giúp pháp lý nhà nước).' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'legal_aid_request' })
// PostgreSQL does not index foreign keys by itself; per-provider lists and the period figures need these.
@Index({ name: 'legal_aid_request_provider', properties: ['assignedProvider', 'receivedOn'] })
@Index({ name: 'legal_aid_request_commune_received', properties: ['communeCode', 'receivedOn'] })
@Index({ name: 'legal_aid_request_commune_completed', properties: ['communeCode', 'completedOn'] })
@Index({ name: 'legal_aid_request_status_received', properties: ['status', 'receivedOn'] })
export class LegalAidRequest {
  @Field(() => ID, { description: 'Request number, e.g. TGPL-00042' })
  @PrimaryKey({ length: 32 })
  id!: string;

  /** Người yêu cầu, by citizen ID; identity lives with police. */
  @Index()
  @Property({ length: 12 })
  citizenId!: string;

  /** Commune of residence of the person, official code. */
  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => LocalDate, { description: 'Ngày tiếp nhận yêu cầu' })
  @Index()
  @Property({ type: 'date' })
  receivedOn!: string;

  @Field(() => EligibilityGroup, { description: 'Diện người được trợ giúp pháp lý' })
  @Enum(() => EligibilityGroup)
  eligibilityGroup!: EligibilityGroup;

  /** Police case the request is about (vụ án), or null. */
  @Property({ length: 32, nullable: true })
  drugCaseId?: string | null;

  @Field(() => LegalAidStatus)
  @Enum(() => LegalAidStatus)
  status!: LegalAidStatus;

  @Field(() => String, { nullable: true, description: 'Lý do từ chối; only when REFUSED' })
  @Property({ nullable: true })
  refusalReason?: string | null;

  @Field(() => LegalAidForm, { description: 'Hình thức trợ giúp pháp lý requested or given' })
  @Enum(() => LegalAidForm)
  serviceForm!: LegalAidForm;

  @Field(() => String, {
    nullable: true,
    description: "Name of the người thực hiện trợ giúp pháp lý, as text; null until the request is accepted",
    deprecationReason: 'Use assignedProvider { id name kind }',
  })
  @Property({ nullable: true })
  provider?: string | null;

  /** Người thực hiện trợ giúp pháp lý, set when the request is accepted (thụ lý). */
  @ManyToOne(() => LegalAidProvider, { nullable: true })
  assignedProvider?: LegalAidProvider | null;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày thụ lý; null until the request is accepted' })
  @Property({ type: 'date', nullable: true })
  acceptedOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày kết thúc vụ việc; only when COMPLETED' })
  @Property({ type: 'date', nullable: true })
  completedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Kết quả vụ việc; only when COMPLETED' })
  @Property({ nullable: true })
  outcome?: string | null;
}

@AreaScoped('request.communeCode')
@Scopes('legal-aid:read')
@ObjectType({ description: 'One status change of a legal-aid request (lịch sử xử lý yêu cầu): when it was received, accepted or refused, started and closed.' })
@Entity({ tableName: 'legal_aid_status_change' })
@Index({ name: 'legal_aid_status_change_request', properties: ['request', 'changedOn'] })
export class LegalAidStatusChange {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => LegalAidRequest, { deleteRule: 'cascade' })
  request!: LegalAidRequest;

  @Field(() => LegalAidStatus, { description: 'The status the request moved to' })
  @Enum(() => LegalAidStatus)
  status!: LegalAidStatus;

  @Field(() => LocalDate, { description: 'Ngày chuyển trạng thái' })
  @Property({ type: 'date' })
  changedOn!: string;

  @Field(() => String, { nullable: true, description: 'Ghi chú, e.g. the reason for a refusal or the outcome' })
  @Property({ nullable: true })
  note?: string | null;
}

// BusinessCounter gives request numbers (TGPL-NNNNN).
export const entities = [LegalAidProvider, LegalAidRequest, LegalAidStatusChange, BusinessCounter];
