import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createSubgraphService, isSmallCell, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, TEST_IDENTITY, testDatabase, type TestSubgraph } from '@pcmt/kit/testing';
import { EligibilityGroup, LEGAL_AID_LIFECYCLE, LegalAidProvider, LegalAidRequest, LegalAidStatus, LegalAidStatusChange, SERVED_STATUSES } from './entities.js';
import { legalAid } from './index.js';

// Scale 0.25: ~80 requests over ~38 communes, enough for several per commune.
const province = syntheticProvince({ seed: 7, scale: 0.25 });
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(legalAid, province);
  ({ service, url } = subgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

const sql = async (query: string, params: unknown[] = []) => service.orm.em.fork().getConnection().execute(query, params);

describe('legal-aid subgraph', () => {
  test('seeds exactly one row per synthetic request, refusing the ineligible', async () => {
    const [{ n }] = await sql('select count(*) as n from legal_aid_request');
    expect(Number(n)).toBe(province.legalAid.length);
    const [{ bad }] = await sql(
      `select count(*) as bad from legal_aid_request
       where (eligibility_group = 'NOT_ELIGIBLE' and status <> 'REFUSED')
          or ((status = 'REFUSED') <> (refusal_reason is not null))
          or ((status = 'COMPLETED') <> (outcome is not null))`,
    );
    expect(Number(bad)).toBe(0);
  });

  test('seeding is deterministic', async () => {
    const again = await testDatabase('legal-aid');
    const other = await createSubgraphService(legalAid, { database: again.target, logLevel: 'silent' });
    try {
      await other.migrate();
      await other.seed(province);
      const dump = async (s: SubgraphService) =>
        s.orm.em.fork().getConnection().execute('select id, eligibility_group, status, service_form, provider, completed_on, outcome from legal_aid_request order by id');
      expect(await dump(other)).toEqual(await dump(service));
    } finally {
      await other.close();
      await again.drop();
    }
  });

  test('resolves a request with its person, case and commune', async () => {
    const r = province.legalAid.find((x) => x.drugCaseId)!;
    const res = await postGraphql(
      url,
      `query($id: ID!) { legalAidRequest(id: $id) { id receivedOn eligibilityGroup status serviceForm person { citizenId } drugCase { id } commune { code } } }`,
      { id: r.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.legalAidRequest).toMatchObject({
      id: r.id,
      receivedOn: r.receivedOn,
      person: { citizenId: r.citizenId },
      drugCase: { id: r.drugCaseId },
      commune: { code: r.communeCode },
    });
  });

  test('another agency may not read requests; aggregate readers get the period figures', async () => {
    const r = province.legalAid[0];
    const police = { ...TEST_IDENTITY, scopes: ['police:read'] };
    const denied = await postGraphql(
      url,
      `query($id: ID!, $reps: [_Any!]!) { legalAidRequest(id: $id) { id status } _entities(representations: $reps) { ... on Person { legalAidRequests { id } } } }`,
      { id: r.id, reps: [{ __typename: 'Person', citizenId: r.citizenId }] },
      {},
      police,
    );
    expect(denied.data?.legalAidRequest ?? null).toBeNull();
    expect(denied.data?._entities?.[0]?.legalAidRequests ?? null).toBeNull();
    const forbidden = (field: string) => denied.errors?.find((e) => e.path?.includes(field));
    expect(forbidden('legalAidRequest')?.extensions?.code).toBe('FORBIDDEN');
    expect(forbidden('legalAidRequests')?.extensions?.code).toBe('FORBIDDEN');

    const period = String(province.year);
    const figures = (scopes: string[]) =>
      postGraphql(
        url,
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { legalAidRequests servedLegalAidRequests } } }`,
        { reps: [{ __typename: 'CommunePeriod', communeCode: r.communeCode, period }] },
        {},
        { ...TEST_IDENTITY, scopes },
      );
    const expected = province.legalAid.filter((x) => x.communeCode === r.communeCode && x.receivedOn.startsWith(period)).length;
    // Who may see identities gets the exact count; an aggregate reader the same, unless it is a small
    // cell (1–4 persons) or withheld to protect one (kit small-cells).
    const exact = await figures(['aggregate:read', 'person:identity']);
    expect(exact.errors).toBeUndefined();
    expect(exact.data._entities[0].legalAidRequests).toBe(expected);
    const aggregate = await figures(['aggregate:read']);
    expect(aggregate.errors).toBeUndefined();
    const seen = aggregate.data._entities[0].legalAidRequests;
    if (isSmallCell(expected)) expect(seen).toBeNull();
    else expect([expected, null]).toContain(seen);
  });

  test('lists requests of a year and commune with the synthetic total', async () => {
    const code = province.legalAid[0].communeCode;
    const year = province.year;
    const expected = province.legalAid.filter((r) => r.communeCode === code && r.receivedOn.startsWith(String(year)));
    const res = await postGraphql(url, `query($code: String, $year: Int) { legalAidRequests(communeCode: $code, year: $year, first: 500) { totalCount items { id } } }`, { code, year });
    expect(res.errors).toBeUndefined();
    expect(res.data.legalAidRequests.totalCount).toBe(expected.length);
    expect(res.data.legalAidRequests.items.map((i: any) => i.id).sort()).toEqual(expected.map((r) => r.id).sort());
  });

  test('rejects a malformed commune code with a field error', async () => {
    const res = await postGraphql(url, `{ legalAidRequests(communeCode: "12A") { totalCount } }`);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'communeCode' });
  });

  test('per-commune figures are counted in SQL and match the seed', async () => {
    const year = province.year;
    const codes = [...new Set(province.legalAid.map((r) => r.communeCode))];
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!, $year: Int) { _entities(representations: $reps) { ... on Commune { code
         legalAidRequestCount(year: $year) eligibleLegalAidRequestCount(year: $year) servedLegalAidRequestCount(year: $year)
         refused: legalAidRequestCount(year: $year, status: REFUSED) legalAidRequests(year: $year, first: 500) { id } } } }`,
      { reps: codes.map((code) => ({ __typename: 'Commune', code })), year },
    );
    expect(res.errors).toBeUndefined();
    const rows: any[] = await sql(
      `select commune_code as code,
              sum(case when eligibility_group <> 'NOT_ELIGIBLE' then 1 else 0 end) as eligible,
              sum(case when eligibility_group <> 'NOT_ELIGIBLE' and status in ('ACCEPTED', 'IN_PROGRESS', 'COMPLETED') then 1 else 0 end) as served,
              sum(case when status = 'REFUSED' then 1 else 0 end) as refused
       from legal_aid_request where received_on between ? and ? group by commune_code`,
      [`${year}-01-01`, `${year}-12-31`],
    );
    const bySql = new Map(rows.map((r) => [r.code, r]));
    for (const c of res.data._entities) {
      const expected = province.legalAid.filter((r) => r.communeCode === c.code && r.receivedOn.startsWith(String(year))).length;
      expect(c.legalAidRequestCount).toBe(expected);
      expect(c.legalAidRequests).toHaveLength(expected);
      const s = bySql.get(c.code);
      expect(c.eligibleLegalAidRequestCount).toBe(Number(s?.eligible ?? 0));
      expect(c.servedLegalAidRequestCount).toBe(Number(s?.served ?? 0));
      expect(c.refused).toBe(Number(s?.refused ?? 0));
      expect(c.servedLegalAidRequestCount).toBeLessThanOrEqual(c.eligibleLegalAidRequestCount);
    }
    expect(res.data._entities.reduce((t: number, c: any) => t + c.legalAidRequestCount, 0)).toBeGreaterThan(0);
  });

  test('entity lookups of many persons and communes cost a constant number of statements', async () => {
    const run = async (query: string, reps: object[]) => {
      service.queries.reset();
      const res = await postGraphql(url, query, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(reps.length);
      return service.queries.total;
    };
    const persons = [...new Set(province.legalAid.map((r) => r.citizenId))].map((citizenId) => ({ __typename: 'Person', citizenId }));
    const personQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { legalAidRequests { id status drugCase { id } commune { code } } } } }`;
    expect(persons.length).toBeGreaterThan(20);
    expect(await run(personQuery, persons)).toBe(await run(personQuery, persons.slice(0, 5)));

    const communes = province.communes.map((c) => ({ __typename: 'Commune', code: c.code }));
    const communeQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Commune {
      legalAidRequests { id person { citizenId } } legalAidRequestCount eligibleLegalAidRequestCount servedLegalAidRequestCount } } }`;
    expect(await run(communeQuery, communes)).toBe(await run(communeQuery, communes.slice(0, 5)));

    const requests = province.legalAid.map((r) => ({ __typename: 'LegalAidRequest', id: r.id }));
    const requestQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on LegalAidRequest { status person { citizenId } } } }`;
    expect(await run(requestQuery, requests)).toBe(await run(requestQuery, requests.slice(0, 5)));
  });
});

describe('seeded providers and status history', () => {
  test('every request has a history that follows the lifecycle and ends in its status', async () => {
    const em = service.orm.em.fork();
    const requests = await em.find(LegalAidRequest, {}, { orderBy: { id: 'asc' } });
    const history = await em.find(LegalAidStatusChange, {}, { orderBy: { changedOn: 'asc', id: 'asc' } });
    const providers = new Map((await em.find(LegalAidProvider, {})).map((p) => [p.id, p]));
    const byRequest = new Map<string, LegalAidStatusChange[]>();
    for (const h of history) {
      const list = byRequest.get(h.request.id) ?? [];
      list.push(h);
      byRequest.set(h.request.id, list);
    }
    expect(requests).toHaveLength(province.legalAid.length);
    for (const r of requests) {
      const steps = byRequest.get(r.id)!;
      expect(steps[0]).toMatchObject({ status: LegalAidStatus.RECEIVED, changedOn: r.receivedOn });
      for (let i = 1; i < steps.length; i++) {
        expect(LEGAL_AID_LIFECYCLE[steps[i - 1].status]).toContain(steps[i].status);
        expect(steps[i].changedOn >= steps[i - 1].changedOn).toBe(true);
      }
      expect(steps.at(-1)!.status).toBe(r.status);
      expect(steps.at(-1)!.changedOn <= `${province.year}-12-31`).toBe(true);
      expect(r.acceptedOn ?? null).toBe(steps.find((h) => h.status === LegalAidStatus.ACCEPTED)?.changedOn ?? null);
      expect(r.completedOn ?? null).toBe(steps.find((h) => h.status === LegalAidStatus.COMPLETED)?.changedOn ?? null);
      const served = SERVED_STATUSES.includes(r.status);
      expect(r.assignedProvider != null).toBe(served);
      if (served) expect(r.provider).toBe(providers.get(r.assignedProvider!.id)!.name);
      if (r.eligibilityGroup === EligibilityGroup.NOT_ELIGIBLE) expect(r.status).toBe(LegalAidStatus.REFUSED);
    }
    expect(subgraph.counts.legal_aid_status_change).toBe(history.length);
    expect(subgraph.counts.legal_aid_provider).toBe(providers.size);
    // The seed should show the statuses the figures tell apart (RECEIVED is rare: only the year's last days).
    const statuses = new Set(requests.map((r) => r.status));
    for (const s of [LegalAidStatus.ACCEPTED, LegalAidStatus.REFUSED, LegalAidStatus.IN_PROGRESS, LegalAidStatus.COMPLETED]) expect(statuses).toContain(s);
  });

  test('a request shows its assigned provider and status history; providers list their requests', async () => {
    const [row] = await sql(`select id, assigned_provider_id as provider from legal_aid_request where status = 'COMPLETED' and service_form <> 'ADVICE' order by id limit 1`);
    const res = await postGraphql(
      url,
      `query($id: ID!, $provider: ID!) {
        legalAidRequest(id: $id) { status acceptedOn completedOn eligible assignedProvider { id name kind } statusHistory { status changedOn note } }
        legalAidProvider(id: $provider) { id requestCount requests(first: 500) { id } }
        legalAidRequests(providerId: $provider, first: 500) { totalCount }
      }`,
      { id: row.id, provider: row.provider },
    );
    expect(res.errors).toBeUndefined();
    const r = res.data.legalAidRequest;
    expect(r.statusHistory.map((h: any) => h.status)).toEqual(['RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED']);
    expect(r.statusHistory[1].changedOn).toBe(r.acceptedOn);
    expect(r.statusHistory[3].changedOn).toBe(r.completedOn);
    expect(r.assignedProvider.id).toBe(row.provider);
    expect(r.eligible).toBe(true);
    const [{ n }] = await sql('select count(*) as n from legal_aid_request where assigned_provider_id = ?', [row.provider]);
    const p = res.data.legalAidProvider;
    expect(p.requestCount).toBe(Number(n));
    expect(p.requests.map((x: any) => x.id)).toContain(row.id);
    expect(res.data.legalAidRequests.totalCount).toBe(Number(n));
  });

  test('providers are listed by kind', async () => {
    const res = await postGraphql(url, `{ all: legalAidProviders(first: 500) { totalCount } firms: legalAidProviders(kind: CONTRACTED_LAW_FIRM) { totalCount items { kind } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.all.totalCount).toBe(subgraph.counts.legal_aid_provider);
    expect(res.data.firms.totalCount).toBeGreaterThan(0);
    expect(res.data.firms.items.every((i: any) => i.kind === 'CONTRACTED_LAW_FIRM')).toBe(true);
  });
});

