import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { AreaScoped, LocalDate, NotAreaScoped, Scopes } from '@pcmt/kit';
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

export enum SocialPlatform {
  ZALO = 'ZALO',
  FACEBOOK = 'FACEBOOK',
  TIKTOK = 'TIKTOK',
  YOUTUBE = 'YOUTUBE',
  OTHER = 'OTHER',
}
registerEnumType(SocialPlatform, {
  name: 'SocialPlatform',
  description: 'Mạng xã hội a SOCIAL_MEDIA campaign runs on',
  valuesConfig: {
    ZALO: { description: 'Zalo (nhóm, trang Zalo OA)' },
    FACEBOOK: { description: 'Facebook (fanpage, nhóm)' },
    TIKTOK: { description: 'TikTok' },
    YOUTUBE: { description: 'YouTube' },
    OTHER: { description: 'Nền tảng khác' },
  },
});

export enum MediaOutletKind {
  NEWSPAPER = 'NEWSPAPER',
  RADIO_TELEVISION = 'RADIO_TELEVISION',
  ONLINE_NEWS = 'ONLINE_NEWS',
  MAGAZINE = 'MAGAZINE',
}
registerEnumType(MediaOutletKind, {
  name: 'MediaOutletKind',
  description: 'Loại hình cơ quan báo chí',
  valuesConfig: {
    NEWSPAPER: { description: 'Báo in' },
    RADIO_TELEVISION: { description: 'Đài phát thanh, truyền hình' },
    ONLINE_NEWS: { description: 'Báo điện tử, trang/cổng thông tin điện tử' },
    MAGAZINE: { description: 'Tạp chí' },
  },
});

@NotAreaScoped('campaigns are run province-wide; their activities are scoped')
@ObjectType({ description: 'An awareness campaign (chiến dịch, đợt tuyên truyền phòng, chống ma túy) run by one organiser.' })
@Directive('@key(fields: "id")')
@Scopes('education:read', 'aggregate:read')
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

  @Field({ description: 'Part of "Tháng hành động phòng, chống ma túy" (June); its period overlaps a June' })
  @Property()
  actionMonth!: boolean;

  @Field({ description: 'Hưởng ứng "Ngày toàn dân phòng, chống ma túy" (26/6): its period contains a 26 June' })
  // Default so the column can be added to campaigns recorded before it existed.
  @Property({ default: false })
  nationalDay: boolean = false;

  @Field(() => SocialPlatform, { nullable: true, description: 'For SOCIAL_MEDIA campaigns: the platform (Zalo, Facebook, …); null when several or not a social-media campaign' })
  // A plain column, not a checked enum: SQLite can then add it without rebuilding the campaign table.
  @Property({ type: 'string', length: 16, nullable: true })
  socialPlatform?: SocialPlatform | null;
}

@NotAreaScoped('a school is an organisation; what was done there (Activity) is scoped')
@ObjectType({ description: 'A school or training institution (trường học, cơ sở giáo dục) in a commune.' })
@Directive('@key(fields: "id")')
@Scopes('education:read', 'aggregate:read')
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

@NotAreaScoped('an enterprise is an organisation; what was done there (Activity) is scoped')
@ObjectType({ description: 'An enterprise (doanh nghiệp) whose workers campaigns reach, in or outside an industrial park (khu công nghiệp).' })
@Directive('@key(fields: "id")')
@Scopes('education:read', 'aggregate:read')
@Entity({ tableName: 'enterprise' })
@Index({ name: 'enterprise_commune_park_index', properties: ['communeCode', 'industrialPark'] })
export class Enterprise {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Tên doanh nghiệp' })
  @Property()
  name!: string;

  @Property({ length: 5 })
  communeCode!: string;

  @Field(() => String, { nullable: true, description: 'Tên khu công nghiệp the enterprise is in; null when it is not in an industrial park' })
  @Property({ length: 128, nullable: true })
  industrialPark?: string | null;

  @Field(() => Int, { description: 'Số công nhân, người lao động' })
  @Property()
  workers!: number;
}

@NotAreaScoped('media outlets serve the whole province')
@ObjectType({ description: 'A province-level press or broadcast outlet (cơ quan báo chí) and its dedicated drug-prevention column (chuyên mục phòng, chống ma túy).' })
@Directive('@key(fields: "id")')
@Scopes('education:read', 'aggregate:read')
@Entity({ tableName: 'media_outlet' })
@Index({ name: 'media_outlet_province_main_index', properties: ['provinceCode', 'main'] })
export class MediaOutlet {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Tên cơ quan báo chí' })
  @Property()
  name!: string;

  @Field(() => MediaOutletKind)
  @Enum(() => MediaOutletKind)
  kind!: MediaOutletKind;

  @Field({ description: 'Cơ quan báo chí chủ lực của tỉnh (the outlets indicator g counts)' })
  @Property()
  main!: boolean;

  /** Province-level: the outlet belongs to the province, not to a commune. */
  @Property({ length: 2 })
  provinceCode!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Ngày bắt đầu chuyên mục phòng, chống ma túy; null while the outlet has no dedicated column' })
  @Property({ type: 'date', nullable: true })
  columnSince?: string | null;

  @Field(() => String, { nullable: true, description: 'Tên chuyên mục, e.g. "Vì cuộc sống không ma túy"' })
  @Property({ nullable: true })
  columnName?: string | null;
}

@ObjectType({ description: 'One activity of a campaign (hoạt động tuyên truyền): a talk, a rally, a broadcast, held on one day in one commune.' })
@Scopes('education:read', 'aggregate:read')
@Entity({ tableName: 'awareness_activity' })
// PostgreSQL gets no automatic index on foreign keys; these composite ones also serve the period filters.
@Index({ name: 'awareness_activity_campaign_held_on_index', properties: ['campaign', 'heldOn'] })
@Index({ name: 'awareness_activity_school_held_on_index', properties: ['school', 'heldOn'] })
@Index({ name: 'awareness_activity_enterprise_held_on_index', properties: ['enterprise', 'heldOn'] })
// A place's figures read its communes' activities of a period: one range per commune, not the
// province's (or every province's) activities of the period filtered by commune afterwards.
@Index({ name: 'awareness_activity_commune_held_on_index', properties: ['communeCode', 'heldOn'] })
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

  @Property({ length: 5 })
  communeCode!: string;

  /** Set for activities held at a school (SCHOOL channel); never together with `enterprise`. */
  @ManyToOne(() => School, { nullable: true })
  school?: School | null;

  /** Set for activities held at an enterprise (WORKPLACE channel); never together with `school`. */
  @ManyToOne(() => Enterprise, { nullable: true })
  enterprise?: Enterprise | null;

  @Field(() => Int, { description: 'Số lượt người tham dự / được tiếp cận' })
  @Property()
  participants!: number;
}

/**
 * One worker on an activity's attendance list (danh sách người lao động tham dự), so that workers
 * reached are persons, not attendances (indicator g2). The list gives the worker's social-insurance
 * number (mã số BHXH, 10 digits, one per worker nationwide); education keeps no name. Not published
 * in the graph: only the count of distinct workers is.
 */
@AreaScoped('activity.communeCode')
@Entity({ tableName: 'worker_attendance' })
@Unique({ name: 'worker_attendance_activity_worker_unique', properties: ['activity', 'workerKey'] })
export class WorkerAttendance {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Activity, { deleteRule: 'cascade' })
  activity!: Activity;

  @Index()
  @Property({ length: 16 })
  workerKey!: string;
}

export const entities = [Campaign, School, Enterprise, MediaOutlet, Activity, WorkerAttendance];
