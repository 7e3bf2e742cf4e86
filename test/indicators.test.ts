import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from './harness.js';

// Every indicator computed straight from the agencies' databases with this file's own SQL and
// arithmetic, then compared with what the graph returns (program computes it through federation).

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
  prevFrom: string;
  prevTo: string;
  year: number;
}

function span(period: string): Span {
  const y = Number(period.slice(0, 4));
  if (/^\d{4}$/.test(period)) return { from: `${y}-01-01`, to: `${y}-12-31`, prevFrom: `${y - 1}-01-01`, prevTo: `${y - 1}-12-31`, year: y };
  const q = Number(period.slice(6));
  const m0 = (q - 1) * 3 + 1;
  const end = (yy: number, mm: number) => `${yy}-${String(mm).padStart(2, '0')}-${new Date(Date.UTC(yy, mm, 0)).getUTCDate()}`;
  const pq = q === 1 ? { y: y - 1, q: 4 } : { y, q: q - 1 };
  const pm0 = (pq.q - 1) * 3 + 1;
  return { from: `${y}-${String(m0).padStart(2, '0')}-01`, to: end(y, m0 + 2), prevFrom: `${pq.y}-${String(pm0).padStart(2, '0')}-01`, prevTo: end(pq.y, pm0 + 2), year: y };
}

/** `where commune_code in (...)` for one commune or every commune of the province. */
function place(codes: string[]) {
  return { sql: `commune_code in (${codes.map(() => '?').join(',')})`, params: codes };
}

async function one(subgraph: string, sql: string, params: unknown[]): Promise<number> {
  const rows = await fed.sql<any>(subgraph, sql, params);
  return Number(Object.values(rows[0] ?? { n: 0 })[0] ?? 0);
}

const pct = (a: number, b: number, cap = Infinity) => (b > 0 ? Math.min(cap, (a / b) * 100) : null);
const chg = (a: number, b: number) => (b > 0 ? ((a - b) / b) * 100 : null);
const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

