import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { todayInVietnam } from '@pcmt/kit';
import { startTestFederation, type TestFederation } from '../harness.js';

// A police officer's day through the registered operations of the police app (client police-app)
// only: registers, one record, the writes, and each write read back through the operations and
// checked in the police database.

let fed: TestFederation;
/** The commune with the most cases: the officer's own in the area checks. */
let home: string;
/** Another commune of the province, outside a home-commune officer's area. */
let away: string;

const ROLE = 'police-officer';
const PURPOSE = 'Điều tra, xử lý vụ án ma túy';
const withPurpose = { purpose: PURPOSE };

// Days already past: writes refuse dates in the future.
const CASE_ID = 'VA-2026-00901';
const REPORTED_ON = '2026-11-20';

/** Persons the officer enters into the population register (CCCD of Cao Bằng, 004). */
const THANG = { citizenId: '004094731526', fullName: 'Nông Văn Thắng', sex: 'MALE', birthYear: 1994 };
const MAI = { citizenId: '004301552804', fullName: 'Hoàng Thị Mai', sex: 'FEMALE', birthYear: 2001 };
const QUYET = { citizenId: '004088260417', fullName: 'Lục Văn Quyết', sex: 'MALE', birthYear: 1988 };

const run = (operation: string, variables?: Record<string, unknown>, opts?: { purpose?: string; communes?: string[]; province?: string }) =>
  fed.run(ROLE, operation, variables, opts);

/** The answer's data, after checking there was no error. */
function ok(res: { data?: any; errors?: any[] }): any {
  expect(res.errors).toBeUndefined();
  expect(res.data).toBeTruthy();
  return res.data;
}

/** The first error's code and the fields an input error names. */
function refusal(res: { data?: any; errors?: any[] }): { code: string; fields: string[]; messages: string } {
  expect(res.errors?.length).toBeGreaterThan(0);
  const ext = res.errors![0].extensions ?? {};
  const fieldErrors: Array<{ field: string; message: string }> = ext.fieldErrors ?? [];
  return { code: ext.code, fields: fieldErrors.map((e) => e.field), messages: fieldErrors.map((e) => e.message).join('; ') };
}

/** A date column as YYYY-MM-DD on SQLite (text) and PostgreSQL (Date at local midnight). */
function day(v: unknown): string | null {
  if (v == null) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
}

const count = async (sql: string, params: unknown[] = []) => Number((await fed.sql<{ n: number | string }>('police', sql, params))[0].n);
const communeName = (code: string) => fed.province.communes.find((c) => c.code === code)!.name;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.15 });
  const busiest = await fed.sql<{ commune_code: string }>('police', 'select commune_code, count(*) as n from drug_case group by commune_code order by count(*) desc, commune_code limit 2');
  [home, away] = busiest.map((r) => r.commune_code);
});

afterAll(async () => {
  await fed?.close();
});

