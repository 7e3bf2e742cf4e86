import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { browserTests, DESKTOP, launchBrowser, pageProblems, PHONE, visibleText } from './browser.js';
import { startTestFederation, type TestFederation } from './harness.js';

const browserTest = browserTests('dashboard');

let fed: TestFederation;
let browser: Browser | undefined;
let token: string;
const base = () => fed.gateway.url.replace(/\/graphql$/, '');
const loadTimes: string[] = [];

beforeAll(async () => {
  // PCMT_DASHBOARD_SCALE=1 measures the load times on a full-size province (150 communes).
  fed = await startTestFederation({ seed: 21, scale: Number(process.env.PCMT_DASHBOARD_SCALE ?? 0.1) });
  token = await fed.roleToken('dashboard');
  mkdirSync('test-results', { recursive: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  if (loadTimes.length) console.log(`dashboard load (goto → figures shown): ${loadTimes.join('; ')}`);
  await browser?.close();
  await fed?.close();
});

async function graph(operationName: string, variables: Record<string, unknown>) {
  const operations = readFileSync('schema/operations/dashboard.graphql', 'utf8');
  const res = await fetch(fed.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: operations, operationName, variables }),
  });
  const body = (await res.json()) as any;
  expect(body.errors).toBeUndefined();
  return body.data;
}

const graphProvince = (period: string) => graph('DashboardProvince', { province: fed.province.province.code, period, from: '2021', to: period });

/** A page that records every failed request and console error, to be checked with `expectClean`. */
async function open(viewport: { width: number; height: number }, query: Record<string, string> = {}) {
  const page = await browser!.newPage({ viewport, acceptDownloads: true });
  const problems = pageProblems(page);
  const params = new URLSearchParams({ token, period: String(fed.province.year), province: fed.province.province.code, ...query });
  const started = Date.now();
  await page.goto(`${base()}/dashboard?${params}`);
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });
  const ms = Date.now() - started;
  return { page, problems, ms };
}

/** Pixels of the canvas that are painted, and those in the indicator's line colour (#8b1e1e). */
function chartPixels(page: Page, canvasId: string) {
  return page.evaluate((id) => {
    const canvas = (globalThis as any).document.getElementById(id);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    let line = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0) painted++;
      if (data[i + 3] > 200 && Math.abs(data[i] - 139) < 30 && data[i + 1] < 70 && data[i + 2] < 70) line++;
    }
    return { painted, line, width: canvas.width, height: canvas.height };
  }, canvasId);
}

/** An indicator whose trend has two or more values, so the chart must draw a line. */
function indicatorWithTrend(periods: any[]): string {
  const ids = periods[0].indicators.map((v: any) => v.indicator.id);
  const id = ids.find((x: string) => periods.filter((p) => p.indicators.find((v: any) => v.indicator.id === x)?.value !== null).length >= 2);
  expect(id).toBeDefined();
  return id;
}

