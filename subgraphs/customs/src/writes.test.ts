import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { addDays, parsePeriod, syntheticProvince, todayInVietnam, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { importRows, testImportCaller } from '../../../scripts/lib/import.js';
import { customs } from './index.js';
import { precursorLicencesImporter, seizuresImporter } from './importers.js';

// Imports run as a province-wide operator of the agency, as `npm run import -- --token` would.
const operator = testImportCaller('customs');

// Scale 0.2: 30 communes (8 on the border), 120 seizures, 4 licences and 2 violations.
const province = syntheticProvince({ seed: 7, scale: 0.2 });
const YEAR = province.year;
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

const sql = async (query: string, params: unknown[] = []): Promise<any[]> => service.orm.em.fork().getConnection().execute(query, params);
const count = async (table: string): Promise<number> => Number((await sql(`select count(*) as n from ${table}`))[0].n);
const counts = async () => ({
  seizure: await count('seizure'),
  seized_item: await count('seized_item'),
  seizure_suspect: await count('seizure_suspect'),
  precursor_licence: await count('precursor_licence'),
  precursor_violation: await count('precursor_violation'),
  idempotent_write: await count('idempotent_write'),
});
const gql = (query: string, variables: Record<string, unknown> = {}) => postGraphql(url, query, variables);
const fieldsOf = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }): string[] =>
  ((res.errors?.[0]?.extensions?.fieldErrors as Array<{ field: string }> | undefined) ?? []).map((e) => e.field);

const border = province.communes.filter((c) => c.border);
const COMMUNE = border[0].code;
const tomorrow = addDays(todayInVietnam(), 1);
let landGate: string;
let seaport: string;
let seizureNo = 90000;
const nextId = () => `TG-${YEAR}-${String(++seizureNo).padStart(5, '0')}`;

beforeAll(async () => {
  subgraph = await startTestSubgraph(customs, province);
  ({ service, url } = subgraph);
  const gates = await sql('select code, kind from border_gate order by id');
  landGate = gates.find((g) => g.kind === 'LAND_GATE').code;
  seaport = gates.find((g) => g.kind === 'SEAPORT').code;
});

afterAll(async () => {
  await subgraph?.close();
});

const REGISTER = `mutation($input: RegisterSeizureInput!) { registerSeizure(input: $input) {
  id seizedOn agency route conveyance concealment originCountry transitCountry destinationCountry status handedOverOn
  commune { code } gate { code } handedOverTo { id } items { substance { code } quantity unit kgEquivalent } suspects { citizenId } } }`;

const seizureInput = (over: Record<string, unknown> = {}) => ({
  id: nextId(),
  seizedOn: `${YEAR}-06-15`,
  communeCode: COMMUNE,
  agency: 'CUSTOMS',
  gateCode: landGate,
  route: 'LAND_BORDER',
  conveyance: 'TRUCK',
  concealment: 'Giấu trong thùng xe tải chở nông sản',
  originCountry: 'LA',
  transitCountry: null,
  destinationCountry: 'CN',
  items: [
    { substanceCode: 'HEROIN', quantity: 1500, unit: 'GRAM' },
    { substanceCode: 'METHAMPHETAMINE', quantity: 20000, unit: 'TABLET' },
  ],
  suspects: ['004085123456', '004190654321'],
  ...over,
});

