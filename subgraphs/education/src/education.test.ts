import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, TEST_IDENTITY, type TestSubgraph } from '@pcmt/kit/testing';
import { education } from './index.js';
import { ACTIVITIES_PER_CAMPAIGN, campaignCount, enterpriseCount, mediaOutletPlan } from './seed.js';

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

describe('access tags', () => {
  test('another agency may not read schools or figures; the steering committee reads the figures', async () => {
    const healthOnly = { ...TEST_IDENTITY, scopes: ['health:read'] };
    const steering = { ...TEST_IDENTITY, scopes: ['aggregate:read'] };
    const [school] = await sql('select id, commune_code as code from school order by id limit 1');
    const [{ n: schools }] = await sql(`select count(*) as n from school where commune_code = '${school.code}'`);

    // A record of ours: refused with FORBIDDEN, and no value.
    const refused = await postGraphql(url, `query($id: ID!) { school(id: $id) { id name students } }`, { id: String(school.id) }, {}, healthOnly);
    expect(refused.errors?.[0]).toMatchObject({ path: ['school'], extensions: { code: 'FORBIDDEN' } });
    expect(refused.data?.school ?? null).toBeNull();
    // By reference too (__resolveReference checks the type's tags).
    const byRef = await postGraphql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on School { name } } }`, { reps: [{ __typename: 'School', id: String(school.id) }] }, {}, healthOnly);
    expect(byRef.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(byRef.data?._entities?.[0] ?? null).toBeNull();

    // An aggregate figure: refused to health alone (null at the field only: it is nullable), readable with aggregate:read.
    const FIGURE = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { communeCode schools } } }`;
    const reps = [{ __typename: 'CommunePeriod', communeCode: school.code, period: String(province.year) }];
    const hidden = await postGraphql(url, FIGURE, { reps }, {}, healthOnly);
    expect(hidden.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'schools'], extensions: { code: 'FORBIDDEN' } });
    expect(hidden.data._entities[0]).toEqual({ communeCode: school.code, schools: null });
    const shown = await postGraphql(url, FIGURE, { reps }, {}, steering);
    expect(shown.errors).toBeUndefined();
    expect(shown.data._entities[0]).toEqual({ communeCode: school.code, schools: Number(schools) });
  });
});

