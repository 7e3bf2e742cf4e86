import { checkArgument, idempotentWrite, InputErrors, LocalDate, outsideArea, type Em, Scopes, type SubgraphContext } from '@pcmt/kit';
import DataLoader from 'dataloader';
import { Arg, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Indicator, Plan, PlanTarget, Province } from './entities.js';
import { PLAN_COMPARATORS, SEEDED_PLANS, type PlanDoc } from './plan-documents.js';

const PROVINCE_CODE = /^\d{2}$/;
/** Plan ids: letters, digits and - (e.g. QN-32-CT-TU-2023). */
const PLAN_ID = /^[A-Z0-9][A-Z0-9-]{2,39}$/;

/** A plan's target as an indicator of a province uses it: the target and the plan it comes from. */
export interface EffectiveTarget {
  plan: Plan;
  target: PlanTarget;
}

/** Newest document first; a plan without a date (the source does not show it) counts as the oldest. */
const newestFirst = (a: Plan, b: Plan) => (b.documentDate ?? '').localeCompare(a.documentDate ?? '') || b.recordedAt.localeCompare(a.recordedAt);

/**
 * The target of each indicator for a province in a period ending on `periodEnd`: its own plans
 * first (newest document first), then the national programme; a plan issued after the period does
 * not judge it. Read once per request for all provinces and periods asked.
 */
export function effectiveTargets(ctx: SubgraphContext, provinceCode: string, periodEnd: string): Promise<Map<string, EffectiveTarget>> {
  return ctx.loaders
    .get('program:plan-targets', () => new DataLoader<string, Map<string, EffectiveTarget>>(async (keys) => {
      const asked = keys.map((k) => k.split('|') as [string, string]);
      const applying = { $or: [{ provinceCode: { $in: [...new Set(asked.map(([code]) => code))] } }, { provinceCode: null }] };
      // The plans and their targets at once (the targets through their plan's province), not one after the other.
      const [plans, targets] = await Promise.all([ctx.em.find(Plan, applying), ctx.em.find(PlanTarget, { plan: applying })]);
      const byPlan = new Map<string, PlanTarget[]>();
      for (const t of targets) byPlan.set(t.plan.id, [...(byPlan.get(t.plan.id) ?? []), t]);
      const inForce = (p: Plan, end: string) => p.documentDate == null || p.documentDate <= end;
      const national = plans.filter((p) => p.provinceCode == null).sort(newestFirst);
      return asked.map(([code, end]) => {
        const out = new Map<string, EffectiveTarget>();
        for (const plan of [...plans.filter((p) => p.provinceCode === code).sort(newestFirst), ...national].filter((p) => inForce(p, end))) {
          for (const target of byPlan.get(plan.id) ?? []) if (!out.has(target.indicatorId)) out.set(target.indicatorId, { plan, target });
        }
        return out;
      });
    }, ctx.loaders.options))
    .load(`${provinceCode}|${periodEnd}`);
}

/** Writes the seed documents' plans for one province, and the national programme once. */
export async function seedPlans(em: Em, provinceCode: string, indicatorIds: ReadonlySet<string>): Promise<{ plan: number; plan_target: number }> {
  const docs = SEEDED_PLANS.filter((d) => d.provinceCode === provinceCode || d.provinceCode === null);
  const existing = new Set((await em.find(Plan, { id: { $in: docs.map((d) => d.id) } }, { fields: ['id'] })).map((p) => p.id));
  const fresh = docs.filter((d) => !existing.has(d.id));
  const recordedAt = new Date().toISOString();
  let targets = 0;
  for (const doc of fresh) {
    const { targets: list, ...plan } = doc;
    em.create(Plan, { ...plan, recordedBy: 'seed', recordedAt });
    // Only targets of indicators the catalogue has: the rest wait until the indicator exists.
    for (const t of list.filter((x) => indicatorIds.has(x.indicatorId))) {
      em.create(PlanTarget, { ...t, baseline: t.baseline ?? null, baselineYear: t.baselineYear ?? null, plan: doc.id as any });
      targets++;
    }
  }
  await em.flush();
  return { plan: fresh.length, plan_target: targets };
}

export function seededPlansOf(provinceCode: string): PlanDoc[] {
  return SEEDED_PLANS.filter((d) => d.provinceCode === provinceCode);
}

