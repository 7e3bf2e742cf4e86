import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { LocalDate } from '@pcmt/kit';
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

@ObjectType({ description: 'A legal-aid request (yêu cầu trợ giúp pháp lý) received by the state legal-aid centre (Trung tâm trợ giúp pháp lý nhà nước).' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'legal_aid_request' })
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

  @Field(() => String, { nullable: true, description: 'Người thực hiện trợ giúp pháp lý: a trợ giúp viên pháp lý or a contracted law firm; null until the request is accepted' })
  @Property({ nullable: true })
  provider?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày kết thúc vụ việc; only when COMPLETED' })
  @Property({ type: 'date', nullable: true })
  completedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Kết quả vụ việc; only when COMPLETED' })
  @Property({ nullable: true })
  outcome?: string | null;
}

export const entities = [LegalAidRequest];
