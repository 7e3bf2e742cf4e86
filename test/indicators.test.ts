import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ALL_AGENCIES, startTestFederation, type TestFederation } from './harness.js';

// Every indicator computed straight from the agencies' databases with this file's own SQL and
// arithmetic, from the seed definitions (shared/DOMAIN.md, seeds 000–004), then compared with what
// the graph returns (program computes it through federation): values and statuses.

let fed: TestFederation;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 61, scale: 0.1 });
});

afterAll(async () => {
  await fed?.close();
});

interface Span {
  from: string;
  to: string;
  /** The same period one year earlier (change indicators). */
  lastFrom: string;
  lastTo: string;
  year: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const monthEnd = (y: number, m: number) => `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;

function span(period: string): Span {
  const y = Number(period.slice(0, 4));
  let [m0, m1] = [1, 12];
  if (/-Q\d$/.test(period)) [m0, m1] = [(Number(period.slice(6)) - 1) * 3 + 1, (Number(period.slice(6)) - 1) * 3 + 3];
  else if (/^\d{4}-\d{2}$/.test(period)) m0 = m1 = Number(period.slice(5));
  return { from: `${y}-${pad(m0)}-01`, to: monthEnd(y, m1), lastFrom: `${y - 1}-${pad(m0)}-01`, lastTo: monthEnd(y - 1, m1), year: y };
}

/** `commune_code in (...)` for one commune or every commune of the province. */
function place(codes: string[], column = 'commune_code') {
  return { sql: `${column} in (${codes.map(() => '?').join(',')})`, params: codes };
}

async function one(subgraph: string, sql: string, params: unknown[]): Promise<number> {
  const rows = await fed.sql<any>(subgraph, sql, params);
  return Number(Object.values(rows[0] ?? { n: 0 })[0] ?? 0);
}

/** The latest date in a column, as YYYY-MM-DD, or null. */
async function latest(subgraph: string, sql: string, params: unknown[]): Promise<string | null> {
  const rows = await fed.sql<any>(subgraph, sql, params);
  const v = Object.values(rows[0] ?? {})[0] as unknown;
  if (v == null) return null;
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
}

const truth = (subgraph: string) => (fed.services.get(subgraph)!.config.database.kind === 'sqlite' ? '1' : 'true');

const pct = (a: number, b: number) => (b > 0 ? (a / b) * 100 : null);
const chg = (a: number, b: number) => (b > 0 ? ((a - b) / b) * 100 : null);
const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

type Agency = 'police' | 'health' | 'education' | 'customs' | 'legal-aid' | 'border-guard';

/** Whose records each indicator needs (this file's own reading of the seeds). */
const NEEDS: Record<string, Agency[]> = {
  a: ['police'], b1: ['police'], b2: ['police'], b3: ['police'], c1: ['border-guard'], c2: ['border-guard'], d1: ['police', 'customs', 'border-guard'], d2: ['police'], d3: ['police'],
  dd1: ['health'], dd2: ['health'], e: ['police', 'health'], e3: ['health'], g1: ['education'], g2: ['education'], g3: ['education'],
  h: ['legal-aid'], i1: ['health'], i2: ['health', 'police'], border: ['police', 'customs', 'border-guard'], f1: ['police'], f2: ['police'],
  managed: ['police', 'health'], outside: ['police', 'health'], e1: [], relapse: [], units: [],
};

/**
 * Seizures are rare events: a place where an agency never seized adds 0, not "unreported", and only
 * the province's first and last seizure say whether the period is reported (a commune may see one a year).
 */
const SPARSE: Agency[] = ['customs', 'border-guard'];

/** The national catalogue's comparator and target (004 unless named): "trên X %" strict, "100 %" and "ít nhất" inclusive, "giảm" below 0. */
const RULES: Record<string, [string, number]> = {
  a: ['BELOW', 0], b1: ['AT_LEAST', 100], b2: ['AT_LEAST', 100], b3: ['AT_LEAST', 100], c1: ['ABOVE', 80], c2: ['ABOVE', 80], d1: ['ABOVE', 3], d2: ['ABOVE', 3], d3: ['ABOVE', 5],
  dd1: ['ABOVE', 80], dd2: ['AT_LEAST', 100], e: ['ABOVE', 70], e3: ['AT_LEAST', 0], g1: ['AT_LEAST', 100], g2: ['ABOVE', 70], g3: ['ABOVE', 80],
  h: ['AT_LEAST', 100], i1: ['AT_LEAST', 100], i2: ['ABOVE', 90], border: ['ABOVE', 70], f1: ['ABOVE', 50], f2: ['AT_MOST', -10], managed: ['AT_LEAST', 100], outside: ['NONE', 86.3],
  e1: ['AT_LEAST', 100], relapse: ['AT_MOST', -10], units: ['AT_LEAST', 100],
};

/** The target in force for a value (the province's plan, else the national programme), as the graph cites it. */
interface TargetInForce {
  comparator: string;
  target: number;
  baseline: number | null;
  baselineYear: number | null;
  deadline: string;
}

const reaches = (cmp: string, v: number, t: number) => (cmp === 'BELOW' ? v < t : cmp === 'AT_MOST' ? v <= t : cmp === 'ABOVE' ? v > t : v >= t);

/** This file's own status rules: context, no data, met, on track against the straight line from the baseline, off track. */
function expectedStatus(t: TargetInForce, value: number | null, year: number): string {
  if (t.comparator === 'NONE') return 'CONTEXT';
  if (value === null) return 'NO_DATA';
  if (reaches(t.comparator, value, t.target)) return 'MET';
  const end = Number(t.deadline.slice(0, 4));
  if (t.baseline === null || t.baselineYear === null || year >= end) return 'OFF_TRACK';
  return reaches(t.comparator, value, t.baseline + ((t.target - t.baseline) * (year - t.baselineYear)) / (end - t.baselineYear)) ? 'ON_TRACK' : 'OFF_TRACK';
}

/** The first and the last day each agency has a record for the place. */
async function dataSpan(codes: string[]): Promise<Record<Agency, { since: string | null; through: string | null }>> {
  const w = place(codes);
  const pick = (which: 'min' | 'max', ...d: Array<string | null>) => d.filter((x): x is string => x !== null).sort().at(which === 'min' ? 0 : -1) ?? null;
  const day = (which: 'min' | 'max', subgraph: string, table: string, column: string) => latest(subgraph, `select ${which}(${column}) from ${table} where ${w.sql}`, w.params);
  const span = async (subgraph: string, sources: Array<[string, string]>) => ({
    since: pick('min', ...(await Promise.all(sources.map(([t, c]) => day('min', subgraph, t, c))))),
    through: pick('max', ...(await Promise.all(sources.map(([t, c]) => day('max', subgraph, t, c))))),
  });
  return {
    police: await span('police', [['management_file', 'opened_on'], ['drug_case', 'reported_on']]),
    health: await span('health', [['counselling', 'counselled_on'], ['addiction_assessment', 'assessed_on']]),
    education: await span('education', [['awareness_activity', 'held_on']]),
    customs: await span('customs', [['seizure', 'seized_on']]),
    'legal-aid': await span('legal-aid', [['legal_aid_request', 'received_on']]),
    'border-guard': await span('border-guard', [['border_guard_seizure', 'seized_on']]),
  };
}

interface Expected {
  values: Record<string, number | null>;
  /** Indicators that do not apply to the place (the land-border share where there is no land border). */
  notApplicable?: string[];
  /** b: how many detected in the period still operate at its end; i1: retention. */
  details: Record<string, number | null>;
}

async function expectedIndicators(codes: string[], period: string, level: 'COMMUNE' | 'PROVINCE'): Promise<Expected> {
  const s = span(period);
  const w = place(codes);
  const yes = truth('police');
  const openAt = (day: string, categories: string[], distinct = false) =>
    one(
      'police',
      `select ${distinct ? 'count(distinct person_citizen_id)' : 'count(*)'} from management_file where ${w.sql} and category in (${categories.map((c) => `'${c}'`).join(',')}) and opened_on <= ? and (closed_on is null or closed_on > ?)`,
      [...w.params, day, day],
    );
  const cases = (from: string, to: string, cond: string) => one('police', `select count(*) from drug_case where ${w.sql} and reported_on between ? and ? and ${cond}`, [...w.params, from, to]);
  // Seizures of customs and of the Border Guard, each in its own database, each not handed over to a police case (those are police cases).
  const seizures = async (from: string, to: string, routes: string) =>
    (await one('customs', `select count(*) from seizure where ${w.sql} and seized_on between ? and ? and drug_case_id is null and route in (${routes})`, [...w.params, from, to])) +
    (await one('border-guard', `select count(*) from border_guard_seizure where ${w.sql} and seized_on between ? and ? and drug_case_id is null and route in (${routes})`, [...w.params, from, to]));
  const users = await openAt(s.to, ['ILLEGAL_USER']);
  const addicts = await openAt(s.to, ['ADDICT']);
  const usersLast = await openAt(s.lastTo, ['ILLEGAL_USER']);
  const addictsLast = await openAt(s.lastTo, ['ADDICT']);
  const population = await openAt(s.to, ['ILLEGAL_USER', 'ADDICT', 'POST_REHAB'], true);
  // Indicator b: a cohort — detected in the period, and of those, dismantled by its end.
  const cohort = async (table: string, done: string, measure = 'count(*)') => {
    const detected = await one('police', `select coalesce(${measure}, 0) from ${table} where ${w.sql} and detected_on between ? and ?`, [...w.params, s.from, s.to]);
    const dismantled = await one('police', `select coalesce(${measure}, 0) from ${table} where ${w.sql} and detected_on between ? and ? and ${done} <= ?`, [...w.params, s.from, s.to, s.to]);
    return { value: pct(dismantled, detected), still: detected > 0 ? detected - dismantled : null };
  };
  const b1 = await cohort('hotspot', 'dismantled_on');
  const b2 = await cohort('retail_dealer', 'dealt_with_on');
  const b3 = await cohort('cultivation_site', 'destroyed_on', 'sum(area_m2)');
  // Indicator d: every agency's detections once (a seizure handed over is a police case).
  const seaExpress = async (from: string, to: string) => (await cases(from, to, `route in ('SEA', 'POSTAL_EXPRESS')`)) + (await seizures(from, to, `'SEA', 'POSTAL_EXPRESS'`));
  const organised = `transnational = ${yes} and organised = ${yes}`;
  const cyber = `(cyberspace = ${yes} or route = 'CYBERSPACE')`;
  const policeKg = await one('police', `select coalesce(sum(i.kg_equivalent), 0) from case_seized_item i join drug_case c on c.id = i.drug_case_id where c.${w.sql} and c.reported_on between ? and ?`, [...w.params, s.from, s.to]);
  const customsKg = (cond: string) =>
    one('customs', `select coalesce(sum(i.kg_equivalent), 0) from seized_item i join seizure z on z.id = i.seizure_id where z.${w.sql} and z.seized_on between ? and ? and ${cond}`, [...w.params, s.from, s.to]);
  const borderGuardKg = (cond: string) =>
    one('border-guard', `select coalesce(sum(i.quantity_kg), 0) from border_guard_seized_item i join border_guard_seizure z on z.id = i.seizure_id where z.${w.sql} and z.seized_on between ? and ? and ${cond}`, [...w.params, s.from, s.to]);
  const schools = await one('education', `select count(*) from school where ${w.sql}`, w.params);
  const reached = await one('education', `select count(distinct s.id) from school s join awareness_activity a on a.school_id = s.id where s.${w.sql} and a.held_on between ? and ?`, [...w.params, s.from, s.to]);
  const ipWorkers = await one('education', `select coalesce(sum(workers), 0) from enterprise where ${w.sql} and industrial_park is not null`, w.params);
  // g2: persons (004 g "người lao động"), from the attendance lists; the attendances are shown beside.
  const ipAttendances = await one('education', `select coalesce(sum(a.participants), 0) from awareness_activity a join enterprise e on e.id = a.enterprise_id where e.${w.sql} and e.industrial_park is not null and a.held_on between ? and ?`, [...w.params, s.from, s.to]);
  const ipWorkersReached = await one(
    'education',
    `select count(distinct l.worker_key) from worker_attendance l join awareness_activity a on a.id = l.activity_id join enterprise e on e.id = a.enterprise_id
      where e.${w.sql} and e.industrial_park is not null and a.held_on between ? and ?`,
    [...w.params, s.from, s.to],
  );
  const legalAidPersons = (cond: string) =>
    one('legal-aid', `select count(distinct citizen_id) from legal_aid_request where ${w.sql} and received_on between ? and ? and eligibility_group <> 'NOT_ELIGIBLE' and ${cond}`, [...w.params, s.from, s.to]);

  const values: Record<string, number | null> = {
    a: chg(users + addicts, usersLast + addictsLast),
    b1: b1.value,
    b2: b2.value,
    b3: b3.value,
    d1: chg(await seaExpress(s.from, s.to), await seaExpress(s.lastFrom, s.lastTo)),
    d2: chg(await cases(s.from, s.to, organised), await cases(s.lastFrom, s.lastTo, organised)),
    d3: chg(await cases(s.from, s.to, cyber), await cases(s.lastFrom, s.lastTo, cyber)),
    g1: pct(reached, schools),
    g2: pct(ipWorkersReached, ipWorkers),
    h: pct(await legalAidPersons(`status in ('ACCEPTED', 'IN_PROGRESS', 'COMPLETED')`), await legalAidPersons('1 = 1')),
  };
  const notApplicable: string[] = [];
  const health = await expectedHealth(codes, s, { users, addicts, population }, level);
  Object.assign(values, health.values);
  if (level === 'PROVINCE') {
    // 001: land-border seizures (customs and the Border Guard) over everything seized in the whole province, each seizure once.
    const landBorder = (await customsKg(`z.route = 'LAND_BORDER'`)) + (await borderGuardKg(`z.route = 'LAND_BORDER'`));
    values.border = pct(landBorder, policeKg + (await customsKg('z.drug_case_id is null')) + (await borderGuardKg('z.drug_case_id is null')));
    // A province with no land-border commune has no land-border share to judge (001 is about a border province).
    const borderCommunes = await one('program', `select count(*) from commune where code in (${codes.map(() => '?').join(',')}) and border = ${truth('program')}`, codes);
    if (borderCommunes === 0) notApplicable.push('border');
    const classified = (y: number) => one('police', `select count(*) from commune_drug_situation where ${w.sql} and year = ?`, [...w.params, y]);
    const free = await one('police', `select count(*) from commune_drug_situation where ${w.sql} and year = ? and classification = 'DRUG_FREE'`, [...w.params, s.year]);
    const problems = (y: number) => one('police', `select count(*) from commune_drug_situation where ${w.sql} and year = ? and classification <> 'DRUG_FREE'`, [...w.params, y]);
    values.f1 = pct(free, await classified(s.year));
    // A year nobody classified is no data, on either side of the comparison.
    values.f2 = (await classified(s.year)) > 0 && (await classified(s.year - 1)) > 0 ? chg(await problems(s.year), await problems(s.year - 1)) : null;
    const main = `main = ${truth('education')}`;
    // Indicator c: the Border Guard's specialised units and officers as they stood on the last day.
    const teams = (equipped: boolean) =>
      one('border-guard', `select count(*) from anti_drug_team where ${w.sql} and established_on <= ?${equipped ? ' and equipped_on <= ?' : ''}`, [...w.params, s.to, ...(equipped ? [s.to] : [])]);
    values.c1 = pct(await teams(true), await teams(false));
    const officers = (cond: string) =>
      one(
        'border-guard',
        `select count(*) from anti_drug_officer o join anti_drug_team t on t.id = o.team_id where t.${w.sql} and o.joined_on <= ? and (o.left_on is null or o.left_on > ?) and ${cond}`,
        [...w.params, s.to, s.to, ...(cond.includes('?') ? [s.to] : [])],
      );
    values.c2 = pct(await officers('o.equipped_on <= ?'), await officers('1 = 1'));
    // No agency publishes these yet (facility conditions, relapses, drug-free units): no data, never 0 %.
    Object.assign(values, { e1: null, relapse: null, units: null });
    values.g3 = pct(await one('education', `select count(*) from media_outlet where ${main} and column_since <= ?`, [s.to]), await one('education', `select count(*) from media_outlet where ${main}`, []));
  }
  // A period outside an agency's records has no data, whatever the registers say.
  const spans = await dataSpan(codes);
  const outside = (a: Agency) => {
    if (SPARSE.includes(a) && (level === 'COMMUNE' || spans[a].through === null)) return false;
    return spans[a].through === null || spans[a].through! < s.from || spans[a].since! > s.to;
  };
  for (const id of Object.keys(values)) if (NEEDS[id].some(outside) || notApplicable.includes(id)) values[id] = null;
  const details = { b1: b1.still, b2: b2.still, b3: b3.still, i1: health.retention, g2: ipWorkers > 0 ? ipAttendances : null };
  for (const id of Object.keys(details) as Array<keyof typeof details>) if (values[id] === null) details[id] = null;
  return { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v)])), details: Object.fromEntries(Object.entries(details).map(([k, v]) => [k, round(v)])), notApplicable };
}

/** The health side, and the indicators that join health with police figures. */
async function expectedHealth(
  codes: string[],
  s: Span,
  police: { users: number; addicts: number; population: number },
  level: 'COMMUNE' | 'PROVINCE',
): Promise<{ values: Record<string, number | null>; retention: number | null }> {
  const w = place(codes);
  const yes = truth('health');
  const open = `(opened_on is null or opened_on <= ?)`;
  const facilities = (kind: string, able = false) =>
    one('health', `select count(*) from facility where ${w.sql} and kind = ? and ${open}${able ? ` and can_assess_addiction = ${yes}` : ''}`, [...w.params, kind, s.to]);
  const counselled = await one('health', `select count(distinct citizen_id) from counselling where ${w.sql} and counselled_on between ? and ?`, [...w.params, s.from, s.to]);
  const inTreatment = await one('health', `select count(distinct enrollment_id) from enrollment_status_change where ${w.sql} and status in ('ACTIVE', 'SUSPENDED') and changed_on <= ? and (superseded_on is null or superseded_on >= ?)`, [...w.params, s.to, s.from]);
  // i1's numerator: persons in treatment on the last day who are assessed opioid addicts by then (004 i: "người nghiện các chất dạng thuốc phiện").
  const opioidAddictsInTreatment = await one(
    'health',
    `select count(distinct m.citizen_id) from enrollment_status_change c join methadone_enrollment m on m.id = c.enrollment_id
      where c.${w.sql} and c.status in ('ACTIVE', 'SUSPENDED') and c.changed_on <= ? and (c.superseded_on is null or c.superseded_on > ?)
        and m.citizen_id in (select a.citizen_id from addiction_assessment a join assessment_substance x on x.assessment_id = a.id
                              where a.result = 'ADDICTED' and a.assessed_on <= ? and x.substance_code in ('HEROIN', 'OPIUM'))`,
    [...w.params, s.to, s.to, s.to],
  );
  const retained = await one(
    'health',
    `select count(distinct enrollment_id) from enrollment_status_change where ${w.sql} and (
       (status in ('ACTIVE', 'SUSPENDED') and changed_on <= ? and (superseded_on is null or superseded_on > ?))
       or (status in ('COMPLETED', 'TRANSFERRED') and changed_on between ? and ?))`,
    [...w.params, s.to, s.to, s.from, s.to],
  );
  const opioidAddicts = await one(
    'health',
    `select count(distinct a.citizen_id) from addiction_assessment a join assessment_substance x on x.assessment_id = a.id
      where a.${w.sql} and a.result = 'ADDICTED' and a.assessed_on <= ? and x.substance_code in ('HEROIN', 'OPIUM')`,
    [...w.params, s.to],
  );
  const assessed = await one('health', `select count(distinct citizen_id) from addiction_assessment where ${w.sql} and result = 'ADDICTED' and assessed_on <= ?`, [...w.params, s.to]);
  const episodes = (forms: string, from: string, to: string) =>
    one('health', `select count(distinct citizen_id) from rehab_episode where ${w.sql} and form in (${forms}) and started_on <= ? and (ended_on is null or ended_on >= ?)`, [...w.params, to, from]);
  const inFacility = await episodes(`'VOLUNTARY_FACILITY', 'COMPULSORY'`, s.from, s.to);
  const inFacilityShare = pct(inFacility, police.users + police.addicts);
  const values: Record<string, number | null> = {
    dd1: pct(await facilities('COMMUNE_HEALTH_STATION', true), await facilities('COMMUNE_HEALTH_STATION')),
    e3: chg(await episodes(`'VOLUNTARY_HOME_COMMUNITY'`, s.from, s.to), await episodes(`'VOLUNTARY_HOME_COMMUNITY'`, s.lastFrom, s.lastTo)),
    i1: pct(opioidAddictsInTreatment, opioidAddicts),
    i2: pct(counselled, police.population),
    managed: pct(police.users + police.addicts, police.users + assessed),
    outside: inFacilityShare === null ? null : 100 - inFacilityShare,
  };
  if (level === 'PROVINCE') {
    values.dd2 = pct(await facilities('PUBLIC_REHAB', true), await facilities('PUBLIC_REHAB'));
    // Indicator e: communes with addicts (police files) that have a reception point (health).
    let withAddicts = 0;
    let withBoth = 0;
    for (const code of codes) {
      const addicts = await one('police', `select count(*) from management_file where commune_code = ? and category = 'ADDICT' and opened_on <= ? and (closed_on is null or closed_on > ?)`, [code, s.to, s.to]);
      if (addicts === 0) continue;
      withAddicts++;
      if ((await one('health', `select count(*) from facility where commune_code = ? and kind = 'COMMUNITY_REHAB_POINT' and ${open}`, [code, s.to])) > 0) withBoth++;
    }
    values.e = pct(withBoth, withAddicts);
  }
  return { values, retention: pct(retained, inTreatment) };
}

const FIELDS = `indicators {
  indicator { id baseline baselineYear }
  value status target details { name value }
  targetSource { comparator deadline planTarget { baseline baselineYear } }
}`;
const COMMUNE = `query($code: ID!, $period: String!) { commune(code: $code) { period(period: $period) { ${FIELDS} } } }`;
const PROVINCE = `query($code: ID!, $period: String!) { province(code: $code) { period(period: $period) { ${FIELDS} } } }`;

interface GraphValue {
  indicator: { id: string; baseline: number | null; baselineYear: number | null };
  value: number | null;
  status: string;
  target: number;
  targetSource: { comparator: string; deadline: string; planTarget: { baseline: number | null; baselineYear: number | null } | null };
  details: Array<{ name: string; value: number | null }>;
}

const byId = (indicators: GraphValue[]) => Object.fromEntries(indicators.map((v) => [v.indicator.id, v]));

async function provinceValues(period: string, code = fed.province.province.code, token?: string): Promise<Record<string, GraphValue>> {
  const res = await fed.query(PROVINCE, { code, period }, { token });
  expect(res.errors).toBeUndefined();
  return byId(res.data.province.period.indicators);
}

function compare(graph: Record<string, GraphValue>, expected: Expected, year: number, where: Record<string, string> = {}) {
  // The graph computes exactly the indicators this file knows, no more, no fewer.
  expect(Object.keys(graph).sort()).toEqual(Object.keys(expected.values).sort());
  for (const [id, value] of Object.entries(expected.values)) {
    const g = graph[id];
    const base = g.targetSource.planTarget ?? g.indicator;
    const inForce = { comparator: g.targetSource.comparator, target: g.target, baseline: base.baseline, baselineYear: base.baselineYear, deadline: g.targetSource.deadline };
    const status = expected.notApplicable?.includes(id) ? 'NOT_APPLICABLE' : expectedStatus(inForce, value, year);
    expect({ ...where, id, value: g.value, status: g.status }).toEqual({ ...where, id, value, status });
  }
  for (const [id, value] of Object.entries(expected.details)) {
    if (!graph[id]) continue;
    const shown = graph[id].details.find((d) => d.name === (id === 'i1' ? 'retentionPercent' : id === 'g2' ? 'attendances' : 'stillOperating'))?.value ?? null;
    expect({ ...where, id, detail: shown }).toEqual({ ...where, id, detail: value });
  }
}

describe('indicators equal an independent computation from the databases', () => {
  test.each(['2025', '2024', '2025-Q2', '2025-Q4', '2025-03'])('province, period %s', async (period) => {
    const graph = await provinceValues(period);
    const expected = await expectedIndicators(fed.province.communes.map((c) => c.code), period, 'PROVINCE');
    compare(graph, expected, span(period).year, { period });
    if (period === '2025') {
      const shown = Object.fromEntries(Object.values(graph).map((v) => [v.indicator.id, `${v.value} ${v.status}`]));
      console.log(`indicators of the seeded province, 2025: ${JSON.stringify(shown)}`);
    }
  });

  test.each(['2025', '2025-Q2', '2025-06'])('three communes, period %s', async (period) => {
    const busiest = await fed.sql<any>('police', 'select commune_code from management_file group by commune_code order by count(*) desc, commune_code limit 3');
    for (const { commune_code: code } of busiest) {
      const res = await fed.query(COMMUNE, { code, period });
      expect(res.errors).toBeUndefined();
      const expected = await expectedIndicators([code], period, 'COMMUNE');
      compare(byId(res.data.commune.period.indicators), expected, span(period).year, { code, period });
    }
  });
});

describe('status rules and edge cases', () => {
  test('the national catalogue reads the seeds: "trên" strict, "100 %" inclusive, "giảm" below 0, context without a target', async () => {
    const res = await fed.query('{ indicators { id comparator target } }');
    expect(res.errors).toBeUndefined();
    const catalogue = Object.fromEntries(res.data.indicators.map((i: any) => [i.id, [i.comparator, i.target]]));
    for (const [id, rule] of Object.entries(RULES)) expect({ id, rule: catalogue[id] }).toEqual({ id, rule });
  });

  test.each(['2026', '2030-Q4', '2030-12'])('a period after the agencies\' last records (%s) is NO_DATA everywhere, never 0 %, −100 % or MET', async (period) => {
    const graph = await provinceValues(period);
    for (const v of Object.values(graph)) {
      expect({ id: v.indicator.id, value: v.value, status: v.status, details: v.details }).toEqual({ id: v.indicator.id, value: null, status: v.indicator.id === 'outside' ? 'CONTEXT' : 'NO_DATA', details: [] });
    }
  });

  test('a period before any record (2015) is NO_DATA, not a 0 % ratio of the registers', async () => {
    const graph = await provinceValues('2015');
    // Registers without dates (schools, health stations, media) exist, but nothing was reported then.
    for (const id of ['a', 'b1', 'd1', 'g1', 'g2', 'h', 'i1', 'i2', 'f1', 'f2']) expect({ id, status: graph[id].status }).toEqual({ id, status: 'NO_DATA' });
  });

  test('the first year without a previous one: change indicators are NO_DATA, not +∞ or MET', async () => {
    // Police cases and customs seizures begin in 2024: 2024 has no 2023 to compare with.
    expect(await one('police', `select count(*) from drug_case where reported_on < '2024-01-01'`, [])).toBe(0);
    const graph = await provinceValues('2024');
    for (const id of ['d1', 'd2', 'd3']) expect({ id, value: graph[id].value, status: graph[id].status }).toEqual({ id, value: null, status: 'NO_DATA' });
    // f2 compares with 2023, which police never classified.
    expect(graph.f2).toMatchObject({ value: null, status: 'NO_DATA' });
  });

  test('a quarter compares with the same quarter of the previous year, and so does a month', async () => {
    for (const period of ['2025-Q3', '2025-11']) {
      const s = span(period);
      const organised = `transnational = ${truth('police')} and organised = ${truth('police')}`;
      const now = await one('police', `select count(*) from drug_case where reported_on between ? and ? and ${organised}`, [s.from, s.to]);
      const before = await one('police', `select count(*) from drug_case where reported_on between ? and ? and ${organised}`, [s.lastFrom, s.lastTo]);
      const graph = await provinceValues(period);
      expect({ period, d2: graph.d2.value }).toEqual({ period, d2: round(chg(now, before)) });
      // f2 of a quarter is its year's classification against the previous year's, never the year with itself.
      const year = await provinceValues(period.slice(0, 4));
      expect({ period, f2: graph.f2.value }).toEqual({ period, f2: year.f2.value });
    }
  });

  test('denominator 0 is NO_DATA: a commune-month where nothing was detected has no b1', async () => {
    const rows = await fed.sql<any>('police', `select commune_code from management_file group by commune_code order by count(*) desc, commune_code limit 1`);
    const code = rows[0].commune_code;
    for (const month of ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']) {
      const s = span(month);
      const detected = await one('police', `select count(*) from hotspot where commune_code = ? and detected_on between ? and ?`, [code, s.from, s.to]);
      if (detected > 0) continue;
      const res = await fed.query(COMMUNE, { code, period: month });
      const b1 = byId(res.data.commune.period.indicators).b1;
      expect({ month, value: b1.value, status: b1.status }).toEqual({ month, value: null, status: 'NO_DATA' });
      return;
    }
    throw new Error('every month had a hotspot detected in the busiest commune: pick another seed');
  });

  test('each seizure once: customs seeds no Border Guard seizure (the Border Guard records its own), and d1 and border read both agencies', async () => {
    expect(await one('customs', `select count(*) from seizure where agency = 'BORDER_GUARD'`, [])).toBe(0);
    expect(await one('border-guard', `select count(*) from border_guard_seizure where seized_on between '2025-01-01' and '2025-12-31' and drug_case_id is null`, [])).toBeGreaterThan(0);
    const graph = await provinceValues('2025-Q3');
    // The province's sums with and without the Border Guard differ, and the graph's is the one with it.
    const s = span('2025-Q3');
    const kg = (db: string, table: string, item: string, measure: string, cond: string) =>
      one(db, `select coalesce(sum(i.${measure}), 0) from ${item} i join ${table} z on z.id = i.seizure_id where z.seized_on between ? and ? and ${cond}`, [s.from, s.to]);
    const borderGuardLand = await kg('border-guard', 'border_guard_seizure', 'border_guard_seized_item', 'quantity_kg', `z.route = 'LAND_BORDER'`);
    expect(borderGuardLand).toBeGreaterThan(0);
    const customsLand = await kg('customs', 'seizure', 'seized_item', 'kg_equivalent', `z.route = 'LAND_BORDER'`);
    const police = await one('police', `select coalesce(sum(i.kg_equivalent), 0) from case_seized_item i join drug_case c on c.id = i.drug_case_id where c.reported_on between ? and ?`, [s.from, s.to]);
    const all = police + (await kg('customs', 'seizure', 'seized_item', 'kg_equivalent', 'z.drug_case_id is null')) + (await kg('border-guard', 'border_guard_seizure', 'border_guard_seized_item', 'quantity_kg', 'z.drug_case_id is null'));
    expect(graph.border.value).toBe(round(pct(customsLand + borderGuardLand, all)));
    expect(graph.border.value).not.toBe(round(pct(customsLand, all)));
  });

  test('i1: an enrolment of a person without an opioid assessment is in treatment but not in the numerator', async () => {
    const [row] = await fed.sql<any>('health', `select c.commune_code as code, m.clinic_id as clinic from enrollment_status_change c join methadone_enrollment m on m.id = c.enrollment_id where c.status = 'ACTIVE' and c.superseded_on is null order by c.commune_code limit 1`);
    const citizen = '099999000001';
    expect(await one('health', `select count(*) from addiction_assessment where citizen_id = ?`, [citizen])).toBe(0);
    await fed.sql('health', `insert into methadone_enrollment (citizen_id, clinic_id, commune_code, started_on, status, current_dose_mg) values (?, ?, ?, '2025-02-03', 'ACTIVE', 60)`, [citizen, row.clinic, row.code]);
    const [{ id }] = await fed.sql<any>('health', `select id from methadone_enrollment where citizen_id = ?`, [citizen]);
    await fed.sql('health', `insert into enrollment_status_change (enrollment_id, commune_code, status, changed_on, superseded_on, reason) values (?, ?, 'ACTIVE', '2025-02-03', null, null)`, [id, row.code]);
    // A month no other test asks for, so no cached answer stands in.
    const period = '2025-05';
    const res = await fed.query(`query($code: ID!, $period: String!) { commune(code: $code) { period(period: $period) { methadonePatientsAtEnd indicators { indicator { id } value numerator } } } }`, { code: row.code, period });
    expect(res.errors).toBeUndefined();
    const p = res.data.commune.period;
    const i1 = byId(p.indicators).i1 as unknown as { value: number | null; numerator: number | null };
    const enrolments = await one('health', `select count(distinct enrollment_id) from enrollment_status_change where commune_code = ? and status in ('ACTIVE', 'SUSPENDED') and changed_on <= '2025-05-31' and (superseded_on is null or superseded_on > '2025-05-31')`, [row.code]);
    // The new patient is in treatment (health's own count has them) …
    expect(p.methadonePatientsAtEnd).toBe(enrolments);
    // … but i1 counts assessed opioid addicts only, as this file's SQL does.
    const expected = await expectedIndicators([row.code], period, 'COMMUNE');
    expect({ value: i1.value }).toEqual({ value: expected.values.i1 });
    expect(i1.numerator).toBeLessThan(enrolments);
    await fed.sql('health', `delete from enrollment_status_change where enrollment_id = ?`, [id]);
    await fed.sql('health', `delete from methadone_enrollment where id = ?`, [id]);
  });

  test('strict comparator: 4 of 5 main outlets with a column is exactly 80 %, not more than 80 %: g3 not met; 5 of 5 is met', async () => {
    const yes = truth('education');
    const no = yes === '1' ? '0' : 'false';
    const outlets = await fed.sql<any>('education', `select id from media_outlet order by id`);
    expect(outlets.length).toBeGreaterThanOrEqual(5);
    const ids = outlets.map((o: any) => o.id);
    // Five main outlets, four with a column since 2020; the rest not main.
    await fed.sql('education', `update media_outlet set main = ${no}`);
    await fed.sql('education', `update media_outlet set main = ${yes}, column_since = null where id in (${ids.slice(0, 5).join(',')})`);
    await fed.sql('education', `update media_outlet set column_since = '2020-01-01' where id in (${ids.slice(0, 4).join(',')})`);
    // Periods no other test asks for, so no cached answer can stand in.
    expect((await provinceValues('2025-07')).g3).toMatchObject({ value: 80, status: 'OFF_TRACK' });
    await fed.sql('education', `update media_outlet set column_since = '2020-01-01' where id = ${ids[4]}`);
    expect((await provinceValues('2025-08')).g3).toMatchObject({ value: 100, status: 'MET' });
  });
});

// The same comparison on the four seed provinces, each with its own plan, geography and profile
// (Ninh Bình: a coast and no land border, so no land-border share). Runs last: it replaces the federation.
describe('the four seed provinces', () => {
  beforeAll(async () => {
    await fed.close();
    fed = await startTestFederation({ seed: 23, scale: 0.05, provinces: ['cao-bang', 'lang-son', 'quang-ninh', 'ninh-binh'] });
  }, 900_000);

  test.each(['2025', '2025-Q3', '2024-11'])('every province, period %s', async (period) => {
    expect(fed.provinces.map((p) => p.province.code)).toEqual(['04', '20', '22', '37']);
    for (const p of fed.provinces) {
      // The lab identity, in that province's area.
      const graph = await provinceValues(period, p.province.code, await fed.token({ ...ALL_AGENCIES, province: p.province.code }));
      const expected = await expectedIndicators(p.communes.map((c) => c.code), period, 'PROVINCE');
      compare(graph, expected, span(period).year, { province: p.province.code, period });
    }
  });
});
