import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MikroORM } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { graphql, type GraphQLSchema } from 'graphql';
import { Float } from 'type-graphql';
import { AreaScoped, NotAreaScoped } from './area.js';
import { createRequestContext } from './context.js';
import { ormConfig } from './database.js';
import { defineFigures, previous } from './figures.js';
import { createLogger } from './logger.js';
import { KnownCommune } from './reference.js';
import { buildFederatedSchema, printSdl } from './schema.js';
import { communePeriodStub, periodReferences, provincePeriodStub } from './stubs.js';
import { TEST_IDENTITY } from './testing.js';

// A clinic's visits on SQLite in memory: each declaration checked against hand-counted rows, and
// the statements it costs.

@Entity({ tableName: 'fig_visit' })
class Visit {
  @PrimaryKey()
  id!: number;

  @Property()
  communeCode!: string;

  @Property()
  citizenId!: string;

  @Property({ type: 'date' })
  visitedOn!: string;

  @Property()
  urgent!: boolean;

  @Property({ type: 'double' })
  minutes!: number;
}

/** Scoped by its visit's commune; written down in a commune of its own. */
@AreaScoped('visit.communeCode')
@Entity({ tableName: 'fig_visit_note' })
class VisitNote {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Visit)
  visit!: Visit;

  @Property()
  communeCode!: string;
}

@NotAreaScoped('a clinic serves many communes')
@Entity({ tableName: 'fig_clinic' })
class Clinic {
  @PrimaryKey()
  id!: number;

  @Property()
  communeCode!: string;

  @Property({ type: 'date', nullable: true })
  openedOn?: string | null;
}

/** A referral to a clinic, or to none yet: a relation that may be missing. */
@Entity({ tableName: 'fig_referral' })
class Referral {
  @PrimaryKey()
  id!: number;

  @Property()
  communeCode!: string;

  @Property({ type: 'date' })
  referredOn!: string;

  @ManyToOne(() => Clinic, { nullable: true })
  clinic?: Clinic | null;
}

@NotAreaScoped('bulletins are the province’s')
@Entity({ tableName: 'fig_bulletin' })
class Bulletin {
  @PrimaryKey()
  id!: number;

  @Property()
  provinceCode!: string;

  @Property()
  main!: boolean;
}

/** Calls to a hotline, urgent or routine: a total and the two figures that split it. */
@Entity({ tableName: 'fig_call' })
class Call {
  @PrimaryKey()
  id!: number;

  @Property()
  communeCode!: string;

  @Property({ type: 'date' })
  calledOn!: string;

  @Property()
  urgent!: boolean;
}

const callFigures = (relations: boolean) =>
  defineFigures(
    relations ? 'hotline' : 'hotline-unrelated',
    {
      calls: { entity: Call, period: 'calledOn', smallCell: true, description: 'Cuộc gọi: calls in the period' },
      urgentCalls: { entity: Call, period: 'calledOn', where: { urgent: true }, smallCell: true, description: 'Cuộc gọi khẩn: urgent calls' },
      routineCalls: { entity: Call, period: 'calledOn', where: { urgent: false }, smallCell: true, description: 'Cuộc gọi thường: routine calls' },
    },
    relations ? { relations: [{ total: 'calls', parts: ['urgentCalls', 'routineCalls'] }] } : {},
  );

const referral = { entity: Referral, period: 'referredOn' } as const;
const referralFigures = defineFigures('referrals', {
  referrals: { ...referral, description: 'Chuyển tuyến: all referrals of the period' },
  referralsToOpenedClinic: { ...referral, where: { clinic: { openedOn: { $ne: null } } }, description: 'to a clinic with an opening date' },
  // A referral to no clinic has no opening date either: it counts, so the clinic stays a left join.
  referralsWithoutOpening: { ...referral, where: { clinic: { openedOn: null } }, description: 'to no clinic, or to one without an opening date' },
  referralsToClinicOpenOrHere: {
    ...referral,
    where: (p) => ({ $or: [{ clinic: { openedOn: { $lte: p.to } } }, { clinic: { communeCode: '04001' } }] }),
    description: 'to a clinic open by the period end or one in 04001',
  },
});

