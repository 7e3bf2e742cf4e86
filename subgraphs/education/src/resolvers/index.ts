import {
  checkCommuneCodeArgument,
  checkPage,
  communePeriodStub,
  communeStub,
  intArgument,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodBounds,
  periodReferences,
  periodWhere,
  provincePeriodStub,
  type Scope,
  Scopes,
  stubRef,
  type SubgraphContext,
} from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Activity, Campaign, CampaignChannel, Enterprise, MediaOutlet, MediaOutletKind, School, SchoolLevel } from '../entities.js';
import { figures } from '../figures.js';

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;
export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

const communeOf = (code: string): Commune => stubRef(Commune, { code });

/**
 * The kit's PageOf makes the page class; it gets the same type-level read tags as the rows it
 * holds (a class decorator applied after the fact: type-graphql reads directives when it builds).
 */
/** Pages carry the same read tags as the rows they hold. */
const EDUCATION_READ: Scope[] = ['education:read', 'aggregate:read'];
const CampaignPage = PageOf(Campaign, Campaign.name, EDUCATION_READ);
const SchoolPage = PageOf(School, School.name, EDUCATION_READ);
const ActivityPage = PageOf(Activity, 'AwarenessActivity', EDUCATION_READ);
const EnterprisePage = PageOf(Enterprise, Enterprise.name, EDUCATION_READ);
const MediaOutletPage = PageOf(MediaOutlet, MediaOutlet.name, EDUCATION_READ);

/** Năm học: 1 September of `schoolYear` to 31 August of the next year. */
export function schoolYearBounds(schoolYear: number): { from: string; to: string } {
  if (!Number.isInteger(schoolYear) || schoolYear < 1990 || schoolYear > 2100) {
    throw new GraphQLError('schoolYear must be between 1990 and 2100', { extensions: { code: 'BAD_USER_INPUT', field: 'schoolYear' } });
  }
  return { from: `${schoolYear}-09-01`, to: `${schoolYear + 1}-08-31` };
}

/** Campaigns running at any time in the period (overlap, not just start). */
function campaignPeriodWhere(period: PeriodArgs): Record<string, unknown> {
  const { from, to } = periodBounds(period);
  return { ...(to ? { startsOn: { $lte: to } } : {}), ...(from ? { endsOn: { $gte: from } } : {}) };
}

const activityOrder = { heldOn: 'desc', id: 'asc' } as const;

