import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { RunningGateway } from '@pcmt/gateway';
import { operationText } from '@pcmt/gateway/registry';
import { DEV_IDENTITY_SECRET } from '@pcmt/kit/identity';
import { parse } from 'graphql';
import { createHash } from 'node:crypto';
import { startCustomsPostal, type CustomsPostal } from './fixtures/customs-postal/service.js';
import { startTestFederation, type TestFederation } from './harness.js';

// The registry end to end: a customs service that is not in this repository (written with
// @apollo/subgraph alone) is published, checked and served without a gateway restart; each control
// is shown refusing and, beside it, the same step that it lets through.

let fed: TestFederation;
let postal: CustomsPostal;
let replica: RunningGateway | null = null;
const tokens: Record<string, string> = {};

const POSTAL_SCREENINGS = `query CustomsPostalScreenings($code: ID!, $year: Int!) {
  commune(code: $code) {
    code
    parcelScreenings(year: $year) {
      id
      screenedOn
      carrier
      result
    }
  }
}`;
let screeningsId = '';

const base = (gw: RunningGateway) => gw.url.replace(/\/graphql$/, '');

async function post(path: string, body: unknown, token: string, gw = fed.gateway): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base(gw)}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function get(path: string, token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base(fed.gateway)}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

const publishPostal = (token = tokens.customsPublisher, extra: Record<string, unknown> = {}) => post('/registry/subgraphs/customs-postal', { sdl: postal.sdl, routingUrl: postal.url, ...extra }, token);

/** The fields the gateway serves on a type (introspection is on outside production). */
async function fieldsOf(gw: RunningGateway, type: string): Promise<string[]> {
  const res = await post('/graphql', { query: `{ __type(name: "${type}") { fields { name } } }` }, tokens.analyst, gw);
  return (res.body.data?.__type?.fields ?? []).map((f: { name: string }) => f.name);
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached in time');
}

const commune = () => fed.province.communes[0].code;
const runScreenings = (by: { documentId?: string; query?: string; extensions?: unknown }, role = 'customsOfficer', gw = fed.gateway) =>
  post('/graphql', { ...by, operationName: 'CustomsPostalScreenings', variables: { code: commune(), year: 2025 } }, tokens[role], gw);

beforeAll(async () => {
  fed = await startTestFederation({ env: { REGISTRY_POLL_MS: '500' } });
  postal = await startCustomsPostal({ identitySecret: DEV_IDENTITY_SECRET, version: 1 });
  tokens.customsPublisher = await fed.roleToken('publisher', { agency: 'customs' });
  tokens.policePublisher = await fed.roleToken('publisher', { agency: 'police' });
  tokens.customsOfficer = await fed.roleToken('customs-officer');
  tokens.policeOfficer = await fed.roleToken('police-officer');
  tokens.analyst = await fed.roleToken('analyst');
});

afterAll(async () => {
  await postal?.close();
  await fed?.close();
});

