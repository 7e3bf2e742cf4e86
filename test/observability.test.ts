import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SUBGRAPH_NAMES } from '@pcmt/kit/subgraph-list';
import { SpanKind } from '@opentelemetry/api';
import { currentTelemetry, InMemorySpanExporter, startTelemetry, stopTelemetry, type ReadableSpan } from '@pcmt/kit/telemetry';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import { startTestFederation, type TestFederation } from './harness.js';
import { metric, TEST_METRICS_TOKEN, until } from './resilience/proxy.js';

// Traces, metrics and logs of one registered operation through the whole federation. The federation
// starts with no exporter configured (the default): nothing is traced or sent. Then an in-memory
// exporter is injected through startTelemetry, as a collector would be configured with
// OTEL_EXPORTER_OTLP_ENDPOINT, and the same operation makes one trace from the gateway to each SQL
// statement.

// The dashboard's commune view reads figures of every agency: all the subgraphs of the one list.
const SUBGRAPHS: string[] = [...SUBGRAPH_NAMES];
let fed: TestFederation;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  fed = await startTestFederation({
    seed: 71,
    scale: 0.03,
    env: {
      METRICS_TOKEN: TEST_METRICS_TOKEN,
      // The program subgraph serves its metrics on a port of its own (any free one here).
      PROGRAM_METRICS_PORT: '0',
      // Whatever this machine's shell says: the first part is about no exporter at all.
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
      OTEL_TRACES_EXPORTER: undefined,
    },
  });
});

afterAll(async () => {
  await fed?.close();
  await stopTelemetry();
});

const dashboard = () => fed.run('dashboard', 'DashboardCommunes', { province: fed.province.province.code, period: '2025' });

/** Every line the logger writes, parsed, at debug level, until `restore()`. */
function captureLog(log: Logger) {
  const sym = pino.symbols.streamSym as unknown as keyof Logger;
  const stream = log[sym];
  const level = log.level;
  const lines: Array<Record<string, any>> = [];
  (log as any)[sym] = { write: (line: string) => lines.push(JSON.parse(line)) };
  log.level = 'debug';
  return {
    lines,
    restore() {
      (log as any)[sym] = stream;
      log.level = level;
    },
  };
}

/** Where this process opens connections and sends HTTP requests, while `run` runs. */
async function outgoing(run: () => Promise<unknown>) {
  const fetches: Array<{ origin: string; path: string; traceparent: boolean }> = [];
  const httpRequests: string[] = [];
  const sockets: string[] = [];
  const onFetch = (m: any) => {
    const headers: unknown[] = Array.isArray(m.request.headers) ? m.request.headers : String(m.request.headers).split(/\r\n|: /);
    fetches.push({ origin: String(m.request.origin), path: m.request.path, traceparent: headers.some((h) => String(h).toLowerCase() === 'traceparent') });
  };
  const onHttp = (m: any) => httpRequests.push(`${m.request.host}${m.request.path}`);
  const onSocket = (m: any) => {
    const socket = m.socket as Socket;
    socket.once('connect', () => sockets.push(`${socket.remoteAddress}:${socket.remotePort}`));
  };
  subscribe('undici:request:create', onFetch);
  subscribe('http.client.request.start', onHttp);
  subscribe('net.client.socket', onSocket);
  try {
    await run();
  } finally {
    unsubscribe('undici:request:create', onFetch);
    unsubscribe('http.client.request.start', onHttp);
    unsubscribe('net.client.socket', onSocket);
  }
  return { fetches, httpRequests, sockets };
}

