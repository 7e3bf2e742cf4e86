import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@pcmt/gateway';
import { ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { DEV_IDENTITY_SECRET } from '@pcmt/kit/identity';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestFederation, type TestFederation } from '../harness.js';

let fed: TestFederation;
let token: string;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 51, scale: 0.03 });
  token = await fed.token({ sub: 'analyst', agency: 'program', roles: ['analyst'], project: 'abuse' });
});

afterAll(async () => {
  await fed?.close();
});

async function post(body: unknown, headers: Record<string, string> = {}, url = fed.gateway.url): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON: judged by status */
  }
  return { status: res.status, text, json };
}

const INTERNALS = [/at .*\.(ts|js):\d+/, /node_modules/, /\bselect\b[\s\S]*\bfrom\b/i, /127\.0\.0\.1:\d{2,5}/, /ECONNREFUSED/, /serviceName/, /stacktrace/i, /subgraph "?(police|health|education|customs|legal-aid|program)/i];
const leaks = (text: string) => INTERNALS.filter((re) => re.test(text)).map(String);

describe('limits refuse abusive documents before any subgraph work', () => {
  const deep = `{ persons(first: 1) { items { ${'suspectIn { drugCase { suspects { person { '.repeat(5)}citizenId${' } } } }'.repeat(5)} } } }`;
  const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: provinces { code }`).join(' ')} }`;
  const tokens = `{ provinces { ${Array.from({ length: 5000 }, () => 'code').join(' ')} } }`;
  const directives = `{ provinces ${Array.from({ length: 50 }, () => '@skip(if: false)').join(' ')} { code } }`;

  test('control: an ordinary query is answered', async () => {
    const r = await post({ query: '{ provinces { code name } }' });
    expect(r.json.data.provinces.length).toBe(1);
  });

  test.each([
    ['depth', deep],
    ['aliases', aliases],
    ['tokens', tokens],
    ['directives', directives],
  ])('%s limit', async (_name, query) => {
    fed.resetStatements();
    const r = await post({ query });
    expect(r.json?.data ?? null).toBeNull();
    expect(r.json.errors.length).toBeGreaterThan(0);
    expect(fed.statements()).toBe(0);
  });

  test('request size, batching and CSRF', async () => {
    const big = await post({ query: `{ provinces { code } } # ${'x'.repeat(300_000)}` });
    expect(big.status).toBe(413);
    const batch = await post([{ query: '{ provinces { code } }' }, { query: '{ provinces { name } }' }]);
    expect(batch.status).toBe(400);
    // A simple cross-site form post (text/plain) is refused by CSRF prevention.
    const csrf = await post('{"query":"{ provinces { code } }"}', { 'content-type': 'text/plain' });
    expect(csrf.status).toBe(400);
    expect(csrf.json?.data ?? null).toBeNull();
  });
});

describe('production switches', () => {
  let prod: RunningGateway;
  let prodToken: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcmt-prod-'));
    const keys = await ensureDevKeys(join(dir, 'keys'));
    prodToken = await issueToken(keys.privatePem, { sub: 'a', agency: 'program', roles: ['analyst'], project: 'x', province: '04' }, { issuer: 'https://sso.example.gov.vn' });
    const config = loadGatewayConfig({ PCMT_DATA_DIR: dir });
    prod = await startGateway({
      ...config,
      production: true,
      port: 0,
      logLevel: 'silent',
      supergraphPath: 'schema/supergraph.graphql',
      identitySecret: DEV_IDENTITY_SECRET,
      auth: { ...config.auth, issuer: 'https://sso.example.gov.vn', publicKeyPem: keys.publicPem },
      subgraphUrls: Object.fromEntries([...fed.servers].map(([n, s]) => [n, s.url])),
    });
  });

  afterAll(async () => {
    await prod?.close();
  });

  test('no introspection and no field suggestions in production (control: development has both)', async () => {
    const introspect = await post({ query: '{ __schema { types { name } } }' }, { authorization: `Bearer ${prodToken}` }, prod.url);
    expect(introspect.json.errors?.[0].message).toMatch(/introspection/i);
    const typo = await post({ query: '{ provinse { code } }' }, { authorization: `Bearer ${prodToken}` }, prod.url);
    expect(typo.text).not.toMatch(/Did you mean/);
    const devIntrospect = await post({ query: '{ __schema { queryType { name } } }' });
    expect(devIntrospect.json.data.__schema.queryType.name).toBe('Query');
  });
});

