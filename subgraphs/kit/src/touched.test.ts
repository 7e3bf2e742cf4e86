import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { AreaScoped, NotAreaScoped } from './area-rules.js';
import { openOrm, type Em } from './database.js';
import { defineFigures } from './figures.js';
import { KnownCommune } from './reference.js';
import { buildSchema } from 'graphql';
import { checkPeriodFields, collectedReport, collectTouched, importCollector, touchedEverything, touchedReport, watchTouched } from './touched.js';

// What a write reports to the gateway's response cache, read from the figure declarations: the
// commune (with its province) and earliest year of each row a figure could count, or everything.

@Entity({ tableName: 'tt_record' })
class TtRecord {
  @PrimaryKey()
  id!: number;

  @Property({ length: 5 })
  communeCode!: string;

  @Property({ type: 'date', nullable: true })
  happenedOn!: string;

  @Property({ default: false })
  flagged?: boolean = false;
}

@Entity({ tableName: 'tt_register' })
class TtRegister {
  @PrimaryKey()
  id!: number;

  @Property({ length: 5 })
  communeCode!: string;

  @Property({ type: 'date' })
  openedOn!: string;
}

@Entity({ tableName: 'tt_parent' })
class TtParent {
  @PrimaryKey()
  id!: number;

  @Property({ length: 5 })
  communeCode!: string;

  @Property({ type: 'date' })
  seizedOn!: string;
}

@AreaScoped('parent.communeCode')
@Entity({ tableName: 'tt_item' })
class TtItem {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => TtParent)
  parent!: TtParent;

  @Property()
  kg!: number;
}

@Entity({ tableName: 'tt_note' })
class TtNote {
  @PrimaryKey()
  id!: number;

  @Property({ length: 5 })
  communeCode!: string;
}

@NotAreaScoped('kit test rows')
@Entity({ tableName: 'tt_flag' })
class TtFlag {
  @PrimaryKey()
  id!: number;

  @Property({ length: 5 })
  communeCode!: string;
}

defineFigures('touch-test', {
  records: { entity: TtRecord, period: 'happenedOn', description: 'flow figure' },
  flaggedRecords: { entity: TtRecord, period: 'happenedOn', where: { flagged: true, $exists: { entity: TtFlag, match: { communeCode: 'communeCode' } } }, description: 'read through $exists' },
  registered: { entity: TtRegister, where: (p) => ({ openedOn: { $lte: p.to } }), description: 'register figure' },
  kg: { entity: TtItem, aggregate: { sum: 'kg' }, period: 'parent.seizedOn', description: 'through a relation' },
});

let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm({ database: { kind: 'sqlite', file: ':memory:' }, entities: [TtRecord, TtRegister, TtParent, TtItem, TtNote, TtFlag], migrations: { sqlite: [], postgresql: [] } });
  await orm.schema.create();
  await orm.em.fork().insertMany(KnownCommune, [
    { code: '01000', name: 'An Bình', provinceCode: '04' },
    { code: '01001', name: 'An Hòa', provinceCode: '04' },
  ]);
  watchTouched(orm);
});

afterAll(async () => {
  await orm?.close(true);
});

/** A request's EntityManager, collecting as the subgraph server does. */
function request(agency = 'touch-test'): Em {
  const em = orm.em.fork() as Em;
  collectTouched(em, agency);
  return em;
}

const sorted = (r: Awaited<ReturnType<typeof touchedReport>>) => ({ ...r, changes: [...(r?.changes ?? [])].sort((a, b) => `${a.c}${a.y}`.localeCompare(`${b.c}${b.y}`)) });

