import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { errorsCsv, importRows, readSheet, testImportCaller } from '@pcmt/gateway/import';
import { createSubgraphService } from '@pcmt/kit';
import { testDatabase } from '@pcmt/kit/testing';
import ExcelJS from 'exceljs';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserTests, DESKTOP, launchBrowser, pageProblems } from './browser.js';
import { loadSubgraph } from '../scripts/lib/subgraphs.js';
import { messyLegalAidWorkbook } from './fixtures/messy-workbook.js';
import { startTestFederation, type TestFederation } from './harness.js';

// The officer upload page (/import, gateway/src/upload.ts): a clerk's workbook through the gateway,
// as the caller — the same reading as `npm run import`, the caller's scope and area, the audit
// entry before the write, the subgraph reached only with the gateway's signature, the cache told.

const browserTest = browserTests('upload');

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let fed: TestFederation;
let c1: string;
let c2: string;
const base = () => fed.gateway.url.replace(/\/graphql$/, '');
const dir = mkdtempSync(join(tmpdir(), 'pcmt-upload-'));

beforeAll(async () => {
  fed = await startTestFederation({ seed: 31, scale: 0.05, env: { RESPONSE_CACHE_TTL_SECONDS: '600' } });
  [c1, c2] = fed.province.communes.map((c) => c.code);
}, 180_000);

afterAll(async () => {
  await fed?.close();
});

interface UploadAnswer {
  status: number;
  body: any;
}

