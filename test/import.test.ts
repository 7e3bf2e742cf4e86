import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SqliteAuditLog } from '@pcmt/gateway';
import { devTokenClaims, ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { createSubgraphService, DEMO_PROVINCE_CODE, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { testDatabase } from '@pcmt/kit/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { importRows, ImportRefused, pickImporter, readRows, readSheet, testImportCaller, writeErrorFile, writeTemplate } from '@pcmt/gateway/import';
import { loadSubgraph } from '../scripts/lib/subgraphs.js';
import { messyLegalAidWorkbook } from './fixtures/messy-workbook.js';

// A legal-aid centre's spreadsheet, Vietnamese headers and diacritics, with deliberately broken rows.
const province = syntheticProvince({ seed: 71, scale: 0.05 });
const [c1, c2] = province.communes;
const HEADER = ['Mã yêu cầu', 'Số CCCD', 'Ngày tiếp nhận', 'Mã xã', 'Diện được trợ giúp', 'Hình thức', 'Số vụ án', 'Ghi chú'];
const ROWS = [
  ['TGPL-90001', '004085123456', '12/03/2025', c1.code, 'Người thuộc hộ nghèo', 'Tư vấn pháp luật', '', 'Bà con ở bản Nà'],
  ['TGPL-90002', '004090654321', '2025-04-02', c2.code, 'Dân tộc thiểu số', 'Tham gia tố tụng', 'VA-2025-00001', ''],
  ['TGPL-90003', '12345', '2025-04-03', c1.code, 'Hộ nghèo', 'Tư vấn', '', 'CCCD sai'], // bad citizen ID
  ['TGPL-90004', '004090654322', '31/02/2025', c1.code, 'Hộ nghèo', 'Tư vấn', '', 'ngày không có thật'], // bad date
  ['TGPL-90005', '004090654323', '2025-05-05', '99999', 'Hộ nghèo', 'Tư vấn', '', 'xã không có'], // unknown commune
  ['TGPL-90006', '004090654324', '2025-05-06', c2.code, 'Người ngoài hành tinh', 'Tư vấn', '', 'diện không có'], // unknown group
  ['TGPL-90007', '004090654325', '2099-01-01', c2.code, 'Trẻ em', 'Đại diện ngoài tố tụng', '', 'ngày tương lai'], // future
  ['TGPL-90008', '004090654326', '2025-06-01', c2.code, 'Trẻ em', 'Đại diện ngoài tố tụng', '', ''],
];
const GOOD = ['TGPL-90001', 'TGPL-90002', 'TGPL-90008'];

let service: SubgraphService;
let drop: () => Promise<void>;
const dir = mkdtempSync(join(tmpdir(), 'pcmt-import-'));

beforeAll(async () => {
  const def = await loadSubgraph('legal-aid');
  const db = await testDatabase('legal-aid');
  drop = db.drop;
  service = await createSubgraphService(def, { database: db.target, logLevel: 'silent' });
  await service.migrate();
  await service.seed(province);
});

afterAll(async () => {
  await service?.close();
  await drop?.();
});

/** A province-wide operator of the centre, as in the centre's own office. */
const operator = testImportCaller('legal-aid');

const count = async (ids: string[]) =>
  Number((await service.orm.em.fork().getConnection().execute(`select count(*) as n from legal_aid_request where id in (${ids.map(() => '?').join(',')})`, ids))[0].n);

describe('spreadsheet import', () => {
  test('CSV: good rows imported, every bad row reported with row, column and reason, re-run imports nothing twice', async () => {
    const file = join(dir, 'yeu-cau.csv');
    const csv = [HEADER, ...ROWS].map((r) => r.map((v) => `"${v}"`).join(',')).join('\r\n');
    writeFileSync(file, '\uFEFF' + csv, 'utf8');
    const def = await loadSubgraph('legal-aid');
    const importer = pickImporter(def.importers);
    const rows = await readRows(file);
    expect(rows).toHaveLength(ROWS.length);
    expect(rows[0]['Diện được trợ giúp']).toBe('Người thuộc hộ nghèo');

    const first = await importRows(service, importer, rows, operator);
    expect({ imported: first.imported, failed: first.failed, already: first.alreadyImported }).toEqual({ imported: 3, failed: 5, already: 0 });
    expect(first.errors.map((e) => [e.row, e.column])).toEqual([
      [4, 'Số CCCD'],
      [5, 'Ngày tiếp nhận'],
      [6, 'Mã xã'],
      [7, 'Diện được trợ giúp'],
      [8, 'Ngày tiếp nhận'],
    ]);
    // Nothing lost, nothing duplicated: each good row once, no bad row at all.
    expect(await count(GOOD)).toBe(3);
    expect(await count(ROWS.map((r) => r[0]).filter((id) => !GOOD.includes(id)))).toBe(0);

    const errorFile = join(dir, 'errors.csv');
    writeErrorFile(errorFile, first.errors);
    const written = readFileSync(errorFile, 'utf8');
    expect(written.startsWith('\uFEFFDòng,Cột,Giá trị,Lý do,Reason')).toBe(true);
    expect(written).toContain('Người ngoài hành tinh');
    // The clerk's reason: Vietnamese, naming the column by the sheet's own header.
    expect(first.errors.find((e) => e.column === 'Ngày tiếp nhận' && e.row === 5)!.explanation).toMatch(/^«31\/02\/2025» ở cột «Ngày tiếp nhận» không phải là ngày có thật/);
    expect(first.errors.find((e) => e.column === 'Diện được trợ giúp')!.explanation).toMatch(/không có trong danh mục của cột «Diện được trợ giúp»/);

    const again = await importRows(service, importer, rows, operator);
    expect({ imported: again.imported, already: again.alreadyImported, failed: again.failed }).toEqual({ imported: 0, already: 3, failed: 5 });
    expect(await count(GOOD)).toBe(3);
  });

  test('XLSX with the same sheet gives the same result, dates typed as Excel dates included', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Yêu cầu');
    sheet.addRow(HEADER);
    for (const r of ROWS) sheet.addRow(r.map((v, i) => (i === 0 ? v.replace('900', '910') : v)));
    // One date as a real Excel date cell.
    sheet.getCell('C9').value = new Date(Date.UTC(2025, 5, 1));
    const file = join(dir, 'yeu-cau.xlsx');
    await book.xlsx.writeFile(file);
    const def = await loadSubgraph('legal-aid');
    const report = await importRows(service, pickImporter(def.importers), await readRows(file), operator);
    expect({ imported: report.imported, failed: report.failed }).toEqual({ imported: 3, failed: 5 });
  });

  test('each row that names a person is in the audit log, refused or not, under the importing caller', async () => {
    const audit = new SqliteAuditLog(':memory:');
    const caller = { ...testImportCaller('legal-aid'), audit };
    const rows = ROWS.slice(0, 3).map((r, i) => Object.fromEntries(HEADER.map((h, j) => [h, j === 0 ? `TGPL-930${i}` : r[j]])));
    const report = await importRows(service, pickImporter((await loadSubgraph('legal-aid')).importers), rows, caller);
    // Row 3's citizen ID is malformed: refused before any write, so nobody is named.
    expect({ imported: report.imported, failed: report.failed, audited: report.audited }).toEqual({ imported: 2, failed: 1, audited: 2 });
    const entries = await audit.all();
    expect(entries.map((e) => [e.subject, e.agency, e.persons])).toEqual([
      ['test-importer-legal-aid', 'legal-aid', [ROWS[0][1]]],
      ['test-importer-legal-aid', 'legal-aid', [ROWS[1][1]]],
    ]);
    expect(entries.every((e) => e.purpose === 'automated test' && e.fields[0] === 'import:legal-aid/requests')).toBe(true);
  });

  test('a caller without the write scope of the subgraph is refused before any row', async () => {
    const police = testImportCaller('police');
    const before = await count(['TGPL-94001']);
    const rows = [Object.fromEntries(HEADER.map((h, j) => [h, j === 0 ? 'TGPL-94001' : ROWS[0][j]]))];
    await expect(importRows(service, pickImporter((await loadSubgraph('legal-aid')).importers), rows, police)).rejects.toThrow(ImportRefused);
    expect(await count(['TGPL-94001'])).toBe(before);
    expect(await police.audit.all()).toEqual([]);
  });
});

describe('a clerk\'s real workbook', () => {
  test('title rows, merged cells, numeric CCCDs and commune codes, totals and signatures: every record imported or refused with a Vietnamese reason', async () => {
    const file = join(dir, 'so-tiep-nhan-thang-6.xlsx');
    writeFileSync(file, await messyLegalAidWorkbook([c1.code, c2.code]));

    const importer = pickImporter((await loadSubgraph('legal-aid')).importers);
    const found = await readSheet(file, importer);
    expect(found.headerRow).toBe(5);
    expect(found.records.map((r) => r.row)).toEqual([6, 7, 8, 9, 10]);
    const report = await importRows(service, importer, found, operator);
    const summary = { imported: report.imported, refused: report.failed, skipped: report.skipped.length };
    console.log(`messy workbook: ${found.records.length} records, ${summary.imported} imported, ${summary.refused} refused, ${summary.skipped} rows left out (total, place and date, signatures); title rows above row ${found.headerRow}`);
    expect(summary).toEqual({ imported: 4, refused: 1, skipped: 5 });
    expect(report.skipped.map((s) => s.row)).toEqual([11, 13, 14, 15, 16]);
    expect(report.skipped[0].reason).toMatch(/tổng cộng/);
    expect(report.errors).toEqual([
      { row: 9, column: 'Ngày tiếp nhận', value: '31/06/2025', reason: expect.any(String), explanation: expect.stringMatching(/^«31\/06\/2025» ở cột «Ngày tiếp nhận» không phải là ngày có thật/) },
    ]);
    // The zeros are back, and the merged commune code belongs to both rows.
    const rows = await service.orm.em.fork().getConnection().execute(`select id, citizen_id, commune_code from legal_aid_request where id in ('TGPL-98001', 'TGPL-98002') order by id`);
    expect(rows.map((r: any) => [r.citizen_id, r.commune_code])).toEqual([
      ['004085000001', c1.code],
      ['004085000002', c1.code],
    ]);
  });

  test('a template per importer: the headers the importer reads, as text columns, and it imports once filled', async () => {
    const importer = pickImporter((await loadSubgraph('legal-aid')).importers);
    const file = join(dir, 'mau.xlsx');
    await writeTemplate(file, 'legal-aid', importer);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const headers = (book.worksheets[0].getRow(1).values as string[]).slice(1);
    expect(headers).toEqual(Object.values(importer.columns).map((a) => a[0]));
    const values: Record<string, string> = { id: 'TGPL-98101', citizenId: '004085000101', receivedOn: '2025-06-10', communeCode: c1.code, eligibilityGroup: 'Trẻ em', serviceForm: 'Tư vấn pháp luật' };
    book.worksheets[0].addRow(Object.keys(importer.columns).map((f) => values[f] ?? ''));
    await book.xlsx.writeFile(file);
    const report = await importRows(service, importer, await readSheet(file, importer), operator);
    expect({ imported: report.imported, refused: report.failed }).toEqual({ imported: 1, refused: 0 });
  });

  test('a sheet without any of the importer\'s headers is refused as a whole, saying which headers it expects', async () => {
    const file = join(dir, 'khong-tieu-de.csv');
    writeFileSync(file, 'a,b,c\n1,2,3\n');
    const importer = pickImporter((await loadSubgraph('legal-aid')).importers);
    await expect(readSheet(file, importer)).rejects.toThrow(/không tìm thấy dòng tiêu đề cột.*«Mã yêu cầu»/);
  });
});

describe('npm run import: an identified caller', () => {
  const keysDir = mkdtempSync(join(tmpdir(), 'pcmt-import-keys-'));
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const out: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', JWT_PUBLIC_KEY_FILE: join(keysDir, 'jwt-public.pem'), ...extra };
    delete out.AUDIT_DATABASE_URL;
    const db = service.config.database;
    // The subgraph's database, and the gateway's audit log beside it (PCMT_DATA_DIR/audit.sqlite).
    if (db.kind === 'postgresql') {
      out.LEGAL_AID_DATABASE_URL = db.url;
      out.PCMT_DATA_DIR = dir;
    } else out.PCMT_DATA_DIR = join(db.file, '..');
    return out;
  };
  const auditFile = () => join(env().PCMT_DATA_DIR!, 'audit.sqlite');
  const cli = (args: string[], extra?: NodeJS.ProcessEnv) => {
    try {
      return { status: 0, out: execFileSync('node_modules/.bin/node', ['--import', '@swc-node/register/esm-register', 'scripts/import.ts', ...args], { env: env(extra), encoding: 'utf8', stdio: 'pipe' }), err: '' };
    } catch (e: any) {
      return { status: e.status as number, out: String(e.stdout), err: String(e.stderr) };
    }
  };
  const csv = (name: string, rows: string[][]) => {
    const file = join(dir, name);
    writeFileSync(file, '\uFEFF' + [HEADER, ...rows].map((r) => r.join(',')).join('\n'));
    return file;
  };
  const row = (id: string, citizenId: string, commune: string) => [id, citizenId, '2025-06-01', commune, 'Trẻ em', 'Đại diện ngoài tố tụng', '', ''];

  test('without a token (or an operator) nothing is imported', () => {
    const file = csv('no-identity.csv', [row('TGPL-95001', '004090600001', c1.code)]);
    const r = cli(['legal-aid', file]);
    expect(r.status).toBe(3);
    expect(r.err).toMatch(/refused: an import writes as somebody/);
    return count(['TGPL-95001']).then((n) => expect(n).toBe(0));
  });

  test("a forged or foreign token is refused; an operator name is refused in production", async () => {
    const foreign = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'pcmt-foreign-keys-')));
    await ensureDevKeys(keysDir);
    const forged = await issueToken(foreign.privatePem, devTokenClaims('legal-aid-officer', { demoProvince: DEMO_PROVINCE_CODE }));
    const file = csv('forged.csv', [row('TGPL-95002', '004090600002', c1.code)]);
    const r = cli(['legal-aid', file, '--token', forged]);
    expect([r.status, r.err]).toEqual([3, expect.stringMatching(/refused: invalid token/)]);
    const production = { NODE_ENV: 'production', PCMT_IDENTITY_SECRET: 'a1'.repeat(32), PCMT_PSEUDONYM_SECRET: 'b2'.repeat(32), METRICS_TOKEN: 'c3'.repeat(32), JWT_ISSUER: 'https://id.example' };
    const op = cli(['legal-aid', file, '--operator', 'nguyen-van-a'], production);
    expect([op.status, op.err]).toEqual([3, expect.stringMatching(/--operator is for development/)]);
    expect(await count(['TGPL-95002'])).toBe(0);
  });

  test("a commune officer's token: rows of another commune refused as the mutation refuses them; every row audited under the officer", async () => {
    const keys = await ensureDevKeys(keysDir);
    const token = await issueToken(keys.privatePem, { ...devTokenClaims('legal-aid-officer', { communes: [c1.code], demoProvince: DEMO_PROVINCE_CODE }), sub: 'officer-c1' });
    const file = csv('commune.csv', [row('TGPL-96001', '004090700001', c1.code), row('TGPL-96002', '004090700002', c2.code)]);
    const r = cli(['legal-aid', file, '--token', token, '--purpose', 'nhập sổ tiếp nhận tháng 6']);
    expect(r.status).toBe(2);
    expect(r.out).toContain('2 rows: 1 imported, 0 already imported before, 1 refused; 2 audited as officer-c1');
    expect(await count(['TGPL-96001'])).toBe(1);
    expect(await count(['TGPL-96002'])).toBe(0);
    expect(readFileSync(`${file}.errors.csv`, 'utf8')).toMatch(/Mã xã,.*nằm ngoài địa bàn.*outside your area/);
    const audit = new SqliteAuditLog(auditFile());
    try {
      const mine = (await audit.all()).filter((e) => e.subject === 'officer-c1');
      console.log(`import as a commune officer: 1 of 2 rows imported (the other commune's refused), audit entries written ${mine.length} of 2`);
      expect(mine.map((e) => [e.agency, e.purpose, e.persons])).toEqual([
        ['legal-aid', 'nhập sổ tiếp nhận tháng 6', ['004090700001']],
        ['legal-aid', 'nhập sổ tiếp nhận tháng 6', ['004090700002']],
      ]);
      expect(mine.every((e) => e.operationHash.length === 64 && e.operationName?.startsWith('import legal-aid/requests commune.csv row'))).toBe(true);
    } finally {
      await audit.close();
    }
    // The same officer re-running the file: nothing twice.
    expect(cli(['legal-aid', file, '--token', token]).out).toContain('2 rows: 0 imported, 1 already imported before, 1 refused');
  });

  test('the import command writes the error file and exits 2 when rows were refused', () => {
    const file = join(dir, 'yeu-cau-cli.csv');
    writeFileSync(file, '\uFEFF' + [HEADER, ROWS[2], ROWS[7].map((v, i) => (i === 0 ? 'TGPL-92008' : v))].map((r) => r.join(',')).join('\n'));
    const r = cli(['legal-aid', file, '--operator', 'test']);
    expect(r.status).toBe(2);
    expect(r.out).toContain('2 rows: 1 imported, 0 already imported before, 1 refused; 1 audited as operator:test');
    expect(readFileSync(`${file}.errors.csv`, 'utf8')).toContain('Số CCCD');
  });

  test('exit codes tell a script what happened: 0 new rows, 1 nothing new, 3 nothing done; --help and bad options are one screen or one line', () => {
    const file = csv('exit-codes.csv', [row('TGPL-97001', '004090800001', c1.code)]);
    expect(cli(['legal-aid', file, '--operator', 'test']).status).toBe(0);
    const again = cli(['legal-aid', file, '--operator', 'test']);
    expect([again.status, again.out]).toEqual([1, expect.stringContaining('1 rows: 0 imported, 1 already imported before, 0 refused')]);
    const help = cli(['--help']);
    expect([help.status, help.out]).toEqual([0, expect.stringContaining('Exit codes: 0 new rows imported')]);
    const bad = cli(['legal-aid', file, '--operater', 'x']);
    expect(bad.status).toBe(3);
    expect(bad.err.trim().split('\n')).toEqual(["error: unknown option '--operater'", '(npm run import -- --help lists the options)']);
    const missing = cli(['legal-aid', join(dir, 'khong-co.xlsx'), '--operator', 'test']);
    expect(missing.status).toBe(3);
    expect(missing.err).not.toMatch(/\n\s+at /);
  });
});
