// npm run audit:verify — recomputes the audit log's hash chain; exits 1 and names the first bad row
// if any entry was edited, inserted or removed. Reads AUDIT_DATABASE_URL or PCMT_DATA_DIR like the gateway.
import { helpIfAsked } from './lib/cli.js';
// Light modules only (not @pcmt/gateway's index, which loads the whole gateway).
import { PostgresAuditLog, SqliteAuditLog, verifyChain } from '@pcmt/gateway/audit';
import { loadGatewayConfig } from '@pcmt/gateway/config';

helpIfAsked(`
npm run audit:verify — recompute the audit log's hash chain.
Exit code 0: intact; 1: an entry was edited, inserted or removed (the first bad entry is named).
Reads the gateway's settings: AUDIT_DATABASE_URL (PostgreSQL) or PCMT_DATA_DIR (data/audit.sqlite).`);
const config = loadGatewayConfig();
const log = config.audit.kind === 'postgresql' ? new PostgresAuditLog(config.audit.url) : new SqliteAuditLog(config.audit.file);
try {
  const report = verifyChain(await log.all());
  if (report.ok) {
    console.log(`audit log intact: ${report.rows} entries, hash chain verified`);
  } else {
    console.error(`audit log TAMPERED: the chain breaks at entry ${report.brokenAt} (of ${report.rows})`);
    process.exitCode = 1;
  }
} finally {
  await log.close();
}
