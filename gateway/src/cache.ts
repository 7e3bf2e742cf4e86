import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { createClient, type RedisClientType } from 'redis';

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

export async function connectRedis(url: string): Promise<RedisClient> {
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5000) } });
  await client.connect();
  return client as unknown as RedisClient;
}
