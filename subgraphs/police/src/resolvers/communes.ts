import {
  checkCommuneCodeArgument,
  checkPage,
  given,
  nowCount,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodWhere,
  Scopes,
  Sensitive,
  SmallCell,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { CommuneDrugSituation, CultivationSite, DrugCase, DrugSituationClass, Hotspot, ManagementFile, RetailDealer } from '../entities.js';
import { Commune, communeOf } from './shared.js';

// The communes' drug-situation classification, and what police add to Commune.

const CommuneDrugSituationPage = PageOf(CommuneDrugSituation);

@Resolver(() => CommuneDrugSituation)
export class CommuneDrugSituationResolver {
  @Scopes('police:read')
  @Query(() => CommuneDrugSituationPage, { description: 'Phân loại xã theo tình hình ma túy, by year (newest first) and commune' })
  async communeDrugSituations(
    @Args() page: PageArgs,
    @Arg('year', () => Int, { nullable: true }) year: number | undefined,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('classification', () => DrugSituationClass, { nullable: true }) classification: DrugSituationClass | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = given({ year, communeCode, classification });
    const [items, totalCount] = await ctx.em.findAndCount(CommuneDrugSituation, where, { orderBy: { year: 'desc', communeCode: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune)
  commune(@Root() c: CommuneDrugSituation) {
    return communeOf(c.communeCode);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => [DrugCase], { nullable: true, description: 'Drug cases reported in this commune' })
  async drugCases(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders
      .many(DrugCase, 'communeCode', { where: periodWhere('reportedOn', period), orderBy: { reportedOn: 'desc', id: 'asc' }, page })
      .load(c.code);
  }

  @Scopes('aggregate:read', 'police:read')
  @FieldResolver(() => Int, { nullable: true, description: 'Number of drug cases reported in the period' })
  drugCaseCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(DrugCase, 'communeCode', periodWhere('reportedOn', period)).load(c.code);
  }

  @Scopes('police:read')
  @FieldResolver(() => [Hotspot], { nullable: true, description: 'Điểm, tụ điểm ma túy detected in this commune (in the period, when one is given)' })
  async hotspots(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Hotspot, 'communeCode', { where: periodWhere('detectedOn', period), orderBy: { detectedOn: 'desc', id: 'asc' }, page }).load(c.code);
  }

  @Scopes('aggregate:read', 'police:read')
  @SmallCell()
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Management files open (not closed) for persons of this commune, now. Withheld (FORBIDDEN) from callers who may not see identities (no person:identity): two reads around one change would name it; they read CommunePeriod.managedPersons (files open on the last day of a period, small cells withheld)',
  })
  managedPersonCount(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return nowCount(ctx, 'managedPersonCount', 'CommunePeriod.managedPersons', () => ctx.loaders.count(ManagementFile, 'communeCode', { closedOn: null }).load(c.code));
  }

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => [RetailDealer], { nullable: true, description: 'Đối tượng bán lẻ detected in this commune (in the period, when one is given)' })
  async retailDealers(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(RetailDealer, 'communeCode', { where: periodWhere('detectedOn', period), orderBy: { detectedOn: 'desc', id: 'asc' }, page }).load(c.code);
  }

  @Scopes('police:read')
  @FieldResolver(() => [CultivationSite], { nullable: true, description: 'Illegal cultivation sites detected in this commune (in the period, when one is given)' })
  async cultivationSites(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CultivationSite, 'communeCode', { where: periodWhere('detectedOn', period), orderBy: { detectedOn: 'desc', id: 'asc' }, page }).load(c.code);
  }

  @Scopes('police:read')
  @FieldResolver(() => [CommuneDrugSituation], { nullable: true, description: 'Phân loại theo tình hình ma túy, one per year, newest first' })
  async drugSituations(@Root() c: Commune, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CommuneDrugSituation, 'communeCode', { orderBy: { year: 'desc' }, page }).load(c.code);
  }
}
