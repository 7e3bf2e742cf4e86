import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from './harness.js';

/**
 * Each province its own plan, several provinces in one graph: the four seed provinces seeded
 * together (Cao Bằng 04, Lạng Sơn 20, Quảng Ninh 22, Ninh Bình 37), their plans from their own
 * documents, the national programme for the rest, and plans added by the standing office.
 */
let fed: TestFederation;

const FOUR = ['cao-bang', 'lang-son', 'quang-ninh', 'ninh-binh'];
// Communes/wards/special zones since 1 July 2025.
const COMMUNES: Record<string, number> = { '04': 56, '20': 65, '22': 54, '37': 129 };

beforeAll(async () => {
  fed = await startTestFederation({ seed: 13, scale: 0.05, provinces: FOUR });
}, 900_000);

afterAll(async () => {
  await fed?.close();
});

type Value = {
  indicator: { id: string };
  value: number | null;
  target: number;
  status: string;
  targetSource: { comparator: string; deadline: string; citation: string; plan: { id: string } | null };
  reporting: { agency: string; reportedCommunes: number; communes: number; completeness: number }[];
};
type ProvinceRow = { code: string; name: string; communeCount: number; plans: { id: string }[]; period: { indicators: Value[] } };

const valueOf = (p: ProvinceRow, id: string) => p.period.indicators.find((v) => v.indicator.id === id);

async function national(period = '2025'): Promise<ProvinceRow[]> {
  const res = await fed.run('national-steering-committee', 'NationalProvinces', { period });
  expect(res.errors).toBeUndefined();
  return res.data.provinces;
}

