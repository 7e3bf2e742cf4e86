import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { verifyChain, type PostgresAuditLog, type SqliteAuditLog } from '@pcmt/gateway';
import { execFileSync } from 'node:child_process';
import { startTestFederation, type TestFederation } from '../harness.js';
import { metricsOf, TEST_METRICS_TOKEN } from '../resilience/proxy.js';

let fed: TestFederation;
let patients: string[];
const PURPOSE = { 'x-pcmt-purpose': encodeURIComponent('theo dõi điều trị') };

beforeAll(async () => {
  fed = await startTestFederation({ seed: 41, scale: 0.05, env: { BULK_ACCESS_THRESHOLD: '6', METRICS_TOKEN: TEST_METRICS_TOKEN } });
  patients = (await fed.sql<any>('health', 'select citizen_id from methadone_enrollment order by citizen_id')).map((r) => r.citizen_id);
});

afterAll(async () => {
  await fed?.close();
});

const READ = `query Read($p: ID!) { person(citizenId: $p) { fullName methadoneEnrollments { status currentDoseMg } } }`;

async function healthToken() {
  return fed.token({ sub: 'nurse-1', agency: 'health', roles: ['health-officer'], scopes: ['operations:adhoc'] });
}

/** Runs SQL on the audit database, whichever kind the test gateway uses. */
async function auditSql(sql: string): Promise<void> {
  const log = fed.gateway.audit as SqliteAuditLog | PostgresAuditLog;
  if ('exec' in (log.raw as object)) (log.raw as any).exec(sql);
  else await (log.raw as any).query(sql);
}

describe('audit of sensitive reads', () => {
  test('a sensitive read without a declared purpose is refused before any subgraph work', async () => {
    fed.resetStatements();
    const r = await fed.query(READ, { p: patients[0] }, { token: await healthToken() });
    expect(r.errors?.[0].extensions.code).toBe('PURPOSE_REQUIRED');
    expect(r.data ?? null).toBeNull();
    expect(fed.statements()).toBe(0);
  });

  test('N sensitive reads → N entries: who, purpose, persons, fields — never the values', async () => {
    const before = (await fed.gateway.audit.all()).length;
    const token = await healthToken();
    const n = 5;
    for (const p of patients.slice(0, n)) {
      const r = await fed.query(READ, { p }, { token, headers: PURPOSE });
      expect(r.errors).toBeUndefined();
      expect(r.data.person.methadoneEnrollments.length).toBeGreaterThan(0);
    }
    // A read of no sensitive field writes nothing.
    await fed.query(`{ provinces { name } }`, {}, { token });
    const entries = (await fed.gateway.audit.all()).slice(before);
    console.log(`audit completeness: ${n} sensitive reads → ${entries.length} entries`);
    expect(entries).toHaveLength(n);
    entries.forEach((e, i) => {
      expect(e).toMatchObject({ subject: 'nurse-1', agency: 'health', purpose: 'theo dõi điều trị', persons: [patients[i]], fields: ['Person.fullName', 'Person.methadoneEnrollments'] });
      expect(JSON.stringify(e)).not.toMatch(/currentDoseMg|ACTIVE|DROPPED/);
    });
    expect(verifyChain(await fed.gateway.audit.all()).ok).toBe(true);
  });

  test('reading more distinct persons than allowed in an hour raises an alert (log + metric)', async () => {
    // A subject of its own: with Redis the count and the once-an-hour marker outlive this run.
    const token = await fed.token({ sub: `bulk-reader-${randomUUID()}`, agency: 'health', roles: ['health-officer'], scopes: ['operations:adhoc'] });
    for (const p of patients.slice(0, 8)) await fed.query(READ, { p }, { token, headers: PURPOSE });
    const metrics = await metricsOf(fed.gateway.url);
    const alerts = Number(/pcmt_gateway_bulk_access_alerts_total\{agency="health"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    console.log(`bulk-access alerts raised: ${alerts}`);
    expect(alerts).toBe(1);
  });

  test('tampering with an entry is detected, by the chain and by the verify command', async () => {
    const all = await fed.gateway.audit.all();
    expect(verifyChain(all).ok).toBe(true);
    const target = all[1].seq;
    await auditSql(`update audit_entry set purpose = 'tò mò' where seq = ${target}`);
    expect(verifyChain(await fed.gateway.audit.all())).toMatchObject({ ok: false, brokenAt: target });
    const env = { ...process.env, PCMT_DATA_DIR: fed.auditDir, AUDIT_DATABASE_URL: (fed.gateway.audit as any).raw?.options?.connectionString ?? '' };
    if (!env.AUDIT_DATABASE_URL) delete (env as any).AUDIT_DATABASE_URL;
    let exit = 0;
    let output = '';
    try {
      output = execFileSync('node_modules/.bin/node', ['--import', '@swc-node/register/esm-register', 'scripts/audit-verify.ts'], { env, encoding: 'utf8', stdio: 'pipe' });
    } catch (err: any) {
      exit = err.status;
      output = String(err.stderr);
    }
    expect(exit).toBe(1);
    expect(output).toContain(`breaks at entry ${target}`);
    await auditSql(`update audit_entry set purpose = 'theo dõi điều trị' where seq = ${target}`);
    expect(verifyChain(await fed.gateway.audit.all()).ok).toBe(true);
  });

  test('fail closed: when the audit cannot be written, the sensitive read fails and other reads still work', async () => {
    const token = await healthToken();
    await auditSql('alter table audit_entry rename to audit_entry_away');
    try {
      const r = await fed.query(READ, { p: patients[0] }, { token, headers: PURPOSE });
      expect(r.errors?.[0].extensions.code).toBe('AUDIT_UNAVAILABLE');
      expect(JSON.stringify(r.data ?? null)).not.toContain('currentDoseMg');
      const plain = await fed.query(`{ provinces { name } }`, {}, { token });
      expect(plain.errors).toBeUndefined();
    } finally {
      await auditSql('alter table audit_entry_away rename to audit_entry');
    }
    const control = await fed.query(READ, { p: patients[0] }, { token, headers: PURPOSE });
    expect(control.errors).toBeUndefined();
  });
});
