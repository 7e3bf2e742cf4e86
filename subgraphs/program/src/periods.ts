import { isSmallCell, LocalDate, parsePeriod, previousPeriod, seesSmallCells, turns, type SubgraphContext } from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import DataLoader from 'dataloader';
import { Arg, Ctx, Directive, Field, FieldResolver, Float, ID, Int, ObjectType, Query, registerEnumType, Resolver, Root, type ClassType } from 'type-graphql';
import { Commune, Indicator, Province } from './entities.js';
import { effectiveTargets, type EffectiveTarget } from './plans.js';
import { catalogueRow, COMMUNE_FIGURES, INDICATORS, PERSON_FIGURES, PROVINCE_FIGURES, statusOf, unreported, type Comparator, type Figures, type Level } from './indicators.js';

export enum IndicatorStatus {
  MET = 'MET',
  ON_TRACK = 'ON_TRACK',
  OFF_TRACK = 'OFF_TRACK',
  NO_DATA = 'NO_DATA',
  CONTEXT = 'CONTEXT',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}
registerEnumType(IndicatorStatus, {
  name: 'IndicatorStatus',
  description: 'Đạt / đúng tiến độ / chậm tiến độ / chưa có số liệu / số liệu tình hình',
  valuesConfig: {
    MET: { description: 'Đạt chỉ tiêu' },
    ON_TRACK: { description: 'Chưa đạt nhưng đúng lộ trình từ mốc cơ sở đến hạn' },
    OFF_TRACK: { description: 'Chậm so với lộ trình' },
    NO_DATA: { description: 'Chưa có số liệu: the period starts after the last record of an agency the indicator needs, a figure is missing, or the denominator is 0' },
    CONTEXT: { description: 'Số liệu tình hình: the seed states a situation, not a target, so the value has no status' },
    NOT_APPLICABLE: { description: 'Không áp dụng: the indicator does not apply to the place (the land-border share in a province without a land border)' },
  },
});

@ObjectType({ description: 'A figure shown beside an indicator value (còn hoạt động, tỷ lệ duy trì…)' })
export class IndicatorDetail {
  @Field({ description: 'stillOperating, retentionPercent, persons…' })
  name!: string;

  @Field()
  description!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;
}

@ObjectType({ description: 'One indicator for one commune or province in one period' })
export class IndicatorValue {
  @Field(() => Indicator)
  indicator!: Indicator;

  @Field({ description: "Kỳ báo cáo: '2025', '2025-Q2' or '2025-06'" })
  period!: string;

  @Field(() => Float, { nullable: true, description: 'Percent (or percent change); null without data' })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => Float)
  target!: number;

  @Field(() => IndicatorStatus)
  status!: IndicatorStatus;

  @Field(() => [IndicatorDetail], { description: 'Figures shown beside the value (b: how many still operate; i1: retention…); empty when withheld or without data' })
  details!: IndicatorDetail[];

  @Field({ description: 'Withheld (ô số liệu nhỏ): computed from a count of 1–4 persons, so value, numerator and denominator are null and status NO_DATA for callers who may not see identities' })
  suppressed!: boolean;
}

/** A place-in-period type whose agency figures come in through @requires. */
function periodType(name: string, placeKey: string, figures: typeof COMMUNE_FIGURES, description: string): ClassType<any> {
  const requires = [...figures.int, ...figures.float, ...figures.list, ...figures.date].join(' ');
  @ObjectType(name, { description })
  @Directive(`@key(fields: "${placeKey} period")`)
  class PeriodType {
    @Field(() => [IndicatorValue], { description: 'Every indicator of this level, computed from the agencies\' figures for the period' })
    @Directive(`@requires(fields: "${requires}")`)
    indicators!: IndicatorValue[];
  }
  Field(() => ID)(PeriodType.prototype, placeKey);
  Field(() => String, { description: "Kỳ báo cáo: '2025', '2025-Q2' or '2025-06'" })(PeriodType.prototype, 'period');
  for (const f of figures.int) {
    Field(() => Int, { nullable: true })(PeriodType.prototype, f);
    Directive('@external')(PeriodType.prototype, f);
  }
  for (const f of figures.float) {
    Field(() => Float, { nullable: true })(PeriodType.prototype, f);
    Directive('@external')(PeriodType.prototype, f);
  }
  for (const f of figures.list) {
    Field(() => [String], { nullable: true })(PeriodType.prototype, f);
    Directive('@external')(PeriodType.prototype, f);
  }
  for (const f of figures.date) {
    Field(() => LocalDate, { nullable: true })(PeriodType.prototype, f);
    Directive('@external')(PeriodType.prototype, f);
  }
  return PeriodType;
}

