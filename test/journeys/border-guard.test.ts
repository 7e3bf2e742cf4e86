import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from '../harness.js';

// A border-guard officer's day at a land post through the registered operations of the border
// guard's app (client border-guard-app) only: the seizure register, one seizure file, a new seizure
// with the courier from the police register, its hand-over to a police case, the units and their
// equipment, joint operations and the figures of indicator c of plan 004; each write read back
// through the operations and checked in the border guard's database.

let fed: TestFederation;
/** A land post, its commune and its unit: the officer's post. */
let post: { code: string; communeCode: string; team: string };
/** A commune of the province other than the post's. */
let away: string;
/** A resident of the post's commune in the police register, never held by the border guard: the courier. */
let courier: { citizenId: string; fullName: string };
/** A police case, to hand the new seizure over to. */
let policeCase: { id: string; status: string; reportedOn: string };

const ROLE = 'border-guard-officer';
const PURPOSE = 'Tuần tra, kiểm soát, bắt giữ ma túy khu vực biên giới';
const withPurpose = { purpose: PURPOSE };

// Days already past: writes refuse dates in the future.
const SEIZURE_ID = 'BP-2026-00901';
const SEIZED_ON = '2026-11-18';
const HANDED_OVER_ON = '2026-11-20';

const run = (operation: string, variables?: Record<string, unknown>, opts?: { purpose?: string; communes?: string[]; province?: string }) => fed.run(ROLE, operation, variables, opts);

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
  return { code: ext.code, fields: fieldErrors.map((e) => e.field).sort(), messages: fieldErrors.map((e) => e.message).join('; ') };
}

/** A date column as YYYY-MM-DD on SQLite (text) and PostgreSQL (Date at local midnight). */
function day(v: unknown): string | null {
  if (v == null) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
}

const count = async (sql: string, params: unknown[] = []) => Number((await fed.sql<{ n: number | string }>('border-guard', sql, params))[0].n);

/** Entries the gateway's audit log gained while `fn` ran. */
async function audited(fn: () => Promise<unknown>) {
  const before = (await fed.gateway.audit.all()).length;
  await fn();
  return (await fed.gateway.audit.all()).slice(before);
}

const seizureInput = () => ({
  id: SEIZURE_ID,
  seizedOn: SEIZED_ON,
  communeCode: post.communeCode,
  route: 'LAND_BORDER',
  place: 'Lối mở gần mốc 112',
  postCode: post.code,
  teamCode: post.team,
  items: [
    { substanceCode: 'METHAMPHETAMINE', quantityKg: 4.8 },
    { substanceCode: 'HEROIN', quantityKg: 1.05 },
  ],
  suspects: [courier.citizenId],
  idempotencyKey: `border-guard-app:registerSeizure:${SEIZURE_ID}`,
});

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.15 });
  const [p] = await fed.sql<any>('border-guard', "select p.code, p.commune_code, t.code as team from border_post p join anti_drug_team t on t.post_id = p.id where p.sector = 'LAND' order by p.code limit 1");
  post = { code: p.code, communeCode: p.commune_code, team: p.team };
  away = fed.province.communes.find((c) => c.code !== post.communeCode)!.code;
  const held = new Set((await fed.sql<{ citizen_id: string }>('border-guard', 'select citizen_id from border_guard_suspect')).map((r) => r.citizen_id));
  const residents = await fed.sql<{ citizen_id: string; full_name: string }>('police', 'select citizen_id, full_name from person where commune_code = ? order by citizen_id', [post.communeCode]);
  const r = residents.find((x) => !held.has(x.citizen_id))!;
  courier = { citizenId: r.citizen_id, fullName: r.full_name };
  const [c] = await fed.sql<any>('police', "select id, status, reported_on from drug_case where reported_on <= '2026-11-20' order by reported_on desc, id limit 1");
  policeCase = { id: c.id, status: c.status, reportedOn: day(c.reported_on)! };
});

afterAll(async () => {
  await fed?.close();
});

