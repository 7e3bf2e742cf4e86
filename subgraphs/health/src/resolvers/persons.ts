import { PageArgs, PeriodArgs, periodWhere, Scopes, Sensitive, type SubgraphContext } from '@pcmt/kit';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { AddictionAssessment, Counselling, IN_TREATMENT, MethadoneEnrollment, RehabEpisode, UrineTest } from '../entities.js';
import { Person } from './shared.js';

// What health adds to a Person of the graph.

@Resolver(() => Person)
export class PersonResolver {
  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => [AddictionAssessment], { nullable: true, description: 'Xác định tình trạng nghiện of this person, oldest first' })
  addictionAssessments(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(AddictionAssessment, 'citizenId', { orderBy: { assessedOn: 'asc', id: 'asc' } }).load(p.citizenId);
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => [MethadoneEnrollment], { nullable: true, description: 'Methadone enrolments of this person, oldest first' })
  methadoneEnrollments(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(MethadoneEnrollment, 'citizenId', { orderBy: { startedOn: 'asc', id: 'asc' } }).load(p.citizenId);
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => [RehabEpisode], { nullable: true, description: 'Rehab episodes (cai nghiện) of this person, oldest first' })
  async rehabEpisodes(@Root() p: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(RehabEpisode, 'citizenId', { orderBy: { startedOn: 'asc', id: 'asc' }, page }).load(p.citizenId);
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => [Counselling], { nullable: true, description: 'Counselling sessions of this person in the period, oldest first' })
  async counsellings(@Root() p: Person, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Counselling, 'citizenId', { where: periodWhere('counselledOn', period), orderBy: { counselledOn: 'asc', id: 'asc' }, page }).load(p.citizenId);
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => [UrineTest], { nullable: true, description: 'Urine tests of this person in the period, oldest first' })
  async urineTests(@Root() p: Person, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(UrineTest, 'citizenId', { where: periodWhere('testedOn', period), orderBy: { testedOn: 'asc', id: 'asc' }, page }).load(p.citizenId);
  }

  // What police may know of a person's treatment: whether it goes on, not doses or test results.
  @Scopes('health:read', 'health:treatment-status')
  @Sensitive()
  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Đang điều trị: true when the person has a methadone enrolment whose current status is ACTIVE or SUSPENDED, false otherwise',
  })
  async inTreatment(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return (await ctx.loaders.count(MethadoneEnrollment, 'citizenId', { status: { $in: [...IN_TREATMENT] } }).load(p.citizenId)) > 0;
  }
}