describe('what a write touched', () => {
  test('a row of a flow figure: its commune, province and year; moved rows: both places, the earlier year', async () => {
    const em = request();
    const row = em.create(TtRecord, { communeCode: '01000', happenedOn: '2025-06-10' });
    // In a transaction of its own, as writes are (a fork of the request's EntityManager).
    await em.transactional(async (tx) => {
      tx.persist(row);
    });
    expect(await touchedReport(em, orm)).toEqual({ changes: [{ c: '01000', p: '04', y: 2025 }] });

    const em2 = request();
    const again = await em2.findOneOrFail(TtRecord, row.id);
    again.communeCode = '01001';
    again.happenedOn = '2024-02-01';
    await em2.flush();
    expect(sorted(await touchedReport(em2, orm))).toEqual({
      changes: [
        { c: '01000', p: '04', y: 2024 },
        { c: '01001', p: '04', y: 2024 },
      ],
    });
  });

  test('a row whose date is empty is in no period of a flow figure; filled in later, its year', async () => {
    const em = request();
    const row = em.create(TtRecord, { communeCode: '01000', happenedOn: null as unknown as string });
    await em.flush();
    expect(await touchedReport(em, orm)).toEqual({ changes: [] });
    const em2 = request();
    const again = await em2.findOneOrFail(TtRecord, row.id);
    again.happenedOn = '2026-01-05';
    await em2.flush();
    expect(await touchedReport(em2, orm)).toEqual({ changes: [{ c: '01000', p: '04', y: 2026 }] });
  });

  test('a register figure counts a row in every period: year 0', async () => {
    const em = request();
    em.create(TtRegister, { communeCode: '01001', openedOn: '2025-01-01' });
    await em.flush();
    expect(await touchedReport(em, orm)).toEqual({ changes: [{ c: '01001', p: '04', y: 0 }] });
  });

  test('rows counted through a relation: the parent and its items at the parent commune and date', async () => {
    const em = request();
    const parent = em.create(TtParent, { communeCode: '01000', seizedOn: '2023-03-03' });
    em.create(TtItem, { parent, kg: 2 });
    await em.flush();
    expect(await touchedReport(em, orm)).toEqual({ changes: [{ c: '01000', p: '04', y: 2023 }] });
    // An item moved to another parent: where it was counted before is not known here, so everywhere.
    const em2 = request();
    const other = em2.create(TtParent, { communeCode: '01001', seizedOn: '2025-01-01' });
    const item = await em2.findOneOrFail(TtItem, { parent: parent.id });
    item.parent = other;
    await em2.flush();
    expect((await touchedReport(em2, orm))?.changes).toEqual(expect.arrayContaining([{ c: '*', p: '*', y: 0 }]));
  });

  test('rows no figure reads touch nothing; rows read through $exists, a native write, or a subgraph without figures touch everything', async () => {
    const note = request();
    note.create(TtNote, { communeCode: '01000' });
    await note.flush();
    expect(await touchedReport(note, orm)).toEqual({ changes: [] });

    const flag = request();
    flag.create(TtFlag, { communeCode: '01000' });
    await flag.flush();
    expect(await touchedReport(flag, orm)).toEqual({ all: true, changes: [] });

    const native = request();
    touchedEverything(native);
    expect(await touchedReport(native, orm)).toEqual({ all: true, changes: [] });

    const other = request('no-figures-here');
    other.create(TtNote, { communeCode: '01000' });
    await other.flush();
    expect(await touchedReport(other, orm)).toEqual({ all: true, changes: [] });
  });

  test('a period-type field no declaration made (a hand-written resolver) makes every write touch everything', async () => {
    const schema = (fields: string) => buildSchema(`type Query { x: Int } type CommunePeriod { communeCode: ID period: String ${fields} }`);
    expect(checkPeriodFields('touch-test', schema('records: Int kg: Float'))).toEqual([]);
    const write = async () => {
      const em = request();
      em.create(TtRecord, { communeCode: '01000', happenedOn: '2025-06-10' });
      await em.flush();
      return touchedReport(em, orm);
    };
    expect(await write()).toEqual({ changes: [{ c: '01000', p: '04', y: 2025 }] });
    expect(checkPeriodFields('touch-test', schema('records: Int handWritten: Int'))).toEqual(['CommunePeriod.handWritten']);
    expect(await write()).toEqual({ all: true, changes: [] });
    checkPeriodFields('touch-test', schema('records: Int'));
    expect(await write()).toEqual({ changes: [{ c: '01000', p: '04', y: 2025 }] });
  });

  test("an import's rows, each written by its own EntityManager, gather in one report; more changes than the limit become one per province", async () => {
    checkPeriodFields('touch-test', buildSchema('type Query { x: Int } type CommunePeriod { communeCode: ID period: String records: Int }'));
    const collector = importCollector(orm, 'touch-test');
    const rows = [
      { communeCode: '01000', happenedOn: '2025-06-10' },
      { communeCode: '01001', happenedOn: '2023-01-02' },
    ];
    for (const r of rows) {
      const em = orm.em.fork() as Em;
      collectTouched(em, 'touch-test', collector);
      await em.transactional(async (tx) => {
        tx.create(TtRecord, r);
      });
    }
    expect(sorted(await collectedReport(collector, orm))).toEqual({
      changes: [
        { c: '01000', p: '04', y: 2025 },
        { c: '01001', p: '04', y: 2023 },
      ],
    });
    // Both communes are in province 04: every commune of it, from the earlier year.
    expect(await collectedReport(collector, orm, 1)).toEqual({ changes: [{ c: '*', p: '04', y: 2023 }] });
    // A row no figure places still makes the whole import touch everything.
    const flag = orm.em.fork() as Em;
    collectTouched(flag, 'touch-test', collector);
    flag.create(TtFlag, { communeCode: '01000' });
    await flag.flush();
    expect(await collectedReport(collector, orm)).toEqual({ all: true, changes: [] });
  });

  test('an import collector of a subgraph whose period fields this process never checked reports everything', async () => {
    const collector = importCollector(orm, 'never-checked');
    expect(await collectedReport(collector, orm)).toEqual({ all: true, changes: [] });
  });

  test('outside a request (seeds, tests) nothing is collected', async () => {
    const em = orm.em.fork();
    em.create(TtRecord, { communeCode: '01000', happenedOn: '2025-06-10' });
    await em.flush();
    expect(await touchedReport(em, orm)).toBeNull();
  });
});
