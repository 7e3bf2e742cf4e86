import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from './config.js';
import { ensureDevKeys, issueToken } from './dev-keys.js';
import { startGateway, type RunningGateway } from './gateway.js';

function supergraphWith(field: string): string {
  const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { ${field}: Int }`;
  const result = composeServices([{ name: 'only', url: 'http://127.0.0.1:9/graphql', typeDefs: parse(sdl) }]);
  if (result.errors) throw result.errors[0];
  return result.supergraphSdl;
}

const dir = mkdtempSync(join(tmpdir(), 'pcmt-gw-'));
const path = join(dir, 'supergraph.graphql');
let gw: RunningGateway;
let token: string;

async function fieldNames(): Promise<string[]> {
  const res = await fetch(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __schema { queryType { fields { name } } } }' }),
  });
  const body = (await res.json()) as any;
  return body.data.__schema.queryType.fields.map((f: { name: string }) => f.name);
}

async function until(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached in time');
}

beforeAll(async () => {
  writeFileSync(path, supergraphWith('first'));
  const keys = await ensureDevKeys(join(dir, 'keys'));
  token = await issueToken(keys.privatePem, { sub: 't', agency: 'program', roles: ['steering-committee'], province: '04' });
  const config = loadGatewayConfig({ PCMT_DATA_DIR: dir, PUBLISH_SHIPPED_OPERATIONS: 'false' });
  gw = await startGateway({ ...config, auth: { ...config.auth, publicKeyPem: keys.publicPem }, port: 0, supergraphPath: path, supergraphPollSeconds: 0.05, logLevel: 'silent' });
});

afterAll(async () => {
  await gw?.close();
});

describe('supergraph publishing', () => {
  test('a newly published supergraph is served without a restart', async () => {
    expect(await fieldNames()).toEqual(['first']);
    writeFileSync(path, supergraphWith('second'));
    await until(() => gw.supergraph.reloaded === 1);
    expect(await fieldNames()).toEqual(['second']);
  });

  test('a bad supergraph is refused and the last good one keeps serving', async () => {
    writeFileSync(path, 'this is not a supergraph {');
    await until(() => gw.supergraph.rejected === 1);
    expect(await fieldNames()).toEqual(['second']);
  });
});

describe('errors reaching clients', () => {
  test('a failing subgraph call is masked: no subgraph name or host in the answer', async () => {
    const res = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ second }' }) });
    const text = await res.text();
    expect(text).toContain('errors');
    expect(text).not.toMatch(/127\.0\.0\.1:9|only|ECONNREFUSED|stack/);
  });
});
