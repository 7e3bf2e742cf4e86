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
  substanceStub,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  AntiDrugOfficer,
  AntiDrugTeam,
  BorderGuardSeizedItem,
  BorderGuardSeizure,
  BorderGuardSeizureStatus,
  BorderGuardSuspect,
  BorderPost,
  BorderRoute,
  JointOperation,
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
export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;
export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

const personOf = (citizenId: string): Person => stubRef(Person, { citizenId });
const communeOf = (code: string): Commune => stubRef(Commune, { code });
const drugCaseOf = (id: string): DrugCase => stubRef(DrugCase, { id });
const substanceOf = (code: string): Substance => stubRef(Substance, { code });

const SeizurePage = PageOf(BorderGuardSeizure, BorderGuardSeizure.name, ['border-guard:read']);
const TeamPage = PageOf(AntiDrugTeam, AntiDrugTeam.name, ['border-guard:read']);
const JointOperationPage = PageOf(JointOperation, JointOperation.name, ['border-guard:read']);

const newestFirst = { seizedOn: 'desc', id: 'asc' } as const;
const byNewest = (a: BorderGuardSeizure, b: BorderGuardSeizure): number =>
  a.seizedOn < b.seizedOn ? 1 : a.seizedOn > b.seizedOn ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Officers serving on `day`: joined by then and not yet gone. */
const servingOn = (day: string) => ({ joinedOn: { $lte: day }, $or: [{ leftOn: null }, { leftOn: { $gt: day } }] });

@Resolver(() => BorderPost)
export class BorderPostResolver {
  @Scopes('border-guard:read', 'aggregate:read')
  @Query(() => [BorderPost], { description: 'Đồn biên phòng of the province, by code' })
  borderPosts(@Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    const { limit, offset } = checkPage(page);
    return ctx.em.find(BorderPost, {}, { orderBy: { code: 'asc' }, limit, offset });
  }

  @FieldResolver(() => Commune)
  commune(@Root() p: BorderPost) {
    return communeOf(p.communeCode);
  }

  @Scopes('border-guard:read')
  @FieldResolver(() => [AntiDrugTeam], { description: 'Its specialised anti-drug units' })
  teams(@Root() p: BorderPost, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(AntiDrugTeam, 'post', { orderBy: { code: 'asc' } }).load(p.id);
  }
}

@Resolver(() => AntiDrugTeam)
export class AntiDrugTeamResolver {
  @Scopes('border-guard:read')
  @Query(() => AntiDrugTeam, { nullable: true, description: 'One specialised anti-drug unit by its code' })
  antiDrugTeam(@Arg('code', () => ID) code: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(AntiDrugTeam, 'code').load(code);
  }

