import { describe, expect, test } from '@jest/globals';
import { MikroORM } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { AreaScoped, CallerArea, checkAreaRules, NotAreaScoped } from './area.js';
import { ormConfig } from './database.js';

@Entity({ tableName: 'visit' })
class Visit {
  @PrimaryKey()
  id!: number;

  @Property()
  communeCode!: string;
}

@AreaScoped('visit.communeCode')
@Entity({ tableName: 'visit_note' })
class VisitNote {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Visit)
  visit!: Visit;
}

@AreaScoped('visit.commune')
@Entity({ tableName: 'misspelt' })
class Misspelt {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Visit)
  visit!: Visit;
}

@NotAreaScoped('a clinic serves many communes')
@Entity({ tableName: 'clinic' })
class Clinic {
  @PrimaryKey()
  id!: number;

  @Property()
  communeCode!: string;
}

@Entity({ tableName: 'undeclared' })
class Undeclared {
  @PrimaryKey()
  id!: number;
}

const orm = (entities: Function[]) =>
  MikroORM.init(ormConfig({ database: { kind: 'sqlite', file: ':memory:' }, entities, migrations: { sqlite: [], postgresql: [] } }));

describe('area rules', () => {
  test('every entity says how its rows are scoped; a communeCode column says it by itself', async () => {
    const o = await orm([Visit, VisitNote, Clinic]);
    try {
      const rules = Object.fromEntries(checkAreaRules(o).map((r) => [r.entity, r.path ?? `exempt: ${r.why}`]));
      expect(rules).toMatchObject({ Visit: 'communeCode', VisitNote: 'visit.communeCode', Clinic: 'exempt: a clinic serves many communes' });
    } finally {
      await o.close(true);
    }
  });

  test('an entity that says nothing, or names a path that leads nowhere, stops the subgraph from starting', async () => {
    for (const [entity, message] of [
      [Undeclared, /Undeclared: say how its rows are scoped/],
      [Misspelt, /Misspelt: area path "visit.commune" does not lead to a column/],
    ] as const) {
      const o = await orm([Visit, entity]);
      try {
        expect(() => checkAreaRules(o)).toThrow(message);
      } finally {
        await o.close(true);
      }
    }
  });
});

describe('caller area', () => {
  const directory = { get: async () => ({ at: 0, all: 4, byProvince: new Map([['04', ['01000', '01003', '01006']], ['01', ['00001']]]) }) };

  test('communes named in the token', async () => {
    const area = CallerArea.of({ communes: ['01003'], province: null }, directory);
    await area.ready;
    expect([area.covers('01003'), area.covers('01000'), area.coversProvince('04')]).toEqual([true, false, false]);
    expect(await area.where()).toEqual({ communeCode: { $in: ['01003'] } });
  });

  test('a province: its communes, and its province figures', async () => {
    const area = CallerArea.of({ communes: [], province: '04' }, directory);
    await area.ready;
    expect([area.covers('01006'), area.covers('00001'), area.coversProvince('04'), area.coversProvince('01')]).toEqual([true, false, true, false]);
  });

  test('the only province a subgraph knows needs no filter at all', async () => {
    const only = { get: async () => ({ at: 0, all: 3, byProvince: new Map([['04', ['01000', '01003', '01006']]]) }) };
    const area = CallerArea.of({ communes: [], province: '04' }, only);
    await area.ready;
    expect(await area.where('code')).toEqual({});
  });

  test('no area named: nothing', async () => {
    const area = CallerArea.of({ communes: [], province: null }, directory);
    await area.ready;
    expect([area.covers('01000'), area.coversProvince('04')]).toEqual([false, false]);
    expect(await area.where()).toEqual({ communeCode: { $in: [] } });
  });

  test('refusals name what is outside: a commune, a province period; organisations pass', async () => {
    const area = CallerArea.of({ communes: ['01003'], province: null }, directory);
    await area.ready;
    expect(area.refusal('CommunePeriod', { communeCode: '01000', period: '2025' })).toBe('commune 01000');
    expect(area.refusal('Commune', { code: '01003' })).toBeNull();
    expect(area.refusal('ProvincePeriod', { provinceCode: '04', period: '2025' })).toBe('province 04');
    expect(area.refusal('Clinic', Object.assign(new Clinic(), { id: 1, communeCode: '01000' }))).toBeNull();
    expect(area.refusal('Visit', Object.assign(new Visit(), { id: 1, communeCode: '01000' }))).toBe('commune 01000');
  });
});