describe('registerSeizure', () => {
  test('writes the seizure, its items and suspects at once', async () => {
    const before = await counts();
    const input = seizureInput();
    const res = await gql(REGISTER, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.registerSeizure).toMatchObject({
      id: input.id,
      seizedOn: input.seizedOn,
      agency: 'CUSTOMS',
      route: 'LAND_BORDER',
      conveyance: 'TRUCK',
      originCountry: 'LA',
      transitCountry: null,
      destinationCountry: 'CN',
      status: 'HELD',
      handedOverOn: null,
      handedOverTo: null,
      commune: { code: COMMUNE },
      gate: { code: landGate },
      items: [
        { substance: { code: 'HEROIN' }, quantity: 1500, unit: 'GRAM', kgEquivalent: 1.5 },
        { substance: { code: 'METHAMPHETAMINE' }, quantity: 20000, unit: 'TABLET', kgEquivalent: 2 },
      ],
      suspects: [{ citizenId: '004085123456' }, { citizenId: '004190654321' }],
    });
    const after = await counts();
    expect(after).toMatchObject({ seizure: before.seizure + 1, seized_item: before.seized_item + 2, seizure_suspect: before.seizure_suspect + 2 });
    const [row] = await sql('select destination_country, conveyance, transit_country, drug_case_id from seizure where id = ?', [input.id]);
    expect(row).toEqual({ destination_country: 'CN', conveyance: 'TRUCK', transit_country: null, drug_case_id: null });

    // The suspect now lists it.
    const person = await gql(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { seizuresAsSuspect { id } } } }`, {
      reps: [{ __typename: 'Person', citizenId: '004085123456' }],
    });
    expect(person.data._entities[0].seizuresAsSuspect).toEqual([{ id: input.id }]);
  });

  test('destination defaults to Vietnam and suspects to none', async () => {
    const { destinationCountry: _d, suspects: _s, ...input } = seizureInput({ gateCode: null, agency: 'BORDER_GUARD', conveyance: 'ON_FOOT' });
    const res = await gql(REGISTER, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.registerSeizure).toMatchObject({ destinationCountry: 'VN', suspects: [], gate: null });
  });

  // Functions: the gate codes are known only after the seed has run.
  const badCases: Array<[string, () => Record<string, unknown>, string[]]> = ([
    ['unknown commune code', { communeCode: '09999' }, ['communeCode']],
    ['malformed commune code', { communeCode: '12' }, ['communeCode']],
    ['seizure day in the future', { id: `TG-${tomorrow.slice(0, 4)}-99999`, seizedOn: tomorrow }, ['seizedOn']],
    ['id of another year than the seizure', { id: `TG-${YEAR - 1}-99998` }, ['id']],
    ['malformed seizure number', { id: 'TG-25-1' }, ['id']],
    ['seizure number already used', { id: province.seizures[0].id, seizedOn: province.seizures[0].seizedOn }, ['id']],
    ['malformed suspect citizen ID', { suspects: ['004085123456', '12345'] }, ['suspects[1]']],
    ['suspect listed twice', { suspects: ['004085123456', '004085123456'] }, ['suspects[1]']],
    ['unknown border gate', { gateCode: 'CK-NOPE' }, ['gateCode']],
    ['gate not on the route', () => ({ gateCode: seaport }), ['gateCode']],
    ['coast guard on land', { agency: 'COAST_GUARD' }, ['agency']],
    ['conveyance not on the route', { conveyance: 'AIRCRAFT' }, ['conveyance']],
    ['unknown country codes', { originCountry: 'XX', destinationCountry: 'vn' }, ['originCountry', 'destinationCountry']],
    ['transit through the origin', { transitCountry: 'LA' }, ['transitCountry']],
    ['no items', { items: [] }, ['items']],
    [
      'out-of-range quantities and a bad substance code',
      {
        items: [
          { substanceCode: 'HEROIN', quantity: 20_000_000, unit: 'GRAM' },
          { substanceCode: 'MDMA', quantity: 0, unit: 'TABLET' },
          { substanceCode: 'ma tuy da', quantity: 5, unit: 'GRAM' },
          { substanceCode: 'MDMA', quantity: 10.5, unit: 'TABLET' },
        ],
      },
      ['items[0].quantity', 'items[1].quantity', 'items[2].substanceCode', 'items[3].quantity', 'items[3].substanceCode'],
    ],
    ['blank concealment', { concealment: '' }, ['concealment']],
  ] as Array<[string, Record<string, unknown> | (() => Record<string, unknown>), string[]]>).map(([name, over, fields]) => [name, typeof over === 'function' ? over : () => over, fields]);

  test.each(badCases)('refuses %s with field errors and writes nothing', async (_name, over, fields) => {
    const before = await counts();
    const res = await gql(REGISTER, { input: seizureInput(over()) });
    expect(res.data).toBeNull();
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: fields[0] });
    expect(fieldsOf(res).sort()).toEqual([...fields].sort());
    expect(await counts()).toEqual(before);
  });

  test('lists every problem of one input at once', async () => {
    const res = await gql(REGISTER, {
      input: seizureInput({ communeCode: '09999', seizedOn: tomorrow, suspects: ['abc'], items: [{ substanceCode: 'HEROIN', quantity: -1, unit: 'GRAM' }], originCountry: 'ZZ' }),
    });
    expect(fieldsOf(res)).toEqual(expect.arrayContaining(['id', 'seizedOn', 'communeCode', 'originCountry', 'items[0].quantity', 'suspects[0]']));
  });

  test('a retry with the same idempotency key is applied once and answers the same', async () => {
    const before = await counts();
    const input = { ...seizureInput(), idempotencyKey: 'seizure-retry-0001' };
    const first = await gql(REGISTER, { input });
    const again = await gql(REGISTER, { input });
    expect(first.errors).toBeUndefined();
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await counts()).toMatchObject({ seizure: before.seizure + 1, seized_item: before.seized_item + 2, idempotent_write: before.idempotent_write + 1 });

    const other = await gql(REGISTER, { input: { ...input, concealment: 'Cất giấu trong người' } });
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await counts()).toMatchObject({ seizure: before.seizure + 1, seized_item: before.seized_item + 2 });
  });
});

const HAND_OVER = `mutation($input: HandOverSeizureInput!) { handOverSeizure(input: $input) { id status handedOverOn handedOverTo { id } } }`;

describe('handOverSeizure', () => {
  let id: string;
  beforeAll(async () => {
    id = nextId();
    const res = await gql(REGISTER, { input: seizureInput({ id, seizedOn: `${YEAR}-03-10` }) });
    expect(res.errors).toBeUndefined();
  });
  const snapshot = async () => (await sql('select drug_case_id, handed_over_on from seizure where id = ?', [id]))[0];

  test.each<[string, () => Record<string, unknown>, string[]]>([
    ['an unknown seizure', () => ({ seizureId: `TG-${YEAR}-99990` }), ['seizureId']],
    ['a malformed case number', () => ({ drugCaseId: 'VA-1' }), ['drugCaseId']],
    ['a day before the seizure', () => ({ handedOverOn: `${YEAR}-03-09` }), ['handedOverOn']],
    ['a day in the future', () => ({ handedOverOn: tomorrow }), ['handedOverOn']],
    ['a case opened after the hand-over', () => ({ drugCaseId: `VA-${YEAR + 1}-00001` }), ['drugCaseId']],
  ])('refuses %s and changes nothing', async (_name, over, fields) => {
    const before = await snapshot();
    const res = await gql(HAND_OVER, { input: { seizureId: id, drugCaseId: `VA-${YEAR}-00007`, handedOverOn: `${YEAR}-03-12`, ...over() } });
    expect(fieldsOf(res)).toEqual(fields);
    expect(await snapshot()).toEqual(before);
  });

  test('hands the seizure over once; the same hand-over again is a no-op, another case is refused', async () => {
    const input = { seizureId: id, drugCaseId: `VA-${YEAR}-00007`, handedOverOn: `${YEAR}-03-12` };
    const res = await gql(HAND_OVER, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.handOverSeizure).toEqual({ id, status: 'HANDED_OVER', handedOverOn: `${YEAR}-03-12`, handedOverTo: { id: `VA-${YEAR}-00007` } });
    expect(await snapshot()).toEqual({ drug_case_id: `VA-${YEAR}-00007`, handed_over_on: `${YEAR}-03-12` });

    const same = await gql(HAND_OVER, { input });
    expect(same.errors).toBeUndefined();

    // HANDED_OVER is final: not to another case, not on another day.
    const other = await gql(HAND_OVER, { input: { ...input, drugCaseId: `VA-${YEAR}-00008` } });
    expect(fieldsOf(other)).toEqual(['drugCaseId']);
    expect(other.errors?.[0].message).toMatch(/already handed over to VA-\d{4}-00007/);
    const otherDay = await gql(HAND_OVER, { input: { ...input, handedOverOn: `${YEAR}-03-13` } });
    expect(fieldsOf(otherDay)).toEqual(['handedOverOn']);
    expect(await snapshot()).toEqual({ drug_case_id: `VA-${YEAR}-00007`, handed_over_on: `${YEAR}-03-12` });

    const listed = await gql(`query($code: String) { seizures(communeCode: $code, status: HANDED_OVER, first: 500) { items { id } } }`, { code: COMMUNE });
    expect(listed.data.seizures.items.map((s: any) => s.id)).toContain(id);
  });

  test('fills in the day of a hand-over recorded before the day was kept', async () => {
    const s = province.seizures.find((x) => x.handedOverCaseId)!;
    await sql('update seizure set handed_over_on = null where id = ?', [s.id]);
    const other = await gql(HAND_OVER, { input: { seizureId: s.id, drugCaseId: `VA-${s.seizedOn.slice(0, 4)}-00999`, handedOverOn: s.seizedOn } });
    expect(fieldsOf(other)).toEqual(['drugCaseId']);
    const res = await gql(HAND_OVER, { input: { seizureId: s.id, drugCaseId: s.handedOverCaseId, handedOverOn: s.seizedOn } });
    expect(res.errors).toBeUndefined();
    expect(res.data.handOverSeizure).toMatchObject({ handedOverOn: s.seizedOn, handedOverTo: { id: s.handedOverCaseId } });
  });

  test('is idempotent by key', async () => {
    const other = nextId();
    expect((await gql(REGISTER, { input: seizureInput({ id: other }) })).errors).toBeUndefined();
    const input = { seizureId: other, drugCaseId: `VA-${YEAR}-00009`, handedOverOn: `${YEAR}-06-20`, idempotencyKey: 'handover-key-0001' };
    const before = await count('idempotent_write');
    expect((await gql(HAND_OVER, { input })).errors).toBeUndefined();
    expect((await gql(HAND_OVER, { input })).data.handOverSeizure.handedOverTo).toEqual({ id: `VA-${YEAR}-00009` });
    expect(await count('idempotent_write')).toBe(before + 1);
    const changed = await gql(HAND_OVER, { input: { ...input, drugCaseId: `VA-${YEAR}-00010` } });
    expect(changed.errors?.[0].extensions).toMatchObject({ field: 'idempotencyKey' });
  });
});

const LICENCE = `mutation($input: RegisterPrecursorLicenceInput!) { registerPrecursorLicence(input: $input) {
  id licenceNo company direction substance { code } quantityKg validFrom validTo violations { id } } }`;
const VIOLATION = `mutation($input: RecordPrecursorViolationInput!) { recordPrecursorViolation(input: $input) {
  id company kind quantityKg detectedOn substance { code } commune { code } licence { licenceNo } } }`;

const licenceInput = (over: Record<string, unknown> = {}) => ({
  licenceNo: '0901/2025/GPNK-QLD',
  company: 'Công ty CP Dược phẩm Thử nghiệm',
  direction: 'IMPORT',
  substanceCode: 'PSEUDOEPHEDRINE',
  quantityKg: 250,
  validFrom: `${YEAR}-01-01`,
  validTo: `${YEAR}-06-30`,
  ...over,
});

describe('precursor licences and violations', () => {
  test('registers a licence', async () => {
    const before = await count('precursor_licence');
    const res = await gql(LICENCE, { input: licenceInput() });
    expect(res.errors).toBeUndefined();
    expect(res.data.registerPrecursorLicence).toMatchObject({ licenceNo: '0901/2025/GPNK-QLD', direction: 'IMPORT', substance: { code: 'PSEUDOEPHEDRINE' }, quantityKg: 250, violations: [] });
    expect(await count('precursor_licence')).toBe(before + 1);
  });

  test.each<[string, Record<string, unknown>, string[]]>([
    ['a licence number already registered', {}, ['licenceNo']],
    ['validity ending before it starts', { licenceNo: 'X-1', validFrom: `${YEAR}-07-01`, validTo: `${YEAR}-06-30` }, ['validTo']],
    ['a quantity of 0', { licenceNo: 'X-2', quantityKg: 0 }, ['quantityKg']],
    ['a quantity too large', { licenceNo: 'X-3', quantityKg: 2_000_000 }, ['quantityKg']],
    ['a narcotic instead of a precursor', { licenceNo: 'X-4', substanceCode: 'HEROIN' }, ['substanceCode']],
    ['a blank company', { licenceNo: 'X-5', company: '' }, ['company']],
  ])('refuses %s and writes nothing', async (_name, over, fields) => {
    const before = await counts();
    const res = await gql(LICENCE, { input: licenceInput(over) });
    expect(fieldsOf(res)).toEqual(fields);
    expect(await counts()).toEqual(before);
  });

  test('a licence retried with the same key is registered once', async () => {
    const input = licenceInput({ licenceNo: '0902/2025/GPNK-QLD', idempotencyKey: 'licence-key-0001' });
    const before = await count('precursor_licence');
    const first = await gql(LICENCE, { input });
    const again = await gql(LICENCE, { input });
    expect(first.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await count('precursor_licence')).toBe(before + 1);
    expect((await gql(LICENCE, { input: { ...input, quantityKg: 1 } })).errors?.[0].extensions).toMatchObject({ field: 'idempotencyKey' });
  });

  test('records violations with and without a licence', async () => {
    const before = await count('precursor_violation');
    const over = await gql(VIOLATION, {
      input: { licenceNo: '0901/2025/GPNK-QLD', substanceCode: 'PSEUDOEPHEDRINE', quantityKg: 300, detectedOn: `${YEAR}-05-02`, communeCode: COMMUNE, kind: 'EXCEEDS_LICENCE' },
    });
    expect(over.errors).toBeUndefined();
    // The company defaults to the licence holder's.
    expect(over.data.recordPrecursorViolation).toMatchObject({ company: 'Công ty CP Dược phẩm Thử nghiệm', kind: 'EXCEEDS_LICENCE', licence: { licenceNo: '0901/2025/GPNK-QLD' }, commune: { code: COMMUNE } });
    const expired = await gql(VIOLATION, {
      input: { licenceNo: '0901/2025/GPNK-QLD', substanceCode: 'PSEUDOEPHEDRINE', quantityKg: 40, detectedOn: `${YEAR}-08-01`, communeCode: COMMUNE, kind: 'EXPIRED_LICENCE' },
    });
    expect(expired.errors).toBeUndefined();
    const none = await gql(VIOLATION, {
      input: { company: 'Công ty TNHH Không Phép', substanceCode: 'SAFROLE', quantityKg: 80.5, detectedOn: `${YEAR}-04-01`, communeCode: COMMUNE, kind: 'NO_LICENCE' },
    });
    expect(none.errors).toBeUndefined();
    expect(none.data.recordPrecursorViolation).toMatchObject({ licence: null, substance: { code: 'SAFROLE' }, quantityKg: 80.5 });
    expect(await count('precursor_violation')).toBe(before + 3);

    const licence = await gql(`{ precursorLicence(licenceNo: "0901/2025/GPNK-QLD") { violations { kind } } }`);
    expect(licence.data.precursorLicence.violations.map((v: any) => v.kind)).toEqual(['EXPIRED_LICENCE', 'EXCEEDS_LICENCE']);
  });

  const violation = (over: Record<string, unknown>) => ({
    licenceNo: '0901/2025/GPNK-QLD',
    substanceCode: 'PSEUDOEPHEDRINE',
    quantityKg: 10,
    detectedOn: `${YEAR}-05-02`,
    communeCode: COMMUNE,
    kind: 'FALSE_DECLARATION',
    ...over,
  });

  test.each<[string, Record<string, unknown>, string[]]>([
    ['an unknown licence', { licenceNo: '9999/2025/NOPE' }, ['licenceNo']],
    ['a licence named on a NO_LICENCE violation', { kind: 'NO_LICENCE' }, ['licenceNo']],
    ['no licence on an EXCEEDS_LICENCE violation', { licenceNo: null, company: 'A', kind: 'EXCEEDS_LICENCE' }, ['licenceNo']],
    ['an expired licence that was still valid', { kind: 'EXPIRED_LICENCE' }, ['kind']],
    ['another substance than licensed', { kind: 'EXCEEDS_LICENCE', substanceCode: 'EPHEDRINE' }, ['substanceCode']],
    ['an unknown commune code', { communeCode: '09999' }, ['communeCode']],
    ['a day in the future', { detectedOn: tomorrow }, ['detectedOn']],
    ['a negative quantity', { quantityKg: -3 }, ['quantityKg']],
    ['no company and no licence', { licenceNo: null, kind: 'NO_LICENCE' }, ['company']],
  ])('refuses %s and writes nothing', async (_name, over, fields) => {
    const before = await counts();
    const res = await gql(VIOLATION, { input: violation(over) });
    expect(fieldsOf(res)).toEqual(fields);
    expect(await counts()).toEqual(before);
  });

  test('lists violations by commune, period and kind', async () => {
    const res = await gql(`query($code: String, $year: Int) { precursorViolations(communeCode: $code, year: $year, kind: NO_LICENCE, first: 500) { totalCount items { kind detectedOn } } }`, {
      code: COMMUNE,
      year: YEAR,
    });
    expect(res.errors).toBeUndefined();
    const [{ n }] = await sql(`select count(*) as n from precursor_violation where commune_code = ? and kind = 'NO_LICENCE' and detected_on between ? and ?`, [COMMUNE, `${YEAR}-01-01`, `${YEAR}-12-31`]);
    expect(res.data.precursorViolations.totalCount).toBe(Number(n));
    expect(res.data.precursorViolations.totalCount).toBeGreaterThan(0);
  });
});

describe('seizures importer', () => {
  const row = (over: Record<string, string>) => ({
    'Số vụ': '',
    'Ngày bắt giữ': '',
    'Lực lượng': '',
    'Mã xã': '',
    'Cửa khẩu': '',
    'Tuyến': '',
    'Phương tiện': '',
    'Phương thức cất giấu': '',
    'Nước xuất phát': '',
    'Nước quá cảnh': '',
    'Nước đến': '',
    'Chất ma túy': '',
    'Số lượng': '',
    'Đơn vị': '',
    'CCCD đối tượng': '',
    'Vụ án bàn giao': '',
    'Ngày bàn giao': '',
    ...over,
  });
  const A = `TG-${YEAR}-80001`;
  const B = `TG-${YEAR}-80002`;
  const C = `TG-${YEAR}-80003`;
  const D = `TG-${YEAR}-80004`;
  const first = (id: string) => ({
    'Số vụ': id,
    'Ngày bắt giữ': `02/04/${YEAR}`,
    'Lực lượng': 'Bộ đội Biên phòng',
    'Mã xã': COMMUNE,
    'Cửa khẩu': landGate,
    'Tuyến': 'Đường bộ',
    'Phương tiện': 'Xe máy',
    'Phương thức cất giấu': 'Cất giấu trong người',
    'Nước xuất phát': 'Lào',
    'Nước đến': 'VN',
  });
  const rows = () => [
    // 2: seizure A, first item, with two suspects
    row({ ...first(A), 'Chất ma túy': 'Hêrôin', 'Số lượng': '1.250,5', 'Đơn vị': 'gam', 'CCCD đối tượng': '004085111111; 004085222222' }),
    // 3: seizure A, second item: its columns left blank, one more suspect, handed over
    row({ 'Số vụ': A, 'Chất ma túy': 'Ma túy đá', 'Số lượng': '3000', 'Đơn vị': 'viên', 'CCCD đối tượng': '004085222222, 004085333333', 'Vụ án bàn giao': `VA-${YEAR}-00005`, 'Ngày bàn giao': `${YEAR}-04-03` }),
    // 4: seizure B, one item, English words and ISO date
    row({ ...first(B), 'Ngày bắt giữ': `${YEAR}-05-06`, 'Lực lượng': 'Coast guard', 'Cửa khẩu': seaport, 'Tuyến': 'SEA', 'Phương tiện': 'Boat', 'Nước xuất phát': 'KH', 'Nước quá cảnh': 'TH', 'Nước đến': 'AU', 'Chất ma túy': 'KETAMINE', 'Số lượng': '12,5', 'Đơn vị': 'kg' }),
    // 5: broken in parsing: bad date, unknown unit, not a number
    row({ ...first(C), 'Ngày bắt giữ': '31/02/2025', 'Chất ma túy': 'Cần sa', 'Số lượng': 'năm', 'Đơn vị': 'thùng' }),
    // 6: seizure C's next row: there is no seizure C, so its columns are required
    row({ 'Số vụ': C, 'Chất ma túy': 'Thuốc lắc', 'Số lượng': '500', 'Đơn vị': 'viên' }),
    // 7: broken in writing: unknown commune and a future day
    row({ ...first(D), 'Ngày bắt giữ': tomorrow, 'Mã xã': '09999', 'Chất ma túy': 'HEROIN', 'Số lượng': '5', 'Đơn vị': 'g' }),
    // 8: disagrees with seizure A's first row
    row({ 'Số vụ': A, 'Ngày bắt giữ': `${YEAR}-04-05`, 'Chất ma túy': 'CANNABIS', 'Số lượng': '2', 'Đơn vị': 'kg' }),
    // 9: seizure A already has heroin in grams, and a quantity of 0
    row({ 'Số vụ': A, 'Chất ma túy': 'HEROIN', 'Số lượng': '1', 'Đơn vị': 'GRAM' }),
    row({ 'Số vụ': A, 'Chất ma túy': 'OPIUM', 'Số lượng': '0', 'Đơn vị': 'GRAM' }),
  ];

  test('imports good rows, refuses broken ones with row and column, and imports nothing twice', async () => {
    const before = await counts();
    const report = await importRows(service, seizuresImporter, rows(), operator);
    expect(report.unknownHeaders).toEqual([]);
    expect({ imported: report.imported, already: report.alreadyImported, failed: report.failed }).toEqual({ imported: 3, already: 0, failed: 6 });
    const errs = report.errors.map((e) => `${e.row}:${e.column}`);
    expect(errs).toEqual(
      expect.arrayContaining([
        '5:Ngày bắt giữ',
        '5:Số lượng',
        '5:Đơn vị',
        '6:Ngày bắt giữ',
        '6:Lực lượng',
        '6:Mã xã',
        '7:Mã xã',
        '7:Ngày bắt giữ',
        '8:Ngày bắt giữ',
        '9:Chất ma túy',
        '10:Số lượng',
      ]),
    );
    expect(new Set(report.errors.map((e) => e.row))).toEqual(new Set([5, 6, 7, 8, 9, 10]));
    expect(report.errors.find((e) => e.row === 9)!.reason).toMatch(/already has HEROIN in GRAM/);

    const seizures = await sql('select id, seized_on, agency, route, conveyance, origin_country, transit_country, destination_country, drug_case_id, handed_over_on from seizure where id in (?, ?, ?, ?) order by id', [A, B, C, D]);
    expect(seizures).toEqual([
      { id: A, seized_on: `${YEAR}-04-02`, agency: 'BORDER_GUARD', route: 'LAND_BORDER', conveyance: 'MOTORBIKE', origin_country: 'LA', transit_country: null, destination_country: 'VN', drug_case_id: `VA-${YEAR}-00005`, handed_over_on: `${YEAR}-04-03` },
      { id: B, seized_on: `${YEAR}-05-06`, agency: 'COAST_GUARD', route: 'SEA', conveyance: 'BOAT', origin_country: 'KH', transit_country: 'TH', destination_country: 'AU', drug_case_id: null, handed_over_on: null },
    ]);
    const items = await sql('select s.id, i.substance_code, i.quantity, i.unit, i.kg_equivalent from seized_item i join seizure s on s.id = i.seizure_id where s.id in (?, ?) order by s.id, i.substance_code', [A, B]);
    expect(items.map((i) => ({ ...i, quantity: Number(i.quantity), kg_equivalent: Number(i.kg_equivalent) }))).toEqual([
      { id: A, substance_code: 'HEROIN', quantity: 1250.5, unit: 'GRAM', kg_equivalent: 1.2505 },
      { id: A, substance_code: 'METHAMPHETAMINE', quantity: 3000, unit: 'TABLET', kg_equivalent: 0.3 },
      { id: B, substance_code: 'KETAMINE', quantity: 12.5, unit: 'KILOGRAM', kg_equivalent: 12.5 },
    ]);
    const suspects = await sql('select citizen_id from seizure_suspect where seizure_id = ? order by citizen_id', [A]);
    expect(suspects.map((s) => s.citizen_id)).toEqual(['004085111111', '004085222222', '004085333333']);
    const after = await counts();
    expect(after).toMatchObject({ seizure: before.seizure + 2, seized_item: before.seized_item + 3, seizure_suspect: before.seizure_suspect + 3 });

    const again = await importRows(service, seizuresImporter, rows(), operator);
    expect({ imported: again.imported, already: again.alreadyImported, failed: again.failed }).toEqual({ imported: 0, already: 3, failed: 6 });
    expect(await counts()).toEqual(after);
  });

  test('a seizure whose first row is refused is created by its next good row, never half', async () => {
    const E = `TG-${YEAR}-80005`;
    const report = await importRows(service, seizuresImporter, [
      row({ ...first(E), 'Chất ma túy': 'HEROIN', 'Số lượng': '-2', 'Đơn vị': 'g' }),
      row({ ...first(E), 'Chất ma túy': 'OPIUM', 'Số lượng': '700', 'Đơn vị': 'g' }),
    ], operator);
    expect({ imported: report.imported, failed: report.failed }).toEqual({ imported: 1, failed: 1 });
    expect(report.errors.map((e) => `${e.row}:${e.column}`)).toEqual(['2:Số lượng']);
    const items = await sql('select substance_code from seized_item where seizure_id = ?', [E]);
    expect(items.map((i) => i.substance_code)).toEqual(['OPIUM']);
  });

  test('accepts English headers', async () => {
    const F = `TG-${YEAR}-80006`;
    const report = await importRows(service, seizuresImporter, [
      {
        'Seizure id': F,
        'Seized on': `${YEAR}-07-01`,
        Agency: 'CUSTOMS',
        'Commune code': COMMUNE,
        Route: 'POSTAL_EXPRESS',
        Conveyance: 'PARCEL',
        Concealment: 'Giấu trong hộp mỹ phẩm',
        'Origin country': 'DE',
        Substance: 'MDMA',
        Quantity: '200',
        Unit: 'TABLET',
      },
    ], operator);
    expect(report).toMatchObject({ imported: 1, failed: 0, unknownHeaders: [] });
  });
});

describe('precursor-licences importer', () => {
  const rows = [
    { 'Số giấy phép': '0501/2025/GPNK-BCT', 'Doanh nghiệp': 'Công ty TNHH Hóa chất Thử', 'Loại giấy phép': 'Nhập khẩu', 'Tiền chất': 'Anhydrid axetic', 'Khối lượng (kg)': '12.000', 'Hiệu lực từ': `01/02/${YEAR}`, 'Hiệu lực đến': `31/07/${YEAR}` },
    { 'Số giấy phép': '0502/2025/GPXK-QLD', 'Doanh nghiệp': 'Công ty CP Dược Thử', 'Loại giấy phép': 'XK', 'Tiền chất': 'EPHEDRINE', 'Khối lượng (kg)': '40,5', 'Hiệu lực từ': `${YEAR}-03-01`, 'Hiệu lực đến': `${YEAR}-12-31` },
    // 4: ends before it starts
    { 'Số giấy phép': '0503/2025/GPNK-BCT', 'Doanh nghiệp': 'Công ty A', 'Loại giấy phép': 'NK', 'Tiền chất': 'SAFROLE', 'Khối lượng (kg)': '10', 'Hiệu lực từ': `${YEAR}-03-01`, 'Hiệu lực đến': `${YEAR}-02-01` },
    // 5: unknown direction, a narcotic
    { 'Số giấy phép': '0504/2025/GPNK-BCT', 'Doanh nghiệp': 'Công ty B', 'Loại giấy phép': 'Tạm nhập', 'Tiền chất': 'Heroin', 'Khối lượng (kg)': '10', 'Hiệu lực từ': `${YEAR}-03-01`, 'Hiệu lực đến': `${YEAR}-04-01` },
  ];

  test('imports licences, reports broken rows and imports nothing twice', async () => {
    const before = await count('precursor_licence');
    const report = await importRows(service, precursorLicencesImporter, rows, operator);
    expect({ imported: report.imported, failed: report.failed }).toEqual({ imported: 2, failed: 2 });
    expect(report.errors.map((e) => `${e.row}:${e.column}`).sort()).toEqual(['4:Hiệu lực đến', '5:Loại giấy phép'].sort());
    const stored = await sql(`select licence_no, direction, substance_code, quantity_kg, valid_from, valid_to from precursor_licence where licence_no like '050%' order by licence_no`);
    expect(stored.map((l) => ({ ...l, quantity_kg: Number(l.quantity_kg) }))).toEqual([
      { licence_no: '0501/2025/GPNK-BCT', direction: 'IMPORT', substance_code: 'ACETIC_ANHYDRIDE', quantity_kg: 12000, valid_from: `${YEAR}-02-01`, valid_to: `${YEAR}-07-31` },
      { licence_no: '0502/2025/GPXK-QLD', direction: 'EXPORT', substance_code: 'EPHEDRINE', quantity_kg: 40.5, valid_from: `${YEAR}-03-01`, valid_to: `${YEAR}-12-31` },
    ]);
    const again = await importRows(service, precursorLicencesImporter, rows, operator);
    expect({ imported: again.imported, already: again.alreadyImported, failed: again.failed }).toEqual({ imported: 0, already: 2, failed: 2 });
    expect(await count('precursor_licence')).toBe(before + 2);
  });

  test('fixing a refused row imports it on the next run', async () => {
    const fixed = rows.map((r, i) => (i === 3 ? { ...r, 'Loại giấy phép': 'Nhập khẩu', 'Tiền chất': 'Safrol' } : r));
    const report = await importRows(service, precursorLicencesImporter, fixed, operator);
    expect({ imported: report.imported, already: report.alreadyImported, failed: report.failed }).toEqual({ imported: 1, already: 2, failed: 1 });
  });
});

describe('figures per commune and province for a reporting period', () => {
  const FIGURES = 'borderSeizures borderSeizedKg seaRouteSeizures postalExpressSeizures seizuresHandedOver precursorViolations';
  const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
    ... on CommunePeriod { communeCode period ${FIGURES} }
    ... on ProvincePeriod { provinceCode period ${FIGURES} } } }`;
  const communeReps = (period: string, n = province.communes.length) => province.communes.slice(0, n).map((c) => ({ __typename: 'CommunePeriod', communeCode: c.code, period }));

  /** The same figures, straight from the tables. */
  async function expectedFigures(period: string): Promise<Map<string, Record<string, number>>> {
    const { from, to } = parsePeriod(period);
    const by = async (query: string, params: unknown[]) => new Map((await sql(query, params)).map((r) => [r.code, Number(r.n)]));
    const seizures = await by('select commune_code as code, count(*) as n from seizure where seized_on between ? and ? group by commune_code', [from, to]);
    const kg = await by('select s.commune_code as code, sum(i.kg_equivalent) as n from seized_item i join seizure s on s.id = i.seizure_id where s.seized_on between ? and ? group by s.commune_code', [from, to]);
    const sea = await by(`select commune_code as code, count(*) as n from seizure where route = 'SEA' and seized_on between ? and ? group by commune_code`, [from, to]);
    const postal = await by(`select commune_code as code, count(*) as n from seizure where route = 'POSTAL_EXPRESS' and seized_on between ? and ? group by commune_code`, [from, to]);
    const handed = await by('select commune_code as code, count(*) as n from seizure where drug_case_id is not null and seized_on between ? and ? group by commune_code', [from, to]);
    const violations = await by('select commune_code as code, count(*) as n from precursor_violation where detected_on between ? and ? group by commune_code', [from, to]);
    return new Map(
      province.communes.map((c) => [
        c.code,
        {
          borderSeizures: seizures.get(c.code) ?? 0,
          borderSeizedKg: kg.get(c.code) ?? 0,
          seaRouteSeizures: sea.get(c.code) ?? 0,
          postalExpressSeizures: postal.get(c.code) ?? 0,
          seizuresHandedOver: handed.get(c.code) ?? 0,
          precursorViolations: violations.get(c.code) ?? 0,
        },
      ]),
    );
  }

  test.each([String(YEAR), `${YEAR}-Q2`, `${YEAR}-04`, String(YEAR - 1)])('CommunePeriod figures for %s match SQL, and ProvincePeriod is their sum', async (period) => {
    const res = await gql(ENTITIES, { reps: [...communeReps(period), { __typename: 'ProvincePeriod', provinceCode: province.province.code, period }] });
    expect(res.errors).toBeUndefined();
    const expected = await expectedFigures(period);
    const rows = res.data._entities.slice(0, -1);
    const total: Record<string, number> = { borderSeizures: 0, borderSeizedKg: 0, seaRouteSeizures: 0, postalExpressSeizures: 0, seizuresHandedOver: 0, precursorViolations: 0 };
    for (const r of rows) {
      const e = expected.get(r.communeCode)!;
      expect(r.period).toBe(period);
      for (const k of Object.keys(total)) {
        if (k === 'borderSeizedKg') expect(r[k]).toBeCloseTo(e[k], 6);
        else expect(r[k]).toBe(e[k]);
        total[k] += r[k];
      }
    }
    const prov = res.data._entities.at(-1);
    expect(prov).toMatchObject({ provinceCode: province.province.code, period });
    for (const k of Object.keys(total)) expect(prov[k]).toBeCloseTo(total[k], 6);
  });

  test('the year before the tests wrote anything equals the synthetic province', async () => {
    const period = String(YEAR - 1);
    const res = await gql(ENTITIES, { reps: communeReps(period) });
    expect(res.errors).toBeUndefined();
    let sum = 0;
    let handed = 0;
    for (const r of res.data._entities) {
      const mine = province.seizures.filter((s) => s.communeCode === r.communeCode && s.seizedOn.startsWith(period));
      expect(r.borderSeizures).toBe(mine.length);
      expect(r.seizuresHandedOver).toBe(mine.filter((s) => s.handedOverCaseId).length);
      expect(r.seaRouteSeizures + r.postalExpressSeizures).toBeLessThanOrEqual(r.borderSeizures);
      sum += r.borderSeizures;
      handed += r.seizuresHandedOver;
    }
    expect(sum).toBe(province.seizures.filter((s) => s.seizedOn.startsWith(period)).length);
    expect(handed).toBeGreaterThan(0);
  });

  test('cost the same SQL statements for 5 communes as for all of them', async () => {
    const run = async (reps: object[]) => {
      service.queries.reset();
      const res = await gql(ENTITIES, { reps });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(reps.length);
      return service.queries.total;
    };
    const few = await run(communeReps(String(YEAR), 5));
    const all = await run(communeReps(String(YEAR)));
    expect(all).toBe(few);
    // One grouped statement per entity: seizures, seized items, precursor violations.
    expect(few).toBe(3);
    // A province: the same three, grouped by province.
    const provinces = (periods: string[]) => periods.map((period) => ({ __typename: 'ProvincePeriod', provinceCode: province.province.code, period }));
    expect(await run(provinces([String(YEAR)]))).toBe(3);
  });

  test('refuses a malformed period', async () => {
    const res = await gql(ENTITIES, { reps: [{ __typename: 'CommunePeriod', communeCode: COMMUNE, period: '2025-13' }] });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });
});

describe('seeded precursor control', () => {
  test('licences and violations are consistent with each other', async () => {
    expect(subgraph.counts).toMatchObject({ precursor_licence: 4, precursor_violation: 2 });
    const rows = await sql(`select v.kind, v.detected_on, v.substance_code, l.substance_code as licensed, l.valid_from, l.valid_to
      from precursor_violation v left join precursor_licence l on l.id = v.licence_id where v.id <= 2`);
    for (const v of rows) {
      if (v.kind === 'NO_LICENCE') expect(v.licensed).toBeNull();
      else expect(v.licensed).toBe(v.substance_code);
      if (v.kind === 'EXPIRED_LICENCE') expect(v.detected_on > v.valid_to).toBe(true);
    }
    const seizures = await sql('select seized_on, handed_over_on, drug_case_id, route, conveyance from seizure');
    for (const s of seizures) {
      expect(s.handed_over_on === null).toBe(s.drug_case_id === null);
      if (s.handed_over_on) expect(s.handed_over_on >= s.seized_on).toBe(true);
      expect(s.conveyance).not.toBeNull();
    }
  });
});