export const CommunePeriod = periodType('CommunePeriod', 'communeCode', COMMUNE_FIGURES, 'One commune in one reporting period (kỳ báo cáo): the figures each agency reports for it');
export const ProvincePeriod = periodType('ProvincePeriod', 'provinceCode', PROVINCE_FIGURES, 'One province in one reporting period (kỳ báo cáo): the figures each agency reports for it');

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

async function indicatorValues(ctx: SubgraphContext, level: Level, figures: Figures, period: string, provinceCode: string | null): Promise<IndicatorValue[]> {
  // Three reads that do not depend on each other, asked together: they come last in a dashboard's
  // plan (after every agency's figures), so each round trip made in turn lengthened every request.
  const [planned, rows, landBorder] = await Promise.all([
    // The province's own plan sets the targets it names; the national programme the rest (plans.ts).
    provinceCode ? effectiveTargets(ctx, provinceCode, parsePeriod(period).to) : new Map<string, EffectiveTarget>(),
    // The catalogue is read once per request, however many places and periods ask.
    ctx.loaders.get('program:indicators', () => new DataLoader<string, Indicator[]>(async (keys) => {
      const all = await ctx.em.find(Indicator, {}, { orderBy: { id: 'asc' } });
      return keys.map(() => all);
    }, ctx.loaders.options)).load('all'),
    // A province without a land-border commune has no land-border share to judge (Ninh Bình: coast, no land border).
    level === 'PROVINCE' && provinceCode ? ctx.loaders.count(Commune, 'province', { border: true }).load(provinceCode).then((n) => n > 0) : true,
  ]);
  // Every place and period of a big request computes here at once: each on a turn (kit turns.ts).
  await turns.point(ctx);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const { from, to: end } = parsePeriod(period);
  const smallCellsVisible = seesSmallCells(ctx.caller?.scopes ?? []);
  return INDICATORS.filter((d) => d.levels.includes(level)).map((d) => {
    // A database seeded before an indicator was added has no row for it: the code's catalogue stands in.
    const row = byId.get(d.id) ?? Object.assign(new Indicator(), catalogueRow(d));
    // Targets as the standing office keeps them in the database.
    const t = d.comparator === 'NONE' ? undefined : planned.get(d.id)?.target;
    const def = t
      ? { ...d, comparator: t.comparator as Comparator, target: t.target, baseline: t.baseline ?? null, baselineYear: t.baselineYear ?? null, deadline: t.deadline }
      : { ...d, comparator: row.comparator as Comparator, target: row.target, baseline: row.baseline ?? null, baselineYear: row.baselineYear ?? null, deadline: row.deadline };
    // Which person counts the computation reads: a small one, or one its agency withheld (null: a
    // small cell or its complement, small-cells.ts), withholds the whole value.
    const read = new Set<string>();
    if (d.landBorderOnly && !landBorder) {
      return Object.assign(new IndicatorValue(), {
        indicator: row, planTarget: t ? planned.get(d.id) : null, place: { province: provinceCode }, period,
        value: null, numerator: null, denominator: null, target: def.target, status: IndicatorStatus.NOT_APPLICABLE, suppressed: false, details: [],
      });
    }
    // A period outside an agency's records has no data: never 0 %, −100 % or MET.
    const c = unreported(d, figures, { from, to: end }, level) ? null : d.compute(new Proxy(figures, { get: (f, name) => (read.add(String(name)), f[name as string]) }));
    // A person count the gateway did not send counts as withheld: fail closed, whatever planner
    // built the representation (a gateway may leave out a required field whose value is null).
    const suppressed = !smallCellsVisible && [...read].some((name) => PERSON_FIGURES.has(name) && (isSmallCell(figures[name]) || figures[name] == null));
    const value = c && !suppressed ? round(c.value) : null;
    return Object.assign(new IndicatorValue(), {
      indicator: row,
      planTarget: t ? planned.get(d.id) : null,
      // Where the value is computed: reporting completeness (reporting.ts) counts this place's communes.
      place: level === 'COMMUNE' ? { commune: String(figures.communeCode) } : { province: provinceCode },
      period,
      value,
      numerator: suppressed ? null : (c?.numerator ?? null),
      denominator: suppressed ? null : (c?.denominator ?? null),
      target: def.target,
      status: (suppressed && def.comparator !== 'NONE' ? 'NO_DATA' : statusOf(def, value, end)) as IndicatorStatus,
      suppressed,
      details: value === null ? [] : (c?.details ?? []).map((x) => Object.assign(new IndicatorDetail(), { ...x, value: round(x.value) })),
    });
  });
}

