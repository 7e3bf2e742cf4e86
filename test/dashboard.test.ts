import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startTestFederation, type TestFederation } from './harness.js';

const CHROMIUM = process.env.PCMT_CHROMIUM ?? '/usr/bin/chromium';
// CI installs Debian's chromium; a developer machine without it skips loudly instead of failing.
const browserTest = existsSync(CHROMIUM) || process.env.CI ? test : test.skip;
if (!existsSync(CHROMIUM)) console.warn(`dashboard browser tests skipped: no ${CHROMIUM} (apt-get install chromium)`);

let fed: TestFederation;
let browser: Browser | undefined;
let token: string;
const base = () => fed.gateway.url.replace(/\/graphql$/, '');

beforeAll(async () => {
  fed = await startTestFederation({ seed: 21, scale: 0.1 });
  token = await fed.roleToken('dashboard');
  if (existsSync(CHROMIUM)) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
});

afterAll(async () => {
  await browser?.close();
  await fed?.close();
});

async function graphProvince(period: string) {
  const operations = readFileSync('schema/operations/dashboard.graphql', 'utf8');
  const res = await fetch(fed.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: operations, operationName: 'DashboardProvince', variables: { province: fed.province.province.code, period, from: '2021', to: period } }),
  });
  return (await res.json()) as any;
}

describe('steering-committee dashboard', () => {
  browserTest('shows the same indicator values as the graph, in Vietnamese and English, and drills into a commune', async () => {
    const period = String(fed.province.year);
    const graph = await graphProvince(period);
    expect(graph.errors).toBeUndefined();
    const expected = Object.fromEntries(graph.data.province.period.indicators.map((v: any) => [v.indicator.id, v]));

    const page = await browser!.newPage({ viewport: { width: 1400, height: 1800 } });
    await page.goto(`${base()}/dashboard?token=${token}&period=${period}&province=${fed.province.province.code}`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });

    const shown = await page.$$eval('#indicator-table tbody tr', (rows) =>
      rows.map((r) => ({ id: r.getAttribute('data-indicator'), value: r.querySelector('td.value')!.getAttribute('data-value'), status: r.querySelector('[data-status]')!.getAttribute('data-status') })),
    );
    expect(shown.length).toBe(Object.keys(expected).length);
    for (const row of shown) {
      const v = expected[row.id!];
      expect(row.value === '' ? null : Number(row.value)).toBe(v.value);
      expect(row.status).toBe(v.status);
    }
    expect(await page.textContent('h1')).toContain('phòng, chống ma túy');

    const communeRows = await page.$$eval('#commune-table tbody tr', (rows) => rows.length);
    expect(communeRows).toBe(fed.province.communes.length);
    // Sorting by an indicator orders the table by its value.
    await page.click('#commune-table th[data-sort="g1"]');
    const sorted = await page.$$eval('#commune-table tbody td[data-indicator="g1"]', (cells) => cells.map((c) => c.getAttribute('data-value')).filter((v) => v !== '').map(Number));
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));

    await page.click('#commune-table tbody tr:first-child a.commune');
    await page.waitForSelector('#commune-indicators tbody tr');
    expect(await page.isVisible('#commune-detail')).toBe(true);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard-vi.png', fullPage: true });
    await page.click('#lang');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('h1').textContent.includes('Drug prevention'));
    await page.waitForSelector('body[data-loaded="true"]');
    await page.screenshot({ path: 'test-results/dashboard-en.png', fullPage: true });
    await page.close();
  });

  browserTest('a commune-level account sees its own commune and a note instead of the province figures', async () => {
    const own = fed.province.communes[2].code;
    const communeToken = await fed.roleToken('dashboard', { communes: [own] });
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1200 } });
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
  test('a list result comes back as CSV with one column per field', async () => {
    const analyst = await fed.roleToken('analyst');
    const res = await fetch(`${base()}/export.csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ query: '{ communes(first: 500) { items { code name kind } } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('code,name,kind');
    expect(lines).toHaveLength(fed.province.communes.length + 1);
    expect(lines[1]).toContain(fed.province.communes[0].name);
  });
});