async function upload(token: string | null, bytes: Buffer, opts: { name?: string; type?: string; purpose?: string; subgraph?: string; importer?: string; headers?: Record<string, string> } = {}): Promise<UploadAnswer> {
  const name = opts.name ?? 'so-tiep-nhan.xlsx';
  const res = await fetch(`${base()}/import/api/upload/${opts.subgraph ?? 'legal-aid'}/${opts.importer ?? 'requests'}?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: {
      'content-type': opts.type ?? XLSX,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(opts.purpose ? { 'x-pcmt-purpose': encodeURIComponent(opts.purpose) } : {}),
      ...opts.headers,
    },
    body: bytes,
  });
  return { status: res.status, body: await res.json() };
}

const requestIds = async (prefix: string) => (await fed.sql<{ id: string }>('legal-aid', 'select id from legal_aid_request where id like ? order by id', [`${prefix}%`])).map((r) => r.id);
const entriesOf = async (requestId: string) => (await fed.gateway.audit.all()).filter((e) => e.requestId.startsWith(`${requestId}-row-`));

/** What `npm run import` makes of the same workbook: its own legal-aid database, the same province. */
async function cliReportOf(bytes: Buffer) {
  const db = await testDatabase('legal-aid');
  const service = await createSubgraphService(await loadSubgraph('legal-aid'), { database: db.target, logLevel: 'silent' });
  try {
    await service.migrate();
    await service.seed(fed.province);
    const file = join(dir, `cli-${Date.now()}.xlsx`);
    writeFileSync(file, bytes);
    const importer = (await loadSubgraph('legal-aid')).importers![0];
    return await importRows(service, importer, await readSheet(file, importer), testImportCaller('legal-aid'));
  } finally {
    await service.close();
    await db.drop();
  }
}

describe('upload page API', () => {
  test("a legal-aid officer's messy workbook: the command line's counts, the audit entries first, a re-upload imports nothing new, the next read is fresh", async () => {
    const token = await fed.roleToken('legal-aid-officer');
    const bytes = await messyLegalAidWorkbook([c1, c2], 'TGPL-UP0');
    const cli = await cliReportOf(bytes);

    // A cached aggregate of the legal-aid subgraph, read before the upload (lab identity: the cache is under test, not its rights).
    const lab = await fed.token();
    const FIGURES = `query($c: ID!) { commune(code: $c) { period(period: "2025") { legalAidRequests } } }`;
    const figures = async () => {
      const res = await fetch(fed.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${lab}` }, body: JSON.stringify({ query: FIGURES, variables: { c: c1 } }) });
      const body = (await res.json()) as any;
      expect(body.errors).toBeUndefined();
      return { cache: res.headers.get('x-pcmt-cache'), count: body.data.commune.period.legalAidRequests as number };
    };
    const before = await figures();
    expect((await figures()).cache).toBe('hit');

    const first = await upload(token, bytes, { purpose: 'nhập sổ tiếp nhận tháng 6' });
    expect(first.status).toBe(200);
    const r = first.body;
    console.log(`upload of the messy workbook: ${r.rows} records, ${r.imported} imported, ${r.refused} refused, ${r.skipped.length} rows left out (command line: ${cli.imported}/${cli.failed}/${cli.skipped.length}); header on row ${r.headerRow}`);
    expect({ imported: r.imported, refused: r.refused, skipped: r.skipped.length, headerRow: r.headerRow }).toEqual({ imported: cli.imported, refused: cli.failed, skipped: cli.skipped.length, headerRow: 5 });
    expect({ imported: r.imported, refused: r.refused }).toEqual({ imported: 4, refused: 1 });
    expect(r.errors).toEqual(cli.errors);
    expect(r.errors[0]).toMatchObject({ row: 9, column: 'Ngày tiếp nhận', value: '31/06/2025', explanation: expect.stringMatching(/^«31\/06\/2025» ở cột «Ngày tiếp nhận» không phải là ngày có thật/) });
    // The file the command line writes beside the sheet, byte for byte.
    expect(r.errorsCsv).toBe(errorsCsv(cli.errors));
    expect(r.skipped[0].reason).toMatch(/tổng cộng/);
    expect(await requestIds('TGPL-UP0')).toEqual(['TGPL-UP001', 'TGPL-UP002', 'TGPL-UP003', 'TGPL-UP005']);
    const padded = await fed.sql<{ citizen_id: string; commune_code: string }>('legal-aid', "select citizen_id, commune_code from legal_aid_request where id = 'TGPL-UP002'");
    expect(padded).toEqual([{ citizen_id: '004085000002', commune_code: c1 }]);

    // Every row naming a person, under the officer, with the purpose, the file's hash and the persons.
    const entries = await entriesOf(r.requestId);
    expect(entries.map((e) => [e.subject, e.agency, e.purpose, e.persons])).toEqual(
      ['004085000001', '004085000002', '004085000003', '004085000005'].map((p) => ['dev-legal-aid-officer', 'legal-aid', 'nhập sổ tiếp nhận tháng 6', [p]]),
    );
    expect(entries.every((e) => e.operationHash === r.sha256 && e.operationName?.startsWith('import legal-aid/requests so-tiep-nhan.xlsx row'))).toBe(true);

    // Two requests of the commune were received in June 2025: the cached figure is not served again.
    const after = await figures();
    expect(after).toEqual({ cache: 'miss', count: before.count + 2 });

    const again = await upload(token, bytes);
    expect(again.status).toBe(200);
    expect({ imported: again.body.imported, already: again.body.alreadyImported, refused: again.body.refused }).toEqual({ imported: 0, already: 4, refused: 1 });
    expect(await requestIds('TGPL-UP0')).toHaveLength(4);
  }, 240_000);

  test('the steering committee and an analyst are refused (403, with the reason) and nothing is written or audited', async () => {
    const bytes = await messyLegalAidWorkbook([c1, c2], 'TGPL-NO0');
    const auditBefore = (await fed.gateway.audit.all()).length;
    for (const role of ['steering-committee', 'analyst']) {
      const token = await fed.roleToken(role);
      const refused = await upload(token, bytes);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('legal-aid:write'), messageVi: expect.stringContaining('không được nhập dữ liệu') });
      // Nor are they offered an importer or a template.
      const listed = (await (await fetch(`${base()}/import/api/importers`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
      expect(listed.subgraphs).toEqual([]);
      expect((await fetch(`${base()}/import/api/template/legal-aid/requests`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    }
    // A health officer may write to health, not to legal aid.
    expect((await upload(await fed.roleToken('health-officer'), bytes)).status).toBe(403);
    expect(await requestIds('TGPL-NO0')).toEqual([]);
    expect((await fed.gateway.audit.all()).length).toBe(auditBefore);
  }, 120_000);

  test("a commune officer's rows of another commune are refused as out of area, audited all the same", async () => {
    const token = await fed.roleToken('legal-aid-officer', { communes: [c1] });
    const header = 'Mã yêu cầu;Số CCCD;Ngày tiếp nhận;Mã xã;Diện được trợ giúp;Hình thức';
    // Saved by Excel in Vietnamese settings: semicolons.
    const csv = `\uFEFF${header}\nTGPL-AREA1;004090700001;01/06/2025;${c1};Trẻ em;Tư vấn\nTGPL-AREA2;004090700002;01/06/2025;${c2};Trẻ em;Tư vấn\n`;
    const r = await upload(token, Buffer.from(csv), { name: 'xa.csv', type: 'text/csv' });
    expect(r.status).toBe(200);
    expect({ imported: r.body.imported, refused: r.body.refused }).toEqual({ imported: 1, refused: 1 });
    expect(r.body.errors).toEqual([expect.objectContaining({ row: 3, column: 'Mã xã', explanation: expect.stringMatching(/nằm ngoài địa bàn/), reason: expect.stringMatching(/outside your area/) })]);
    expect(await requestIds('TGPL-AREA')).toEqual(['TGPL-AREA1']);
    expect((await entriesOf(r.body.requestId)).map((e) => e.persons)).toEqual([['004090700001'], ['004090700002']]);
  }, 120_000);

  test('limits: no caller 401, a file that is not a sheet 415, too large 413, no header row 400, the template is the command line\'s', async () => {
    const token = await fed.roleToken('legal-aid-officer');
    expect((await upload(null, Buffer.from('x'))).status).toBe(401);
    const pdf = await upload(token, Buffer.from('%PDF-1.4'), { name: 'so.pdf', type: 'application/pdf' });
    expect([pdf.status, pdf.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    // Named .xlsx, but not a workbook.
    expect((await upload(token, Buffer.from('Mã yêu cầu,Số CCCD\n'), { name: 'so.xlsx' })).status).toBe(415);
    const big = await upload(token, Buffer.alloc(11 * 1024 * 1024, 0x41), { name: 'lon.csv', type: 'text/csv' });
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const noHeader = await upload(token, Buffer.from('a,b,c\n1,2,3\n'), { name: 'khong-tieu-de.csv', type: 'text/csv' });
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.message).toMatch(/không tìm thấy dòng tiêu đề cột.*«Mã yêu cầu»/);
    expect((await upload(token, Buffer.from('x'), { importer: 'khong-co' })).status).toBe(404);

    const template = await fetch(`${base()}/import/api/template/legal-aid/requests`, { headers: { authorization: `Bearer ${token}` } });
    expect(template.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await template.arrayBuffer()) as any);
    const importer = (await loadSubgraph('legal-aid')).importers![0];
    expect((book.worksheets[0].getRow(1).values as string[]).slice(1)).toEqual(Object.values(importer.columns).map((a) => a[0]));
  }, 120_000);

  test("the subgraph's import route answers only the gateway's signed calls", async () => {
    const server = fed.servers.get('legal-aid')!;
    const res = await fetch(new URL('/import', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'write', importer: 'requests', rows: [{ row: 2, cells: { id: 'TGPL-FORGED', citizenId: '004090700009', receivedOn: '2025-06-01', communeCode: c1, eligibilityGroup: 'Trẻ em', serviceForm: 'Tư vấn' } }] }),
    });
    expect(res.status).toBe(401);
    expect(await requestIds('TGPL-FORGED')).toEqual([]);
  });
});

