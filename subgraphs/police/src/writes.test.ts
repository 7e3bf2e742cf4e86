import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince, todayInVietnam, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { importRows, testImportCaller } from '../../../scripts/lib/import.js';
import { police } from './index.js';
import { hotspotsImporter, managementFilesImporter } from './importers.js';

// Imports run as a province-wide operator of the agency, as `npm run import -- --token` would.
const operator = testImportCaller('police');

const province = syntheticProvince({ seed: 7, scale: 0.05 });
const year = province.year;
const FUTURE = '2999-01-01';
const [communeA, communeB] = province.communes.map((c) => c.code);
const UNKNOWN_COMMUNE = '09999';
// Synthetic citizen IDs all start 004 (the province of birth): 009… is never in the register.
const UNKNOWN_PERSON = '009099999999';
const managedIds = new Set(province.managed.map((m) => m.citizenId));
// Persons in the register without a management file: suspects and seizure suspects met only once.
const unmanaged = province.persons.filter((p) => !managedIds.has(p.citizenId)).map((p) => p.citizenId);
const known = province.persons[0].citizenId;

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

async function sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  return service.orm.em.fork().getConnection().execute(query, params) as Promise<T[]>;
}

const inputType = (op: string) => `${op[0].toUpperCase()}${op.slice(1)}Input`;

async function call(op: string, input: Record<string, unknown>, selection = 'id') {
  return postGraphql(url, `mutation($input: ${inputType(op)}!) { ${op}(input: $input) { ${selection} } }`, { input });
}

async function ok(op: string, input: Record<string, unknown>, selection = 'id') {
  const res = await call(op, input, selection);
  expect(res.errors).toBeUndefined();
  return res.data[op];
}

/** The write is refused with exactly these field errors, and the `unchanged` queries answer as before. */
async function refused(op: string, input: Record<string, unknown>, fields: string[], unchanged: string[]) {
  const before = await Promise.all(unchanged.map((q) => sql(q)));
  const res = await call(op, input, '__typename');
  expect(res.data?.[op] ?? null).toBeNull();
  expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const got = ((res.errors![0].extensions!.fieldErrors as Array<{ field: string }>) ?? []).map((e) => e.field);
  expect([...got].sort()).toEqual([...fields].sort());
  expect(await Promise.all(unchanged.map((q) => sql(q)))).toEqual(before);
  return res.errors![0];
}

const count = (table: string) => `select count(*) as n from ${table}`;
const CASE_TABLES = [count('drug_case'), count('case_seized_item'), count('case_suspect')];

let caseSeq = 900;
const nextCaseId = (y = year) => `VA-${y}-${String(++caseSeq).padStart(5, '0')}`;

function caseInput(overrides: Record<string, unknown> = {}) {
  return {
    id: nextCaseId(),
    reportedOn: `${year}-03-10`,
    communeCode: communeA,
    article: '251',
    route: 'POSTAL_EXPRESS',
    transnational: true,
    assetsRecoveredVnd: 150_000_000,
    seizedItems: [
      { substanceCode: 'METHAMPHETAMINE', quantity: 2000, unit: 'TABLET' },
      { substanceCode: 'HEROIN', quantity: 350, unit: 'GRAM' },
    ],
    suspects: [
      { citizenId: unmanaged[0], role: 'LEADER', arrestedOn: `${year}-03-10` },
      { citizenId: unmanaged[1], role: 'ACCOMPLICE' },
    ],
    ...overrides,
  };
}

describe('registerPerson', () => {
  test('adds a person to the register', async () => {
    const p = await ok('registerPerson', { citizenId: '009090000001', fullName: ' Nguyễn Văn Thử ', sex: 'MALE', birthYear: 1990, communeCode: communeA }, 'citizenId fullName birthYear commune { code }');
    expect(p).toEqual({ citizenId: '009090000001', fullName: 'Nguyễn Văn Thử', birthYear: 1990, commune: { code: communeA } });
  });

  test('refuses a malformed ID, an out-of-range birth year, an unknown commune and a blank name at once', async () => {
    await refused('registerPerson', { citizenId: '12AB', fullName: '', sex: 'FEMALE', birthYear: 1800, communeCode: UNKNOWN_COMMUNE }, ['citizenId', 'fullName', 'birthYear', 'communeCode'], [count('person')]);
  });

  test('refuses a citizen ID already registered, and a birth year in the future', async () => {
    const err = await refused('registerPerson', { citizenId: known, fullName: 'Trùng', sex: 'MALE', birthYear: Number(todayInVietnam().slice(0, 4)) + 1, communeCode: communeA }, ['citizenId', 'birthYear'], [count('person')]);
    expect(err.message).toMatch(/already registered/);
  });
});