const figures = defineFigures('clinic', {
  visits: { entity: Visit, period: 'visitedOn', description: 'Lượt khám: visits in the period' },
  urgentVisits: { entity: Visit, period: 'visitedOn', where: { urgent: true }, description: 'Lượt cấp cứu: urgent visits in the period' },
  personsVisited: {
    entity: Visit,
    period: 'visitedOn',
    aggregate: { countDistinct: 'citizenId' },
    smallCell: true,
    description: 'Người được khám: distinct persons visited in the period',
  },
  minutes: { entity: Visit, period: 'visitedOn', aggregate: { sum: 'minutes' }, type: Float, description: 'Số phút khám' },
  // The same table inside $exists: its rows need aliases of their own.
  personsEverUrgent: {
    entity: Visit,
    period: 'visitedOn',
    aggregate: { countDistinct: 'citizenId' },
    where: (p) => ({ $exists: { entity: Visit, match: { citizenId: 'citizenId' }, where: { urgent: true, visitedOn: { $lte: p.to } } } }),
    description: 'Người đã cấp cứu: distinct persons visited in the period who had an urgent visit (anywhere) by its end',
  },
  longestVisit: { entity: Visit, period: 'visitedOn', aggregate: { max: 'minutes' }, type: Float, on: 'commune', description: 'Lượt khám dài nhất' },
  notesOfVisits: { entity: VisitNote, where: (p) => ({ visit: { visitedOn: { $gte: p.from, $lte: p.to } } }), description: 'Ghi chú: notes of the visits of the period' },
  notesWritten: { entity: VisitNote, commune: 'communeCode', description: 'Ghi chú: notes by the commune where they were written' },
  clinics: {
    entity: Clinic,
    where: (p) => ({ $or: [{ openedOn: null }, { openedOn: { $lte: p.to } }] }),
    description: 'Phòng khám: clinics open by the period end',
    provinceDescription: 'Phòng khám: clinics of the province open by the period end',
  },
  mainBulletins: { entity: Bulletin, province: 'provinceCode', where: { main: true }, description: 'Bản tin chính (not period-dependent)' },
  communesWithClinic: { communesWith: 'clinics', description: 'Communes with a clinic open by the period end' },
  ...previous(['visits', 'personsVisited'], { tagOrder: 'reversed' }),
});

const CommunePeriod = communePeriodStub();
const ProvincePeriod = provincePeriodStub();

let orm: MikroORM;
let schema: GraphQLSchema;
const statements: Array<{ sql: string; params: unknown[] }> = [];
const log = createLogger('figures-test', 'silent');