@InputType({ description: 'Chỉ tiêu: the target a new plan sets for one indicator' })
export class PlanTargetInput {
  @Field(() => ID, { description: 'Indicator.id (a, b1, dd1, f1, managed…)' })
  indicatorId!: string;

  @Field({ description: 'AT_LEAST, ABOVE ("trên"), AT_MOST or BELOW ("giảm")' })
  comparator!: string;

  @Field(() => Float)
  target!: number;

  @Field(() => Float, { nullable: true })
  baseline?: number | null;

  @Field(() => Int, { nullable: true })
  baselineYear?: number | null;

  @Field(() => LocalDate, { description: 'Hạn hoàn thành' })
  deadline!: string;

  @Field({ description: 'Câu trích: the line of the document the target comes from' })
  seedLine!: string;
}

@InputType({ description: 'Ban hành kế hoạch: a province plan (kế hoạch, chỉ thị, nghị quyết) with its targets' })
export class AddPlanInput {
  @Field(() => ID, { description: 'Short id: capitals, digits and -, e.g. CB-KH-125-2026' })
  id!: string;

  @Field(() => ID, { description: 'Mã tỉnh of the province the plan is for' })
  provinceCode!: string;

  @Field({ description: 'Trích yếu' })
  title!: string;

  @Field({ description: 'Số ký hiệu, e.g. 125/KH-UBND' })
  documentNumber!: string;

  @Field(() => LocalDate, { description: 'Ngày ban hành; not in the future' })
  documentDate!: string;

  @Field({ description: 'Cơ quan ban hành' })
  issuer!: string;

  @Field(() => String, { nullable: true, description: 'Link to the published document' })
  sourceLink?: string | null;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => [PlanTargetInput], { description: 'At least one target, one per indicator' })
  targets!: PlanTargetInput[];

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}

/** Every problem of the input at once; nothing is written when there is one. */
async function addPlan(ctx: SubgraphContext, input: AddPlanInput): Promise<Plan> {
  const { idempotencyKey, ...data } = input;
  const { result } = await idempotentWrite(ctx.em, Plan, { key: idempotencyKey, operation: 'addPlan', input: data }, async (tx) => {
    const errs = new InputErrors();
    errs.check(typeof data.id === 'string' && PLAN_ID.test(data.id), 'id', 'must be 3–40 capitals, digits or -, e.g. CB-KH-125-2026');
    if (errs.check(PROVINCE_CODE.test(data.provinceCode), 'provinceCode', 'must be 2 digits')) {
      if (errs.check((await tx.findOne(Province, { code: data.provinceCode })) !== null, 'provinceCode', `unknown province ${data.provinceCode}`)) {
        await ctx.area.ready;
        // A provincial office adds its own province's plans only.
        if (!ctx.area.coversProvince(data.provinceCode)) throw outsideArea(`province ${data.provinceCode}`);
      }
    }
    for (const f of ['title', 'documentNumber', 'issuer'] as const) errs.check(data[f].trim().length > 0 && data[f].length <= (f === 'documentNumber' ? 40 : 500), f, 'must not be empty (at most 500 characters; a number at most 40)');
    errs.date('documentDate', data.documentDate, { notFuture: true, notBefore: '1990-01-01' });
    if (data.sourceLink != null) errs.check(/^(https:\/\/\S{1,240}|[\w.-]{1,80}\.txt)$/.test(data.sourceLink), 'sourceLink', 'must be an https link or a seed file name');
    if (errs.check(data.targets.length > 0 && data.targets.length <= 60, 'targets', 'must name 1–60 targets')) {
      const known = new Set((await tx.find(Indicator, {}, { fields: ['id'] })).map((i) => i.id));
      const seen = new Set<string>();
      data.targets.forEach((t, i) => {
        const at = `targets[${i}]`;
        if (errs.check(known.has(t.indicatorId), `${at}.indicatorId`, `unknown indicator ${t.indicatorId}`)) errs.check(!seen.has(t.indicatorId), `${at}.indicatorId`, `${t.indicatorId} is set twice`);
        seen.add(t.indicatorId);
        errs.check((PLAN_COMPARATORS as readonly string[]).includes(t.comparator), `${at}.comparator`, `must be one of ${PLAN_COMPARATORS.join(', ')}`);
        errs.check(Number.isFinite(t.target) && Math.abs(t.target) <= 1000, `${at}.target`, 'must be a number between -1000 and 1000');
        if (t.baseline != null) errs.check(Number.isFinite(t.baseline) && Math.abs(t.baseline) <= 1000, `${at}.baseline`, 'must be a number between -1000 and 1000');
        if (errs.date(`${at}.deadline`, t.deadline, { notBefore: '1990-01-01' }) && t.baselineYear != null) {
          errs.check(Number.isInteger(t.baselineYear) && t.baselineYear >= 1990 && t.baselineYear <= Number(t.deadline.slice(0, 4)), `${at}.baselineYear`, 'must be a year from 1990 to the deadline');
        }
        errs.check(t.seedLine.trim().length > 0 && t.seedLine.length <= 2000, `${at}.seedLine`, 'must quote the line of the document (1–2000 characters)');
      });
    }
    if (typeof data.id === 'string' && PLAN_ID.test(data.id)) errs.check((await tx.findOne(Plan, { id: data.id })) === null, 'id', `plan ${data.id} already exists`);
    errs.throwIfAny();
    const caller = ctx.caller;
    const plan = tx.create(Plan, {
      id: data.id,
      provinceCode: data.provinceCode,
      title: data.title.trim(),
      documentNumber: data.documentNumber.trim(),
      documentDate: data.documentDate,
      issuer: data.issuer.trim(),
      sourceLink: data.sourceLink ?? null,
      note: data.note ?? null,
      // Who recorded it stays with the plan: the audit trail of a public document.
      recordedBy: caller ? `${caller.agency}/${caller.sub}`.slice(0, 255) : 'operator',
      recordedAt: new Date().toISOString(),
    });
    for (const t of data.targets) {
      tx.create(PlanTarget, { plan, indicatorId: t.indicatorId, comparator: t.comparator, target: t.target, baseline: t.baseline ?? null, baselineYear: t.baselineYear ?? null, deadline: t.deadline, seedLine: t.seedLine.trim() });
    }
    return plan;
  });
  return result;
}