describe('openDrugCase', () => {
  test('opens a REPORTED case with its seized items and suspects', async () => {
    const input = caseInput();
    const c = await ok(
      'openDrugCase',
      input,
      'id status article penalArticleTitle route transnational organised cyberspace assetsRecoveredVnd seizedItems { substanceCode quantity unit kgEquivalent substance { code } } suspects { role arrestedOn person { citizenId } }',
    );
    expect(c).toMatchObject({ id: input.id, status: 'REPORTED', article: '251', penalArticleTitle: 'Tội mua bán trái phép chất ma túy', transnational: true, organised: false, cyberspace: false, assetsRecoveredVnd: 150_000_000 });
    expect(c.seizedItems).toEqual([
      { substanceCode: 'METHAMPHETAMINE', quantity: 2000, unit: 'TABLET', kgEquivalent: 0.2, substance: { code: 'METHAMPHETAMINE' } },
      { substanceCode: 'HEROIN', quantity: 350, unit: 'GRAM', kgEquivalent: 0.35, substance: { code: 'HEROIN' } },
    ]);
    expect(c.suspects).toEqual([
      { role: 'LEADER', arrestedOn: `${year}-03-10`, person: { citizenId: unmanaged[0] } },
      { role: 'ACCOMPLICE', arrestedOn: null, person: { citizenId: unmanaged[1] } },
    ]);
    // Items carry the case's commune and report date for the per-commune figures.
    const [row] = await sql('select count(*) as n from case_seized_item where drug_case_id = ? and commune_code = ? and reported_on = ?', [input.id, communeA, input.reportedOn]);
    expect(Number(row.n)).toBe(2);
  });

  test('a case on route CYBERSPACE is flagged cyberspace', async () => {
    const c = await ok('openDrugCase', caseInput({ route: 'CYBERSPACE', cyberspace: false, seizedItems: [], suspects: [] }), 'cyberspace');
    expect(c.cyberspace).toBe(true);
  });

  test('collects every bad field, item and suspect; writes nothing', async () => {
    const input = caseInput({
      id: 'VA-25-1',
      reportedOn: FUTURE,
      communeCode: UNKNOWN_COMMUNE,
      article: '300',
      assetsRecoveredVnd: -1,
      seizedItems: [
        { substanceCode: 'HEROIN', quantity: 0, unit: 'GRAM' },
        { substanceCode: 'SUGAR', quantity: 5, unit: 'KILOGRAM' },
        { substanceCode: 'HEROIN', quantity: 50_000, unit: 'KILOGRAM' },
      ],
      suspects: [
        { citizenId: unmanaged[0], role: 'LEADER' },
        { citizenId: UNKNOWN_PERSON, role: 'ACCOMPLICE' },
        { citizenId: '0040', role: 'ACCOMPLICE' },
        { citizenId: unmanaged[0], role: 'ACCOMPLICE' },
      ],
    });
    const err = await refused(
      'openDrugCase',
      input,
      [
        'id',
        'reportedOn',
        'communeCode',
        'article',
        'assetsRecoveredVnd',
        'seizedItems[0].quantity',
        'seizedItems[1].substanceCode',
        'seizedItems[2].quantity',
        'suspects[1].citizenId',
        'suspects[2].citizenId',
        'suspects[3].citizenId',
      ],
      CASE_TABLES,
    );
    expect(err.message).toMatch(/no person with citizen ID 009099999999/);
  });

  test('refuses a case number already used, or whose year is not the year reported, and an arrest before the report', async () => {
    const first = caseInput({ seizedItems: [], suspects: [] });
    await ok('openDrugCase', first);
    await refused('openDrugCase', caseInput({ id: first.id }), ['id'], CASE_TABLES);
    await refused('openDrugCase', caseInput({ id: nextCaseId(year - 1) }), ['id'], CASE_TABLES);
    await refused('openDrugCase', caseInput({ suspects: [{ citizenId: unmanaged[0], role: 'OFFENDER', arrestedOn: `${year}-01-01` }] }), ['suspects[0].arrestedOn'], CASE_TABLES);
  });
});

