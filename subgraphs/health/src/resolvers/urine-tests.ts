import {
  checkCitizenIdArgument,
  checkCommuneCodeArgument,
  checkPage,
  given,
  intArgument,
  NamesPerson,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodWhere,
  Scopes,
  Sensitive,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Facility, MethadoneEnrollment, UrineTest, UrineTestResult } from '../entities.js';
import { Person, Commune, personOf, communeOf } from './shared.js';

// Urine drug tests (xét nghiệm nước tiểu).

const UrineTestPage = PageOf(UrineTest, UrineTest.name, ['health:read']);

@Resolver(() => UrineTest)
export class UrineTestResolver {
  @Scopes('health:read')
  @Sensitive()
  @Query(() => UrineTestPage, { description: 'Urine drug tests in the period, optionally of one commune, person or enrolment, newest first' })
  async urineTests(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: "Person's commune of residence" }) communeCode: string | undefined,
    // Tagged `person`: the audit names the person asked about, tests found or not.
    @NamesPerson() @Arg('citizenId', () => ID, { nullable: true }) citizenId: string | undefined,
    @Arg('enrollmentId', () => ID, { nullable: true }) enrollmentId: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    checkCitizenIdArgument(citizenId);
    const enrollment = enrollmentId == null ? undefined : intArgument(enrollmentId, 'enrollmentId');
    const where = { ...periodWhere('testedOn', period), ...given({ communeCode, citizenId, enrollment }) };
    const [items, totalCount] = await ctx.em.findAndCount(UrineTest, where, { orderBy: { testedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => Person)
  person(@Root() t: UrineTest) {
    return personOf(t.citizenId);
  }

  @FieldResolver(() => Commune, { description: "The person's commune of residence" })
  commune(@Root() t: UrineTest) {
    return communeOf(t.communeCode);
  }

  @FieldResolver(() => MethadoneEnrollment, { nullable: true, description: 'The methadone enrolment the test belongs to, if any' })
  enrollment(@Root() t: UrineTest, @Ctx() ctx: SubgraphContext) {
    return t.enrollment ? ctx.loaders.one(MethadoneEnrollment, 'id').load(t.enrollment.id) : null;
  }

  @FieldResolver(() => Facility, { nullable: true, description: 'Facility that took the sample' })
  facility(@Root() t: UrineTest, @Ctx() ctx: SubgraphContext) {
    return t.facility ? ctx.loaders.one(Facility, 'id').load(t.facility.id) : null;
  }

  @FieldResolver(() => [UrineTestResult], { description: 'One result per analyte tested' })
  results(@Root() t: UrineTest, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(UrineTestResult, 'test', { orderBy: { id: 'asc' } }).load(t.id);
  }
}
