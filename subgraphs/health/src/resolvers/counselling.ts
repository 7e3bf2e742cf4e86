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
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Counselling, CounsellingKind, Facility } from '../entities.js';
import { Person, Commune, personOf, communeOf } from './shared.js';

// Counselling sessions (tư vấn).

const CounsellingPage = PageOf(Counselling, Counselling.name, ['health:read']);

@Resolver(() => Counselling)
export class CounsellingResolver {
  @Scopes('health:read')
  @Sensitive()
  @Query(() => CounsellingPage, { description: 'Counselling sessions (tư vấn, can thiệp) in the period, optionally of one commune and kind, newest first' })
  async counsellings(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: "Person's commune of residence" }) communeCode: string | undefined,
    @Arg('kind', () => CounsellingKind, { nullable: true }) kind: CounsellingKind | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('counselledOn', period), ...given({ communeCode, kind }) };
    const [items, totalCount] = await ctx.em.findAndCount(Counselling, where, { orderBy: { counselledOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => Person)
  person(@Root() c: Counselling) {
    return personOf(c.citizenId);
  }

  @FieldResolver(() => Commune, { description: "The person's commune of residence" })
  commune(@Root() c: Counselling) {
    return communeOf(c.communeCode);
  }

  @FieldResolver(() => Facility, { description: 'Facility that gave the counselling' })
  facility(@Root() c: Counselling, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Facility, 'id').load(c.facility.id);
  }
}
