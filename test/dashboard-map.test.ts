import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BoundaryStore, generateBoundaries, type Boundaries } from '@pcmt/gateway/boundaries';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserTests, DESKTOP, launchBrowser, pageProblems, PHONE } from './browser.js';
import { startTestFederation, type TestFederation } from './harness.js';

const browserTest = browserTests('dashboard map');

let fed: TestFederation;
let browser: Browser | undefined;
let token: string;
let communes: any[];
const base = () => fed.gateway.url.replace(/\/graphql$/, '');
const province = () => fed.province.province.code;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 21, scale: 0.1 });
  token = await fed.roleToken('dashboard');
  mkdirSync('test-results', { recursive: true });
  const operations = readFileSync('schema/operations/dashboard.graphql', 'utf8');
  const res = await fetch(fed.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: operations, operationName: 'DashboardCommunes', variables: { province: province(), period: String(fed.province.year) } }),
  });
  const body = (await res.json()) as any;
  expect(body.errors).toBeUndefined();
  communes = body.data.communes.items;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await fed?.close();
});

const shown = (v: any) => (v && !v.suppressed && v.value !== null ? Math.round(v.value * 10) / 10 : null);

/** The commune indicator whose shown values differ the most across communes: the map must show them apart. */
function indicatorWithSpread(): string {
  const ids = communes[0].period.indicators.map((v: any) => v.indicator.id);
  const spread = (id: string) => new Set(communes.map((c) => shown(c.period.indicators.find((v: any) => v.indicator.id === id))).filter((x) => x !== null)).size;
  const best = [...ids].sort((a, b) => spread(b) - spread(a))[0];
  expect(spread(best)).toBeGreaterThanOrEqual(3);
  return best;
}

async function open(viewport: { width: number; height: number }, query: Record<string, string> = {}) {
  const page = await browser!.newPage({ viewport });
  const problems = pageProblems(page);
  const params = new URLSearchParams({ token, period: String(fed.province.year), province: province(), ...query });
  await page.goto(`${base()}/dashboard?${params}`);
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });
  return { page, problems };
}

