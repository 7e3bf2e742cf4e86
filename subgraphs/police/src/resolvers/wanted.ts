import {
  checkCommuneCodeArgument,
  checkPage,
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
import { DrugCase, Person, WantedPerson } from '../entities.js';
import { isSet } from './shared.js';

// Wanted notices (truy nã).

const WantedPersonPage = PageOf(WantedPerson);

@Resolver(() => WantedPerson)
export class WantedPersonResolver {
  // By id, as the health and legal-aid records are: the gateway reads a write's record through it to audit its person.
  @Scopes('police:read')
  @Sensitive()
  @Query(() => WantedPerson, { nullable: true, description: 'Một đối tượng truy nã: one wanted notice by id' })
  wantedPerson(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(WantedPerson, 'id').load(intArgument(id));
  }

  @Scopes('police:read')
  @Sensitive()
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

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => Person)
  person(@Root() w: WantedPerson, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Person, 'citizenId').load(w.person.citizenId);
  }

  @FieldResolver(() => DrugCase, { nullable: true })
  drugCase(@Root() w: WantedPerson, @Ctx() ctx: SubgraphContext) {
    return w.drugCase ? ctx.loaders.one(DrugCase, 'id').load(w.drugCase.id) : null;
  }
}
