import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { importRows, testImportCaller } from '../../../scripts/lib/import.js';
import { Campaign, CampaignChannel, Enterprise, School } from './entities.js';
import { activitiesImporter } from './importers.js';
import { education } from './index.js';

// Imports run as a province-wide operator of the agency, as `npm run import -- --token` would.
const operator = testImportCaller('education');

const province = syntheticProvince({ seed: 11, scale: 0.1 });
const year = province.year;
const FUTURE = '2999-01-01';
const UNKNOWN_COMMUNE = '09999';
const TABLES = ['campaign', 'awareness_activity', 'worker_attendance', 'school', 'enterprise', 'media_outlet', 'idempotent_write'];

let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

// Seeded rows the writes refer to.
let schoolCampaign: Campaign;
let workplaceCampaign: Campaign;
let communityCampaign: Campaign;
let school: School;
let otherSchool: School;
let parkEnterprise: Enterprise;

beforeAll(async () => {
  subgraph = await startTestSubgraph(education, province);
  ({ service, url } = subgraph);
  const em = service.orm.em.fork();
  const first = (channel: CampaignChannel) => em.findOneOrFail(Campaign, { channel }, { orderBy: { id: 'asc' } });
  [schoolCampaign, workplaceCampaign, communityCampaign] = await Promise.all([first(CampaignChannel.SCHOOL), first(CampaignChannel.WORKPLACE), first(CampaignChannel.COMMUNITY)]);
  school = await em.findOneOrFail(School, { id: { $gt: 0 } }, { orderBy: { id: 'asc' } });
  otherSchool = await em.findOneOrFail(School, { communeCode: { $ne: school.communeCode } }, { orderBy: { id: 'asc' } });
  parkEnterprise = await em.findOneOrFail(Enterprise, { industrialPark: { $ne: null } }, { orderBy: { id: 'asc' } });
});

afterAll(async () => {
  await subgraph?.close();
});

async function sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  return service.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}

/** Row counts of every table a write could touch. */
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await sql(`select count(*) as n from ${t}`))[0].n);
  return out;
}

const inputType = (op: string) => `${op[0].toUpperCase()}${op.slice(1)}Input`;

function call(op: string, input: Record<string, unknown>, selection = 'id') {
  return postGraphql(url, `mutation($input: ${inputType(op)}!) { ${op}(input: $input) { ${selection} } }`, { input });
}

async function ok(op: string, input: Record<string, unknown>, selection = 'id') {
  const res = await call(op, input, selection);
  expect(res.errors).toBeUndefined();
  return res.data![op];
}

/** Refused with exactly these fields in `extensions.fieldErrors`, and nothing written anywhere. */
async function refused(op: string, input: Record<string, unknown>, fields: string[]) {
  const before = await counts();
  const res = await call(op, input, '__typename');
  expect(res.data?.[op] ?? null).toBeNull();
  expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const got = new Set(((res.errors![0].extensions!.fieldErrors as Array<{ field: string }>) ?? []).map((e) => e.field));
  expect([...got].sort()).toEqual([...fields].sort());
  expect(await counts()).toEqual(before);
  return res.errors![0];
}

const campaignInput = (o: Record<string, unknown> = {}) => ({
  name: 'Tuyên truyền phòng, chống ma túy tại khu dân cư',
  organiser: 'Sở VH-TT',
  channel: 'COMMUNITY',
  targetGroup: 'GENERAL_PUBLIC',
  startsOn: `${year}-03-01`,
  endsOn: `${year}-03-31`,
  ...o,
});

const activityInput = (o: Record<string, unknown> = {}) => ({
  campaignId: String(schoolCampaign.id),
  heldOn: schoolCampaign.startsOn,
  communeCode: school.communeCode,
  schoolId: String(school.id),
  participants: 320,
  title: 'Buổi ngoại khóa phòng, chống ma túy',
  ...o,
});

