import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { program } from './index.js';
import { INDICATORS, statusOf } from './indicators.js';
import { periodRange } from './periods.js';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(program, syntheticProvince({ seed: 3, scale: 0.05 }));
});

afterAll(async () => {
  await subgraph?.close();
});

const byId = (id: string) => INDICATORS.find((d) => d.id === id)!;

describe('indicator computations', () => {
  test('ratios, changes and caps', () => {
    expect(byId('b1').compute({ hotspotsDismantled: 3, hotspotsDetected: 4 })).toEqual({ value: 75, numerator: 3, denominator: 4 });
    expect(byId('b1').compute({ hotspotsDismantled: 5, hotspotsDetected: 4 })?.value).toBe(100);
    expect(byId('b1').compute({ hotspotsDismantled: 0, hotspotsDetected: 0 })).toBeNull();
    expect(byId('a').compute({ managedUsers: 40, managedAddicts: 50, managedUsersPrevious: 50, managedAddictsPrevious: 50 })?.value).toBe(-10);
    expect(byId('border').compute({ borderSeizedKg: 70, policeSeizedKg: 30 })?.value).toBe(70);
    expect(byId('e').compute({ communesWithAddicts: ['1', '2', '3', '4'], communesWithRehabReceptionPoint: ['2', '3', '4', '9'] })?.value).toBe(75);
    expect(byId('outside').compute({ personsInFacilityRehab: 10, managedAddicts: 80 })?.value).toBe(87.5);
    expect(byId('h').compute({ servedLegalAidRequests: 3 })).toBeNull();
  });

  test('status: met, on track against the line from baseline to target, off track, no data', () => {
    const f1 = byId('f1'); // baseline 11.8 % in 2023, target 50 % by 2025
    expect(statusOf(f1, 55, '2025-12-31')).toBe('MET');
    expect(statusOf(f1, 35, '2024-12-31')).toBe('ON_TRACK'); // line at 2024: 30.9 %
    expect(statusOf(f1, 25, '2024-12-31')).toBe('OFF_TRACK');
    expect(statusOf(f1, 45, '2025-12-31')).toBe('OFF_TRACK'); // deadline reached
    expect(statusOf(byId('a'), -7, '2025-12-31')).toBe('MET'); // at most −5 %
    expect(statusOf(byId('a'), 2, '2025-12-31')).toBe('OFF_TRACK');
    expect(statusOf(byId('h'), null, '2025-12-31')).toBe('NO_DATA');
  });

  test('period ranges for trends', () => {
    expect(periodRange('2024-Q3', '2025-Q2')).toEqual(['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
    expect(() => periodRange('2025', '2025-Q1')).toThrow(/same kind/);
  });
});

describe('indicators through the subgraph', () => {
  test('the catalogue is in the database with targets and sources', async () => {
    const res = await postGraphql(subgraph.url, '{ indicators { id nameVi target deadline source levels } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.indicators.map((i: any) => i.id).sort()).toEqual(INDICATORS.map((d) => d.id).sort());
    for (const i of res.data.indicators) expect(i.source.length).toBeGreaterThan(5);
  });

  test('a commune period computes its indicators from the figures federation brings in', async () => {
    const rep = { __typename: 'CommunePeriod', communeCode: '01000', period: '2025', hotspotsDetected: 4, hotspotsDismantled: 3, schools: 2, schoolsReached: 2, eligibleLegalAidRequests: 0, servedLegalAidRequests: 0 };
    const res = await postGraphql(subgraph.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on CommunePeriod { indicators { indicator { id } value status target } } } }', { r: [rep] });
    expect(res.errors).toBeUndefined();
    const values = Object.fromEntries(res.data._entities[0].indicators.map((v: any) => [v.indicator.id, v]));
    expect(values.b1).toMatchObject({ value: 75, status: 'OFF_TRACK', target: 100 });
    expect(values.g1).toMatchObject({ value: 100, status: 'MET' });
    expect(values.h).toMatchObject({ value: null, status: 'NO_DATA' });
    // Province-only indicators are not computed for a commune.
    expect(values.g3).toBeUndefined();
  });

  test('a malformed period is refused', async () => {
    const res = await postGraphql(subgraph.url, '{ commune(code: "01000") { period(period: "2025-13") { communeCode } } }');
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });
});
