// npm run boundaries -- import <province-code> <file.geojson>
// npm run boundaries -- generate <province-code>
// Commune boundaries for the dashboard's map, one GeoJSON file per province in PCMT_BOUNDARIES_DIR
// (default PCMT_DATA_DIR/boundaries), which the gateway serves at /dashboard/boundaries/<code>.geojson.
// `import` checks the file against the province's communes in the program subgraph's database (a
// FeatureCollection of Polygon/MultiPolygon features, property `code` = mã xã) and keeps the good
// features; `generate` stores made-up shapes for a synthetic province (the gateway otherwise
// generates them on request from the communes the page lists).
// Exit codes, as the importer's: 0 stored, nothing refused; 1 nothing new (the same boundaries are
// already stored); 2 stored, but features refused or communes missing (listed); 3 nothing done.
import { loadGatewayConfig } from '@pcmt/gateway';
import { BoundaryStore, generateBoundaries, validateBoundaries, type BoundaryCommune } from '@pcmt/gateway/boundaries';
import { createSubgraphService } from '@pcmt/kit';
import { readFileSync } from 'node:fs';
import { commandLine } from './lib/cli.js';
import { loadSubgraph } from './lib/subgraphs.js';

const NOTHING_DONE = 3;
const refuse = (message: string): never => {
  console.error(message);
  process.exit(NOTHING_DONE);
};

/** The province's communes (code, name) as the program subgraph has them. */
async function communesOf(province: string): Promise<BoundaryCommune[]> {
  const service = await createSubgraphService(await loadSubgraph('program'), { logLevel: 'warn' });
  try {
    const rows: Array<{ code: string; name: string }> = await service.orm.em
      .getConnection()
      .execute('select code, name from commune where province_code = ? order by code', [province]);
    return rows.map((r) => ({ code: String(r.code), name: String(r.name) }));
  } catch (err) {
    return refuse(`Không đọc được danh mục xã (cơ sở dữ liệu của subgraph program): ${(err as Error).message}. Chạy npm run seed trước.`);
  } finally {
    await service.close();
  }
}

function checkProvince(province: string): void {
  if (!/^\d{2}$/.test(province)) refuse(`Mã tỉnh phải có 2 chữ số (ví dụ 04), không phải "${province}".`);
}

const store = new BoundaryStore(loadGatewayConfig(process.env).boundariesDir);
const program = commandLine('boundaries', "Commune boundaries (GeoJSON) for the dashboard's map, one file per province", NOTHING_DONE).addHelpText(
  'after',
  `
Exit codes: 0 stored; 1 nothing new (the same boundaries were already stored); 2 stored, but some
features refused or some communes missing (listed); 3 nothing done.

Examples:
  npm run boundaries -- import 04 dia-gioi-xa-cao-bang.geojson
  npm run boundaries -- generate 04`,
);

program
  .command('import')
  .description("check a province's GeoJSON against its communes and store what is good")
  .argument('<province>', 'mã tỉnh, 2 digits (04 = Cao Bằng)')
  .argument('<file>', 'a GeoJSON FeatureCollection: one Polygon or MultiPolygon per commune, property code = mã xã (5 digits)')
  .action(async (province: string, file: string) => {
    checkProvince(province);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
      refuse(`Không đọc được ${file} như một tệp GeoJSON: ${(err as Error).message}`);
    }
    const communes = await communesOf(province);
    const result = validateBoundaries(province, doc, communes);
    for (const line of result.problems) console.log(line);
    if (!result.boundaries) return refuse('Không lưu gì.');
    const changed = store.write(result.boundaries);
    const kept = result.boundaries.features.length;
    console.log(`${kept}/${communes.length} xã có ranh giới; ${result.refused} đối tượng bị từ chối. ${changed ? `Đã lưu: ${store.path(province)}` : 'Không có gì mới: ranh giới này đã được lưu trước đó.'}`);
    process.exitCode = result.refused || result.missing.length ? 2 : changed ? 0 : 1;
  });

program
  .command('generate')
  .description('store generated (made-up) shapes for a synthetic province, from its communes')
  .argument('<province>', 'mã tỉnh, 2 digits')
  .action(async (province: string) => {
    checkProvince(province);
    const communes = await communesOf(province);
    if (!communes.length) refuse(`Tỉnh ${province} chưa có xã nào trong danh mục: không tạo được bản đồ.`);
    const changed = store.write(generateBoundaries(province, communes));
    console.log(`${communes.length} xã, hình dạng minh họa (không phải địa giới thật). ${changed ? `Đã lưu: ${store.path(province)}` : 'Không có gì mới.'}`);
    process.exitCode = changed ? 0 : 1;
  });

await program.parseAsync();