async function expectedIndicators(codes: string[], period: string, level: 'COMMUNE' | 'PROVINCE'): Promise<Record<string, number | null>> {
  const s = span(period);
  const w = place(codes);
  const openAt = (day: string, category: string) =>
    one('police', `select count(*) from management_file where ${w.sql} and category = ? and opened_on <= ? and (closed_on is null or closed_on > ?)`, [...w.params, category, day, day]);
  const cases = (from: string, to: string, cond: string) => one('police', `select count(*) from drug_case where ${w.sql} and reported_on between ? and ? and ${cond}`, [...w.params, from, to]);
  const users = await openAt(s.to, 'ILLEGAL_USER');
  const addicts = await openAt(s.to, 'ADDICT');
  const usersPrev = await openAt(s.prevTo, 'ILLEGAL_USER');
  const addictsPrev = await openAt(s.prevTo, 'ADDICT');
  const between = (col: string) => `${col} between ? and ?`;
  const hotDet = await one('police', `select count(*) from hotspot where ${w.sql} and ${between('detected_on')}`, [...w.params, s.from, s.to]);
  const hotDis = await one('police', `select count(*) from hotspot where ${w.sql} and ${between('dismantled_on')}`, [...w.params, s.from, s.to]);
  const dealDet = await one('police', `select count(*) from retail_dealer where ${w.sql} and ${between('detected_on')}`, [...w.params, s.from, s.to]);
  const dealDone = await one('police', `select count(*) from retail_dealer where ${w.sql} and ${between('dealt_with_on')}`, [...w.params, s.from, s.to]);
  const areaDet = await one('police', `select coalesce(sum(area_m2), 0) from cultivation_site where ${w.sql} and ${between('detected_on')}`, [...w.params, s.from, s.to]);
  const areaDes = await one('police', `select coalesce(sum(area_m2), 0) from cultivation_site where ${w.sql} and ${between('destroyed_on')}`, [...w.params, s.from, s.to]);
  const seaExpress = await cases(s.from, s.to, `route in ('SEA', 'POSTAL_EXPRESS')`);
  const seaExpressPrev = await cases(s.prevFrom, s.prevTo, `route in ('SEA', 'POSTAL_EXPRESS')`);
  const trans = await cases(s.from, s.to, 'transnational = ?'.replace('?', fed.services.get('police')!.config.database.kind === 'sqlite' ? '1' : 'true'));
  const transPrev = await cases(s.prevFrom, s.prevTo, 'transnational = ?'.replace('?', fed.services.get('police')!.config.database.kind === 'sqlite' ? '1' : 'true'));
  const cyberCond = fed.services.get('police')!.config.database.kind === 'sqlite' ? `(cyberspace = 1 or route = 'CYBERSPACE')` : `(cyberspace or route = 'CYBERSPACE')`;
  const cyber = await cases(s.from, s.to, cyberCond);
  const cyberPrev = await cases(s.prevFrom, s.prevTo, cyberCond);
  const policeKg = await one('police', `select coalesce(sum(i.kg_equivalent), 0) from case_seized_item i join drug_case c on c.id = i.drug_case_id where c.${w.sql} and c.reported_on between ? and ?`, [...w.params, s.from, s.to]);
  const borderKg = await one('customs', `select coalesce(sum(i.kg_equivalent), 0) from seized_item i join seizure z on z.id = i.seizure_id where z.${w.sql} and z.seized_on between ? and ?`, [...w.params, s.from, s.to]);
  const schools = await one('education', `select count(*) from school where ${w.sql}`, w.params);
  const reached = await one('education', `select count(distinct s.id) from school s join awareness_activity a on a.school_id = s.id where s.${w.sql} and a.held_on between ? and ?`, [...w.params, s.from, s.to]);
  const ipWorkers = await one('education', `select coalesce(sum(workers), 0) from enterprise where ${w.sql} and industrial_park is not null`, w.params);
  const ipReached = await one('education', `select coalesce(sum(a.participants), 0) from awareness_activity a join enterprise e on e.id = a.enterprise_id where e.${w.sql} and e.industrial_park is not null and a.held_on between ? and ?`, [...w.params, s.from, s.to]);
  const eligible = await one('legal-aid', `select count(*) from legal_aid_request where ${w.sql} and received_on between ? and ? and eligibility_group <> 'NOT_ELIGIBLE'`, [...w.params, s.from, s.to]);
  const served = await one('legal-aid', `select count(*) from legal_aid_request where ${w.sql} and received_on between ? and ? and eligibility_group <> 'NOT_ELIGIBLE' and status in ('ACCEPTED', 'IN_PROGRESS', 'COMPLETED')`, [...w.params, s.from, s.to]);

  const out: Record<string, number | null> = {
    a: chg(users + addicts, usersPrev + addictsPrev),
    b1: pct(hotDis, hotDet, 100),
    b2: pct(dealDone, dealDet, 100),
    b3: pct(areaDes, areaDet, 100),
    d1: chg(seaExpress, seaExpressPrev),
    d2: chg(trans, transPrev),
    d3: chg(cyber, cyberPrev),
    g1: pct(reached, schools),
    g2: pct(ipReached, ipWorkers, 100),
    h: pct(served, eligible),
    border: pct(borderKg, borderKg + policeKg),
  };
  Object.assign(out, await expectedHealth(codes, s, { users, addicts }, level));
  if (level === 'PROVINCE') {
    const classified = await one('police', `select count(*) from commune_drug_situation where ${w.sql} and year = ?`, [...w.params, s.year]);
    const free = await one('police', `select count(*) from commune_drug_situation where ${w.sql} and year = ? and classification = 'DRUG_FREE'`, [...w.params, s.year]);
    const problems = (y: number) => one('police', `select count(*) from commune_drug_situation where ${w.sql} and year = ? and classification <> 'DRUG_FREE'`, [...w.params, y]);
    out.f1 = pct(free, classified);
    out.f2 = chg(await problems(s.year), await problems(s.year - 1));
    const main = await one('education', `select count(*) from media_outlet where main = ${fed.services.get('education')!.config.database.kind === 'sqlite' ? '1' : 'true'}`, []);
    const withColumn = await one('education', `select count(*) from media_outlet where main = ${fed.services.get('education')!.config.database.kind === 'sqlite' ? '1' : 'true'} and column_since <= ?`, [s.to]);
    out.g3 = pct(withColumn, main);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, round(v)]));
}