describe('the case register and one case file', () => {
  test('the register lists the year\'s cases newest first, page by page, as the database holds them', async () => {
    const ids = (await fed.sql<{ id: string }>('police', "select id from drug_case where reported_on between '2025-01-01' and '2025-12-31' order by reported_on desc, id asc")).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(20);
    const page1 = ok(await run('PoliceCaseRegister', { year: 2025, first: 10, offset: 0 })).drugCases;
    const page2 = ok(await run('PoliceCaseRegister', { year: 2025, first: 10, offset: 10 })).drugCases;
    expect(page1.totalCount).toBe(ids.length);
    expect(page1.items.map((c: any) => c.id)).toEqual(ids.slice(0, 10));
    expect(page2.items.map((c: any) => c.id)).toEqual(ids.slice(10, 20));
    for (const c of page1.items) {
      expect(c.reportedOn.startsWith('2025-')).toBe(true);
      expect(c.penalArticleTitle).toMatch(/^Tội /);
      expect(c.commune.name).toBe(communeName(c.commune.code));
    }
  });

  test('filters by commune and status', async () => {
    const [{ status }] = await fed.sql<{ status: string }>('police', 'select status, count(*) as n from drug_case where commune_code = ? group by status order by count(*) desc, status limit 1', [home]);
    const expected = (await fed.sql<{ id: string }>('police', 'select id from drug_case where commune_code = ? and status = ? order by reported_on desc, id asc', [home, status])).map((r) => r.id);
    const page = ok(await run('PoliceCaseRegister', { communeCode: home, status, first: 50, offset: 0 })).drugCases;
    expect(page.totalCount).toBe(expected.length);
    expect(page.items.map((c: any) => c.id)).toEqual(expected);
    expect(new Set(page.items.map((c: any) => `${c.status} ${c.commune.code}`))).toEqual(new Set([`${status} ${home}`]));
  });

  test('one case shows its suspects and seized items; without a purpose it is refused', async () => {
    const [{ id }] = await fed.sql<{ id: string }>('police', 'select c.id from drug_case c join case_suspect s on s.drug_case_id = c.id group by c.id order by count(*) desc, c.id limit 1');
    const suspects = await fed.sql<any>('police', 'select s.person_citizen_id as citizen_id, s.role, p.full_name from case_suspect s join person p on p.citizen_id = s.person_citizen_id where s.drug_case_id = ? order by s.person_citizen_id', [id]);
    const items = await fed.sql<any>('police', 'select substance_code, quantity, unit from case_seized_item where drug_case_id = ? order by id', [id]);

    const refused = await run('PoliceCase', { id });
    expect(refusal(refused).code).toBe('PURPOSE_REQUIRED');
    expect(refused.data?.drugCase ?? null).toBeNull();

    const c = ok(await run('PoliceCase', { id }, withPurpose)).drugCase;
    expect(c.id).toBe(id);
    const got = c.suspects.map((s: any) => ({ citizen_id: s.person.citizenId, role: s.role, full_name: s.person.fullName }));
    expect(got.sort((a: any, b: any) => a.citizen_id.localeCompare(b.citizen_id))).toEqual(suspects.map((s) => ({ citizen_id: s.citizen_id, role: s.role, full_name: s.full_name })));
    expect(c.seizedItems.map((i: any) => ({ substance_code: i.substanceCode, quantity: i.quantity, unit: i.unit }))).toEqual(items.map((i) => ({ ...i, quantity: Number(i.quantity) })));
    for (const i of c.seizedItems) expect(i.substance.code).toBe(i.substanceCode);
  });
});

