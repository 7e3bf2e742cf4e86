import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { createHash } from 'node:crypto';
import { cleanInput, cleanText } from './validation.js';
import { callerOfEm, type Caller } from './context.js';
// The entity in a module of its own: database.ts registers it without importing the write path (and its context).
import { IdempotentWrite } from './idempotent-write.js';

export { IdempotentWrite };

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  return `{${Object.keys(value as object)
    .sort()
    .filter((k) => (value as any)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableJson((value as any)[k])}`)
    .join(',')}}`;
}

export const requestHash = (input: unknown) => createHash('sha256').update(stableJson(input)).digest('hex');

/** The namespace of a caller's keys (`police/officer-a`); '' for writes made outside a request (seeds, tests). */
export function keyScope(caller: Pick<Caller, 'agency' | 'sub'> | null): string {
  if (!caller) return '';
  const scope = `${caller.agency}/${caller.sub}`;
  // The column holds 255: a longer subject is kept as its hash.
  return scope.length <= 255 ? scope : `${caller.agency.slice(0, 160)}/#${createHash('sha256').update(caller.sub).digest('hex')}`;
}

export interface IdempotentOptions {
  /** Client-supplied key; without one the write simply runs. */
  key?: string | null;
  operation: string;
  /** What the write stores: its strings are checked and NFC-normalised in place before `write` runs, so `write` must read this object. */
  input: unknown;
}

type EntityClass<T> = new (...args: any[]) => T;

/**
 * Runs `write` in one transaction. A retry with the same key and the same input returns what the
 * first call produced instead of writing again; the same key with other input is refused. Keys
 * belong to the caller (agency and `sub` of the request's identity): another caller's same key is
 * another key, so nobody can take a key before its owner or be answered with another's record.
 *
 * Every write of every agency, mutation or spreadsheet row, passes here: this is where input
 * hygiene happens (`cleanInput`), before the request hash, so an NFD retry matches its NFC first.
 */
export async function idempotentWrite<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  opts: IdempotentOptions,
  write: (tx: EntityManager) => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const errs = cleanInput(opts.input);
  const cleanKey = opts.key == null ? null : cleanText(opts.key);
  if (cleanKey?.control && !errs.errors.some((e) => e.field === 'idempotencyKey')) errs.add('idempotencyKey', `must not contain control characters (${cleanKey.control.char} at position ${cleanKey.control.at})`);
  errs.throwIfAny();
  const key = cleanKey?.text?.trim();
  if (key !== undefined && (key.length < 8 || key.length > 160)) {
    throw new GraphQLError('idempotencyKey must be 8–160 characters', { extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' } });
  }
  const hash = requestHash(opts.input);
  const caller = keyScope(callerOfEm(em));
  const attempt = () =>
    em.transactional(async (tx) => {
      if (key) {
        const done = await tx.findOne(IdempotentWrite, { caller, key });
        if (done) {
          if (done.operation !== opts.operation || done.requestHash !== hash) {
            throw new GraphQLError('idempotencyKey was already used for a different write', {
              extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' },
            });
          }
          return { result: await tx.findOneOrFail(entity, done.resultId as any), replayed: true };
        }
      }
      const result = await write(tx);
      await tx.flush();
      if (key) {
        const meta = tx.getMetadata().find(entity)!;
        const id = String((result as any)[meta.primaryKeys[0]]);
        tx.create(IdempotentWrite, { caller, key, operation: opts.operation, requestHash: hash, entity: entity.name, resultId: id, createdAt: new Date() });
        await tx.flush();
      }
      return { result, replayed: false };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two retries racing: the loser finds the winner's record on the second try.
    if (key && err instanceof UniqueConstraintViolationException) return attempt();
    throw err;
  }
}
