import {
  checkCitizenIdArgument,
  checkCommuneCodeArgument,
  checkPage,
  communePeriodStub,
  communeStub,
  given,
  LocalDate,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodReferences,
  periodWhere,
  provincePeriodStub,
  stubRef,
  type SubgraphContext,
  substanceStub,
} from '@pcmt/kit';
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  CaseRoute,
  CaseSeizedItem,
  CaseStatus,
  CaseSuspect,
  CommuneDrugSituation,
  CultivationSite,
  DrugCase,
  DrugSituationClass,
  Hotspot,
  HotspotKind,
  ManagedCategory,
  ManagementFile,
  PENAL_ARTICLES,
  Person,
  PlantKind,
  RetailDealer,
  RetailDealerStatus,
  VenueType,
  WantedPerson,
} from './entities.js';
import { figures, openOnDay } from './figures.js';
import { hotspotActive } from './writes.js';

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

export const Substance = substanceStub();
export type Substance = InstanceType<typeof Substance>;

export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;

export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

const communeOf = (code: string): Commune => stubRef(Commune, { code });

const PersonPage = PageOf(Person);
const DrugCasePage = PageOf(DrugCase);
const HotspotPage = PageOf(Hotspot);
const ManagementFilePage = PageOf(ManagementFile);
const RetailDealerPage = PageOf(RetailDealer);
const CultivationSitePage = PageOf(CultivationSite);
const WantedPersonPage = PageOf(WantedPerson);
const CommuneDrugSituationPage = PageOf(CommuneDrugSituation);

/** `{ column: null }` or `{ column: { $ne: null } }` for a yes/no filter on a date being set. */
const isSet = (column: string, flag: boolean | undefined | null): Record<string, unknown> =>
  flag == null ? {} : { [column]: flag ? { $ne: null } : null };

@Resolver(() => Person)
export class PersonResolver {
  @Directive('@tag(name: "scope:person:identity")')
  @Query(() => Person, { nullable: true, description: 'One person by citizen ID' })
  async person(@Arg('citizenId', () => ID) citizenId: string, @Ctx() ctx: SubgraphContext) {
    checkCitizenIdArgument(citizenId);
    const person = await ctx.loaders.one(Person, 'citizenId').load(citizenId);
    // Looked up directly, a person is found in the area they live in (reached through a case or file, wherever).
    await ctx.area.ready;
    return person && ctx.area.covers(person.communeCode) ? person : null;
  }

