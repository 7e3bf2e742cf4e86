import {
  checkCitizenIdArgument,
  checkCommuneCodeArgument,
  checkPage,
  communePeriodStub,
  communeStub,
  given,
  intArgument,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodBounds,
  periodReferences,
  periodWhere,
  personStub,
  provincePeriodStub,
  stubRef,
  type SubgraphContext,
  substanceStub,
} from '@pcmt/kit';
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  AddictionAssessment,
  AssessmentResult,
  AssessmentSubstance,
  Counselling,
  CounsellingKind,
  DoseRecord,
  EnrollmentStatus,
  EnrollmentStatusChange,
  Facility,
  FacilityKind,
  IN_TREATMENT,
  MethadoneEnrollment,
  RehabEpisode,
  RehabForm,
  UrineTest,
  UrineTestResult,
} from './entities.js';
import { figures } from './figures.js';

export const Person = personStub();
export type Person = InstanceType<typeof Person>;

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

export const Substance = substanceStub();
export type Substance = InstanceType<typeof Substance>;

export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;

export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

const personOf = (citizenId: string): Person => stubRef(Person, { citizenId });
const communeOf = (code: string): Commune => stubRef(Commune, { code });
const substanceOf = (code: string): Substance => stubRef(Substance, { code });

// Facilities are not personal: the steering committee reads them too.
const FacilityPage = PageOf(Facility, Facility.name, ['scope:health:read', 'scope:aggregate:read']);
const AddictionAssessmentPage = PageOf(AddictionAssessment, AddictionAssessment.name, ['scope:health:read']);
const MethadoneEnrollmentPage = PageOf(MethadoneEnrollment, MethadoneEnrollment.name, ['scope:health:read']);
const UrineTestPage = PageOf(UrineTest, UrineTest.name, ['scope:health:read']);
const RehabEpisodePage = PageOf(RehabEpisode, RehabEpisode.name, ['scope:health:read']);
const CounsellingPage = PageOf(Counselling, Counselling.name, ['scope:health:read']);

/** Episodes that overlap the period (or all, without one): started by its end, not ended before its start. */
function overlapWhere(period: PeriodArgs): Record<string, unknown> {
  const { from, to } = periodBounds(period);
  return {
    ...(to ? { startedOn: { $lte: to } } : {}),
    ...(from ? { $or: [{ endedOn: null }, { endedOn: { $gte: from } }] } : {}),
  };
}

@Resolver(() => Facility)
export class FacilityResolver {
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "scope:aggregate:read")')
  @Query(() => Facility, { nullable: true, description: 'One facility by id' })
  facility(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Facility, 'id').load(intArgument(id));
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "scope:aggregate:read")')
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

@Resolver(() => AddictionAssessment)
export class AddictionAssessmentResolver {
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @Query(() => AddictionAssessmentPage, { description: 'Addiction-status assessments (xác định tình trạng nghiện) in the period, newest first' })
  async addictionAssessments(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: "Person's commune of residence" }) communeCode: string | undefined,
    @Arg('result', () => AssessmentResult, { nullable: true }) result: AssessmentResult | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('assessedOn', period), ...given({ communeCode, result }) };
    const [items, totalCount] = await ctx.em.findAndCount(AddictionAssessment, where, { orderBy: { assessedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => Person)
  person(@Root() a: AddictionAssessment) {
    return personOf(a.citizenId);
  }

  @FieldResolver(() => Commune, { description: "The person's commune of residence" })
  commune(@Root() a: AddictionAssessment) {
    return communeOf(a.communeCode);
  }

  @FieldResolver(() => Facility, { description: 'Facility that made the assessment' })
  facility(@Root() a: AddictionAssessment, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Facility, 'id').load(a.facility.id);
  }

  @FieldResolver(() => Substance, { description: 'Primary substance used' })
  substance(@Root() a: AddictionAssessment) {
    return substanceOf(a.substanceCode);
  }

  @FieldResolver(() => [Substance], { description: 'Every substance the person was found to use, the primary one first' })
  async substances(@Root() a: AddictionAssessment, @Ctx() ctx: SubgraphContext) {
    const rows = await ctx.loaders.many(AssessmentSubstance, 'assessment', { orderBy: { id: 'asc' } }).load(a.id);
    // An assessment recorded before substances were listed separately has only its primary one.
    return (rows.length ? rows.map((r) => r.substanceCode) : [a.substanceCode]).map(substanceOf);
  }
}

