import {
  checkCommuneCodeArgument,
  checkPage,
  communePeriodStub,
  communeStub,
  drugCaseStub,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodReferences,
  periodWhere,
  personStub,
  provincePeriodStub,
  Scopes,
  seesSmallCells,
  Sensitive,
  SmallCell,
  ONE_PERIOD_ONLY,
  stubRef,
  type SubgraphContext,
} from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  EligibilityGroup,
  LegalAidForm,
  LegalAidProvider,
  LegalAidProviderKind,
  LegalAidRequest,
  LegalAidStatus,
  LegalAidStatusChange,
  SERVED_STATUSES,
} from '../entities.js';
import { ELIGIBLE, figures } from '../figures.js';

export const Person = personStub();
export type Person = InstanceType<typeof Person>;

export const DrugCase = drugCaseStub();
export type DrugCase = InstanceType<typeof DrugCase>;

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

const personOf = (citizenId: string): Person => stubRef(Person, { citizenId });
const drugCaseOf = (id: string): DrugCase => stubRef(DrugCase, { id });
const communeOf = (code: string): Commune => stubRef(Commune, { code });

export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;

export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

const LegalAidRequestPage = PageOf(LegalAidRequest, LegalAidRequest.name, ['legal-aid:read']);
const LegalAidProviderPage = PageOf(LegalAidProvider, LegalAidProvider.name, ['legal-aid:read']);

