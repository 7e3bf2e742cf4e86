import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { LocalDate } from '@pcmt/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum CampaignChannel {
  SCHOOL = 'SCHOOL',
  COMMUNITY = 'COMMUNITY',
  MASS_MEDIA = 'MASS_MEDIA',
  SOCIAL_MEDIA = 'SOCIAL_MEDIA',
  WORKPLACE = 'WORKPLACE',
}
registerEnumType(CampaignChannel, {
  name: 'CampaignChannel',
  description: 'Where a campaign reaches people (hình thức, kênh tuyên truyền)',
  valuesConfig: {
    SCHOOL: { description: 'Trong trường học' },
    COMMUNITY: { description: 'Tại cộng đồng, khu dân cư' },
    MASS_MEDIA: { description: 'Báo chí, phát thanh, truyền hình' },
    SOCIAL_MEDIA: { description: 'Mạng xã hội, không gian mạng' },
    WORKPLACE: { description: 'Tại doanh nghiệp, khu công nghiệp' },
  },
});

export enum TargetGroup {
  STUDENTS = 'STUDENTS',
  YOUTH = 'YOUTH',
  WORKERS = 'WORKERS',
  GENERAL_PUBLIC = 'GENERAL_PUBLIC',
  HIGH_RISK = 'HIGH_RISK',
}
registerEnumType(TargetGroup, {
  name: 'TargetGroup',
  description: 'Who a campaign is for (đối tượng tuyên truyền)',
  valuesConfig: {
    STUDENTS: { description: 'Học sinh, sinh viên' },
    YOUTH: { description: 'Thanh, thiếu niên' },
    WORKERS: { description: 'Công nhân, người lao động' },
    GENERAL_PUBLIC: { description: 'Toàn dân' },
    HIGH_RISK: { description: 'Nhóm nguy cơ cao' },
  },
});

export enum SchoolLevel {
  PRIMARY = 'PRIMARY',
  LOWER_SECONDARY = 'LOWER_SECONDARY',
  UPPER_SECONDARY = 'UPPER_SECONDARY',
  VOCATIONAL = 'VOCATIONAL',
  COLLEGE = 'COLLEGE',
}
registerEnumType(SchoolLevel, {
  name: 'SchoolLevel',
  description: 'Cấp học / loại hình cơ sở giáo dục',
  valuesConfig: {
    PRIMARY: { description: 'Tiểu học' },
    LOWER_SECONDARY: { description: 'Trung học cơ sở (THCS)' },
    UPPER_SECONDARY: { description: 'Trung học phổ thông (THPT)' },
    VOCATIONAL: { description: 'Giáo dục nghề nghiệp' },
    COLLEGE: { description: 'Cao đẳng, đại học' },
  },
});

@ObjectType({ description: 'An awareness campaign (chiến dịch, đợt tuyên truyền phòng, chống ma túy) run by one organiser.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'campaign' })
export class Campaign {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Tên chiến dịch / đợt tuyên truyền' })
  @Property()
  name!: string;

  @Field({ description: "Đơn vị tổ chức, e.g. 'Sở GD&ĐT', 'Tỉnh đoàn', 'Sở VH-TT'" })
  @Property({ length: 64 })
  organiser!: string;

  @Field(() => CampaignChannel)
  @Enum(() => CampaignChannel)
  channel!: CampaignChannel;

  @Field(() => TargetGroup)
  @Enum(() => TargetGroup)
  targetGroup!: TargetGroup;

  @Field(() => LocalDate, { description: 'Ngày bắt đầu' })
  @Index()
  @Property({ type: 'date' })
  startsOn!: string;

  @Field(() => LocalDate, { description: 'Ngày kết thúc' })
  @Property({ type: 'date' })
  endsOn!: string;

  @Field({ description: 'Part of "Tháng hành động phòng, chống ma túy" (June) and "Ngày toàn dân phòng, chống ma túy 26/6"' })
  @Property()
  actionMonth!: boolean;
}

@ObjectType({ description: 'A school or training institution (trường học, cơ sở giáo dục) in a commune.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'school' })
export class School {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Tên trường' })
  @Property()
  name!: string;

  @Field(() => SchoolLevel)
  @Enum(() => SchoolLevel)
  level!: SchoolLevel;

  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => Int, { description: 'Số học sinh, sinh viên' })
  @Property()
  students!: number;
}

@ObjectType({ description: 'One activity of a campaign (hoạt động tuyên truyền): a talk, a rally, a broadcast, held on one day in one commune.' })
@Entity({ tableName: 'awareness_activity' })
// PostgreSQL gets no automatic index on foreign keys; these composite ones also serve the period filters.
@Index({ name: 'awareness_activity_campaign_held_on_index', properties: ['campaign', 'heldOn'] })
@Index({ name: 'awareness_activity_school_held_on_index', properties: ['school', 'heldOn'] })
export class Activity {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @Field({ description: 'What was held, e.g. "Mít tinh hưởng ứng Ngày toàn dân phòng, chống ma túy 26/6"' })
  @Property()
  title!: string;

  @Field(() => LocalDate, { description: 'Ngày tổ chức' })
  @Index()
  @Property({ type: 'date' })
  heldOn!: string;

  @Index()
  @Property({ length: 5 })
  communeCode!: string;

  /** Set for activities held at a school (SCHOOL channel). */
  @ManyToOne(() => School, { nullable: true })
  school?: School | null;

  @Field(() => Int, { description: 'Số lượt người tham dự / được tiếp cận' })
  @Property()
  participants!: number;
}

export const entities = [Campaign, School, Activity];
