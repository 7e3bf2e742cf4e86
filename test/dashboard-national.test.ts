import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { browserTests, DESKTOP, launchBrowser, pageProblems, PHONE, visibleText } from './browser.js';
import { startTestFederation, type TestFederation } from './harness.js';

/**
 * The dashboard's national view (issues 13 and 15): the four seed provinces in one graph, a
 * national token sees them ranked on an indicator it picks, a province opens today's view with
 * each agency's reporting completeness beside the figures; a provincial token sees its province only.
 */
const browserTest = browserTests('national dashboard');
const FOUR = ['cao-bang', 'lang-son', 'quang-ninh', 'ninh-binh'];

let fed: TestFederation;
let browser: Browser | undefined;
let nationalToken: string;
let period: string;
const base = () => fed.gateway.url.replace(/\/graphql$/, '');
const loadTimes: string[] = [];

type Reporting = { agency: string; reportedCommunes: number; communes: number; completeness: number };
type Value = { indicator: { id: string }; value: number | null; status: string; suppressed: boolean; targetSource: { comparator: string } | null; reporting: Reporting[] };
type ProvinceRow = { code: string; name: string; communeCount: number; period: { indicators: Value[] } };

beforeAll(async () => {
  fed = await startTestFederation({ seed: 17, scale: 0.05, provinces: FOUR });
  nationalToken = await fed.roleToken('national-steering-committee');
  period = String(fed.province.year);
  mkdirSync('test-results', { recursive: true });
  browser = await launchBrowser();
}, 900_000);

afterAll(async () => {
  if (loadTimes.length) console.log(`national dashboard load (goto → figures shown): ${loadTimes.join('; ')}`);
  await browser?.close();
  await fed?.close();
});

async function nationalRows(): Promise<{ indicators: any[]; provinces: ProvinceRow[] }> {
  const res = await fed.run('national-steering-committee', 'DashboardNational', { period });
  expect(res.errors).toBeUndefined();
  return res.data;
}

const shown = (v: Value | undefined) => (v && !v.suppressed && v.value !== null ? Math.round(v.value * 10) / 10 : null);

/** The test's own ranking of the API's values: better first by the catalogue's comparator, no value last. */
function expectedOrder(provinces: ProvinceRow[], id: string, order: 'asc' | 'desc') {
  const rows = provinces.map((p) => ({ code: p.code, name: p.name, n: shown(p.period.indicators.find((v) => v.indicator.id === id)) }));
  const valued = rows.filter((r) => r.n !== null).sort((a, b) => (order === 'asc' ? a.n! - b.n! : b.n! - a.n!) || a.name.localeCompare(b.name, 'vi'));
  const empty = rows.filter((r) => r.n === null).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  return [...valued, ...empty];
}

/** A province-level indicator on which the four provinces have at least three different values. */
function spreadIndicator(data: { indicators: any[]; provinces: ProvinceRow[] }) {
  const ids = data.indicators.filter((i) => i.levels.includes('PROVINCE')).map((i) => i.id);
  const id = ids.find((x: string) => new Set(data.provinces.map((p) => shown(p.period.indicators.find((v) => v.indicator.id === x))).filter((n) => n !== null)).size >= 3);
  expect(id).toBeDefined();
  return id as string;
}

async function open(viewport: { width: number; height: number }, query: Record<string, string>) {
  const page = await browser!.newPage({ viewport, acceptDownloads: true });
  const problems = pageProblems(page);
  const started = Date.now();
  await page.goto(`${base()}/dashboard?${new URLSearchParams({ period, ...query })}`);
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 120_000 });
  const ms = Date.now() - started;
  loadTimes.push(`${viewport.width}px ${(await page.isVisible('#national')) ? 'national' : 'province'} view ${ms} ms`);
  return { page, problems };
}

const tableOrder = (page: Page) =>
  page.$$eval('#national-table tbody tr', (rows) => rows.map((r) => ({ code: r.getAttribute('data-province')!, rank: r.querySelector('td.rank')!.textContent!, value: r.querySelector('td.ranked')!.getAttribute('data-value')! })));

const pageWidth = (page: Page) => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);

