import {
  checkCommuneCodeArgument,
  checkPage,
  communePeriodStub,
  communeStub,
  drugCaseStub,
  LocalDate,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodReferences,
  periodWhere,
  personStub,
  provincePeriodStub,
  Scopes,
  Sensitive,
  slicePage,
  stubRef,
  type SubgraphContext,
  substanceStub,
} from '@pcmt/kit';
import { raw, type FilterQuery } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  BorderGate,
  PRECURSOR_CODES,
  PrecursorDirection,
  PrecursorLicence,
  PrecursorViolation,
  PrecursorViolationKind,
  SeizedItem,
  Seizure,
  SeizureStatus,
  SeizureSuspect,
  SeizingAgency,
  SmuggleRoute,
} from '../entities.js';
import { figures } from '../figures.js';

export const Person = personStub();
export type Person = InstanceType<typeof Person>;

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

export const DrugCase = drugCaseStub();
export type DrugCase = InstanceType<typeof DrugCase>;

export const Substance = substanceStub();
export type Substance = InstanceType<typeof Substance>;

const personOf = (citizenId: string): Person => stubRef(Person, { citizenId });
const communeOf = (code: string): Commune => stubRef(Commune, { code });
const drugCaseOf = (id: string): DrugCase => stubRef(DrugCase, { id });
const substanceOf = (code: string): Substance => stubRef(Substance, { code });

export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;

export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

const SeizurePage = PageOf(Seizure, Seizure.name, ['customs:read']);
const PrecursorLicencePage = PageOf(PrecursorLicence, PrecursorLicence.name, ['customs:read', 'aggregate:read']);
const PrecursorViolationPage = PageOf(PrecursorViolation, PrecursorViolation.name, ['customs:read']);