describe('the seizure register and one seizure file', () => {
  test('the register is sensitive: refused without a purpose', async () => {
    const res = await run('BorderGuardSeizureRegister', { year: 2025, first: 10, offset: 0 });
    expect(refusal(res).code).toBe('PURPOSE_REQUIRED');
    expect(res.data?.borderGuardSeizures ?? null).toBeNull();
  });

  test("lists the year's seizures newest first, page by page, as the database holds them", async () => {
    const ids = (await fed.sql<{ id: string }>('border-guard', "select id from border_guard_seizure where seized_on between '2025-01-01' and '2025-12-31' order by seized_on desc, id asc")).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(10);
    const page1 = ok(await run('BorderGuardSeizureRegister', { year: 2025, first: 10, offset: 0 }, withPurpose)).borderGuardSeizures;
    const page2 = ok(await run('BorderGuardSeizureRegister', { year: 2025, first: 10, offset: 10 }, withPurpose)).borderGuardSeizures;
    expect(page1.totalCount).toBe(ids.length);
    expect(page1.items.map((s: any) => s.id)).toEqual(ids.slice(0, 10));
    expect(page2.items.map((s: any) => s.id)).toEqual(ids.slice(10, 20));
    for (const s of page1.items) {
      expect(s.items.length).toBeGreaterThan(0);
      expect(s.commune.name).toBe(fed.province.communes.find((c) => c.code === s.commune.code)!.name);
    }
    const sea = ok(await run('BorderGuardSeizureRegister', { route: 'SEA', status: 'HANDED_OVER', first: 200, offset: 0 }, withPurpose)).borderGuardSeizures;
    expect(sea.totalCount).toBe(await count("select count(*) as n from border_guard_seizure where route = 'SEA' and drug_case_id is not null"));
  });

  test('one handed-over seizure shows the persons held (from the police register) and the police case it went to', async () => {
    const [{ id }] = await fed.sql<{ id: string }>('border-guard', 'select s.id from border_guard_seizure s join border_guard_suspect x on x.seizure_id = s.id where s.drug_case_id is not null group by s.id order by count(*) desc, s.id limit 1');
    const [row] = await fed.sql<any>('border-guard', 'select drug_case_id from border_guard_seizure where id = ?', [id]);
    const held = (await fed.sql<{ citizen_id: string }>('border-guard', 'select citizen_id from border_guard_suspect where seizure_id = ? order by citizen_id', [id])).map((r) => r.citizen_id);
    const [c] = await fed.sql<any>('police', 'select status, reported_on from drug_case where id = ?', [row.drug_case_id]);
    const s = ok(await run('BorderGuardSeizure', { id }, withPurpose)).borderGuardSeizure;
    expect(s.status).toBe('HANDED_OVER');
    expect(s.suspects.map((p: any) => p.citizenId).sort()).toEqual(held);
    for (const p of s.suspects) expect(p.fullName).toBeTruthy();
    // The border guard may read the status of the case it handed over to (scope case:handover).
    expect(s.handedOverTo).toEqual({ id: row.drug_case_id, status: c.status, reportedOn: day(c.reported_on) });
  });
});