describe('a new case, from the first report to prosecution', () => {
  const openInput = () => ({
    id: CASE_ID,
    reportedOn: REPORTED_ON,
    communeCode: home,
    article: '251',
    route: 'LAND_BORDER',
    transnational: true,
    organised: true,
    assetsRecoveredVnd: 45_000_000,
    seizedItems: [
      { substanceCode: 'HEROIN', quantity: 350, unit: 'GRAM' },
      { substanceCode: 'METHAMPHETAMINE', quantity: 2000, unit: 'TABLET' },
    ],
    suspects: [{ citizenId: THANG.citizenId, role: 'LEADER', arrestedOn: REPORTED_ON }],
    idempotencyKey: `police-app:openDrugCase:${CASE_ID}`,
  });

  test('enters the suspects into the population register (a write naming a person: with a purpose)', async () => {
    expect(refusal(await run('PoliceRegisterPerson', { input: { ...THANG, communeCode: home } })).code).toBe('PURPOSE_REQUIRED');
    for (const p of [THANG, MAI, QUYET]) {
      const person = ok(await run('PoliceRegisterPerson', { input: { ...p, communeCode: home, idempotencyKey: `police-app:registerPerson:${p.citizenId}` } }, withPurpose)).registerPerson;
      expect(person).toEqual({ ...p, commune: { code: home, name: communeName(home) } });
    }
    const rows = await fed.sql<any>('police', 'select citizen_id, full_name, sex, birth_year, commune_code from person where citizen_id in (?, ?, ?) order by citizen_id', [THANG.citizenId, MAI.citizenId, QUYET.citizenId]);
    expect(rows.map((r) => ({ ...r, birth_year: Number(r.birth_year) }))).toEqual(
      [QUYET, THANG, MAI].map((p) => ({ citizen_id: p.citizenId, full_name: p.fullName, sex: p.sex, birth_year: p.birthYear, commune_code: home })),
    );
    // The register refuses the same CCCD twice (without a key that would make it a retry).
    const again = await run('PoliceRegisterPerson', { input: { ...THANG, fullName: 'Nông Văn Thắng (trùng)', communeCode: home } }, withPurpose);
    expect(refusal(again)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['citizenId'] });
  });

  test('opening the case with its suspects needs a purpose: refused without one, nothing written', async () => {
    const res = await run('PoliceOpenCase', { input: openInput() });
    expect(refusal(res).code).toBe('PURPOSE_REQUIRED');
    expect(await count('select count(*) as n from drug_case where id = ?', [CASE_ID])).toBe(0);
  });

  test('opens the case with its seized items and first suspect, once even when the app retries', async () => {
    const opened = ok(await run('PoliceOpenCase', { input: openInput() }, withPurpose)).openDrugCase;
    expect(opened).toMatchObject({
      id: CASE_ID,
      reportedOn: REPORTED_ON,
      status: 'REPORTED',
      article: '251',
      penalArticleTitle: 'Tội mua bán trái phép chất ma túy',
      route: 'LAND_BORDER',
      transnational: true,
      organised: true,
      cyberspace: false,
      assetsRecoveredVnd: 45_000_000,
      commune: { code: home, name: communeName(home) },
    });
    expect(opened.suspects).toEqual([{ role: 'LEADER', arrestedOn: REPORTED_ON, person: { ...THANG, commune: { code: home, name: communeName(home) } } }]);
    // Tablets by typical weight (0.1 g a yaba tablet), grams to kilograms.
    expect(opened.seizedItems.map((i: any) => [i.substanceCode, i.quantity, i.unit, i.kgEquivalent])).toEqual([
      ['HEROIN', 350, 'GRAM', 0.35],
      ['METHAMPHETAMINE', 2000, 'TABLET', 0.2],
    ]);

    const retried = ok(await run('PoliceOpenCase', { input: openInput() }, withPurpose)).openDrugCase;
    expect(retried.id).toBe(CASE_ID);

    const [row] = await fed.sql<any>('police', 'select status, commune_code, article, route, reported_on, transnational, organised, cyberspace, assets_recovered_vnd from drug_case where id = ?', [CASE_ID]);
    expect({ ...row, reported_on: day(row.reported_on), transnational: Boolean(row.transnational), organised: Boolean(row.organised), cyberspace: Boolean(row.cyberspace), assets_recovered_vnd: Number(row.assets_recovered_vnd) }).toEqual({
      status: 'REPORTED',
      commune_code: home,
      article: '251',
      route: 'LAND_BORDER',
      reported_on: REPORTED_ON,
      transnational: true,
      organised: true,
      cyberspace: false,
      assets_recovered_vnd: 45_000_000,
    });
    const items = await fed.sql<any>('police', 'select substance_code, quantity, unit, kg_equivalent from case_seized_item where drug_case_id = ? order by id', [CASE_ID]);
    expect(items.map((i) => [i.substance_code, Number(i.quantity), i.unit, Number(i.kg_equivalent)])).toEqual([
      ['HEROIN', 350, 'GRAM', 0.35],
      ['METHAMPHETAMINE', 2000, 'TABLET', 0.2],
    ]);
    expect(await count('select count(*) as n from case_suspect where drug_case_id = ?', [CASE_ID])).toBe(1);
  });

  test('the same case number cannot be opened twice', async () => {
    const res = await run('PoliceOpenCase', { input: { ...openInput(), idempotencyKey: undefined, suspects: [] } }, withPurpose);
    expect(refusal(res)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['id'] });
    expect(await count('select count(*) as n from drug_case where id = ?', [CASE_ID])).toBe(1);
  });

  test('adds an accomplice, and refuses the same person twice', async () => {
    const input = { drugCaseId: CASE_ID, citizenId: MAI.citizenId, role: 'ACCOMPLICE', arrestedOn: '2026-11-21' };
    expect(refusal(await run('PoliceAddCaseSuspect', { input })).code).toBe('PURPOSE_REQUIRED');
    const added = ok(await run('PoliceAddCaseSuspect', { input }, withPurpose)).addCaseSuspect;
    expect(added).toMatchObject({ role: 'ACCOMPLICE', arrestedOn: '2026-11-21', person: { citizenId: MAI.citizenId, fullName: MAI.fullName }, drugCase: { id: CASE_ID, status: 'REPORTED' } });
    const twice = await run('PoliceAddCaseSuspect', { input }, withPurpose);
    expect(refusal(twice)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['citizenId'] });
    // An arrest before the case was reported is a typing error.
    const early = await run('PoliceAddCaseSuspect', { input: { ...input, citizenId: QUYET.citizenId, arrestedOn: '2026-11-02' } }, withPurpose);
    expect(refusal(early)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['arrestedOn'] });
    const rows = await fed.sql<any>('police', 'select person_citizen_id as citizen_id, role, arrested_on from case_suspect where drug_case_id = ? order by id', [CASE_ID]);
    expect(rows.map((r) => [r.citizen_id, r.role, day(r.arrested_on)])).toEqual([
      [THANG.citizenId, 'LEADER', REPORTED_ON],
      [MAI.citizenId, 'ACCOMPLICE', '2026-11-21'],
    ]);
  });

  test('moves the case to investigation and prosecution (about its suspects: with a purpose); a step back is refused', async () => {
    const step = (status: string) => run('PoliceChangeCaseStatus', { input: { id: CASE_ID, status, idempotencyKey: `police-app:status:${CASE_ID}:${status}` } }, withPurpose);
    expect(ok(await step('INVESTIGATING')).changeDrugCaseStatus).toEqual({ id: CASE_ID, status: 'INVESTIGATING', reportedOn: REPORTED_ON });
    expect(ok(await step('PROSECUTED')).changeDrugCaseStatus.status).toBe('PROSECUTED');
    const back = await run('PoliceChangeCaseStatus', { input: { id: CASE_ID, status: 'REPORTED' } }, withPurpose);
    expect(refusal(back)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['status'] });
    const [row] = await fed.sql<{ status: string }>('police', 'select status from drug_case where id = ?', [CASE_ID]);
    expect(row.status).toBe('PROSECUTED');
  });

  test('reads the case back: the case file, the register and the suspect\'s police record', async () => {
    const c = ok(await run('PoliceCase', { id: CASE_ID }, withPurpose)).drugCase;
    expect(c.status).toBe('PROSECUTED');
    expect(c.suspects.map((s: any) => [s.person.citizenId, s.role])).toEqual([
      [THANG.citizenId, 'LEADER'],
      [MAI.citizenId, 'ACCOMPLICE'],
    ]);
    expect(c.seizedItems).toHaveLength(2);

    const register = ok(await run('PoliceCaseRegister', { communeCode: home, status: 'PROSECUTED', year: 2026, first: 50, offset: 0 })).drugCases;
    expect(register.items.map((x: any) => x.id)).toContain(CASE_ID);
    expect(register.totalCount).toBe(await count("select count(*) as n from drug_case where commune_code = ? and status = 'PROSECUTED' and reported_on between '2026-01-01' and '2026-12-31'", [home]));

    const person = ok(await run('PolicePersonRecord', { citizenId: MAI.citizenId }, withPurpose)).person;
    expect(person).toMatchObject({ citizenId: MAI.citizenId, fullName: MAI.fullName, commune: { code: home } });
    expect(person.suspectIn).toEqual([{ role: 'ACCOMPLICE', arrestedOn: '2026-11-21', drugCase: { id: CASE_ID, reportedOn: REPORTED_ON, article: '251', status: 'PROSECUTED' } }]);
    expect(person.managementFiles).toEqual([]);
    expect(person.seizuresAsSuspect).toEqual([]);
  });

  test('an officer of one commune cannot open a file or a wanted notice for a person living elsewhere, and learns nothing about them', async () => {
    const area = { purpose: PURPOSE, communes: [home] };
    // A seeded person living in the other commune, with no open file and no wanted notice.
    const [{ citizen_id: elsewhere }] = await fed.sql<{ citizen_id: string }>(
      'police',
      'select p.citizen_id from person p where p.commune_code = ? and not exists (select 1 from management_file f where f.person_citizen_id = p.citizen_id and f.closed_on is null) order by p.citizen_id limit 1',
      [away],
    );
    const unknown = '004199000001';
    const files = await count('select count(*) as n from management_file');
    const notices = await count('select count(*) as n from wanted_person');
    for (const citizenId of [elsewhere, unknown]) {
      const file = refusal(await run('PoliceOpenManagementFile', { input: { citizenId, category: 'ILLEGAL_USER', openedOn: '2026-11-02' } }, area));
      expect(file).toEqual({ code: 'BAD_USER_INPUT', fields: ['citizenId'], messages: `no person with citizen ID ${citizenId} in the register` });
      const notice = refusal(await run('PoliceRecordWantedPerson', { input: { citizenId, wantedSince: '2026-11-02' } }, area));
      expect(notice).toEqual({ code: 'BAD_USER_INPUT', fields: ['citizenId'], messages: `no person with citizen ID ${citizenId} in the register` });
    }
    expect(await count('select count(*) as n from management_file')).toBe(files);
    expect(await count('select count(*) as n from wanted_person')).toBe(notices);
  });

  test('an officer of one commune cannot open a case elsewhere nor see or move a case outside it', async () => {
    const area = { purpose: PURPOSE, communes: [home] };
    const elsewhere = await run('PoliceOpenCase', { input: { ...openInput(), id: 'VA-2026-00902', communeCode: away, suspects: [], idempotencyKey: undefined } }, area);
    const r = refusal(elsewhere);
    expect(r).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['communeCode'] });
    expect(r.messages).toMatch(/outside your area/);
    expect(await count('select count(*) as n from drug_case where id = ?', ['VA-2026-00902'])).toBe(0);

    // The same case outside the area: invisible and immovable for them, visible province-wide.
    const [{ id: awayCase, status: awayStatus }] = await fed.sql<{ id: string; status: string }>('police', "select id, status from drug_case where commune_code = ? and status in ('REPORTED', 'INVESTIGATING') order by id limit 1", [away]);
    expect(ok(await run('PoliceCase', { id: awayCase }, area)).drugCase).toBeNull();
    expect(ok(await run('PoliceCase', { id: awayCase }, withPurpose)).drugCase.id).toBe(awayCase);
    const moved = await run('PoliceChangeCaseStatus', { input: { id: awayCase, status: 'CLOSED' } }, area);
    expect(refusal(moved)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['id'] });
    const [row] = await fed.sql<{ status: string }>('police', 'select status from drug_case where id = ?', [awayCase]);
    expect(row.status).toBe(awayStatus);
    const homeRegister = ok(await run('PoliceCaseRegister', { first: 500, offset: 0 }, area)).drugCases;
    expect(homeRegister.totalCount).toBe(await count('select count(*) as n from drug_case where commune_code = ?', [home]));
    expect(new Set(homeRegister.items.map((c: any) => c.commune.code))).toEqual(new Set([home]));
  });
});

