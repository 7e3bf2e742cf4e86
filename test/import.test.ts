import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createSubgraphService, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { testDatabase } from '@pcmt/kit/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { importRows, pickImporter, readRows, writeErrorFile } from '../scripts/lib/import.js';
import { loadSubgraph } from '../scripts/lib/subgraphs.js';

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

    const first = await importRows(service, importer, rows);
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
    expect(written.startsWith('\uFEFFrow,column,value,reason')).toBe(true);
    expect(written).toContain('Người ngoài hành tinh');

    const again = await importRows(service, importer, rows);
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
    const report = await importRows(service, pickImporter(def.importers), await readRows(file));
    expect({ imported: report.imported, failed: report.failed }).toEqual({ imported: 3, failed: 5 });
  });

  test('the import command writes the error file and exits 1 when rows were refused', () => {
    const file = join(dir, 'yeu-cau-cli.csv');
    writeFileSync(file, '\uFEFF' + [HEADER, ROWS[2], ROWS[7].map((v, i) => (i === 0 ? 'TGPL-92008' : v))].map((r) => r.join(',')).join('\n'));
    const env: NodeJS.ProcessEnv = { ...process.env, PCMT_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const db = service.config.database;
    if (db.kind === 'postgresql') env.LEGAL_AID_DATABASE_URL = db.url;
    else env.PCMT_DATA_DIR = join(db.file, '..');
    let status = 0;
    let out = '';
    try {
      out = execFileSync('node_modules/.bin/node', ['--import', '@swc-node/register/esm-register', 'scripts/import.ts', 'legal-aid', file], { env, encoding: 'utf8', stdio: 'pipe' });
    } catch (err: any) {
      status = err.status;
      out = String(err.stdout);
    }
    expect(status).toBe(1);
    expect(out).toContain('2 rows: 1 imported, 0 already imported before, 1 refused');
    expect(readFileSync(`${file}.errors.csv`, 'utf8')).toContain('Số CCCD');
  });
});
