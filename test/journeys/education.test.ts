import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { addDays, todayInVietnam } from '@pcmt/kit';
import { startTestFederation, type TestFederation } from '../harness.js';

// A day of an education officer (Sở GD&ĐT, Tỉnh đoàn, Liên đoàn Lao động, press) through the
// registered operations of the education-app client only. Education holds no personal data, so
// the app sends no purpose header: every call below goes without one.

const ROLE = 'education-officer';

let fed: TestFederation;
const today = todayInVietnam();
const year = Number(today.slice(0, 4));
const month = today.slice(0, 7);
// Năm học: from 1 September to 31 August.
const schoolYear = Number(today.slice(5, 7)) >= 9 ? year : year - 1;

let home: { code: string; name: string };
let away: string;
let school: any;
let enterprise: any;
let schoolCampaign: any;
let workplaceCampaign: any;

type Result = { data?: any; errors?: any[] };

const run = (operation: string, variables: Record<string, unknown> = {}, opts: { communes?: string[] } = {}): Promise<Result> => fed.run(ROLE, operation, variables, opts);

async function ok(operation: string, variables: Record<string, unknown> = {}, opts: { communes?: string[] } = {}): Promise<any> {
  const res = await run(operation, variables, opts);
  expect(res.errors ?? []).toEqual([]);
  return res.data;
}

function fieldErrors(res: Result): Array<{ field: string; message: string }> {
  expect(res.errors?.length).toBeGreaterThan(0);
  return res.errors!.flatMap((e) => e.extensions?.fieldErrors ?? []);
}

const count = async (sql: string, params: unknown[] = []) => Number((await fed.sql<{ n: number | string | null }>('education', sql, params))[0].n ?? 0);

async function mediaOutlets(): Promise<Array<{ id: string; main: boolean; since: string | null }>> {
  const rows = await fed.sql<any>('education', 'select id, main, cast(column_since as text) as since from media_outlet');
  return rows.map((r) => ({ id: String(r.id), main: Boolean(r.main), since: r.since == null ? null : String(r.since).slice(0, 10) }));
}

beforeAll(async () => {
  fed = await startTestFederation();
  // The commune with the most schools is the officer's own.
  const [busiest] = await fed.sql<{ commune_code: string }>('education', 'select commune_code from school group by commune_code order by count(*) desc, commune_code limit 1');
  home = { code: busiest.commune_code, name: fed.province.communes.find((c) => c.code === busiest.commune_code)!.name };
  away = fed.province.communes.find((c) => c.code !== home.code)!.code;
});

afterAll(async () => {
  await fed?.close();
});

