import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { postGraphql } from '@pcmt/kit/testing';
import { signSubgraphRequest } from '@pcmt/kit/identity';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { startTestFederation, type TestFederation } from '../harness.js';

let fed: TestFederation;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 5, scale: 0.03 });
});

afterAll(async () => {
  await fed?.close();
});

// Keys only: a name from the register would need a declared purpose (sensitive), beside the point here.
const QUERY = '{ persons(first: 3) { items { citizenId } } }';
const claims = { agency: 'police', roles: ['police-officer'] };

function sqlStatements(): number {
  return [...fed.services.values()].reduce((n, s) => n + s.queries.total, 0);
}

async function callWith(authorization: string | null): Promise<{ status: number; body: any; statements: number }> {
  for (const s of fed.services.values()) s.queries.reset();
  const res = await fetch(fed.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: res.status, body: await res.json(), statements: sqlStatements() };
}

describe('tokens at the gateway', () => {
  test('control on: a valid token is accepted', async () => {
    const r = await callWith(`Bearer ${await fed.token(claims)}`);
    expect(r.status).toBe(200);
    expect(r.body.data.persons.items).toHaveLength(3);
  });

  test('forged, expired, alg:none, wrong-audience, wrong-issuer and confused-algorithm tokens are refused before any subgraph work', async () => {
    const { privateKey: foreignKey } = await generateKeyPair('ES256');
    const base = () => new SignJWT({ ...claims }).setProtectedHeader({ alg: 'ES256' }).setSubject('attacker').setIssuedAt();
    const attempts: Record<string, string> = {
      forged: await base().setIssuer('pcmt-dev').setAudience('pcmt-graph').setExpirationTime('1h').sign(foreignKey),
      expired: await fed.token(claims, -60),
      algNone: new UnsecuredJWT({ ...claims, sub: 'attacker' }).setIssuer('pcmt-dev').setAudience('pcmt-graph').setExpirationTime('1h').encode(),
      wrongAudience: await fed.token(claims, undefined, { audience: 'another-app' }),
      wrongIssuer: await fed.token(claims, undefined, { issuer: 'someone-else' }),
      // HS256 "signed" with the public key as the secret: the classic algorithm-confusion attack.
      hmacWithPublicKey: await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('attacker')
        .setIssuer('pcmt-dev')
        .setAudience('pcmt-graph')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-key')),
      garbage: 'not.a.token',
      // Correctly signed, but valid for a century: a leaked token must not outlive a working day.
      centuryLong: await fed.token(claims, 100 * 365 * 24 * 3600),
    };
    const accepted: string[] = [];
    for (const [name, token] of Object.entries(attempts)) {
      const r = await callWith(`Bearer ${token}`);
      if (r.status !== 401 || r.body.data || r.statements > 0) accepted.push(name);
      expect(r.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const none = await callWith(null);
    expect(none.status).toBe(401);
    console.log(`hostile tokens accepted: ${accepted.length} of ${Object.keys(attempts).length + 1}`);
    expect(accepted).toEqual([]);
  });
});

describe('declared purpose', () => {
  const withPurpose = async (purpose: string) => {
    const res = await fetch(fed.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await fed.token(claims)}`, 'x-pcmt-purpose': purpose },
      body: JSON.stringify({ query: '{ persons(first: 1) { items { citizenId managementFiles { id } } } }' }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  test('control on: a purpose in words reads sensitive data', async () => {
    const r = await withPurpose(encodeURIComponent('Kiểm tra hồ sơ quản lý'));
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
  });

  test('blank, wordless or malformed purposes are refused with a request id, never a 500', async () => {
    for (const blank of ['%20', '%09']) expect((await withPurpose(blank)).body.errors[0].extensions.code).toBe('PURPOSE_REQUIRED');
    for (const bad of ['%E0%A4%A', '100%', '---', '%0Aforged']) {
      const r = await withPurpose(bad);
      expect(r.status).toBe(400);
      expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', requestId: expect.any(String) });
    }
  });
});

describe('subgraphs answer only the gateway', () => {
  const direct = (identity: Parameters<typeof postGraphql>[4], headers: Record<string, string> = {}) =>
    postGraphql(fed.servers.get('police')!.url, QUERY, {}, headers, identity);

  test('control on: a call signed with the gateway secret is answered', async () => {
    const res = await direct(undefined);
    expect(res.data?.persons.items).toHaveLength(3);
  });

  test('unsigned, forged, tampered and stale identities are refused without touching the database', async () => {
    const identity = { sub: 'x', agency: 'police', roles: ['police-officer'], scopes: ['police:read'], communes: [], province: null, project: null, purpose: null, requestId: 'r' };
    // Each signed for this very call (police, this body), as the gateway signs it.
    const call = { audience: 'police', body: JSON.stringify({ query: QUERY, variables: {} }) };
    const forged = signSubgraphRequest(identity, call, 'a-secret-that-is-not-the-gateway-secret-at-all');
    const good = signSubgraphRequest(identity, call, 'pcmt-development-only-identity-secret-do-not-deploy');
    const tampered = { ...good, 'x-pcmt-identity': Buffer.from(JSON.stringify({ ...identity, scopes: ['*'], exp: Date.now() + 20_000 })).toString('base64url') };
    const stale = signSubgraphRequest({ ...identity, exp: Date.now() - 1 }, call, 'pcmt-development-only-identity-secret-do-not-deploy');
    const police = fed.services.get('police')!;
    police.queries.reset();
    let accepted = 0;
    for (const headers of [{}, forged, tampered, stale]) {
      const res = await direct(null, headers);
      if (res.data) accepted++;
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    console.log(`direct subgraph calls without a valid signature accepted: ${accepted} of 4`);
    expect(accepted).toBe(0);
    expect(police.queries.total).toBe(0);
  });
});
