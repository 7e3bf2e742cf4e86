import { communeStub, personStub, stubRef, substanceStub, checkPage, PageArgs, PageOf, PeriodArgs, periodWhere, slicePage, type SubgraphContext } from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  AddictionAssessment,
  AssessmentResult,
  DoseRecord,
  EnrollmentStatus,
  Facility,
  FacilityKind,
  MethadoneEnrollment,
} from './entities.js';

export const Person = personStub();
export type Person = InstanceType<typeof Person>;

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

export const Substance = substanceStub();
export type Substance = InstanceType<typeof Substance>;

const personOf = (citizenId: string): Person => stubRef(Person, { citizenId });
const communeOf = (code: string): Commune => stubRef(Commune, { code });
const substanceOf = (code: string): Substance => stubRef(Substance, { code });

const FacilityPage = PageOf(Facility);
const AddictionAssessmentPage = PageOf(AddictionAssessment);
const MethadoneEnrollmentPage = PageOf(MethadoneEnrollment);

const COMMUNE_CODE = /^\d{5}$/;

function checkCommuneCode(code: string | undefined | null): void {
  if (code != null && !COMMUNE_CODE.test(code)) {
    throw new GraphQLError('communeCode must be 5 digits', { extensions: { code: 'BAD_USER_INPUT', field: 'communeCode' } });
  }
}

/** IDs travel as strings; our keys are integers. */
function intId(id: string | number, field = 'id'): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new GraphQLError(`${field} must be a positive integer`, { extensions: { code: 'BAD_USER_INPUT', field } });
  }
  return n;
}

@Resolver(() => Facility)
export class FacilityResolver {
  @Query(() => Facility, { nullable: true, description: 'One facility by id' })
  facility(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Facility, 'id').load(intId(id));
  }

  @Query(() => FacilityPage, { description: 'Facilities, optionally of one commune and kind, by id' })
  async facilities(
    @Args() page: PageArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Arg('kind', () => FacilityKind, { nullable: true }) kind: FacilityKind | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCode(communeCode);
    const where = { ...(communeCode ? { communeCode } : {}), ...(kind ? { kind } : {}) };
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
  @Query(() => AddictionAssessmentPage, { description: 'Addiction-status assessments (xác định tình trạng nghiện) in the period, newest first' })
  async addictionAssessments(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: "Person's commune of residence" }) communeCode: string | undefined,
    @Arg('result', () => AssessmentResult, { nullable: true }) result: AssessmentResult | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCode(communeCode);
    const where = { ...periodWhere('assessedOn', period), ...(communeCode ? { communeCode } : {}), ...(result ? { result } : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(AddictionAssessment, where, { orderBy: { assessedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

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
}

@Resolver(() => MethadoneEnrollment)
export class MethadoneEnrollmentResolver {
  @Query(() => MethadoneEnrollment, { nullable: true, description: 'One methadone enrolment by id' })
  methadoneEnrollment(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(MethadoneEnrollment, 'id').load(intId(id));
  }

  @Query(() => MethadoneEnrollmentPage, { description: 'Methadone enrolments started in the period, optionally of one commune and status, newest first' })
  async methadoneEnrollments(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true, description: "Patient's commune of residence" }) communeCode: string | undefined,
    @Arg('status', () => EnrollmentStatus, { nullable: true }) status: EnrollmentStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    checkCommuneCode(communeCode);
    const where = { ...periodWhere('startedOn', period), ...(communeCode ? { communeCode } : {}), ...(status ? { status } : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(MethadoneEnrollment, where, { orderBy: { startedOn: 'desc', id: 'asc' }, limit, offset });
    return { items, totalCount };
  }

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

  @FieldResolver(() => [DoseRecord], { description: 'Daily doses in the period, oldest first' })
  async doses(@Root() e: MethadoneEnrollment, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    const rows = await ctx.loaders.many(DoseRecord, 'enrollment', { where: periodWhere('day', period), orderBy: { day: 'asc' } }).load(e.id);
    return slicePage(rows, page);
  }

  @FieldResolver(() => Int, { description: 'Days with a dose record in the period (dosed or missed)' })
  doseCount(@Root() e: MethadoneEnrollment, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(DoseRecord, 'enrollment', periodWhere('day', period)).load(e.id);
  }

  @FieldResolver(() => Int, { description: 'Missed days (bỏ liều) in the period' })
  missedDoseCount(@Root() e: MethadoneEnrollment, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(DoseRecord, 'enrollment', { ...periodWhere('day', period), missed: true }).load(e.id);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => [AddictionAssessment], { description: 'Xác định tình trạng nghiện of this person, oldest first' })
  addictionAssessments(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(AddictionAssessment, 'citizenId', { orderBy: { assessedOn: 'asc', id: 'asc' } }).load(p.citizenId);
  }

  @FieldResolver(() => [MethadoneEnrollment], { description: 'Methadone enrolments of this person, oldest first' })
  methadoneEnrollments(@Root() p: Person, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(MethadoneEnrollment, 'citizenId', { orderBy: { startedOn: 'asc', id: 'asc' } }).load(p.citizenId);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @FieldResolver(() => [Facility], { description: 'Health and rehab facilities standing in this commune' })
  facilities(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Facility, 'communeCode', { orderBy: { id: 'asc' } }).load(c.code);
  }

  @FieldResolver(() => [MethadoneEnrollment], { description: 'Methadone enrolments of patients living in this commune, newest first' })
  async methadoneEnrollments(
    @Root() c: Commune,
    @Args() page: PageArgs,
    @Arg('status', () => EnrollmentStatus, { nullable: true }) status: EnrollmentStatus | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const rows = await ctx.loaders
      .many(MethadoneEnrollment, 'communeCode', { where: status ? { status } : {}, orderBy: { startedOn: 'desc', id: 'asc' } })
      .load(c.code);
    return slicePage(rows, page);
  }

  @FieldResolver(() => Int, { description: 'Patients of this commune in methadone treatment now (status ACTIVE)' })
  activeMethadonePatientCount(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(MethadoneEnrollment, 'communeCode', { status: EnrollmentStatus.ACTIVE }).load(c.code);
  }

  @FieldResolver(() => Int, { description: 'Addiction-status assessments of persons living in this commune, in the period' })
  addictionAssessmentCount(@Root() c: Commune, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(AddictionAssessment, 'communeCode', periodWhere('assessedOn', period)).load(c.code);
  }
}

export const resolvers = [
  FacilityResolver,
  AddictionAssessmentResolver,
  MethadoneEnrollmentResolver,
  PersonResolver,
  CommuneResolver,
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
};