describe('createCampaign', () => {
  test('creates a campaign, with a platform for social media and the 26/6 flag', async () => {
    const created = await ok(
      'createCampaign',
      campaignInput({ channel: 'SOCIAL_MEDIA', targetGroup: 'YOUTH', socialPlatform: 'ZALO', startsOn: `${year}-06-01`, endsOn: `${year}-06-30`, actionMonth: true, nationalDay: true }),
      'id name channel socialPlatform actionMonth nationalDay startsOn endsOn',
    );
    expect(created).toMatchObject({ channel: 'SOCIAL_MEDIA', socialPlatform: 'ZALO', actionMonth: true, nationalDay: true, startsOn: `${year}-06-01` });
    const [row] = await sql('select social_platform, national_day from campaign where id = ?', [Number(created.id)]);
    expect(row.social_platform).toBe('ZALO');
    expect(Boolean(row.national_day)).toBe(true);
  });

  test('a planned campaign may end in the future', async () => {
    const created = await ok('createCampaign', campaignInput({ endsOn: FUTURE }), 'endsOn actionMonth nationalDay socialPlatform');
    expect(created).toEqual({ endsOn: FUTURE, actionMonth: false, nationalDay: false, socialPlatform: null });
  });

  test('collects every field error and writes nothing', async () => {
    const err = await refused(
      'createCampaign',
      campaignInput({ name: '', organiser: 'x'.repeat(65), startsOn: `${year}-05-10`, endsOn: `${year}-05-01`, socialPlatform: 'FACEBOOK' }),
      ['name', 'organiser', 'endsOn', 'socialPlatform'],
    );
    expect(err.message).toMatch(/endsOn: must not be before startsOn/);
  });

  test('the action month must overlap June and the national day include 26/6', async () => {
    await refused('createCampaign', campaignInput({ actionMonth: true, nationalDay: true }), ['actionMonth', 'nationalDay']);
    await refused('createCampaign', campaignInput({ startsOn: `${year}-06-01`, endsOn: `${year}-06-20`, actionMonth: true, nationalDay: true }), ['nationalDay']);
  });

  test('an invalid calendar date is a field error', async () => {
    // LocalDate refuses 30 February itself; the writes function checks dates for importers too.
    const res = await call('createCampaign', campaignInput({ startsOn: `${year}-02-30` }));
    expect(res.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });
});

describe('logActivity', () => {
  test('logs a school activity and a workplace activity at an enterprise', async () => {
    const a = await ok('logActivity', activityInput(), 'id heldOn participants campaign { id } school { id } enterprise { id } commune { code }');
    expect(a).toMatchObject({ heldOn: schoolCampaign.startsOn, participants: 320, campaign: { id: String(schoolCampaign.id) }, school: { id: String(school.id) }, enterprise: null });
    const w = await ok(
      'logActivity',
      activityInput({ campaignId: String(workplaceCampaign.id), heldOn: workplaceCampaign.startsOn, communeCode: parkEnterprise.communeCode, schoolId: null, enterpriseId: String(parkEnterprise.id), title: 'Tọa đàm tại doanh nghiệp' }),
      'id school { id } enterprise { id industrialPark }',
    );
    expect(w).toMatchObject({ school: null, enterprise: { id: String(parkEnterprise.id), industrialPark: parkEnterprise.industrialPark } });
    const [row] = await sql('select enterprise_id, school_id, commune_code from awareness_activity where id = ?', [Number(w.id)]);
    expect({ e: Number(row.enterprise_id), s: row.school_id, c: row.commune_code }).toEqual({ e: parkEnterprise.id, s: null, c: parkEnterprise.communeCode });
  });

  test('a workplace attendance list: g2 counts each worker once however many sessions; a list is checked', async () => {
    const at = { campaignId: String(workplaceCampaign.id), heldOn: workplaceCampaign.startsOn, communeCode: parkEnterprise.communeCode, schoolId: null, enterpriseId: String(parkEnterprise.id), title: 'Tọa đàm tại doanh nghiệp' };
    // A month of its own: the seed's sessions fall anywhere in the campaign, so compare before and after.
    const month = workplaceCampaign.startsOn.slice(0, 7);
    const figures = async () => {
      const res = await postGraphql(url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on CommunePeriod { industrialParkWorkersReached industrialParkWorkersReachedDistinct } } }', {
        r: [{ __typename: 'CommunePeriod', communeCode: parkEnterprise.communeCode, period: month }],
      });
      expect(res.errors).toBeUndefined();
      return res.data._entities[0] as { industrialParkWorkersReached: number; industrialParkWorkersReachedDistinct: number };
    };
    const before = await figures();
    await ok('logActivity', { ...at, participants: 3, workerKeys: ['0499000001', '0499000002', '0499000003'] });
    // Two came again, one is new; two more attended without being on the list.
    await ok('logActivity', { ...at, participants: 5, workerKeys: ['0499000001', '0499000002', '0499000004'] });
    const after = await figures();
    expect(after.industrialParkWorkersReached - before.industrialParkWorkersReached).toBe(8);
    expect(after.industrialParkWorkersReachedDistinct - before.industrialParkWorkersReachedDistinct).toBe(4);

    await refused('logActivity', { ...at, participants: 2, workerKeys: ['0499000001', '0499000001'] }, ['workerKeys']);
    await refused('logActivity', { ...at, participants: 1, workerKeys: ['0499000001', '0499000005'] }, ['workerKeys']);
    await refused('logActivity', { ...at, participants: 2, workerKeys: ['0499000001', '12345'] }, ['workerKeys[1]']);
    await refused('logActivity', activityInput({ workerKeys: ['0499000001'] }), ['workerKeys']);
  });

  test('a community activity is at neither a school nor an enterprise', async () => {
    const a = await ok('logActivity', activityInput({ campaignId: String(communityCampaign.id), heldOn: communityCampaign.endsOn, schoolId: null, title: 'Họp dân tuyên truyền' }), 'school { id } enterprise { id }');
    expect(a).toEqual({ school: null, enterprise: null });
  });

  test('unknown commune code, malformed code, out-of-range participants', async () => {
    await refused('logActivity', activityInput({ communeCode: UNKNOWN_COMMUNE }), ['communeCode']);
    const err = await refused('logActivity', activityInput({ communeCode: '123', participants: 0 }), ['communeCode', 'participants']);
    expect(err.message).toMatch(/5-digit/);
    await refused('logActivity', activityInput({ participants: 100_001 }), ['participants']);
  });

  test('a day in the future or outside the campaign period', async () => {
    const planned = await ok('createCampaign', campaignInput({ channel: 'MASS_MEDIA', startsOn: `${year}-01-01`, endsOn: FUTURE }));
    const err = await refused('logActivity', activityInput({ campaignId: planned.id, schoolId: null, heldOn: '2998-12-31' }), ['heldOn']);
    expect(err.message).toMatch(/future/);
    const outside = await refused('logActivity', activityInput({ heldOn: `${year - 5}-01-01` }), ['heldOn']);
    expect(outside.message).toMatch(/within the campaign period/);
  });

  test('unknown campaign, school and enterprise ids', async () => {
    await refused('logActivity', activityInput({ campaignId: '999999' }), ['campaignId']);
    await refused('logActivity', activityInput({ campaignId: 'abc' }), ['campaignId']);
    await refused('logActivity', activityInput({ schoolId: '999999' }), ['schoolId']);
    await refused(
      'logActivity',
      activityInput({ campaignId: String(workplaceCampaign.id), heldOn: workplaceCampaign.startsOn, schoolId: null, enterpriseId: '999999' }),
      ['enterpriseId'],
    );
  });

  test('the school or enterprise must be in the activity commune and fit the channel, never both', async () => {
    const err = await refused('logActivity', activityInput({ schoolId: String(otherSchool.id) }), ['schoolId']);
    expect(err.message).toMatch(new RegExp(`is in commune ${otherSchool.communeCode}`));
    await refused('logActivity', activityInput({ schoolId: null }), ['schoolId']);
    await refused('logActivity', activityInput({ enterpriseId: String(parkEnterprise.id) }), ['enterpriseId']);
    await refused('logActivity', activityInput({ campaignId: String(communityCampaign.id), heldOn: communityCampaign.startsOn }), ['schoolId']);
    await refused(
      'logActivity',
      activityInput({ campaignId: String(workplaceCampaign.id), heldOn: workplaceCampaign.startsOn, communeCode: parkEnterprise.communeCode, schoolId: null }),
      ['enterpriseId'],
    );
  });
});