describe('DashboardNational and DashboardProvinces (registered operations)', () => {
  test('a national token gets every province with its indicators and reporting; a provincial token its own only', async () => {
    const data = await nationalRows();
    expect(data.provinces.map((p) => p.code)).toEqual(['04', '20', '22', '37']);
    const list = await fed.run('national-steering-committee', 'DashboardProvinces', {});
    expect(list.data.provinces.map((p: any) => p.code)).toEqual(['04', '20', '22', '37']);

    // Reporting completeness against the closures themselves: for the data year, Q1–Q3 are closed
    // everywhere, so a commune has reported the year when its agency also closed Q4 (or the year).
    for (const p of data.provinces) {
      const rows = await fed.sql<{ agency: string; n: number }>('program',
        `select agency, count(distinct c.commune_code) as n from reporting_period_closure c join commune m on m.code = c.commune_code
          where m.province_code = ? and c.period in (?, ?) group by agency`, [p.code, `${period}-Q4`, period]);
      const closed = Object.fromEntries(rows.map((r) => [r.agency, Number(r.n)]));
      const police = p.period.indicators.find((v) => v.indicator.id === 'managed')!.reporting.find((r) => r.agency === 'police')!;
      expect(police).toEqual({ agency: 'police', reportedCommunes: closed.police, communes: p.communeCount, completeness: Math.round((closed.police / p.communeCount) * 10_000) / 100 });
    }

    for (const code of ['20', '37']) {
      const own = await fed.run('dashboard', 'DashboardNational', { period }, { province: code });
      expect(own.errors).toBeUndefined();
      expect(own.data.provinces.map((p: ProvinceRow) => p.code)).toEqual([code]);
      const mine = data.provinces.find((p) => p.code === code)!;
      // The same figures as the national office sees for that province.
      expect(own.data.provinces[0].period.indicators.map((v: Value) => [v.indicator.id, v.value, v.status])).toEqual(mine.period.indicators.map((v) => [v.indicator.id, v.value, v.status]));
      expect((await fed.run('dashboard', 'DashboardProvinces', {}, { province: code })).data.provinces.map((p: any) => p.code)).toEqual([code]);
    }
  });

  test('the land-border share applies only where the province has a land border: elsewhere NOT_APPLICABLE, not 0 % OFF_TRACK', async () => {
    const data = await nationalRows();
    const borders = await fed.sql<{ province_code: string; n: number }>('program', 'select province_code, sum(case when border then 1 else 0 end) as n from commune group by province_code');
    const withBorder = new Map(borders.map((r) => [String(r.province_code), Number(r.n) > 0]));
    // The seed profiles: Ninh Bình is coastal without a land border; the three northern provinces have one.
    expect([...withBorder.entries()].filter(([, b]) => !b).map(([c]) => c)).toEqual(['37']);
    for (const p of data.provinces) {
      const v = p.period.indicators.find((x) => x.indicator.id === 'border')!;
      if (withBorder.get(p.code)) expect(v.status).not.toBe('NOT_APPLICABLE');
      else expect({ value: v.value, status: v.status }).toEqual({ value: null, status: 'NOT_APPLICABLE' });
    }
  });
});

