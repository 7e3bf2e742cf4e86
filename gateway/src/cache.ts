import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Logger } from 'pino';
import { createClient, type RedisClientType } from 'redis';
import type { Metrics } from './metrics.js';

export type RedisClient = RedisClientType<any, any, any, any, any>;

/** Apollo's cache interface over Redis, so replicas of the gateway share APQ entries. */
export class RedisCache implements KeyValueCache<string> {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix = 'pcmt:',
  ) {}

  async get(key: string): Promise<string | undefined> {
    const value = await this.client.get(this.prefix + key);
    return value == null ? undefined : String(value);
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl;
    if (ttl) await this.client.set(this.prefix + key, value, { expiration: { type: 'EX', value: Math.ceil(ttl) } });
    else await this.client.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return Number(await this.client.del(this.prefix + key)) > 0;
  }
}

/** Exponential backoff with jitter, at most 3 s: Redis is back in use within seconds of returning. */
export const redisBackoff = (retries: number) => Math.min(50 * 2 ** retries, 3000) + Math.floor(Math.random() * 100);

/**
 * A Redis client that fails fast: commands are refused at once while disconnected (no offline
 * queue, where they would wait for the reconnection) and time out when Redis stalls.
 */
export function createRedisClient(url: string, commandTimeoutMs = 500): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: 5000,
    commandOptions: { timeout: commandTimeoutMs },
    socket: { connectTimeout: 2000, reconnectStrategy: redisBackoff },
  });
  return client as unknown as RedisClient;
}

/** For scripts that need Redis now (they fail if it is down); the gateway uses RedisLink. */
export async function connectRedis(url: string): Promise<RedisClient> {
  const client = createRedisClient(url);
  await client.connect();
  return client;
}

/** How long a Redis that stalled (a command timed out on a live connection) is skipped. */
const STALL_PAUSE_MS = 5000;

/**
 * Redis as the optional dependency it is: connected in the background (the gateway starts without
 * it), reconnected with backoff, every 'error' handled. While it is down each use goes to the
 * in-memory fallback, counted in pcmt_gateway_dependency_fallbacks_total; `up` is
 * pcmt_gateway_dependency_up{dependency="redis"}. When it returns it is used again.
 */
export class RedisLink {
  readonly client: RedisClient;
  private pausedUntil = 0;
  private state: 'up' | 'down' | 'starting' = 'starting';
  private closed = false;
  private readonly subscribers: RedisClient[] = [];
  private probe: NodeJS.Timeout | undefined;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly commandTimeoutMs: number,
  ) {
    this.client = createRedisClient(url, commandTimeoutMs);
    metrics.dependencyUp.set({ dependency: 'redis' }, 0);
    this.client.on('error', (err: Error) => this.markDown(err));
    this.client.on('ready', () => this.markUp());
    // Resolves when Redis first answers; until then every use falls back.
    this.client.connect().catch((err: Error) => {
      if (!this.closed) log.error({ err }, 'redis: gave up connecting; running on memory');
    });
  }

  /** Connected, answering, and not paused after a stall. */
  get up(): boolean {
    return this.client.isReady && Date.now() >= this.pausedUntil;
  }

  private markUp(): void {
    this.pausedUntil = 0;
    this.metrics.dependencyUp.set({ dependency: 'redis' }, 1);
    if (this.state !== 'up') this.log.info(this.state === 'down' ? 'redis: back; shared caches in use again' : 'redis: connected');
    this.state = 'up';
  }

  private markDown(err: Error): void {
    this.metrics.dependencyUp.set({ dependency: 'redis' }, 0);
    // One warning per outage, not one per reconnection attempt.
    if (this.state !== 'down' && !this.closed) this.log.warn({ err: err.message }, 'redis: unavailable; APQ cache and bulk-access counts fall back to memory');
    this.state = 'down';
  }

  /** `shared` on Redis when it is up, else (or when it fails) `local` in memory. */
  async use<T>(use: string, shared: () => Promise<T>, local: () => Promise<T> | T): Promise<T> {
    if (this.up) {
      let timer: NodeJS.Timeout | undefined;
      try {
        // The client's own timeout does not cover MULTI/EXEC: bound every use here.
        const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`redis: no answer in ${this.commandTimeoutMs} ms`)), this.commandTimeoutMs)));
        const value = await Promise.race([shared(), deadline]);
        if (this.state !== 'up') this.markUp();
        return value;
      } catch (err) {
        // A stalled Redis would add its timeout to every request: skip it for a while.
        if (this.client.isReady) this.pause();
        this.markDown(err as Error);
      } finally {
        clearTimeout(timer);
      }
    }
    this.metrics.dependencyFallbacks.inc({ dependency: 'redis', use });
    return local();
  }

  /** Skips a stalled Redis for a while, then asks it again (a PING) so it is used as soon as it answers. */
  private pause(): void {
    this.pausedUntil = Date.now() + STALL_PAUSE_MS;
    clearTimeout(this.probe);
    this.probe = setTimeout(() => void this.ping(), STALL_PAUSE_MS);
    this.probe.unref();
  }

  private async ping(): Promise<void> {
    if (this.closed || !this.client.isReady) return; // a reconnection's 'ready' marks it up
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.client.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer')), this.commandTimeoutMs)))]);
      this.markUp();
    } catch {
      this.pause();
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A subscriber connection (a subscribed client cannot run other commands). It connects in the
   * background and re-subscribes by itself after a reconnection; polling covers the gap.
   */
  subscribe(channel: string, onMessage: () => void): void {
    const sub = this.client.duplicate({ disableOfflineQueue: false }) as RedisClient;
    this.subscribers.push(sub);
    let down = false;
    sub.on('error', (err: Error) => {
      if (!down && !this.closed) this.log.warn({ err: err.message }, 'redis: registry notifications unavailable; polling');
      down = true;
    });
    sub.on('ready', () => {
      down = false;
    });
    sub
      .connect()
      .then(() => sub.subscribe(channel, onMessage))
      .catch((err: Error) => {
        if (!this.closed) this.log.warn({ err: err.message }, 'redis: registry notifications not subscribed; polling');
      });
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.use('notifications', () => this.client.publish(channel, message), () => 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probe);
    for (const c of [...this.subscribers, this.client]) {
      try {
        if (c.isReady) await c.close();
        else c.destroy();
      } catch {
        c.destroy();
      }
    }
  }
}

/** The APQ cache: Redis shared by replicas when it is up, the gateway's memory when it is not. */
export class FallbackCache implements KeyValueCache<string> {
  private readonly redis: RedisCache;

  constructor(
    private readonly link: RedisLink,
    private readonly memory: KeyValueCache<string>,
  ) {
    this.redis = new RedisCache(link.client);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.link.use('apq-cache', () => this.redis.get(key), () => this.memory.get(key));
    // An entry stored in memory during an outage is still good after Redis returns.
    return value ?? (await this.memory.get(key));
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    await this.link.use('apq-cache', () => this.redis.set(key, value, options), () => this.memory.set(key, value, options));
  }

  async delete(key: string): Promise<boolean> {
    const local = Boolean(await this.memory.delete(key));
    return (await this.link.use('apq-cache', () => this.redis.delete(key), () => local)) || local;
  }
}
