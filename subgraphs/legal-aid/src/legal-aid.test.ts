import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createSubgraphService, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, testDatabase, type TestSubgraph } from '@pcmt/kit/testing';
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