describe('several provinces in one graph', () => {
  test('the four seed provinces, each with its own number of communes after 1 July 2025', async () => {
    const rows = await fed.sql<{ province_code: string; n: number }>('program', 'select province_code, count(*) as n from commune group by province_code order by province_code');
    expect(Object.fromEntries(rows.map((r) => [r.province_code, Number(r.n)]))).toEqual(COMMUNES);
    // Every agency knows the same communes (their reference copy).
    for (const subgraph of ['police', 'health', 'education', 'customs', 'legal-aid']) {
      const [{ n }] = await fed.sql<{ n: number }>(subgraph, 'select count(*) as n from known_commune');
      expect(Number(n)).toBe(304);
    }
  });

  test('a national token sees every province; a provincial token only its own', async () => {
    const all = await national();
    expect(all.map((p) => [p.code, p.communeCount])).toEqual([['04', 56], ['20', 65], ['22', 54], ['37', 129]]);
    expect(all.map((p) => p.name)).toEqual(['Cao Bằng', 'Lạng Sơn', 'Quảng Ninh', 'Ninh Bình']);

    for (const code of Object.keys(COMMUNES)) {
      const own = await fed.run('steering-committee', 'NationalProvinces', { period: '2025' }, { province: code });
      expect(own.errors).toBeUndefined();
      expect(own.data.provinces.map((p: ProvinceRow) => p.code)).toEqual([code]);
    }

    // The same question ad hoc: communes and agency figures of the caller's area only.
    const ask = `{ communes(first: 1) { totalCount } }`;
    const nationalToken = await fed.token({ sub: 'national', roles: ['national-steering-committee'], scopes: ['operations:adhoc'] });
    expect((await fed.query(ask, {}, { token: nationalToken })).data.communes.totalCount).toBe(304);
    const langSon = await fed.token({ sub: 'lang-son', roles: ['steering-committee'], scopes: ['operations:adhoc'], province: '20' });
    expect((await fed.query(ask, {}, { token: langSon })).data.communes.totalCount).toBe(65);
    // Another province's period is refused to a provincial token, answered to the national one.
    const other = `{ province(code: "37") { period(period: "2025") { indicators { value } } } }`;
    const refused = await fed.query(other, {}, { token: langSon });
    expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await fed.query(other, {}, { token: nationalToken })).errors).toBeUndefined();
  });

  test('each province has the geography of its profile: land border, coast, no border for Ninh Bình', async () => {
    const borderOf: Record<string, number> = {};
    for (const r of await fed.sql<{ province_code: string; border: unknown }>('program', 'select province_code, border from commune')) {
      if (r.border === true || Number(r.border) === 1) borderOf[r.province_code] = (borderOf[r.province_code] ?? 0) + 1;
    }
    expect(borderOf['37']).toBeUndefined();
    for (const code of ['04', '20', '22']) expect(borderOf[code]).toBeGreaterThan(0);

    const communesOf = async (code: string) => (await fed.sql<{ code: string }>('program', 'select code from commune where province_code = ?', [code])).map((r) => r.code);
    const routes = async (subgraph: string, table: string, code: string) => {
      const codes = await communesOf(code);
      const rows = await fed.sql<{ route: string }>(subgraph, `select distinct route from ${table} where commune_code in (${codes.map(() => '?').join(',')})`, codes);
      return new Set(rows.map((r) => r.route));
    };
    // Landlocked with land border gates, no seaport or airport.
    for (const code of ['04', '20']) {
      const seized = await routes('customs', 'seizure', code);
      expect(seized.has('LAND_BORDER')).toBe(true);
      expect(seized.has('SEA') || seized.has('AIR')).toBe(false);
      expect((await routes('police', 'drug_case', code)).has('SEA')).toBe(false);
    }
    // Quảng Ninh: border gates and the sea.
    const qn = await routes('customs', 'seizure', '22');
    expect(qn.has('LAND_BORDER') && qn.has('SEA')).toBe(true);
    // Ninh Bình: the coast, no land border.
    const nb = await routes('customs', 'seizure', '37');
    expect(nb.has('SEA')).toBe(true);
    expect(nb.has('LAND_BORDER')).toBe(false);
    expect((await routes('police', 'drug_case', '37')).has('LAND_BORDER')).toBe(false);
  });

  test('figures vary between years and between provinces', async () => {
    const rows = await fed.sql<{ y: string; p: string; n: number }>('police', "select substr(id, 4, 4) as y, substr(id, 9, 1) as p, count(*) as n from drug_case group by substr(id, 4, 4), substr(id, 9, 1)");
    const count = (y: string, p: string) => Number(rows.find((r) => r.y === y && r.p === p)?.n ?? 0);
    // Case numbers carry the province's serial (VA-2025-1…, -2…, -3…, -4…): none collide.
    for (const p of ['1', '2', '3', '4']) {
      expect(count('2024', p)).toBeGreaterThan(0);
      expect(count('2025', p)).not.toBe(count('2024', p));
    }
    expect(new Set(['1', '2', '3', '4'].map((p) => count('2025', p))).size).toBeGreaterThan(1);
  });
});