const FIGURES = ['legalAidRequests', 'eligibleLegalAidRequests', 'servedLegalAidRequests', 'refusedEligibleLegalAidRequests', 'completedLegalAidRequests'] as const;
const FIGURE_FIELDS = FIGURES.join(' ');

/** The same figures computed straight from the table, one row per commune. */
async function figuresBySql(from: string, to: string): Promise<Map<string, Record<(typeof FIGURES)[number], number>>> {
  const rows: any[] = await sql(
    `select commune_code as code,
            sum(case when received_on between ? and ? then 1 else 0 end) as received,
            sum(case when received_on between ? and ? and eligibility_group <> 'NOT_ELIGIBLE' then 1 else 0 end) as eligible,
            sum(case when received_on between ? and ? and eligibility_group <> 'NOT_ELIGIBLE' and status in ('ACCEPTED', 'IN_PROGRESS', 'COMPLETED') then 1 else 0 end) as served,
            sum(case when received_on between ? and ? and eligibility_group <> 'NOT_ELIGIBLE' and status = 'REFUSED' then 1 else 0 end) as refused,
            sum(case when completed_on between ? and ? then 1 else 0 end) as completed
     from legal_aid_request group by commune_code`,
    [from, to, from, to, from, to, from, to, from, to],
  );
  return new Map(
    rows.map((r) => [
      r.code,
      {
        legalAidRequests: Number(r.received),
        eligibleLegalAidRequests: Number(r.eligible),
        servedLegalAidRequests: Number(r.served),
        refusedEligibleLegalAidRequests: Number(r.refused),
        completedLegalAidRequests: Number(r.completed),
      },
    ]),
  );
}

