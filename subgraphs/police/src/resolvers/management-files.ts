import {
  checkCommuneCodeArgument,
  checkPage,
  given,
  intArgument,
  LocalDate,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodWhere,
  Scopes,
  Sensitive,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ManagedCategory, ManagementFile, Person } from '../entities.js';
import { openOnDay } from '../figures.js';
import { Commune, communeOf } from './shared.js';

// Management files (hồ sơ quản lý).

const ManagementFilePage = PageOf(ManagementFile);

@Resolver(() => ManagementFile)
export class ManagementFileResolver {
  // By id, as the health and legal-aid records are: the gateway reads a write's record through it to audit its person.
  @Scopes('police:read')
  @Sensitive()
  @Query(() => ManagementFile, { nullable: true, description: 'Một hồ sơ quản lý: one management file by id' })
  managementFile(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(ManagementFile, 'id').load(intArgument(id));
  }

  @Scopes('police:read')
  @Sensitive()
  @Query(() => ManagementFilePage, { description: 'Hồ sơ quản lý, newest first; `openOn` keeps the files open on that day' })
  async managementFiles(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('category', () => ManagedCategory, { nullable: true }) category: ManagedCategory | undefined,
    @Arg('openOn', () => LocalDate, { nullable: true, description: 'Only files open on this day' }) openOn: string | undefined,
    @Arg('psychosisRisk', () => Boolean, { nullable: true }) psychosisRisk: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('openedOn', period), ...given({ communeCode, category, psychosisRisk }), ...(openOn ? openOnDay(openOn) : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(ManagementFile, where, { orderBy: { openedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Scopes('police:read')
  @Sensitive()
  @FieldResolver(() => Person)
  person(@Root() f: ManagementFile, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Person, 'citizenId').load(f.person.citizenId);
  }

  @FieldResolver(() => Commune)
  commune(@Root() f: ManagementFile) {
    return communeOf(f.communeCode);
  }
}
