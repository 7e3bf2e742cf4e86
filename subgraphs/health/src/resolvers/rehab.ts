import {
  checkCommuneCodeArgument,
  checkPage,
  given,
  intArgument,
  PageArgs,
  PageOf,
  PeriodArgs,
  Scopes,
  Sensitive,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Facility, RehabEpisode, RehabForm } from '../entities.js';
import { Person, Commune, personOf, communeOf, overlapWhere } from './shared.js';

// Rehab episodes (cai nghiện ma túy).

const RehabEpisodePage = PageOf(RehabEpisode, RehabEpisode.name, ['health:read']);

@Resolver(() => RehabEpisode)
export class RehabEpisodeResolver {
  @Scopes('health:read')
  @Sensitive()
  @Query(() => RehabEpisode, { nullable: true, description: 'One rehab episode by id' })
  rehabEpisode(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(RehabEpisode, 'id').load(intArgument(id));
  }

  @Scopes('health:read')
  @Sensitive()
  @Query(() => RehabEpisodePage, { description: 'Rehab episodes (cai nghiện) going on at some time in the period, optionally of one commune and form, newest first' })
  async rehabEpisodes(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: "Person's commune of residence" }) communeCode: string | undefined,
    @Arg('form', () => RehabForm, { nullable: true }) form: RehabForm | undefined,
    @Arg('open', () => Boolean, { nullable: true, description: 'Only episodes still going on (true) or ended (false)' }) open: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const openWhere = open == null ? {} : { endedOn: open ? null : { $ne: null } };
    const where = { ...overlapWhere(period), ...openWhere, ...given({ communeCode, form }) };
    const [items, totalCount] = await ctx.em.findAndCount(RehabEpisode, where, { orderBy: { startedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => Person)
  person(@Root() r: RehabEpisode) {
    return personOf(r.citizenId);
  }

  @FieldResolver(() => Commune, { description: "The person's commune of residence" })
  commune(@Root() r: RehabEpisode) {
    return communeOf(r.communeCode);
  }

  @FieldResolver(() => Facility, { nullable: true, description: 'Rehab facility, or the community point supporting home/community rehab' })
  facility(@Root() r: RehabEpisode, @Ctx() ctx: SubgraphContext) {
    return r.facility ? ctx.loaders.one(Facility, 'id').load(r.facility.id) : null;
  }
}
