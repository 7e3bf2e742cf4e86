import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pooledFetch } from './undici-fetcher.js';

// The subgraph client's transport: what Apollo's data source reads of a response, the deadline, and
// one kept-alive connection for calls in a row.

let server: Server;
let url: string;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    sockets.add(req.socket);
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2000).unref();
      res.writeHead(req.url === '/bad' ? 400 : 200, { 'content-type': 'application/json', 'cache-control': 'max-age=30', 'x-echo-method': req.method ?? '' });
      res.end(JSON.stringify({ data: { body: raw, auth: req.headers['x-pcmt-signature'] ?? null } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('pooled fetch', () => {
  test('status, headers (any case), body as text and JSON, request headers and body sent as given', async () => {
    const res = await pooledFetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pcmt-signature': 's1' }, body: '{"query":"{a}"}' }, undefined);
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('max-age=30');
    expect(res.headers.get('x-missing')).toBeNull();
    expect(await res.json()).toEqual({ data: { body: '{"query":"{a}"}', auth: 's1' } });
    const bad = await pooledFetch(`${url}/bad`, { method: 'POST', body: '{}' }, undefined);
    expect([bad.ok, bad.status, bad.statusText]).toEqual([false, 400, 'Bad Request']);
    expect(JSON.parse(await bad.text()).data.body).toBe('{}');
  });

  test('calls in a row reuse their connections (keep-alive pool)', async () => {
    sockets.clear();
    for (let i = 0; i < 20; i++) await pooledFetch(`${url}/graphql`, { method: 'POST', body: '{}' }, undefined);
    // A call may start before the last one's connection is marked free: a second one, not twenty.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  test('the deadline aborts the call', async () => {
    const deadline = new AbortController();
    const call = pooledFetch(`${url}/slow`, { method: 'POST', body: '{}' }, deadline.signal);
    setTimeout(() => deadline.abort(), 50);
    await expect(call).rejects.toThrow();
  });
});