  @Scopes('border-guard:read')
  @Query(() => TeamPage, { description: 'Tổ/đội chuyên trách phòng, chống ma túy, by code; optionally of one commune, or only those (not) yet equipped' })
  async antiDrugTeams(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('equipped', () => Boolean, { nullable: true, description: 'true: fully equipped; false: not yet' }) equipped: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = { ...(communeCode ? { communeCode } : {}), ...(equipped === undefined ? {} : { equippedOn: equipped ? { $ne: null } : null }) };
    const [items, totalCount] = await ctx.em.findAndCount(AntiDrugTeam, where, { orderBy: { code: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => BorderPost, { nullable: true, description: 'Đồn biên phòng it belongs to; null for the provincial task force' })
  post(@Root() t: AntiDrugTeam, @Ctx() ctx: SubgraphContext) {
    return t.post ? ctx.loaders.one(BorderPost, 'id').load(t.post.id) : null;
  }

  @FieldResolver(() => Commune)
  commune(@Root() t: AntiDrugTeam) {
    return communeOf(t.communeCode);
  }

  @FieldResolver(() => Boolean, { description: 'Fully equipped (equippedOn set)' })
  equipped(@Root() t: AntiDrugTeam) {
    return Boolean(t.equippedOn);
  }

  @Scopes('border-guard:read')
  @FieldResolver(() => [AntiDrugOfficer], { description: 'Its officers, serving or not, by service number' })
  officers(@Root() t: AntiDrugTeam, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(AntiDrugOfficer, 'team', { orderBy: { serviceNumber: 'asc' }, page }).load(t.id);
  }

  @Scopes('border-guard:read')
  @FieldResolver(() => Int, { description: 'Officers serving on the day given (today when omitted)' })
  officerCount(@Root() t: AntiDrugTeam, @Arg('on', () => LocalDate, { nullable: true }) on: string | undefined, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(AntiDrugOfficer, 'team', servingOn(on ?? new Date().toISOString().slice(0, 10))).load(t.id);
  }

  @Scopes('border-guard:read')
  @FieldResolver(() => Int, { description: 'Officers serving on the day given (today when omitted) who were equipped by then' })
  equippedOfficerCount(@Root() t: AntiDrugTeam, @Arg('on', () => LocalDate, { nullable: true }) on: string | undefined, @Ctx() ctx: SubgraphContext) {
    const day = on ?? new Date().toISOString().slice(0, 10);
    return ctx.loaders.count(AntiDrugOfficer, 'team', { ...servingOn(day), equippedOn: { $lte: day } }).load(t.id);
  }
}

@Resolver(() => AntiDrugOfficer)
export class AntiDrugOfficerResolver {
  @FieldResolver(() => Boolean, { description: 'Issued modern weapons, support tools and technical means (equippedOn set)' })
  equipped(@Root() o: AntiDrugOfficer) {
    return Boolean(o.equippedOn);
  }

  @FieldResolver(() => AntiDrugTeam)
  team(@Root() o: AntiDrugOfficer, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(AntiDrugTeam, 'id').load(o.team.id);
  }
}

@Resolver(() => BorderGuardSeizure)
export class BorderGuardSeizureResolver {
  @Scopes('border-guard:read')
  @Sensitive()
  @Query(() => BorderGuardSeizure, { nullable: true, description: 'One border-guard seizure by its number' })
  borderGuardSeizure(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(BorderGuardSeizure, 'id').load(id);
  }

  @Scopes('border-guard:read')
  @Sensitive()
  @Query(() => SeizurePage, { description: 'Border-guard seizures, newest first, optionally of one commune, route or status; the period is by seizure day' })
  async borderGuardSeizures(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('route', () => BorderRoute, { nullable: true }) route: BorderRoute | undefined,
    @Arg('status', () => BorderGuardSeizureStatus, { nullable: true }) status: BorderGuardSeizureStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = {
      ...periodWhere('seizedOn', period),
      ...(communeCode ? { communeCode } : {}),
      ...(route ? { route } : {}),
      ...(status ? { drugCaseId: status === BorderGuardSeizureStatus.HANDED_OVER ? { $ne: null } : null } : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(BorderGuardSeizure, where, { orderBy: newestFirst, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune)
  commune(@Root() s: BorderGuardSeizure) {
    return communeOf(s.communeCode);
  }

  @FieldResolver(() => BorderPost, { nullable: true, description: 'Đồn biên phòng of the area' })
  post(@Root() s: BorderGuardSeizure, @Ctx() ctx: SubgraphContext) {
    return s.post ? ctx.loaders.one(BorderPost, 'id').load(s.post.id) : null;
  }

  @FieldResolver(() => AntiDrugTeam, { nullable: true, description: 'Tổ/đội chuyên trách that made it' })
  team(@Root() s: BorderGuardSeizure, @Ctx() ctx: SubgraphContext) {
    return s.team ? ctx.loaders.one(AntiDrugTeam, 'id').load(s.team.id) : null;
  }

  @FieldResolver(() => JointOperation, { nullable: true, description: 'Joint operation it was made in' })
  jointOperation(@Root() s: BorderGuardSeizure, @Ctx() ctx: SubgraphContext) {
    return s.jointOperation ? ctx.loaders.one(JointOperation, 'id').load(s.jointOperation.id) : null;
  }

  @FieldResolver(() => [BorderGuardSeizedItem], { description: 'Tang vật' })
  items(@Root() s: BorderGuardSeizure, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(BorderGuardSeizedItem, 'seizure', { orderBy: { id: 'asc' } }).load(s.id);
  }

  // Suspects are criminal-procedure data about identifiable persons.
  @Scopes('border-guard:read')
  @Sensitive()
  @FieldResolver(() => [Person], { description: 'Persons held (đối tượng bị bắt giữ)' })
  async suspects(@Root() s: BorderGuardSeizure, @Ctx() ctx: SubgraphContext) {
    const links = await ctx.loaders.many(BorderGuardSuspect, 'seizure', { orderBy: { id: 'asc' } }).load(s.id);
    return links.map((l) => personOf(l.citizenId));
  }

  @FieldResolver(() => BorderGuardSeizureStatus)
  status(@Root() s: BorderGuardSeizure) {
    return s.drugCaseId ? BorderGuardSeizureStatus.HANDED_OVER : BorderGuardSeizureStatus.HELD;
  }

  @Scopes('border-guard:read')
  @FieldResolver(() => DrugCase, { nullable: true, description: 'Police case it was handed over to (bàn giao); null while held' })
  handedOverTo(@Root() s: BorderGuardSeizure) {
    return s.drugCaseId ? drugCaseOf(s.drugCaseId) : null;
  }
}

@Resolver(() => BorderGuardSeizedItem)
export class BorderGuardSeizedItemResolver {
  @FieldResolver(() => Substance)
  substance(@Root() i: BorderGuardSeizedItem) {
    return substanceOf(i.substanceCode);
  }
}

@Resolver(() => JointOperation)
export class JointOperationResolver {
  @Scopes('border-guard:read')
  @Query(() => JointOperationPage, { description: 'Joint operations with customs and/or police, newest first; the period is by start day' })
  async jointOperations(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('withCustoms', () => Boolean, { nullable: true }) withCustoms: boolean | undefined,
    @Arg('withPolice', () => Boolean, { nullable: true }) withPolice: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const where = { ...periodWhere('startedOn', period), ...(withCustoms === undefined ? {} : { withCustoms }), ...(withPolice === undefined ? {} : { withPolice }) };
    const [items, totalCount] = await ctx.em.findAndCount(JointOperation, where, { orderBy: { startedOn: 'desc', code: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune)
  commune(@Root() o: JointOperation) {
    return communeOf(o.communeCode);
  }

  @Scopes('border-guard:read')
  @FieldResolver(() => DrugCase, { nullable: true, description: 'The police case it serves' })
  drugCase(@Root() o: JointOperation) {
    return o.drugCaseId ? drugCaseOf(o.drugCaseId) : null;
  }

  @Scopes('border-guard:read')
  @Sensitive()
  @FieldResolver(() => [BorderGuardSeizure], { description: 'Seizures made in it, newest first' })
  seizures(@Root() o: JointOperation, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(BorderGuardSeizure, 'jointOperation', { orderBy: newestFirst, page }).load(o.id);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Scopes('border-guard:read')
  @Sensitive()
  @FieldResolver(() => [BorderGuardSeizure], { nullable: true, description: 'Border-guard seizures this person was held in, newest first' })
  async borderGuardSeizures(@Root() p: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    // Two batched loads (links, then seizures) whatever the number of persons.
    const links = await ctx.loaders.many(BorderGuardSuspect, 'citizenId', { orderBy: { id: 'asc' } }).load(p.citizenId);
    const seizures = await ctx.loaders.one(BorderGuardSeizure, 'id').loadMany(links.map((l) => l.seizure.id));
    return slicePage(seizures.filter((s): s is BorderGuardSeizure => s instanceof BorderGuardSeizure).sort(byNewest), page);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @Scopes('border-guard:read', 'aggregate:read')
  @FieldResolver(() => [BorderPost], { nullable: true, description: 'Đồn biên phòng in this commune' })
  borderPosts(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(BorderPost, 'communeCode', { orderBy: { code: 'asc' } }).load(c.code);
  }

  @Scopes('border-guard:read')
  @Sensitive()
  @FieldResolver(() => [BorderGuardSeizure], { nullable: true, description: 'Border-guard seizures made in this commune, newest first' })
  borderGuardSeizures(@Root() c: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(BorderGuardSeizure, 'communeCode', { where: periodWhere('seizedOn', period), orderBy: newestFirst, page }).load(c.code);
  }
}

export const resolvers = [
  BorderPostResolver,
  AntiDrugTeamResolver,
  AntiDrugOfficerResolver,
  BorderGuardSeizureResolver,
  BorderGuardSeizedItemResolver,
  JointOperationResolver,
  PersonResolver,
  CommuneResolver,
  ...figures.resolvers(CommunePeriod, ProvincePeriod),
] as const;

export const references = {
  BorderGuardSeizure: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(BorderGuardSeizure, 'id').load(ref.id),
  },
  BorderPost: {
    __resolveReference: (ref: { code: string }, ctx: SubgraphContext) => ctx.loaders.one(BorderPost, 'code').load(ref.code),
  },
  AntiDrugTeam: {
    __resolveReference: (ref: { code: string }, ctx: SubgraphContext) => ctx.loaders.one(AntiDrugTeam, 'code').load(ref.code),
  },
  JointOperation: {
    __resolveReference: (ref: { code: string }, ctx: SubgraphContext) => ctx.loaders.one(JointOperation, 'code').load(ref.code),
  },
  Person: { __resolveReference: (ref: { citizenId: string }) => personOf(ref.citizenId) },
  Commune: { __resolveReference: (ref: { code: string }) => communeOf(ref.code) },
  DrugCase: { __resolveReference: (ref: { id: string }) => drugCaseOf(ref.id) },
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
