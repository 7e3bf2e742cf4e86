import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { police } from './index.js';

const province = syntheticProvince({ seed: 7, scale: 0.05 });
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(police, province);
  ({ service, url } = subgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

describe('police subgraph', () => {
  test('seeds exactly the synthetic register and files', async () => {
    const em = service.orm.em.fork();
    const conn = em.getConnection();
    const [{ n: persons }] = await conn.execute('select count(*) as n from person');
    const [{ n: files }] = await conn.execute('select count(*) as n from management_file');
    expect(Number(persons)).toBe(province.persons.length);
    expect(Number(files)).toBe(province.managed.length);
  });

  test('resolves a person with files and cases, by citizen ID', async () => {
    const suspect = province.cases[0].suspects[0];
    const res = await postGraphql(url, `query($id: ID!) { person(citizenId: $id) { citizenId fullName suspectIn { role drugCase { id } } } }`, { id: suspect.citizenId });
    expect(res.errors).toBeUndefined();
    expect(res.data.person.citizenId).toBe(suspect.citizenId);
    expect(res.data.person.suspectIn.map((s: any) => s.drugCase.id)).toContain(province.cases[0].id);
  });

  test('rejects a malformed citizen ID with a field error', async () => {
    const res = await postGraphql(url, `{ person(citizenId: "12AB") { fullName } }`);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'citizenId' });
  });

  test('per-commune figures are counted in SQL and match the seed', async () => {
    const code = province.cases[0].communeCode;
    const year = province.year;
    const expected = province.cases.filter((c) => c.communeCode === code && c.reportedOn.startsWith(String(year))).length;
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!, $year: Int) { _entities(representations: $reps) { ... on Commune { drugCaseCount(year: $year) drugCases(year: $year, first: 500) { id } } } }`,
      { reps: [{ __typename: 'Commune', code }], year },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0].drugCaseCount).toBe(expected);
    expect(res.data._entities[0].drugCases).toHaveLength(expected);
  });

  test('entity lookups of many persons cost a constant number of statements', async () => {
    const run = async (n: number) => {
      const reps = province.persons.slice(0, n).map((p) => ({ __typename: 'Person', citizenId: p.citizenId }));
      service.queries.reset();
      const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { fullName managementFiles { category } suspectIn { role drugCase { article } } } } }`, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(n);
      return service.queries.total;
    };
    const small = await run(5);
    const large = await run(150);
    expect(large).toBe(small);
  });
});
