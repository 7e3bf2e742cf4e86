import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { AuditEntry } from '@pcmt/gateway';
import { startTestFederation, type TestFederation } from './harness.js';
import { metric, metricsOf, TEST_METRICS_TOKEN } from './resilience/proxy.js';

/**
 * Issue 14: the audit's person key only where it is needed. `npm run bench:peers`'s "persons × 4
 * agencies" read, as its caller (every agency's officer, ad hoc): the subgraph calls and SQL
 * statements it costs, with the person key the caller selected and without it (then the gateway adds
 * a hidden one), and the audit entry each leaves. Counts, not timings: ceilings that fail if the
 * audit's keys ever cost a fetch or a statement again.
 */
let fed: TestFederation;
const SUBGRAPHS = ['police', 'health', 'customs', 'legal-aid', 'education', 'program', 'border-guard'] as const;
const PURPOSE = 'đối chiếu hồ sơ';
const withPurpose = { 'x-pcmt-purpose': encodeURIComponent(PURPOSE) };
/** A person's records in each of four agencies. */
const AGENCIES = 'managementFiles { category } methadoneEnrollments { status } legalAidRequests { status } seizuresAsSuspect { id }';
/** The bench's query (scripts/bench-peers.ts). */
const PERSONS = `{ persons(first: 500) { items { citizenId fullName ${AGENCIES} } } }`;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 47, scale: 0.15, env: { METRICS_TOKEN: TEST_METRICS_TOKEN } });
});

afterAll(async () => {
  await fed?.close();
});

/** The bench's caller: a lab identity holding every agency's officer role, with ad-hoc rights. */
const benchCaller = () =>
  fed.token({ sub: `bench-${randomUUID()}`, agency: 'program', roles: ['police-officer', 'health-officer', 'customs-officer', 'legal-aid-officer'], scopes: ['operations:adhoc'] });

type Work = { data?: any; errors?: any[]; fetches: Record<string, number>; statements: number; entries: AuditEntry[] };

/** One read: its answer, the calls the gateway made to each subgraph, the SQL they ran, the audit entries it appended. */
async function measured(query: string, token: string): Promise<Work> {
  const calls = async () => {
    const text = await metricsOf(fed.gateway.url);
    return Object.fromEntries(SUBGRAPHS.map((s) => [s, metric(text, 'pcmt_gateway_subgraph_requests_total', { subgraph: s, outcome: 'ok' }) || 0]));
  };
  const auditBefore = (await fed.gateway.audit.all()).length;
  const before = await calls();
  fed.resetStatements();
  const result = await fed.query(query, {}, { token, headers: withPurpose });
  const statements = fed.statements();
  const after = await calls();
  const fetches = Object.fromEntries(SUBGRAPHS.map((s) => [s, after[s] - before[s]]).filter(([, n]) => n !== 0));
  return { ...result, fetches, statements, entries: (await fed.gateway.audit.all()).slice(auditBefore) };
}

/** One fetch per agency the read crosses: the police page, then each agency's records of those persons. */
const ONE_EACH = { police: 1, health: 1, customs: 1, 'legal-aid': 1 };
/** SQL statements of the read (at this seed and scale, measured: police 3, health 1, customs 2, legal aid 1). */
const STATEMENT_CEILING = 7;

describe('the audit\'s person key costs no fetch and no statement', () => {
  test('persons × 4 agencies with the person key selected: one fetch per agency, the entry names the whole page', async () => {
    const work = await measured(PERSONS, await benchCaller());
    expect(work.errors).toBeUndefined();
    const ids: string[] = work.data.persons.items.map((p: { citizenId: string }) => p.citizenId);
    expect(ids.length).toBeGreaterThan(100);
    console.log(`persons × 4 agencies (${ids.length} persons): fetches ${JSON.stringify(work.fetches)}, ${work.statements} SQL statements`);
    expect(work.fetches).toEqual(ONE_EACH);
    expect(work.statements).toBe(Math.min(work.statements, STATEMENT_CEILING));
    // Complete: every person of the page, though no hidden key was added (the caller's own was read).
    expect(work.entries).toHaveLength(1);
    expect(work.entries[0].persons).toEqual([...new Set(ids)].sort());
    expect(work.entries[0].fields).toEqual(expect.arrayContaining(['Person.fullName', 'Person.managementFiles', 'Person.seizuresAsSuspect']));
    expect(JSON.stringify(work.data)).not.toContain('__pcmt');
  });

  test('without the person key selected: the hidden key rides on the police fetch, the same page is named, nothing of it is answered', async () => {
    const token = await benchCaller();
    const keyed = await measured(PERSONS, token);
    const unkeyed = await measured(`{ persons(first: 500) { items { fullName ${AGENCIES} } } }`, token);
    expect(unkeyed.errors).toBeUndefined();
    expect(unkeyed.fetches).toEqual(ONE_EACH);
    expect(unkeyed.statements).toBe(Math.min(unkeyed.statements, STATEMENT_CEILING));
    expect(unkeyed.entries).toHaveLength(1);
    expect(unkeyed.entries[0].persons).toEqual(keyed.entries[0].persons);
    expect(unkeyed.data.persons.items[0]).not.toHaveProperty('citizenId');
    expect(JSON.stringify(unkeyed.data)).not.toContain('__pcmt');
  });

  test('control: the same page with nothing sensitive read is one police fetch and no entry', async () => {
    const work = await measured('{ persons(first: 500) { items { citizenId } } }', await benchCaller());
    expect(work.errors).toBeUndefined();
    expect(work.fetches).toEqual({ police: 1 });
    expect(work.entries).toHaveLength(0);
  });
});
