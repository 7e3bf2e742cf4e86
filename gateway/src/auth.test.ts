import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError, createVerifier } from './auth.js';
import { DEV_ALG, DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys, issueToken } from './dev-keys.js';

// The verifier keeps callers of tokens it has verified: a kept token must still stop working when
// jose would refuse it, and a kept caller must not be shared between requests.
const keys = await ensureDevKeys(mkdtempSync(join(tmpdir(), 'pcmt-auth-')));
const claims = { sub: 'officer-1', agency: 'police', roles: ['police-officer'], communes: [], province: '04', project: null };
const verifierOf = (maxTokenAgeSeconds?: number) => createVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALG], publicKeyPem: keys.publicPem, maxTokenAgeSeconds });
// The clock moves for jose (new Date()) and for the kept tokens (Date.now()) alike.
const moveClock = (ms: number) => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  jest.setSystemTime(Date.now() + ms);
};
afterEach(() => {
  jest.useRealTimers();
});

describe('token verification, kept per token', () => {
  test('the same token twice gives equal callers, each its own copy', async () => {
    const verify = await verifierOf();
    const token = await issueToken(keys.privatePem, claims);
    const first = await verify(`Bearer ${token}`);
    first.scopes.push('test:added');
    first.communes.push('00001');
    const second = await verify(`Bearer ${token}`);
    expect(second.sub).toBe('officer-1');
    expect(second.scopes).not.toContain('test:added');
    expect(second.communes).toEqual([]);
  });

  test('a kept token is refused once it expires', async () => {
    const verify = await verifierOf();
    const token = await issueToken(keys.privatePem, claims, { ttlSeconds: 30 });
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'officer-1' });
    moveClock(31_000);
    await expect(verify(`Bearer ${token}`)).rejects.toThrow(AuthError);
  });

  test('a kept token is refused once older than the maximum token age', async () => {
    const verify = await verifierOf(60);
    const token = await issueToken(keys.privatePem, claims, { ttlSeconds: 60 });
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'officer-1' });
    moveClock(61_000);
    await expect(verify(`Bearer ${token}`)).rejects.toThrow(AuthError);
  });

  test('a verified token with its signature altered is not taken for it', async () => {
    const verify = await verifierOf();
    const token = await issueToken(keys.privatePem, claims);
    await verify(`Bearer ${token}`);
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verify(`Bearer ${tampered}`)).rejects.toThrow(AuthError);
  });
});
