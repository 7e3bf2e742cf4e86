import { checkCommuneCodeArgument, checkPage, given, intArgument, PageArgs, PageOf, Scopes, type SubgraphContext } from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Facility, FacilityKind } from '../entities.js';
import { Commune, communeOf } from './shared.js';

// Health facilities (cơ sở y tế, cai nghiện). Not personal: the steering committee reads them too.

const FacilityPage = PageOf(Facility, Facility.name, ['health:read', 'aggregate:read']);

@Resolver(() => Facility)
export class FacilityResolver {
  @Scopes('health:read', 'aggregate:read')
  @Query(() => Facility, { nullable: true, description: 'One facility by id' })
  facility(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Facility, 'id').load(intArgument(id));
  }

  @Scopes('health:read', 'aggregate:read')
  @Query(() => FacilityPage, { description: 'Facilities, optionally of one commune and kind, by id' })
  async facilities(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('kind', () => FacilityKind, { nullable: true }) kind: FacilityKind | undefined,
    @Arg('canAssessAddiction', () => Boolean, { nullable: true, description: 'Only facilities able (true) or not able (false) to assess addiction' }) canAssessAddiction: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = given({ communeCode, kind, canAssessAddiction });
    const [items, totalCount] = await ctx.em.findAndCount(Facility, where, { orderBy: { id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune, { description: 'Commune where the facility stands' })
  commune(@Root() f: Facility) {
    return communeOf(f.communeCode);
  }
}