@Resolver(() => MethadoneEnrollment)
export class MethadoneEnrollmentResolver {
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @Query(() => MethadoneEnrollment, { nullable: true, description: 'One methadone enrolment by id' })
  methadoneEnrollment(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(MethadoneEnrollment, 'id').load(intArgument(id));
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
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

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
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

@Resolver(() => UrineTest)
export class UrineTestResolver {
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @Query(() => UrineTestPage, { description: 'Urine drug tests in the period, optionally of one commune, person or enrolment, newest first' })
  async urineTests(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: "Person's commune of residence" }) communeCode: string | undefined,
    @Arg('citizenId', () => ID, { nullable: true }) citizenId: string | undefined,
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

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
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

@Resolver(() => RehabEpisode)
export class RehabEpisodeResolver {
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @Query(() => RehabEpisode, { nullable: true, description: 'One rehab episode by id' })
  rehabEpisode(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(RehabEpisode, 'id').load(intArgument(id));
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
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

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
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

@Resolver(() => Counselling)
export class CounsellingResolver {
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
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

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
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

@Resolver(() => Person)
export class PersonResolver {
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [AddictionAssessment], { nullable: true, description: 'Xác định tình trạng nghiện of this person, oldest first' })
  addictionAssessments(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(AddictionAssessment, 'citizenId', { orderBy: { assessedOn: 'asc', id: 'asc' } }).load(p.citizenId);
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [MethadoneEnrollment], { nullable: true, description: 'Methadone enrolments of this person, oldest first' })
  methadoneEnrollments(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(MethadoneEnrollment, 'citizenId', { orderBy: { startedOn: 'asc', id: 'asc' } }).load(p.citizenId);
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [RehabEpisode], { nullable: true, description: 'Rehab episodes (cai nghiện) of this person, oldest first' })
  async rehabEpisodes(@Root() p: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(RehabEpisode, 'citizenId', { orderBy: { startedOn: 'asc', id: 'asc' }, page }).load(p.citizenId);
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [Counselling], { nullable: true, description: 'Counselling sessions of this person in the period, oldest first' })
  async counsellings(@Root() p: Person, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Counselling, 'citizenId', { where: periodWhere('counselledOn', period), orderBy: { counselledOn: 'asc', id: 'asc' }, page }).load(p.citizenId);
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => [UrineTest], { nullable: true, description: 'Urine tests of this person in the period, oldest first' })
  async urineTests(@Root() p: Person, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(UrineTest, 'citizenId', { where: periodWhere('testedOn', period), orderBy: { testedOn: 'asc', id: 'asc' }, page }).load(p.citizenId);
  }

  // What police may know of a person's treatment: whether it goes on, not doses or test results.
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "scope:health:treatment-status")')
  @Directive('@tag(name: "sensitive")')
  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Đang điều trị: true when the person has a methadone enrolment whose current status is ACTIVE or SUSPENDED, false otherwise',
  })
  async inTreatment(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return (await ctx.loaders.count(MethadoneEnrollment, 'citizenId', { status: { $in: [...IN_TREATMENT] } }).load(p.citizenId)) > 0;
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "scope:aggregate:read")')
  @FieldResolver(() => [Facility], { nullable: true, description: 'Health and rehab facilities standing in this commune' })
  facilities(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Facility, 'communeCode', { orderBy: { id: 'asc' } }).load(c.code);
  }

  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
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

  @Directive('@tag(name: "scope:aggregate:read")')
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "small-cell")')
  @FieldResolver(() => Int, { nullable: true, description: 'Patients of this commune in methadone treatment now (status ACTIVE)' })
  activeMethadonePatientCount(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(MethadoneEnrollment, 'communeCode', { status: EnrollmentStatus.ACTIVE }).load(c.code);
  }

  @Directive('@tag(name: "scope:aggregate:read")')
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "small-cell")')
  @FieldResolver(() => Int, { nullable: true, description: 'Addiction-status assessments of persons living in this commune, in the period' })
  addictionAssessmentCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(AddictionAssessment, 'communeCode', periodWhere('assessedOn', period)).load(c.code);
  }
}

export const resolvers = [
  FacilityResolver,
  AddictionAssessmentResolver,
  MethadoneEnrollmentResolver,
  UrineTestResolver,
  RehabEpisodeResolver,
  CounsellingResolver,
  PersonResolver,
  CommuneResolver,
  ...figures.resolvers(CommunePeriod, ProvincePeriod),
] as const;

export const references = {
  Facility: {
    __resolveReference: (ref: { id: string | number }, ctx: SubgraphContext) => ctx.loaders.one(Facility, 'id').load(Number(ref.id)),
  },
  AddictionAssessment: {
    __resolveReference: (ref: { id: string | number }, ctx: SubgraphContext) => ctx.loaders.one(AddictionAssessment, 'id').load(Number(ref.id)),
  },
  MethadoneEnrollment: {
    __resolveReference: (ref: { id: string | number }, ctx: SubgraphContext) => ctx.loaders.one(MethadoneEnrollment, 'id').load(Number(ref.id)),
  },
  Person: {
    __resolveReference: (ref: { citizenId: string }) => personOf(ref.citizenId),
  },
  Commune: {
    __resolveReference: (ref: { code: string }) => communeOf(ref.code),
  },
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
