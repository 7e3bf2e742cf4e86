import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLError } from 'graphql';
import { openOrm } from './database.js';
import { NotAreaScoped } from './area-rules.js';
import { createRequestContext } from './context.js';
import { IdempotentWrite, idempotentWrite } from './idempotency.js';
import type { Identity } from './identity.js';
import { createLogger } from './logger.js';
import { checkCommune, findById, KnownCommune } from './reference.js';
import { InputErrors, todayInVietnam } from './validation.js';

@NotAreaScoped('rows of the kit tests, no record of anyone')
@Entity({ tableName: 'tally' })
class Tally {
  @PrimaryKey()
  id!: number;

  @Property()
  amount!: number;
}

let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm({ database: { kind: 'sqlite', file: ':memory:' }, entities: [Tally], migrations: { sqlite: [], postgresql: [] } });
  await orm.schema.create();
  await orm.em.fork().insertMany(KnownCommune, [{ code: '01000', name: 'An Bình', provinceCode: '04' }]);
});

afterAll(async () => {
  await orm?.close(true);
});

describe('input errors', () => {
  test('collects every field error and names the first', () => {
    const errs = new InputErrors();
    errs.citizenId('citizenId', '12345');
    errs.range('doseMg', 900, 1, 400, 'mg');
    errs.date('day', '2025-02-30');
    errs.date('openedOn', '2999-01-01', { notFuture: true });
    errs.transition('status', { ACTIVE: ['SUSPENDED'], SUSPENDED: ['ACTIVE'], DIED: [] }, 'DIED', 'ACTIVE');
    const err = errs.toGraphQLError();
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    expect(err.extensions.field).toBe('citizenId');
    expect((err.extensions.fieldErrors as any[]).map((e) => e.field)).toEqual(['citizenId', 'doseMg', 'day', 'openedOn', 'status']);
    expect(err.message).toMatch(/cannot change from DIED to ACTIVE/);
  });

  test('valid values pass', () => {
    const errs = new InputErrors();
    errs.citizenId('c', '004085123456');
    errs.date('d', todayInVietnam(), { notFuture: true });
    errs.range('n', 40, 1, 400);
    expect(errs.any).toBe(false);
  });

  test('enum values, integer ids and rows by id', async () => {
    const errs = new InputErrors();
    expect(errs.oneOf('kind', 'B', { A: 'A', B: 'B' })).toBe(true);
    expect(errs.oneOf('kind', 'C', ['A', 'B'])).toBe(false);
    expect([errs.positiveId('id', '7'), errs.positiveId('id', '0'), errs.positiveId('id', ''), errs.positiveId('id', '1.5')]).toEqual([7, null, null, null]);
    const em = orm.em.fork();
    const tally = em.create(Tally, { amount: 3 });
    await em.flush();
    expect(await findById(em, errs, Tally, 'tallyId', String(tally.id), 'tally')).toBe(tally);
    expect(await findById(em, errs, Tally, 'tallyId', '999', 'tally')).toBeNull();
    expect(errs.errors).toEqual([
      { field: 'kind', message: 'must be one of A, B' },
      { field: 'id', message: 'must be a positive integer id' },
      { field: 'id', message: 'must be a positive integer id' },
      { field: 'id', message: 'must be a positive integer id' },
      { field: 'tallyId', message: 'unknown tally 999' },
    ]);
  });

  test('a commune code must be well formed and known', async () => {
    const em = orm.em.fork();
    const errs = new InputErrors();
    await checkCommune(em, errs, 'a', '01000');
    await checkCommune(em, errs, 'b', '1000');
    await checkCommune(em, errs, 'c', '09999');
    expect(errs.errors).toEqual([
      { field: 'b', message: 'must be a 5-digit commune code' },
      { field: 'c', message: 'unknown commune code 09999' },
    ]);
  });
});

describe('idempotent writes', () => {
  const add = (amount: number, key?: string) =>
    idempotentWrite(orm.em.fork(), Tally, { key, operation: 'addTally', input: { amount } }, async (tx) => tx.create(Tally, { amount }));
  const rows = async () => orm.em.fork().count(Tally, {});

  test('a retried write with the same key is applied once and answers the same', async () => {
    const before = await rows();
    const first = await add(5, 'retry-key-0001');
    const again = await add(5, 'retry-key-0001');
    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
    expect(again.result.id).toBe(first.result.id);
    expect(await rows()).toBe(before + 1);
  });

  test('the same key with different input is refused and writes nothing', async () => {
    const before = await rows();
    await expect(add(6, 'retry-key-0001')).rejects.toThrow(/already used/);
    expect(await rows()).toBe(before);
  });

  test('without a key every call writes', async () => {
    const before = await rows();
    await add(1);
    await add(1);
    expect(await rows()).toBe(before + 2);
  });

  test('a failing write leaves neither the row nor the key behind', async () => {
    const before = await rows();
    await expect(
      idempotentWrite(orm.em.fork(), Tally, { key: 'failing-key-01', operation: 'addTally', input: {} }, async (tx) => {
        tx.create(Tally, { amount: 1 });
        await tx.flush();
        throw new GraphQLError('boom', { extensions: { code: 'BAD_USER_INPUT' } });
      }),
    ).rejects.toThrow('boom');
    expect(await rows()).toBe(before);
    expect(await orm.em.fork().findOne(IdempotentWrite, { key: 'failing-key-01' })).toBeNull();
  });

  test("keys are the caller's: another caller's same key and input is a write of its own; its other input is not refused", async () => {
    const who = (sub: string, agency = 'health'): Identity => ({ sub, agency, roles: [], scopes: [], communes: [], province: '04', project: null, purpose: null, requestId: sub, exp: 0 });
    const as = (caller: Identity, amount: number) =>
      idempotentWrite(createRequestContext(orm, createLogger('test', 'silent'), {}, caller).em, Tally, { key: 'shared-key-001', operation: 'addTally', input: { amount } }, async (tx) => tx.create(Tally, { amount }));
    const mine = await as(who('nurse-a'), 7);
    const theirs = await as(who('nurse-b'), 7);
    expect(theirs.replayed).toBe(false);
    expect(theirs.result.id).not.toBe(mine.result.id);
    // Same sub in another agency: another caller too. And nobody squats: a third caller's other input is written.
    expect((await as(who('nurse-a', 'police'), 7)).replayed).toBe(false);
    expect((await as(who('nurse-c'), 8)).replayed).toBe(false);
    // The owner's retry is still answered with the owner's record.
    expect((await as(who('nurse-a'), 7)).result.id).toBe(mine.result.id);
    await expect(as(who('nurse-a'), 9)).rejects.toThrow(/already used/);
    const scopes = (await orm.em.fork().find(IdempotentWrite, { key: 'shared-key-001' }, { orderBy: { caller: 'asc' } })).map((r) => r.caller);
    expect(scopes).toEqual(['health/nurse-a', 'health/nurse-b', 'health/nurse-c', 'police/nurse-a']);
  });
});
