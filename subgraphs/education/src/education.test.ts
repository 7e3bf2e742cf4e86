import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { education } from './index.js';
import { ACTIVITIES_PER_CAMPAIGN, campaignCount } from './seed.js';

// Scale 0.2: 30 communes, so "5 vs many" representations is a real difference.
const province = syntheticProvince({ seed: 7, scale: 0.2 });
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;
let counts: Record<string, number>;

const sql = async (query: string): Promise<any[]> => service.orm.em.fork().getConnection().execute(query);

beforeAll(async () => {
  subgraph = await startTestSubgraph(education, province);
  ({ service, url, counts } = subgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

describe('education subgraph', () => {
  test('seeds schools and campaigns from the synthetic backbone', async () => {
    const wards = province.communes.filter((c) => c.kind === 'WARD').length;
    const expectedSchools = 2 * province.communes.length + wards + (wards > 0 ? 2 : 0);
    const [{ n: schools }] = await sql('select count(*) as n from school');
    const [{ n: campaigns }] = await sql('select count(*) as n from campaign');
    const [{ n: activities }] = await sql('select count(*) as n from awareness_activity');
    expect(Number(schools)).toBe(expectedSchools);
    expect(Number(campaigns)).toBe(campaignCount(province));
    expect(Number(activities)).toBe(counts.awareness_activity);
    expect(Number(activities)).toBeGreaterThanOrEqual(campaignCount(province) * ACTIVITIES_PER_CAMPAIGN.min);
    const codes = new Set(province.communes.map((c) => c.code));
    const used = await sql('select distinct commune_code as code from awareness_activity');
    for (const r of used) expect(codes.has(r.code)).toBe(true);
  });

  test('activities lie inside their campaign, and school activities at a school of their commune', async () => {
    const [{ n: outside }] = await sql(
      'select count(*) as n from awareness_activity a join campaign c on c.id = a.campaign_id where a.held_on < c.starts_on or a.held_on > c.ends_on',
    );
    const [{ n: misplaced }] = await sql(
      `select count(*) as n from awareness_activity a join campaign c on c.id = a.campaign_id left join school s on s.id = a.school_id
       where (c.channel = 'SCHOOL') <> (a.school_id is not null) or (s.id is not null and s.commune_code <> a.commune_code)`,
    );
    expect(Number(outside)).toBe(0);
    expect(Number(misplaced)).toBe(0);
  });

  test('resolves a campaign with its activities, schools and communes', async () => {
    const [row] = await sql(`select id from campaign where channel = 'SCHOOL' order by id limit 1`);
    const res = await postGraphql(
      url,
      `query($id: ID!) { campaign(id: $id) { id name organiser channel targetGroup startsOn endsOn actionMonth
         activities(first: 500) { id heldOn participants campaign { id } school { name level } commune { code } } } }`,
      { id: String(row.id) },
    );
    expect(res.errors).toBeUndefined();
    const c = res.data.campaign;
    expect(c).toMatchObject({ id: String(row.id), channel: 'SCHOOL', targetGroup: 'STUDENTS', organiser: 'Sở GD&ĐT' });
    expect(c.activities.length).toBeGreaterThanOrEqual(ACTIVITIES_PER_CAMPAIGN.min);
    for (const a of c.activities) {
      expect(a.campaign.id).toBe(c.id);
      expect(a.school.name).toMatch(/^Trường /);
      expect(a.heldOn >= c.startsOn && a.heldOn <= c.endsOn).toBe(true);
    }
  });

  test('lists campaigns running in a period, by channel', async () => {
    const year = province.year;
    const [{ n }] = await sql(`select count(*) as n from campaign where channel = 'COMMUNITY' and starts_on <= '${year}-06-30' and ends_on >= '${year}-06-01'`);
    const res = await postGraphql(
      url,
      `{ campaigns(from: "${year}-06-01", to: "${year}-06-30", channel: COMMUNITY, first: 500) { totalCount items { channel startsOn endsOn } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.totalCount).toBe(Number(n));
    expect(res.data.campaigns.items).toHaveLength(Number(n));
    expect(res.data.campaigns.items.every((c: any) => c.channel === 'COMMUNITY')).toBe(true);
  });

  test('lists schools of a commune, with whether drug education reached them', async () => {
    const code = province.communes[0].code;
    const schoolYear = province.year - 1;
    const delivered = await sql(
      `select distinct school_id as id from awareness_activity where held_on between '${schoolYear}-09-01' and '${schoolYear + 1}-08-31' and school_id is not null`,
    );
    const reached = new Set(delivered.map((r) => String(r.id)));
    const res = await postGraphql(
      url,
      `query($code: String, $sy: Int!) { schools(communeCode: $code, first: 50) { totalCount items { id name level students commune { code } drugEducationDelivered(schoolYear: $sy) } } }`,
      { code, sy: schoolYear },
    );
    expect(res.errors).toBeUndefined();
    const { totalCount, items } = res.data.schools;
    expect(totalCount).toBeGreaterThanOrEqual(2);
    expect(items.map((s: any) => s.level)).toEqual(expect.arrayContaining(['PRIMARY', 'LOWER_SECONDARY']));
    for (const s of items) {
      expect(s.commune.code).toBe(code);
      expect(s.drugEducationDelivered).toBe(reached.has(s.id));
    }
    // Across all schools too, so both true and false answers are checked.
    const all = await postGraphql(url, `query($sy: Int!) { schools(first: 500) { items { id drugEducationDelivered(schoolYear: $sy) } } }`, { sy: schoolYear });
    expect(all.errors).toBeUndefined();
    expect(all.data.schools.items.filter((s: any) => s.drugEducationDelivered).map((s: any) => s.id).sort()).toEqual([...reached].sort());
    expect(reached.size).toBeGreaterThan(0);
    expect(reached.size).toBeLessThan(all.data.schools.items.length);
  });

  test('rejects bad input with a field error', async () => {
    const badId = await postGraphql(url, `{ campaign(id: "abc") { name } }`);
    expect(badId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const badYear = await postGraphql(url, `{ schools(first: 1) { items { drugEducationDelivered(schoolYear: 20) } } }`);
    expect(badYear.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'schoolYear' });
    const badCode = await postGraphql(url, `{ schools(communeCode: "x") { totalCount } }`);
    expect(badCode.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'communeCode' });
  });

  test('per-commune figures are computed in SQL and match the seed', async () => {
    const year = province.year;
    const rows = await sql(
      `select commune_code as code, count(*) as n, sum(participants) as p from awareness_activity
       where held_on between '${year}-01-01' and '${year}-12-31' group by commune_code`,
    );
    const expected = new Map(rows.map((r) => [r.code, { n: Number(r.n), p: Number(r.p) }]));
    const wards = new Set(province.communes.filter((c) => c.kind === 'WARD').map((c) => c.code));
    const reps = province.communes.map((c) => ({ __typename: 'Commune', code: c.code }));
    const res = await postGraphql(
      url,
      `query($reps: [_Any!]!, $year: Int) { _entities(representations: $reps) { ... on Commune {
         code schoolCount awarenessActivityCount(year: $year) participantsReached(year: $year) awarenessActivities(year: $year, first: 500) { participants } } } }`,
      { reps, year },
    );
    expect(res.errors).toBeUndefined();
    for (const c of res.data._entities) {
      const e = expected.get(c.code) ?? { n: 0, p: 0 };
      expect(c.awarenessActivityCount).toBe(e.n);
      expect(c.participantsReached).toBe(e.p);
      expect(c.awarenessActivities).toHaveLength(e.n);
      expect(c.awarenessActivities.reduce((s: number, a: any) => s + a.participants, 0)).toBe(e.p);
      expect(c.schoolCount).toBeGreaterThanOrEqual(wards.has(c.code) ? 3 : 2);
    }
  });

  test('entity lookups of many communes cost a constant number of statements', async () => {
    // Each loader is reached by one path only: two paths to one loader may batch in one tick or two.
    const run = async (n: number) => {
      const reps = province.communes.slice(0, n).map((c) => ({ __typename: 'Commune', code: c.code }));
      service.queries.reset();
      const res = await postGraphql(
        url,
        `query($reps: [_Any!]!, $year: Int, $sy: Int!) { _entities(representations: $reps) { ... on Commune {
           schoolCount participantsReached(year: $year) awarenessActivityCount(year: $year)
           schools { name drugEducationDelivered(schoolYear: $sy) activities(year: $year) { heldOn participants } }
           awarenessActivities(year: $year) { participants campaign { organiser } school { name } } } } }`,
        { reps, year: province.year, sy: province.year - 1 },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(n);
      return service.queries.total;
    };
    const small = await run(5);
    const large = await run(province.communes.length);
    expect(large).toBe(small);
  });

  test('entity lookups of many campaigns and schools cost a constant number of statements', async () => {
    const campaignIds = (await sql('select id from campaign order by id')).map((r) => String(r.id));
    const schoolIds = (await sql('select id from school order by id')).map((r) => String(r.id));
    // One type per request: mixed, a school loaded as an entity may save the lookup of an activity's school.
    const run = async (typename: string, ids: string[], selection: string) => {
      service.queries.reset();
      const reps = ids.map((id) => ({ __typename: typename, id }));
      const res = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${typename} { ${selection} } } }`, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(ids.length);
      expect(res.data._entities.every((e: any) => e !== null)).toBe(true);
      return service.queries.total;
    };
    const campaign = 'name activities { heldOn school { name } commune { code } }';
    expect(await run('Campaign', campaignIds, campaign)).toBe(await run('Campaign', campaignIds.slice(0, 5), campaign));
    const school = `name drugEducationDelivered(schoolYear: ${province.year - 1}) activities { campaign { name } }`;
    expect(await run('School', schoolIds, school)).toBe(await run('School', schoolIds.slice(0, 5), school));
  });
});