describe('figures per commune and province for a reporting period', () => {
  const periods = [
    { period: String(province.year), from: `${province.year}-01-01`, to: `${province.year}-12-31` },
    { period: `${province.year}-Q3`, from: `${province.year}-07-01`, to: `${province.year}-09-30` },
    { period: `${province.year}-06`, from: `${province.year}-06-01`, to: `${province.year}-06-30` },
    { period: String(province.year - 1), from: `${province.year - 1}-01-01`, to: `${province.year - 1}-12-31` },
  ];

  test.each(periods)('CommunePeriod figures for $period match SQL, ProvincePeriod is their sum', async ({ period, from, to }) => {
    const reps = [
      ...province.communes.map((c) => ({ __typename: 'CommunePeriod', communeCode: c.code, period })),
      { __typename: 'ProvincePeriod', provinceCode: province.province.code, period },
    ];
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on CommunePeriod { communeCode ${FIGURE_FIELDS} } ... on ProvincePeriod { provinceCode ${FIGURE_FIELDS} } } }`,
      { reps },
    );
    expect(res.errors).toBeUndefined();
    const communes = res.data._entities.slice(0, -1);
    const total = res.data._entities.at(-1);
    const bySql = await figuresBySql(from, to);
    for (const c of communes) {
      const expected = bySql.get(c.communeCode) ?? Object.fromEntries(FIGURES.map((f) => [f, 0]));
      for (const f of FIGURES) expect({ commune: c.communeCode, f, v: c[f] }).toEqual({ commune: c.communeCode, f, v: expected[f as keyof typeof expected] });
      // Received in the period, straight from the synthetic province.
      expect(c.legalAidRequests).toBe(province.legalAid.filter((r) => r.communeCode === c.communeCode && r.receivedOn >= from && r.receivedOn <= to).length);
      expect(c.servedLegalAidRequests + c.refusedEligibleLegalAidRequests).toBeLessThanOrEqual(c.eligibleLegalAidRequests);
      expect(c.eligibleLegalAidRequests).toBeLessThanOrEqual(c.legalAidRequests);
    }
    for (const f of FIGURES) expect(total[f]).toBe(communes.reduce((sum: number, c: any) => sum + c[f], 0));
    expect(total.legalAidRequests).toBe(province.legalAid.filter((r) => r.receivedOn >= from && r.receivedOn <= to).length);
  });

  test('the year has requests served, refused and completed', async () => {
    const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ProvincePeriod { ${FIGURE_FIELDS} } } }`, {
      reps: [{ __typename: 'ProvincePeriod', provinceCode: province.province.code, period: String(province.year) }],
    });
    expect(res.errors).toBeUndefined();
    const t = res.data._entities[0];
    for (const f of FIGURES) expect(t[f]).toBeGreaterThan(0);
  });

  test('a malformed period is refused', async () => {
    const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { legalAidRequests } } }`, {
      reps: [{ __typename: 'CommunePeriod', communeCode: province.communes[0].code, period: '2025-13' }],
    });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });

  test('figures of 5 or all communes cost the same number of statements: one for every figure', async () => {
    const period = String(province.year);
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { ${FIGURE_FIELDS} } } }`;
    const run = async (codes: string[]) => {
      const reps = codes.map((communeCode) => ({ __typename: 'CommunePeriod', communeCode, period }));
      service.queries.reset();
      const res = await postGraphql(url, query, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(reps.length);
      return service.queries.total;
    };
    const all = province.communes.map((c) => c.code);
    expect(all.length).toBeGreaterThan(20);
    const five = await run(all.slice(0, 5));
    expect(await run(all)).toBe(five);
    // Every figure counts requests: one grouped statement.
    expect(five).toBe(1);
  });

  test('province figures of two periods cost one statement grouped by province', async () => {
    service.queries.reset();
    const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ProvincePeriod { ${FIGURE_FIELDS} } } }`, {
      reps: ['2024', '2025'].map((period) => ({ __typename: 'ProvincePeriod', provinceCode: province.province.code, period })),
    });
    expect(res.errors).toBeUndefined();
    expect(service.queries.total).toBe(1);
  });
});