/** Consecutive periods of the same kind, from..to inclusive (trend charts). */
export function periodRange(from: string, to: string): string[] {
  const a = parsePeriod(from, 'from');
  const b = parsePeriod(to, 'to');
  if (a.kind !== b.kind) throw new GraphQLError('from and to must be periods of the same kind', { extensions: { code: 'BAD_USER_INPUT', field: 'to' } });
  if (a.from > b.from) throw new GraphQLError('from must not be after to', { extensions: { code: 'BAD_USER_INPUT', field: 'from' } });
  const out = [to];
  while (out[0] !== from) {
    out.unshift(previousPeriod(out[0]));
    if (out.length > 60) throw new GraphQLError('at most 60 periods', { extensions: { code: 'BAD_USER_INPUT', field: 'from' } });
  }
  return out;
}

const communePeriod = (communeCode: string, period: string) => Object.assign(new CommunePeriod(), { communeCode, period: parsePeriod(period).id });
const provincePeriod = (provinceCode: string, period: string) => Object.assign(new ProvincePeriod(), { provinceCode, period: parsePeriod(period).id });

@Resolver(() => CommunePeriod)
export class CommunePeriodResolver {
  @FieldResolver(() => [IndicatorValue])
  async indicators(@Root() root: Figures & { period: string }, @Ctx() ctx: SubgraphContext) {
    const commune = await ctx.loaders.one(Commune, 'code').load(String(root.communeCode));
    return indicatorValues(ctx, 'COMMUNE', root, root.period, commune?.province.code ?? null);
  }
}

@Resolver(() => ProvincePeriod)
export class ProvincePeriodResolver {
  @FieldResolver(() => [IndicatorValue])
  indicators(@Root() root: Figures & { period: string }, @Ctx() ctx: SubgraphContext) {
    return indicatorValues(ctx, 'PROVINCE', root, root.period, String(root.provinceCode));
  }
}

@Resolver(() => Commune)
export class CommunePeriodEntryResolver {
  @FieldResolver(() => CommunePeriod, { description: "The commune in one reporting period ('2025', '2025-Q2', '2025-06'): every agency's figures and the indicators" })
  period(@Root() c: Commune, @Arg('period') period: string) {
    return communePeriod(c.code, period);
  }

  @FieldResolver(() => [CommunePeriod], { description: 'Consecutive periods from..to (same kind) for trends' })
  periods(@Root() c: Commune, @Arg('from') from: string, @Arg('to') to: string) {
    return periodRange(from, to).map((p) => communePeriod(c.code, p));
  }
}

@Resolver(() => Province)
export class ProvincePeriodEntryResolver {
  @FieldResolver(() => ProvincePeriod, { description: "The province in one reporting period: every agency's figures and the indicators" })
  period(@Root() p: Province, @Arg('period') period: string) {
    return provincePeriod(p.code, period);
  }

  @FieldResolver(() => [ProvincePeriod], { description: 'Consecutive periods from..to (same kind) for trends' })
  periods(@Root() p: Province, @Arg('from') from: string, @Arg('to') to: string) {
    return periodRange(from, to).map((x) => provincePeriod(p.code, x));
  }
}



export const periodReferences = {
  CommunePeriod: {
    // The representation carries the required figures: keep them for `indicators`.
    __resolveReference: (ref: Figures & { communeCode: string; period: string }) => Object.assign(new CommunePeriod(), ref, { period: parsePeriod(ref.period).id }),
  },
  ProvincePeriod: {
    __resolveReference: (ref: Figures & { provinceCode: string; period: string }) => Object.assign(new ProvincePeriod(), ref, { period: parsePeriod(ref.period).id }),
  },
  Indicator: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(Indicator, 'id').load(ref.id),
  },
};


@Resolver(() => Indicator)
export class IndicatorResolver {
  @Query(() => [Indicator], { description: 'The programme indicators (chỉ tiêu) with targets and sources' })
  indicators(@Ctx() ctx: SubgraphContext) {
    return ctx.em.find(Indicator, {}, { orderBy: { id: 'asc' } });
  }

  @Query(() => Indicator, { nullable: true })
  indicator(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Indicator, 'id').load(id);
  }
}

export const periodResolvers = [CommunePeriodResolver, ProvincePeriodResolver, CommunePeriodEntryResolver, ProvincePeriodEntryResolver, IndicatorResolver] as const;