  @Directive('@tag(name: "scope:person:identity")')
  @Directive('@tag(name: "scope:person:pseudonym")')
  @Query(() => PersonPage, { description: 'Persons in the register, optionally of one commune, by citizen ID' })
  async persons(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const where = { ...(communeCode ? { communeCode } : {}), ...(await ctx.area.where()) };
    const [items, totalCount] = await ctx.em.findAndCount(Person, where, { orderBy: { citizenId: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune, { nullable: true, description: 'Commune of residence' })
  commune(@Root() person: Person) {
    return communeOf(person.communeCode);
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [ManagementFile], { nullable: true, description: 'Hồ sơ quản lý kept for this person' })
  managementFiles(@Root() person: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(ManagementFile, 'person', { orderBy: { openedOn: 'asc' } }).load(person.citizenId);
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [CaseSuspect], { nullable: true, description: 'Cases this person is a suspect in' })
  suspectIn(@Root() person: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CaseSuspect, 'person', { orderBy: { id: 'asc' } }).load(person.citizenId);
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [WantedPerson], { nullable: true, description: 'Wanted notices (truy nã) for this person' })
  async wantedNotices(@Root() person: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(WantedPerson, 'person', { orderBy: { wantedSince: 'asc', id: 'asc' }, page }).load(person.citizenId);
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [RetailDealer], { nullable: true, description: 'Times police recorded this person as a retail dealer' })
  async retailDealing(@Root() person: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(RetailDealer, 'person', { orderBy: { detectedOn: 'asc', id: 'asc' }, page }).load(person.citizenId);
  }
}

@Resolver(() => DrugCase)
export class DrugCaseResolver {
  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "scope:case:status")')
  @Directive('@tag(name: "scope:case:handover")')
  @Query(() => DrugCase, { nullable: true })
  drugCase(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(DrugCase, 'id').load(id);
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "scope:case:status")')
  @Directive('@tag(name: "scope:case:handover")')
  @Query(() => DrugCasePage, { description: 'Drug cases, newest first' })
  async drugCases(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('status', () => CaseStatus, { nullable: true }) status: CaseStatus | undefined,
    @Arg('route', () => CaseRoute, { nullable: true }) route: CaseRoute | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('reportedOn', period), ...given({ communeCode, status, route }) };
    const [items, totalCount] = await ctx.em.findAndCount(DrugCase, where, { orderBy: { reportedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Directive('@tag(name: "scope:police:read")')
  @FieldResolver(() => Commune)
  commune(@Root() c: DrugCase) {
    return communeOf(c.communeCode);
  }

  @Directive('@tag(name: "scope:police:read")')
  @FieldResolver(() => String, { description: 'Tên tội danh: title of the Penal Code article, in Vietnamese' })
  penalArticleTitle(@Root() c: DrugCase) {
    return PENAL_ARTICLES[c.article] ?? `Điều ${c.article}`;
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [CaseSuspect])
  suspects(@Root() c: DrugCase, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CaseSuspect, 'drugCase', { orderBy: { id: 'asc' } }).load(c.id);
  }

  @Directive('@tag(name: "scope:police:read")')
  @FieldResolver(() => [CaseSeizedItem], { description: 'Tang vật: the substances seized in the case' })
  async seizedItems(@Root() c: DrugCase, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CaseSeizedItem, 'drugCase', { orderBy: { id: 'asc' }, page }).load(c.id);
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [WantedPerson], { description: 'Wanted notices issued in the case' })
  async wantedPersons(@Root() c: DrugCase, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(WantedPerson, 'drugCase', { orderBy: { wantedSince: 'asc', id: 'asc' }, page }).load(c.id);
  }
}

@Resolver(() => CaseSeizedItem)
export class CaseSeizedItemResolver {
  @FieldResolver(() => Substance)
  substance(@Root() i: CaseSeizedItem) {
    return stubRef(Substance, { code: i.substanceCode });
  }

  @FieldResolver(() => DrugCase)
  drugCase(@Root() i: CaseSeizedItem, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(DrugCase, 'id').load(i.drugCase.id);
  }
}

@Resolver(() => CaseSuspect)
export class CaseSuspectResolver {
  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => Person)
  person(@Root() s: CaseSuspect, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Person, 'citizenId').load(s.person.citizenId);
  }

  @FieldResolver(() => DrugCase)
  drugCase(@Root() s: CaseSuspect, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(DrugCase, 'id').load(s.drugCase.id);
  }
}