describe('changeDrugCaseStatus', () => {
  test('follows the lifecycle and refuses a step it does not allow', async () => {
    const { id } = await ok('openDrugCase', caseInput({ suspects: [] }));
    const status = `select status from drug_case where id = '${id}'`;
    expect((await ok('changeDrugCaseStatus', { id, status: 'INVESTIGATING' }, 'id status')).status).toBe('INVESTIGATING');
    await refused('changeDrugCaseStatus', { id, status: 'TRIED' }, ['status'], [status]);
    expect((await ok('changeDrugCaseStatus', { id, status: 'PROSECUTED' }, 'status')).status).toBe('PROSECUTED');
    const back = await refused('changeDrugCaseStatus', { id, status: 'REPORTED' }, ['status'], [status]);
    expect(back.message).toMatch(/cannot change from PROSECUTED to REPORTED/);
    await ok('changeDrugCaseStatus', { id, status: 'CLOSED' }, 'status');
    await refused('changeDrugCaseStatus', { id, status: 'INVESTIGATING' }, ['status'], [status]);
  });

  test('refuses an unknown case', async () => {
    await refused('changeDrugCaseStatus', { id: 'VA-2025-99999', status: 'CLOSED' }, ['id'], [count('drug_case')]);
  });
});

describe('addCaseSuspect', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = (await ok('openDrugCase', caseInput({ suspects: [{ citizenId: unmanaged[2], role: 'LEADER' }] }))).id;
  });

  test('adds a suspect with role and arrest', async () => {
    const s = await ok('addCaseSuspect', { drugCaseId: caseId, citizenId: unmanaged[3], role: 'ACCOMPLICE', arrestedOn: `${year}-04-01` }, 'role arrestedOn person { citizenId } drugCase { id }');
    expect(s).toEqual({ role: 'ACCOMPLICE', arrestedOn: `${year}-04-01`, person: { citizenId: unmanaged[3] }, drugCase: { id: caseId } });
  });

  test('refuses an unknown case, a malformed citizen ID and a future arrest', async () => {
    await refused('addCaseSuspect', { drugCaseId: 'VA-2025-99999', citizenId: '123', role: 'OFFENDER', arrestedOn: FUTURE }, ['drugCaseId', 'citizenId', 'arrestedOn'], [count('case_suspect')]);
  });

  test('refuses a person already a suspect, an unknown person, and a closed case', async () => {
    await refused('addCaseSuspect', { drugCaseId: caseId, citizenId: unmanaged[2], role: 'OFFENDER' }, ['citizenId'], [count('case_suspect')]);
    await refused('addCaseSuspect', { drugCaseId: caseId, citizenId: UNKNOWN_PERSON, role: 'OFFENDER' }, ['citizenId'], [count('case_suspect')]);
    const closed = (await ok('openDrugCase', caseInput({ suspects: [] }))).id;
    await ok('changeDrugCaseStatus', { id: closed, status: 'CLOSED' });
    await refused('addCaseSuspect', { drugCaseId: closed, citizenId: unmanaged[4], role: 'OFFENDER' }, ['drugCaseId'], [count('case_suspect')]);
  });
});

