import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createSubgraphService, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, testDatabase, type TestSubgraph } from '@pcmt/kit/testing';
import { borderGuard } from './index.js';

// Scale 0.2: 30 communes, 8 of them on the border.
const province = syntheticProvince({ seed: 7, scale: 0.2 });
const border = province.communes.filter((c) => c.border).map((c) => c.code);
let subgraph: TestSubgraph;
let service: SubgraphService;

const sql = async (query: string, params: unknown[] = []): Promise<any[]> => service.orm.em.fork().getConnection().execute(query, params);
const count = async (query: string, params: unknown[] = []): Promise<number> => Number((await sql(query, params))[0].n);

beforeAll(async () => {
  subgraph = await startTestSubgraph(borderGuard, province);
  service = subgraph.service;
});

afterAll(async () => {
  await subgraph?.close();
});

describe('border-guard subgraph', () => {
  test('seeds a post in every border commune, a unit at each post and the provincial task force, with officers', async () => {
    const res = await postGraphql(subgraph.url, '{ borderPosts(first: 100) { code name sector commune { code } teams { code kind equipped } } }');
    expect(res.errors).toBeUndefined();
    const posts = res.data.borderPosts;
    expect(posts.map((p: any) => p.commune.code).sort()).toEqual([...border].sort());
    for (const p of posts) expect(p.teams).toEqual([expect.objectContaining({ kind: 'POST_TEAM' })]);
    expect(await count("select count(*) as n from anti_drug_team where kind = 'TASK_FORCE'")).toBe(1);
    expect(await count('select count(*) as n from anti_drug_officer')).toBeGreaterThanOrEqual(posts.length * 3 + 10);
    expect(await count('select count(*) as n from border_guard_seizure')).toBe(2 * Math.round(120 * 0.2));
    // Seizures only in border communes, on the route of their post.
    expect(await count(`select count(*) as n from border_guard_seizure s join border_post p on p.id = s.post_id where s.commune_code <> p.commune_code or (p.sector = 'SEA') <> (s.route = 'SEA')`)).toBe(0);
    // A hand-over never precedes its seizure.
    expect(await count('select count(*) as n from border_guard_seizure where handed_over_on < seized_on')).toBe(0);
  });

  test('is deterministic: the same seed gives the same rows', async () => {
    const db = await testDatabase('border-guard');
    const again = await createSubgraphService(borderGuard, { database: db.target, logLevel: 'silent' });
    try {
      await again.migrate();
      await again.seed(province);
      const dump = (s: SubgraphService) =>
        s.orm.em.fork().getConnection().execute('select o.service_number, o.full_name, o.joined_on, o.equipped_on, t.code from anti_drug_officer o join anti_drug_team t on t.id = o.team_id order by o.service_number');
      expect(await dump(again)).toEqual(await dump(service));
    } finally {
      await again.close();
      await db.drop();
    }
  });

  test('the figures of a commune and of the province agree with the database', async () => {
    const year = String(province.year);
    const end = `${year}-12-31`;
    const commune = (await sql('select commune_code as c from border_guard_seizure group by commune_code order by count(*) desc, commune_code limit 1'))[0].c as string;
    const fields = 'antiDrugTeams antiDrugTeamsEquipped antiDrugOfficers antiDrugOfficersEquipped borderGuardSeizures borderGuardLandBorderSeizures borderGuardSeaRouteSeizures borderGuardSeizuresHandedOver';
    const res = await postGraphql(
      subgraph.url,
      `{ _entities(representations: [{ __typename: "CommunePeriod", communeCode: "${commune}", period: "${year}" }, { __typename: "ProvincePeriod", provinceCode: "${province.province.code}", period: "${year}" }]) { ... on CommunePeriod { ${fields} } ... on ProvincePeriod { ${fields} } } }`,
    );
    expect(res.errors).toBeUndefined();
    const figuresOf = async (where: string, params: unknown[]) => ({
      antiDrugTeams: await count(`select count(*) as n from anti_drug_team where established_on <= ? ${where}`, [end, ...params]),
      antiDrugTeamsEquipped: await count(`select count(*) as n from anti_drug_team where established_on <= ? and equipped_on <= ? ${where}`, [end, end, ...params]),
      antiDrugOfficers: await count(
        `select count(*) as n from anti_drug_officer o join anti_drug_team t on t.id = o.team_id where o.joined_on <= ? and (o.left_on is null or o.left_on > ?) ${where.replace('commune_code', 't.commune_code')}`,
        [end, end, ...params],
      ),
      antiDrugOfficersEquipped: await count(
        `select count(*) as n from anti_drug_officer o join anti_drug_team t on t.id = o.team_id where o.joined_on <= ? and (o.left_on is null or o.left_on > ?) and o.equipped_on <= ? ${where.replace('commune_code', 't.commune_code')}`,
        [end, end, end, ...params],
      ),
      borderGuardSeizures: await count(`select count(*) as n from border_guard_seizure where seized_on between ? and ? ${where}`, [`${year}-01-01`, end, ...params]),
      borderGuardLandBorderSeizures: await count(`select count(*) as n from border_guard_seizure where route = 'LAND_BORDER' and seized_on between ? and ? ${where}`, [`${year}-01-01`, end, ...params]),
      borderGuardSeaRouteSeizures: await count(`select count(*) as n from border_guard_seizure where route = 'SEA' and seized_on between ? and ? ${where}`, [`${year}-01-01`, end, ...params]),
      borderGuardSeizuresHandedOver: await count(`select count(*) as n from border_guard_seizure where drug_case_id is not null and seized_on between ? and ? ${where}`, [`${year}-01-01`, end, ...params]),
    });
    const [communeFigures, provinceFigures] = res.data._entities;
    expect(communeFigures).toEqual(await figuresOf('and commune_code = ?', [commune]));
    expect(provinceFigures).toEqual(await figuresOf('', []));
    // Indicator c of plan 004 has something to compute: units and officers, most of them equipped.
    expect(provinceFigures.antiDrugTeams).toBeGreaterThan(0);
    expect(provinceFigures.antiDrugTeamsEquipped).toBeGreaterThan(provinceFigures.antiDrugTeams / 2);
    expect(provinceFigures.antiDrugOfficersEquipped).toBeLessThanOrEqual(provinceFigures.antiDrugOfficers);
    expect(provinceFigures.borderGuardLandBorderSeizures + provinceFigures.borderGuardSeaRouteSeizures).toBe(provinceFigures.borderGuardSeizures);
  });

  test('a person held in a seizure finds it through Person; a commune lists its posts', async () => {
    const [row] = await sql('select x.citizen_id, s.id, s.commune_code from border_guard_suspect x join border_guard_seizure s on s.id = x.seizure_id order by s.id limit 1');
    const res = await postGraphql(
      subgraph.url,
      `{ _entities(representations: [{ __typename: "Person", citizenId: "${row.citizen_id}" }, { __typename: "Commune", code: "${row.commune_code}" }]) { ... on Person { borderGuardSeizures { id items { quantityKg substance { code } } } } ... on Commune { borderPosts { code } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0].borderGuardSeizures.map((s: any) => s.id)).toContain(row.id);
    expect(res.data._entities[1].borderPosts).toHaveLength(1);
  });
});