describe('hotspots: detected, dismantled, back again', () => {
  let hotspotId: string;

  test('the register of the commune\'s hotspots matches the database', async () => {
    const expected = (await fed.sql<{ id: number | string }>('police', 'select id from hotspot where commune_code = ? order by detected_on desc, id asc', [home])).map((r) => String(r.id));
    const page = ok(await run('PoliceHotspotRegister', { communeCode: home, first: 100, offset: 0 })).hotspots;
    expect(page.totalCount).toBe(expected.length);
    expect(new Set(page.items.map((h: any) => h.id))).toEqual(new Set(expected));
    const active = ok(await run('PoliceHotspotRegister', { communeCode: home, dismantled: false, first: 100, offset: 0 })).hotspots;
    expect(active.totalCount).toBe(await count('select count(*) as n from hotspot where commune_code = ? and dismantled_on is null', [home]));
    for (const h of active.items) expect(h).toMatchObject({ dismantledOn: null, active: true });
  });

  test('records a karaoke bar harbouring drug use', async () => {
    const input = { kind: 'HARBOURING_VENUE', venueType: 'KARAOKE', place: 'Quán karaoke Ánh Dương, tổ 5', communeCode: home, detectedOn: '2026-10-02', idempotencyKey: 'police-app:recordHotspot:anh-duong-2026-10-02' };
    const h = ok(await run('PoliceRecordHotspot', { input })).recordHotspot;
    expect(h).toMatchObject({ kind: 'HARBOURING_VENUE', venueType: 'KARAOKE', place: 'Quán karaoke Ánh Dương, tổ 5', detectedOn: '2026-10-02', dismantledOn: null, recurrenceCount: 0, active: true, commune: { code: home } });
    hotspotId = h.id;
    // A retry with the same key is the same hotspot, not a second one.
    expect(ok(await run('PoliceRecordHotspot', { input })).recordHotspot.id).toBe(hotspotId);
    expect(await count("select count(*) as n from hotspot where place = 'Quán karaoke Ánh Dương, tổ 5'")).toBe(1);
  });

  test('dismantles it, refuses a date before detection, then records it operating again', async () => {
    const early = await run('PoliceDismantleHotspot', { input: { id: hotspotId, dismantledOn: '2026-09-30' } });
    expect(refusal(early)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['dismantledOn'] });
    const d = ok(await run('PoliceDismantleHotspot', { input: { id: hotspotId, dismantledOn: '2026-10-20' } })).dismantleHotspot;
    expect(d).toMatchObject({ id: hotspotId, dismantledOn: '2026-10-20', active: false });
    const r = ok(await run('PoliceRecordHotspotRecurrence', { input: { id: hotspotId, recurredOn: '2026-11-15' } })).recordHotspotRecurrence;
    expect(r).toMatchObject({ id: hotspotId, dismantledOn: '2026-10-20', recurredOn: '2026-11-15', recurrenceCount: 1, active: true });
    const [row] = await fed.sql<any>('police', 'select dismantled_on, recurred_on, recurrence_count from hotspot where id = ?', [Number(hotspotId)]);
    expect([day(row.dismantled_on), day(row.recurred_on), Number(row.recurrence_count)]).toEqual(['2026-10-20', '2026-11-15', 1]);
    const dismantled = ok(await run('PoliceHotspotRegister', { communeCode: home, dismantled: true, year: 2026, first: 100, offset: 0 })).hotspots;
    expect(dismantled.items.find((h: any) => h.id === hotspotId)).toMatchObject({ recurrenceCount: 1, active: true });
  });

  test('a hotspot in another commune is refused to a home-commune officer', async () => {
    const res = await run('PoliceRecordHotspot', { input: { kind: 'USE_POINT', venueType: 'PUBLIC_PLACE', place: 'Gầm cầu Bằng Giang', communeCode: away, detectedOn: '2026-11-01' } }, { communes: [home] });
    expect(refusal(res)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['communeCode'] });
    expect(await count("select count(*) as n from hotspot where place = 'Gầm cầu Bằng Giang'")).toBe(0);
  });
});

