import { nowCount, ONE_PERIOD_ONLY, PageArgs, PeriodArgs, periodWhere, Scopes, Sensitive, SmallCell, type SubgraphContext } from '@pcmt/kit';
import { figures } from '../figures.js';
import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { AddictionAssessment, EnrollmentStatus, Facility, MethadoneEnrollment } from '../entities.js';
import { Commune } from './shared.js';

// What health adds to a Commune of the graph.

@Resolver(() => Commune)
export class CommuneResolver {
  @Scopes('health:read', 'aggregate:read')
  @FieldResolver(() => [Facility], { nullable: true, description: 'Health and rehab facilities standing in this commune' })
  facilities(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Facility, 'communeCode', { orderBy: { id: 'asc' } }).load(c.code);
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => [MethadoneEnrollment], { nullable: true, description: 'Methadone enrolments of patients living in this commune, newest first' })
  async methadoneEnrollments(
    @Root() c: Commune,
    @Args() page: PageArgs,
    @Arg('status', () => EnrollmentStatus, { nullable: true }) status: EnrollmentStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    return ctx.loaders
      .many(MethadoneEnrollment, 'communeCode', { where: status ? { status } : {}, orderBy: { startedOn: 'desc', id: 'asc' }, page })
      .load(c.code);
  }

  @Scopes('aggregate:read', 'health:read')
  @SmallCell()
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Patients of this commune in methadone treatment now (status ACTIVE). Withheld (FORBIDDEN) from callers who may not see identities (no person:identity): two reads around one change would name it; they read CommunePeriod.methadonePatientsAtEnd (a month, small cells withheld)',
  })
  activeMethadonePatientCount(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return nowCount(ctx, 'activeMethadonePatientCount', 'CommunePeriod.methadonePatientsAtEnd', () =>
      ctx.loaders.count(MethadoneEnrollment, 'communeCode', { status: EnrollmentStatus.ACTIVE }).load(c.code),
    );
  }

  @Scopes('aggregate:read', 'health:read')
  @SmallCell()
  @FieldResolver(() => Int, {
    nullable: true,
    description: `Addiction-status assessments of persons living in this commune, in the period. ${ONE_PERIOD_ONLY} CommunePeriod.addictionAssessments`,
  })
  addictionAssessmentCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return figures.rangeCount(ctx, c.code, period, 'addictionAssessments', 'addictionAssessmentCount', () =>
      ctx.loaders.count(AddictionAssessment, 'communeCode', periodWhere('assessedOn', period)).load(c.code),
    );
  }
}