/** The health side, and the indicators that join health with police figures. */
async function expectedHealth(codes: string[], s: Span, police: { users: number; addicts: number }, level: 'COMMUNE' | 'PROVINCE'): Promise<Record<string, number | null>> {
  const w = place(codes);
  const truth = fed.services.get('health')!.config.database.kind === 'sqlite' ? '1' : 'true';
  const open = `(opened_on is null or opened_on <= ?)`;
  const facilities = (kind: string, able = false) =>
    one('health', `select count(*) from facility where ${w.sql} and kind = ? and ${open}${able ? ` and can_assess_addiction = ${truth}` : ''}`, [...w.params, kind, s.to]);
  const stations = await facilities('COMMUNE_HEALTH_STATION');
  const able = await facilities('COMMUNE_HEALTH_STATION', true);
  const counselled = await one('health', `select count(distinct citizen_id) from counselling where ${w.sql} and counselled_on between ? and ?`, [...w.params, s.from, s.to]);
  const inTreatment = await one(
    'health',
    `select count(distinct enrollment_id) from enrollment_status_change where ${w.sql} and status in ('ACTIVE', 'SUSPENDED') and changed_on <= ? and (superseded_on is null or superseded_on >= ?)`,
    [...w.params, s.to, s.from],
  );
  const retained = await one(
    'health',
    `select count(distinct enrollment_id) from enrollment_status_change where ${w.sql} and (
       (status in ('ACTIVE', 'SUSPENDED') and changed_on <= ? and (superseded_on is null or superseded_on > ?))
       or (status in ('COMPLETED', 'TRANSFERRED') and changed_on between ? and ?))`,
    [...w.params, s.to, s.to, s.from, s.to],
  );
  const assessed = await one('health', `select count(distinct citizen_id) from addiction_assessment where ${w.sql} and result = 'ADDICTED' and assessed_on <= ?`, [...w.params, s.to]);
  const inFacility = await one(
    'health',
    `select count(distinct citizen_id) from rehab_episode where ${w.sql} and form in ('VOLUNTARY_FACILITY', 'COMPULSORY') and started_on <= ? and (ended_on is null or ended_on >= ?)`,
    [...w.params, s.to, s.from],
  );
  const inFacilityShare = pct(inFacility, police.addicts, 100);
  const out: Record<string, number | null> = {
    dd1: pct(able, stations),
    i1: pct(retained, inTreatment),
    i2: pct(counselled, police.users + police.addicts, 100),
    managed: pct(police.addicts, assessed, 100),
    outside: inFacilityShare === null ? null : 100 - inFacilityShare,
  };
  if (level === 'PROVINCE') {
    out.dd2 = pct(await facilities('PUBLIC_REHAB', true), await facilities('PUBLIC_REHAB'));
    // Indicator e: communes with addicts (police files) that have a reception point (health).
    let withAddicts = 0;
    let withBoth = 0;
    for (const code of codes) {
      const addicts = await one('police', `select count(*) from management_file where commune_code = ? and category = 'ADDICT' and opened_on <= ? and (closed_on is null or closed_on > ?)`, [code, s.to, s.to]);
      if (addicts === 0) continue;
      withAddicts++;
      if ((await one('health', `select count(*) from facility where commune_code = ? and kind = 'COMMUNITY_REHAB_POINT' and ${open}`, [code, s.to])) > 0) withBoth++;
    }
    out.e = pct(withBoth, withAddicts);
  }
  return out;
}

const QUERY = `query($code: ID!, $period: String!) { commune(code: $code) { period(period: $period) { indicators { indicator { id } value status } } } }`;
const PROVINCE = `query($code: ID!, $period: String!) { province(code: $code) { period(period: $period) { indicators { indicator { id } value status } } } }`;

function fromGraph(indicators: Array<{ indicator: { id: string }; value: number | null }>): Record<string, number | null> {
  return Object.fromEntries(indicators.map((v) => [v.indicator.id, v.value]));
}

describe('indicators equal an independent computation from the databases', () => {
  test.each(['2025', '2024', '2025-Q2'])('province, period %s', async (period) => {
    const p = fed.province;
    const res = await fed.query(PROVINCE, { code: p.province.code, period });
    expect(res.errors).toBeUndefined();
    const graph = fromGraph(res.data.province.period.indicators);
    const expected = await expectedIndicators(p.communes.map((c) => c.code), period, 'PROVINCE');
    for (const [id, value] of Object.entries(expected)) expect({ id, value: graph[id] }).toEqual({ id, value });
    if (period === '2025') console.log(`indicators of the seeded province, 2025: ${JSON.stringify(graph)}`);
  });

  test.each(['2025', '2025-Q2'])('three communes, period %s', async (period) => {
    const busiest = await fed.sql<any>('police', 'select commune_code from management_file group by commune_code order by count(*) desc, commune_code limit 3');
    for (const { commune_code: code } of busiest) {
      const res = await fed.query(QUERY, { code, period });
      expect(res.errors).toBeUndefined();
      const graph = fromGraph(res.data.commune.period.indicators);
      const expected = await expectedIndicators([code], period, 'COMMUNE');
      for (const [id, value] of Object.entries(expected)) expect({ code, id, value: graph[id] }).toEqual({ code, id, value });
    }
  });
});