beforeAll(async () => {
  const config = ormConfig({ database: { kind: 'sqlite', file: ':memory:' }, entities: [Visit, VisitNote, Clinic, Bulletin, Call, Referral], migrations: { sqlite: [], postgresql: [] } });
  orm = await MikroORM.init({ ...config, onQuery: (sql: string, params: readonly unknown[]) => (statements.push({ sql, params: [...params] }), sql) });
  await orm.schema.create();
  const em = orm.em.fork();
  await em.insertMany(KnownCommune, [
    { code: '04001', name: 'An', provinceCode: '04' },
    { code: '04002', name: 'Bình', provinceCode: '04' },
    { code: '04003', name: 'Cẩm', provinceCode: '04' },
    { code: '05001', name: 'Đông', provinceCode: '05' },
  ]);
  const visit = (id: number, communeCode: string, citizenId: string, visitedOn: string, urgent: boolean, minutes: number) => ({ id, communeCode, citizenId, visitedOn, urgent, minutes });
  await em.insertMany(Visit, [
    visit(1, '04001', 'A', '2025-01-10', true, 10),
    visit(2, '04001', 'A', '2025-02-10', false, 20),
    visit(3, '04001', 'B', '2024-11-05', false, 5),
    // A visits a second commune: one person in the province, one in each commune.
    visit(4, '04002', 'A', '2025-03-01', true, 30),
    visit(5, '04002', 'C', '2025-07-01', false, 15),
    visit(6, '05001', 'D', '2025-01-01', true, 50),
  ]);
  await em.insertMany(VisitNote, [
    { id: 1, visit: 1, communeCode: '04001' },
    // Written in 04001 about a visit in 04002: a 04001 officer does not see it.
    { id: 2, visit: 4, communeCode: '04001' },
    { id: 3, visit: 5, communeCode: '04002' },
  ]);
  await em.insertMany(Clinic, [
    { id: 1, communeCode: '04001', openedOn: null },
    { id: 2, communeCode: '04003', openedOn: '2025-06-01' },
  ]);
  // 2025, urgent / routine: 04001 3 / 6, 04002 10 / 0, 04003 12 / 20.
  const calls = Object.entries({ '04001': [3, 6], '04002': [10, 0], '04003': [12, 20] }).flatMap(([communeCode, [urgent, routine]]) => [
    ...Array.from({ length: urgent }, () => ({ communeCode, calledOn: '2025-05-01', urgent: true })),
    ...Array.from({ length: routine }, () => ({ communeCode, calledOn: '2025-06-01', urgent: false })),
  ]);
  await em.insertMany(Call, calls.map((c, i) => ({ id: i + 1, ...c })));
  // 04001: to no clinic, to clinic 1 (no opening date), to clinic 2 (opened 2025-06-01) in 2025 and in 2024.
  await em.insertMany(Referral, [
    { id: 1, communeCode: '04001', referredOn: '2025-02-01', clinic: null },
    { id: 2, communeCode: '04001', referredOn: '2025-03-01', clinic: 1 },
    { id: 3, communeCode: '04001', referredOn: '2025-04-01', clinic: 2 },
    { id: 4, communeCode: '04001', referredOn: '2024-04-01', clinic: 2 },
  ]);
  await em.insertMany(Bulletin, [
    { id: 1, provinceCode: '04', main: true },
    { id: 2, provinceCode: '04', main: false },
    { id: 3, provinceCode: '05', main: true },
  ]);
  schema = await buildFederatedSchema({
    resolvers: figures.resolvers(CommunePeriod, ProvincePeriod) as never,
    orphanedTypes: [CommunePeriod, ProvincePeriod],
    references: periodReferences(CommunePeriod, ProvincePeriod),
  });
});

afterAll(async () => {
  await orm?.close(true);
});

const COMMUNE_FIELDS = 'communeCode period visits urgentVisits personsVisited minutes personsEverUrgent longestVisit notesOfVisits notesWritten clinics visitsPrevious personsVisitedPrevious';
const PROVINCE_FIELDS = 'provinceCode period visits personsVisited personsEverUrgent minutes clinics mainBulletins communesWithClinic visitsPrevious';

/** `_entities` for places in periods as a caller with this area; the SQL it cost. */
async function ask(reps: Array<Record<string, string>>, area: { communes?: string[]; province?: string | null } = {}, provinceFields = PROVINCE_FIELDS) {
  const caller = { ...TEST_IDENTITY, communes: area.communes ?? [], province: area.province === undefined ? '04' : area.province, exp: Date.now() + 60_000 };
  const ctx = createRequestContext(orm, log, {}, caller);
  // The caller's area is resolved once per request (a province's communes): not counted here.
  await ctx.area.ready;
  statements.length = 0;
  const res = await graphql({
    schema,
    source: `query($r: [_Any!]!) { _entities(representations: $r) { ... on CommunePeriod { ${COMMUNE_FIELDS} } ... on ProvincePeriod { ${provinceFields} } } }`,
    variableValues: { r: reps },
    contextValue: ctx,
  });
  return { data: res.data?._entities as Array<Record<string, unknown>>, errors: res.errors ?? [], sql: [...statements] };
}

