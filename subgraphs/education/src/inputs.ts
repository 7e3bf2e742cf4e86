import { LocalDate } from '@pcmt/kit';
import { Field, ID, InputType, Int } from 'type-graphql';
import { CampaignChannel, MediaOutletKind, SchoolLevel, SocialPlatform, TargetGroup } from './entities.js';
import type {
  CreateCampaignFields,
  LogActivityFields,
  OpenMediaColumnFields,
  RegisterEnterpriseFields,
  RegisterMediaOutletFields,
  RegisterSchoolFields,
} from './writes.js';

// The GraphQL inputs of the education mutations (mutations.ts), which pass them to the write rules
// in writes.ts. Only shapes and descriptions here: every check on their values is in writes.ts.

const IDEMPOTENCY = 'Khóa chống ghi trùng: a retry with the same key (8–160 characters) is applied once and answers the same';

@InputType({ description: 'A new awareness campaign (chiến dịch, đợt tuyên truyền)' })
export class CreateCampaignInput implements CreateCampaignFields {
  @Field({ description: 'Tên chiến dịch' })
  name!: string;

  @Field({ description: 'Đơn vị tổ chức (at most 64 characters)' })
  organiser!: string;

  @Field(() => CampaignChannel)
  channel!: CampaignChannel;

  @Field(() => TargetGroup)
  targetGroup!: TargetGroup;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu (may be in the future: campaigns are planned)' })
  startsOn!: string;

  @Field(() => LocalDate, { description: 'Ngày kết thúc, not before startsOn' })
  endsOn!: string;

  @Field({ nullable: true, defaultValue: false, description: 'Thuộc Tháng hành động phòng, chống ma túy: the period must overlap June' })
  actionMonth?: boolean;

  @Field({ nullable: true, defaultValue: false, description: 'Hưởng ứng Ngày toàn dân phòng, chống ma túy 26/6: the period must include 26 June' })
  nationalDay?: boolean;

  @Field(() => SocialPlatform, { nullable: true, description: 'Only for SOCIAL_MEDIA campaigns' })
  socialPlatform?: SocialPlatform | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: 'One activity held for a campaign (hoạt động tuyên truyền)' })
export class LogActivityInput implements LogActivityFields {
  @Field(() => ID, { description: 'Mã chiến dịch' })
  campaignId!: string;

  @Field(() => LocalDate, { description: 'Ngày tổ chức: within the campaign period, not in the future' })
  heldOn!: string;

  @Field({ description: 'Mã xã where it was held' })
  communeCode!: string;

  @Field(() => ID, { nullable: true, description: 'The school, of that commune (required for SCHOOL campaigns, refused otherwise)' })
  schoolId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The enterprise, of that commune (required for WORKPLACE campaigns, refused otherwise)' })
  enterpriseId?: string | null;

  @Field(() => Int, { description: 'Số người tham dự, 1–100000' })
  participants!: number;

  @Field(() => [String], {
    nullable: true,
    description:
      'Danh sách người lao động tham dự: the attending workers\' social-insurance numbers (mã số BHXH, 10 digits), each once and at most `participants`; only at an enterprise. Indicator g2 counts these workers as persons; an activity without a list adds nobody to it',
  })
  workerKeys?: string[] | null;

  @Field({ description: 'Nội dung, e.g. "Tọa đàm tại doanh nghiệp"' })
  title!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A school or training institution to register' })
export class RegisterSchoolInput implements RegisterSchoolFields {
  @Field()
  name!: string;

  @Field(() => SchoolLevel)
  level!: SchoolLevel;

  @Field({ description: 'Mã xã' })
  communeCode!: string;

  @Field(() => Int, { description: 'Số học sinh, sinh viên, 1–50000' })
  students!: number;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: 'An enterprise (doanh nghiệp) to register' })
export class RegisterEnterpriseInput implements RegisterEnterpriseFields {
  @Field()
  name!: string;

  @Field({ description: 'Mã xã' })
  communeCode!: string;

  @Field(() => String, { nullable: true, description: 'Tên khu công nghiệp; empty when not in an industrial park' })
  industrialPark?: string | null;

  @Field(() => Int, { description: 'Số công nhân, người lao động, 1–100000' })
  workers!: number;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A province-level press outlet (cơ quan báo chí) to register' })
export class RegisterMediaOutletInput implements RegisterMediaOutletFields {
  @Field()
  name!: string;

  @Field(() => MediaOutletKind)
  kind!: MediaOutletKind;

  @Field({ description: 'Cơ quan báo chí chủ lực của tỉnh' })
  main!: boolean;

  @Field({ description: 'Mã tỉnh (2 digits)' })
  provinceCode!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: 'The start of an outlet’s dedicated drug-prevention column (chuyên mục phòng, chống ma túy)' })
export class OpenMediaColumnInput implements OpenMediaColumnFields {
  @Field(() => ID)
  mediaOutletId!: string;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu chuyên mục, not in the future' })
  since!: string;

  @Field({ description: 'Tên chuyên mục' })
  columnName!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