describe('upload page in the browser', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  browserTest('signs in with the development login, uploads the messy workbook and sees the counts, no console error', async () => {
    const page = await browser!.newPage({ viewport: DESKTOP, acceptDownloads: true });
    await page.goto(`${base()}/auth/dev?return=/import`);
    // The development login's page (sign-in.ts) declares no icon, so Chromium asks for /favicon.ico (404): not this page's.
    const problems = pageProblems(page, (m) => m.location().url.endsWith('/favicon.ico'));
    await page.click('button:text-is("legal-aid-officer")');
    await page.waitForURL(/\/import$/);
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.locator('#importer option').allTextContents()).toEqual(['Trung tâm Trợ giúp pháp lý — requests']);

    const template = page.waitForEvent('download');
    await page.click('#template');
    expect((await template).suggestedFilename()).toBe('mau-legal-aid-requests.xlsx');

    const bytes = await messyLegalAidWorkbook([c1, c2], 'TGPL-WEB');
    await page.setInputFiles('#file', { name: 'so-tiep-nhan-thang-6.xlsx', mimeType: XLSX, buffer: bytes });
    await page.fill('#purpose', 'nhập sổ tiếp nhận tháng 6');
    await page.click('#send');
    await page.waitForSelector('#result:not([hidden])', { timeout: 120_000 });
    const counts = {
      imported: await page.textContent('#countImported'),
      already: await page.textContent('#countAlready'),
      refused: await page.textContent('#countRefused'),
      skipped: await page.textContent('#countSkipped'),
    };
    expect(counts).toEqual({ imported: '4', already: '0', refused: '1', skipped: '5' });
    expect(await page.locator('#errorRows tr').allInnerTexts()).toEqual([expect.stringMatching(/^9\tNgày tiếp nhận\t31\/06\/2025\t«31\/06\/2025» ở cột «Ngày tiếp nhận» không phải là ngày có thật/)]);
    const errors = page.waitForEvent('download');
    await page.click('#errorsCsv');
    const errorsFile = await errors;
    expect(errorsFile.suggestedFilename()).toBe('so-tiep-nhan-thang-6.errors.csv');
    const saved = join(dir, 'browser.errors.csv');
    await errorsFile.saveAs(saved);
    expect((await import('node:fs')).readFileSync(saved, 'utf8')).toMatch(/^\uFEFFDòng,Cột,Giá trị,Lý do,Reason\n9,Ngày tiếp nhận,31\/06\/2025,/);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/upload-desktop.png', fullPage: true });
    // The English view says the same in English.
    await page.click('#lang');
    expect(await page.textContent('h1')).toBe('Import from a spreadsheet');
    expect(await page.locator('#errorRows td').nth(3).textContent()).toMatch(/is not a date/);
    expect(problems).toEqual([]);
    expect(await requestIds('TGPL-WEB')).toHaveLength(4);
    await page.close();
  }, 240_000);
});
