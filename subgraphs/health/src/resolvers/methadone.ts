import {
  checkCommuneCodeArgument,
  checkPage,
  given,
  intArgument,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodWhere,
  Scopes,
  Sensitive,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { DoseRecord, EnrollmentStatus, EnrollmentStatusChange, Facility, MethadoneEnrollment, UrineTest } from '../entities.js';
import { Person, Commune, personOf, communeOf } from './shared.js';

// Methadone enrolments with their status changes and doses.

const MethadoneEnrollmentPage = PageOf(MethadoneEnrollment, MethadoneEnrollment.name, ['health:read']);

@Resolver(() => MethadoneEnrollment)
export class MethadoneEnrollmentResolver {
  @Scopes('health:read')
  @Sensitive()
  @Query(() => MethadoneEnrollment, { nullable: true, description: 'One methadone enrolment by id' })
  methadoneEnrollment(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(MethadoneEnrollment, 'id').load(intArgument(id));
  }

  @Scopes('health:read')
  @Sensitive()
  @Query(() => MethadoneEnrollmentPage, { description: 'Methadone enrolments started in the period, optionally of one commune, clinic and status, newest first' })
  async methadoneEnrollments(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: "Patient's commune of residence" }) communeCode: string | undefined,
    @Arg('status', () => EnrollmentStatus, { nullable: true }) status: EnrollmentStatus | undefined,
    @Arg('clinicId', () => ID, { nullable: true }) clinicId: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const clinic = clinicId == null ? undefined : intArgument(clinicId, 'clinicId');
    const where = { ...periodWhere('startedOn', period), ...given({ communeCode, status, clinic }) };
    const [items, totalCount] = await ctx.em.findAndCount(MethadoneEnrollment, where, { orderBy: { startedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Scopes('health:read')
  @Sensitive()
  @FieldResolver(() => Person)
  person(@Root() e: MethadoneEnrollment) {
    return personOf(e.citizenId);
  }

  @FieldResolver(() => Commune, { description: "The patient's commune of residence" })
  commune(@Root() e: MethadoneEnrollment) {
    return communeOf(e.communeCode);
  }

  @FieldResolver(() => Facility, { description: 'Methadone clinic treating the patient' })
  clinic(@Root() e: MethadoneEnrollment, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Facility, 'id').load(e.clinic.id);
  }

  @FieldResolver(() => [EnrollmentStatusChange], { description: 'Diễn biến tình trạng điều trị: every status the enrolment took, oldest first (ACTIVE on the day treatment started)' })
  async statusHistory(@Root() e: MethadoneEnrollment, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(EnrollmentStatusChange, 'enrollment', { orderBy: { changedOn: 'asc', id: 'asc' }, page }).load(e.id);
  }

  @FieldResolver(() => [DoseRecord], { description: 'Daily doses in the period, oldest first; only missed (or only taken) days with `missed`' })
  async doses(
    @Root() e: MethadoneEnrollment,
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('missed', () => Boolean, { nullable: true }) missed: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    return ctx.loaders.many(DoseRecord, 'enrollment', { where: { ...periodWhere('day', period), ...given({ missed }) }, orderBy: { day: 'asc' }, page }).load(e.id);
  }

  @FieldResolver(() => Int, { description: 'Days with a dose record in the period (dosed or missed)' })
  doseCount(@Root() e: MethadoneEnrollment, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(DoseRecord, 'enrollment', periodWhere('day', period)).load(e.id);
  }

  @FieldResolver(() => Int, { description: 'Missed days (bỏ liều) in the period' })
  missedDoseCount(@Root() e: MethadoneEnrollment, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(DoseRecord, 'enrollment', { ...periodWhere('day', period), missed: true }).load(e.id);
  }

  @FieldResolver(() => [UrineTest], { description: 'Urine tests of this enrolment in the period, oldest first' })
  async urineTests(@Root() e: MethadoneEnrollment, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(UrineTest, 'enrollment', { where: periodWhere('testedOn', period), orderBy: { testedOn: 'asc', id: 'asc' }, page }).load(e.id);
  }
}
