import { Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { Plan, PlanTarget } from './entities.js';
import { IndicatorValue } from './periods.js';
import type { EffectiveTarget } from './plans.js';

type Planned = IndicatorValue & { indicator: { comparator: string; deadline: string; source: string }; planTarget?: EffectiveTarget | null };

@ObjectType({ description: 'Căn cứ: where the target of an indicator value comes from' })
export class TargetSource {
  @Field(() => Plan, { nullable: true, description: "The plan whose target applies: the province's own, else the national programme; null when only the catalogue sets it" })
  plan!: Plan | null;

  @Field(() => PlanTarget, { nullable: true })
  planTarget!: PlanTarget | null;

  @Field({ description: 'AT_LEAST, ABOVE, AT_MOST, BELOW, or NONE for a context figure' })
  comparator!: string;

  @Field({ description: 'Hạn hoàn thành, YYYY-MM-DD' })
  deadline!: string;

  @Field({ description: 'Document and line the target comes from' })
  citation!: string;
}

/** The plan behind each indicator value's target (periods.ts picks it, plans.ts resolves it). */
@Resolver(() => IndicatorValue)
export class IndicatorValuePlanResolver {
  @FieldResolver(() => TargetSource, { description: "Căn cứ chỉ tiêu: the plan, comparator, deadline and line of the document behind `target`" })
  targetSource(@Root() v: Planned): TargetSource {
    const p = v.planTarget ?? null;
    const citation = p
      ? `${[p.plan.documentNumber, p.plan.issuer].filter(Boolean).join(' — ')}${p.plan.documentDate ? ` (${p.plan.documentDate})` : ''}: “${p.target.seedLine}”`
      : v.indicator.source;
    return Object.assign(new TargetSource(), {
      plan: p?.plan ?? null,
      planTarget: p?.target ?? null,
      comparator: p?.target.comparator ?? v.indicator.comparator,
      deadline: p?.target.deadline ?? v.indicator.deadline,
      citation,
    });
  }
}
