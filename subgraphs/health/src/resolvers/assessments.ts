import {
  checkCommuneCodeArgument,
  checkPage,
  given,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodWhere,
  Scopes,
  Sensitive,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { AddictionAssessment, AssessmentResult, AssessmentSubstance, Facility } from '../entities.js';
import { Person, Commune, Substance, personOf, communeOf, substanceOf } from './shared.js';

// Addiction-status assessments (xác định tình trạng nghiện).

const AddictionAssessmentPage = PageOf(AddictionAssessment, AddictionAssessment.name, ['health:read']);

@Resolver(() => AddictionAssessment)
export class AddictionAssessmentResolver {
  @Scopes('health:read')
  @Sensitive()
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

  @Scopes('health:read')
  @Sensitive()
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
