import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { emOf, type Em } from './database.js';
import { Loaders } from './loaders.js';
import { readsOffTheLoop } from './sqlite-reader.js';
import { requestScope, turns, TURNS_OWNER } from './turns.js';
import { AREA_FILTER, CallerArea, communeDirectory } from './area.js';

import type { Identity } from './identity.js';

/** Who is calling, as verified by the gateway and forwarded in the signed identity header. */
export type Caller = Identity;

/** Everything a resolver may touch for one request; made only in `createRequestContext`. */
export interface SubgraphContext {
  requestId: string;
  em: Em;
  loaders: Loaders;
  caller: Caller | null;
  /** The communes the caller may see; the ORM filters every scoped read by it. */
  area: CallerArea;
  log: Logger;
}

/** Where the request's caller travels with its EntityManager (and every fork of it), as the area does. */
const CALLER_PARAMS = 'pcmt:caller';

/** The caller of the request this EntityManager serves; null outside a request (seeds, tests). */
export function callerOfEm(em: EntityManager): Caller | null {
  return (em.getFilterParams(CALLER_PARAMS) as { caller?: Caller | null } | undefined)?.caller ?? null;
}

type Execute = (...args: unknown[]) => Promise<unknown>;
const counted = new WeakSet<object>();

/**
 * Every SQL statement started within a request (`requestScope`) is tracked for it, so its loaders'
 * batches wait for what the statement's rows lead to (turns.ts `afterWaiting`): on PostgreSQL a
 * statement takes I/O, and a batch run meanwhile would miss the keys its answer asks for.
 */
function trackStatements(orm: MikroORM): void {
  // Inside the tracking: a read sent to the worker is the request's I/O like any other.
  readsOffTheLoop(orm);
  const connection = orm.em.getConnection() as unknown as { execute: Execute };
  if (counted.has(connection)) return;
  counted.add(connection);
  const execute = connection.execute;
  connection.execute = function (this: unknown, ...args: unknown[]) {
    const running = execute.apply(this, args);
    const owner = requestScope.getStore()?.owner;
    return owner ? turns.track(owner, running) : running;
  };
}

export function createRequestContext(orm: MikroORM, log: Logger, headers: Record<string, string | string[] | undefined> = {}, caller: Caller | null = null): SubgraphContext {
  // A fresh identity map per request: no entity leaks from one caller's request into another's.
  const em = emOf(orm).fork() as Em;
  const header = headers['x-request-id'];
  const requestId = caller?.requestId || (Array.isArray(header) ? header[0] : header) || randomUUID();
  const area = CallerArea.of(caller, communeDirectory(orm));
  // Forks (transactions, loaders) inherit it, so no read in this request escapes the area.
  em.setFilterParams(AREA_FILTER, { area });
  // Writes read it: idempotency keys are the caller's own.
  em.setFilterParams(CALLER_PARAMS, { caller });
  const ctx = { requestId, em, caller, area, log: log.child({ requestId }) } as SubgraphContext;
  // Apollo gives resolvers a copy of this object: the copy names this one as its request.
  (ctx as unknown as Record<symbol, unknown>)[TURNS_OWNER] = ctx;
  // The request's context is its unit of fair turns (turns.ts): its loaders batch by rounds, once
  // the request is still, across turns and statements.
  ctx.loaders = new Loaders(em, (run) => turns.afterWaiting(ctx, run));
  trackStatements(orm);
  const scope = requestScope.getStore();
  if (scope && !scope.owner) scope.owner = ctx;
  // The area's lookup may be another request's statement: this one's batches wait for it too.
  if (!area.current) turns.track(ctx, area.ready);
  return ctx;
}