describe('publishing a subgraph from outside the repository', () => {
  test('another agency\'s publisher credential is refused (403) and changes nothing; customs\' own is served without a restart', async () => {
    const refused = await publishPostal(tokens.policePublisher);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/police may not publish subgraph customs-postal/);
    // An officer's token is no publisher credential either.
    expect((await publishPostal(tokens.customsOfficer)).status).toBe(403);
    expect((await get('/registry/changelog', tokens.customsPublisher)).body).toEqual([]);
    expect(await fieldsOf(fed.gateway, 'ParcelScreening')).toEqual([]);

    const accepted = await publishPostal();
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: true, subgraph: 'customs-postal', version: 1, compositionErrors: [], accessProblems: [], brokenOperations: [] });
    expect(accepted.body.changes.map((c: any) => c.criticality)).not.toContain('BREAKING');
    expect(await fieldsOf(fed.gateway, 'ParcelScreening')).toEqual(['id', 'screenedOn', 'carrier', 'result']);
  });

  test('customs registers the operation its system needs, and its officer runs it through the gateway', async () => {
    // Until registered, an officer cannot run it.
    expect((await runScreenings({ query: POSTAL_SCREENINGS })).body.errors[0].extensions.code).toBe('OPERATION_NOT_REGISTERED');
    const published = await post('/registry/clients/customs-app', { version: 'postal-1', documents: [POSTAL_SCREENINGS] }, tokens.customsPublisher);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ accepted: true, client: 'customs-app', version: 'postal-1' });
    screeningsId = published.body.documents[0].id;
    // The id is the sha256 of the registered text, which anyone can compute from the document.
    expect(screeningsId).toBe(createHash('sha256').update(operationText(parse(POSTAL_SCREENINGS))!).digest('hex'));

    const res = await runScreenings({ documentId: `sha256:${screeningsId}` });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.commune.code).toBe(commune());
    expect(res.body.data.commune.parcelScreenings.length).toBeGreaterThan(0);
    expect(res.body.data.commune.parcelScreenings[0]).toMatchObject({ id: expect.stringMatching(new RegExp(`^BC-${commune()}-2025-`)), carrier: expect.any(String) });
  });

  test('a client\'s operations are refused when they read what no role of the agency may read', async () => {
    const res = await post('/registry/clients/customs-app', { documents: ['query CustomsReadsFiles { managementFiles(first: 5) { items { id } } }'] }, tokens.customsPublisher);
    expect(res.status).toBe(409);
    expect(res.body.problems[0]).toMatchObject({ operationName: 'CustomsReadsFiles', problems: [expect.stringMatching(/no role of this agency may read/)] });
    // Another agency may not publish into customs' client.
    expect((await post('/registry/clients/customs-app', { documents: [POSTAL_SCREENINGS] }, tokens.policePublisher)).status).toBe(403);
  });
});

