import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from './harness.js';

// SQL statements each subgraph runs for the dashboard's registered operations, as role `dashboard`.
// A correctness check, not a timing: the figures of every place and period asked for in one request
// are computed by a few grouped statements per agency, so these ceilings fail when that regresses.

let fed: TestFederation;

beforeAll(async () => {
  fed = await startTestFederation();
});

afterAll(async () => {
  await fed?.close();
});

const SUBGRAPHS = ['police', 'health', 'education', 'customs', 'legal-aid', 'program'] as const;
type Counts = Record<(typeof SUBGRAPHS)[number], number>;

async function statementsFor(operation: string, variables: Record<string, unknown>, gatewayUrl?: string): Promise<Counts> {
  fed.resetStatements();
  const res = await fed.run('dashboard', operation, variables, { gatewayUrl });
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return Object.fromEntries(SUBGRAPHS.map((name) => [name, fed.services.get(name)!.queries.total])) as Counts;
}

/**
 * Measured before the figures moved to the kit: one statement per figure and period, an IN list
 * of every commune, province figures summed from the communes in JS.
 */
const BEFORE: Record<string, Counts> = {
  DashboardProvince: { police: 112, health: 62, education: 26, customs: 8, 'legal-aid': 14, program: 5 },
  DashboardCommunes: { police: 19, health: 7, education: 4, customs: 1, 'legal-aid': 2, program: 3 },
  DashboardCommune: { police: 91, health: 42, education: 16, customs: 7, 'legal-aid': 12, program: 4 },
};

/**
 * One statement per entity and kind of place (commune, province, the communes of a province) in
 * each request a subgraph gets; the gateway sends a subgraph one request for `period` and `periods`
 * together (fetch batching: the entity fetches of one plan step to one subgraph go as one call).
 */
// Issue 13 raised police, health, customs and legal-aid: each agency's first and last record (periods
// outside them are NO_DATA), opioid assessments (i1) and customs seizures (d1) are read too.
const CEILINGS: Record<string, Counts> = {
  // program: + the plan targets of the place's province and the agencies' reporting completeness (issue 13);
  // + the dashboard showing completeness beside the figures: the province's communes and their closures (2), a commune's closures (1).
  // + whether the province has a land-border commune (the land-border share applies only there): one count in each of the two requests.
  // education: + the attendance lists (g2 counts workers as persons), one entity more per request.
  // Issue 14: `period` and `periods` in one call per subgraph (fetch batching): each figure statement
  // once; figures that name no period (registers, first and last record) in a statement of their own
  // per source (+1 or 2 an agency), no longer joined with every period (dashboard SQL 374 → 275 ms).
  DashboardProvince: { police: 10, health: 9, education: 7, customs: 3, 'legal-aid': 2, program: 9 },
  DashboardCommunes: { police: 7, health: 8, education: 5, customs: 2, 'legal-aid': 2, program: 6 },
  DashboardCommune: { police: 7, health: 8, education: 5, customs: 3, 'legal-aid': 2, program: 7 },
};

async function checkStatements(operation: string, variables: Record<string, unknown>): Promise<void> {
  const counts = await statementsFor(operation, variables);
  console.log(`SQL statements for ${operation}, before → now: ${SUBGRAPHS.map((s) => `${s} ${BEFORE[operation][s]} → ${counts[s]}`).join(', ')}`);
  for (const s of SUBGRAPHS) expect([s, counts[s]]).toEqual([s, Math.min(counts[s], CEILINGS[operation][s])]);
}

describe('statements per dashboard operation', () => {
  test('control: with SUBGRAPH_BATCH_FETCHES=off, period and periods are fetched apart and every figure statement runs twice', async () => {
    const variables = { province: fed.province.province.code, period: '2025', from: '2021', to: '2025' };
    const off = await fed.startReplica({ subgraphs: { defaults: { ...fed.gateway.traffic.of('police').limits, batchFetches: false }, overrides: {} } });
    const on = await statementsFor('DashboardProvince', variables);
    const apart = await statementsFor('DashboardProvince', variables, off.url);
    console.log(`DashboardProvince statements, batched → apart: ${SUBGRAPHS.map((s) => `${s} ${on[s]} → ${apart[s]}`).join(', ')}`);
    for (const s of ['police', 'health', 'education'] as const) expect(apart[s]).toBeGreaterThan(on[s]);
  });

  test('DashboardProvince: the province this year and a five-year trend', async () => {
    await checkStatements('DashboardProvince', { province: fed.province.province.code, period: '2025', from: '2021', to: '2025' });
  });

  test('DashboardCommunes: every commune of the province this year', async () => {
    await checkStatements('DashboardCommunes', { province: fed.province.province.code, period: '2025' });
  });

  test('DashboardCommune: one commune this year and a five-year trend', async () => {
    await checkStatements('DashboardCommune', { code: fed.province.communes[0].code, period: '2025', from: '2021', to: '2025' });
  });
});