describe('a seizure on the land border, handed over to the police case', () => {
  test('refused: without a purpose, in another commune than the officer\'s, and with a post of the wrong route; nothing written', async () => {
    expect(refusal(await run('BorderGuardRegisterSeizure', { input: seizureInput() })).code).toBe('PURPOSE_REQUIRED');
    const outside = refusal(await run('BorderGuardRegisterSeizure', { input: { ...seizureInput(), idempotencyKey: undefined } }, { purpose: PURPOSE, communes: [away] }));
    expect(outside.fields).toContain('communeCode');
    expect(outside.messages).toMatch(/outside your area/);
    const wrongRoute = refusal(await run('BorderGuardRegisterSeizure', { input: { ...seizureInput(), route: 'SEA', idempotencyKey: undefined } }, withPurpose));
    expect(wrongRoute).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['postCode'] });
    expect(await count('select count(*) as n from border_guard_seizure where id = ?', [SEIZURE_ID])).toBe(0);
  });

  test('registers the seizure with its items and the courier, once even when the app retries; audited under the courier', async () => {
    const entries = await audited(async () => {
      const s = ok(await run('BorderGuardRegisterSeizure', { input: seizureInput() }, withPurpose)).registerBorderGuardSeizure;
      expect(s).toMatchObject({ id: SEIZURE_ID, seizedOn: SEIZED_ON, route: 'LAND_BORDER', status: 'HELD', post: { code: post.code }, team: { code: post.team } });
      expect(s.items.map((i: any) => [i.substance.code, i.quantityKg])).toEqual([
        ['METHAMPHETAMINE', 4.8],
        ['HEROIN', 1.05],
      ]);
      expect(s.suspects).toEqual([{ citizenId: courier.citizenId, fullName: courier.fullName }]);
    });
    expect(entries.some((e) => e.persons.includes(courier.citizenId))).toBe(true);
    expect(ok(await run('BorderGuardRegisterSeizure', { input: seizureInput() }, withPurpose)).registerBorderGuardSeizure.id).toBe(SEIZURE_ID);
    expect(await count('select count(*) as n from border_guard_seizure where id = ?', [SEIZURE_ID])).toBe(1);
    expect(await count('select count(*) as n from border_guard_seized_item where seizure_id = ?', [SEIZURE_ID])).toBe(2);
  });

  test('hands it over to the police case; the register shows it handed over, and another case is refused', async () => {
    const res = ok(await run('BorderGuardHandOverSeizure', { input: { id: SEIZURE_ID, drugCaseId: policeCase.id, handedOverOn: HANDED_OVER_ON } }, withPurpose)).handOverBorderGuardSeizure;
    expect(res).toEqual({ id: SEIZURE_ID, status: 'HANDED_OVER', handedOverOn: HANDED_OVER_ON, handedOverTo: { id: policeCase.id, status: policeCase.status, reportedOn: policeCase.reportedOn } });
    const [row] = await fed.sql<any>('border-guard', 'select drug_case_id, handed_over_on from border_guard_seizure where id = ?', [SEIZURE_ID]);
    expect([row.drug_case_id, day(row.handed_over_on)]).toEqual([policeCase.id, HANDED_OVER_ON]);
    const other = await run('BorderGuardHandOverSeizure', { input: { id: SEIZURE_ID, drugCaseId: 'VA-2026-00999', handedOverOn: HANDED_OVER_ON } }, withPurpose);
    expect(refusal(other)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['drugCaseId'] });
    const register = ok(await run('BorderGuardSeizureRegister', { communeCode: post.communeCode, year: 2026, status: 'HANDED_OVER', first: 50, offset: 0 }, withPurpose)).borderGuardSeizures;
    expect(register.items.map((s: any) => s.id)).toContain(SEIZURE_ID);
  });
});

describe('units, equipment and the figures of indicator c', () => {
  test('the units and their officers as the database holds them, equipped or not', async () => {
    const units = ok(await run('BorderGuardUnits', { on: '2025-12-31', first: 100, offset: 0 })).antiDrugTeams;
    expect(units.totalCount).toBe(await count('select count(*) as n from anti_drug_team'));
    for (const u of units.items) {
      const serving = await count("select count(*) as n from anti_drug_officer o join anti_drug_team t on t.id = o.team_id where t.code = ? and o.joined_on <= '2025-12-31' and (o.left_on is null or o.left_on > '2025-12-31')", [u.code]);
      expect([u.code, u.officerCount]).toEqual([u.code, serving]);
      expect(u.equippedOfficerCount).toBeLessThanOrEqual(u.officerCount);
    }
    const unit = ok(await run('BorderGuardUnit', { code: post.team })).antiDrugTeam;
    expect(unit.post.code).toBe(post.code);
    expect(unit.officers.length).toBe(await count('select count(*) as n from anti_drug_officer o join anti_drug_team t on t.id = o.team_id where t.code = ?', [post.team]));
  });

  test("equipping a unit moves the commune's and the province's antiDrugTeamsEquipped from that month on", async () => {
    const [team] = await fed.sql<any>('border-guard', "select code, commune_code from anti_drug_team where equipped_on is null and kind = 'POST_TEAM' order by code limit 1");
    if (!team) return;
    const figures = async (period: string) => ({
      commune: ok(await run('BorderGuardCommuneReport', { code: team.commune_code, period })).commune.period,
      province: ok(await run('BorderGuardProvinceReport', { code: fed.province.province.code, period })).province.period,
    });
    const before = await figures('2026-10');
    ok(await run('BorderGuardRecordEquipment', { input: { teamCode: team.code, equippedOn: '2026-10-15' } }));
    const after = await figures('2026-10');
    expect(after.commune.antiDrugTeamsEquipped).toBe(before.commune.antiDrugTeamsEquipped + 1);
    expect(after.province.antiDrugTeamsEquipped).toBe(before.province.antiDrugTeamsEquipped + 1);
    expect((await figures('2026-09')).province.antiDrugTeamsEquipped).toBe(before.province.antiDrugTeamsEquipped);
  });

  test("the year's province report agrees with the database", async () => {
    const r = ok(await run('BorderGuardProvinceReport', { code: fed.province.province.code, period: '2025' })).province.period;
    const inYear = "seized_on between '2025-01-01' and '2025-12-31'";
    expect(r).toMatchObject({
      antiDrugTeams: await count("select count(*) as n from anti_drug_team where established_on <= '2025-12-31'"),
      antiDrugTeamsEquipped: await count("select count(*) as n from anti_drug_team where established_on <= '2025-12-31' and equipped_on <= '2025-12-31'"),
      antiDrugOfficers: await count("select count(*) as n from anti_drug_officer where joined_on <= '2025-12-31' and (left_on is null or left_on > '2025-12-31')"),
      antiDrugOfficersEquipped: await count("select count(*) as n from anti_drug_officer where joined_on <= '2025-12-31' and (left_on is null or left_on > '2025-12-31') and equipped_on <= '2025-12-31'"),
      borderGuardSeizures: await count(`select count(*) as n from border_guard_seizure where ${inYear}`),
      borderGuardLandBorderSeizures: await count(`select count(*) as n from border_guard_seizure where route = 'LAND_BORDER' and ${inYear}`),
      borderGuardSeaRouteSeizures: await count(`select count(*) as n from border_guard_seizure where route = 'SEA' and ${inYear}`),
      borderGuardSeizuresHandedOver: await count(`select count(*) as n from border_guard_seizure where drug_case_id is not null and ${inYear}`),
    });
    const share = (r.antiDrugTeamsEquipped + r.antiDrugOfficersEquipped) / (r.antiDrugTeams + r.antiDrugOfficers);
    console.log(`border guard, 2025: ${r.antiDrugTeamsEquipped}/${r.antiDrugTeams} units and ${r.antiDrugOfficersEquipped}/${r.antiDrugOfficers} officers equipped (${(share * 100).toFixed(1)} %)`);
  });
});

