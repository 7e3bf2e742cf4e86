// npm run import -- <subgraph> <file.csv|file.xlsx> (--token <jwt> | --operator <name>) [--kind <importer>] [--errors <path>] [--purpose <text>]
// npm run import -- <subgraph> --template <file.xlsx> [--kind <importer>]
// Imports an agency's spreadsheet into its own subgraph as an identified caller: every row goes through
// the same checks as the caller's mutation (their area, their idempotency keys) and every row that
// names a person is first written to the gateway's audit log. The header row is found below any title
// rows; totals and signatures are left out with a note; bad rows go to <file>.errors.csv with row,
// the sheet's own column header and the reason in Vietnamese; the same caller re-running the file
// imports nothing twice.
// Exit codes: 0 new rows imported, none refused; 1 nothing new (every row was already imported);
// 2 some rows refused (see the error file; the others are imported); 3 nothing done (the command,
// the file or the caller was refused).
import { changesOf, createVerifier, loadGatewayConfig, markDataChanged, PostgresAuditLog, ROLE_AGENCY, scopesOf, SqliteAuditLog, type AuditLog, type DataChange } from '@pcmt/gateway';
import { checkPeriodFields, collectedReport, createSubgraphService, DEMO_PROVINCE_CODE, importCollector, refreshPlannerStatistics, writeImportRow, type FieldRow, type Identity, type RowOutcome } from '@pcmt/kit';
import { basename } from 'node:path';
import { commandLine } from './lib/cli.js';
import { ImportRefused, importScope, localTarget, pickImporter, readSheet, runImport, sha256Of, writeErrorFile, writeTemplate, type ImportCaller } from '@pcmt/gateway/import';
import { progressReporter } from './lib/progress.js';
import { loadSubgraph } from './lib/subgraphs.js';

const NOTHING_DONE = 3;
const program = commandLine('import', "Import an agency's spreadsheet (CSV or Excel) into its subgraph, as an identified caller", NOTHING_DONE)
  .argument('<subgraph>', 'the agency subgraph: police, health, education, customs, legal-aid, ...')
  .argument('[file]', 'the spreadsheet: .xlsx, or .csv in UTF-8 (comma or semicolon)')
  .option('--token <jwt>', "the officer's token (npm run tokens in development)")
  .option('--operator <name>', 'development only: import as a named operator of the agency')
  .option('--kind <importer>', 'which importer, when the subgraph has several')
  .option('--errors <path>', 'where the refused rows go (default: <file>.errors.csv)')
  .option('--purpose <text>', 'why the data is imported (written to the audit log)')
  .option('--communes <codes>', 'with --operator: the communes the operator works in, comma-separated')
  .option('--province <code>', 'with --operator: the province the operator works in')
  .option('--template <file.xlsx>', "write an empty workbook with the importer's columns, to fill and import")
  .addHelpText(
    'after',
    `
Exit codes: 0 new rows imported, none refused; 1 nothing new; 2 some rows refused (see the error
file); 3 nothing done (the command, the file or the caller was refused).

Examples:
  npm run import -- legal-aid --template mau-tro-giup-phap-ly.xlsx
  npm run import -- legal-aid so-tiep-nhan.xlsx --operator nguyen-van-a
  npm run import -- health lieu-methadone.csv --kind dose-records --token "$(npm run -s tokens -- --role health-officer)"`,
  );
program.parse();
const [name, file] = program.args as [string, string | undefined];
const values = program.opts<{ token?: string; operator?: string; kind?: string; errors?: string; purpose?: string; communes?: string; province?: string; template?: string }>();
const refuse = (message: string): never => {
  console.error(message);
  process.exit(NOTHING_DONE);
};

// The gateway's own settings: the same key verifies the token, the same log takes the entries.
const gateway = loadGatewayConfig(process.env);