describe('enterprises, press and the new campaign fields in the seed', () => {
  test('seeds enterprises, mostly in industrial parks, and the province press', async () => {
    const [{ n, parks, in_park: inPark }] = await sql('select count(*) as n, count(distinct industrial_park) as parks, count(industrial_park) as in_park from enterprise');
    expect(Number(n)).toBe(enterpriseCount(province));
    expect(Number(n)).toBe(counts.enterprise);
    expect(Number(parks)).toBeGreaterThanOrEqual(1);
    expect(Number(inPark) / Number(n)).toBeGreaterThan(0.5);
    const codes = new Set(province.communes.map((c) => c.code));
    for (const r of await sql('select distinct commune_code as code from enterprise')) expect(codes.has(r.code)).toBe(true);
    const [{ outlets, main }] = await sql('select count(*) as outlets, sum(case when main then 1 else 0 end) as main from media_outlet');
    expect(Number(outlets)).toBe(mediaOutletPlan(province).length);
    expect(Number(main)).toBe(mediaOutletPlan(province).filter((o) => o.main).length);
  });

  test('an activity is at a school or an enterprise of its commune, never both; workplace activities at enterprises', async () => {
    const [{ n: both }] = await sql('select count(*) as n from awareness_activity where school_id is not null and enterprise_id is not null');
    const [{ n: misplaced }] = await sql(
      `select count(*) as n from awareness_activity a join campaign c on c.id = a.campaign_id left join enterprise e on e.id = a.enterprise_id
       where (c.channel = 'WORKPLACE') <> (a.enterprise_id is not null) or (e.id is not null and e.commune_code <> a.commune_code)`,
    );
    expect(Number(both)).toBe(0);
    expect(Number(misplaced)).toBe(0);
    // Nobody is reached more often than the enterprise has workers, in one year.
    const [{ n: over }] = await sql(
      `select count(*) as n from (select a.enterprise_id, substr(cast(a.held_on as text), 1, 4) as y, sum(a.participants) as p from awareness_activity a
       where a.enterprise_id is not null group by a.enterprise_id, substr(cast(a.held_on as text), 1, 4)) r join enterprise e on e.id = r.enterprise_id where r.p > e.workers`,
    );
    expect(Number(over)).toBe(0);
  });

  test('social platforms only on social-media campaigns; 26/6 campaigns include 26 June and hold the 26/6 rallies', async () => {
    const [{ n: wrongPlatform }] = await sql(`select count(*) as n from campaign where social_platform is not null and channel <> 'SOCIAL_MEDIA'`);
    expect(Number(wrongPlatform)).toBe(0);
    const [{ n: platforms }] = await sql(`select count(*) as n from campaign where social_platform is not null`);
    expect(Number(platforms)).toBeGreaterThan(0);
    const national = await sql(`select cast(starts_on as text) as s, cast(ends_on as text) as e from campaign where national_day`);
    expect(national.length).toBeGreaterThan(0);
    for (const c of national) expect(c.s <= `${c.s.slice(0, 4)}-06-26` && c.e >= `${c.s.slice(0, 4)}-06-26`).toBe(true);
    const [{ n: rallies }] = await sql(
      `select count(*) as n from awareness_activity a join campaign c on c.id = a.campaign_id where a.title like 'Mít tinh hưởng ứng Ngày toàn dân%' and not c.national_day`,
    );
    expect(Number(rallies)).toBe(0);
  });

  test('lists enterprises, press outlets and activities with their filters', async () => {
    const [{ n: inPark }] = await sql('select count(*) as n from enterprise where industrial_park is not null');
    const parks = await postGraphql(url, `{ enterprises(inIndustrialPark: true, first: 500) { totalCount items { industrialPark workers commune { code } } } }`);
    expect(parks.errors).toBeUndefined();
    expect(parks.data.enterprises.totalCount).toBe(Number(inPark));
    expect(parks.data.enterprises.items.every((e: any) => e.industrialPark !== null)).toBe(true);
    const outside = await postGraphql(url, `{ enterprises(inIndustrialPark: false) { totalCount items { industrialPark } } }`);
    expect(outside.data.enterprises.totalCount).toBe(counts.enterprise - Number(inPark));

    const main = await postGraphql(url, `{ mediaOutlets(main: true, withColumn: true) { totalCount items { name kind main columnSince columnName } } }`);
    expect(main.errors).toBeUndefined();
    const plan = mediaOutletPlan(province).filter((o) => o.main && o.columnSince);
    expect(main.data.mediaOutlets.totalCount).toBe(plan.length);
    expect(main.data.mediaOutlets.items.map((o: any) => o.name).sort()).toEqual(plan.map((o) => o.name).sort());

    const [{ code }] = await sql(`select commune_code as code from awareness_activity group by commune_code order by count(*) desc, commune_code limit 1`);
    const year = province.year;
    const [{ n }] = await sql(`select count(*) as n from awareness_activity where commune_code = '${code}' and held_on between '${year}-01-01' and '${year}-12-31'`);
    const res = await postGraphql(url, `query($code: String) { awarenessActivities(communeCode: $code, year: ${year}, first: 3) { totalCount items { commune { code } heldOn } } }`, { code });
    expect(res.errors).toBeUndefined();
    expect(res.data.awarenessActivities.totalCount).toBe(Number(n));
    expect(res.data.awarenessActivities.items.length).toBe(Math.min(3, Number(n)));

    const [wp] = await sql(`select id from campaign where channel = 'WORKPLACE' order by id limit 1`);
    const byCommune = await postGraphql(
      url,
      `query($id: ID!) { campaign(id: $id) { activities(first: 500) { commune { code } enterprise { id commune { code } workersReached } } } }`,
      { id: String(wp.id) },
    );
    expect(byCommune.errors).toBeUndefined();
    const acts = byCommune.data.campaign.activities;
    expect(acts.length).toBeGreaterThan(0);
    for (const a of acts) expect(a.enterprise.commune.code).toBe(a.commune.code);
    const one = acts[0].commune.code;
    const filtered = await postGraphql(url, `query($id: ID!, $c: String) { campaign(id: $id) { activities(communeCode: $c, first: 500) { commune { code } } } }`, { id: String(wp.id), c: one });
    expect(filtered.data.campaign.activities.length).toBe(acts.filter((a: any) => a.commune.code === one).length);
  });
});