describe('registers: schools, enterprises, press outlets and their columns', () => {
  const commune = province.communes[1].code;

  test('registerSchool', async () => {
    const s = await ok('registerSchool', { name: 'Trường THCS Thử nghiệm', level: 'LOWER_SECONDARY', communeCode: commune, students: 420 }, 'id name level students commune { code }');
    expect(s).toMatchObject({ level: 'LOWER_SECONDARY', students: 420, commune: { code: commune } });
    await refused('registerSchool', { name: 'Trường Tiểu học X', level: 'PRIMARY', communeCode: UNKNOWN_COMMUNE, students: 0 }, ['communeCode', 'students']);
    await refused('registerSchool', { name: ' ', level: 'PRIMARY', communeCode: commune, students: 50_001 }, ['name', 'students']);
  });

  test('registerEnterprise, in and outside an industrial park', async () => {
    const e = await ok('registerEnterprise', { name: 'Công ty TNHH May Thử nghiệm', communeCode: commune, industrialPark: 'Khu công nghiệp Thử nghiệm', workers: 900 }, 'id industrialPark workers');
    expect(e).toMatchObject({ industrialPark: 'Khu công nghiệp Thử nghiệm', workers: 900 });
    const outside = await ok('registerEnterprise', { name: 'Hợp tác xã Dược liệu', communeCode: commune, industrialPark: '  ', workers: 12 }, 'industrialPark');
    expect(outside.industrialPark).toBeNull();
    await refused('registerEnterprise', { name: 'Công ty Y', communeCode: UNKNOWN_COMMUNE, workers: 0 }, ['communeCode', 'workers']);
    await refused('registerEnterprise', { name: 'Công ty Z', communeCode: '1', workers: 100_001, industrialPark: 'x'.repeat(129) }, ['communeCode', 'workers', 'industrialPark']);
  });

  test('registerMediaOutlet and openMediaColumn; a column is opened once', async () => {
    const o = await ok('registerMediaOutlet', { name: 'Báo Thử nghiệm', kind: 'NEWSPAPER', main: true, provinceCode: province.province.code }, 'id main columnSince columnName');
    expect(o).toMatchObject({ main: true, columnSince: null, columnName: null });
    await refused('registerMediaOutlet', { name: 'Báo Khác', kind: 'MAGAZINE', main: false, provinceCode: '99' }, ['provinceCode']);
    await refused('registerMediaOutlet', { name: '', kind: 'MAGAZINE', main: false, provinceCode: '4' }, ['name', 'provinceCode']);

    await refused('openMediaColumn', { mediaOutletId: o.id, since: FUTURE, columnName: 'Vì cuộc sống không ma túy' }, ['since']);
    await refused('openMediaColumn', { mediaOutletId: '999999', since: `${year}-02-01`, columnName: '' }, ['mediaOutletId', 'columnName']);
    const opened = await ok('openMediaColumn', { mediaOutletId: o.id, since: `${year}-02-01`, columnName: 'Vì cuộc sống không ma túy' }, 'id columnSince columnName');
    expect(opened).toEqual({ id: o.id, columnSince: `${year}-02-01`, columnName: 'Vì cuộc sống không ma túy' });
    // Not reopened, nor moved to another day: the lifecycle goes from "no column" to "column" only.
    const err = await refused('openMediaColumn', { mediaOutletId: o.id, since: `${year}-03-01`, columnName: 'Khác' }, ['mediaOutletId']);
    expect(err.message).toMatch(new RegExp(`already has a column since ${year}-02-01`));
  });

  test('registered rows show in the figures of their commune and province', async () => {
    const code = province.communes[2].code;
    const reps = [
      { __typename: 'CommunePeriod', communeCode: code, period: String(year) },
      { __typename: 'ProvincePeriod', provinceCode: province.province.code, period: String(year) },
    ];
    const read = async () => {
      const res = await postGraphql(
        url,
        `query($r: [_Any!]!) { _entities(representations: $r) {
           ... on CommunePeriod { schools industrialParkWorkers industrialParkWorkersReached }
           ... on ProvincePeriod { schools industrialParkWorkers industrialParkWorkersReached mainMediaOutlets mainMediaOutletsWithColumn } } }`,
        { r: reps },
      );
      expect(res.errors).toBeUndefined();
      return res.data._entities;
    };
    const [c0, p0] = await read();
    await ok('registerSchool', { name: 'Trường Tiểu học Mới', level: 'PRIMARY', communeCode: code, students: 100 });
    const e = await ok('registerEnterprise', { name: 'Công ty Cổ phần Điện tử Mới', communeCode: code, industrialPark: 'Khu công nghiệp Mới', workers: 500 });
    const c = await ok('createCampaign', campaignInput({ channel: 'WORKPLACE', targetGroup: 'WORKERS', organiser: 'Liên đoàn Lao động tỉnh', startsOn: `${year}-10-01`, endsOn: `${year}-10-31` }));
    await ok('logActivity', activityInput({ campaignId: c.id, heldOn: `${year}-10-15`, communeCode: code, schoolId: null, enterpriseId: e.id, participants: 350, title: 'Tọa đàm tại doanh nghiệp' }));
    const o = await ok('registerMediaOutlet', { name: 'Đài Thử nghiệm', kind: 'RADIO_TELEVISION', main: true, provinceCode: province.province.code });
    await ok('openMediaColumn', { mediaOutletId: o.id, since: `${year + 1}-01-05`, columnName: 'Phòng, chống ma túy' });
    const [c1, p1] = await read();
    expect(c1).toEqual({ schools: c0.schools + 1, industrialParkWorkers: c0.industrialParkWorkers + 500, industrialParkWorkersReached: c0.industrialParkWorkersReached + 350 });
    // The column started after the period: the outlet counts as main, not yet as one with a column.
    expect(p1).toEqual({
      schools: p0.schools + 1,
      industrialParkWorkers: p0.industrialParkWorkers + 500,
      industrialParkWorkersReached: p0.industrialParkWorkersReached + 350,
      mainMediaOutlets: p0.mainMediaOutlets + 1,
      mainMediaOutletsWithColumn: p0.mainMediaOutletsWithColumn,
    });
  });
});

