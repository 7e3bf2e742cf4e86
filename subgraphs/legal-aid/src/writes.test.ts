import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { importRows, testImportCaller } from '../../../scripts/lib/import.js';
import { LegalAidRequest } from './entities.js';
import { requestsImporter } from './importers.js';
import { legalAid } from './index.js';

// Imports run as a province-wide operator of the agency, as `npm run import -- --token` would.
const operator = testImportCaller('legal-aid');

// A small province of its own: these tests write, and the figure tests elsewhere read the seed as is.
const province = syntheticProvince({ seed: 11, scale: 0.1 });
const commune = province.communes[0].code;
let service: SubgraphService;
let url: string;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(legalAid, province);
  ({ service, url } = subgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

const sql = async (query: string, params: unknown[] = []) => service.orm.em.fork().getConnection().execute(query, params);
const countOf = async (table: string) => Number((await sql(`select count(*) as n from ${table}`))[0].n);
/** Rows of the tables a write touches: a refused write must leave them all as they were. */
const snapshot = async () => ({
  requests: await countOf('legal_aid_request'),
  history: await countOf('legal_aid_status_change'),
  providers: await countOf('legal_aid_provider'),
  keys: await countOf('idempotent_write'),
  statuses: await sql('select id, status, assigned_provider_id, accepted_on, completed_on, outcome, refusal_reason from legal_aid_request order by id'),
});

const REQUEST = `id status citizenId: person { citizenId } commune { code } receivedOn eligibilityGroup serviceForm drugCase { id }
  acceptedOn completedOn outcome refusalReason provider assignedProvider { id name kind } statusHistory { status changedOn note }`;

const INPUT_TYPES: Record<string, string> = {
  registerLegalAidRequest: 'RegisterLegalAidRequestInput',
  acceptLegalAidRequest: 'AcceptLegalAidRequestInput',
  refuseLegalAidRequest: 'RefuseLegalAidRequestInput',
  startLegalAid: 'StartLegalAidInput',
  completeLegalAid: 'CompleteLegalAidInput',
  registerLegalAidProvider: 'RegisterLegalAidProviderInput',
};

async function mutate(name: string, input: Record<string, unknown>, fields = REQUEST) {
  const res = await postGraphql(url, `mutation($input: ${INPUT_TYPES[name]}!) { ${name}(input: $input) { ${fields} } }`, { input });
  return { data: res.data?.[name], errors: res.errors };
}

/** The mutation is refused with exactly these fields in `fieldErrors`, and nothing is written. */
async function expectRefused(name: string, input: Record<string, unknown>, fields: string[]) {
  const before = await snapshot();
  const res = await mutate(name, input, name === 'registerLegalAidProvider' ? 'id' : REQUEST);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const errors = res.errors![0].extensions!.fieldErrors as Array<{ field: string; message: string }>;
  expect(errors.map((e) => e.field).sort()).toEqual([...fields].sort());
  expect(await snapshot()).toEqual(before);
  return errors;
}

let person = 0;
/** A fresh well-formed request input (a new citizen each time, so natural keys never collide). */
const newRequest = (over: Record<string, unknown> = {}) => ({
  citizenId: `0040950${String(++person).padStart(5, '0')}`,
  receivedOn: '2025-03-10',
  communeCode: commune,
  eligibilityGroup: 'POOR_HOUSEHOLD',
  serviceForm: 'DEFENCE_IN_PROCEEDINGS',
  drugCaseId: 'VA-2025-00001',
  ...over,
});

async function registered(over: Record<string, unknown> = {}) {
  const res = await mutate('registerLegalAidRequest', newRequest(over));
  expect(res.errors).toBeUndefined();
  return res.data;
}

async function accepted(over: Record<string, unknown> = {}) {
  const r = await registered(over);
  const res = await mutate('acceptLegalAidRequest', { id: r.id, providerId: 'TGV-01', acceptedOn: (over.receivedOn as string | undefined) ?? '2025-03-12' });
  expect(res.errors).toBeUndefined();
  return res.data;
}

describe('legal-aid writes: the lifecycle', () => {
  test('register → accept → start → complete, with a history row for each change', async () => {
    const before = await snapshot();
    const r = await registered({ note: 'Yêu cầu qua điện thoại' });
    expect(r).toMatchObject({ status: 'RECEIVED', commune: { code: commune }, receivedOn: '2025-03-10', drugCase: { id: 'VA-2025-00001' }, assignedProvider: null });
    // The next number of the centre's own series, after the seeded ones.
    expect(r.id).toBe(`TGPL-${String(province.legalAid.length + 1).padStart(5, '0')}`);
    expect(r.statusHistory).toEqual([{ status: 'RECEIVED', changedOn: '2025-03-10', note: 'Yêu cầu qua điện thoại' }]);

    const a = await mutate('acceptLegalAidRequest', { id: r.id, providerId: 'LS-01', acceptedOn: '2025-03-12' });
    expect(a.errors).toBeUndefined();
    expect(a.data).toMatchObject({ status: 'ACCEPTED', acceptedOn: '2025-03-12', assignedProvider: { id: 'LS-01', kind: 'CONTRACTED_LAWYER' } });
    expect(a.data.provider).toBe(a.data.assignedProvider.name);

    const s = await mutate('startLegalAid', { id: r.id, startedOn: '2025-03-15' });
    expect(s.errors).toBeUndefined();
    expect(s.data.status).toBe('IN_PROGRESS');

    const c = await mutate('completeLegalAid', { id: r.id, completedOn: '2025-06-20', outcome: 'Được hưởng án treo' });
    expect(c.errors).toBeUndefined();
    expect(c.data).toMatchObject({ status: 'COMPLETED', completedOn: '2025-06-20', outcome: 'Được hưởng án treo' });
    expect(c.data.statusHistory.map((h: any) => [h.status, h.changedOn])).toEqual([
      ['RECEIVED', '2025-03-10'],
      ['ACCEPTED', '2025-03-12'],
      ['IN_PROGRESS', '2025-03-15'],
      ['COMPLETED', '2025-06-20'],
    ]);
    const after = await snapshot();
    expect(after.requests).toBe(before.requests + 1);
    expect(after.history).toBe(before.history + 4);
  });

  test('advice accepted and given at once goes straight from ACCEPTED to COMPLETED', async () => {
    const r = await accepted({ serviceForm: 'ADVICE', drugCaseId: null });
    const c = await mutate('completeLegalAid', { id: r.id, completedOn: '2025-03-12', outcome: 'Đã tư vấn pháp luật' });
    expect(c.errors).toBeUndefined();
    expect(c.data.statusHistory.map((h: any) => h.status)).toEqual(['RECEIVED', 'ACCEPTED', 'COMPLETED']);
    expect(c.data.drugCase).toBeNull();
  });

  test('a received request is refused with its reason', async () => {
    const r = await registered({ eligibilityGroup: 'NOT_ELIGIBLE' });
    const res = await mutate('refuseLegalAidRequest', { id: r.id, reason: 'Không thuộc diện người được trợ giúp pháp lý', refusedOn: '2025-03-11' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ status: 'REFUSED', refusalReason: 'Không thuộc diện người được trợ giúp pháp lý', assignedProvider: null });
    expect(res.data.statusHistory.at(-1)).toEqual({ status: 'REFUSED', changedOn: '2025-03-11', note: 'Không thuộc diện người được trợ giúp pháp lý' });
  });

  test('a completed request counts in its commune and province figures for the closing period', async () => {
    const figures = async () => {
      const res = await postGraphql(
        url,
        `query($reps: [_Any!]!) { _entities(representations: $reps) {
          ... on CommunePeriod { completedLegalAidRequests legalAidRequests servedLegalAidRequests }
          ... on ProvincePeriod { completedLegalAidRequests legalAidRequests servedLegalAidRequests } } }`,
        {
          reps: [
            { __typename: 'CommunePeriod', communeCode: commune, period: '2025-08' },
            { __typename: 'ProvincePeriod', provinceCode: province.province.code, period: '2025-08' },
          ],
        },
      );
      expect(res.errors).toBeUndefined();
      return res.data._entities;
    };
    const before = await figures();
    const r = await accepted({ receivedOn: '2025-08-01' });
    await mutate('startLegalAid', { id: r.id, startedOn: '2025-08-02' });
    const c = await mutate('completeLegalAid', { id: r.id, completedOn: '2025-08-30', outcome: 'Chuyển tội danh nhẹ hơn' });
    expect(c.errors).toBeUndefined();
    const after = await figures();
    for (const i of [0, 1]) {
      expect(after[i].completedLegalAidRequests).toBe(before[i].completedLegalAidRequests + 1);
      expect(after[i].legalAidRequests).toBe(before[i].legalAidRequests + 1);
      expect(after[i].servedLegalAidRequests).toBe(before[i].servedLegalAidRequests + 1);
    }
  });

  test('a provider is added and can then be assigned', async () => {
    const p = await mutate('registerLegalAidProvider', { id: 'TGV-99', name: 'Hoàng Thị Mai', kind: 'LEGAL_AID_OFFICER' }, 'id name kind requestCount');
    expect(p.errors).toBeUndefined();
    expect(p.data).toEqual({ id: 'TGV-99', name: 'Hoàng Thị Mai', kind: 'LEGAL_AID_OFFICER', requestCount: 0 });
    const r = await registered();
    const a = await mutate('acceptLegalAidRequest', { id: r.id, providerId: 'TGV-99', acceptedOn: '2025-03-10' });
    expect(a.errors).toBeUndefined();
    expect(a.data.assignedProvider).toEqual({ id: 'TGV-99', name: 'Hoàng Thị Mai', kind: 'LEGAL_AID_OFFICER' });
  });
});

describe('legal-aid writes: bad input is refused field by field and writes nothing', () => {
  test('register: malformed citizen ID, unknown commune, future date, bad case number — all at once', async () => {
    const errors = await expectRefused(
      'registerLegalAidRequest',
      newRequest({ citizenId: '12345', communeCode: '99999', receivedOn: '2999-01-01', drugCaseId: 'VA-25-1' }),
      ['citizenId', 'communeCode', 'receivedOn', 'drugCaseId'],
    );
    expect(errors.find((e) => e.field === 'communeCode')!.message).toMatch(/unknown commune code 99999/);
    expect(errors.find((e) => e.field === 'receivedOn')!.message).toMatch(/future/);
  });

  test('register: malformed commune code, a date before the Law on Legal Aid, an over-long note', async () => {
    await expectRefused('registerLegalAidRequest', newRequest({ communeCode: '12A', receivedOn: '2017-12-31', note: 'x'.repeat(256) }), ['communeCode', 'receivedOn', 'note']);
  });

  test('register: a request number already in use', async () => {
    const errors = await expectRefused('registerLegalAidRequest', newRequest({ id: province.legalAid[0].id }), ['id']);
    expect(errors[0].message).toMatch(/already exists/);
  });

  test('accept: unknown request, unknown provider, future date', async () => {
    await expectRefused('acceptLegalAidRequest', { id: 'TGPL-99999', providerId: 'TGV-404', acceptedOn: '2999-01-01' }, ['id', 'providerId', 'acceptedOn']);
  });

  test('accept: not for a person who is NOT_ELIGIBLE, nor before the request was received', async () => {
    const r = await registered({ eligibilityGroup: 'NOT_ELIGIBLE' });
    const errors = await expectRefused('acceptLegalAidRequest', { id: r.id, providerId: 'TGV-01', acceptedOn: '2025-03-09' }, ['eligibilityGroup', 'acceptedOn']);
    expect(errors.find((e) => e.field === 'acceptedOn')!.message).toMatch(/not be before 2025-03-10/);
  });

  test('accept: only from RECEIVED', async () => {
    const r = await accepted();
    const again = await expectRefused('acceptLegalAidRequest', { id: r.id, providerId: 'TGV-01', acceptedOn: '2025-03-13' }, ['status']);
    expect(again[0].message).toMatch(/already ACCEPTED/);
    const refused = await registered();
    await mutate('refuseLegalAidRequest', { id: refused.id, reason: 'Đã tự mời người bào chữa', refusedOn: '2025-03-11' });
    const errors = await expectRefused('acceptLegalAidRequest', { id: refused.id, providerId: 'TGV-01', acceptedOn: '2025-03-13' }, ['status']);
    expect(errors[0].message).toMatch(/cannot change from REFUSED to ACCEPTED/);
  });

  test('refuse: the reason is required and short, and only a RECEIVED request can be refused', async () => {
    const r = await registered();
    await expectRefused('refuseLegalAidRequest', { id: r.id, reason: '', refusedOn: '2025-03-11' }, ['reason']);
    await expectRefused('refuseLegalAidRequest', { id: r.id, reason: 'x'.repeat(256), refusedOn: '2999-03-11' }, ['reason', 'refusedOn']);
    const a = await accepted();
    const errors = await expectRefused('refuseLegalAidRequest', { id: a.id, reason: 'Muộn', refusedOn: '2025-03-13' }, ['status']);
    expect(errors[0].message).toMatch(/cannot change from ACCEPTED to REFUSED/);
  });

  test('start: only from ACCEPTED', async () => {
    const r = await registered();
    const errors = await expectRefused('startLegalAid', { id: r.id, startedOn: '2025-03-12' }, ['status']);
    expect(errors[0].message).toMatch(/cannot change from RECEIVED to IN_PROGRESS/);
    await expectRefused('startLegalAid', { id: 'TGPL-99999', startedOn: '2025-03-12' }, ['id']);
  });

  test('complete: outcome required, not before the last change nor in the future, never from RECEIVED or REFUSED', async () => {
    const a = await accepted();
    await expectRefused('completeLegalAid', { id: a.id, completedOn: '2025-03-01', outcome: '' }, ['outcome', 'completedOn']);
    await expectRefused('completeLegalAid', { id: a.id, completedOn: '2999-01-01', outcome: 'Xong' }, ['completedOn']);
    const r = await registered();
    await expectRefused('completeLegalAid', { id: r.id, completedOn: '2025-04-01', outcome: 'Xong' }, ['status']);
    const done = await mutate('completeLegalAid', { id: a.id, completedOn: '2025-04-01', outcome: 'Xong' });
    expect(done.errors).toBeUndefined();
    const errors = await expectRefused('completeLegalAid', { id: a.id, completedOn: '2025-04-02', outcome: 'Lại' }, ['status']);
    expect(errors[0].message).toMatch(/already COMPLETED/);
  });

  test('provider: a code in use, no name, a malformed code', async () => {
    await expectRefused('registerLegalAidProvider', { id: 'TGV-01', name: '', kind: 'LEGAL_AID_OFFICER' }, ['id', 'name']);
    await expectRefused('registerLegalAidProvider', { id: 'TGV 01!', name: 'A', kind: 'LEGAL_AID_OFFICER' }, ['id']);
  });
});

describe('legal-aid writes: idempotency', () => {
  test('the same key twice registers one request and answers the same', async () => {
    const input = { ...newRequest(), idempotencyKey: 'register-once-0001' };
    const before = await snapshot();
    const first = await mutate('registerLegalAidRequest', input);
    const again = await mutate('registerLegalAidRequest', input);
    expect(first.errors).toBeUndefined();
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    const after = await snapshot();
    expect(after.requests).toBe(before.requests + 1);
    expect(after.history).toBe(before.history + 1);
  });

  test('the same key with other input is refused and writes nothing', async () => {
    const before = await snapshot();
    const res = await mutate('registerLegalAidRequest', { ...newRequest(), idempotencyKey: 'register-once-0001' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await snapshot()).toEqual(before);
  });

  test('a retried status change is applied once, not refused as a second move', async () => {
    const r = await registered();
    const input = { id: r.id, providerId: 'TGV-01', acceptedOn: '2025-03-12', idempotencyKey: `accept-${r.id}` };
    const first = await mutate('acceptLegalAidRequest', input);
    const before = await snapshot();
    const again = await mutate('acceptLegalAidRequest', input);
    expect(first.errors).toBeUndefined();
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await snapshot()).toEqual(before);
  });
});

describe('legal-aid writes: input hygiene', () => {
  test('a NUL byte or another control character is a field error, and nothing is written', async () => {
    // Refused before the write's own checks run (they would send the NUL to the database).
    const errors = await expectRefused('registerLegalAidRequest', newRequest({ note: 'Yêu cầu\u0000', citizenId: '12345' }), ['note']);
    expect(errors.find((e) => e.field === 'note')!.message).toBe('must not contain control characters (U+0000 at position 7)');
    const r = await registered();
    await expectRefused('completeLegalAid', { id: r.id, completedOn: '2025-04-01', outcome: 'Xong\u001b[0m' }, ['outcome']);
  });

  test('decomposed Vietnamese is stored composed (NFC); tabs and new lines are kept', async () => {
    const note = 'Người yêu cầu: Nguyễn Thị Huyền\n\tgọi lại sau';
    const r = await registered({ note: note.normalize('NFD') });
    expect(r.statusHistory[0].note).toBe(note);
    const [row] = await sql('select note from legal_aid_status_change where request_id = ?', [r.id]);
    expect(row.note).toBe(note);
    expect(row.note).toBe(row.note.normalize('NFC'));
  });

  test('a malformed date is BAD_USER_INPUT naming the field; two of them, one error listing both', async () => {
    const res = await mutate('registerLegalAidRequest', newRequest({ receivedOn: '2025-02-30' }));
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'receivedOn', fieldErrors: [{ field: 'receivedOn', message: 'must be a date YYYY-MM-DD' }] });
    const r = await registered();
    const both = await mutate('acceptLegalAidRequest', { id: r.id, providerId: 'TGV-01', acceptedOn: '12/03/2025', note: 'x', idempotencyKey: 7 });
    expect(both.errors).toHaveLength(1);
    expect((both.errors![0].extensions!.fieldErrors as Array<{ field: string }>).map((e) => e.field)).toEqual(['acceptedOn', 'idempotencyKey']);
  });
});

