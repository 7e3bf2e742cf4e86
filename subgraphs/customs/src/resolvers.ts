import { communeStub, drugCaseStub, personStub, stubRef, substanceStub, checkPage, PageArgs, PageOf, PeriodArgs, periodWhere, slicePage, type SubgraphContext } from '@pcmt/kit';
import { raw } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { BorderGate, SeizedItem, Seizure, SeizureSuspect, SeizingAgency } from './entities.js';

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

const SeizurePage = PageOf(Seizure);

const COMMUNE_CODE = /^\d{5}$/;

function checkCommuneCode(code: string): void {
  if (!COMMUNE_CODE.test(code)) {
    throw new GraphQLError('communeCode must be 5 digits', { extensions: { code: 'BAD_USER_INPUT', field: 'communeCode' } });
  }
}

function checkSeizureId(id: string): void {
  if (!id || id.length > 32) {
    throw new GraphQLError('id must be 1–32 characters', { extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  }
}

const newestFirst = { seizedOn: 'desc', id: 'asc' } as const;

const byNewest = (a: Seizure, b: Seizure): number =>
  a.seizedOn < b.seizedOn ? 1 : a.seizedOn > b.seizedOn ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Kilograms seized per commune in a period: one SUM ... GROUP BY over all communes asked for. */
function seizedKgLoader(ctx: SubgraphContext, period: PeriodArgs): DataLoader<string, number> {
  const inPeriod = periodWhere('seizedOn', period);
  return ctx.loaders.get(`customs:seizedKg:${JSON.stringify(inPeriod)}`, () =>
    new DataLoader<string, number>(async (codes) => {
      const rows: Array<{ code: string; kg: number | string | null }> = await ctx.em
        .createQueryBuilder(SeizedItem, 'i')
        .join('i.seizure', 's')
        .select([raw('s.commune_code as code'), raw('sum(i.kg_equivalent) as kg')] as any)
        .where({ seizure: { communeCode: { $in: [...codes] }, ...inPeriod } } as any)
        .groupBy('s.communeCode' as any)
        .execute('all', false);
      // PostgreSQL may hand numeric aggregates back as strings.
      const byCode = new Map(rows.map((r) => [String(r.code), Number(r.kg ?? 0)]));
      return codes.map((c) => byCode.get(c) ?? 0);
    }),
  );
}

@Resolver(() => Seizure)
export class SeizureResolver {
  @Query(() => Seizure, { nullable: true, description: 'One seizure by its number' })
  seizure(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    checkSeizureId(id);
    return ctx.loaders.one(Seizure, 'id').load(id);
  }

  @Query(() => SeizurePage, { description: 'Seizures, newest first, optionally of one commune or agency' })
  async seizures(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('agency', () => SeizingAgency, { nullable: true }) agency: SeizingAgency | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCode(communeCode);
    const where = { ...periodWhere('seizedOn', period), ...(communeCode ? { communeCode } : {}), ...(agency ? { agency } : {}) };
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
  items(@Root() s: Seizure, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(SeizedItem, 'seizure', { orderBy: { id: 'asc' } }).load(s.id);
  }

  @FieldResolver(() => [Person], { description: 'Persons held in the seizure (đối tượng bị bắt giữ)' })
  async suspects(@Root() s: Seizure, @Ctx() ctx: SubgraphContext) {
    const links = await ctx.loaders.many(SeizureSuspect, 'seizure', { orderBy: { id: 'asc' } }).load(s.id);
    return links.map((l) => personOf(l.citizenId));
  }

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
  @Query(() => [BorderGate], { description: 'All border gates, ports and postal hubs, by code' })
  borderGates(@Ctx() ctx: SubgraphContext) {
    return ctx.em.find(BorderGate, {}, { orderBy: { code: 'asc' } });
  }

  @FieldResolver(() => Commune)
  commune(@Root() g: BorderGate) {
    return communeOf(g.communeCode);
  }

  @FieldResolver(() => Int, { description: 'Seizures made at this gate in the period' })
  seizureCount(@Root() g: BorderGate, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(Seizure, 'gate', periodWhere('seizedOn', period)).load(g.id);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => [Seizure], { description: 'Seizures this person was held in, newest first' })
  async seizuresAsSuspect(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    // Two batched loads (links, then seizures) whatever the number of persons.
    const links = await ctx.loaders.many(SeizureSuspect, 'citizenId', { orderBy: { id: 'asc' } }).load(p.citizenId);
    const seizures = await ctx.loaders.one(Seizure, 'id').loadMany(links.map((l) => l.seizure.id));
    return seizures.filter((s): s is Seizure => s instanceof Seizure).sort(byNewest);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @FieldResolver(() => [Seizure], { description: 'Seizures made in this commune, newest first' })
  async seizures(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    const rows = await ctx.loaders.many(Seizure, 'communeCode', { where: periodWhere('seizedOn', period), orderBy: newestFirst }).load(c.code);
    return slicePage(rows, page);
  }

  @FieldResolver(() => Int, { description: 'Number of seizures made in this commune in the period' })
  seizureCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(Seizure, 'communeCode', periodWhere('seizedOn', period)).load(c.code);
  }

  @FieldResolver(() => Float, { description: 'Kilograms seized in this commune in the period (tổng khối lượng quy đổi)' })
  seizedKgEquivalent(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return seizedKgLoader(ctx, period).load(c.code);
  }
}

export const resolvers = [SeizureResolver, SeizedItemResolver, BorderGateResolver, PersonResolver, CommuneResolver] as const;

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
};