describe('idempotency', () => {
  test('the same key twice writes one row and answers the same', async () => {
    const before = await counts();
    const input = campaignInput({ name: 'Chiến dịch gửi lại', idempotencyKey: 'retry-campaign-0001' });
    const first = await ok('createCampaign', input, 'id name');
    const again = await ok('createCampaign', input, 'id name');
    expect(again).toEqual(first);
    const after = await counts();
    expect(after.campaign).toBe(before.campaign + 1);
    expect(after.idempotent_write).toBe(before.idempotent_write + 1);
  });

  test('the same key with different input is refused and writes nothing', async () => {
    const before = await counts();
    const res = await call('createCampaign', campaignInput({ name: 'Chiến dịch khác', idempotencyKey: 'retry-campaign-0001' }));
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await counts()).toEqual(before);
  });

  test('a retried activity is logged once', async () => {
    const before = await counts();
    const input = activityInput({ participants: 77, idempotencyKey: 'retry-activity-0001' });
    const first = await ok('logActivity', input);
    expect(await ok('logActivity', input)).toEqual(first);
    expect((await counts()).awareness_activity).toBe(before.awareness_activity + 1);
  });

  test('a retried column opening replays instead of being refused as already open', async () => {
    const o = await ok('registerMediaOutlet', { name: 'Báo Gửi lại', kind: 'ONLINE_NEWS', main: false, provinceCode: province.province.code, idempotencyKey: 'retry-outlet-00001' });
    const input = { mediaOutletId: o.id, since: `${year}-04-01`, columnName: 'Nói không với ma túy', idempotencyKey: 'retry-column-00001' };
    const first = await ok('openMediaColumn', input, 'id columnSince');
    expect(await ok('openMediaColumn', input, 'id columnSince')).toEqual(first);
  });
});

