import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { testDatabase, usingPostgres } from '@pcmt/kit/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { startTestFederation, type TestFederation } from '../harness.js';
import { FaultProxy, gql, sleep, until, within } from './proxy.js';

// The audit database fails: sensitive reads fail closed (AUDIT_UNAVAILABLE, 503, Retry-After),
// everything else is answered, nothing crashes, and auditing resumes when the database is back.
// PostgreSQL (PCMT_TEST_POSTGRES_URL): a restart, through a proxy this test owns in front of the
// audit (and registry) database. SQLite: the file locked by another writer.

let fed: TestFederation;
let token: string;
let patient: string;
const drops: Array<() => Promise<void>> = [];
const proxies: FaultProxy[] = [];
/** Breaks and mends the audit database, whichever kind the run uses. */
let fault: { name: string; begin(): Promise<void>; end(): Promise<void> };
let auditUrl = '';

beforeAll(async () => {
  if (usingPostgres()) {
    const db = await testDatabase('audit', `res${Date.now().toString(36)}`);
    drops.push(db.drop);
    auditUrl = (db.target as { url: string }).url;
    const proxy = await FaultProxy.forUrl(auditUrl);
    proxies.push(proxy);
    fed = await startTestFederation({ seed: 64, scale: 0.03, env: { AUDIT_DATABASE_URL: proxy.via(auditUrl) } });
    fault = {
      name: 'PostgreSQL restarted (connections dropped, port closed)',
      begin: () => proxy.refuse(),
      end: () => proxy.restore(),
    };
  } else {
    fed = await startTestFederation({ seed: 64, scale: 0.03 });
    let locker: DatabaseSync | null = null;
    fault = {
      name: 'SQLite file locked by another writer',
      async begin() {
        locker = new DatabaseSync(join(fed.auditDir, 'audit.sqlite'));
        locker.exec('begin exclusive');
      },
      async end() {
        locker?.exec('rollback');
        locker?.close();
      },
    };
  }
  token = await fed.token({ sub: 'nurse-resilience', agency: 'health', roles: ['health-officer'], scopes: ['operations:adhoc'] });
  patient = (await fed.sql<{ citizen_id: string }>('health', 'select citizen_id from methadone_enrollment order by citizen_id limit 1'))[0].citizen_id;
});

afterAll(async () => {
  await fed?.close();
  for (const p of proxies) await p.close();
  for (const drop of drops) await drop();
});

const PURPOSE = { 'x-pcmt-purpose': encodeURIComponent('theo dõi điều trị') };
const SENSITIVE = `query Read($p: ID!) { person(citizenId: $p) { fullName methadoneEnrollments { status } } }`;
const ORDINARY = `{ provinces { name } communes(first: 2) { items { name activeMethadonePatientCount } } }`;
const ready = async (url = fed.gateway.url) => {
  const res = await fetch(url.replace('/graphql', '/ready'));
  return { status: res.status, body: (await res.json()) as any };
};

describe('the audit database fails', () => {
  test('sensitive reads fail closed with 503 + Retry-After, ordinary reads go on, auditing resumes when it is back', async () => {
    const control = await gql(fed.gateway.url, token, SENSITIVE, { p: patient }, PURPOSE);
    expect(control.body.errors).toBeUndefined();
    expect((await ready()).status).toBe(200);
    const entriesBefore = (await fed.gateway.audit.all()).length;

    await fault.begin();
    let ordinary = 0;
    let ordinaryOk = 0;
    const refusals: Array<{ status: number; retryAfter: string | null; code: string; data: unknown }> = [];
    let whileDown: { status: number; body: any };
    try {
      for (let i = 0; i < 5; i++) {
        const r = await gql(fed.gateway.url, token, ORDINARY);
        ordinary++;
        if (r.status === 200 && !r.body.errors) ordinaryOk++;
        const s = await gql(fed.gateway.url, token, SENSITIVE, { p: patient }, PURPOSE);
        refusals.push({ status: s.status, retryAfter: s.headers.get('retry-after'), code: s.body.errors?.[0].extensions.code, data: s.body.data ?? null });
      }
      whileDown = await ready();
    } finally {
      await fault.end();
    }
    const back = Date.now();
    await until(async () => (await gql(fed.gateway.url, token, SENSITIVE, { p: patient }, PURPOSE)).body.errors === undefined, 10_000, 100);
    const resumedMs = Date.now() - back;
    console.log(
      `audit database down (${fault.name}): ${ordinaryOk} of ${ordinary} ordinary reads answered; ${refusals.filter((r) => r.status === 503).length} of ${refusals.length} sensitive reads refused with 503 AUDIT_UNAVAILABLE (Retry-After ${refusals[0].retryAfter}); /ready ${whileDown.status} (audit ${whileDown.body.audit}); audit resumed ${resumedMs} ms after the database was back`,
    );
    expect(ordinaryOk).toBe(ordinary);
    for (const r of refusals) expect(r).toEqual({ status: 503, retryAfter: '5', code: 'AUDIT_UNAVAILABLE', data: null });
    expect(whileDown.status).toBe(503);
    expect(whileDown.body).toMatchObject({ status: 'not ready', audit: 'down' });
    // Nothing was answered without an entry: one entry for the control read, one for the read that resumed.
    expect((await fed.gateway.audit.all()).length).toBe(entriesBefore + 1);
    expect((await ready()).status).toBe(200);
  });

  (usingPostgres() ? test : test.skip)('PostgreSQL: a gateway started while the audit database is down starts, and creates the table once it is back', async () => {
    const db = await testDatabase('audit', `late${Date.now().toString(36)}`);
    drops.push(db.drop);
    const url = (db.target as { url: string }).url;
    const proxy = await FaultProxy.forUrl(url);
    proxies.push(proxy);
    await proxy.refuse();
    const replica = await fed.startReplica({ audit: { kind: 'postgresql', url: proxy.via(url) } });
    const refused = await gql(replica.url, token, SENSITIVE, { p: patient }, PURPOSE);
    expect(refused.status).toBe(503);
    expect((await ready(replica.url)).body.audit).toBe('down');
    await proxy.restore();
    await until(async () => (await gql(replica.url, token, SENSITIVE, { p: patient }, PURPOSE)).body.errors === undefined, 10_000, 100);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const rows = Number((await client.query('select count(*) as n from audit_entry')).rows[0].n);
    await client.end();
    console.log(`gateway started with the audit database down: sensitive read 503, then ${rows} entry written once it was back`);
    expect(rows).toBe(1);
  });

  (usingPostgres() ? test : test.skip)('off: a pg pool without an error listener dies when the database restarts', async () => {
    const proxy = await FaultProxy.forUrl(auditUrl);
    proxies.push(proxy);
    const script = `import pg from 'pg'; const pool = new pg.Pool({ connectionString: '${proxy.via(auditUrl)}' }); await pool.query('select 1'); console.log('connected'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await within(new Promise<void>((resolve) => child.stdout.on('data', (d) => String(d).includes('connected') && resolve())), 10_000, undefined);
    proxy.cut();
    const code = await within(exited, 5000, 'alive' as const);
    if (code === 'alive') child.kill();
    await sleep(0);
    console.log(`off: pool without an error listener, database restarted → process exit code ${code} (${/Unhandled 'error' event/.test(stderr) ? "Unhandled 'error' event" : stderr.split('\n')[0]}); on: the gateway above kept serving`);
    expect(code).not.toBe('alive');
    expect(stderr).toMatch(/Unhandled 'error' event/);
  });
});