describe('figures per commune and province for a reporting period', () => {
  const FIELDS = ['schools', 'schoolsReached', 'awarenessActivities', 'participantsReached', 'industrialParkWorkers', 'industrialParkWorkersReached'] as const;
  const periodBounds = (period: string) => {
    if (/^\d{4}$/.test(period)) return { from: `${period}-01-01`, to: `${period}-12-31` };
    if (period.includes('-Q')) {
      const q = Number(period.slice(6));
      const months: Record<number, [string, string]> = { 1: ['01-01', '03-31'], 2: ['04-01', '06-30'], 3: ['07-01', '09-30'], 4: ['10-01', '12-31'] };
      return { from: `${period.slice(0, 4)}-${months[q][0]}`, to: `${period.slice(0, 4)}-${months[q][1]}` };
    }
    const last = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5)), 0)).getUTCDate();
    return { from: `${period}-01`, to: `${period}-${last}` };
  };

  /** The same figures, by independent SQL: grouped by the school's / enterprise's own commune. */
  async function expected(period: string): Promise<Map<string, Record<(typeof FIELDS)[number], number>>> {
    const { from, to } = periodBounds(period);
    const by = async (q: string) => new Map((await sql(q)).map((r) => [r.code, Number(r.n)]));
    const schools = await by('select commune_code as code, count(*) as n from school group by commune_code');
    const reached = await by(
      `select s.commune_code as code, count(distinct s.id) as n from school s join awareness_activity a on a.school_id = s.id where a.held_on between '${from}' and '${to}' group by s.commune_code`,
    );
    const activities = await by(`select commune_code as code, count(*) as n from awareness_activity where held_on between '${from}' and '${to}' group by commune_code`);
    const participants = await by(`select commune_code as code, sum(participants) as n from awareness_activity where held_on between '${from}' and '${to}' group by commune_code`);
    const workers = await by('select commune_code as code, sum(workers) as n from enterprise where industrial_park is not null group by commune_code');
    const workersReached = await by(
      `select e.commune_code as code, sum(a.participants) as n from awareness_activity a join enterprise e on e.id = a.enterprise_id
       where e.industrial_park is not null and a.held_on between '${from}' and '${to}' group by e.commune_code`,
    );
    return new Map(
      province.communes.map((c) => [
        c.code,
        {
          schools: schools.get(c.code) ?? 0,
          schoolsReached: reached.get(c.code) ?? 0,
          awarenessActivities: activities.get(c.code) ?? 0,
          participantsReached: participants.get(c.code) ?? 0,
          industrialParkWorkers: workers.get(c.code) ?? 0,
          industrialParkWorkersReached: workersReached.get(c.code) ?? 0,
        },
      ]),
    );
  }

  const COMMUNE_QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CommunePeriod { communeCode period ${FIELDS.join(' ')} } } }`;
  const PROVINCE_QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ProvincePeriod { provinceCode period ${FIELDS.join(' ')} industrialParkWorkersReachedDistinct mainMediaOutlets mainMediaOutletsWithColumn } } }`;

  test.each([String(province.year), String(province.year - 1), `${province.year}-Q2`, `${province.year}-06`])('CommunePeriod figures for %s match SQL', async (period) => {
    const reps = province.communes.map((c) => ({ __typename: 'CommunePeriod', communeCode: c.code, period }));
    const res = await postGraphql(url, COMMUNE_QUERY, { reps });
    expect(res.errors).toBeUndefined();
    const want = await expected(period);
    for (const c of res.data._entities) {
      expect(c.period).toBe(period);
      expect({ ...c, communeCode: undefined, period: undefined }).toEqual({ ...want.get(c.communeCode), communeCode: undefined, period: undefined });
    }
    // Something real is compared: figures are not all zero.
    const totals = Object.fromEntries(FIELDS.map((f) => [f, res.data._entities.reduce((s: number, c: any) => s + c[f], 0)]));
    expect(totals.schools).toBeGreaterThan(0);
    expect(totals.awarenessActivities).toBeGreaterThan(0);
    expect(totals.industrialParkWorkers).toBeGreaterThan(0);
  });

  test.each([String(province.year), String(province.year - 1), `${province.year}-Q2`])('ProvincePeriod for %s is the sum over its communes, with the main press from the plan', async (period) => {
    const communes = await postGraphql(url, COMMUNE_QUERY, { reps: province.communes.map((c) => ({ __typename: 'CommunePeriod', communeCode: c.code, period })) });
    const res = await postGraphql(url, PROVINCE_QUERY, { reps: [{ __typename: 'ProvincePeriod', provinceCode: province.province.code, period }] });
    expect(res.errors).toBeUndefined();
    const [p] = res.data._entities;
    for (const f of FIELDS) expect(p[f]).toBe(communes.data._entities.reduce((s: number, c: any) => s + c[f], 0));
    const { to } = periodBounds(period);
    const main = mediaOutletPlan(province).filter((o) => o.main);
    expect(p.mainMediaOutlets).toBe(main.length);
    expect(p.mainMediaOutletsWithColumn).toBe(main.filter((o) => o.columnSince && o.columnSince <= to).length);
  });

  test('indicator g in the seeded data year: about 70 % of industrial-park workers reached, >80 % of main press with a column', async () => {
    const res = await postGraphql(url, PROVINCE_QUERY, { reps: [{ __typename: 'ProvincePeriod', provinceCode: province.province.code, period: String(province.year) }] });
    const [p] = res.data._entities;
    // Persons from the attendance lists; some workers came to two sessions, so attendances are more.
    const share = p.industrialParkWorkersReachedDistinct / p.industrialParkWorkers;
    expect(share).toBeGreaterThanOrEqual(0.6);
    expect(share).toBeLessThanOrEqual(0.8);
    expect(p.industrialParkWorkersReached).toBeGreaterThan(p.industrialParkWorkersReachedDistinct);
    expect(p.mainMediaOutletsWithColumn / p.mainMediaOutlets).toBeGreaterThanOrEqual(0.8);
    expect(p.schoolsReached).toBeLessThanOrEqual(p.schools);
  });

  test('another province has no figures; a bad period is refused', async () => {
    const other = await postGraphql(url, PROVINCE_QUERY, { reps: [{ __typename: 'ProvincePeriod', provinceCode: '99', period: String(province.year) }] });
    expect(other.errors).toBeUndefined();
    expect(other.data._entities[0]).toMatchObject({ schools: 0, awarenessActivities: 0, mainMediaOutlets: 0, mainMediaOutletsWithColumn: 0 });
    const bad = await postGraphql(url, COMMUNE_QUERY, { reps: [{ __typename: 'CommunePeriod', communeCode: province.communes[0].code, period: '2025-13' }] });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('figures of 5 or of every commune cost the same SQL statements: one per entity', async () => {
    // Communes only: a province in the same request may reuse or extend their batches, which changes the count.
    const run = async (n: number) => {
      const reps = province.communes.slice(0, n).map((c) => ({ __typename: 'CommunePeriod', communeCode: c.code, period: String(province.year) }));
      service.queries.reset();
      const res = await postGraphql(url, COMMUNE_QUERY, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(n);
      return service.queries.total;
    };
    const small = await run(5);
    const large = await run(province.communes.length);
    expect(large).toBe(small);
    // Schools, activities, enterprises.
    expect(small).toBe(3);
  });

  test('a province costs one statement per entity, grouped by province', async () => {
    service.queries.reset();
    const res = await postGraphql(url, PROVINCE_QUERY, { reps: [{ __typename: 'ProvincePeriod', provinceCode: province.province.code, period: String(province.year) }] });
    expect(res.errors).toBeUndefined();
    // Schools, activities, enterprises, media outlets and attendance lists; the main outlets (named in
    // no period) in a statement of their own, apart from those with a column by the period's end.
    expect(service.queries.total).toBe(6);
  });
});