function checkRequestId(id: string): void {
  if (!id || id.length > 32) {
    throw new GraphQLError('id must be 1–32 characters', { extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  }
}

/** The provider key of a request, whether it holds a loaded provider or a bare reference. */
const providerIdOf = (r: LegalAidRequest): string | null => r.assignedProvider?.id ?? null;

const order = { receivedOn: 'desc', id: 'asc' } as const;

function requestWhere(period: PeriodArgs, status?: LegalAidStatus | null): Record<string, unknown> {
  return { ...periodWhere('receivedOn', period), ...(status ? { status } : {}) };
}

@Resolver(() => LegalAidRequest)
export class LegalAidRequestResolver {
  @Scopes('legal-aid:read')
  @Sensitive()
  @Query(() => LegalAidRequest, { nullable: true, description: 'One legal-aid request by its number' })
  legalAidRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    checkRequestId(id);
    return ctx.loaders.one(LegalAidRequest, 'id').load(id);
  }

  @Scopes('legal-aid:read')
  @Sensitive()
  @Query(() => LegalAidRequestPage, { description: 'Yêu cầu trợ giúp pháp lý, newest first, by date received' })
  async legalAidRequests(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
    @Arg('eligibilityGroup', () => EligibilityGroup, { nullable: true }) eligibilityGroup?: EligibilityGroup,
    @Arg('serviceForm', () => LegalAidForm, { nullable: true }) serviceForm?: LegalAidForm,
    @Arg('providerId', () => ID, { nullable: true, description: 'Only requests assigned to this provider' }) providerId?: string,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode != null) checkCommuneCodeArgument(communeCode);
    const where = {
      ...requestWhere(period, status),
      ...(communeCode ? { communeCode } : {}),
      ...(eligibilityGroup ? { eligibilityGroup } : {}),
      ...(serviceForm ? { serviceForm } : {}),
      ...(providerId ? { assignedProvider: providerId } : {}),
    };
    const [items, totalCount] = await ctx.em.findAndCount(LegalAidRequest, where, { orderBy: order, limit, offset });
    return { items, totalCount };
  }

  // The person behind the request: the type's scope:legal-aid:read applies, and reading it is audited.
  @Sensitive()
  @FieldResolver(() => Person, { description: 'Người yêu cầu trợ giúp pháp lý' })
  person(@Root() r: LegalAidRequest) {
    return personOf(r.citizenId);
  }

  // Legal aid may follow the request to its case; the case's own fields (status) carry police's tags.
  @Scopes('legal-aid:read')
  @FieldResolver(() => DrugCase, { nullable: true, description: 'The drug case the request is about, if any' })
  drugCase(@Root() r: LegalAidRequest) {
    return r.drugCaseId ? drugCaseOf(r.drugCaseId) : null;
  }

  @FieldResolver(() => Commune, { description: 'Commune of residence of the person' })
  commune(@Root() r: LegalAidRequest) {
    return communeOf(r.communeCode);
  }

  @FieldResolver(() => LegalAidProvider, { nullable: true, description: 'Người thực hiện trợ giúp pháp lý assigned when the request was accepted (thụ lý)' })
  assignedProvider(@Root() r: LegalAidRequest, @Ctx() ctx: SubgraphContext) {
    const id = providerIdOf(r);
    return id ? ctx.loaders.one(LegalAidProvider, 'id').load(id) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the person belongs to a group entitled to legal aid (not NOT_ELIGIBLE)' })
  eligible(@Root() r: LegalAidRequest) {
    return r.eligibilityGroup !== EligibilityGroup.NOT_ELIGIBLE;
  }

  @FieldResolver(() => [LegalAidStatusChange], { description: 'Lịch sử xử lý: every status change, oldest first, starting with RECEIVED' })
  async statusHistory(@Root() r: LegalAidRequest, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(LegalAidStatusChange, 'request', { orderBy: { changedOn: 'asc', id: 'asc' }, page }).load(r.id);
  }
}

@Resolver(() => LegalAidProvider)
export class LegalAidProviderResolver {
  @Scopes('legal-aid:read')
  @Query(() => LegalAidProvider, { nullable: true, description: 'One người thực hiện trợ giúp pháp lý by code' })
  legalAidProvider(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    checkRequestId(id);
    return ctx.loaders.one(LegalAidProvider, 'id').load(id);
  }

  @Scopes('legal-aid:read')
  @Query(() => LegalAidProviderPage, { description: 'Người thực hiện trợ giúp pháp lý: officers, contracted lawyers and firms, by kind and name' })
  async legalAidProviders(
    @Args() page: PageArgs,
    @Arg('kind', () => LegalAidProviderKind, { nullable: true }) kind: LegalAidProviderKind | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const [items, totalCount] = await ctx.em.findAndCount(LegalAidProvider, kind ? { kind } : {}, { orderBy: { kind: 'asc', name: 'asc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Scopes('legal-aid:read')
  @Sensitive()
  @FieldResolver(() => [LegalAidRequest], { description: 'Requests assigned to this provider, newest first by date received' })
  async requests(
    @Root() p: LegalAidProvider,
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    return ctx.loaders.many(LegalAidRequest, 'assignedProvider', { where: requestWhere(period, status), orderBy: order, page }).load(p.id);
  }

  @FieldResolver(() => Int, { description: 'Number of requests assigned to this provider, received in the period' })
  requestCount(
    @Root() p: LegalAidProvider,
    @Args() period: PeriodArgs,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    return ctx.loaders.count(LegalAidRequest, 'assignedProvider', requestWhere(period, status)).load(p.id);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Scopes('legal-aid:read')
  @Sensitive()
  @FieldResolver(() => [LegalAidRequest], { nullable: true, description: 'Yêu cầu trợ giúp pháp lý of this person, oldest first' })
  async legalAidRequests(
    @Root() p: Person,
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    return ctx.loaders
      .many(LegalAidRequest, 'citizenId', { where: requestWhere(period, status), orderBy: { receivedOn: 'asc', id: 'asc' }, page })
      .load(p.citizenId);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @Scopes('legal-aid:read')
  @Sensitive()
  @FieldResolver(() => [LegalAidRequest], { nullable: true, description: 'Legal-aid requests from persons of this commune, newest first' })
  async legalAidRequests(
    @Root() c: Commune,
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    return ctx.loaders.many(LegalAidRequest, 'communeCode', { where: requestWhere(period, status), orderBy: order, page }).load(c.code);
  }

  @Scopes('aggregate:read', 'legal-aid:read')
  @SmallCell()
  @FieldResolver(() => Int, {
    nullable: true,
    description: `Number of legal-aid requests received in the period (of one status, when given). ${ONE_PERIOD_ONLY} CommunePeriod.legalAidRequests, and no status`,
  })
  legalAidRequestCount(
    @Root() c: Commune,
    @Args() period: PeriodArgs,
    @Arg('status', () => LegalAidStatus, { nullable: true }) status: LegalAidStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    // No figure counts one status of every request: a status would be a second, unprotected table.
    if (status && !seesSmallCells(ctx.caller?.scopes ?? [])) {
      throw new GraphQLError(
        'legalAidRequestCount by status is for callers who may see identities; by period, with small cells withheld: CommunePeriod.servedLegalAidRequests, refusedEligibleLegalAidRequests, completedLegalAidRequests',
        { extensions: { code: 'BAD_USER_INPUT', field: 'status' } },
      );
    }
    return figures.rangeCount(ctx, c.code, period, 'legalAidRequests', 'legalAidRequestCount', () =>
      ctx.loaders.count(LegalAidRequest, 'communeCode', requestWhere(period, status)).load(c.code),
    );
  }

  @Scopes('aggregate:read', 'legal-aid:read')
  @SmallCell()
  @FieldResolver(() => Int, {
    nullable: true,
    description: `Requests received in the period from persons eligible for legal aid (người thuộc diện được trợ giúp pháp lý). ${ONE_PERIOD_ONLY} CommunePeriod.eligibleLegalAidRequests`,
    deprecationReason: 'Use CommunePeriod.eligibleLegalAidRequests',
  })
  eligibleLegalAidRequestCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return figures.rangeCount(ctx, c.code, period, 'eligibleLegalAidRequests', 'eligibleLegalAidRequestCount', () =>
      ctx.loaders.count(LegalAidRequest, 'communeCode', { ...periodWhere('receivedOn', period), ...ELIGIBLE }).load(c.code),
    );
  }

  @Scopes('aggregate:read', 'legal-aid:read')
  @SmallCell()
  @FieldResolver(() => Int, {
    nullable: true,
    description: `Eligible requests received in the period that were accepted, are in progress or completed (indicator h numerator). ${ONE_PERIOD_ONLY} CommunePeriod.servedLegalAidRequests`,
    deprecationReason: 'Use CommunePeriod.servedLegalAidRequests',
  })
  servedLegalAidRequestCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return figures.rangeCount(ctx, c.code, period, 'servedLegalAidRequests', 'servedLegalAidRequestCount', () =>
      ctx.loaders.count(LegalAidRequest, 'communeCode', { ...periodWhere('receivedOn', period), ...ELIGIBLE, status: { $in: SERVED_STATUSES } }).load(c.code),
    );
  }
}

export const resolvers = [
  LegalAidRequestResolver,
  LegalAidProviderResolver,
  PersonResolver,
  CommuneResolver,
  ...figures.resolvers(CommunePeriod, ProvincePeriod),
] as const;

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
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