describe('hotspots: record, dismantle, reappear', () => {
  const hotspotInput = (overrides: Record<string, unknown> = {}) => ({
    kind: 'HARBOURING_VENUE',
    venueType: 'KARAOKE',
    place: 'Quán karaoke Ánh Trăng, tổ 5',
    communeCode: communeA,
    detectedOn: `${year}-02-01`,
    ...overrides,
  });
  const SELECT = 'id kind venueType place detectedOn dismantledOn recurredOn recurrenceCount active commune { code }';

  test('record → dismantle → reappear → dismantle again', async () => {
    const h = await ok('recordHotspot', hotspotInput(), SELECT);
    expect(h).toMatchObject({ kind: 'HARBOURING_VENUE', venueType: 'KARAOKE', dismantledOn: null, recurrenceCount: 0, active: true, commune: { code: communeA } });
    const d = await ok('dismantleHotspot', { id: h.id, dismantledOn: `${year}-02-20` }, SELECT);
    expect(d).toMatchObject({ dismantledOn: `${year}-02-20`, active: false });
    const r = await ok('recordHotspotRecurrence', { id: h.id, recurredOn: `${year}-06-01` }, SELECT);
    expect(r).toMatchObject({ recurredOn: `${year}-06-01`, recurrenceCount: 1, active: true });
    const row = `select dismantled_on, recurred_on, recurrence_count from hotspot where id = ${Number(h.id)}`;
    // Dismantling again must come after the reappearance.
    await refused('dismantleHotspot', { id: h.id, dismantledOn: `${year}-05-01` }, ['dismantledOn'], [row]);
    const again = await ok('dismantleHotspot', { id: h.id, dismantledOn: `${year}-06-15` }, SELECT);
    expect(again).toMatchObject({ dismantledOn: `${year}-06-15`, recurrenceCount: 1, active: false });
  });

  test('recordHotspot refuses an unknown commune, a future detection, a blank place, dismantling before detection', async () => {
    await refused('recordHotspot', hotspotInput({ communeCode: UNKNOWN_COMMUNE, detectedOn: FUTURE, place: '' }), ['communeCode', 'detectedOn', 'place'], [count('hotspot')]);
    await refused('recordHotspot', hotspotInput({ dismantledOn: `${year}-01-15` }), ['dismantledOn'], [count('hotspot')]);
    await refused('recordHotspot', hotspotInput({ communeCode: '123' }), ['communeCode'], [count('hotspot')]);
  });

  test('dismantleHotspot refuses a date before detection, in the future, an unknown or already dismantled hotspot', async () => {
    const h = await ok('recordHotspot', hotspotInput({ place: 'Nhà nghỉ Hoa Mai' }));
    const row = `select dismantled_on from hotspot where id = ${Number(h.id)}`;
    await refused('dismantleHotspot', { id: h.id, dismantledOn: `${year}-01-31` }, ['dismantledOn'], [row]);
    await refused('dismantleHotspot', { id: h.id, dismantledOn: FUTURE }, ['dismantledOn'], [row]);
    await refused('dismantleHotspot', { id: '999999', dismantledOn: `${year}-03-01` }, ['id'], [row]);
    await refused('dismantleHotspot', { id: 'abc', dismantledOn: `${year}-03-01` }, ['id'], [row]);
    await ok('dismantleHotspot', { id: h.id, dismantledOn: `${year}-03-01` });
    await refused('dismantleHotspot', { id: h.id, dismantledOn: `${year}-03-02` }, ['id'], [row]);
  });

  test('recordHotspotRecurrence refuses a hotspot still active and a date before the dismantling', async () => {
    const h = await ok('recordHotspot', hotspotInput({ place: 'Bãi đất trống cạnh chợ' }));
    const row = `select recurred_on, recurrence_count from hotspot where id = ${Number(h.id)}`;
    await refused('recordHotspotRecurrence', { id: h.id, recurredOn: `${year}-05-01` }, ['id'], [row]);
    await ok('dismantleHotspot', { id: h.id, dismantledOn: `${year}-03-01` });
    await refused('recordHotspotRecurrence', { id: h.id, recurredOn: `${year}-03-01` }, ['recurredOn'], [row]);
    await refused('recordHotspotRecurrence', { id: h.id, recurredOn: FUTURE }, ['recurredOn'], [row]);
  });
});