const commune = (communeCode: string, period: string) => ({ __typename: 'CommunePeriod', communeCode, period });
const province = (provinceCode: string, period: string) => ({ __typename: 'ProvincePeriod', provinceCode, period });

describe('declared figures', () => {
  test('every figure of every place and period asked for: one grouped statement per entity and kind of place', async () => {
    const { data, errors, sql } = await ask([commune('04001', '2025'), commune('04002', '2025'), commune('04001', '2025-Q1'), commune('04003', '2025-Q2'), province('04', '2025')]);
    expect(errors).toEqual([]);
    expect(data[0]).toEqual({
      communeCode: '04001', period: '2025',
      visits: 2, urgentVisits: 1, personsVisited: 1, personsEverUrgent: 1, minutes: 30, longestVisit: 20,
      notesOfVisits: 1, notesWritten: 2, clinics: 1,
      visitsPrevious: 1, personsVisitedPrevious: 1,
    });
    // C was never urgent; A was, in this commune.
    expect(data[1]).toMatchObject({ visits: 2, urgentVisits: 1, personsVisited: 2, personsEverUrgent: 1, minutes: 45, notesOfVisits: 2, notesWritten: 1, clinics: 0, visitsPrevious: 0 });
    // 2025-Q1: the previous period is 2024-Q4.
    expect(data[2]).toMatchObject({ visits: 2, visitsPrevious: 1 });
    // No rows: 0, and null for the largest value; a clinic opened inside the quarter counts.
    expect(data[3]).toMatchObject({ visits: 0, minutes: 0, longestVisit: null, clinics: 1 });
    expect(data[4]).toEqual({
      provinceCode: '04', period: '2025',
      // Person A visited two communes: one person in the province, not the sum of the communes' 1 + 2.
      visits: 4, personsVisited: 2, personsEverUrgent: 1, minutes: 75, clinics: 2, mainBulletins: 1, communesWithClinic: ['04001', '04003'], visitsPrevious: 1,
    });
    // Communes: Visit, VisitNote twice (two commune paths), Clinic; the province: Visit, Clinic, Bulletin; its communes with a clinic.
    expect(sql).toHaveLength(8);
    // On SQLite the periods are materialized in id order (the grouping then needs no sorter).
    const periods = / fp as materialized \(select \* from fp_rows order by fp_id\) /;
    expect(sql.every((s) => /^with fp_rows \(fp_id, fp_from, fp_to, fp_year\) as \(values \(\?, \?, \?, \?\)/.test(s.sql) && periods.test(s.sql) && / group by /.test(s.sql))).toBe(true);
    const provinceVisits = sql.find((s) => s.sql.includes('from `fig_visit` as e') && s.sql.includes('join `known_commune` as kc'))!;
    expect(provinceVisits.sql).toBe(
      'with fp_rows (fp_id, fp_from, fp_to, fp_year) as (values (?, ?, ?, ?), (?, ?, ?, ?)), fp as materialized (select * from fp_rows order by fp_id)' +
        ' select `kc`.`province_code` as place, fp.fp_id as pid,' +
        // Each aggregate filters on what its figure asks beyond the period test the `join fp` makes once.
        ' sum(`e`.`minutes`) as f0,' +
        // $exists: the same table again under an alias of its own, matched on the person, bounded by the period.
        ' count(distinct `e`.`citizen_id`) filter (where exists (select 1 from `fig_visit` as x1  where (`x1`.`citizen_id` = `e`.`citizen_id`) and ((`x1`.`urgent` = ?) and (`x1`.`visited_on` <= fp.fp_to)))) as f1,' +
        ' count(distinct `e`.`citizen_id`) as f2,' +
        ' count(*) as f3' +
        ' from `fig_visit` as e join `known_commune` as kc on `kc`.`code` = `e`.`commune_code`' +
        // The rows any figure keeps: all four share the period test, and visits keep every row that passes it.
        ' join fp on (`e`.`visited_on` >= fp.fp_from) and (`e`.`visited_on` <= fp.fp_to)' +
        // The caller holds province 04 but not 05: rows outside it are left out in SQL too.
        ' where `kc`.`province_code` in (?) and `e`.`commune_code` in (?)' +
        ' group by `kc`.`province_code`, fp.fp_id',
    );
    // The province's two periods (2025, and 2024 for visitsPrevious), the $exists constant in the select, then the places and the area.
    expect(provinceVisits.params).toEqual(['2025', '2025-01-01', '2025-12-31', 2025, '2024', '2024-01-01', '2024-12-31', 2024, true, ['04'], ['04001', '04002', '04003']]);
  });

  test("a province's distinct count alone: one subquery per period on SQLite (no sorter), the same persons, the area applied", async () => {
    const { data, errors, sql } = await ask([province('04', '2025'), province('04', '2024')], {}, 'provinceCode period personsVisited');
    expect(errors).toEqual([]);
    // 2025: A (in two communes) and C; 2024: B.
    expect(data).toEqual([
      { provinceCode: '04', period: '2025', personsVisited: 2 },
      { provinceCode: '04', period: '2024', personsVisited: 1 },
    ]);
    expect(sql).toHaveLength(1);
    expect(sql[0].sql).not.toContain(' group by ');
    expect(sql[0].sql).toContain('(select count(distinct `e`.`citizen_id`) from `fig_visit` as e join `known_commune` as kc');
    expect(sql[0].sql).toContain('from (select distinct `kc`.`province_code` as place from `known_commune` as kc where `kc`.`province_code` in (?)) as pl cross join fp');
    // The periods, the caller's communes (inside the subquery), the period test's constants (none), the provinces.
    expect(sql[0].params).toEqual(['2025', '2025-01-01', '2025-12-31', 2025, '2024', '2024-01-01', '2024-12-31', 2024, ['04001', '04002', '04003'], ['04']]);
  });

  test('the same shape again is the same statement text; other places and periods are only other parameters', async () => {
    const first = (await ask([commune('04001', '2025')])).sql;
    const second = (await ask([commune('04002', '2024')])).sql;
    expect(second.map((s) => s.sql).sort()).toEqual(first.map((s) => s.sql).sort());
    expect(second.map((s) => s.params)).not.toEqual(first.map((s) => s.params));
  });

  test('the published fields: scopes as tags, small-cell on counts of persons, previous variants, province-only ones', () => {
    const sdl = printSdl(schema);
    const field = (type: string, name: string) => new RegExp(`type ${type}\\b[^}]*\\n  ${name}: ([^\\n]*)`).exec(sdl)?.[1] ?? null;
    expect(field('CommunePeriod', 'personsVisited')).toBe('Int @tag(name: "scope:aggregate:read") @tag(name: "scope:clinic:read") @tag(name: "small-cell")');
    expect(field('CommunePeriod', 'visits')).toBe('Int @tag(name: "scope:aggregate:read") @tag(name: "scope:clinic:read")');
    expect(field('CommunePeriod', 'minutes')).toBe('Float @tag(name: "scope:aggregate:read") @tag(name: "scope:clinic:read")');
    expect(field('ProvincePeriod', 'personsVisitedPrevious')).toBe('Int @tag(name: "small-cell") @tag(name: "scope:clinic:read") @tag(name: "scope:aggregate:read")');
    expect(field('ProvincePeriod', 'communesWithClinic')).toBe('[String!] @tag(name: "scope:aggregate:read") @tag(name: "scope:clinic:read")');
    expect(field('ProvincePeriod', 'longestVisit')).toBeNull();
    expect(field('CommunePeriod', 'mainBulletins')).toBeNull();
    expect(field('CommunePeriod', 'communesWithClinic')).toBeNull();
    expect(sdl).toMatch(/Lượt khám: visits in the period — in the previous period of the same length\s*"""\s*visitsPrevious: Int/);
    expect(sdl).toMatch(/Phòng khám: clinics of the province open by the period end\s*"""\s*clinics: Int/);
    // In declaration order.
    const communeFields = /type CommunePeriod[^{]*\{([^}]*)\}/.exec(sdl)![1].match(/^  \w+(?=:)/gm)!.map((s) => s.trim());
    expect(communeFields).toEqual(COMMUNE_FIELDS.split(' '));
  });
});

describe('the caller’s area', () => {
  test('a commune outside the area is FORBIDDEN, OUTSIDE_AREA; the own commune is answered, rows of other areas left out', async () => {
    const { data, errors } = await ask([commune('04001', '2025'), commune('04002', '2025')], { communes: ['04001'], province: null });
    expect(data[0]).toMatchObject({ visits: 2, notesOfVisits: 1, clinics: 1 });
    // Note 2 is counted where it was written (04001) but belongs to its visit's commune (04002).
    expect(data[0].notesWritten).toBe(1);
    expect(Object.entries(data[1]).filter(([, v]) => v !== null)).toEqual([['communeCode', '04002'], ['period', '2025']]);
    expect(errors.length).toBe(COMMUNE_FIELDS.split(' ').length - 2);
    expect(errors.every((e) => e.extensions.code === 'FORBIDDEN' && e.extensions.reason === 'OUTSIDE_AREA')).toBe(true);
    expect(errors[0].message).toBe('Forbidden: commune 04002 is outside your area (địa bàn)');
  });

  test('a province’s figures need the whole province', async () => {
    const some = await ask([province('04', '2025')], { communes: ['04001', '04002', '04003'], province: null });
    expect(Object.entries(some.data[0]).filter(([, v]) => v !== null)).toEqual([['provinceCode', '04'], ['period', '2025']]);
    expect(some.errors[0].message).toBe('Forbidden: province 04 is outside your area (địa bàn)');
    expect(some.errors[0].extensions.reason).toBe('OUTSIDE_AREA');
    expect(some.sql).toEqual([]);
    const whole = await ask([province('04', '2025')], { province: '04' });
    expect(whole.errors).toEqual([]);
    expect(whole.data[0]).toMatchObject({ visits: 4, mainBulletins: 1 });
  });
});

describe('declarations', () => {
  test('a variant of an unknown figure, or a commune list of a province figure, stops the subgraph from starting', () => {
    expect(() => defineFigures('x', { ...previous(['nothing']) })).toThrow(/x field nothingPrevious: no figure nothing/);
    expect(() =>
      defineFigures('x', { outlets: { entity: Bulletin, province: 'provinceCode', description: 'd' }, withOutlets: { communesWith: 'outlets', description: 'd' } }),
    ).toThrow(/not counted per commune/);
    expect(() => defineFigures('x', { top: { entity: Visit, aggregate: { max: 'minutes' }, description: 'd' } })).toThrow(/GraphQL type/);
  });
});

describe('figures related by an identity (calls = urgent + routine)', () => {
  /** Every commune's and the province's 2025 calls as a caller who may not see small cells. */
  async function read(relations: boolean, fields = 'calls urgentCalls routineCalls') {
    const set = callFigures(relations);
    const callSchema = await buildFederatedSchema({ resolvers: set.resolvers(CommunePeriod, ProvincePeriod) as never, orphanedTypes: [CommunePeriod, ProvincePeriod], references: periodReferences(CommunePeriod, ProvincePeriod) });
    const ctx = createRequestContext(orm, log, {}, { ...TEST_IDENTITY, scopes: ['aggregate:read'], province: '04', exp: Date.now() + 60_000 });
    await ctx.area.ready;
    statements.length = 0;
    const places = [commune('04001', '2025'), commune('04002', '2025'), commune('04003', '2025'), province('04', '2025')];
    const res = await graphql({
      schema: callSchema,
      source: `query($r: [_Any!]!) { _entities(representations: $r) { ... on CommunePeriod { ${fields} } ... on ProvincePeriod { ${fields} } } }`,
      variableValues: { r: places },
      contextValue: ctx,
    });
    expect(res.errors).toBeUndefined();
    const rows = res.data!._entities as Array<Record<string, number | null>>;
    return { rows: Object.fromEntries(['04001', '04002', '04003', 'P'].map((p, i) => [p, rows[i]])), sql: [...statements] };
  }

  test('without the relation, 04001’s 3 urgent calls are its calls minus its routine ones', async () => {
    const { rows } = await read(false);
    expect(rows['04001']).toEqual({ calls: 9, urgentCalls: null, routineCalls: 6 });
    expect(rows['04001'].calls! - rows['04001'].routineCalls!).toBe(3);
  });

  test('with it, the relation and the province groups settle together: no cell is a total minus what is shown; one statement', async () => {
    const { rows, sql } = await read(true);
    // 04001 urgent (3) is small; the province group takes 04002 urgent (10); the relation of 04001
    // takes its routine (6), that of 04002 (routine 0) its total (10); the province groups of calls
    // and routine calls then take 04001 calls and 04003 routine; 04003's relation its urgent.
    expect(rows).toEqual({
      '04001': { calls: null, urgentCalls: null, routineCalls: null },
      '04002': { calls: null, urgentCalls: null, routineCalls: 0 },
      '04003': { calls: 32, urgentCalls: null, routineCalls: null },
      P: { calls: 51, urgentCalls: 25, routineCalls: 26 },
    });
    const groups = ['04001', '04002', '04003'].map((c) => [rows[c].calls, rows[c].urgentCalls, rows[c].routineCalls]);
    for (const g of groups) expect(g.filter((v) => v === null).length).not.toBe(1);
    for (const f of ['calls', 'urgentCalls', 'routineCalls']) expect(['04001', '04002', '04003'].filter((c) => rows[c][f] === null).length).not.toBe(1);
    expect(sql.filter((s) => /fig_call/.test(s.sql))).toHaveLength(1);
  });

  test('one figure asked alone gets the cells its relation withholds: the related figures are read with it', async () => {
    const { rows } = await read(true, 'urgentCalls');
    expect(Object.values(rows).map((r) => r.urgentCalls)).toEqual([null, null, null, 25]);
    const set = callFigures(true);
    expect(set.relatedTo('urgentCalls')).toEqual(['calls', 'routineCalls', 'urgentCalls']);
    expect(set.relatedTo('visits')).toEqual(['visits']);
  });

  test('a relation over an unknown figure, a figure not counting persons or other rows stops the subgraph from starting', () => {
    const call = (where: Record<string, unknown>, more: object = {}) => ({ entity: Call, period: 'calledOn', where, smallCell: true, description: 'd', ...more });
    expect(() => defineFigures('x', { a: call({}) }, { relations: [{ total: 'a', parts: ['b'] }] })).toThrow(/no figure b/);
    expect(() => defineFigures('x', { a: call({}), b: call({}, { smallCell: false }) }, { relations: [{ total: 'a', parts: ['b'] }] })).toThrow(/not a small-cell count/);
    expect(() => defineFigures('x', { a: call({}), b: { ...call({}), entity: Visit, period: 'visitedOn' } }, { relations: [{ total: 'a', parts: ['b'] }] })).toThrow(/counts other rows/);
    expect(() => defineFigures('x', { a: call({}), b: call({}, { atPeriodEnd: true }) }, { relations: [{ total: 'a', parts: ['b'] }] })).toThrow(/period end/);
  });
});

describe('joined rows', () => {
  /** 04001's 2025 referral figures, asked as `fields`; the statement that read them. */
  async function read(fields: string) {
    const refSchema = await buildFederatedSchema({ resolvers: referralFigures.resolvers(CommunePeriod, ProvincePeriod) as never, orphanedTypes: [CommunePeriod, ProvincePeriod], references: periodReferences(CommunePeriod, ProvincePeriod) });
    const ctx = createRequestContext(orm, log, {}, { ...TEST_IDENTITY, province: '04', exp: Date.now() + 60_000 });
    await ctx.area.ready;
    statements.length = 0;
    const res = await graphql({
      schema: refSchema,
      source: `query($r: [_Any!]!) { _entities(representations: $r) { ... on CommunePeriod { ${fields} } } }`,
      variableValues: { r: [commune('04001', '2025')] },
      contextValue: ctx,
    });
    expect(res.errors).toBeUndefined();
    const sql = statements.filter((s) => s.sql.includes('fig_referral'));
    expect(sql).toHaveLength(1);
    return { row: (res.data!._entities as Array<Record<string, number>>)[0], sql: sql[0].sql };
  }
  const EXPECTED = { referrals: 3, referralsToOpenedClinic: 1, referralsWithoutOpening: 2, referralsToClinicOpenOrHere: 2 };

  test('a joined row every figure of the statement needs is an inner join (the database may start from it); same counts', async () => {
    for (const field of ['referralsToOpenedClinic', 'referralsToClinicOpenOrHere'] as const) {
      const { row, sql } = await read(field);
      expect(row).toEqual({ [field]: EXPECTED[field] });
      expect(sql).toContain(' from `fig_referral` as e join `fig_clinic` as j1 on `j1`.`id` = `e`.`clinic_id`');
      // One figure, one condition: the join keeps only its rows, so its count needs no filter.
      expect(sql).toContain(' count(*) as f0 from ');
      expect(sql).not.toContain('filter (where');
    }
  });

  test('the conditions of a statement\'s figures are joined with what they share said once; same counts', async () => {
    const { row, sql } = await read('referralsToOpenedClinic referralsToClinicOpenOrHere');
    expect(row).toEqual({ referralsToOpenedClinic: 1, referralsToClinicOpenOrHere: 2 });
    const on = sql.slice(sql.indexOf(' join fp on '), sql.indexOf(' where '));
    // The period test once, then either figure's own condition; both need a clinic, so it is an inner join.
    expect(on.match(/`e`.`referred_on` >= fp.fp_from/g)).toHaveLength(1);
    expect(on).toBe(' join fp on (`e`.`referred_on` >= fp.fp_from) and (`e`.`referred_on` <= fp.fp_to) and (((`j1`.`opened_on` <= fp.fp_to) or (`j1`.`commune_code` = ?)) or (`j1`.`opened_on` is not null))');
    expect(sql).toContain(' from `fig_referral` as e join `fig_clinic` as j1');
    // Two conditions: each count keeps its own rows, tested for its own condition only (the join tested the period).
    expect(sql.match(/count\(\*\) filter \(where /g)).toHaveLength(2);
    expect(sql.match(/`e`.`referred_on` >= fp.fp_from/g)).toHaveLength(1);
  });

  test('a left join where a figure counts rows without it: `is null`, or a figure of the same statement that needs no clinic', async () => {
    for (const fields of ['referralsWithoutOpening', 'referrals referralsToOpenedClinic', Object.keys(EXPECTED).join(' ')]) {
      const { row, sql } = await read(fields);
      expect(row).toEqual(Object.fromEntries(fields.split(' ').map((f) => [f, EXPECTED[f as keyof typeof EXPECTED]])));
      expect(sql).toContain(' from `fig_referral` as e left join `fig_clinic` as j1 on `j1`.`id` = `e`.`clinic_id`');
    }
  });
});
