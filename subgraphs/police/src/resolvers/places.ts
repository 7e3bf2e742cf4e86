import {
  checkCommuneCodeArgument,
  checkPage,
  given,
  intArgument,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodWhere,
  Scopes,
  Sensitive,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { hotspotActive } from '../calculations.js';
import { CultivationSite, Hotspot, HotspotKind, Person, PlantKind, RetailDealer, RetailDealerStatus, VenueType } from '../entities.js';
import { Commune, communeOf, isSet } from './shared.js';

// What is found on the ground in a commune: hotspots, retail dealers, illegal cultivation.

const HotspotPage = PageOf(Hotspot);
const RetailDealerPage = PageOf(RetailDealer);
const CultivationSitePage = PageOf(CultivationSite);

@Resolver(() => Hotspot)
export class HotspotResolver {
  @Scopes('police:read')
  @Query(() => HotspotPage, { description: 'Điểm, tụ điểm ma túy, newest first; the period filters the detection date' })
  async hotspots(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('kind', () => HotspotKind, { nullable: true }) kind: HotspotKind | undefined,
    @Arg('venueType', () => VenueType, { nullable: true }) venueType: VenueType | undefined,
    @Arg('dismantled', () => Boolean, { nullable: true, description: 'true: dismantled at least once; false: never dismantled' }) dismantled: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('detectedOn', period), ...given({ communeCode, kind, venueType }), ...isSet('dismantledOn', dismantled) };
    const [items, totalCount] = await ctx.em.findAndCount(Hotspot, where, { orderBy: { detectedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Boolean, { description: 'Still operating: never dismantled, or back after its latest dismantling' })
  active(@Root() h: Hotspot) {
    return hotspotActive(h);
  }

  @FieldResolver(() => Commune)
  commune(@Root() h: Hotspot) {
    return communeOf(h.communeCode);
  }
}

@Resolver(() => RetailDealer)
export class RetailDealerResolver {
  // By id, as the health and legal-aid records are: the gateway reads a write's record through it to audit its person.
  @Scopes('police:read')
  @Sensitive()
  @Query(() => RetailDealer, { nullable: true, description: 'Một đối tượng bán lẻ: one retail dealer by id' })
  retailDealer(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(RetailDealer, 'id').load(intArgument(id));
  }

  @Scopes('police:read')
  @Sensitive()
  @Query(() => RetailDealerPage, { description: 'Đối tượng bán lẻ, newest first; the period filters the detection date' })
  async retailDealers(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('status', () => RetailDealerStatus, { nullable: true }) status: RetailDealerStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('detectedOn', period), ...given({ communeCode, status }) };
    const [items, totalCount] = await ctx.em.findAndCount(RetailDealer, where, { orderBy: { detectedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => Person)
  person(@Root() d: RetailDealer, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Person, 'citizenId').load(d.person.citizenId);
  }

  @FieldResolver(() => Commune, { description: 'Địa bàn hoạt động' })
  commune(@Root() d: RetailDealer) {
    return communeOf(d.communeCode);
  }
}

@Resolver(() => CultivationSite)
export class CultivationSiteResolver {
  @Scopes('police:read')
  @Query(() => CultivationSitePage, { description: 'Diện tích trồng cây có chứa chất ma túy, newest first; the period filters the detection date' })
  async cultivationSites(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('plant', () => PlantKind, { nullable: true }) plant: PlantKind | undefined,
    @Arg('destroyed', () => Boolean, { nullable: true }) destroyed: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('detectedOn', period), ...given({ communeCode, plant }), ...isSet('destroyedOn', destroyed) };
    const [items, totalCount] = await ctx.em.findAndCount(CultivationSite, where, { orderBy: { detectedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune)
  commune(@Root() c: CultivationSite) {
    return communeOf(c.communeCode);
  }
}