describe('legal-aid importer: requests', () => {
  const good = () => [
    { 'Mã yêu cầu': 'TGPL-2025-IMP1', 'Số CCCD': '004090123456', 'Ngày tiếp nhận': '05/03/2025', 'Mã xã': commune, 'Diện được trợ giúp': 'Người thuộc hộ nghèo', 'Hình thức': 'Tư vấn pháp luật', 'Số vụ án': '' },
    { 'Mã yêu cầu': '', 'Số CCCD': '004090123457', 'Ngày tiếp nhận': '2025-04-01', 'Mã xã': commune, 'Diện được trợ giúp': 'POOR_HOUSEHOLD', 'Hình thức': 'Tham gia tố tụng', 'Số vụ án': 'va-2025-00002' },
    // Excel dropped the CCCD's leading zero; the label carries its clause number.
    { 'Mã yêu cầu': '', 'Số CCCD': '40120123458', 'Ngày tiếp nhận': '7/4/2025', 'Mã xã': commune, 'Diện được trợ giúp': 'Trẻ em (khoản 3)', 'Hình thức': 'REPRESENTATION_OUTSIDE_COURT', 'Số vụ án': '' },
  ];
  const bad = () => [
    { 'Mã yêu cầu': '', 'Số CCCD': '123', 'Ngày tiếp nhận': '31/02/2025', 'Mã xã': commune, 'Diện được trợ giúp': 'Trẻ em', 'Hình thức': 'Tư vấn', 'Số vụ án': '' },
    { 'Mã yêu cầu': '', 'Số CCCD': '004090123459', 'Ngày tiếp nhận': '2025-05-01', 'Mã xã': '99999', 'Diện được trợ giúp': 'Trẻ em', 'Hình thức': 'Tư vấn', 'Số vụ án': '' },
    { 'Mã yêu cầu': '', 'Số CCCD': '004090123460', 'Ngày tiếp nhận': '2025-05-01', 'Mã xã': commune, 'Diện được trợ giúp': 'Người giàu', 'Hình thức': '', 'Số vụ án': '' },
    { 'Mã yêu cầu': '', 'Số CCCD': '004090123461', 'Ngày tiếp nhận': '01/01/2999', 'Mã xã': commune, 'Diện được trợ giúp': 'Hộ cận nghèo', 'Hình thức': 'Bào chữa', 'Số vụ án': 'VA-1' },
    { 'Mã yêu cầu': province.legalAid[0].id, 'Số CCCD': '004090123462', 'Ngày tiếp nhận': '2025-05-01', 'Mã xã': commune, 'Diện được trợ giúp': 'Trẻ em', 'Hình thức': 'Tư vấn', 'Số vụ án': '' },
  ];

  test('imports the good rows, reports each bad one by row and column, and re-running imports nothing more', async () => {
    const before = await snapshot();
    const rows = [...good(), ...bad()];
    const report = await importRows(service, requestsImporter, rows, operator);
    expect(report).toMatchObject({ rows: 8, imported: 3, alreadyImported: 0, failed: 5, unknownHeaders: [] });
    const errs = report.errors.map((e) => `${e.row}:${e.column}`).sort();
    expect(errs).toEqual(
      [
        '5:Số CCCD',
        '5:Ngày tiếp nhận',
        '6:Mã xã',
        '7:Diện được trợ giúp',
        '7:Hình thức',
        '8:Ngày tiếp nhận',
        '8:Số vụ án',
        '9:Mã yêu cầu',
      ].sort(),
    );
    expect(report.errors.find((e) => e.row === 7 && e.column === 'Diện được trợ giúp')!.value).toBe('Người giàu');

    const after = await snapshot();
    expect(after.requests).toBe(before.requests + 3);
    expect(after.history).toBe(before.history + 3);
    const imported = await sql(
      `select id, citizen_id, eligibility_group, service_form, drug_case_id, status from legal_aid_request where citizen_id in (?, ?, ?) order by citizen_id`,
      ['004090123456', '004090123457', '040120123458'],
    );
    expect(imported.map((r: any) => [r.citizen_id, r.eligibility_group, r.service_form, r.drug_case_id, r.status])).toEqual([
      ['004090123456', 'POOR_HOUSEHOLD', 'ADVICE', null, 'RECEIVED'],
      ['004090123457', 'POOR_HOUSEHOLD', 'DEFENCE_IN_PROCEEDINGS', 'VA-2025-00002', 'RECEIVED'],
      ['040120123458', 'CHILD', 'REPRESENTATION_OUTSIDE_COURT', null, 'RECEIVED'],
    ]);
    expect(imported[0].id).toBe('TGPL-2025-IMP1');
    // Vietnamese day/month/year, read as 5 March.
    expect((await service.orm.em.fork().findOneOrFail(LegalAidRequest, 'TGPL-2025-IMP1')).receivedOn).toBe('2025-03-05');

    const again = await importRows(service, requestsImporter, rows, operator);
    expect(again).toMatchObject({ imported: 0, alreadyImported: 3, failed: 5 });
    expect(await countOf('legal_aid_request')).toBe(after.requests);
  });

  test('English headers work too; the same natural key with other data is refused', async () => {
    const rows = [
      { 'request id': '', 'citizen id': '004090123470', 'received on': '2025-06-02', 'commune code': commune, 'eligibility group': 'ethnic minority', 'service form': 'advice', 'drug case id': '' },
    ];
    const first = await importRows(service, requestsImporter, rows, operator);
    expect(first).toMatchObject({ imported: 1, failed: 0, unknownHeaders: [] });
    const changed = await importRows(service, requestsImporter, [{ ...rows[0], 'eligibility group': 'DISABLED' }], operator);
    expect(changed).toMatchObject({ imported: 0, failed: 1 });
    expect(changed.errors[0].reason).toMatch(/already used/);
    const [{ eligibility_group }] = await sql(`select eligibility_group from legal_aid_request where citizen_id = '004090123470'`);
    expect(eligibility_group).toBe('ETHNIC_MINORITY_HARD_AREA');
  });
});
