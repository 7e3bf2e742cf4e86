import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { emOf, type Em } from './database.js';
import { Loaders } from './loaders.js';

import type { Identity } from './identity.js';

/** Who is calling, as verified by the gateway and forwarded in the signed identity header. */
export type Caller = Identity;

/** Everything a resolver may touch for one request; made only in `createRequestContext`. */
export interface SubgraphContext {
  requestId: string;
  em: Em;
  loaders: Loaders;
  caller: Caller | null;
  log: Logger;
}

export function createRequestContext(orm: MikroORM, log: Logger, headers: Record<string, string | string[] | undefined> = {}, caller: Caller | null = null): SubgraphContext {
  // A fresh identity map per request: no entity leaks from one caller's request into another's.
  const em = emOf(orm).fork() as Em;
  const header = headers['x-request-id'];
  const requestId = (Array.isArray(header) ? header[0] : header) || randomUUID();
  return { requestId: caller?.requestId || requestId, em, loaders: new Loaders(em), caller, log: log.child({ requestId: caller?.requestId || requestId }) };
}
