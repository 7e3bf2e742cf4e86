import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy the test owns, between the gateway and one dependency (a subgraph, Redis,
 * PostgreSQL), to cause outages without touching the real server: `refuse` (the port closes: a
 * killed server), `cut` (live connections dropped: a restart), `stall` (connections accepted, nothing
 * answered: a hung server), `delayMs` (a slow one) and `resetNext` (the next requests' connections
 * reset, as a crashing server or a load balancer does).
 */
export class FaultProxy {
  port = 0;
  /** HTTP requests seen (each request line), for counting the gateway's calls and retries. */
  requests = 0;
  connections = 0;
  resets = 0;
  /** Connections that carried a request and are still open; `peakBusy` is the most at once. */
  busy = 0;
  peakBusy = 0;
  delayMs = 0;
  /** Reset the connection of the next N HTTP requests as they arrive. */
  resetNext = 0;
  private stalled = false;
  private readonly pairs = new Set<[Socket, Socket]>();
  private readonly held: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();
  private server: Server;

  private constructor(
    private target: { host: string; port: number } | null,
  ) {
    this.server = this.makeServer();
  }

  /** Listens on a free port; the target may be set later (a subgraph's port is known only once it runs). */
  static async start(target?: { host?: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(target ? { host: target.host ?? '127.0.0.1', port: target.port } : null);
    await proxy.listen(0);
    return proxy;
  }

  static forUrl(url: string): Promise<FaultProxy> {
    const u = new URL(url);
    return FaultProxy.start({ host: u.hostname, port: Number(u.port) });
  }

  /** The same URL with the proxy's host and port. */
  via(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  setTarget(port: number, host = '127.0.0.1'): void {
    this.target = { host, port };
  }

  private makeServer(): Server {
    return createServer((client) => this.accept(client));
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    this.connections++;
    this.sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => this.sockets.delete(client));
    const pending: Buffer[] = [];
    let upstream: Socket | null = null;
    let chain = Promise.resolve();
    let counted = false;
    client.on('close', () => {
      if (counted) this.busy--;
    });
    const open = () => {
      if (client.destroyed || !this.target) return void client.destroy();
      upstream = connect(this.target.port, this.target.host);
      this.sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => {
        this.sockets.delete(upstream!);
        client.destroy();
      });
      upstream.on('data', (d) => client.write(d));
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('close', () => {
        this.pairs.delete(pair);
        upstream?.destroy();
      });
      for (const b of pending.splice(0)) upstream.write(b);
    };
    client.on('data', (chunk) => {
      if (/^(POST|GET|PUT|DELETE|HEAD|OPTIONS) /.test(chunk.toString('latin1', 0, 8))) {
        this.requests++;
        if (!counted) {
          counted = true;
          this.peakBusy = Math.max(this.peakBusy, ++this.busy);
        }
        if (this.resetNext > 0) {
          this.resetNext--;
          this.resets++;
          client.resetAndDestroy();
          return;
        }
      }
      const delay = this.delayMs;
      chain = chain.then(async () => {
        if (delay) await new Promise((r) => setTimeout(r, delay));
        if (upstream) upstream.write(chunk);
        else pending.push(chunk);
      });
    });
    if (this.stalled) this.held.push(open);
    else open();
  }

  /** A hung server: live connections drop, new ones are accepted and get no answer until `release`. */
  stall(): void {
    this.stalled = true;
    this.cut();
  }

  /** The hung server recovers: held connections reach it and are answered (late). */
  release(): void {
    this.stalled = false;
    for (const [client, upstream] of this.pairs) {
      client.resume();
      upstream.resume();
    }
    for (const open of this.held.splice(0)) open();
  }

  /** A server that stops answering on live connections (they stay open): nothing flows until `release`. */
  freeze(): void {
    this.stalled = true;
    for (const [client, upstream] of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  /** Drops every live connection (a restart); new ones are accepted. */
  cut(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** A killed server: the port refuses connections and live ones drop. */
  async refuse(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.cut();
    });
  }

  /** The server is back on the same port. */
  async restore(): Promise<void> {
    this.server = this.makeServer();
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    this.release();
    this.cut();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** One gauge or counter sample from a Prometheus text page. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[3] ?? '').split(',');
    if (want.every((w) => have.includes(w))) return Number(m[4]);
  }
  return NaN;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => Promise<boolean> | boolean, ms = 10_000, step = 50): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(step);
  }
  throw new Error('condition not reached in time');
}

/** POSTs one GraphQL operation; answers status, headers, text, parsed body and the time taken. */
export async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as { data?: any; errors?: any[] }, ms: Math.round(performance.now() - started) };
}

/** METRICS_TOKEN of the test gateways that read their metrics: /metrics answers 401 without it. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef0123456789';

export const metricsOf = async (graphqlUrl: string, token = TEST_METRICS_TOKEN) =>
  (await fetch(graphqlUrl.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${token}` } })).text();

/** The promise's value, or `fallback` after `ms`; the timer does not outlive the race. */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