describe('registered documents at run time', () => {
  test('by id, by Apollo persisted-query hash and by full text it runs; an unregistered text, an unknown id or another client\'s document is refused', async () => {
    expect((await runScreenings({ query: POSTAL_SCREENINGS })).body.errors).toBeUndefined();
    expect((await runScreenings({ extensions: { persistedQuery: { version: 1, sha256Hash: screeningsId } } })).body.errors).toBeUndefined();

    const altered = POSTAL_SCREENINGS.replace('      result\n', '');
    const unregistered = await runScreenings({ query: altered });
    expect(unregistered.body.errors[0].extensions.code).toBe('OPERATION_NOT_REGISTERED');
    const unknown = await runScreenings({ documentId: `sha256:${'0'.repeat(64)}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await runScreenings({ documentId: 'not-a-hash' })).status).toBe(400);
    // The police app did not register it: a police officer may not run customs' document.
    expect((await runScreenings({ documentId: `sha256:${screeningsId}` }, 'policeOfficer')).body.errors[0].extensions.code).toBe('OPERATION_NOT_REGISTERED');
    // Control off: an analyst may run ad-hoc text (and is refused the customs fields by scope instead).
    const adhoc = await runScreenings({ query: altered }, 'analyst');
    expect(adhoc.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('checks that refuse a publish', () => {
  test('a schema that does not compose is refused and the last good supergraph keeps serving', async () => {
    const before = (await get('/registry/changelog', tokens.customsPublisher)).body.length;
    const broken = postal.sdl.replace('type Commune @key(fields: "code")', 'type Commune @key(fields: "code") @shareable').replace('code: ID!', 'code: Int!');
    expect(broken).not.toBe(postal.sdl);
    const res = await post('/registry/subgraphs/customs-postal', { sdl: broken, routingUrl: postal.url }, tokens.customsPublisher);
    expect(res.status).toBe(409);
    expect(res.body.accepted).toBe(false);
    expect(res.body.compositionErrors.length).toBeGreaterThan(0);
    expect((await get('/registry/changelog', tokens.customsPublisher)).body.length).toBe(before);
    expect((await runScreenings({ documentId: `sha256:${screeningsId}` })).body.errors).toBeUndefined();
  });

  test('tags with another agency\'s scope are refused', async () => {
    const sdl = postal.sdl.replace(/scope:customs:read/g, 'scope:health:read');
    const res = await post('/registry/subgraphs/customs-postal', { sdl, routingUrl: postal.url }, tokens.customsPublisher);
    expect(res.status).toBe(409);
    expect(res.body.accessProblems.join('\n')).toMatch(/health's scope/);
  });

  test('a breaking change that would break a registered operation is refused, naming it; forced with a reason it is served; rollback restores', async () => {
    postal.setVersion(2);
    const refused = await publishPostal();
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/customs-app CustomsPostalScreenings/);
    expect(refused.body.brokenOperations).toEqual([expect.objectContaining({ client: 'customs-app', version: 'postal-1', operationName: 'CustomsPostalScreenings', errors: [expect.stringMatching(/carrier/)] })]);
    expect(refused.body.changes).toContainEqual(expect.objectContaining({ criticality: 'BREAKING', message: expect.stringMatching(/carrier/) }));
    expect(await fieldsOf(fed.gateway, 'ParcelScreening')).toContain('carrier');

    // A force needs a written reason.
    expect((await publishPostal(tokens.customsPublisher, { force: true })).status).toBe(400);
    const forced = await publishPostal(tokens.customsPublisher, { force: true, reason: 'carrier renamed by the postal system vendor; app update follows' });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ accepted: true, version: 2, forced: true });
    await until(async () => (await fieldsOf(fed.gateway, 'ParcelScreening')).includes('courier'));

    postal.setVersion(1);
    const rollback = await post('/registry/subgraphs/customs-postal/rollback', { version: 1, reason: 'the app is not updated yet' }, tokens.customsPublisher);
    expect(rollback.status).toBe(200);
    expect(rollback.body).toMatchObject({ accepted: true, version: 3 });
    await until(async () => (await fieldsOf(fed.gateway, 'ParcelScreening')).includes('carrier'));
    expect((await runScreenings({ documentId: `sha256:${screeningsId}` })).body.errors).toBeUndefined();
  });
});

describe('two gateway replicas', () => {
  test('a safe change is served by both replicas within seconds, without a restart', async () => {
    replica = await fed.startReplica();
    expect(await fieldsOf(replica, 'ParcelScreening')).not.toContain('weightGrams');
    expect((await runScreenings({ documentId: `sha256:${screeningsId}` }, 'customsOfficer', replica)).body.errors).toBeUndefined();

    postal.setVersion(3);
    const published = Date.now();
    const res = await publishPostal();
    expect(res.status).toBe(200);
    expect(res.body.changes.every((c: any) => c.criticality !== 'BREAKING')).toBe(true);
    const servedBy = await Promise.all([fed.gateway, replica].map((gw) => until(async () => (await fieldsOf(gw, 'ParcelScreening')).includes('weightGrams')).then(() => Date.now() - published)));
    console.log(`registry: safe change served by two replicas ${servedBy.map((ms) => `${ms} ms`).join(' and ')} after the publish returned`);
    expect(Math.max(...servedBy)).toBeLessThan(10_000);
    // Registered operations keep running on both.
    for (const gw of [fed.gateway, replica]) expect((await runScreenings({ documentId: `sha256:${screeningsId}` }, 'customsOfficer', gw)).body.errors).toBeUndefined();
  });
});

describe('changelog', () => {
  test('lists each accepted version with who, when, the diff and the reason; for publishers and analysts only', async () => {
    const log = (await get('/registry/changelog?subgraph=customs-postal', tokens.customsPublisher)).body;
    expect(log.map((e: any) => [e.version, e.action])).toEqual([
      [1, 'publish'],
      [2, 'publish'],
      [3, 'rollback'],
      [4, 'publish'],
    ]);
    expect(log[1]).toMatchObject({ publishedBy: 'dev-publisher-customs', agency: 'customs', reason: expect.stringMatching(/vendor/), brokenOperations: [expect.objectContaining({ operationName: 'CustomsPostalScreenings' })] });
    expect(log[3].changes).toContainEqual(expect.objectContaining({ criticality: 'SAFE', message: expect.stringMatching(/weightGrams/) }));
    const all = (await get('/registry/changelog', tokens.analyst)).body;
    expect(all.filter((e: any) => e.action === 'baseline').map((e: any) => e.subgraph).sort()).toEqual([...fed.services.keys()].sort());
    expect((await get('/registry/changelog', tokens.customsOfficer)).status).toBe(403);
  });
});
