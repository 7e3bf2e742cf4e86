import type { RedisClient, RedisLink } from './cache.js';

const HOUR_MS = 3600_000;

/**
 * Counts the distinct persons whose sensitive records each caller read in the last hour. `record`
 * answers with the count when it crosses the threshold for the first time in an hour (raise the
 * alert), otherwise null.
 */
export interface BulkAccessWatch {
  record(subject: string, persons: Iterable<string>, threshold: number, now?: number): Promise<number | null>;
}

/** One gateway process: enough for a single replica and for development. */
export class MemoryBulkAccessWatch implements BulkAccessWatch {
  /** subject → citizen ID → last read (ms) */
  private readonly reads = new Map<string, Map<string, number>>();
  private readonly alerted = new Map<string, number>();

  async record(subject: string, persons: Iterable<string>, threshold: number, now = Date.now()): Promise<number | null> {
    const hourAgo = now - HOUR_MS;
    let seen = this.reads.get(subject);
    if (!seen) this.reads.set(subject, (seen = new Map()));
    for (const p of persons) seen.set(p, now);
    for (const [p, t] of seen) if (t < hourAgo) seen.delete(p);
    if (seen.size === 0) this.reads.delete(subject);
    if (seen.size <= threshold || (this.alerted.get(subject) ?? -Infinity) >= hourAgo) return null;
    this.alerted.set(subject, now);
    return seen.size;
  }
}

/**
 * Shared by every gateway replica: a sorted set per caller (citizen ID scored by the time of the
 * last read) and a one-hour marker so that only one replica raises the alert.
 */
export class RedisBulkAccessWatch implements BulkAccessWatch {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'pcmt:bulk:',
  ) {}

  async record(subject: string, persons: Iterable<string>, threshold: number, now = Date.now()): Promise<number | null> {
    const key = `${this.prefix}reads:${subject}`;
    const members = [...persons].map((value) => ({ score: now, value }));
    const tx = this.redis.multi();
    if (members.length) tx.zAdd(key, members);
    tx.zRemRangeByScore(key, '-inf', now - HOUR_MS - 1);
    tx.zCard(key);
    tx.pExpire(key, HOUR_MS);
    const replies = await tx.exec();
    const count = Number(replies[members.length ? 2 : 1]);
    if (count <= threshold) return null;
    const first = await this.redis.set(`${this.prefix}alerted:${subject}`, String(now), { condition: 'NX', expiration: { type: 'PX', value: HOUR_MS } });
    return first === 'OK' ? count : null;
  }
}

/**
 * The shared count while Redis is up, this process's own count while it is down: an outage may
 * split one caller's count between Redis and memory, but never stops the reads or the counting.
 */
export class FallbackBulkAccessWatch implements BulkAccessWatch {
  private readonly shared: RedisBulkAccessWatch;
  private readonly local = new MemoryBulkAccessWatch();

  constructor(private readonly link: RedisLink) {
    this.shared = new RedisBulkAccessWatch(link.client);
  }

  record(subject: string, persons: Iterable<string>, threshold: number, now = Date.now()): Promise<number | null> {
    const list = [...persons];
    return this.link.use(
      'bulk-watch',
      () => this.shared.record(subject, list, threshold, now),
      () => this.local.record(subject, list, threshold, now),
    );
  }
}
