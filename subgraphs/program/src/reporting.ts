import { checkArgument, commaList, InputErrors, outsideArea, parsePeriod, rngFor, Scopes, todayInVietnam, type Em, type SubgraphContext, type SyntheticProvince } from '@pcmt/kit';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, Float, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Commune, ReportingPeriodClosure } from './entities.js';
import { INDICATORS, type Agency } from './indicators.js';
import { IndicatorValue } from './periods.js';

/**
 * Reporting completeness (DHIS2's reporting rates): an agency closes (khóa sổ) a period for a
 * commune once everything is in; an indicator value says, for each agency it reads, how many of
 * its communes that agency has closed the period for. A period counts as reported when it was
 * closed itself, inside a closed longer period (a month of a closed quarter), or when every part
 * of it was (the four quarters of a year, the three months of a quarter).
 */
export const REPORTING_AGENCIES: readonly Agency[] = ['police', 'health', 'education', 'customs', 'legal-aid', 'border-guard'];

/** The year and quarter a month or quarter lies in. */
export function enclosingPeriods(id: string): string[] {
  const p = parsePeriod(id);
  const year = id.slice(0, 4);
  if (p.kind === 'MONTH') return [`${year}-Q${Math.ceil(Number(id.slice(5, 7)) / 3)}`, year];
  if (p.kind === 'QUARTER') return [year];
  return [];
}

/** The parts of a year (quarters) or a quarter (months). */
export function partsOf(id: string): string[] {
  const p = parsePeriod(id);
  if (p.kind === 'YEAR') return [1, 2, 3, 4].map((q) => `${id}-Q${q}`);
  if (p.kind === 'QUARTER') {
    const q = Number(id.slice(6));
    return [1, 2, 3].map((m) => `${id.slice(0, 4)}-${String((q - 1) * 3 + m).padStart(2, '0')}`);
  }
  return [];
}

/** Whether `closed` (periods an agency closed for one commune) covers `period`. */
export function covers(closed: ReadonlySet<string>, period: string): boolean {
  if (closed.has(period) || enclosingPeriods(period).some((p) => closed.has(p))) return true;
  const parts = partsOf(period);
  return parts.length > 0 && parts.every((p) => covers(closed, p));
}

/** Every period whose closure can matter for `period`: itself, what encloses it, its parts and theirs. */
function relevant(period: string): string[] {
  const parts = partsOf(period);
  return [period, ...enclosingPeriods(period), ...parts, ...parts.flatMap(partsOf)];
}

@ObjectType({ description: 'Tỷ lệ báo cáo: how many of the communes an agency has closed the period for' })
export class AgencyReporting {
  @Field({ description: 'police, health, education, customs, legal-aid or border-guard' })
  agency!: string;

  @Field(() => Int, { description: 'Communes the agency has closed the period for' })
  reportedCommunes!: number;

  @Field(() => Int, { description: 'Communes of the place' })
  communes!: number;

  @Field(() => Float, { description: 'reportedCommunes / communes in percent (100 = complete)' })
  completeness!: number;
}

type Place = { commune?: string; province?: string | null };

/** Per request: the communes of the provinces asked and every closure that matters for the periods asked, read together. */
function reportingLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('program:reporting', () => new DataLoader<string, Map<string, { reported: number; communes: number }>>(async (keys) => {
    const asked = keys.map((k) => JSON.parse(k) as { place: Place; period: string });
    const provinces = [...new Set(asked.map((a) => a.place.province).filter((p): p is string => !!p))];
    const named = [...new Set(asked.map((a) => a.place.commune).filter((c): c is string => !!c))];
    const periods = [...new Set(asked.flatMap((a) => relevant(a.period)))];
    // The provinces' communes and the closures of every commune asked, at once: the closures select a
    // province's communes themselves. Closures are public to whoever may see the place's figures: the
    // area check was made on the place itself. Plain rows, not entities: a province's closures are
    // thousands (4,404 at scale 1), and building each as an entity cost more than the query; one row
    // per agency and commune (900) took 4 ms less to build and copy than a row per closure. ('' is no
    // code: SQL has no empty `in ()`.)
    const meta = ctx.em.getMetadata();
    const [communes, rows] = await Promise.all([
      provinces.length ? ctx.em.find(Commune, { province: { code: { $in: provinces } } }, { fields: ['code', 'province'] }) : [],
      ctx.em.execute<Array<{ agency: string; commune_code: string; periods: string }>>(
        `select agency, commune_code, ${commaList(ctx.em, 'period')} as periods from ${meta.get(ReportingPeriodClosure).tableName}
         where period in (?) and commune_code in (select code from ${meta.get(Commune).tableName} where province_code in (?) or code in (?))
         group by agency, commune_code`,
        [periods, provinces.length ? provinces : [''], named.length ? named : ['']],
      ),
    ]);
    const byProvince = new Map<string, string[]>();
    for (const c of communes) byProvince.set(c.province.code, [...(byProvince.get(c.province.code) ?? []), c.code]);
    const communesOf = (a: { place: Place }) => (a.place.commune ? [a.place.commune] : byProvince.get(a.place.province ?? '') ?? []);
    const closed = new Map(rows.map((r) => [`${r.agency}|${r.commune_code}`, new Set(r.periods.split(','))]));
    return asked.map((a) => {
      const communes = communesOf(a);
      return new Map(REPORTING_AGENCIES.map((agency) => [agency, {
        reported: communes.filter((c) => covers(closed.get(`${agency}|${c}`) ?? new Set(), a.period)).length,
        communes: communes.length,
      }]));
    });
  }, ctx.loaders.options));
}

const agenciesOf = new Map(INDICATORS.map((d) => [d.id, d.agencies]));