describe('no exporter configured (the default)', () => {
  test('nothing is traced, no traceparent is sent, no call leaves for a collector', async () => {
    expect((await currentTelemetry()).enabled).toBe(false);
    const log = captureLog(fed.gateway.log);
    let answer: Awaited<ReturnType<typeof dashboard>> | undefined;
    const seen = await outgoing(async () => {
      answer = await dashboard();
    }).finally(() => log.restore());
    expect(answer!.status).toBe(200);
    expect(answer!.data?.communes.items.length).toBeGreaterThan(0);

    const ours = new Set([fed.gateway.port, ...[...fed.servers.values()].map((s) => s.port)].map((p) => `http://127.0.0.1:${p}`));
    expect(seen.fetches.length).toBeGreaterThan(1); // the test's call and the gateway's calls to subgraphs
    expect(seen.fetches.filter((f) => !ours.has(f.origin))).toEqual([]);
    expect(seen.fetches.filter((f) => f.traceparent)).toEqual([]);
    // No node:http client at all (what an OTLP/HTTP exporter would use), no socket beyond this machine.
    expect(seen.httpRequests).toEqual([]);
    expect(seen.sockets.filter((s) => !/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1):/.test(s))).toEqual([]);
    // The log line is there, without a trace to name.
    const line = log.lines.find((l) => l.msg === 'operation answered');
    expect(line).toMatchObject({ operation: 'DashboardCommunes', outcome: 'ok' });
    expect(line?.trace_id).toBeUndefined();
  });
});

describe('with an exporter', () => {
  let spans: ReadableSpan[];
  let root: ReadableSpan;
  let logLines: Array<Record<string, any>>;

  beforeAll(async () => {
    // What OTEL_EXPORTER_OTLP_ENDPOINT does in production, with spans kept in memory instead.
    const telemetry = await startTelemetry({ serviceName: 'pcmt-graph', exporter: 'none', endpoint: null, sampleRatio: 1 }, { spanExporter: exporter });
    expect(telemetry.enabled).toBe(true);
    exporter.reset();
    const log = captureLog(fed.gateway.log);
    try {
      const answer = await dashboard();
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      // The server span ends when the answer has left, a moment after the client read it.
      const gatewaySpan = () => exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.attributes['pcmt.service'] === 'gateway');
      await until(() => gatewaySpan() !== undefined);
      root = gatewaySpan()!;
    } finally {
      log.restore();
    }
    logLines = log.lines;
    spans = exporter.getFinishedSpans();
  });

  const byId = () => new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const parentOf = (s: ReadableSpan) => (s.parentSpanContext ? byId().get(s.parentSpanContext.spanId) : undefined);
  const nearestServer = (s: ReadableSpan) => {
    for (let p = parentOf(s); p; p = parentOf(p)) if (p.kind === SpanKind.SERVER) return p;
    return undefined;
  };

  test('one trace: gateway server span, subgraph fetches, subgraph server spans, SQL statements', () => {
    const counts: Record<string, number> = {};
    for (const s of spans) counts[`${s.name} [${SpanKind[s.kind]}]`] = (counts[`${s.name} [${SpanKind[s.kind]}]`] ?? 0) + 1;
    console.log(`DashboardCommunes: ${spans.length} spans in one trace\n${Object.entries(counts).sort().map(([k, n]) => `  ${n} × ${k}`).join('\n')}`);

    // Everything recorded belongs to the one trace, and every span but the root has its parent in it.
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([root.spanContext().traceId]));
    expect(root.name).toBe('POST /graphql');
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes['graphql.operation.name']).toBe('DashboardCommunes');
    for (const s of spans) if (s !== root) expect(parentOf(s)).toBeDefined();

    // The gateway fetches from subgraphs (Apollo's spans), each call an HTTP client span under its fetch.
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    const calls = spans.filter((s) => s.kind === SpanKind.CLIENT && s.instrumentationScope.name === '@opentelemetry/instrumentation-undici');
    expect(fetches.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBe(fetches.length);
    for (const call of calls) expect(parentOf(call)?.name).toBe('gateway.fetch');

    // Each call is served under a subgraph's server span, the child of that very call, for the subgraph fetched.
    const servers = spans.filter((s) => s.kind === SpanKind.SERVER && s !== root);
    expect(servers.length).toBe(calls.length);
    for (const server of servers) {
      expect(SUBGRAPHS).toContain(server.attributes['pcmt.service']);
      const call = parentOf(server)!;
      expect(calls).toContain(call);
      expect(parentOf(call)!.attributes.service).toBe(server.attributes['pcmt.service']);
      expect(nearestServer(server)).toBe(root);
    }
    // Every agency took part (the indicators need their figures).
    expect(new Set(servers.map((s) => s.attributes['pcmt.service']))).toEqual(new Set(SUBGRAPHS));

    // SQL statements: a span each, under the server span of the subgraph that ran it, without values.
    const statements = spans.filter((s) => s.attributes['db.system.name'] !== undefined);
    expect(statements.length).toBeGreaterThanOrEqual(servers.length);
    for (const sql of statements) {
      expect(sql.kind).toBe(SpanKind.CLIENT);
      expect(nearestServer(sql)?.attributes['pcmt.service']).toBe(sql.attributes['pcmt.service']);
    }
    expect(new Set(statements.map((s) => s.attributes['pcmt.service']))).toEqual(new Set(SUBGRAPHS));
    // Root fields of the subgraphs, between their server span and their statements.
    expect(spans.filter((s) => s.name.startsWith('resolve ') && SUBGRAPHS.includes(String(nearestServer(s)?.attributes['pcmt.service']))).length).toBeGreaterThanOrEqual(servers.length);
  });

  test('the log line of the request carries its trace id (and the request id stays)', () => {
    const line = logLines.find((l) => l.msg === 'operation answered');
    expect(line).toMatchObject({ operation: 'DashboardCommunes', trace_id: root.spanContext().traceId });
    expect(line?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('the next call in is a trace of its own', async () => {
    exporter.reset();
    expect((await dashboard()).status).toBe(200);
    await until(() => exporter.getFinishedSpans().some((s) => s.kind === SpanKind.SERVER && s.attributes['pcmt.service'] === 'gateway'));
    const ids = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId));
    expect(ids.size).toBe(1);
    expect(ids.has(root.spanContext().traceId)).toBe(false);
  });
});

