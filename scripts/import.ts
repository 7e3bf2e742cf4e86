// npm run import -- <subgraph> <file.csv|file.xlsx> [--kind <importer>] [--errors <path>]
// Imports an agency's spreadsheet into its own subgraph. Bad rows go to <file>.errors.csv with
// row number, column and reason; good rows are imported; re-running the same file imports nothing twice.
import { createSubgraphService } from '@pcmt/kit';
import { parseArgs } from 'node:util';
import { importRows, pickImporter, readRows, writeErrorFile } from './lib/import.js';
import { progressReporter } from './lib/progress.js';
import { loadSubgraph } from './lib/subgraphs.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { kind: { type: 'string' }, errors: { type: 'string' } } });
const [name, file] = positionals;
if (!name || !file) {
  console.error('usage: npm run import -- <subgraph> <file.csv|file.xlsx> [--kind <importer>] [--errors <path>]');
  process.exit(2);
}
const def = await loadSubgraph(name);
const importer = pickImporter(def.importers, values.kind);
const rows = await readRows(file);
const service = await createSubgraphService(def, { logLevel: 'warn' });
try {
  await service.migrate();
  const report = await importRows(service, importer, rows, progressReporter(`import ${name}/${importer.name}`));
  if (report.unknownHeaders.length) console.warn(`Ignored columns: ${report.unknownHeaders.join(', ')}`);
  console.log(`${report.rows} rows: ${report.imported} imported, ${report.alreadyImported} already imported before, ${report.failed} refused`);
  if (report.errors.length) {
    const errorFile = values.errors ?? `${file}.errors.csv`;
    writeErrorFile(errorFile, report.errors);
    console.log(`Refused rows and reasons: ${errorFile}`);
  }
  process.exitCode = report.failed ? 1 : 0;
} finally {
  await service.close();
}