describe('management files looked up by CCCD', () => {
  let fileId: string;

  test('the register of open addict files is sensitive: refused without a purpose, exact with one', async () => {
    const vars = { communeCode: home, category: 'ADDICT', openOn: '2025-12-31', first: 200, offset: 0 };
    expect(refusal(await run('PoliceManagementFileRegister', vars)).code).toBe('PURPOSE_REQUIRED');
    const page = ok(await run('PoliceManagementFileRegister', vars, withPurpose)).managementFiles;
    const expected = (await fed.sql<{ id: number | string }>('police', "select id from management_file where commune_code = ? and category = 'ADDICT' and opened_on <= '2025-12-31' and (closed_on is null or closed_on > '2025-12-31')", [home])).map((r) => String(r.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(page.totalCount).toBe(expected.length);
    expect(new Set(page.items.map((f: any) => f.id))).toEqual(new Set(expected));
    for (const f of page.items) expect(f.person.citizenId).toMatch(/^\d{12}$/);
  });

  test('a seeded person\'s files and treatment status by CCCD', async () => {
    // Someone on methadone (health) with a police file: police may know the treatment goes on.
    const treated = new Set((await fed.sql<{ citizen_id: string }>('health', "select citizen_id from methadone_enrollment where status in ('ACTIVE', 'SUSPENDED')")).map((r) => r.citizen_id));
    const files = await fed.sql<{ citizen_id: string }>('police', 'select person_citizen_id as citizen_id from management_file order by id');
    const citizenId = files.map((f) => f.citizen_id).find((id) => treated.has(id))!;
    expect(citizenId).toBeDefined();
    const person = ok(await run('PoliceManagementFilesByCitizen', { citizenId }, withPurpose)).person;
    expect(person.inTreatment).toBe(true);
    expect(person.managementFiles.map((f: any) => f.id).sort()).toEqual(
      (await fed.sql<{ id: number | string }>('police', 'select id from management_file where person_citizen_id = ?', [citizenId])).map((r) => String(r.id)).sort(),
    );
  });

  test('opens a file for a new addict with psychosis risk; a second open file is refused', async () => {
    const before = ok(await run('PoliceManagementFilesByCitizen', { citizenId: QUYET.citizenId }, withPurpose)).person;
    expect(before).toMatchObject({ fullName: QUYET.fullName, inTreatment: false, managementFiles: [] });

    const input = { citizenId: QUYET.citizenId, category: 'ADDICT', openedOn: '2026-11-22', psychosisRisk: true, idempotencyKey: `police-app:openManagementFile:${QUYET.citizenId}:2026-11-22` };
    expect(refusal(await run('PoliceOpenManagementFile', { input })).code).toBe('PURPOSE_REQUIRED');
    expect(await count('select count(*) as n from management_file where person_citizen_id = ?', [QUYET.citizenId])).toBe(0);
    const file = ok(await run('PoliceOpenManagementFile', { input }, withPurpose)).openManagementFile;
    // The commune defaults to the person's residence.
    expect(file).toMatchObject({ category: 'ADDICT', openedOn: '2026-11-22', closedOn: null, psychosisRisk: true, commune: { code: home }, person: { citizenId: QUYET.citizenId, fullName: QUYET.fullName } });
    fileId = file.id;
    const second = await run('PoliceOpenManagementFile', { input: { ...input, category: 'ILLEGAL_USER', idempotencyKey: undefined } }, withPurpose);
    expect(refusal(second)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['citizenId'] });
    const rows = await fed.sql<any>('police', 'select id, category, commune_code, opened_on, closed_on, psychosis_risk from management_file where person_citizen_id = ?', [QUYET.citizenId]);
    expect(rows.map((r) => [String(r.id), r.category, r.commune_code, day(r.opened_on), r.closed_on, Boolean(r.psychosis_risk)])).toEqual([[fileId, 'ADDICT', home, '2026-11-22', null, true]]);
  });

  test('closes the file and reads it back by CCCD', async () => {
    const early = await run('PoliceCloseManagementFile', { input: { id: fileId, closedOn: '2026-11-21' } }, withPurpose);
    expect(refusal(early)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['closedOn'] });
    expect(ok(await run('PoliceCloseManagementFile', { input: { id: fileId, closedOn: '2026-11-28' } }, withPurpose)).closeManagementFile).toMatchObject({ id: fileId, closedOn: '2026-11-28' });
    const person = ok(await run('PoliceManagementFilesByCitizen', { citizenId: QUYET.citizenId }, withPurpose)).person;
    expect(person.managementFiles).toEqual([{ id: fileId, category: 'ADDICT', openedOn: '2026-11-22', closedOn: '2026-11-28', psychosisRisk: true, commune: { code: home, name: communeName(home) } }]);
    const [row] = await fed.sql<any>('police', 'select closed_on from management_file where id = ?', [Number(fileId)]);
    expect(day(row.closed_on)).toBe('2026-11-28');
  });
});