describe('/metrics', () => {
  const gatewayMetrics = () => fed.gateway.url.replace('/graphql', '/metrics');

  test('the gateway answers 401 without the token or with another one', async () => {
    const none = await fetch(gatewayMetrics());
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain('pcmt_gateway');
    expect((await fetch(gatewayMetrics(), { headers: { authorization: `Bearer ${'x'.repeat(40)}` } })).status).toBe(401);
    expect((await fetch(gatewayMetrics(), { headers: { authorization: TEST_METRICS_TOKEN } })).status).toBe(401);
  });

  test('with the token: the operation by its registered name; an ad-hoc one by neither its name nor its text', async () => {
    const adhoc = await fed.query('query MyVeryOwnQueryName { provinces { code } }');
    expect(adhoc.errors).toBeUndefined();
    const res = await fetch(gatewayMetrics(), { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    // Three runs of DashboardCommunes above.
    expect(metric(text, 'pcmt_gateway_operation_duration_seconds_count', { operation: 'DashboardCommunes', type: 'query', outcome: 'ok' })).toBe(3);
    expect(metric(text, 'pcmt_gateway_operation_duration_seconds_count', { operation: 'unregistered', type: 'query', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('MyVeryOwnQueryName');
    expect(text).not.toContain('provinces');
    // Per subgraph, from the gateway's side.
    for (const subgraph of SUBGRAPHS) expect(metric(text, 'pcmt_gateway_subgraph_request_duration_seconds_count', { subgraph })).toBeGreaterThan(0);
  });

  test('a subgraph serves its root fields and SQL statements on its metrics port, with the same token', async () => {
    const url = fed.services.get('program')!.metricsServer()!.url;
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(metric(text, 'pcmt_subgraph_root_field_duration_seconds_count', { subgraph: 'program', field: 'Query.communes', outcome: 'ok' })).toBe(3);
    expect(metric(text, 'pcmt_subgraph_sql_duration_seconds_count', { subgraph: 'program', statement: 'select', outcome: 'ok' })).toBeGreaterThan(0);
    // Subgraphs without METRICS_PORT open no listener.
    expect(fed.services.get('police')!.metricsServer()).toBeNull();
  });
});
