import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { DEMO_PROVINCE_CODE } from '@pcmt/kit';
import { signInConfigOf } from '../gateway/src/sign-in.js';
import { browserTests, launchBrowser } from './browser.js';
import { startTestFederation, type TestFederation } from './harness.js';

// People sign in at the province's identity provider (OpenID Connect, code + PKCE); the session is an
// httpOnly cookie, never a token in the URL or in localStorage. A real provider (oidc-provider) runs
// in-process with two accounts: a steering-committee member and someone the provider gives no role.

const browserTest = browserTests('sign-in');

const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'tran-thi-ha': { name: 'Trần Thị Hà', pcmt_roles: ['steering-committee'], pcmt_province: DEMO_PROVINCE_CODE },
  'khach': { name: 'Khách', pcmt_roles: [] },
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

let fed: TestFederation;
let idp: Server;
let browser: Browser | undefined;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  fed = await startTestFederation({
    env: {
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: 'pcmt-dashboard',
      OIDC_CLIENT_SECRET: 'test-client-secret-of-the-dashboard-0123456789',
      SESSION_SECRET: 'test-session-secret-0123456789abcdef0123456789',
    },
  });
  base = fed.gateway.url.replace(/\/graphql$/, '');
  // The gateway asks the provider only when somebody signs in, so the provider can start once the gateway's address is known.
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'pcmt-dashboard',
        client_secret: 'test-client-secret-of-the-dashboard-0123456789',
        redirect_uris: [`${base}/auth/callback`],
        post_logout_redirect_uris: [`${base}/dashboard`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['name'], pcmt: ['pcmt_roles', 'pcmt_agency', 'pcmt_communes', 'pcmt_province'] },
    findAccount: async (_ctx: unknown, id: string) => (ACCOUNTS[id] ? { accountId: id, claims: async () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined),
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
  } as any);
  idp = provider.listen(port);
  browser = await launchBrowser();
  mkdirSync('test-results', { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await fed?.close();
  await new Promise((r) => idp?.close(r));
});

/** Through the provider's own login and consent pages, as a person would. */
async function signIn(page: import('playwright-core').Page, login: string) {
  await page.goto(`${base}/auth/login?return=/dashboard`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any');
  await page.click('button[type=submit]');
  // The consent page, the first time this account meets the client.
  if (await page.locator('button[type=submit]').count()) await page.click('button[type=submit]');
  await page.waitForLoadState('load');
}

describe('sign-in with the province identity provider (OIDC)', () => {
  browserTest('a committee member signs in, the graph answers on the session alone, and signs out', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await signIn(page, 'tran-thi-ha');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    // The dashboard shows the province's figures on the session, and who is signed in.
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });
    expect(await page.textContent('#signedInName')).toBe('Trần Thị Hà');
    await page.screenshot({ path: 'test-results/dashboard-signed-in.png' });
    // No token anywhere the page or a URL could leak it.
    expect(page.url()).not.toMatch(/token=/);
    const stored = await page.evaluate(() => JSON.stringify({ ...(globalThis as any).localStorage }) + JSON.stringify({ ...(globalThis as any).sessionStorage }));
    expect(stored).not.toMatch(/eyJ/);
    const cookie = (await context.cookies()).find((c) => c.name === 'pcmt_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate(() => (globalThis as any).document.cookie)).not.toContain('pcmt_session');

    const me = await page.evaluate(async () => (await fetch('/auth/me')).json());
    expect(me).toMatchObject({ signedIn: true, via: 'oidc', sub: 'tran-thi-ha', name: 'Trần Thị Hà', roles: ['steering-committee'], province: DEMO_PROVINCE_CODE });
    // The session is the caller: the dashboard's registered operation answers without any Authorization header.
    const ops = await page.evaluate(async () => (await fetch('/dashboard/operations.json')).json());
    const [name, id] = Object.entries(ops as Record<string, string>)[0] ?? [];
    expect(id).toBeTruthy();
    const answer = await page.evaluate(
      async ([documentId, operationName]) =>
        (await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentId, operationName, variables: {} }) })).status,
      [id, name],
    );
    expect(answer).not.toBe(401);

    await page.goto(`${base}/auth/logout`);
    // The provider asks to confirm signing out of it too.
    if (await page.locator('button[autofocus], button[type=submit]').count()) await page.locator('button[autofocus], button[type=submit]').first().click();
    await page.waitForLoadState('load');
    expect((await context.cookies()).find((c) => c.name === 'pcmt_session')).toBeUndefined();
    const after = await page.evaluate(async () => (await fetch(`${(globalThis as any).location.origin}/auth/me`)).json());
    expect(after).toMatchObject({ signedIn: false });
    await context.close();
  }, 120_000);

  browserTest('someone the provider gives no role of this graph is refused, with no session', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await signIn(page, 'khach');
    expect(await page.textContent('body')).toMatch(/Sign-in refused: the identity provider gave no role this graph knows/);
    expect((await context.cookies()).find((c) => c.name === 'pcmt_session')).toBeUndefined();
    await context.close();
  }, 120_000);

  test('a callback nobody started here is refused; a return address off this site is not followed', async () => {
    const stray = await fetch(`${base}/auth/callback?code=x&state=y`, { redirect: 'manual' });
    expect(stray.status).toBe(400);
    const login = await fetch(`${base}/auth/login?return=//evil.example/x`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const flow = login.headers.get('set-cookie') ?? '';
    expect(flow).toMatch(/pcmt_signin=.*HttpOnly/i);
    expect(login.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/);
    expect(login.headers.get('location')).toMatch(/code_challenge_method=S256/);
  });
});