describe('joint operations and who may see what', () => {
  test('opens a joint operation with customs and lists it', async () => {
    const created = ok(await run('BorderGuardRegisterJointOperation', { input: { code: 'PH-2026-91', name: 'Kế hoạch phối hợp 91/2026', communeCode: post.communeCode, startedOn: '2026-11-01', withCustoms: true, withPolice: false } })).registerJointOperation;
    expect(created).toEqual({ code: 'PH-2026-91', name: 'Kế hoạch phối hợp 91/2026', startedOn: '2026-11-01', withCustoms: true, withPolice: false });
    const list = ok(await run('BorderGuardJointOperations', { year: 2026, withCustoms: true, first: 100, offset: 0 })).jointOperations;
    expect(list.items.map((o: any) => o.code)).toContain('PH-2026-91');
    expect(list.items.every((o: any) => o.withCustoms)).toBe(true);
    expect(list.totalCount).toBe(await count("select count(*) as n from joint_operation where with_customs = (1 = 1) and started_on between '2026-01-01' and '2026-12-31'"));
  });

  test("an officer of one commune sees only that commune's seizures", async () => {
    const page = ok(await run('BorderGuardSeizureRegister', { first: 500, offset: 0 }, { purpose: PURPOSE, communes: [post.communeCode] })).borderGuardSeizures;
    expect(page.totalCount).toBe(await count('select count(*) as n from border_guard_seizure where commune_code = ?', [post.communeCode]));
    expect(new Set(page.items.map((s: any) => s.commune.code))).toEqual(new Set([post.communeCode]));
  });

  test("an analyst reads the border guard's figures but not its seizures", async () => {
    const token = await fed.roleToken('analyst');
    const figures = await fed.query(`{ province(code: "${fed.province.province.code}") { period(period: "2025") { antiDrugTeams borderGuardSeizures } } }`, {}, { token });
    expect(figures.errors).toBeUndefined();
    expect(figures.data.province.period.borderGuardSeizures).toBe(await count("select count(*) as n from border_guard_seizure where seized_on between '2025-01-01' and '2025-12-31'"));
    const seizures = await fed.query('{ borderGuardSeizures(first: 5) { totalCount } }', {}, { token, headers: { 'x-pcmt-purpose': encodeURIComponent(PURPOSE) } });
    expect(seizures.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(seizures.data?.borderGuardSeizures ?? null).toBeNull();
  });
});
