import { describe, expect, test } from '@jest/globals';
import { checkCitizenIdArgument, checkCommuneCodeArgument, given, intArgument } from './arguments.js';
import { loadSubgraphConfig } from './config.js';
import { backoffDelay, describeDatabase } from './database.js';
import { checkPage } from './pagination.js';
import { parsePeriod, periodBounds, previousPeriod } from './period.js';
import { syntheticProvince } from './synthetic/province.js';

describe('subgraph configuration', () => {
  test('defaults to a SQLite file per subgraph', () => {
    const c = loadSubgraphConfig('legal-aid', {});
    expect(c.database).toEqual({ kind: 'sqlite', file: 'data/legal-aid.sqlite' });
    expect(c.port).toBe(4005);
  });

  test('PCMT_POSTGRES_URL gives each subgraph its own database; a subgraph URL wins', () => {
    const shared = loadSubgraphConfig('legal-aid', { PCMT_POSTGRES_URL: 'postgresql://postgres@db:5432' });
    expect(shared.database).toMatchObject({ kind: 'postgresql', dbName: 'pcmt_legal_aid', url: 'postgresql://postgres@db:5432/pcmt_legal_aid' });
    const own = loadSubgraphConfig('legal-aid', { PCMT_POSTGRES_URL: 'postgresql://x@db', LEGAL_AID_DATABASE_URL: 'postgresql://y@db2/aid' });
    expect(own.database).toMatchObject({ kind: 'postgresql', dbName: 'aid' });
  });

  test('start-up waits for the database 60 s and shutdown for running requests 10 s, unless told otherwise', () => {
    expect(loadSubgraphConfig('police', {})).toMatchObject({ connectTimeoutMs: 60_000, shutdownGraceMs: 10_000 });
    expect(loadSubgraphConfig('police', { DATABASE_CONNECT_TIMEOUT_MS: '1500', SHUTDOWN_GRACE_MS: '0' })).toMatchObject({ connectTimeoutMs: 1_500, shutdownGraceMs: 0 });
    expect(() => loadSubgraphConfig('police', { SHUTDOWN_GRACE_MS: '-1' })).toThrow(/SHUTDOWN_GRACE_MS/);
    expect(() => loadSubgraphConfig('police', { DATABASE_CONNECT_TIMEOUT_MS: 'soon' })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS/);
  });

  test('an unreachable database is retried after 0.5 s, doubling to 8 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffDelay)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  test('a database is named in messages without its password', () => {
    const { database } = loadSubgraphConfig('legal-aid', { LEGAL_AID_DATABASE_URL: 'postgresql://aid:s3cret@db.example:6543/aid' });
    expect(describeDatabase(database)).toBe('PostgreSQL database aid on db.example:6543 as aid');
    expect(describeDatabase(loadSubgraphConfig('legal-aid', {}).database)).toBe('SQLite file data/legal-aid.sqlite');
  });

  test('rejects a malformed setting with the variable named', () => {
    expect(() => loadSubgraphConfig('police', { POLICE_PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadSubgraphConfig('police', { DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgresql/);
  });
});

describe('page and period arguments', () => {
  test('page size is bounded', () => {
    expect(checkPage({ first: 10, offset: 5 })).toEqual({ limit: 10, offset: 5 });
    expect(() => checkPage({ first: 0 })).toThrow(/first/);
    expect(() => checkPage({ first: 501 })).toThrow(/first/);
    expect(() => checkPage({ offset: -1 })).toThrow(/offset/);
  });

  test('a year becomes inclusive bounds; contradictions are refused', () => {
    expect(periodBounds({ year: 2025 })).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(() => periodBounds({ year: 2025, from: '2025-02-01' })).toThrow(/either year/);
    expect(() => periodBounds({ from: '2025-03-01', to: '2025-02-01' })).toThrow(/after/);
  });
});

describe('reporting periods', () => {
  test('years, quarters and months become inclusive date ranges', () => {
    expect(parsePeriod('2025')).toMatchObject({ kind: 'YEAR', from: '2025-01-01', to: '2025-12-31' });
    expect(parsePeriod('2024-Q1')).toMatchObject({ kind: 'QUARTER', from: '2024-01-01', to: '2024-03-31' });
    expect(parsePeriod('2024-02')).toMatchObject({ kind: 'MONTH', from: '2024-02-01', to: '2024-02-29' });
    for (const bad of ['25', '2025-Q5', '2025-13', '2025-1', 'năm 2025']) expect(() => parsePeriod(bad)).toThrow(/period must be/);
  });

  test('the previous period has the same length', () => {
    expect(previousPeriod('2025')).toBe('2024');
    expect(previousPeriod('2025-Q1')).toBe('2024-Q4');
    expect(previousPeriod('2025-Q3')).toBe('2025-Q2');
    expect(previousPeriod('2025-01')).toBe('2024-12');
    expect(previousPeriod('2025-10')).toBe('2025-09');
  });
});

describe('synthetic province', () => {
  test('same seed, same province; another seed, another province', () => {
    const a = syntheticProvince({ seed: 3, scale: 0.05 });
    const b = syntheticProvince({ seed: 3, scale: 0.05 });
    const c = syntheticProvince({ seed: 4, scale: 0.05 });
    expect(b).toEqual(a);
    expect(c.persons.map((p) => p.citizenId)).not.toEqual(a.persons.map((p) => p.citizenId));
  });

  test('links are consistent across agencies', () => {
    const p = syntheticProvince({ seed: 5, scale: 0.1 });
    const ids = new Set(p.persons.map((x) => x.citizenId));
    const communes = new Set(p.communes.map((x) => x.code));
    const cases = new Set(p.cases.map((x) => x.id));
    expect(ids.size).toBe(p.persons.length);
    expect(p.persons.every((x) => /^\d{12}$/.test(x.citizenId) && communes.has(x.communeCode))).toBe(true);
    expect(p.managed.every((m) => ids.has(m.citizenId))).toBe(true);
    expect(p.methadone.every((m) => p.managed.some((x) => x.citizenId === m.citizenId && x.category === 'ADDICT'))).toBe(true);
    expect(p.cases.flatMap((c) => c.suspects).every((s) => ids.has(s.citizenId))).toBe(true);
    expect(p.seizures.every((s) => s.handedOverCaseId === null || cases.has(s.handedOverCaseId))).toBe(true);
    expect(p.legalAid.every((r) => ids.has(r.citizenId) && (r.drugCaseId === null || cases.has(r.drugCaseId)))).toBe(true);
  });

  test('scale multiplies the province', () => {
    const one = syntheticProvince({ scale: 0.1 });
    const two = syntheticProvince({ scale: 0.2 });
    expect(two.managed.length).toBe(2 * one.managed.length);
    expect(two.communes.length).toBe(2 * one.communes.length);
    expect(() => syntheticProvince({ scale: 0 })).toThrow(/scale/);
  });
});

describe('query arguments', () => {
  test('are refused at once, the argument named; absent optional ones pass', () => {
    expect(() => checkCommuneCodeArgument('123')).toThrow('communeCode must be 5 digits');
    expect(() => checkCitizenIdArgument('0040')).toThrow('citizenId must be 12 digits');
    expect(() => checkCommuneCodeArgument(undefined)).not.toThrow();
    expect(() => intArgument('0', 'campaignId')).toThrow('campaignId must be a positive integer');
    expect(intArgument('12')).toBe(12);
    expect(given({ status: 'ACTIVE', communeCode: undefined, kind: null })).toEqual({ status: 'ACTIVE' });
  });
});