describe('management files', () => {
  test('opens a file (commune of residence by default) and closes it', async () => {
    const person = province.persons.find((p) => p.citizenId === unmanaged[5])!;
    const f = await ok('openManagementFile', { citizenId: person.citizenId, category: 'ADDICT', openedOn: `${year}-05-05`, psychosisRisk: true }, 'id category openedOn closedOn psychosisRisk commune { code } person { citizenId }');
    expect(f).toMatchObject({ category: 'ADDICT', closedOn: null, psychosisRisk: true, commune: { code: person.communeCode }, person: { citizenId: person.citizenId } });
    const row = `select closed_on from management_file where id = ${Number(f.id)}`;
    await refused('closeManagementFile', { id: f.id, closedOn: `${year}-05-01` }, ['closedOn'], [row]);
    await refused('closeManagementFile', { id: f.id, closedOn: FUTURE }, ['closedOn'], [row]);
    expect((await ok('closeManagementFile', { id: f.id, closedOn: `${year}-09-30` }, 'closedOn')).closedOn).toBe(`${year}-09-30`);
    await refused('closeManagementFile', { id: f.id, closedOn: `${year}-10-30` }, ['id'], [row]);
    // Closed: a new file (e.g. post-rehab) may be opened, in another commune.
    const next = await ok('openManagementFile', { citizenId: person.citizenId, category: 'POST_REHAB', openedOn: `${year}-10-01`, communeCode: communeB }, 'commune { code } psychosisRisk');
    expect(next).toEqual({ commune: { code: communeB }, psychosisRisk: false });
  });

  test('refuses an unknown person, a future opening and an unknown commune', async () => {
    await refused('openManagementFile', { citizenId: UNKNOWN_PERSON, category: 'ILLEGAL_USER', openedOn: FUTURE, communeCode: UNKNOWN_COMMUNE }, ['citizenId', 'openedOn', 'communeCode'], [count('management_file')]);
    await refused('openManagementFile', { citizenId: '1234567890123', category: 'ILLEGAL_USER', openedOn: `${year}-01-01` }, ['citizenId'], [count('management_file')]);
  });

  test('refuses a second open file for the same person', async () => {
    const open = province.managed.find((m) => !m.closedOn)!;
    const err = await refused('openManagementFile', { citizenId: open.citizenId, category: 'ADDICT', openedOn: `${year}-01-01` }, ['citizenId'], [count('management_file')]);
    expect(err.message).toMatch(/cannot be opened for this person here: contact the provincial police/);
    expect(err.message).not.toMatch(/ADDICT|ILLEGAL_USER|POST_REHAB|\(\d+/);
  });

  test('closeManagementFile refuses an unknown or malformed id', async () => {
    await refused('closeManagementFile', { id: '999999', closedOn: `${year}-01-01` }, ['id'], [count('management_file')]);
    await refused('closeManagementFile', { id: '-3', closedOn: FUTURE }, ['id', 'closedOn'], [count('management_file')]);
  });
});

describe('retail dealers', () => {
  test('records an active dealer and deals with them', async () => {
    const d = await ok('recordRetailDealer', { citizenId: unmanaged[6], communeCode: communeB, detectedOn: `${year}-04-04` }, 'id status dealtWithOn person { citizenId } commune { code }');
    expect(d).toMatchObject({ status: 'ACTIVE', dealtWithOn: null, person: { citizenId: unmanaged[6] }, commune: { code: communeB } });
    const row = `select status, dealt_with_on from retail_dealer where id = ${Number(d.id)}`;
    await refused('dealWithRetailDealer', { id: d.id, status: 'ACTIVE', dealtWithOn: `${year}-05-01` }, ['status'], [row]);
    await refused('dealWithRetailDealer', { id: d.id, status: 'ARRESTED', dealtWithOn: `${year}-04-01` }, ['dealtWithOn'], [row]);
    const dealt = await ok('dealWithRetailDealer', { id: d.id, status: 'ARRESTED', dealtWithOn: `${year}-05-01` }, 'status dealtWithOn');
    expect(dealt).toEqual({ status: 'ARRESTED', dealtWithOn: `${year}-05-01` });
    await refused('dealWithRetailDealer', { id: d.id, status: 'CEASED', dealtWithOn: `${year}-06-01` }, ['id'], [row]);
    await refused('dealWithRetailDealer', { id: '999999', status: 'CEASED', dealtWithOn: `${year}-06-01` }, ['id'], [row]);
  });

  test('records a dealer already dealt with', async () => {
    const d = await ok('recordRetailDealer', { citizenId: unmanaged[7], communeCode: communeA, detectedOn: `${year}-02-02`, status: 'ADMINISTRATIVELY_SANCTIONED', dealtWithOn: `${year}-02-10` }, 'status dealtWithOn');
    expect(d).toEqual({ status: 'ADMINISTRATIVELY_SANCTIONED', dealtWithOn: `${year}-02-10` });
  });

  test('refuses an unknown person and commune, a future detection, and status and date that disagree', async () => {
    await refused('recordRetailDealer', { citizenId: UNKNOWN_PERSON, communeCode: UNKNOWN_COMMUNE, detectedOn: FUTURE }, ['citizenId', 'communeCode', 'detectedOn'], [count('retail_dealer')]);
    await refused('recordRetailDealer', { citizenId: unmanaged[7], communeCode: communeA, detectedOn: `${year}-02-02`, status: 'ARRESTED' }, ['dealtWithOn'], [count('retail_dealer')]);
    await refused('recordRetailDealer', { citizenId: unmanaged[7], communeCode: communeA, detectedOn: `${year}-02-02`, dealtWithOn: `${year}-03-03` }, ['dealtWithOn'], [count('retail_dealer')]);
  });
});

describe('cultivation sites', () => {
  test('records a site and destroys it', async () => {
    const s = await ok('recordCultivationSite', { communeCode: communeA, plant: 'OPIUM_POPPY', areaM2: 1250.5, detectedOn: `${year}-02-14` }, 'id plant areaM2 detectedOn destroyedOn commune { code }');
    expect(s).toMatchObject({ plant: 'OPIUM_POPPY', areaM2: 1250.5, destroyedOn: null, commune: { code: communeA } });
    const row = `select destroyed_on from cultivation_site where id = ${Number(s.id)}`;
    await refused('destroyCultivationSite', { id: s.id, destroyedOn: `${year}-02-13` }, ['destroyedOn'], [row]);
    expect((await ok('destroyCultivationSite', { id: s.id, destroyedOn: `${year}-02-16` }, 'destroyedOn')).destroyedOn).toBe(`${year}-02-16`);
    await refused('destroyCultivationSite', { id: s.id, destroyedOn: `${year}-02-17` }, ['id'], [row]);
    await refused('destroyCultivationSite', { id: '999999', destroyedOn: `${year}-02-17` }, ['id'], [row]);
  });

  test('refuses no or negative area, an unknown commune, a future detection, destruction before detection', async () => {
    await refused('recordCultivationSite', { communeCode: UNKNOWN_COMMUNE, plant: 'CANNABIS', areaM2: 0, detectedOn: FUTURE }, ['communeCode', 'areaM2', 'detectedOn'], [count('cultivation_site')]);
    await refused('recordCultivationSite', { communeCode: communeA, plant: 'CANNABIS', areaM2: -5, detectedOn: `${year}-05-05`, destroyedOn: `${year}-05-01` }, ['areaM2', 'destroyedOn'], [count('cultivation_site')]);
    await refused('recordCultivationSite', { communeCode: communeA, plant: 'CANNABIS', areaM2: 2e7, detectedOn: `${year}-05-05` }, ['areaM2'], [count('cultivation_site')]);
  });
});

describe('wanted persons', () => {
  test('records a wanted notice for a case and its catch', async () => {
    const caseId = province.cases[0].id;
    const w = await ok('recordWantedPerson', { citizenId: unmanaged[8], drugCaseId: caseId, wantedSince: `${year}-12-01` }, 'id wantedSince caughtOn person { citizenId } drugCase { id }');
    expect(w).toMatchObject({ caughtOn: null, person: { citizenId: unmanaged[8] }, drugCase: { id: caseId } });
    const row = `select caught_on from wanted_person where id = ${Number(w.id)}`;
    await refused('recordWantedPersonCaught', { id: w.id, caughtOn: `${year}-11-01` }, ['caughtOn'], [row]);
    expect((await ok('recordWantedPersonCaught', { id: w.id, caughtOn: `${year}-12-20` }, 'caughtOn')).caughtOn).toBe(`${year}-12-20`);
    await refused('recordWantedPersonCaught', { id: w.id, caughtOn: `${year}-12-21` }, ['id'], [row]);
  });

  test('refuses an unknown case and person, a future notice, a catch before the notice', async () => {
    await refused('recordWantedPerson', { citizenId: UNKNOWN_PERSON, drugCaseId: 'VA-2025-99999', wantedSince: FUTURE }, ['citizenId', 'drugCaseId', 'wantedSince'], [count('wanted_person')]);
    await refused('recordWantedPerson', { citizenId: unmanaged[8], wantedSince: `${year}-05-05`, caughtOn: `${year}-05-01` }, ['caughtOn'], [count('wanted_person')]);
  });
});

describe('classifyCommune', () => {
  test('classifies a commune for a year, and a second call replaces the first', async () => {
    const rows = `select classification from commune_drug_situation where commune_code = '${communeA}' and year = 2020`;
    const a = await ok('classifyCommune', { communeCode: communeA, year: 2020, classification: 'KEY_HOTSPOT' }, 'id year classification commune { code }');
    expect(a).toMatchObject({ year: 2020, classification: 'KEY_HOTSPOT', commune: { code: communeA } });
    const b = await ok('classifyCommune', { communeCode: communeA, year: 2020, classification: 'DRUG_FREE' }, 'id classification');
    expect(b).toEqual({ id: a.id, classification: 'DRUG_FREE' });
    expect(await sql(rows)).toHaveLength(1);
  });

  test('refuses an unknown commune and a year out of range', async () => {
    await refused('classifyCommune', { communeCode: UNKNOWN_COMMUNE, year: 1990, classification: 'DRUG_FREE' }, ['communeCode', 'year'], [count('commune_drug_situation')]);
    await refused('classifyCommune', { communeCode: communeA, year: Number(todayInVietnam().slice(0, 4)) + 1, classification: 'DRUG_FREE' }, ['year'], [count('commune_drug_situation')]);
  });
});

describe('idempotency', () => {
  test('the same key twice writes once and answers the same', async () => {
    const input = { citizenId: '009090000777', fullName: 'Lê Thị Lặp', sex: 'FEMALE', birthYear: 1995, communeCode: communeB, idempotencyKey: 'register-777-0001' };
    const before = Number((await sql(count('person')))[0].n);
    const first = await ok('registerPerson', input, 'citizenId fullName');
    const again = await ok('registerPerson', input, 'citizenId fullName');
    expect(again).toEqual(first);
    expect(Number((await sql(count('person')))[0].n)).toBe(before + 1);
  });

  test('a retried case opening is answered from the first, not refused as a duplicate', async () => {
    const input = { ...caseInput({ suspects: [] }), idempotencyKey: 'open-case-retry-01' };
    const before = await Promise.all(CASE_TABLES.map((q) => sql(q)));
    const first = await ok('openDrugCase', input, 'id seizedItems { substanceCode }');
    const again = await ok('openDrugCase', input, 'id seizedItems { substanceCode }');
    expect(again).toEqual(first);
    const after = await Promise.all(CASE_TABLES.map((q) => sql(q)));
    expect(after.map((r) => Number(r[0].n))).toEqual([Number(before[0][0].n) + 1, Number(before[1][0].n) + 2, Number(before[2][0].n)]);
  });

  test('the same key with different input is refused and writes nothing', async () => {
    const input = { communeCode: communeA, plant: 'CANNABIS', areaM2: 40, detectedOn: `${year}-07-07`, idempotencyKey: 'cultivation-key-01' };
    await ok('recordCultivationSite', input);
    const before = await sql(count('cultivation_site'));
    const res = await call('recordCultivationSite', { ...input, areaM2: 41 });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await sql(count('cultivation_site'))).toEqual(before);
  });
});