describe('education officer: campaigns, schools, workplaces and press', () => {
  test('the campaign register of last year and its busiest campaign match the database', async () => {
    const last = fed.province.year;
    const register = await ok('EducationCampaigns', { year: last, first: 500 });
    expect(register.campaigns.totalCount).toBe(await count('select count(*) as n from campaign where starts_on <= ? and ends_on >= ?', [`${last}-12-31`, `${last}-01-01`]));
    const june = await ok('EducationCampaigns', { year: last, nationalDay: true, first: 500 });
    expect(june.campaigns.items.every((c: any) => c.nationalDay && c.startsOn <= `${last}-06-26` && c.endsOn >= `${last}-06-26`)).toBe(true);

    const [busiest] = await fed.sql<{ id: number; n: number | string; p: number | string }>(
      'education',
      'select campaign_id as id, count(*) as n, sum(participants) as p from awareness_activity group by campaign_id order by count(*) desc, campaign_id limit 1',
    );
    const one = (await ok('EducationCampaign', { id: String(busiest.id), first: 500 })).campaign;
    expect(one.id).toBe(String(busiest.id));
    expect(one.activities).toHaveLength(Number(busiest.n));
    expect(one.activities.reduce((s: number, a: any) => s + a.participants, 0)).toBe(Number(busiest.p));
  });

  test('the schools of the commune and whether drug education reached them this school year', async () => {
    const listed = await ok('EducationSchools', { communeCode: home.code, schoolYear, first: 500 });
    const rows = await fed.sql<{ id: number; reached: number | string }>(
      'education',
      `select s.id, (select count(*) from awareness_activity a where a.school_id = s.id and a.held_on between ? and ?) as reached from school s where s.commune_code = ? order by s.id`,
      [`${schoolYear}-09-01`, `${schoolYear + 1}-08-31`, home.code],
    );
    expect(listed.schools.totalCount).toBe(rows.length);
    const delivered = new Map(listed.schools.items.map((s: any) => [s.id, s.drugEducationDelivered]));
    expect(rows.map((r) => [String(r.id), delivered.get(String(r.id))])).toEqual(rows.map((r) => [String(r.id), Number(r.reached) > 0]));

    school = (
      await ok('EducationRegisterSchool', {
        input: { name: `Trường Phổ thông Dân tộc bán trú THCS ${home.name}`, level: 'LOWER_SECONDARY', communeCode: home.code, students: 412, idempotencyKey: `school-${home.code}-ptdtbt-thcs` },
      })
    ).registerSchool;
    expect(school).toMatchObject({ level: 'LOWER_SECONDARY', students: 412, commune: { code: home.code, name: home.name } });
    const fresh = (await ok('EducationSchool', { id: school.id, schoolYear })).school;
    expect(fresh).toMatchObject({ id: school.id, drugEducationDelivered: false, activities: [] });

    const tooMany = await run('EducationRegisterSchool', { input: { name: 'Trường Tiểu học Kim Đồng', level: 'PRIMARY', communeCode: home.code, students: 0 } });
    expect(fieldErrors(tooMany).map((e) => e.field)).toEqual(['students']);
    expect(await count('select count(*) as n from school where commune_code = ?', [home.code])).toBe(rows.length + 1);
  });

  test('an enterprise of the industrial park is registered and listed', async () => {
    enterprise = (
      await ok('EducationRegisterEnterprise', {
        input: { name: 'Công ty TNHH May mặc Hưng Phát Cao Bằng', communeCode: home.code, industrialPark: 'Khu công nghiệp Đề Thám', workers: 680, idempotencyKey: `enterprise-${home.code}-hung-phat` },
      })
    ).registerEnterprise;
    expect(enterprise).toMatchObject({ industrialPark: 'Khu công nghiệp Đề Thám', workers: 680, commune: { code: home.code } });
    const inParks = await ok('EducationEnterprises', { inIndustrialPark: true, communeCode: home.code, from: today, to: today });
    expect(inParks.enterprises.totalCount).toBe(await count('select count(*) as n from enterprise where commune_code = ? and industrial_park is not null', [home.code]));
    expect(inParks.enterprises.items.find((e: any) => e.id === enterprise.id)).toMatchObject({ workersReached: 0 });
  });

  test('new school and workplace campaigns are created once; an action-month campaign outside June is refused', async () => {
    const period = { startsOn: `${month}-01`, endsOn: addDays(today, 30) };
    const schoolInput = {
      name: `Đưa nội dung phòng, chống ma túy vào trường học năm học ${schoolYear}–${schoolYear + 1}`,
      organiser: 'Sở GD&ĐT',
      channel: 'SCHOOL',
      targetGroup: 'STUDENTS',
      ...period,
      idempotencyKey: `campaign-school-${schoolYear}-${month}`,
    };
    schoolCampaign = (await ok('EducationCreateCampaign', { input: schoolInput })).createCampaign;
    expect(schoolCampaign).toMatchObject({ name: schoolInput.name, channel: 'SCHOOL', targetGroup: 'STUDENTS', actionMonth: false, nationalDay: false, socialPlatform: null, ...period });
    expect((await ok('EducationCreateCampaign', { input: schoolInput })).createCampaign.id).toBe(schoolCampaign.id);
    expect(await count('select count(*) as n from campaign where name = ?', [schoolInput.name])).toBe(1);

    workplaceCampaign = (
      await ok('EducationCreateCampaign', {
        input: { name: 'Công nhân, người lao động khu công nghiệp nói không với ma túy', organiser: 'Liên đoàn Lao động tỉnh', channel: 'WORKPLACE', targetGroup: 'WORKERS', ...period },
      })
    ).createCampaign;
    expect(workplaceCampaign).toMatchObject({ channel: 'WORKPLACE', targetGroup: 'WORKERS' });

    const notJune = await run('EducationCreateCampaign', {
      input: { name: 'Tháng hành động phòng, chống ma túy', organiser: 'Tỉnh đoàn', channel: 'COMMUNITY', targetGroup: 'YOUTH', startsOn: `${year}-09-01`, endsOn: `${year}-09-30`, actionMonth: true },
    });
    expect(fieldErrors(notJune).map((e) => e.field)).toEqual(['actionMonth']);

    const listed = await ok('EducationCampaigns', { from: today, to: today, first: 500 });
    expect(listed.campaigns.items.map((c: any) => c.id)).toEqual(expect.arrayContaining([schoolCampaign.id, workplaceCampaign.id]));
    expect(listed.campaigns.totalCount).toBe(await count('select count(*) as n from campaign where starts_on <= ? and ends_on >= ?', [today, today]));
  });

  test('activities are logged at the school and the enterprise, refused where they break the campaign rules, and read back everywhere', async () => {
    const atSchool = (
      await ok('EducationLogActivity', {
        input: { campaignId: schoolCampaign.id, heldOn: today, communeCode: home.code, schoolId: school.id, participants: 412, title: 'Tiết sinh hoạt dưới cờ "Học đường nói không với ma túy"', idempotencyKey: `activity-${school.id}-${today}` },
      })
    ).logActivity;
    expect(atSchool).toMatchObject({ heldOn: today, participants: 412, campaign: { id: schoolCampaign.id }, school: { id: school.id }, enterprise: null, commune: { code: home.code } });
    const atWork = (
      await ok('EducationLogActivity', {
        input: { campaignId: workplaceCampaign.id, heldOn: today, communeCode: home.code, enterpriseId: enterprise.id, participants: 520, title: 'Tọa đàm tại nhà xưởng ca sáng' },
      })
    ).logActivity;
    expect(atWork).toMatchObject({ enterprise: { id: enterprise.id, industrialPark: 'Khu công nghiệp Đề Thám' }, school: null });

    const noSchool = await run('EducationLogActivity', { input: { campaignId: schoolCampaign.id, heldOn: addDays(`${month}-01`, -1), communeCode: home.code, participants: 35, title: 'Buổi ngoại khóa' } });
    expect(fieldErrors(noSchool).map((e) => e.field).sort()).toEqual(['heldOn', 'schoolId']);
    const rows = await fed.sql<any>('education', 'select campaign_id, school_id, enterprise_id, participants, commune_code from awareness_activity where held_on = ? order by id', [today]);
    expect(rows.map((r) => [String(r.campaign_id), r.school_id == null ? null : String(r.school_id), r.enterprise_id == null ? null : String(r.enterprise_id), Number(r.participants), r.commune_code])).toEqual([
      [schoolCampaign.id, school.id, null, 412, home.code],
      [workplaceCampaign.id, null, enterprise.id, 520, home.code],
    ]);

    const ofCampaign = await ok('EducationActivities', { campaignId: schoolCampaign.id });
    expect(ofCampaign.awarenessActivities).toMatchObject({ totalCount: 1, items: [{ id: atSchool.id, school: { id: school.id, level: 'LOWER_SECONDARY' } }] });
    expect((await ok('EducationCampaign', { id: workplaceCampaign.id })).campaign.activities.map((a: any) => a.id)).toEqual([atWork.id]);
    expect((await ok('EducationSchool', { id: school.id, schoolYear })).school).toMatchObject({ drugEducationDelivered: true, activities: [{ id: atSchool.id, participants: 412 }] });
    expect((await ok('EducationEnterprise', { id: enterprise.id, from: today, to: today })).enterprise).toMatchObject({ workersReached: 520, activities: [{ id: atWork.id }] });
  });

  test("the commune's figures for this month and the province's press figures agree with the database", async () => {
    const from = `${month}-01`;
    const report = (await ok('EducationCommuneReport', { code: home.code, period: month })).commune;
    expect(report.schoolCount).toBe(await count('select count(*) as n from school where commune_code = ?', [home.code]));
    expect(report.period).toMatchObject({
      period: month,
      schools: report.schoolCount,
      awarenessActivities: await count('select count(*) as n from awareness_activity where commune_code = ? and held_on between ? and ?', [home.code, from, today]),
      participantsReached: await count('select sum(participants) as n from awareness_activity where commune_code = ? and held_on between ? and ?', [home.code, from, today]),
      schoolsReached: await count('select count(distinct a.school_id) as n from awareness_activity a join school s on s.id = a.school_id where s.commune_code = ? and a.held_on between ? and ?', [home.code, from, today]),
      industrialParkWorkersReached: 520,
    });
    expect(report.period.awarenessActivities).toBeGreaterThanOrEqual(2);

    const province = (await ok('EducationProvinceReport', { code: fed.province.province.code, period: String(year) })).province;
    // Booleans are integers on SQLite and booleans on PostgreSQL: filter them here.
    const main = (await mediaOutlets()).filter((o) => o.main);
    expect(province.period.mainMediaOutlets).toBe(main.length);
    expect(province.period.mainMediaOutletsWithColumn).toBe(main.filter((o) => o.since && o.since <= `${year}-12-31`).length);
  });

  test('press: the main outlet without a column opens one (once), and a new outlet is registered', async () => {
    const without = await ok('EducationMediaOutlets', { main: true, withColumn: false });
    expect(without.mediaOutlets.totalCount).toBe((await mediaOutlets()).filter((o) => o.main && !o.since).length);
    const outlet = without.mediaOutlets.items[0];
    expect(outlet).toMatchObject({ main: true, columnSince: null, columnName: null });

    const opened = (await ok('EducationOpenMediaColumn', { input: { mediaOutletId: outlet.id, since: today, columnName: 'Văn nghệ với cuộc sống không ma túy' } })).openMediaColumn;
    expect(opened).toMatchObject({ id: outlet.id, columnSince: today, columnName: 'Văn nghệ với cuộc sống không ma túy' });
    expect((await ok('EducationMediaOutlet', { id: outlet.id })).mediaOutlet).toEqual(opened);
    const twice = await run('EducationOpenMediaColumn', { input: { mediaOutletId: outlet.id, since: today, columnName: 'Chuyên mục khác' } });
    expect(fieldErrors(twice).map((e) => e.field)).toEqual(['mediaOutletId']);
    const [row] = await fed.sql<any>('education', 'select cast(column_since as text) as since, column_name from media_outlet where id = ?', [Number(outlet.id)]);
    expect([String(row.since).slice(0, 10), row.column_name]).toEqual([today, 'Văn nghệ với cuộc sống không ma túy']);

    const added = (
      await ok('EducationRegisterMediaOutlet', { input: { name: 'Trang thông tin điện tử Hội Liên hiệp Phụ nữ tỉnh Cao Bằng', kind: 'ONLINE_NEWS', main: false, provinceCode: fed.province.province.code } })
    ).registerMediaOutlet;
    expect(added).toMatchObject({ kind: 'ONLINE_NEWS', main: false, columnSince: null });
    expect((await ok('EducationMediaOutlets', { kind: 'ONLINE_NEWS', first: 100 })).mediaOutlets.items.map((o: any) => o.id)).toContain(added.id);
  });

  test("an officer of one commune sees and writes only that commune's activities", async () => {
    const area = { communes: [home.code] };
    const listed = await ok('EducationActivities', { year: fed.province.year, first: 500 }, area);
    expect(listed.awarenessActivities.totalCount).toBe(await count(`select count(*) as n from awareness_activity where commune_code = ? and held_on between ? and ?`, [home.code, `${fed.province.year}-01-01`, `${fed.province.year}-12-31`]));
    expect(new Set(listed.awarenessActivities.items.map((a: any) => a.commune.code))).toEqual(new Set([home.code]));

    const before = await count('select count(*) as n from awareness_activity where commune_code = ?', [away]);
    const outside = await run('EducationLogActivity', { input: { campaignId: workplaceCampaign.id, heldOn: today, communeCode: away, enterpriseId: enterprise.id, participants: 60, title: 'Phát tờ rơi tại nhà xưởng' } }, area);
    expect(fieldErrors(outside)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'communeCode', message: expect.stringContaining('outside your area') })]));
    const schoolAway = await run('EducationRegisterSchool', { input: { name: 'Trường Mầm non Hoa Sen', level: 'PRIMARY', communeCode: away, students: 120 } }, area);
    expect(fieldErrors(schoolAway).map((e) => e.field)).toEqual(['communeCode']);
    expect(await count('select count(*) as n from awareness_activity where commune_code = ?', [away])).toBe(before);
    expect(await count('select count(*) as n from school where name = ?', ['Trường Mầm non Hoa Sen'])).toBe(0);

    // Control: the same officer logs in their own commune.
    const inside = await run('EducationLogActivity', { input: { campaignId: schoolCampaign.id, heldOn: today, communeCode: home.code, schoolId: school.id, participants: 38, title: 'Hội thi tìm hiểu pháp luật về phòng, chống ma túy' } }, area);
    expect(inside.errors).toBeUndefined();
    expect(inside.data.logActivity.commune.code).toBe(home.code);
  });
});
