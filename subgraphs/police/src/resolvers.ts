import { communeStub, stubRef, checkPage, PageArgs, PageOf, PeriodArgs, periodWhere, slicePage, type SubgraphContext } from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { CaseSuspect, DrugCase, Hotspot, ManagementFile, Person } from './entities.js';

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

const communeOf = (code: string): Commune => stubRef(Commune, { code });

const PersonPage = PageOf(Person);
const DrugCasePage = PageOf(DrugCase);

export const CITIZEN_ID = /^\d{12}$/;

function checkCitizenId(citizenId: string): void {
  if (!CITIZEN_ID.test(citizenId)) {
    throw new GraphQLError('citizenId must be 12 digits', { extensions: { code: 'BAD_USER_INPUT', field: 'citizenId' } });
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: 'One person by citizen ID' })
  person(@Arg('citizenId', () => ID) citizenId: string, @Ctx() ctx: SubgraphContext) {
    checkCitizenId(citizenId);
    return ctx.loaders.one(Person, 'citizenId').load(citizenId);
  }

  @Query(() => PersonPage, { description: 'Persons in the register, optionally of one commune, by citizen ID' })
  async persons(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const where = communeCode ? { communeCode } : {};
    const [items, totalCount] = await ctx.em.findAndCount(Person, where, { orderBy: { citizenId: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune, { description: 'Commune of residence' })
  commune(@Root() person: Person) {
    return communeOf(person.communeCode);
  }

  @FieldResolver(() => [ManagementFile], { description: 'Hồ sơ quản lý kept for this person' })
  managementFiles(@Root() person: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(ManagementFile, 'person', { orderBy: { openedOn: 'asc' } }).load(person.citizenId);
  }

  @FieldResolver(() => [CaseSuspect], { description: 'Cases this person is a suspect in' })
  suspectIn(@Root() person: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CaseSuspect, 'person', { orderBy: { id: 'asc' } }).load(person.citizenId);
  }
}

@Resolver(() => DrugCase)
export class DrugCaseResolver {
  @Query(() => DrugCase, { nullable: true })
  drugCase(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(DrugCase, 'id').load(id);
  }

  @Query(() => DrugCasePage, { description: 'Drug cases, newest first' })
  async drugCases(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const where = { ...periodWhere('reportedOn', period), ...(communeCode ? { communeCode } : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(DrugCase, where, { orderBy: { reportedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune)
  commune(@Root() c: DrugCase) {
    return communeOf(c.communeCode);
  }

  @FieldResolver(() => [CaseSuspect])
  suspects(@Root() c: DrugCase, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CaseSuspect, 'drugCase', { orderBy: { id: 'asc' } }).load(c.id);
  }
}

@Resolver(() => CaseSuspect)
export class CaseSuspectResolver {
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
  @FieldResolver(() => Person)
  person(@Root() f: ManagementFile, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Person, 'citizenId').load(f.person.citizenId);
  }

  @FieldResolver(() => Commune)
  commune(@Root() f: ManagementFile) {
    return communeOf(f.communeCode);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @FieldResolver(() => [DrugCase], { description: 'Drug cases reported in this commune' })
  async drugCases(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    const rows = await ctx.loaders
      .many(DrugCase, 'communeCode', { where: periodWhere('reportedOn', period), orderBy: { reportedOn: 'desc', id: 'asc' } })
      .load(c.code);
    return slicePage(rows, page);
  }

  @FieldResolver(() => Int, { description: 'Number of drug cases reported in the period' })
  drugCaseCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(DrugCase, 'communeCode', periodWhere('reportedOn', period)).load(c.code);
  }

  @FieldResolver(() => [Hotspot], { description: 'Điểm, tụ điểm ma túy detected in this commune' })
  async hotspots(@Root() c: Commune, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    const rows = await ctx.loaders.many(Hotspot, 'communeCode', { orderBy: { detectedOn: 'desc', id: 'asc' } }).load(c.code);
    return slicePage(rows, page);
  }

  @FieldResolver(() => Int, { description: 'Management files open (not closed) for persons of this commune' })
  managedPersonCount(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(ManagementFile, 'communeCode', { closedOn: null }).load(c.code);
  }
}

export const resolvers = [PersonResolver, DrugCaseResolver, CaseSuspectResolver, ManagementFileResolver, CommuneResolver] as const;

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
};