describe('retail dealers, cultivation sites and wanted persons', () => {
  test('records a retail dealer and the arrest', async () => {
    const active = ok(await run('PoliceRetailDealerRegister', { communeCode: home, status: 'ACTIVE', first: 100, offset: 0 }, withPurpose)).retailDealers;
    expect(active.totalCount).toBe(await count("select count(*) as n from retail_dealer where commune_code = ? and status = 'ACTIVE'", [home]));

    const input = { citizenId: THANG.citizenId, communeCode: home, detectedOn: '2026-09-14', idempotencyKey: `police-app:recordRetailDealer:${THANG.citizenId}:2026-09-14` };
    const dealer = ok(await run('PoliceRecordRetailDealer', { input }, withPurpose)).recordRetailDealer;
    expect(dealer).toMatchObject({ status: 'ACTIVE', detectedOn: '2026-09-14', dealtWithOn: null, person: { citizenId: THANG.citizenId, fullName: THANG.fullName }, commune: { code: home } });
    const dealt = ok(await run('PoliceDealWithRetailDealer', { input: { id: dealer.id, status: 'ARRESTED', dealtWithOn: REPORTED_ON } }, withPurpose)).dealWithRetailDealer;
    expect(dealt).toMatchObject({ id: dealer.id, status: 'ARRESTED', dealtWithOn: REPORTED_ON });
    const again = await run('PoliceDealWithRetailDealer', { input: { id: dealer.id, status: 'CEASED', dealtWithOn: REPORTED_ON } }, withPurpose);
    expect(refusal(again)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['id'] });
    const [row] = await fed.sql<any>('police', 'select status, dealt_with_on, person_citizen_id from retail_dealer where id = ?', [Number(dealer.id)]);
    expect([row.status, day(row.dealt_with_on), row.person_citizen_id]).toEqual(['ARRESTED', REPORTED_ON, THANG.citizenId]);
    const arrested = ok(await run('PoliceRetailDealerRegister', { communeCode: home, status: 'ARRESTED', year: 2026, first: 100, offset: 0 }, withPurpose)).retailDealers;
    expect(arrested.items.map((d: any) => d.id)).toContain(dealer.id);
  });

  test('records a poppy field and its destruction', async () => {
    const input = { communeCode: home, plant: 'OPIUM_POPPY', areaM2: 1250.5, detectedOn: '2026-02-10', idempotencyKey: 'police-app:recordCultivationSite:poppy-2026-02-10' };
    const site = ok(await run('PoliceRecordCultivationSite', { input })).recordCultivationSite;
    expect(site).toMatchObject({ plant: 'OPIUM_POPPY', areaM2: 1250.5, detectedOn: '2026-02-10', destroyedOn: null, commune: { code: home } });
    const destroyed = ok(await run('PoliceDestroyCultivationSite', { input: { id: site.id, destroyedOn: '2026-02-12' } })).destroyCultivationSite;
    expect(destroyed.destroyedOn).toBe('2026-02-12');
    const [row] = await fed.sql<any>('police', 'select plant, area_m2, destroyed_on from cultivation_site where id = ?', [Number(site.id)]);
    expect([row.plant, Number(row.area_m2), day(row.destroyed_on)]).toEqual(['OPIUM_POPPY', 1250.5, '2026-02-12']);
    const register = ok(await run('PoliceCultivationSiteRegister', { communeCode: home, destroyed: true, plant: 'OPIUM_POPPY', first: 100, offset: 0 })).cultivationSites;
    expect(register.totalCount).toBe(await count("select count(*) as n from cultivation_site where commune_code = ? and plant = 'OPIUM_POPPY' and destroyed_on is not null", [home]));
    expect(register.items.map((s: any) => s.id)).toContain(site.id);
  });

  test('issues a wanted notice in the new case and records the catch', async () => {
    const input = { citizenId: QUYET.citizenId, drugCaseId: CASE_ID, wantedSince: '2026-11-23', idempotencyKey: `police-app:recordWantedPerson:${QUYET.citizenId}:${CASE_ID}` };
    const notice = ok(await run('PoliceRecordWantedPerson', { input }, withPurpose)).recordWantedPerson;
    expect(notice).toMatchObject({ wantedSince: '2026-11-23', caughtOn: null, person: { citizenId: QUYET.citizenId }, drugCase: { id: CASE_ID, status: 'PROSECUTED' } });
    const atLarge = ok(await run('PoliceWantedRegister', { caught: false, communeCode: home, first: 100, offset: 0 }, withPurpose)).wantedPersons;
    expect(atLarge.items.map((w: any) => w.id)).toContain(notice.id);
    const caught = ok(await run('PoliceRecordWantedPersonCaught', { input: { id: notice.id, caughtOn: '2026-11-27' } }, withPurpose)).recordWantedPersonCaught;
    expect(caught.caughtOn).toBe('2026-11-27');
    const [row] = await fed.sql<any>('police', 'select drug_case_id, caught_on from wanted_person where id = ?', [Number(notice.id)]);
    expect([row.drug_case_id, day(row.caught_on)]).toEqual([CASE_ID, '2026-11-27']);
    const c = ok(await run('PoliceCase', { id: CASE_ID }, withPurpose)).drugCase;
    expect(c.wantedPersons).toEqual([{ id: notice.id, wantedSince: '2026-11-23', caughtOn: '2026-11-27', person: { citizenId: QUYET.citizenId, fullName: QUYET.fullName } }]);
  });
});