describe('fuzzing the gateway', () => {
  test('1,000+ malformed or hostile documents: no crash, no leaked internals', async () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const valid = [
      '{ provinces { code name communeCount } }',
      '{ communes(first: 5) { items { code name period(period: "2025") { indicators { indicator { id } value } } } } }',
      '{ persons(first: 3) { items { citizenId fullName managementFiles { category } } } }',
      '{ substances { code nameVi } }',
    ];
    const hostile = [
      '{ persons(first: 999999) { items { citizenId } } }',
      '{ person(citizenId: "\' OR 1=1 --") { fullName } }',
      '{ commune(code: "01000; drop table commune") { name } }',
      '{ __typename @include(if: true) @skip(if: false) }',
      'query { persons(first: -1, offset: -5) { totalCount } }',
      '{ communes(first: 5) { items { period(period: "9999-Q9") { managedAddicts } } } }',
      'mutation { __typename }',
      'subscription { provinces { code } }',
      '{ provinces { ...F } } fragment F on Province { ...F }',
      '\u0000\u0001{',
    ];
    const mutate = (q: string) => {
      const ops = [
        () => q.slice(0, Math.floor(rand() * q.length)),
        () => q.replace(/[{}]/, ''),
        () => q.split('').reverse().join(''),
        () => q.replace(/\w+/, 'x'.repeat(Math.floor(rand() * 50))),
        () => q + '}'.repeat(Math.floor(rand() * 5)),
        () => q.replace(/ /g, () => (rand() < 0.1 ? '"' : ' ')),
        () => Array.from({ length: 20 }, () => String.fromCharCode(Math.floor(rand() * 0x2ff))).join(''),
      ];
      return pick(ops)();
    };
    const bodies: unknown[] = [];
    for (let i = 0; i < 1000; i++) {
      const base = pick([...valid, ...hostile]);
      const q = rand() < 0.2 ? base : mutate(base);
      const shape = rand();
      bodies.push(shape < 0.8 ? { query: q } : shape < 0.9 ? { query: q, variables: pick(['x', 1, [1], { a: { b: 'c' } }]) } : shape < 0.95 ? { query: 5 } : JSON.stringify({ query: q }).slice(0, -3));
    }
    let crashes = 0;
    let leaked = 0;
    for (const body of bodies) {
      let r;
      try {
        r = await post(body);
      } catch {
        crashes++;
        continue;
      }
      if (r.status >= 500) crashes++;
      if (leaks(r.text).length) {
        leaked++;
        if (leaked < 3) console.log('leak:', r.text.slice(0, 400));
      }
    }
    const health = await fetch(fed.gateway.url.replace('/graphql', '/health'));
    console.log(`fuzz: ${bodies.length} documents, crashes ${crashes}, responses leaking internals ${leaked}`);
    expect(health.status).toBe(200);
    expect(crashes).toBe(0);
    expect(leaked).toBe(0);
  });
});

describe('masked errors', () => {
  test('a subgraph that is down: partial data, a clear error with a request id, nothing internal', async () => {
    const customs = fed.servers.get('customs')!;
    const all = await fed.token();
    await customs.close();
    const r = await post({ query: '{ provinces { code name } communes(first: 2) { items { name seizureCount } } }' }, { authorization: `Bearer ${all}` });
    expect(r.json.data.provinces.length).toBe(1);
    expect(r.json.errors.length).toBeGreaterThan(0);
    for (const e of r.json.errors) expect(e.extensions.requestId).toEqual(expect.any(String));
    expect(leaks(r.text)).toEqual([]);
  });
});

describe('answers a client can act on', () => {
  test('an APQ hash that is not the sha256 of its query is a 400, not an internal error', async () => {
    const r = await post({ query: '{ provinces { code } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', requestId: expect.any(String) });
    // Control: the right hash runs.
    const { createHash } = await import('node:crypto');
    const q = '{ provinces { code } }';
    expect((await post({ query: q, extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(q).digest('hex') } } })).json.data.provinces.length).toBeGreaterThan(0);
  });

  test('a required value missing from a subgraph is an INCOMPLETE_DATA error at its path, not a valueCompletion extension', async () => {
    // A patient the police register does not know: health accepts the CCCD, police cannot name them.
    const lab = await fed.token();
    const [clinic] = await fed.sql<{ id: number; commune_code: string }>('health', "select id, commune_code from facility where kind = 'METHADONE_CLINIC' order by id limit 1");
    const enrol = await fed.query(
      'mutation($input: EnrolMethadonePatientInput!) { enrolMethadonePatient(input: $input) { id } }',
      { input: { citizenId: '004099000777', clinicId: String(clinic.id), communeCode: clinic.commune_code, startedOn: '2026-11-02', startingDoseMg: 30 } },
      { token: lab, headers: { 'x-pcmt-purpose': 'abuse-test' } },
    );
    expect(enrol.errors).toBeUndefined();
    const res = await fed.query(
      'query($id: ID!) { methadoneEnrollment(id: $id) { id person { citizenId fullName } } }',
      { id: enrol.data.enrolMethadonePatient.id },
      { token: lab, headers: { 'x-pcmt-purpose': 'abuse-test' } },
    );
    expect((res as any).extensions?.valueCompletion).toBeUndefined();
    expect(res.errors).toEqual([expect.objectContaining({ path: expect.arrayContaining(['methadoneEnrollment']), extensions: expect.objectContaining({ code: 'INCOMPLETE_DATA' }) })]);
  });
});