describe('importers', () => {
  test('management files: good rows in, bad rows reported by row and column, a re-run imports nothing more', async () => {
    const [a, b, c, d] = unmanaged.slice(20, 24);
    const rows = [
      { 'Số CCCD': a, 'Loại đối tượng': 'Người nghiện', 'Ngày lập hồ sơ': `15/03/${year}`, 'Mã xã': communeA, 'Nguy cơ ngáo đá': 'Có' },
      { 'Số CCCD': b, 'Loại đối tượng': 'ILLEGAL_USER', 'Ngày lập hồ sơ': `${year}-04-01`, 'Mã xã': '', 'Nguy cơ ngáo đá': '' },
      { 'Số CCCD': c, 'Loại đối tượng': 'người sau cai nghiện', 'Ngày lập hồ sơ': `1/6/${year}`, 'Mã xã': communeB, 'Nguy cơ ngáo đá': 'không' },
      // row 5: unknown category and a yes/no that is neither
      { 'Số CCCD': d, 'Loại đối tượng': 'Nghiện nặng', 'Ngày lập hồ sơ': `${year}-04-01`, 'Mã xã': communeA, 'Nguy cơ ngáo đá': 'có lẽ' },
      // row 6: not in the register, unknown commune (both found by the write's own checks)
      { 'Số CCCD': UNKNOWN_PERSON, 'Loại đối tượng': 'Người nghiện', 'Ngày lập hồ sơ': `${year}-04-01`, 'Mã xã': UNKNOWN_COMMUNE, 'Nguy cơ ngáo đá': '' },
      // row 7: no such day (found while reading the cell)
      { 'Số CCCD': d, 'Loại đối tượng': 'Người nghiện', 'Ngày lập hồ sơ': `31/02/${year}`, 'Mã xã': communeA, 'Nguy cơ ngáo đá': '' },
      // row 8: future date
      { 'Số CCCD': d, 'Loại đối tượng': 'Người nghiện', 'Ngày lập hồ sơ': '01/01/2999', 'Mã xã': communeA, 'Nguy cơ ngáo đá': '' },
    ];
    const before = Number((await sql(count('management_file')))[0].n);
    const report = await importRows(service, managementFilesImporter, rows, operator);
    expect(report).toMatchObject({ rows: 7, imported: 3, alreadyImported: 0, failed: 4, unknownHeaders: [] });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [5, 'Loại đối tượng'],
      [5, 'Nguy cơ ngáo đá'],
      [6, 'Số CCCD'],
      [6, 'Mã xã'],
      [7, 'Ngày lập hồ sơ'],
      [8, 'Ngày lập hồ sơ'],
    ]);
    expect(Number((await sql(count('management_file')))[0].n)).toBe(before + 3);
    const imported = await sql('select person_citizen_id as id, category, commune_code, psychosis_risk from management_file where person_citizen_id in (?, ?, ?) order by opened_on', [a, b, c]);
    const residence = province.persons.find((p) => p.citizenId === b)!.communeCode;
    expect(imported.map((r) => [r.id, r.category, r.commune_code, Boolean(r.psychosis_risk)])).toEqual([
      [a, 'ADDICT', communeA, true],
      [b, 'ILLEGAL_USER', residence, false],
      [c, 'POST_REHAB', communeB, false],
    ]);

    const again = await importRows(service, managementFilesImporter, rows, operator);
    expect(again).toMatchObject({ imported: 0, alreadyImported: 3, failed: 4 });
    expect(Number((await sql(count('management_file')))[0].n)).toBe(before + 3);
  });

  test('hotspots: Vietnamese or English headers, labels or enum names', async () => {
    const rows = [
      { 'Loại điểm': 'Chứa chấp', 'Loại địa điểm': 'Nhà nghỉ', 'Địa điểm': 'Nhà nghỉ Sao Mai, tổ 2', 'Mã xã': communeA, 'Ngày phát hiện': `10/01/${year}`, 'Ngày triệt xóa': `20/01/${year}` },
      { 'Loại điểm': 'USE_POINT', 'Loại địa điểm': '', 'Địa điểm': 'Gầm cầu Bằng Giang', 'Mã xã': communeB, 'Ngày phát hiện': `${year}-02-02`, 'Ngày triệt xóa': '' },
      // row 4: unknown kind and venue
      { 'Loại điểm': 'Sòng bạc', 'Loại địa điểm': 'Sân bay', 'Địa điểm': 'X', 'Mã xã': communeA, 'Ngày phát hiện': `${year}-02-02`, 'Ngày triệt xóa': '' },
      // row 5: dismantled before detected, unknown commune
      { 'Loại điểm': 'Điểm mua bán', 'Loại địa điểm': 'Nhà riêng', 'Địa điểm': 'Nhà ông A', 'Mã xã': UNKNOWN_COMMUNE, 'Ngày phát hiện': `${year}-03-03`, 'Ngày triệt xóa': `${year}-03-01` },
      // row 6: not a date
      { 'Loại điểm': 'Điểm mua bán', 'Loại địa điểm': 'Nhà riêng', 'Địa điểm': 'Nhà ông B', 'Mã xã': communeA, 'Ngày phát hiện': 'hôm qua', 'Ngày triệt xóa': '' },
    ];
    const before = Number((await sql(count('hotspot')))[0].n);
    const report = await importRows(service, hotspotsImporter, rows, operator);
    expect(report).toMatchObject({ rows: 5, imported: 2, failed: 3 });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [4, 'Loại điểm'],
      [4, 'Loại địa điểm'],
      [5, 'Mã xã'],
      [5, 'Ngày triệt xóa'],
      [6, 'Ngày phát hiện'],
    ]);
    const got = await sql(`select kind, venue_type, commune_code, dismantled_on from hotspot where place in ('Nhà nghỉ Sao Mai, tổ 2', 'Gầm cầu Bằng Giang') order by place`);
    expect(got.map((r) => [r.kind, r.venue_type, r.commune_code, r.dismantled_on == null ? null : 'set'])).toEqual([
      ['USE_POINT', 'OTHER', communeB, null],
      ['HARBOURING_VENUE', 'HOTEL_GUESTHOUSE', communeA, 'set'],
    ]);
    expect(Number((await sql(count('hotspot')))[0].n)).toBe(before + 2);

    const english = [{ kind: 'dealing point', 'venue type': 'Karaoke', place: 'Karaoke 123', 'commune code': communeB, 'detected on': `${year}-08-08`, 'dismantled on': '' }];
    expect(await importRows(service, hotspotsImporter, english, operator)).toMatchObject({ imported: 1, failed: 0, unknownHeaders: [] });

    const again = await importRows(service, hotspotsImporter, rows, operator);
    expect(again).toMatchObject({ imported: 0, alreadyImported: 2, failed: 3 });
    expect(Number((await sql(count('hotspot')))[0].n)).toBe(before + 3);
  });
});