@Resolver(() => IndicatorValue)
export class IndicatorValueReportingResolver {
  @FieldResolver(() => [AgencyReporting], { description: "Tỷ lệ báo cáo: for each agency the value reads, the share of the place's communes it has closed the period for; below 100 the value rests on unreported data" })
  async reporting(@Root() v: IndicatorValue & { place?: Place }, @Ctx() ctx: SubgraphContext): Promise<AgencyReporting[]> {
    const agencies = agenciesOf.get(v.indicator.id) ?? [];
    if (!v.place || agencies.length === 0) return [];
    const figures = await reportingLoader(ctx).load(JSON.stringify({ place: v.place, period: v.period }));
    return agencies.map((agency) => {
      const f = figures.get(agency) ?? { reported: 0, communes: 0 };
      return Object.assign(new AgencyReporting(), { agency, reportedCommunes: f.reported, communes: f.communes, completeness: f.communes ? Math.round((f.reported / f.communes) * 10_000) / 100 : 0 });
    });
  }
}

@InputType({ description: 'Khóa sổ kỳ báo cáo: the caller\'s agency has reported everything for these communes and this period' })
export class CloseReportingPeriodInput {
  @Field(() => [String], { description: 'Mã xã, 1–500 communes of your area' })
  communeCodes!: string[];

  @Field({ description: "Kỳ báo cáo that has ended: '2025', '2025-Q2' or '2025-06'" })
  period!: string;
}

@Resolver(() => ReportingPeriodClosure)
export class ReportingResolver {
  @Query(() => [ReportingPeriodClosure], { description: 'Khóa sổ: the closures of one commune (newest period first), in your area' })
  async reportingPeriodClosures(@Arg('communeCode') communeCode: string, @Ctx() ctx: SubgraphContext) {
    checkArgument(communeCode, /^\d{5}$/, 'communeCode', '5 digits');
    return ctx.em.find(ReportingPeriodClosure, { communeCode }, { orderBy: { period: 'desc', agency: 'asc' } });
  }

  // A scope every reporting agency's officers hold; each closes for itself (the caller's agency), never for another.
  @Scopes('reporting:close')
  @Mutation(() => [ReportingPeriodClosure], { description: "Khóa sổ kỳ báo cáo for the caller's agency: closing a closed period again changes nothing" })
  async closeReportingPeriod(@Arg('input', () => CloseReportingPeriodInput) input: CloseReportingPeriodInput, @Ctx() ctx: SubgraphContext) {
    const agency = ctx.caller?.agency ?? '';
    if (!(REPORTING_AGENCIES as readonly string[]).includes(agency) || !ctx.caller?.scopes.includes(`${agency}:write`)) {
      throw new GraphQLError('Forbidden: only an agency that reports data closes its periods', { extensions: { code: 'FORBIDDEN' } });
    }
    const errs = new InputErrors();
    let ended = false;
    try {
      ended = parsePeriod(input.period).to < todayInVietnam();
      errs.check(ended, 'period', 'must have ended: a running period cannot be closed');
    } catch {
      errs.add('period', "must be '2025', '2025-Q2' or '2025-06'");
    }
    const codes = [...new Set(input.communeCodes)];
    if (errs.check(codes.length > 0 && codes.length <= 500, 'communeCodes', 'must name 1–500 communes')) {
      codes.forEach((c, i) => errs.check(/^\d{5}$/.test(c), `communeCodes[${i}]`, 'must be 5 digits'));
    }
    errs.throwIfAny();
    const known = new Set((await ctx.em.find(Commune, { code: { $in: codes } }, { fields: ['code'], filters: false })).map((c) => c.code));
    codes.forEach((c, i) => errs.check(known.has(c), `communeCodes[${i}]`, `unknown commune code ${c}`));
    errs.throwIfAny();
    await ctx.area.ready;
    const outside = codes.find((c) => !ctx.area.covers(c));
    if (outside) throw outsideArea(`commune ${outside}`);
    const by = `${agency}/${ctx.caller!.sub}`.slice(0, 255);
    return ctx.em.transactional(async (tx) => {
      const had = new Set((await tx.find(ReportingPeriodClosure, { agency, period: input.period, communeCode: { $in: codes } })).map((r) => r.communeCode));
      const at = new Date().toISOString();
      for (const communeCode of codes.filter((c) => !had.has(c))) tx.create(ReportingPeriodClosure, { agency, communeCode, period: input.period, closedBy: by, closedAt: at });
      await tx.flush();
      return tx.find(ReportingPeriodClosure, { agency, period: input.period, communeCode: { $in: codes } }, { orderBy: { communeCode: 'asc' } });
    });
  }
}

/**
 * Synthetic closures: every agency closed the year before the data year and the data year's first
 * three quarters everywhere; the fourth quarter in about 90 % of the communes (so the data year is
 * not complete). From its own stream: the rest of the province stays as it was.
 */
export async function seedReporting(em: Em, p: SyntheticProvince): Promise<number> {
  const f = rngFor(p.seed, 'program-reporting');
  const at = `${p.year + 1}-01-10T00:00:00.000Z`;
  const rows: Array<Omit<ReportingPeriodClosure, 'id'>> = [];
  for (const agency of REPORTING_AGENCIES) {
    for (const c of p.communes) {
      const periods = [String(p.year - 1), `${p.year}-Q1`, `${p.year}-Q2`, `${p.year}-Q3`, ...(f.number.float() < 0.9 ? [`${p.year}-Q4`] : [])];
      for (const period of periods) rows.push({ agency, communeCode: c.code, period, closedBy: 'seed', closedAt: at });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await em.insertMany(ReportingPeriodClosure, rows.slice(i, i + 500));
  return rows.length;
}

export const reportingResolvers = [IndicatorValueReportingResolver, ReportingResolver] as const;
