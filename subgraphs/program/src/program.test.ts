import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SUBSTANCE_CODES, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { program } from './index.js';
import { SUBSTANCE_CATALOGUE } from './seed.js';

// Scale 1: the full 150 communes, so the dashboard-sized list below is the real one (program seeds no bulk rows).
const province = syntheticProvince({ seed: 7, scale: 1 });
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(program, province);
  ({ service, url } = subgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

describe('program subgraph', () => {
  test('seeds exactly the synthetic province, its communes and the whole substance catalogue', async () => {
    const conn = service.orm.em.fork().getConnection();
    const [{ n: provinces }] = await conn.execute('select count(*) as n from province');
    const [{ n: communes }] = await conn.execute('select count(*) as n from commune');
    const [{ n: substances }] = await conn.execute('select count(*) as n from substance');
    expect(Number(provinces)).toBe(1);
    expect(Number(communes)).toBe(province.communes.length);
    expect(Number(communes)).toBe(150);
    expect(Number(substances)).toBe(SUBSTANCE_CATALOGUE.length);
    expect(await service.isEmpty()).toBe(false);
  });

  test('resolves the province with its communes and their count', async () => {
    const res = await postGraphql(url, `query($code: ID!) { province(code: $code) { code name communeCount communes(first: 3) { code name } } provinces { code } }`, {
      code: province.province.code,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.province).toMatchObject({ code: province.province.code, name: province.province.name, communeCount: province.communes.length });
    const firstThree = [...province.communes].sort((a, b) => a.code.localeCompare(b.code)).slice(0, 3);
    expect(res.data.province.communes).toEqual(firstThree.map((c) => ({ code: c.code, name: c.name })));
    expect(res.data.provinces).toEqual([{ code: province.province.code }]);
  });

  test('resolves a commune with kind, border, population and province', async () => {
    const c = province.communes.find((x) => x.kind === 'SPECIAL_ZONE')!;
    const res = await postGraphql(url, `query($code: ID!) { commune(code: $code) { code name kind border population provinceCode province { name } } }`, { code: c.code });
    expect(res.errors).toBeUndefined();
    expect(res.data.commune).toEqual({
      code: c.code,
      name: c.name,
      kind: 'SPECIAL_ZONE',
      border: c.border,
      population: c.population,
      provinceCode: province.province.code,
      province: { name: province.province.name },
    });
    const missing = await postGraphql(url, `{ commune(code: "99999") { code } }`);
    expect(missing.errors).toBeUndefined();
    expect(missing.data.commune).toBeNull();
  });

  test('filters and pages communes by province, kind and border, in code order', async () => {
    const expected = province.communes.filter((c) => c.border && c.kind === 'COMMUNE').map((c) => c.code).sort();
    const res = await postGraphql(url, `query($p: ID) { communes(provinceCode: $p, kind: COMMUNE, border: true, first: 5, offset: 2) { totalCount items { code } } }`, {
      p: province.province.code,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.communes.totalCount).toBe(expected.length);
    expect(res.data.communes.items.map((c: any) => c.code)).toEqual(expected.slice(2, 7));

    const wards = await postGraphql(url, `{ communes(kind: WARD, first: 500) { totalCount } }`);
    expect(wards.data.communes.totalCount).toBe(province.communes.filter((c) => c.kind === 'WARD').length);
  });

  test('serves the substance catalogue, covering every code the other agencies use', async () => {
    const res = await postGraphql(url, `{ meth: substance(code: "METHAMPHETAMINE") { name nameVi group precursor } substances { code } precursors: substances(group: PRECURSOR) { code precursor } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.meth).toEqual({ name: 'Methamphetamine', nameVi: 'Ma túy đá', group: 'STIMULANT', precursor: false });
    const codes = res.data.substances.map((s: any) => s.code);
    expect(codes).toEqual(expect.arrayContaining([...SUBSTANCE_CODES]));
    expect(res.data.precursors.length).toBeGreaterThanOrEqual(4);
    expect(res.data.precursors.every((s: any) => s.precursor)).toBe(true);
  });

  test('rejects malformed codes with a field error', async () => {
    const cases: Array<[string, string]> = [
      [`{ commune(code: "123") { name } }`, 'code'],
      [`{ province(code: "4") { name } }`, 'code'],
      [`{ communes(provinceCode: "CB") { totalCount } }`, 'provinceCode'],
      [`{ communes(first: 501) { totalCount } }`, 'first'],
      [`{ substance(code: "meth; drop") { name } }`, 'code'],
    ];
    for (const [query, field] of cases) {
      const res = await postGraphql(url, query);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  test('entity references resolve owned rows; communeCount matches an independent SQL count', async () => {
    const c = province.communes[3];
    const conn = service.orm.em.fork().getConnection();
    const [{ n }] = await conn.execute('select count(*) as n from commune where province_code = ?', [province.province.code]);
    const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Commune { name province { communeCount } } ... on Province { name } ... on Substance { nameVi } } }`, {
      reps: [
        { __typename: 'Commune', code: c.code },
        { __typename: 'Province', code: province.province.code },
        { __typename: 'Substance', code: 'N2O' },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { name: c.name, province: { communeCount: Number(n) } },
      { name: province.province.name },
      { nameVi: 'Bóng cười (khí N2O)' },
    ]);
  });

  test('the dashboard commune list costs a constant number of statements', async () => {
    const run = async (first: number) => {
      service.queries.reset();
      const res = await postGraphql(url, `query($first: Int!) { communes(first: $first) { totalCount items { code province { name communeCount } } } }`, { first });
      expect(res.errors).toBeUndefined();
      expect(res.data.communes.items).toHaveLength(Math.min(first, province.communes.length));
      return service.queries.total;
    };
    const small = await run(5);
    const large = await run(500);
    expect(large).toBe(small);
  });

  test('entity lookups of many communes cost a constant number of statements', async () => {
    const run = async (n: number) => {
      const reps = province.communes.slice(0, n).map((c) => ({ __typename: 'Commune', code: c.code }));
      service.queries.reset();
      const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Commune { name kind province { name communes(first: 2) { code } } } } }`, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(n);
      return service.queries.total;
    };
    const small = await run(5);
    const large = await run(150);
    expect(large).toBe(small);
  });
});