describe('national view of the dashboard', () => {
  browserTest('ranked on a chosen indicator as the API\'s values order them; a province opens with its reporting completeness', async () => {
    const data = await nationalRows();
    const id = spreadIndicator(data);
    const { page, problems } = await open(DESKTOP, { token: nationalToken });
    expect(await page.isVisible('#national')).toBe(true);
    expect(await page.isVisible('#summary')).toBe(false);
    expect(await page.$$eval('#national-table tbody tr', (r) => r.length)).toBe(4);

    await page.selectOption('#rankIndicator', id);
    const def = data.indicators.find((i) => i.id === id);
    const order = def.comparator === 'BELOW' || def.comparator === 'AT_MOST' ? 'asc' : 'desc';
    expect(await page.$eval('#rankOrder', (s: any) => s.value)).toBe(order);
    const expected = expectedOrder(data.provinces, id, order);
    let rows = await tableOrder(page);
    expect(rows.map((r) => r.code)).toEqual(expected.map((r) => r.code));
    expect(rows.map((r) => (r.value === '' ? null : Number(r.value)))).toEqual(expected.map((r) => r.n));
    // Rank numbers shown: 1.. for values (equal values share one), none for a province without a value.
    expected.forEach((r, i) => expect(rows[i].rank).toBe(r.n === null ? '—' : String(expected.findIndex((x) => x.n === r.n) + 1)));
    // The ranked indicator is the first indicator column, named, every cell with a status in words.
    expect(await page.textContent('#national-table thead th.ranked')).toBe(def.nameVi);
    const statuses = await page.$$eval('#national-table tbody td.ranked [data-status]', (s) => s.map((x) => [x.getAttribute('data-status'), x.textContent!.trim()]));
    expect(statuses.map(([s]) => s)).toEqual(expected.map((r) => data.provinces.find((p) => p.code === r.code)!.period.indicators.find((v) => v.indicator.id === id)!.status));
    expect(statuses.every(([, text]) => text!.length > 1)).toBe(true);
    // Every province-level indicator has its column.
    expect(await page.$$eval('#national-table thead th[data-indicator]', (h) => h.length)).toBe(data.indicators.filter((i) => i.levels.includes('PROVINCE')).length);

    await page.selectOption('#rankOrder', order === 'asc' ? 'desc' : 'asc');
    rows = await tableOrder(page);
    expect(rows.map((r) => r.code)).toEqual(expectedOrder(data.provinces, id, order === 'asc' ? 'desc' : 'asc').map((r) => r.code));
    expect(page.url()).toContain(`indicator=${id}`);
    await page.screenshot({ path: 'test-results/dashboard-national-vi.png', fullPage: true });

    // Export of the national view: the ranking as on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `test-results/dashboard-national-${period}.xlsx`;
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('Xếp hạng các tỉnh')!;
    const exported: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 5) exported.push(String(row.getCell(3).value));
    });
    expect(exported).toEqual(rows.map((r) => r.code));

    // A province opens today's province view, on the ranked indicator, with its reporting completeness.
    const target = data.provinces.find((p) => p.code === rows[1].code)!;
    await page.click(`#national-table tr[data-province="${target.code}"] a.province`);
    await page.waitForFunction((name) => (globalThis as any).document.querySelector('#provinceName')?.textContent === name && (globalThis as any).document.body.dataset.loaded === 'true', target.name);
    expect(await page.isVisible('#national')).toBe(false);
    expect(await page.isVisible('#indicator-table')).toBe(true);
    expect(page.url()).toContain(`province=${target.code}`);
    expect(await page.$eval('#trendIndicator', (s: any) => s.value)).toBe(id);
    expect(await page.$$eval('#commune-table tbody tr', (r) => r.length)).toBe(target.communeCount);
    expect(await page.textContent('#asOf')).toContain('Số liệu đến hết ngày');

    const agencies = new Map<string, Reporting>();
    for (const v of target.period.indicators) for (const r of v.reporting) agencies.set(r.agency, r);
    const reporting = await page.$$eval('#reportingList li', (li) => li.map((x) => ({ agency: x.getAttribute('data-agency'), text: x.textContent! })));
    expect(reporting.map((r) => r.agency).sort()).toEqual([...agencies.keys()].sort());
    for (const r of reporting) {
      const a = agencies.get(r.agency!)!;
      expect(r.text).toContain(`đã báo cáo ${a.reportedCommunes}/${a.communes} xã (${String(Math.round(a.completeness * 10) / 10).replace('.', ',')} %)`);
    }
    // The seeded year is not fully reported (Q4 closed in about 90 % of communes): the values resting on it say so.
    const unreported = target.period.indicators.filter((v) => shown(v) !== null && v.reporting.some((r) => r.completeness < 100)).map((v) => v.indicator.id);
    expect(unreported.length).toBeGreaterThan(0);
    expect(await page.$$eval('#indicator-table tbody tr', (rows) => rows.filter((r) => r.querySelector('small.unreported')).map((r) => r.getAttribute('data-indicator')))).toEqual(unreported);
    expect(await page.isVisible('#unreportedNote')).toBe(true);
    await page.screenshot({ path: 'test-results/dashboard-national-province-vi.png', fullPage: true });

    // A commune some agency has not closed the year's last quarter for: its drill-down marks the values resting on that agency.
    const unclosed = await fed.sql<{ code: string }>('program',
      `select code from commune where province_code = ? and code in (select m.code from commune m where not exists (select 1 from reporting_period_closure c
         where c.commune_code = m.code and c.agency = 'health' and c.period in (?, ?))) order by code`, [target.code, `${period}-Q4`, period]);
    let commune: { code: string; marked: string[] } | undefined;
    for (const { code } of unclosed) {
      const res = await fed.run('national-steering-committee', 'DashboardCommune', { code, period, from: String(Number(period) - 1), to: period });
      const marked = res.data.commune.period.indicators.filter((v: Value) => shown(v) !== null && v.reporting.some((r) => r.completeness < 100)).map((v: Value) => v.indicator.id);
      if (marked.length) {
        commune = { code, marked };
        break;
      }
    }
    expect(commune).toBeDefined();
    await page.click(`#commune-table tr[data-commune="${commune!.code}"] a.commune`);
    await page.waitForFunction((code) => (globalThis as any).document.querySelector('#communeName')?.textContent.includes(code) && (globalThis as any).document.querySelector('#commune-indicators tbody tr'), commune!.code);
    expect(await page.$$eval('#commune-indicators tbody tr', (rows) => rows.filter((r) => r.querySelector('small.unreported')).map((r) => r.getAttribute('data-indicator')))).toEqual(commune!.marked);
    expect((await page.$$eval('#commune-indicators small.unreported', (m) => m.map((x) => x.textContent!))).some((m) => m.includes('Y tế 0/1'))).toBe(true);

    // Back to the ranking.
    await page.click('#backToNational a');
    await page.waitForFunction(() => (globalThis as any).document.body.dataset.loaded === 'true' && !(globalThis as any).document.querySelector('#national').hidden);
    expect(await page.$$eval('#national-table tbody tr', (r) => r.length)).toBe(4);
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('phone 390×844: the ranking and a province without sideways overflow', async () => {
    const { page, problems } = await open(PHONE, { token: nationalToken });
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await page.isVisible('#national-table tbody td.ranked')).toBe(true);
    await page.screenshot({ path: 'test-results/dashboard-national-phone-vi.png', fullPage: true });
    await page.click('#national-table tbody tr:first-child a.province');
    await page.waitForFunction(() => (globalThis as any).document.body.dataset.loaded === 'true' && !(globalThis as any).document.querySelector('#provinceView').hidden);
    expect(await page.isVisible('#reportingList li')).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('the Vietnamese national view holds no English interface text, the English one no Vietnamese', async () => {
    const { page, problems } = await open(DESKTOP, { token: nationalToken });
    const words = await page.evaluate(() => (globalThis as any).PCMT_I18N.TEXT);
    const flat = (lang: 'vi' | 'en') => ({ ...words[lang], ...words[lang].figures, ...words[lang].agencies });
    const strings = (lang: 'vi' | 'en') => {
      const own = flat(lang);
      const other = flat(lang === 'vi' ? 'en' : 'vi');
      return Object.entries(own).filter(([k, v]) => typeof v === 'string' && v !== other[k] && /[a-zA-Z]{3}/.test(v)).map(([, v]) => (v as string).replace(/\{\w+\}.*$/, '').trim()).filter((v) => v.length > 2);
    };
    const vi = await visibleText(page, 'vi');
    const english = [...strings('en'), 'Met', 'Not met', 'Rank', 'Province', 'Reporting', 'No data', 'reported'];
    expect(english.filter((s) => new RegExp(`(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(vi))).toEqual([]);
    expect(vi).toContain('Hạng');
    expect(vi).toMatch(/đã báo cáo \d+\/\d+ xã/);

    await page.click('#lang');
    await page.waitForFunction(() => (globalThis as any).document.documentElement.lang === 'en');
    const en = await visibleText(page, 'en');
    expect(strings('vi').filter((s) => en.includes(s))).toEqual([]);
    expect(en.match(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu) ?? []).toEqual([]);
    expect(en).toMatch(/reported \d+\/\d+ communes/);
    await page.screenshot({ path: 'test-results/dashboard-national-en.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('a provincial token sees its own province\'s view, not the national one', async () => {
    const token = await fed.roleToken('dashboard', { province: '22' });
    const { page, problems } = await open(DESKTOP, { token });
    expect(await page.isVisible('#national')).toBe(false);
    expect(await page.textContent('#provinceName')).toBe('Quảng Ninh');
    expect(await page.isVisible('#backToNational')).toBe(false);
    expect(await page.$$eval('#commune-table tbody tr', (r) => r.length)).toBe(54);
    expect(await page.isVisible('#reportingList li')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