/** Relative luminance of a #rrggbb colour: darker fills must mean higher values. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('the commune map', () => {
  browserTest('desktop: one drawn shape per commune, filled by value, a legend that counts every commune, nothing failed', async () => {
    const id = indicatorWithSpread();
    const { page, problems } = await open(DESKTOP, { indicator: id });
    const areas = await page.$$eval('#communeMap g.area', (gs) =>
      gs.map((g) => ({ code: g.getAttribute('data-commune')!, value: g.getAttribute('data-value'), fill: g.querySelector('path')!.getAttribute('fill')!, d: g.querySelector('path')!.getAttribute('d') ?? '', title: g.querySelector('title')!.textContent! })),
    );
    expect(areas.map((a) => a.code).sort()).toEqual(communes.map((c) => c.code).sort());
    for (const a of areas) expect(a.d).toMatch(/^M[\d.-]+,[\d.-]+L/);
    // Every shape lies inside the drawing, and shapes are not all the same box.
    const boxes = await page.$$eval('#communeMap g.area path', (ps) => ps.map((p: any) => { const b = p.getBBox(); return [Math.round(b.x), Math.round(b.y), Math.round(b.width), Math.round(b.height)].join(' '); }));
    expect(new Set(boxes).size).toBe(boxes.length);

    const expected = Object.fromEntries(communes.map((c) => [c.code, c.period.indicators.find((v: any) => v.indicator.id === id)]));
    for (const a of areas) {
      const v = expected[a.code];
      expect(a.value === '' ? null : Number(a.value)).toBe(shown(v));
      expect(a.title).toContain(communes.find((c) => c.code === a.code).name);
      if (v?.suppressed) expect(a.fill).toBe('url(#mapHatch)');
    }
    // The same value, the same fill; a higher value, a fill at least as dark; and the values are told apart.
    const valued = areas.filter((a) => a.value !== '').map((a) => ({ value: Number(a.value), fill: a.fill })).sort((x, y) => x.value - y.value);
    for (let i = 1; i < valued.length; i++) {
      if (valued[i].value === valued[i - 1].value) expect(valued[i].fill).toBe(valued[i - 1].fill);
      expect(luminance(valued[i].fill)).toBeLessThanOrEqual(luminance(valued[i - 1].fill));
    }
    expect(new Set(valued.map((v) => v.fill)).size).toBeGreaterThanOrEqual(3);
    const grey = areas.filter((a) => a.value === '' && !expected[a.code]?.suppressed).map((a) => a.fill);
    expect(grey.every((f) => !valued.some((v) => v.fill === f))).toBe(true);

    // The legend: the scale's classes, withheld and no data, each with its count; every commune once.
    const legend = await page.$$eval('#mapLegend li', (li) => li.map((x) => ({ kind: x.getAttribute('data-legend')!, text: x.textContent!.trim(), swatch: (x.querySelector('.swatch') as any).style.background })));
    expect(legend.filter((l) => l.kind.startsWith('class-')).length).toBeGreaterThanOrEqual(3);
    expect(legend.reduce((n, l) => n + Number(/(\d+)$/.exec(l.text)![1]), 0)).toBe(communes.length);
    for (const l of legend.filter((x) => x.kind.startsWith('class-'))) expect(l.text).toMatch(/^−?\+?[\d,]+ % – −?\+?[\d,]+ %: \d+$|^[−+]?[\d,]+ %: \d+$/);
    const withheld = Object.values(expected).filter((v: any) => v?.suppressed).length;
    if (withheld) expect(legend.find((l) => l.kind === 'withheld')!.text).toBe(`Ẩn (số liệu nhỏ): ${withheld}`);
    expect(await page.textContent('#mapNote')).toContain('chỉ để minh họa');

    // Hover names the commune and its value; a click opens it as the table does.
    const target = areas.find((a) => a.value !== '')!;
    await page.hover(`#communeMap g[data-commune="${target.code}"]`);
    expect(await page.textContent('.map-readout')).toBe(target.title);
    await page.click(`#communeMap g[data-commune="${target.code}"]`);
    await page.waitForFunction((code) => (globalThis as any).document.querySelector('#communeName')?.textContent.includes(code), target.code);
    await page.locator('#communes').screenshot({ path: 'test-results/dashboard-map-desktop.png' });
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('phone 390 px and print: the map fits the screen and prints with its legend', async () => {
    const { page, problems } = await open(PHONE, { indicator: indicatorWithSpread() });
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const box = (await page.$eval('#communeMap', (s: any) => s.getBoundingClientRect().toJSON())) as { width: number; height: number };
    expect(box.width).toBeGreaterThan(250);
    expect(box.width).toBeLessThanOrEqual(PHONE.width);
    expect(box.height).toBeGreaterThan(100);
    expect(await page.$$eval('#communeMap g.area', (g) => g.length)).toBe(communes.length);
    await page.locator('#communeMap').screenshot({ path: 'test-results/dashboard-map-phone.png' });
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('#communeMap')).toBe(true);
    expect(await page.isVisible('#mapLegend')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  browserTest('the English view words the map in English', async () => {
    const { page, problems } = await open(DESKTOP, { lang: 'en', indicator: indicatorWithSpread() });
    const caption = await page.$eval('#map figcaption', (f) => f.textContent!);
    expect(caption).toContain('illustrative');
    expect(caption.match(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu) ?? []).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the gateway serves generated shapes for the listed communes, refuses bad lists, and serves an imported file instead', async () => {
    const codes = communes.map((c) => c.code);
    const url = (query: string, code = province()) => `${base()}/dashboard/boundaries/${code}.geojson${query}`;
    const generated = (await (await fetch(url(`?communes=${[...codes].reverse().join(',')}`))).json()) as Boundaries;
    expect(generated.generated).toBe(true);
    expect(generated.features.map((f) => f.properties.code)).toEqual([...codes].sort());
    expect(generated).toEqual(JSON.parse(JSON.stringify(generateBoundaries(province(), codes.map((code) => ({ code }))))));
    expect((await fetch(url('?communes=12,abc'))).status).toBe(400);
    expect((await fetch(url(''))).status).toBe(404);
    expect((await fetch(url('', '..%2Fx'))).status).toBe(404);

    // An imported file (as `npm run boundaries -- import` stores it) wins over generated shapes.
    const store = new BoundaryStore(join(fed.auditDir, 'boundaries'));
    const imported = { ...generateBoundaries(province(), communes.slice(1)), generated: false };
    store.write(imported);
    try {
      const res = await fetch(url(`?communes=${codes.join(',')}`));
      expect(res.headers.get('content-type')).toContain('geo+json');
      expect(((await res.json()) as Boundaries).features).toHaveLength(communes.length - 1);
      if (browser) {
        const { page, problems } = await open(DESKTOP, { indicator: indicatorWithSpread() });
        expect(await page.$$eval('#communeMap g.area', (g) => g.length)).toBe(communes.length - 1);
        const note = await page.textContent('#mapNote');
        expect(note).toContain('Ranh giới xã theo dữ liệu địa giới tỉnh đã nhập');
        expect(note).toContain('Số xã chưa có ranh giới trên bản đồ: 1');
        expect(problems).toEqual([]);
        await page.close();
      }
    } finally {
      rmSync(store.path(province()));
    }
  });
});