describe('each province its own plan', () => {
  test('the seed documents give each province its plans; the national programme has none', async () => {
    const res = await fed.run('steering-committee', 'ProgramPlans', {});
    expect(res.errors).toBeUndefined();
    const plans = res.data.plans as Array<{ id: string; provinceCode: string | null; documentNumber: string | null; sourceLink: string; targets: { indicatorId: string; seedLine: string }[] }>;
    const byProvince = (code: string | null) => plans.filter((p) => p.provinceCode === code).map((p) => p.id);
    expect(byProvince(null)).toEqual(['VN-7619-QD-BCA-2025']);
    expect(byProvince('04')).toEqual(['CB-NQ-BTVTU-PCMT']);
    expect(byProvince('20')).toEqual(['LS-CTR-36-CT-TW']);
    // Newest document first: the 2023 directive before the 2011 decision.
    expect(byProvince('22')).toEqual(['QN-32-CT-TU-2023', 'QN-3086-QD-UBND-2011']);
    expect(byProvince('37')).toEqual(['NB-KH-MTQG-2030']);
    expect(plans.find((p) => p.id === 'QN-32-CT-TU-2023')).toMatchObject({ documentNumber: '32-CT/TU', sourceLink: '000_2c99ea28af25ce9e.txt' });
    // Every target quotes its line.
    for (const p of plans) for (const t of p.targets) expect(t.seedLine.length).toBeGreaterThan(10);
  });

  test("a province's indicators use its own plan's targets and cite its document, else the national programme's", async () => {
    const [cb, ls, qn, nb] = await national();
    // Cao Bằng (003): at least 12 % drug-free communes by 2025.
    expect(valueOf(cb, 'f1')).toMatchObject({ target: 12, targetSource: { comparator: 'AT_LEAST', deadline: '2025-12-31', plan: { id: 'CB-NQ-BTVTU-PCMT' } } });
    expect(valueOf(cb, 'f1')!.targetSource.citation).toContain('tối thiểu 12%');
    // −5 % complex communes against 2023; 100 % managed.
    expect(valueOf(cb, 'f2')).toMatchObject({ target: -5, targetSource: { comparator: 'AT_MOST', plan: { id: 'CB-NQ-BTVTU-PCMT' } } });
    expect(valueOf(cb, 'managed')).toMatchObject({ target: 100, targetSource: { plan: { id: 'CB-NQ-BTVTU-PCMT' } } });
    // What 003 does not set comes from the national programme.
    expect(valueOf(cb, 'dd1')).toMatchObject({ target: 80, targetSource: { comparator: 'ABOVE', plan: { id: 'VN-7619-QD-BCA-2025' } } });

    // Quảng Ninh: 000 (2023) for drug-free communes, 001 (2011) for what only it sets.
    expect(valueOf(qn, 'f1')).toMatchObject({ target: 50, targetSource: { comparator: 'ABOVE', plan: { id: 'QN-32-CT-TU-2023' } } });
    expect(valueOf(qn, 'a')).toMatchObject({ target: -5, targetSource: { plan: { id: 'QN-32-CT-TU-2023' } } });
    expect(valueOf(qn, 'border')).toMatchObject({ target: 70, targetSource: { comparator: 'ABOVE', plan: { id: 'QN-3086-QD-UBND-2011' } } });

    // Lạng Sơn: its programme sets cultivation; drug-free communes fall back to the catalogue (no plan sets them).
    expect(valueOf(ls, 'b3')).toMatchObject({ target: 100, targetSource: { plan: { id: 'LS-CTR-36-CT-TW' } } });
    expect(valueOf(ls, 'g3')).toMatchObject({ target: 80, targetSource: { plan: { id: 'VN-7619-QD-BCA-2025' } } });
    expect(valueOf(ls, 'f1')!.targetSource.plan).toBeNull();

    // Ninh Bình restates the national programme in its own plan (004).
    expect(valueOf(nb, 'i2')).toMatchObject({ target: 90, targetSource: { comparator: 'ABOVE', plan: { id: 'NB-KH-MTQG-2030' } } });

    // The status is judged against the plan's target: Cao Bằng's 7 drug-free communes of 56 (12.5 %,
    // from 003's situation) meet "tối thiểu 12%"; Quảng Ninh's 26 of 54 (48.1 %) miss "trên 50%".
    expect(valueOf(cb, 'f1')).toMatchObject({ value: 12.5, status: 'MET' });
    expect(valueOf(qn, 'f1')).toMatchObject({ value: 48.15, status: 'OFF_TRACK' });
  });

  test("a commune's indicators use its province's plan", async () => {
    const commune = (await fed.sql<{ code: string }>('program', "select code from commune where province_code = '22' order by code limit 1"))[0].code;
    const token = await fed.token({ sub: 'qn', province: '22' });
    const res = await fed.query(`{ commune(code: "${commune}") { period(period: "2025") { indicators { indicator { id } target targetSource { plan { id } } } } } }`, {}, { token });
    expect(res.errors).toBeUndefined();
    const a = res.data.commune.period.indicators.find((v: Value) => v.indicator.id === 'a');
    expect(a).toMatchObject({ target: -5, targetSource: { plan: { id: 'QN-32-CT-TU-2023' } } });
  });
});

