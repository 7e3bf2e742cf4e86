import { communeStub, drugCaseStub, personStub, stubRef, checkPage, PageArgs, PageOf, PeriodArgs, periodWhere, slicePage, type SubgraphContext } from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { EligibilityGroup, LegalAidRequest, LegalAidStatus, SERVED_STATUSES } from './entities.js';

export const Person = personStub();
export type Person = InstanceType<typeof Person>;

export const DrugCase = drugCaseStub();
export type DrugCase = InstanceType<typeof DrugCase>;

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

const personOf = (citizenId: string): Person => stubRef(Person, { citizenId });
const drugCaseOf = (id: string): DrugCase => stubRef(DrugCase, { id });
const communeOf = (code: string): Commune => stubRef(Commune, { code });

const LegalAidRequestPage = PageOf(LegalAidRequest);

const COMMUNE_CODE = /^\d{5}$/;

function checkCommuneCode(code: string): void {
  if (!COMMUNE_CODE.test(code)) {
    throw new GraphQLError('communeCode must be 5 digits', { extensions: { code: 'BAD_USER_INPUT', field: 'communeCode' } });
  }
}

function checkRequestId(id: string): void {
  if (!id || id.length > 32) {
    throw new GraphQLError('id must be 1–32 characters', { extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  }
}

const order = { receivedOn: 'desc', id: 'asc' } as const;

function requestWhere(period: PeriodArgs, status?: LegalAidStatus | null): Record<string, unknown> {
  return { ...periodWhere('receivedOn', period), ...(status ? { status } : {}) };
}

const ELIGIBLE = { eligibilityGroup: { $ne: EligibilityGroup.NOT_ELIGIBLE } };

@Resolver(() => LegalAidRequest)
export class LegalAidRequestResolver {
  @Query(() => LegalAidRequest, { nullable: true, description: 'One legal-aid request by its number' })
  legalAidRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    checkRequestId(id);
    return ctx.loaders.one(LegalAidRequest, 'id').load(id);
  }

  @Query(() => LegalAidRequestPage, { description: 'Yêu cầu trợ giúp pháp lý, newest first, by date received' })
  async legalAidRequests(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode != null) checkCommuneCode(communeCode);
    const where = { ...requestWhere(period, status), ...(communeCode ? { communeCode } : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(LegalAidRequest, where, { orderBy: order, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Person, { description: 'Người yêu cầu trợ giúp pháp lý' })
  person(@Root() r: LegalAidRequest) {
    return personOf(r.citizenId);
  }

  @FieldResolver(() => DrugCase, { nullable: true, description: 'The drug case the request is about, if any' })
  drugCase(@Root() r: LegalAidRequest) {
    return r.drugCaseId ? drugCaseOf(r.drugCaseId) : null;
  }

  @FieldResolver(() => Commune, { description: 'Commune of residence of the person' })
  commune(@Root() r: LegalAidRequest) {
    return communeOf(r.communeCode);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => [LegalAidRequest], { description: 'Yêu cầu trợ giúp pháp lý of this person, oldest first' })
  legalAidRequests(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(LegalAidRequest, 'citizenId', { orderBy: { receivedOn: 'asc', id: 'asc' } }).load(p.citizenId);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @FieldResolver(() => [LegalAidRequest], { description: 'Legal-aid requests from persons of this commune, newest first' })
  async legalAidRequests(
    @Root() c: Commune,
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const rows = await ctx.loaders.many(LegalAidRequest, 'communeCode', { where: requestWhere(period, status), orderBy: order }).load(c.code);
    return slicePage(rows, page);
  }

  @FieldResolver(() => Int, { description: 'Number of legal-aid requests received in the period' })
  legalAidRequestCount(
    @Root() c: Commune,
    @Args() period: PeriodArgs,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    return ctx.loaders.count(LegalAidRequest, 'communeCode', requestWhere(period, status)).load(c.code);
  }

  @FieldResolver(() => Int, { description: 'Requests received in the period from persons eligible for legal aid (người thuộc diện được trợ giúp pháp lý)' })
  eligibleLegalAidRequestCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(LegalAidRequest, 'communeCode', { ...periodWhere('receivedOn', period), ...ELIGIBLE }).load(c.code);
  }

  @FieldResolver(() => Int, { description: 'Eligible requests received in the period that were accepted, are in progress or completed (indicator h numerator)' })
  servedLegalAidRequestCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders
      .count(LegalAidRequest, 'communeCode', { ...periodWhere('receivedOn', period), ...ELIGIBLE, status: { $in: SERVED_STATUSES } })
      .load(c.code);
  }
}

export const resolvers = [LegalAidRequestResolver, PersonResolver, CommuneResolver] as const;

export const references = {
  LegalAidRequest: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(LegalAidRequest, 'id').load(ref.id),
  },
  Person: {
    __resolveReference: (ref: { citizenId: string }) => personOf(ref.citizenId),
  },
  Commune: {
    __resolveReference: (ref: { code: string }) => communeOf(ref.code),
  },
};
