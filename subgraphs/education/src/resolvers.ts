import { communeStub, stubRef, checkPage, PageArgs, PageOf, PeriodArgs, periodBounds, periodWhere, slicePage, type SubgraphContext } from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Activity, Campaign, CampaignChannel, School, SchoolLevel } from './entities.js';

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

const communeOf = (code: string): Commune => stubRef(Commune, { code });

const CampaignPage = PageOf(Campaign);
const SchoolPage = PageOf(School);

const COMMUNE_CODE = /^\d{5}$/;

/** GraphQL IDs arrive as strings; our keys are integers. */
function intId(id: string | number, field: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new GraphQLError(`${field} must be a positive integer`, { extensions: { code: 'BAD_USER_INPUT', field } });
  }
  return n;
}

function checkCommuneCode(code: string): void {
  if (!COMMUNE_CODE.test(code)) {
    throw new GraphQLError('communeCode must be 5 digits', { extensions: { code: 'BAD_USER_INPUT', field: 'communeCode' } });
  }
}

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
  @Query(() => Campaign, { nullable: true, description: 'One campaign by id' })
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Campaign, 'id').load(intId(id, 'id'));
  }

  @Query(() => CampaignPage, { description: 'Campaigns running in the period, optionally of one channel, newest first' })
  async campaigns(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('channel', () => CampaignChannel, { nullable: true }) channel: CampaignChannel | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const where = { ...campaignPeriodWhere(period), ...(channel ? { channel } : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(Campaign, where, { orderBy: { startsOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => [Activity], { description: 'Hoạt động of this campaign held in the period' })
  async activities(@Root() c: Campaign, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    const rows = await ctx.loaders.many(Activity, 'campaign', { where: periodWhere('heldOn', period), orderBy: activityOrder }).load(c.id);
    return slicePage(rows, page);
  }
}

@Resolver(() => School)
export class SchoolResolver {
  @Query(() => School, { nullable: true, description: 'One school by id' })
  school(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(School, 'id').load(intId(id, 'id'));
  }

  @Query(() => SchoolPage, { description: 'Schools, optionally of one commune and level, by commune' })
  async schools(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('level', () => SchoolLevel, { nullable: true }) level: SchoolLevel | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCode(communeCode);
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
    const rows = await ctx.loaders.many(Activity, 'school', { where: periodWhere('heldOn', period), orderBy: activityOrder }).load(s.id);
    return slicePage(rows, page);
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
  @FieldResolver(() => Campaign)
  campaign(@Root() a: Activity, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Campaign, 'id').load(a.campaign.id);
  }

  @FieldResolver(() => School, { nullable: true, description: 'The school it was held at, for school activities' })
  school(@Root() a: Activity, @Ctx() ctx: SubgraphContext) {
    return a.school ? ctx.loaders.one(School, 'id').load(a.school.id) : null;
  }

  @FieldResolver(() => Commune)
  commune(@Root() a: Activity) {
    return communeOf(a.communeCode);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @FieldResolver(() => [School], { description: 'Schools in this commune' })
  schools(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(School, 'communeCode', { orderBy: { id: 'asc' } }).load(c.code);
  }

  @FieldResolver(() => Int, { description: 'Number of schools in this commune' })
  schoolCount(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(School, 'communeCode').load(c.code);
  }

  @FieldResolver(() => [Activity], { description: 'Hoạt động tuyên truyền held in this commune in the period' })
  async awarenessActivities(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    const rows = await ctx.loaders.many(Activity, 'communeCode', { where: periodWhere('heldOn', period), orderBy: activityOrder }).load(c.code);
    return slicePage(rows, page);
  }

  @FieldResolver(() => Int, { description: 'Number of awareness activities held in this commune in the period' })
  awarenessActivityCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(Activity, 'communeCode', periodWhere('heldOn', period)).load(c.code);
  }

  @FieldResolver(() => Int, { description: 'Participants reached (lượt người được tuyên truyền) by activities in this commune in the period' })
  participantsReached(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.sum(Activity, 'communeCode', 'participants', periodWhere('heldOn', period)).load(c.code);
  }
}

export const resolvers = [CampaignResolver, SchoolResolver, ActivityResolver, CommuneResolver] as const;

export const references = {
  Campaign: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(Campaign, 'id').load(Number(ref.id)),
  },
  School: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(School, 'id').load(Number(ref.id)),
  },
  Commune: {
    __resolveReference: (ref: { code: string }) => communeOf(ref.code),
  },
};