describe('development login', () => {
  test('outside production it lists the development users and gives a session like the role\'s token; a cross-site request with the cookie is refused', async () => {
    const list = await (await fetch(`${base}/auth/dev`)).text();
    expect(list).toContain('steering-committee');
    expect(list).not.toContain('publisher');
    const chosen = await fetch(`${base}/auth/dev`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'role=analyst&return=/explorer' });
    expect([chosen.status, chosen.headers.get('location')]).toEqual([302, '/explorer']);
    const cookie = (chosen.headers.get('set-cookie') ?? '').split(';')[0];
    const me = await (await fetch(`${base}/auth/me`, { headers: { cookie } })).json();
    expect(me).toMatchObject({ signedIn: true, via: 'development', sub: 'dev-analyst', roles: ['analyst'] });
    const query = (headers: Record<string, string>) =>
      fetch(fed.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect((await query({})).status).toBe(200);
    // Another site's page cannot borrow the official's session.
    expect((await query({ origin: 'http://evil.example' })).status).toBe(401);
    // A tampered cookie is no session.
    expect(await (await fetch(`${base}/auth/me`, { headers: { cookie: cookie.slice(0, -4) + 'AAAA' } })).json()).toEqual({ signedIn: false, login: '/auth/login' });
    expect((await fetch(fed.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookie.slice(0, -4) + 'AAAA' }, body: '{"query":"{ __typename }"}' })).status).toBe(401);
  });

  test('production refuses the development login, and OIDC without a session secret or public address', () => {
    const prod = (env: NodeJS.ProcessEnv) => signInConfigOf(env, true);
    expect(prod({}).config.devLogin).toBe(false);
    expect(prod({ DEV_LOGIN: 'true' }).issues).toEqual([expect.stringMatching(/^DEV_LOGIN: the development login is refused in production/)]);
    expect(prod({ OIDC_ISSUER_URL: 'https://id.example', OIDC_CLIENT_ID: 'pcmt' }).issues).toEqual([
      expect.stringMatching(/^PUBLIC_URL: required in production/),
      expect.stringMatching(/^SESSION_SECRET: required in production/),
    ]);
    expect(signInConfigOf({}, false).config.devLogin).toBe(true);
    expect(signInConfigOf({}, false).config.devProvince).toBe(DEMO_PROVINCE_CODE);
  });
});

/** Waits until `ok()` holds (what the page does next is asynchronous), failing after 30 s. */
async function until(ok: () => boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out waiting for the page');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('explorer', () => {
  browserTest('first visit without a token: the schema loads as soon as a token is given, and Export gives the answer as Excel with Vietnamese headers', async () => {
    const context = await browser!.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const introspections: number[] = [];
    page.on('response', async (r) => {
      if (!r.url().endsWith('/graphql') || r.request().method() !== 'POST') return;
      if (!(r.request().postData() ?? '').includes('IntrospectionQuery')) return;
      introspections.push(r.status());
    });
    await page.goto(`${base}/explorer`);
    await page.waitForSelector('.graphiql-container');
    await until(() => introspections.length > 0);
    expect(introspections[0]).toBe(401);
    // It offers to sign in.
    expect(await page.textContent('#who')).toMatch(/Đăng nhập/);

    await page.fill('#token', await fed.roleToken('analyst'));
    await page.press('#token', 'Enter');
    await page.locator('#token').blur();
    await until(() => introspections.at(-1) === 200);
    // The documentation explorer now has the schema.
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer >> text=Query');

    // Run the open tab (the province's indicators) and export what it answered.
    await page.click('.graphiql-execute-button');
    await page.waitForSelector('.result-window >> text=indicators', { timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
    const file = `test-results/explorer-export.xlsx`;
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0];
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headers.length).toBeGreaterThan(3);
    expect(headers.some((h) => /Value|Giá trị|value/i.test(h))).toBe(true);
    expect(sheet.rowCount).toBeGreaterThan(1);
    await page.screenshot({ path: 'test-results/explorer-signed-in.png' });
    expect(problems).toEqual([]);
    // The explorer's token is its own: the dashboard does not pick it up.
    expect(await page.evaluate(() => Object.keys((globalThis as any).localStorage))).toEqual(expect.arrayContaining(['pcmt.explorer.token']));
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('pcmt.token'))).toBeNull();
    await context.close();
  }, 180_000);
});