/** Who imports: a token verified as the gateway verifies it, or (outside production) a named operator. */
async function callerIdentity(): Promise<ImportCaller['identity']> {
  if (values.token && values.operator) refuse('give --token or --operator, not both');
  if (values.token) {
    const verify = await createVerifier(gateway.auth);
    const c = await verify(`Bearer ${values.token}`).catch((err: Error) => refuse(`refused: ${err.message}`));
    return { sub: c.sub, agency: c.agency, roles: c.roles, scopes: c.scopes, communes: c.communes, province: c.province, project: c.project };
  }
  if (values.operator) {
    if (gateway.production) refuse('refused: --operator is for development; in production import with --token <the officer\'s token>');
    const communes = values.communes ? values.communes.split(',') : [];
    const role = Object.keys(ROLE_AGENCY).find((r) => ROLE_AGENCY[r] === name && r.endsWith('-officer'));
    return {
      sub: `operator:${values.operator}`,
      agency: name,
      roles: role ? [role] : [],
      scopes: scopesOf(role ? [role] : [], [importScope(name)]),
      communes,
      province: values.province ?? (communes.length ? null : DEMO_PROVINCE_CODE),
      project: null,
    };
  }
  return refuse('refused: an import writes as somebody: give --token <jwt> (or, outside production, --operator <name>)');
}

const def = await loadSubgraph(name).catch(() => refuse(`refused: no subgraph named ${name}`));
const chosen = (() => {
  try {
    return pickImporter(def.importers, values.kind);
  } catch (err) {
    return refuse(`refused: ${(err as Error).message}`);
  }
})();
if (values.template) {
  await writeTemplate(values.template, name, chosen);
  console.log(`Template for ${name}/${chosen.name}: ${values.template}`);
  process.exit(0);
}
if (!file) refuse('refused: give the spreadsheet to import (or --template <file.xlsx> for an empty one)');
const identity = await callerIdentity();
const importer = chosen;
const sheet = await readSheet(file!, importer).catch((err: Error) => refuse(`refused: ${file}: ${err.message}`));
const audit: AuditLog = gateway.audit.kind === 'postgresql' ? new PostgresAuditLog(gateway.audit.url) : new SqliteAuditLog(gateway.audit.file);
const service = await createSubgraphService(def, { logLevel: 'warn' });
// What the rows touch (kit touched.ts, as for a mutation), so that gateways drop only the cached answers that count them.
checkPeriodFields(name, service.schema);
const touched = importCollector(service.orm, name);
try {
  await service.migrate();
  const caller: ImportCaller = { identity, audit, purpose: values.purpose ?? `spreadsheet import: ${basename(file!)}`, source: { name: basename(file!), sha256: sha256Of(file!) } };
  const target = {
    ...localTarget(service, importer),
    write: async (rows: FieldRow[], rowIdentity: Identity) => {
      const out: RowOutcome[] = [];
      for (const r of rows) out.push(await writeImportRow(service.orm, service.log, importer, r, rowIdentity, touched));
      return out;
    },
  };
  const report = await runImport(target, sheet, caller, progressReporter(`import ${name}/${importer.name}`));
  // The rows are in: a statistics refresh that fails is a warning, not a failed import.
  if (report.imported) await refreshPlannerStatistics(service.orm, 'imported').catch((err: Error) => console.warn(`planner statistics not refreshed: ${err.message}`));
  if (report.headerRow > 1) console.log(`Headers found on row ${report.headerRow}; the rows above are titles.`);
  for (const s of report.skipped) console.log(`Row ${s.row} left out: ${s.reason}`);
  if (report.unknownHeaders.length) console.warn(`Ignored columns: ${report.unknownHeaders.join(', ')}`);
  console.log(`${report.rows} rows: ${report.imported} imported, ${report.alreadyImported} already imported before, ${report.failed} refused; ${report.audited} audited as ${identity.sub}`);
  if (report.errors.length) {
    const errorFile = values.errors ?? `${file}.errors.csv`;
    writeErrorFile(errorFile, report.errors);
    console.log(`Refused rows and reasons: ${errorFile}`);
  }
  process.exitCode = report.failed ? 2 : report.imported ? 0 : 1;
} catch (err) {
  if (!(err instanceof ImportRefused)) throw err;
  console.error(`refused: ${err.message}`);
  process.exitCode = NOTHING_DONE;
} finally {
  // Gateways stop serving cached answers that count the rows written (the import bypasses the gateway);
  // the subgraph as a whole if what they touched is unknown.
  const changes: DataChange[] | undefined = await collectedReport(touched, service.orm).then((r) => changesOf(name, r) ?? undefined, () => undefined);
  await markDataChanged(gateway.registry, [name], changes).catch((err: Error) => console.error(`warning: the gateways' response cache was not told of this import (${err.message}); cached answers expire within RESPONSE_CACHE_TTL_SECONDS`));
  await service.close();
  await audit.close();
}