describe('the standing office adds a plan', () => {
  const input = (over: Record<string, unknown> = {}) => ({
    id: 'CB-KH-125-2026',
    provinceCode: '04',
    title: 'Kế hoạch phòng, chống ma túy năm 2026',
    documentNumber: '125/KH-UBND',
    documentDate: '2026-01-15',
    issuer: 'Ủy ban nhân dân tỉnh Cao Bằng',
    targets: [{ indicatorId: 'f1', comparator: 'AT_LEAST', target: 15, deadline: '2026-12-31', seedLine: 'Phấn đấu năm 2026 có tối thiểu 15% số xã, phường không có tệ nạn ma túy' }],
    ...over,
  });
  const planCount = async () => Number((await fed.sql<{ n: number }>('program', 'select count(*) as n from plan'))[0].n);

  test('refused for a role without program:write, and outside the caller\'s province; nothing written', async () => {
    const before = await planCount();
    const dashboard = await fed.run('steering-committee', 'ProgramAddPlan', { input: input() });
    expect(dashboard.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const elsewhere = await fed.run('program-officer', 'ProgramAddPlan', { input: input({ id: 'LS-KH-1-2026', provinceCode: '20' }) }, { province: '04' });
    expect(elsewhere.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(await planCount()).toBe(before);
  });

  test('validated as a whole: every problem listed, nothing written', async () => {
    const before = await planCount();
    const res = await fed.run('program-officer', 'ProgramAddPlan', {
      input: input({
        id: 'bad id',
        documentDate: '2999-01-01',
        targets: [
          { indicatorId: 'zz', comparator: 'ROUGHLY', target: 1, deadline: '2026-12-31', seedLine: ' ' },
          { indicatorId: 'f1', comparator: 'AT_LEAST', target: 15, baselineYear: 2040, deadline: '2030-12-31', seedLine: 'x'.repeat(20) },
        ],
      }),
    });
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const fields = (res.errors?.[0].extensions.fieldErrors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['documentDate', 'id', 'targets[0].comparator', 'targets[0].indicatorId', 'targets[0].seedLine', 'targets[1].baselineYear']);
    expect(await planCount()).toBe(before);
  });

  test("the province's indicators follow the new plan at once; other provinces keep theirs", async () => {
    const res = await fed.run('program-officer', 'ProgramAddPlan', { input: input({ idempotencyKey: 'plan-cb-2026-0001' }) });
    expect(res.errors).toBeUndefined();
    expect(res.data.addPlan).toMatchObject({ id: 'CB-KH-125-2026', provinceCode: '04', recordedBy: 'program/dev-program-officer' });
    // A retry with the same key returns the plan without writing it again.
    const again = await fed.run('program-officer', 'ProgramAddPlan', { input: input({ idempotencyKey: 'plan-cb-2026-0001' }) });
    expect(again.data.addPlan.id).toBe('CB-KH-125-2026');
    const [row] = await fed.sql<{ recorded_by: string; n: number }>('program', "select recorded_by, (select count(*) from plan_target where plan_id = plan.id) as n from plan where id = 'CB-KH-125-2026'");
    expect(row).toMatchObject({ recorded_by: 'program/dev-program-officer' });
    expect(Number(row.n)).toBe(1);

    const [cb, , qn] = await national('2026');
    expect(valueOf(cb, 'f1')).toMatchObject({ target: 15, targetSource: { plan: { id: 'CB-KH-125-2026' } } });
    // A plan issued in 2026 does not judge 2025.
    expect(valueOf((await national('2025'))[0], 'f1')).toMatchObject({ target: 12, targetSource: { plan: { id: 'CB-NQ-BTVTU-PCMT' } } });
    // What the new plan does not set still comes from 003.
    expect(valueOf(cb, 'managed')!.targetSource.plan?.id).toBe('CB-NQ-BTVTU-PCMT');
    expect(valueOf(qn, 'f1')!.target).toBe(50);
  });
});

describe('reporting completeness (khóa sổ kỳ báo cáo)', () => {
  const police = (p: ProvinceRow, id = 'b1') => valueOf(p, id)!.reporting.find((r) => r.agency === 'police')!;
  const closedQ4 = async (agency: string, province: string) =>
    Number((await fed.sql<{ n: number }>('program', "select count(*) as n from reporting_period_closure r join commune c on c.code = r.commune_code where r.agency = ? and r.period = '2025-Q4' and c.province_code = ?", [agency, province]))[0].n);

  test('every value says, per agency it reads, how many communes have closed the period', async () => {
    // 2024 closed everywhere: complete.
    for (const p of await national('2024')) {
      expect(police(p)).toEqual({ agency: 'police', reportedCommunes: COMMUNES[p.code], communes: COMMUNES[p.code], completeness: 100 });
      expect(valueOf(p, 'h')!.reporting.map((r) => r.agency)).toEqual(['legal-aid']);
    }
    // 2025: Q4 is still open in some communes, so the year is not complete; Q3 is.
    const [cb] = await national('2025');
    const reported = await closedQ4('police', '04');
    expect(reported).toBeLessThan(56);
    expect(police(cb)).toMatchObject({ reportedCommunes: reported, communes: 56 });
    expect(police((await national('2025-Q3'))[0]).completeness).toBe(100);
    // A month counts when its quarter is closed; nothing is closed for 2026.
    expect(police((await national('2025-08'))[0]).completeness).toBe(100);
    expect(police((await national('2026'))[0])).toMatchObject({ reportedCommunes: 0, completeness: 0 });
  });

  test('the police close a period for their communes; refused for a running period or outside their area', async () => {
    const missing = (await fed.sql<{ code: string }>('program', "select code from commune where province_code = '20' and code not in (select commune_code from reporting_period_closure where agency = 'police' and period = '2025-Q4') order by code")).map((r) => r.code);
    expect(missing.length).toBeGreaterThan(0);
    const running = await fed.run('police-officer', 'PoliceCloseReportingPeriod', { input: { communeCodes: missing, period: '2026' } }, { province: '20' });
    expect(running.errors?.[0].extensions.fieldErrors).toEqual([{ field: 'period', message: expect.stringContaining('ended') }]);
    const elsewhere = await fed.run('police-officer', 'PoliceCloseReportingPeriod', { input: { communeCodes: [missing[0], '01273'], period: '2025-Q4' } }, { province: '20' });
    expect(elsewhere.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(await closedQ4('police', '20')).toBe(65 - missing.length);

    const res = await fed.run('police-officer', 'PoliceCloseReportingPeriod', { input: { communeCodes: missing, period: '2025-Q4' } }, { province: '20' });
    expect(res.errors).toBeUndefined();
    expect(res.data.closeReportingPeriod).toHaveLength(missing.length);
    expect(res.data.closeReportingPeriod[0]).toMatchObject({ agency: 'police', period: '2025-Q4', closedBy: 'police/dev-police-officer' });
    // Closing again changes nothing.
    await fed.run('police-officer', 'PoliceCloseReportingPeriod', { input: { communeCodes: missing, period: '2025-Q4' } }, { province: '20' });
    expect(await closedQ4('police', '20')).toBe(65);

    const [, ls] = await national('2025');
    expect(police(ls)).toEqual({ agency: 'police', reportedCommunes: 65, communes: 65, completeness: 100 });
    // Another agency's gaps are its own.
    expect(valueOf(ls, 'h')!.reporting[0].reportedCommunes).toBe(await closedQ4('legal-aid', '20'));
  });
});