describe('steering-committee dashboard', () => {
  browserTest('desktop 1440×900: the graph\'s values, a drawn trend chart, sorting and drill-down, nothing failed', async () => {
    const period = String(fed.province.year);
    const data = await graphProvince(period);
    const expected = Object.fromEntries(data.province.period.indicators.map((v: any) => [v.indicator.id, v]));
    const withTrend = indicatorWithTrend(data.province.periods);
    const { page, problems, ms } = await open(DESKTOP, { indicator: withTrend });
    loadTimes.push(`desktop ${ms} ms`);

    const shown = await page.$$eval('#indicator-table tbody tr', (rows) =>
      rows.map((r) => ({ id: r.getAttribute('data-indicator'), value: r.querySelector('td.value')!.getAttribute('data-value'), status: r.querySelector('[data-status]')!.getAttribute('data-status'), name: r.querySelector('strong')!.textContent })),
    );
    expect(shown.length).toBe(Object.keys(expected).length);
    const names = Object.fromEntries(data.indicators.map((i: any) => [i.id, i.nameVi]));
    for (const row of shown) {
      const v = expected[row.id!];
      expect(row.value === '' ? null : Number(row.value)).toBe(v.value === null || v.suppressed ? null : Math.round(v.value * 10) / 10);
      expect(row.status).toBe(v.status);
      // Names on screen, the code only as small secondary text.
      expect(row.name).toBe(names[row.id!]);
    }
    expect(await page.textContent('h1')).toContain('phòng, chống ma túy');
    // Sources name the province's own documents (or the national programme), never a seed file's number or another province's plan.
    const sources: Record<string, string> = Object.fromEntries(await page.$$eval('#indicator-table tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-indicator'), r.querySelector('small.source')!.textContent])));
    expect(Object.values(sources).filter((x) => /(^|;\s*)\d{3} — /.test(x))).toEqual([]);
    for (const [id, v] of Object.entries<any>(expected)) if (v.targetSource.plan) expect(sources[id]).toContain(v.targetSource.plan.title);
    expect(Object.values(sources).some((x) => x.includes(fed.province.province.name))).toBe(true);

    // The trend chart draws the indicator's line, not an empty canvas.
    expect(await page.$eval('#trendIndicator', (s: any) => s.value)).toBe(withTrend);
    const pixels = await chartPixels(page, 'trendChart');
    expect(pixels.width).toBeGreaterThan(300);
    expect(pixels.painted).toBeGreaterThan(1000);
    expect(pixels.line).toBeGreaterThan(50);

    expect(await page.$$eval('#commune-table tbody tr', (rows) => rows.length)).toBe(fed.province.communes.length);
    // Sorting by value orders the commune table by the chosen indicator's value, largest first.
    const sorted = await page.$$eval('#commune-table tbody td[data-indicator]', (cells) => cells.map((c) => c.getAttribute('data-value')).filter((v) => v !== '').map(Number));
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    await page.click('#commune-table th[data-sort="value"]');
    const ascending = await page.$$eval('#commune-table tbody td[data-indicator]', (cells) => cells.map((c) => c.getAttribute('data-value')).filter((v) => v !== '').map(Number));
    expect(ascending).toEqual([...sorted].sort((a, b) => a - b));

    // The map (test/dashboard-map.test.ts in detail): one shape per commune, with the table's status; a shape opens the commune.
    const tableStatus = Object.fromEntries(await page.$$eval('#commune-table tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-commune'), r.querySelector('[data-status]')!.getAttribute('data-status')])));
    const tiles = Object.fromEntries(await page.$$eval('#communeMap g.area', (g) => g.map((x) => [x.getAttribute('data-commune'), x.getAttribute('data-status')])));
    expect(tiles).toEqual(tableStatus);
    const legend = await page.$$eval('#mapLegend li', (li) => li.map((x) => x.textContent!));
    expect(legend.reduce((n, text) => n + Number(/(\d+)$/.exec(text)![1]), 0)).toBe(fed.province.communes.length);
    const tileCommune = fed.province.communes[5];
    expect(await page.textContent(`#communeMap g[data-commune="${tileCommune.code}"] title`)).toContain(tileCommune.name);
    await page.click(`#communeMap g[data-commune="${tileCommune.code}"]`);
    await page.waitForFunction((code) => (globalThis as any).document.querySelector('#communeName')?.textContent.includes(code), tileCommune.code);

    await page.click('#commune-table tbody tr:first-child a.commune');
    await page.waitForSelector('#commune-indicators tbody tr');
    expect(await page.isVisible('#commune-detail')).toBe(true);
    expect((await chartPixels(page, 'communeChart')).painted).toBeGreaterThan(1000);

    await page.screenshot({ path: 'test-results/dashboard-desktop-vi.png', fullPage: true });
    await page.click('#lang');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('h1').textContent.includes('Drug prevention'));
    await page.screenshot({ path: 'test-results/dashboard-desktop-en.png', fullPage: true });
    expect((await chartPixels(page, 'trendChart')).line).toBeGreaterThan(50);
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('phone 390×844: no horizontal overflow, the chart drawn, the drill-down readable', async () => {
    const data = await graphProvince(String(fed.province.year));
    const { page, problems, ms } = await open(PHONE, { indicator: indicatorWithTrend(data.province.periods) });
    loadTimes.push(`phone ${ms} ms`);
    const width = () => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(PHONE.width);
    const pixels = await chartPixels(page, 'trendChart');
    expect(pixels.line).toBeGreaterThan(50);

    await page.click('#commune-table tbody tr:first-child a.commune');
    await page.waitForSelector('#commune-indicators tbody tr');
    await page.screenshot({ path: 'test-results/dashboard-phone-vi.png', fullPage: true });
    await page.screenshot({ path: 'test-results/dashboard-phone-detail-vi.png' });
    expect(await width()).toBeLessThanOrEqual(PHONE.width);
    // Each indicator of the drill-down is a card as wide as the screen: names are not squeezed to a word a line.
    const nameWidths = await page.$$eval('#commune-indicators td.name', (cells) => cells.map((c) => c.getBoundingClientRect().width));
    expect(Math.min(...nameWidths)).toBeGreaterThan(300);
    expect(await page.$$eval('#commune-indicators [data-status]', (s) => s.every((x) => x.textContent!.trim().length > 1))).toBe(true);
    expect((await chartPixels(page, 'communeChart')).line).toBeGreaterThan(20);
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('the Vietnamese view holds no English interface text and the English view no Vietnamese', async () => {
    const { page, problems } = await open(DESKTOP);
    const words = await page.evaluate(() => (globalThis as any).PCMT_I18N.TEXT);
    const strings = (lang: 'vi' | 'en') => {
      const flat = { ...words[lang], ...words[lang].figures };
      delete flat.figures;
      const other = lang === 'vi' ? { ...words.en, ...words.en.figures } : { ...words.vi, ...words.vi.figures };
      // Words that differ between the languages (symbols such as ≥ are the same in both).
      return Object.entries(flat).filter(([k, v]) => typeof v === 'string' && v !== other[k] && /[a-zA-Z]{3}/.test(v)).map(([, v]) => v as string);
    };
    await page.click('#commune-table tbody tr:first-child a.commune');
    await page.waitForSelector('#commune-indicators tbody tr');

    const vi = await visibleText(page, 'vi');
    const english = [...strings('en'), 'Met', 'Not met', 'On track', 'Behind', 'Off track', 'Loading', 'Status', 'Target', 'Deadline', 'Source', 'Province', 'Commune', 'No data'];
    expect(english.filter((s) => new RegExp(`(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(vi))).toEqual([]);
    expect(vi).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/); // dates are dd/mm/yyyy
    expect(vi).not.toContain('±');
    // A change against the same period last year carries its sign and a decimal comma: "+18,6 %".
    expect(vi).toMatch(/[+−]\d+(,\d)? %\s*so với cùng kỳ năm trước/);
    expect(vi).toMatch(/\b\d{2}\/\d{2}\/\d{4}\b/);
    for (const word of ['Đạt', 'Chưa đạt']) expect(vi).toContain(word);

    await page.click('#lang');
    await page.waitForFunction(() => (globalThis as any).document.documentElement.lang === 'en');
    const en = await visibleText(page, 'en');
    expect(strings('vi').filter((s) => en.includes(s))).toEqual([]);
    // Apart from quoted names of places and documents (lang="vi"), no Vietnamese letter at all.
    expect(en.match(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu) ?? []).toEqual([]);
    expect(en).toContain('Met');
    const statusWords = Object.values(words.en).filter((w) => typeof w === 'string' && /^(Met|Not met|No data|Context)/.test(w as string));
    expect(await page.$$eval('#communeMap title', (ts, w) => ts.every((x) => (w as string[]).some((word) => x.textContent!.endsWith(word))), statusWords)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('the period picker shows a quarter and a month with the graph\'s figures and a "data as of" date', async () => {
    const year = fed.province.year;
    const { page, problems } = await open(DESKTOP);
    expect(await page.textContent('#asOf')).toMatch(new RegExp(`Số liệu đến hết ngày 31/12/${year}`));
    for (const [select, value, period, label, from] of [['#quarter', '2', `${year}-Q2`, `Quý II/${year}`, `${year - 1}-Q1`], ['#month', '5', `${year}-05`, `Tháng 5/${year}`, `${year - 1}-01`]] as const) {
      await page.selectOption(select, value);
      await page.click('#reload');
      await page.waitForFunction((l) => (globalThis as any).document.querySelector('#periodLabel').textContent === l && (globalThis as any).document.body.dataset.loaded === 'true', label);
      const data = await graph('DashboardProvince', { province: fed.province.province.code, period, from, to: period });
      const shown = await page.$$eval('#indicator-table tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-indicator'), r.querySelector('[data-status]')!.getAttribute('data-status')]));
      expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(data.province.period.indicators.map((v: any) => [v.indicator.id, v.status])));
      expect(page.url()).toContain(`period=${period}`);
    }
    expect(await page.textContent('#asOf')).toContain(`31/05/${year}`);
    // A month picked inside a quarter: only that quarter's months are offered.
    expect(await page.$$eval('#month option', (o) => o.map((x) => (x as any).value))).toEqual(['', '4', '5', '6']);
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('the indicator and commune searches filter the tables, ignoring Vietnamese marks', async () => {
    const { page } = await open(DESKTOP);
    const commune = fed.province.communes[3];
    const folded = commune.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    await page.fill('#communeSearch', folded);
    const rows = await page.$$eval('#commune-table tbody tr', (r) => r.map((x) => x.getAttribute('data-commune')));
    expect(rows).toContain(commune.code);
    expect(rows.length).toBeLessThan(fed.province.communes.length);
    await page.fill('#indicatorSearch', 'b1');
    expect(await page.$$eval('#indicator-table tbody tr', (r) => r.map((x) => x.getAttribute('data-indicator')))).toEqual(['b1']);
    await page.close();
  });

  browserTest('Excel export holds what the screen shows, filters included', async () => {
    const { page, problems } = await open(DESKTOP);
    await page.fill('#communeSearch', fed.province.communes[0].name.split(' ')[0]);
    const screen = await page.$$eval('#indicator-table tbody tr', (rows) =>
      rows.map((r) => ({ name: r.querySelector('strong')!.textContent, value: r.querySelector('td.value')!.getAttribute('data-value'), status: r.querySelector('[data-status]')!.textContent })),
    );
    const communesShown = await page.$$eval('#commune-table tbody tr', (r) => r.map((x) => x.getAttribute('data-commune')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = `test-results/dashboard-export-${fed.province.province.code}-${fed.province.year}.xlsx`;
    await download.saveAs(file);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('Chỉ tiêu')!;
    expect(String(sheet.getCell('A1').value)).toContain('phòng, chống ma túy');
    const header = sheet.getRow(5).values as unknown[];
    expect(header.slice(1, 6)).toEqual(['Chỉ tiêu', 'Mã', 'Kết quả', 'Mục tiêu', 'Đánh giá']);
    const rows: { name: string; value: string; status: string }[] = [];
    sheet.eachRow((row, n) => {
      if (n > 5) rows.push({ name: String(row.getCell(1).value), value: typeof row.getCell(3).value === 'number' ? String(row.getCell(3).value) : '', status: String(row.getCell(5).value) });
    });
    expect(rows).toEqual(screen);

    const communes = book.getWorksheet('Xã phường')!;
    const codes: string[] = [];
    communes.eachRow((row, n) => {
      if (n > 5) codes.push(String(row.getCell(2).value));
    });
    expect(codes.sort()).toEqual([...communesShown].sort());
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('prints on A4 with every status in words and no controls', async () => {
    const { page } = await open(DESKTOP);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('#filters')).toBe(false);
    expect(await page.isVisible('#trendTitle')).toBe(true);
    const statuses = await page.$$eval('[data-status]', (s) => s.map((x) => x.textContent!.trim()));
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.every((s) => s.length > 1)).toBe(true);
    const pdf = await page.pdf({ path: 'test-results/dashboard-print-a4.pdf', format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 portrait: 595 × 842 points.
    expect(pdf.toString('latin1')).toMatch(/MediaBox\s*\[\s*0 0 595(\.\d+)? 842(\.\d+)?\s*\]/);
    await page.close();
  });

  browserTest('a token saved in the explorer does not open the dashboard (separate keys)', async () => {
    const analyst = await fed.roleToken('analyst');
    const page = await browser!.newPage();
    await page.goto(`${base()}/explorer`);
    // Both the explorer's old shared key and its own key.
    await page.evaluate((t) => ['pcmt.token', 'pcmt.explorer.token'].forEach((k) => (globalThis as any).localStorage.setItem(k, t)), analyst);
    await page.goto(`${base()}/dashboard`);
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.isVisible('#main')).toBe(false);
    expect(await page.textContent('#status')).toBe('');
    await page.close();
  });

  browserTest('a commune-level account sees its own commune and a note instead of the province figures', async () => {
    const own = fed.province.communes[2].code;
    const communeToken = await fed.roleToken('dashboard', { communes: [own] });
    const page = await browser!.newPage({ viewport: DESKTOP });
    await page.goto(`${base()}/dashboard?token=${communeToken}&period=${fed.province.year}&province=${fed.province.province.code}`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });
    expect(await page.isVisible('#province-outside-area')).toBe(true);
    expect(await page.$$eval('#commune-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-commune')))).toEqual([own]);
    await page.close();
  });

  browserTest('the explorer loads offline with its example operations', async () => {
    const page = await browser!.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base())) external.push(r.url());
    });
    await page.goto(`${base()}/explorer`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/explorer.png' });
    expect(external).toEqual([]);
    await page.close();
  });
});

describe('CSV export', () => {
  // Headers, separator and Excel: test/sign-in-and-explorer.test.ts and gateway/src/export.test.ts.
  test('a list result comes back as CSV, one line per item', async () => {
    const analyst = await fed.roleToken('analyst');
    const res = await fetch(`${base()}/export.csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ query: '{ communes(first: 500) { items { code name kind } } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines).toHaveLength(fed.province.communes.length + 1);
    expect(lines[1]).toContain(fed.province.communes[0].name);
  });
});