/** SUM(participants) per commune in one grouped query, like the kit's `count` loader. */
@Resolver(() => Campaign)
export class CampaignResolver {
  @Scopes('education:read', 'aggregate:read')
  @Query(() => Campaign, { nullable: true, description: 'One campaign by id' })
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Campaign, 'id').load(intArgument(id, 'id'));
  }

  @Scopes('education:read', 'aggregate:read')
  @Query(() => CampaignPage, { description: 'Campaigns running in the period, optionally of one channel, of the action month or of the national day 26/6, newest first' })
  async campaigns(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('channel', () => CampaignChannel, { nullable: true }) channel: CampaignChannel | undefined,
    @Arg('actionMonth', () => Boolean, { nullable: true, description: 'Only campaigns of (true) or outside (false) Tháng hành động' }) actionMonth: boolean | undefined,
    @Arg('nationalDay', () => Boolean, { nullable: true, description: 'Only campaigns for (true) or not for (false) Ngày toàn dân 26/6' }) nationalDay: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const where = {
      ...campaignPeriodWhere(period),
      ...(channel ? { channel } : {}),
      ...(actionMonth != null ? { actionMonth } : {}),
      ...(nationalDay != null ? { nationalDay } : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(Campaign, where, { orderBy: { startsOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => [Activity], { description: 'Hoạt động of this campaign held in the period, optionally in one commune' })
  async activities(
    @Root() c: Campaign,
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('heldOn', period), ...(communeCode ? { communeCode } : {}) };
    return ctx.loaders.many(Activity, 'campaign', { where, orderBy: activityOrder, page }).load(c.id);
  }
}

@Resolver(() => School)
export class SchoolResolver {
  @Scopes('education:read', 'aggregate:read')
  @Query(() => School, { nullable: true, description: 'One school by id' })
  school(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(School, 'id').load(intArgument(id, 'id'));
  }

  @Scopes('education:read', 'aggregate:read')
  @Query(() => SchoolPage, { description: 'Schools, optionally of one commune and level, by commune' })
  async schools(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('level', () => SchoolLevel, { nullable: true }) level: SchoolLevel | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = { ...(communeCode ? { communeCode } : {}), ...(level ? { level } : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(School, where, { orderBy: { communeCode: 'asc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune)
  commune(@Root() s: School) {
    return communeOf(s.communeCode);
  }

  @FieldResolver(() => [Activity], { description: 'Hoạt động held at this school in the period' })
  async activities(@Root() s: School, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Activity, 'school', { where: periodWhere('heldOn', period), orderBy: activityOrder, page }).load(s.id);
  }

  @FieldResolver(() => Boolean, {
    description: 'Drug education reached this school in the school year (năm học, 1 Sept schoolYear – 31 Aug next year): at least one activity held there',
  })
  async drugEducationDelivered(@Root() s: School, @Arg('schoolYear', () => Int) schoolYear: number, @Ctx() ctx: SubgraphContext) {
    const { from, to } = schoolYearBounds(schoolYear);
    return (await ctx.loaders.count(Activity, 'school', { heldOn: { $gte: from, $lte: to } }).load(s.id)) > 0;
  }
}

@Resolver(() => Activity)
export class ActivityResolver {
  @Scopes('education:read', 'aggregate:read')
  @Query(() => ActivityPage, { description: 'Hoạt động tuyên truyền held in the period, optionally in one commune or of one campaign, newest first' })
  async awarenessActivities(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('campaignId', () => ID, { nullable: true }) campaignId: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = {
      ...periodWhere('heldOn', period),
      ...(communeCode ? { communeCode } : {}),
      ...(campaignId != null ? { campaign: intArgument(campaignId, 'campaignId') } : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(Activity, where, { orderBy: activityOrder, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Campaign)
  campaign(@Root() a: Activity, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Campaign, 'id').load(a.campaign.id);
  }

  @FieldResolver(() => School, { nullable: true, description: 'The school it was held at, for school activities' })
  school(@Root() a: Activity, @Ctx() ctx: SubgraphContext) {
    return a.school ? ctx.loaders.one(School, 'id').load(a.school.id) : null;
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'The enterprise it was held at, for workplace activities' })
  enterprise(@Root() a: Activity, @Ctx() ctx: SubgraphContext) {
    return a.enterprise ? ctx.loaders.one(Enterprise, 'id').load(a.enterprise.id) : null;
  }

  @FieldResolver(() => Commune)
  commune(@Root() a: Activity) {
    return communeOf(a.communeCode);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Scopes('education:read', 'aggregate:read')
  @Query(() => Enterprise, { nullable: true, description: 'One enterprise by id' })
  enterprise(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Enterprise, 'id').load(intArgument(id, 'id'));
  }

  @Scopes('education:read', 'aggregate:read')
  @Query(() => EnterprisePage, { description: 'Enterprises, optionally of one commune, in (true) or outside (false) industrial parks, by commune' })
  async enterprises(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('inIndustrialPark', () => Boolean, { nullable: true }) inIndustrialPark: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = {
      ...(communeCode ? { communeCode } : {}),
      ...(inIndustrialPark != null ? { industrialPark: inIndustrialPark ? { $ne: null } : null } : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(Enterprise, where, { orderBy: { communeCode: 'asc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune)
  commune(@Root() e: Enterprise) {
    return communeOf(e.communeCode);
  }

  @FieldResolver(() => [Activity], { description: 'Hoạt động held at this enterprise in the period' })
  async activities(@Root() e: Enterprise, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Activity, 'enterprise', { where: periodWhere('heldOn', period), orderBy: activityOrder, page }).load(e.id);
  }

  @FieldResolver(() => Int, { description: 'Lượt công nhân, người lao động reached at this enterprise in the period (sum of participants; a worker attending twice counts twice)' })
  workersReached(@Root() e: Enterprise, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.sum(Activity, 'enterprise', 'participants', periodWhere('heldOn', period)).load(e.id);
  }
}

@Resolver(() => MediaOutlet)
export class MediaOutletResolver {
  @Scopes('education:read', 'aggregate:read')
  @Query(() => MediaOutlet, { nullable: true, description: 'One press outlet by id' })
  mediaOutlet(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(MediaOutlet, 'id').load(intArgument(id, 'id'));
  }

  @Scopes('education:read', 'aggregate:read')
  @Query(() => MediaOutletPage, { description: 'Province-level press outlets (cơ quan báo chí), optionally only main ones, of one kind, or with/without a column, by name' })
  async mediaOutlets(
    @Args() page: PageArgs,
    @Arg('main', () => Boolean, { nullable: true }) main: boolean | undefined,
    @Arg('kind', () => MediaOutletKind, { nullable: true }) kind: MediaOutletKind | undefined,
    @Arg('withColumn', () => Boolean, { nullable: true, description: 'Only outlets with (true) or without (false) a dedicated column' }) withColumn: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const where = {
      ...(main != null ? { main } : {}),
      ...(kind ? { kind } : {}),
      ...(withColumn != null ? { columnSince: withColumn ? { $ne: null } : null } : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(MediaOutlet, where, { orderBy: { name: 'asc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @Scopes('aggregate:read', 'education:read')
  @FieldResolver(() => [School], { nullable: true, description: 'Schools in this commune' })
  async schools(@Root() c: Commune, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(School, 'communeCode', { orderBy: { id: 'asc' }, page }).load(c.code);
  }

  @Scopes('aggregate:read', 'education:read')
  @FieldResolver(() => [Enterprise], { nullable: true, description: 'Enterprises (doanh nghiệp) in this commune, in and outside industrial parks' })
  async enterprises(@Root() c: Commune, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Enterprise, 'communeCode', { orderBy: { id: 'asc' }, page }).load(c.code);
  }

  @Scopes('aggregate:read', 'education:read')
  @FieldResolver(() => Int, { nullable: true, description: 'Number of schools in this commune' })
  schoolCount(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(School, 'communeCode').load(c.code);
  }

  @Scopes('aggregate:read', 'education:read')
  @FieldResolver(() => [Activity], { nullable: true, description: 'Hoạt động tuyên truyền held in this commune in the period' })
  async awarenessActivities(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Activity, 'communeCode', { where: periodWhere('heldOn', period), orderBy: activityOrder, page }).load(c.code);
  }

  @Scopes('aggregate:read', 'education:read')
  @FieldResolver(() => Int, { nullable: true, description: 'Number of awareness activities held in this commune in the period' })
  awarenessActivityCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(Activity, 'communeCode', periodWhere('heldOn', period)).load(c.code);
  }

  @Scopes('aggregate:read', 'education:read')
  @FieldResolver(() => Int, { nullable: true, description: 'Participants reached (lượt người được tuyên truyền) by activities in this commune in the period' })
  participantsReached(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.sum(Activity, 'communeCode', 'participants', periodWhere('heldOn', period)).load(c.code);
  }
}

export const resolvers = [
  CampaignResolver,
  SchoolResolver,
  ActivityResolver,
  EnterpriseResolver,
  MediaOutletResolver,
  CommuneResolver,
  ...figures.resolvers(CommunePeriod, ProvincePeriod),
] as const;

export const references = {
  Campaign: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(Campaign, 'id').load(Number(ref.id)),
  },
  School: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(School, 'id').load(Number(ref.id)),
  },
  Enterprise: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(Enterprise, 'id').load(Number(ref.id)),
  },
  MediaOutlet: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(MediaOutlet, 'id').load(Number(ref.id)),
  },
  Commune: {
    __resolveReference: (ref: { code: string }) => communeOf(ref.code),
  },
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