@Resolver(() => ManagementFile)
export class ManagementFileResolver {
  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @Query(() => ManagementFilePage, { description: 'Hồ sơ quản lý, newest first; `openOn` keeps the files open on that day' })
  async managementFiles(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('category', () => ManagedCategory, { nullable: true }) category: ManagedCategory | undefined,
    @Arg('openOn', () => LocalDate, { nullable: true, description: 'Only files open on this day' }) openOn: string | undefined,
    @Arg('psychosisRisk', () => Boolean, { nullable: true }) psychosisRisk: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('openedOn', period), ...given({ communeCode, category, psychosisRisk }), ...(openOn ? openOnDay(openOn) : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(ManagementFile, where, { orderBy: { openedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => Person)
  person(@Root() f: ManagementFile, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Person, 'citizenId').load(f.person.citizenId);
  }

  @FieldResolver(() => Commune)
  commune(@Root() f: ManagementFile) {
    return communeOf(f.communeCode);
  }
}

@Resolver(() => Hotspot)
export class HotspotResolver {
  @Directive('@tag(name: "scope:police:read")')
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
  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
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

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
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
  @Directive('@tag(name: "scope:police:read")')
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

@Resolver(() => WantedPerson)
export class WantedPersonResolver {
  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @Query(() => WantedPersonPage, { description: 'Đối tượng truy nã, newest notice first; the period filters the notice date' })
  async wantedPersons(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: 'Commune of residence of the person' }) communeCode: string | undefined,
    @Arg('caught', () => Boolean, { nullable: true, description: 'true: caught; false: still at large' }) caught: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('wantedSince', period), ...(communeCode ? { person: { communeCode } } : {}), ...isSet('caughtOn', caught) };
    const [items, totalCount] = await ctx.em.findAndCount(WantedPerson, where, { orderBy: { wantedSince: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => Person)
  person(@Root() w: WantedPerson, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Person, 'citizenId').load(w.person.citizenId);
  }

  @FieldResolver(() => DrugCase, { nullable: true })
  drugCase(@Root() w: WantedPerson, @Ctx() ctx: SubgraphContext) {
    return w.drugCase ? ctx.loaders.one(DrugCase, 'id').load(w.drugCase.id) : null;
  }
}

@Resolver(() => CommuneDrugSituation)
export class CommuneDrugSituationResolver {
  @Directive('@tag(name: "scope:police:read")')
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
  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [DrugCase], { nullable: true, description: 'Drug cases reported in this commune' })
  async drugCases(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders
      .many(DrugCase, 'communeCode', { where: periodWhere('reportedOn', period), orderBy: { reportedOn: 'desc', id: 'asc' }, page })
      .load(c.code);
  }

  @Directive('@tag(name: "scope:aggregate:read")')
  @Directive('@tag(name: "scope:police:read")')
  @FieldResolver(() => Int, { nullable: true, description: 'Number of drug cases reported in the period' })
  drugCaseCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(DrugCase, 'communeCode', periodWhere('reportedOn', period)).load(c.code);
  }

  @Directive('@tag(name: "scope:police:read")')
  @FieldResolver(() => [Hotspot], { nullable: true, description: 'Điểm, tụ điểm ma túy detected in this commune (in the period, when one is given)' })
  async hotspots(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Hotspot, 'communeCode', { where: periodWhere('detectedOn', period), orderBy: { detectedOn: 'desc', id: 'asc' }, page }).load(c.code);
  }

  @Directive('@tag(name: "scope:aggregate:read")')
  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "small-cell")')
  @FieldResolver(() => Int, { nullable: true, description: 'Management files open (not closed) for persons of this commune' })
  managedPersonCount(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(ManagementFile, 'communeCode', { closedOn: null }).load(c.code);
  }

  @Directive('@tag(name: "scope:police:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [RetailDealer], { nullable: true, description: 'Đối tượng bán lẻ detected in this commune (in the period, when one is given)' })
  async retailDealers(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(RetailDealer, 'communeCode', { where: periodWhere('detectedOn', period), orderBy: { detectedOn: 'desc', id: 'asc' }, page }).load(c.code);
  }

  @Directive('@tag(name: "scope:police:read")')
  @FieldResolver(() => [CultivationSite], { nullable: true, description: 'Illegal cultivation sites detected in this commune (in the period, when one is given)' })
  async cultivationSites(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CultivationSite, 'communeCode', { where: periodWhere('detectedOn', period), orderBy: { detectedOn: 'desc', id: 'asc' }, page }).load(c.code);
  }

  @Directive('@tag(name: "scope:police:read")')
  @FieldResolver(() => [CommuneDrugSituation], { nullable: true, description: 'Phân loại theo tình hình ma túy, one per year, newest first' })
  async drugSituations(@Root() c: Commune, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CommuneDrugSituation, 'communeCode', { orderBy: { year: 'desc' }, page }).load(c.code);
  }
}

export const resolvers = [
  PersonResolver,
  DrugCaseResolver,
  CaseSeizedItemResolver,
  CaseSuspectResolver,
  ManagementFileResolver,
  HotspotResolver,
  RetailDealerResolver,
  CultivationSiteResolver,
  WantedPersonResolver,
  CommuneDrugSituationResolver,
  CommuneResolver,
  ...figures.resolvers(CommunePeriod, ProvincePeriod),
] as const;

export const references = {
  Person: {
    __resolveReference: (ref: { citizenId: string }, ctx: SubgraphContext) => ctx.loaders.one(Person, 'citizenId').load(ref.citizenId),
  },
  DrugCase: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(DrugCase, 'id').load(ref.id),
  },
  Commune: {
    __resolveReference: (ref: { code: string }) => communeOf(ref.code),
  },
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
