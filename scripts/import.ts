// npm run import -- <subgraph> <file.csv|file.xlsx> (--token <jwt> | --operator <name>) [--kind <importer>] [--errors <path>] [--purpose <text>]
// Imports an agency's spreadsheet into its own subgraph as an identified caller: every row goes through
// the same checks as the caller's mutation (their area, their idempotency keys) and every row that
// names a person is first written to the gateway's audit log. Bad rows go to <file>.errors.csv with
// row number, column and reason; good rows are imported; the same caller re-running the file imports
// nothing twice.
import { createVerifier, loadGatewayConfig, PostgresAuditLog, ROLE_AGENCY, scopesOf, SqliteAuditLog, type AuditLog } from '@pcmt/gateway';
import { createSubgraphService, DEMO_PROVINCE_CODE } from '@pcmt/kit';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { importRows, ImportRefused, importScope, pickImporter, readRows, sha256Of, writeErrorFile, type ImportCaller } from './lib/import.js';
import { progressReporter } from './lib/progress.js';
import { loadSubgraph } from './lib/subgraphs.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: 'string' },
    errors: { type: 'string' },
    token: { type: 'string' },
    operator: { type: 'string' },
    communes: { type: 'string' },
    province: { type: 'string' },
    purpose: { type: 'string' },
  },
});
const [name, file] = positionals;
const refuse = (message: string): never => {
  console.error(message);
  process.exit(2);
};
if (!name || !file) refuse('usage: npm run import -- <subgraph> <file.csv|file.xlsx> (--token <jwt> | --operator <name>) [--kind <importer>] [--errors <path>] [--purpose <text>]');

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

const identity = await callerIdentity();
const def = await loadSubgraph(name);
const importer = pickImporter(def.importers, values.kind);
const rows = await readRows(file);
const audit: AuditLog = gateway.audit.kind === 'postgresql' ? new PostgresAuditLog(gateway.audit.url) : new SqliteAuditLog(gateway.audit.file);
const service = await createSubgraphService(def, { logLevel: 'warn' });
try {
  await service.migrate();
  const caller: ImportCaller = { identity, audit, purpose: values.purpose ?? `spreadsheet import: ${basename(file)}`, source: { name: basename(file), sha256: sha256Of(file) } };
  const report = await importRows(service, importer, rows, caller, progressReporter(`import ${name}/${importer.name}`));
  if (report.unknownHeaders.length) console.warn(`Ignored columns: ${report.unknownHeaders.join(', ')}`);
  console.log(`${report.rows} rows: ${report.imported} imported, ${report.alreadyImported} already imported before, ${report.failed} refused; ${report.audited} audited as ${identity.sub}`);
  if (report.errors.length) {
    const errorFile = values.errors ?? `${file}.errors.csv`;
    writeErrorFile(errorFile, report.errors);
    console.log(`Refused rows and reasons: ${errorFile}`);
  }
  process.exitCode = report.failed ? 1 : 0;
} catch (err) {
  if (!(err instanceof ImportRefused)) throw err;
  console.error(`refused: ${err.message}`);
  process.exitCode = 2;
} finally {
  await service.close();
  await audit.close();
}
