import {
  checkCommuneCodeArgument,
  checkPage,
  given,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodWhere,
  Scopes,
  Sensitive,
  stubRef,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { CaseRoute, CaseSeizedItem, CaseStatus, CaseSuspect, DrugCase, PENAL_ARTICLES, Person, WantedPerson } from '../entities.js';
import { Commune, communeOf, Substance } from './shared.js';

// Drug cases (vụ án) with their seized items (tang vật) and suspects.

const DrugCasePage = PageOf(DrugCase);

@Resolver(() => DrugCase)
export class DrugCaseResolver {
  @Scopes('police:read', 'case:status', 'case:handover')
  @Query(() => DrugCase, { nullable: true })
  drugCase(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(DrugCase, 'id').load(id);
  }

  @Scopes('police:read', 'case:status', 'case:handover')
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

  @Scopes('police:read')
  @FieldResolver(() => Commune)
  commune(@Root() c: DrugCase) {
    return communeOf(c.communeCode);
  }

  @Scopes('police:read')
  @FieldResolver(() => String, { description: 'Tên tội danh: title of the Penal Code article, in Vietnamese' })
  penalArticleTitle(@Root() c: DrugCase) {
    return PENAL_ARTICLES[c.article] ?? `Điều ${c.article}`;
  }

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => [CaseSuspect])
  suspects(@Root() c: DrugCase, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CaseSuspect, 'drugCase', { orderBy: { id: 'asc' } }).load(c.id);
  }

  @Scopes('police:read')
  @FieldResolver(() => [CaseSeizedItem], { description: 'Tang vật: the substances seized in the case' })
  async seizedItems(@Root() c: DrugCase, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CaseSeizedItem, 'drugCase', { orderBy: { id: 'asc' }, page }).load(c.id);
  }

  @Scopes('police:read')
  @Sensitive()
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
  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => Person)
  person(@Root() s: CaseSuspect, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Person, 'citizenId').load(s.person.citizenId);
  }

  @FieldResolver(() => DrugCase)
  drugCase(@Root() s: CaseSuspect, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(DrugCase, 'id').load(s.drugCase.id);
  }
}