@Resolver(() => Plan)
export class PlanResolver {
  @Query(() => [Plan], { description: 'Kế hoạch PCMT: the plans of one province (newest document first), or every plan; the national programme has no province' })
  async plans(@Arg('provinceCode', () => ID, { nullable: true }) provinceCode: string | undefined, @Ctx() ctx: SubgraphContext) {
    if (provinceCode != null) checkArgument(provinceCode, PROVINCE_CODE, 'provinceCode', '2 digits');
    const rows = await ctx.em.find(Plan, provinceCode != null ? { provinceCode } : {});
    return rows.sort((a, b) => (a.provinceCode ?? '').localeCompare(b.provinceCode ?? '') || newestFirst(a, b));
  }

  @Query(() => Plan, { nullable: true })
  plan(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Plan, 'id').load(id);
  }

  @FieldResolver(() => [PlanTarget], { description: 'Chỉ tiêu of the plan, by indicator' })
  targets(@Root() plan: Plan, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(PlanTarget, 'plan', { orderBy: { indicatorId: 'asc' } }).load(plan.id);
  }

  @Scopes('program:write')
  @Mutation(() => Plan, { description: "Adds a province's plan with its targets (văn phòng thường trực BCĐ); its targets replace older documents' for that province" })
  addPlan(@Arg('input', () => AddPlanInput) input: AddPlanInput, @Ctx() ctx: SubgraphContext) {
    return addPlan(ctx, input);
  }
}

@Resolver(() => PlanTarget)
export class PlanTargetResolver {
  @FieldResolver(() => ID)
  planId(@Root() t: PlanTarget) {
    return t.plan.id;
  }
}

@Resolver(() => Province)
export class ProvincePlanResolver {
  @FieldResolver(() => [Plan], { description: "The province's own plans, newest document first (the national programme fills in what they do not set)" })
  async plans(@Root() p: Province, @Ctx() ctx: SubgraphContext) {
    return (await ctx.em.find(Plan, { provinceCode: p.code })).sort(newestFirst);
  }
}

export const planResolvers = [PlanResolver, PlanTargetResolver, ProvincePlanResolver] as const;