describe('activities importer', () => {
  const dmy = (d: string) => `${Number(d.slice(8))}/${Number(d.slice(5, 7))}/${d.slice(0, 4)}`;

  test('imports good rows, reports broken ones by row and column, and imports nothing twice', async () => {
    const wp = workplaceCampaign;
    const rows: Record<string, string>[] = [
      // 2: good, school activity
      { 'Mã chiến dịch': String(schoolCampaign.id), 'Ngày tổ chức': schoolCampaign.startsOn, 'Mã xã': school.communeCode, Trường: String(school.id), 'Doanh nghiệp': '', 'Số người tham dự': '250', 'Nội dung': 'Tiết sinh hoạt dưới cờ chủ đề phòng, chống ma túy' },
      // 3: good, workplace activity, Vietnamese day format and thousands separator
      { 'Mã chiến dịch': String(wp.id), 'Ngày tổ chức': dmy(wp.endsOn), 'Mã xã': parkEnterprise.communeCode, Trường: '', 'Doanh nghiệp': String(parkEnterprise.id), 'Số người tham dự': '1.200', 'Nội dung': 'Tuyên truyền tại khu công nghiệp' },
      // 4: bad day and bad number (parse errors)
      { 'Mã chiến dịch': String(wp.id), 'Ngày tổ chức': '31/02/x', 'Mã xã': parkEnterprise.communeCode, Trường: '', 'Doanh nghiệp': String(parkEnterprise.id), 'Số người tham dự': 'nhiều', 'Nội dung': 'Tọa đàm' },
      // 5: unknown commune (write-time error)
      { 'Mã chiến dịch': String(communityCampaign.id), 'Ngày tổ chức': communityCampaign.startsOn, 'Mã xã': UNKNOWN_COMMUNE, Trường: '', 'Doanh nghiệp': '', 'Số người tham dự': '40', 'Nội dung': 'Họp dân' },
      // 6: school and enterprise at once, day in the future
      { 'Mã chiến dịch': String(schoolCampaign.id), 'Ngày tổ chức': '2999-01-01', 'Mã xã': school.communeCode, Trường: String(school.id), 'Doanh nghiệp': String(parkEnterprise.id), 'Số người tham dự': '30', 'Nội dung': 'Hội thi' },
      // 7: good, community activity without school or enterprise
      { 'Mã chiến dịch': String(communityCampaign.id), 'Ngày tổ chức': communityCampaign.startsOn, 'Mã xã': province.communes[3].code, Trường: '', 'Doanh nghiệp': '', 'Số người tham dự': '85', 'Nội dung': 'Chiếu phim lưu động' },
    ];
    const before = await counts();
    const report = await importRows(service, activitiesImporter, rows, operator);
    expect(report).toMatchObject({ rows: 6, imported: 3, alreadyImported: 0, failed: 3, unknownHeaders: [] });
    const at = (row: number) => [...new Set(report.errors.filter((e) => e.row === row).map((e) => e.column))].sort();
    expect(at(4)).toEqual(['Ngày tổ chức', 'Số người tham dự']);
    expect(at(5)).toEqual(['Mã xã']);
    expect(at(6)).toEqual(['Doanh nghiệp', 'Ngày tổ chức']);
    expect(report.errors.find((e) => e.row === 6 && e.column === 'Ngày tổ chức')?.reason).toMatch(/future/);

    expect((await counts()).awareness_activity).toBe(before.awareness_activity + 3);
    const [imported] = await sql('select participants, held_on from awareness_activity where enterprise_id = ? and participants = 1200', [parkEnterprise.id]);
    expect(Number(imported.participants)).toBe(1200);

    const again = await importRows(service, activitiesImporter, rows, operator);
    expect(again).toMatchObject({ imported: 0, alreadyImported: 3, failed: 3 });
    expect((await counts()).awareness_activity).toBe(before.awareness_activity + 3);
  });

  test('English headers; a changed row under the same natural key is refused, not duplicated', async () => {
    const row = { 'campaign id': String(communityCampaign.id), date: communityCampaign.endsOn, 'commune code': province.communes[4].code, participants: '60', title: 'Mít tinh, diễu hành cổ động' };
    const before = await counts();
    expect(await importRows(service, activitiesImporter, [row], operator)).toMatchObject({ imported: 1, failed: 0, unknownHeaders: [] });
    const changed = await importRows(service, activitiesImporter, [{ ...row, participants: '61' }], operator);
    expect(changed).toMatchObject({ imported: 0, failed: 1 });
    expect(changed.errors[0].reason).toMatch(/idempotencyKey was already used/);
    expect((await counts()).awareness_activity).toBe(before.awareness_activity + 1);
  });

  test('a missing required column is reported for every row', async () => {
    const report = await importRows(service, activitiesImporter, [{ 'Mã chiến dịch': String(communityCampaign.id), 'Ngày tổ chức': communityCampaign.startsOn, 'Nội dung': 'Họp dân' }], operator);
    expect(report.failed).toBe(1);
    expect(report.errors.map((e) => e.column).sort()).toEqual(['communeCode', 'participants']);
  });
});
