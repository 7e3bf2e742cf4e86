import { checkCitizenIdArgument, checkPage, NamesPerson, PageArgs, PageOf, Scopes, Sensitive, type SubgraphContext } from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { CaseSuspect, ManagementFile, Person, RetailDealer, WantedPerson } from '../entities.js';
import { Commune, communeOf } from './shared.js';

// The population register: one person, the register's pages, and what police keep about a person.

const PersonPage = PageOf(Person);

@Resolver(() => Person)
export class PersonResolver {
  @Scopes('person:identity')
  @Query(() => Person, { nullable: true, description: 'One person by citizen ID' })
  // Tagged `person`: the audit names whoever is looked up, found or not.
  async person(@NamesPerson() @Arg('citizenId', () => ID) citizenId: string, @Ctx() ctx: SubgraphContext) {
    checkCitizenIdArgument(citizenId);
    const person = await ctx.loaders.one(Person, 'citizenId').load(citizenId);
    // Looked up directly, a person is found in the area they live in (reached through a case or file, wherever).
    await ctx.area.ready;
    return person && ctx.area.covers(person.communeCode) ? person : null;
  }

  @Scopes('person:identity', 'person:pseudonym')
  @Query(() => PersonPage, { description: 'Persons in the register, optionally of one commune, by citizen ID' })
  async persons(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    const where = { ...(communeCode ? { communeCode } : {}), ...(await ctx.area.where()) };
    const [items, totalCount] = await ctx.em.findAndCount(Person, where, { orderBy: { citizenId: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  // The address part of the register's identity fields: sensitive like the name.
  @Sensitive()
  @FieldResolver(() => Commune, { nullable: true, description: 'Commune of residence (nơi cư trú)' })
  commune(@Root() person: Person) {
    return communeOf(person.communeCode);
  }

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => [ManagementFile], { nullable: true, description: 'Hồ sơ quản lý kept for this person' })
  managementFiles(@Root() person: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(ManagementFile, 'person', { orderBy: { openedOn: 'asc' } }).load(person.citizenId);
  }

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => [CaseSuspect], { nullable: true, description: 'Cases this person is a suspect in' })
  suspectIn(@Root() person: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(CaseSuspect, 'person', { orderBy: { id: 'asc' } }).load(person.citizenId);
  }

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => [WantedPerson], { nullable: true, description: 'Wanted notices (truy nã) for this person' })
  async wantedNotices(@Root() person: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(WantedPerson, 'person', { orderBy: { wantedSince: 'asc', id: 'asc' }, page }).load(person.citizenId);
  }

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => [RetailDealer], { nullable: true, description: 'Times police recorded this person as a retail dealer' })
  async retailDealing(@Root() person: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(RetailDealer, 'person', { orderBy: { detectedOn: 'asc', id: 'asc' }, page }).load(person.citizenId);
  }
}
