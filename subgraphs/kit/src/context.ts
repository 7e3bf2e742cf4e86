import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { emOf, type Em } from './database.js';
import { Loaders } from './loaders.js';

/** Who is calling, as verified and forwarded by the gateway. */
export interface Caller {
  subject: string;
  agency: string;
  roles: string[];
  scopes: string[];
}

/** Everything a resolver may touch for one request; made only in `createRequestContext`. */
export interface SubgraphContext {
  requestId: string;
  em: Em;
  loaders: Loaders;
  caller: Caller | null;
  log: Logger;
}

export function createRequestContext(orm: MikroORM, log: Logger, headers: Record<string, string | string[] | undefined> = {}): SubgraphContext {
  // A fresh identity map per request: no entity leaks from one caller's request into another's.
  const em = emOf(orm).fork() as Em;
  const header = headers['x-request-id'];
  const requestId = (Array.isArray(header) ? header[0] : header) || randomUUID();
  return { requestId, em, loaders: new Loaders(em), caller: null, log: log.child({ requestId }) };
}