function checkSeizureId(id: string): void {
  if (!id || id.length > 32) {
    throw new GraphQLError('id must be 1–32 characters', { extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  }
}

const newestFirst = { seizedOn: 'desc', id: 'asc' } as const;

const statusWhere = (status: SeizureStatus) => ({ drugCaseId: status === SeizureStatus.HANDED_OVER ? { $ne: null } : null });

const byNewest = (a: Seizure, b: Seizure): number =>
  a.seizedOn < b.seizedOn ? 1 : a.seizedOn > b.seizedOn ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Kilograms seized per commune for seizures matching `where`: one SUM ... GROUP BY over all
 * communes asked for. The kit's `sum` loader cannot do it: the kilograms are on the items, the
 * commune and the day on the seizure.
 */
function seizedKgLoader(ctx: SubgraphContext, where: FilterQuery<Seizure>): DataLoader<string, number> {
  return ctx.loaders.get(`customs:seizedKg:${JSON.stringify(where)}`, () =>
    new DataLoader<string, number>(async (codes) => {
      const qb = ctx.em
        .createQueryBuilder(SeizedItem, 'i')
        .join('i.seizure', 's')
        .select([raw('s.commune_code as code'), raw('sum(i.kg_equivalent) as kg')] as any)
        .where({ seizure: { communeCode: { $in: [...codes] }, ...(where as object) } } as any)
        .groupBy('s.communeCode' as any);
      await qb.applyFilters();
      const rows: Array<{ code: string; kg: number | string | null }> = await qb.execute('all', false);
      // PostgreSQL may hand numeric aggregates back as strings.
      const byCode = new Map(rows.map((r) => [String(r.code), Number(r.kg ?? 0)]));
      return codes.map((c) => byCode.get(c) ?? 0);
    }, ctx.loaders.options),
  );
}

@Resolver(() => Seizure)
export class SeizureResolver {
  @Scopes('customs:read')
  @Sensitive()
  @Query(() => Seizure, { nullable: true, description: 'One seizure by its number' })
  seizure(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    checkSeizureId(id);
    return ctx.loaders.one(Seizure, 'id').load(id);
  }

  @Scopes('customs:read')
  @Sensitive()
  @Query(() => SeizurePage, { description: 'Seizures, newest first, optionally of one commune, agency, route or status; the period is by seizure day' })
  async seizures(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('agency', () => SeizingAgency, { nullable: true }) agency: SeizingAgency | undefined,
    @Arg('route', () => SmuggleRoute, { nullable: true }) route: SmuggleRoute | undefined,
    @Arg('status', () => SeizureStatus, { nullable: true }) status: SeizureStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = {
      ...periodWhere('seizedOn', period),
      ...(communeCode ? { communeCode } : {}),
      ...(agency ? { agency } : {}),
      ...(route ? { route } : {}),
      ...(status ? statusWhere(status) : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(Seizure, where, { orderBy: newestFirst, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => BorderGate, { nullable: true, description: 'Gate, port or hub where it was seized; null when caught on patrol' })
  gate(@Root() s: Seizure, @Ctx() ctx: SubgraphContext) {
    return s.gate ? ctx.loaders.one(BorderGate, 'id').load(s.gate.id) : null;
  }

  @FieldResolver(() => Commune)
  commune(@Root() s: Seizure) {
    return communeOf(s.communeCode);
  }

  @FieldResolver(() => [SeizedItem], { description: 'Tang vật: what was seized' })
  async items(@Root() s: Seizure, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(SeizedItem, 'seizure', { orderBy: { id: 'asc' }, page }).load(s.id);
  }

  // Suspects are criminal-procedure data about identifiable persons.
  @Scopes('customs:read')
  @Sensitive()
  @FieldResolver(() => [Person], { description: 'Persons held in the seizure (đối tượng bị bắt giữ)' })
  async suspects(@Root() s: Seizure, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    const links = await ctx.loaders.many(SeizureSuspect, 'seizure', { orderBy: { id: 'asc' }, page }).load(s.id);
    return links.map((l) => personOf(l.citizenId));
  }

  @FieldResolver(() => SeizureStatus)
  status(@Root() s: Seizure) {
    return s.drugCaseId ? SeizureStatus.HANDED_OVER : SeizureStatus.HELD;
  }

  @Scopes('customs:read')
  @FieldResolver(() => DrugCase, { nullable: true, description: 'Police case the seizure was handed over to (bàn giao); null when not handed over' })
  handedOverTo(@Root() s: Seizure) {
    return s.drugCaseId ? drugCaseOf(s.drugCaseId) : null;
  }
}

@Resolver(() => SeizedItem)
export class SeizedItemResolver {
  @FieldResolver(() => Substance)
  substance(@Root() i: SeizedItem) {
    return substanceOf(i.substanceCode);
  }

  @FieldResolver(() => Seizure)
  seizure(@Root() i: SeizedItem, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Seizure, 'id').load(i.seizure.id);
  }
}

@Resolver(() => BorderGate)
export class BorderGateResolver {
  @Scopes('customs:read', 'aggregate:read')
  @Query(() => [BorderGate], { description: 'Border gates, ports and postal hubs, by code' })
  borderGates(@Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    const { limit, offset } = checkPage(page);
    return ctx.em.find(BorderGate, {}, { orderBy: { code: 'asc' }, limit, offset });
  }

  @FieldResolver(() => Commune)
  commune(@Root() g: BorderGate) {
    return communeOf(g.communeCode);
  }

  @Scopes('aggregate:read', 'customs:read')
  @FieldResolver(() => Int, { description: 'Seizures made at this gate in the period' })
  seizureCount(@Root() g: BorderGate, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(Seizure, 'gate', periodWhere('seizedOn', period)).load(g.id);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  // Police may see which seizures a person is suspected in; the seizures' details stay customs'.
  @Scopes('customs:read', 'customs:person-seizures')
  @Sensitive()
  @FieldResolver(() => [Seizure], { nullable: true, description: 'Seizures this person was held in, newest first' })
  async seizuresAsSuspect(@Root() p: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    // Two batched loads (links, then seizures) whatever the number of persons.
    const links = await ctx.loaders.many(SeizureSuspect, 'citizenId', { orderBy: { id: 'asc' } }).load(p.citizenId);
    const seizures = await ctx.loaders.one(Seizure, 'id').loadMany(links.map((l) => l.seizure.id));
    return slicePage(seizures.filter((s): s is Seizure => s instanceof Seizure).sort(byNewest), page);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @Scopes('customs:read')
  @Sensitive()
  @FieldResolver(() => [Seizure], { nullable: true, description: 'Seizures made in this commune, newest first' })
  async seizures(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Seizure, 'communeCode', { where: periodWhere('seizedOn', period), orderBy: newestFirst, page }).load(c.code);
  }

  @Scopes('aggregate:read', 'customs:read')
  @FieldResolver(() => Int, { nullable: true, description: 'Number of seizures made in this commune in the period' })
  seizureCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(Seizure, 'communeCode', periodWhere('seizedOn', period)).load(c.code);
  }

  @Scopes('aggregate:read', 'customs:read')
  @FieldResolver(() => Float, { nullable: true, description: 'Kilograms seized in this commune in the period (tổng khối lượng quy đổi)' })
  seizedKgEquivalent(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return seizedKgLoader(ctx, periodWhere('seizedOn', period)).load(c.code);
  }

  @Scopes('customs:read')
  @FieldResolver(() => [PrecursorViolation], { nullable: true, description: 'Precursor violations found in this commune, newest first; the period is by detection day' })
  async precursorViolations(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(PrecursorViolation, 'communeCode', { where: periodWhere('detectedOn', period), orderBy: { detectedOn: 'desc', id: 'asc' }, page }).load(c.code);
  }
}

@Resolver(() => PrecursorLicence)
export class PrecursorLicenceResolver {
  @Scopes('customs:read', 'aggregate:read')
  @Query(() => PrecursorLicence, { nullable: true, description: 'One precursor licence by its number (số giấy phép)' })
  precursorLicence(@Arg('licenceNo') licenceNo: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(PrecursorLicence, 'licenceNo').load(licenceNo);
  }

  @Scopes('customs:read', 'aggregate:read')
  @Query(() => PrecursorLicencePage, { description: 'Precursor import/export licences, newest validity first' })
  async precursorLicences(
    @Args() page: PageArgs,
    @Arg('substanceCode', () => String, { nullable: true }) substanceCode: string | undefined,
    @Arg('direction', () => PrecursorDirection, { nullable: true }) direction: PrecursorDirection | undefined,
    @Arg('validOn', () => LocalDate, { nullable: true, description: 'Only licences in force on this day' }) validOn: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (substanceCode && !(PRECURSOR_CODES as readonly string[]).includes(substanceCode)) {
      throw new GraphQLError(`substanceCode must be one of ${PRECURSOR_CODES.join(', ')}`, { extensions: { code: 'BAD_USER_INPUT', field: 'substanceCode' } });
    }
    const where = {
      ...(substanceCode ? { substanceCode } : {}),
      ...(direction ? { direction } : {}),
      ...(validOn ? { validFrom: { $lte: validOn }, validTo: { $gte: validOn } } : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(PrecursorLicence, where, { orderBy: { validFrom: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Substance, { description: 'The precursor licensed' })
  substance(@Root() l: PrecursorLicence) {
    return substanceOf(l.substanceCode);
  }

  // Violations are customs records, not reference data: not open to aggregate readers like the licence.
  @Scopes('customs:read')
  @FieldResolver(() => [PrecursorViolation], { description: 'Violations found on shipments declared under this licence, newest first' })
  async violations(@Root() l: PrecursorLicence, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(PrecursorViolation, 'licence', { orderBy: { detectedOn: 'desc', id: 'asc' }, page }).load(l.id);
  }
}

@Resolver(() => PrecursorViolation)
export class PrecursorViolationResolver {
  @Scopes('customs:read')
  @Query(() => PrecursorViolationPage, { description: 'Precursor violations, newest first; the period is by detection day' })
  async precursorViolations(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('kind', () => PrecursorViolationKind, { nullable: true }) kind: PrecursorViolationKind | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('detectedOn', period), ...(communeCode ? { communeCode } : {}), ...(kind ? { kind } : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(PrecursorViolation, where, { orderBy: { detectedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => PrecursorLicence, { nullable: true, description: 'Licence the shipment was declared under; null when it had none' })
  licence(@Root() v: PrecursorViolation, @Ctx() ctx: SubgraphContext) {
    return v.licence ? ctx.loaders.one(PrecursorLicence, 'id').load(v.licence.id) : null;
  }

  @FieldResolver(() => Substance)
  substance(@Root() v: PrecursorViolation) {
    return substanceOf(v.substanceCode);
  }

  @FieldResolver(() => Commune)
  commune(@Root() v: PrecursorViolation) {
    return communeOf(v.communeCode);
  }
}

export const resolvers = [
  SeizureResolver,
  SeizedItemResolver,
  BorderGateResolver,
  PersonResolver,
  CommuneResolver,
  PrecursorLicenceResolver,
  PrecursorViolationResolver,
  ...figures.resolvers(CommunePeriod, ProvincePeriod),
] as const;

export const references = {
  Seizure: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(Seizure, 'id').load(ref.id),
  },
  BorderGate: {
    __resolveReference: (ref: { id: string | number }, ctx: SubgraphContext) => ctx.loaders.one(BorderGate, 'id').load(Number(ref.id)),
  },
  Person: {
    __resolveReference: (ref: { citizenId: string }) => personOf(ref.citizenId),
  },
  Commune: {
    __resolveReference: (ref: { code: string }) => communeOf(ref.code),
  },
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