describe('classifying the commune and its figures', () => {
  test('classifies the commune for the year, then corrects it: one classification a year', async () => {
    const classify = (classification: string) => run('PoliceClassifyCommune', { input: { communeCode: home, year: 2026, classification } });
    expect(ok(await classify('KEY_HOTSPOT')).classifyCommune).toMatchObject({ year: 2026, classification: 'KEY_HOTSPOT', commune: { code: home } });
    expect(ok(await classify('HAS_DRUG_PROBLEMS')).classifyCommune.classification).toBe('HAS_DRUG_PROBLEMS');
    const rows = await fed.sql<any>('police', 'select classification from commune_drug_situation where commune_code = ? and year = 2026', [home]);
    expect(rows.map((r) => r.classification)).toEqual(['HAS_DRUG_PROBLEMS']);
    const list = ok(await run('PoliceCommuneClassifications', { communeCode: home, year: 2026, first: 10, offset: 0 })).communeDrugSituations;
    expect(list).toMatchObject({ totalCount: 1, items: [{ year: 2026, classification: 'HAS_DRUG_PROBLEMS', commune: { code: home } }] });
    const nextYear = Number(todayInVietnam().slice(0, 4)) + 1;
    const future = await run('PoliceClassifyCommune', { input: { communeCode: home, year: nextYear, classification: 'DRUG_FREE' } });
    expect(refusal(future)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['year'] });
    const elsewhere = await run('PoliceClassifyCommune', { input: { communeCode: away, year: 2026, classification: 'DRUG_FREE' } }, { communes: [home] });
    expect(refusal(elsewhere)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['communeCode'] });
    expect(await count('select count(*) as n from commune_drug_situation where commune_code = ? and year = 2026', [away])).toBe(0);
  });

  test('the commune\'s 2026 figures count the day\'s writes', async () => {
    const c = ok(await run('PoliceCommuneFigures', { code: home, period: '2026' })).commune;
    expect(c).toMatchObject({ code: home, name: communeName(home) });
    expect(c.period).toMatchObject({
      period: '2026',
      drugSituation: 'HAS_DRUG_PROBLEMS',
      drugCasesReported: await count("select count(*) as n from drug_case where commune_code = ? and reported_on between '2026-01-01' and '2026-12-31'", [home]),
      transnationalCases: 1,
      hotspotsDetected: 1,
      hotspotsDismantled: 1,
      retailDealersDetected: 1,
      retailDealersDealtWith: 1,
      cultivationAreaDetectedM2: 1250.5,
      cultivationAreaDestroyedM2: 1250.5,
    });
    expect(c.period.drugCasesReported).toBe(1);
    expect(c.period.policeSeizedKg).toBeCloseTo(0.55, 6);
    expect(c.drugSituations.find((s: any) => s.year === 2026)).toEqual({ year: 2026, classification: 'HAS_DRUG_PROBLEMS' });
  });
});

test('the police app ships no customs operation', async () => {
  await expect(run('CustomsSeizureRegister', { first: 10, offset: 0 }, withPurpose)).rejects.toThrow();
});
