import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { addDays, todayInVietnam, type SyntheticCase, type SyntheticPerson } from '@pcmt/kit';
import { startTestFederation, type TestFederation } from '../harness.js';

// A day at the state legal-aid centre (Trung tâm trợ giúp pháp lý nhà nước) through the registered
// operations of the legal-aid-app client only: the request register, one request's file, a request
// taken from tiếp nhận to kết thúc, a refusal, the providers and the figures.

const ROLE = 'legal-aid-officer';
const PURPOSE = 'Thụ lý và thực hiện vụ việc trợ giúp pháp lý';
const LAWYER = { id: 'LS-90', name: 'Luật sư Hoàng Thị Mai – Đoàn Luật sư tỉnh Cao Bằng', kind: 'CONTRACTED_LAWYER' };

let fed: TestFederation;
const today = todayInVietnam();
const month = today.slice(0, 7);

/** A suspect of a police case who has never asked for legal aid, and that case. */
let accused: SyntheticPerson;
let drugCase: SyntheticCase;
/** A resident of another commune, not eligible, who asks for advice. */
let neighbour: SyntheticPerson;
let requestId: string;

type Result = { data?: any; errors?: any[] };
type Opts = { purpose?: string; communes?: string[] };

const run = (operation: string, variables: Record<string, unknown> = {}, opts: Opts = {}): Promise<Result> => fed.run(ROLE, operation, variables, { purpose: PURPOSE, ...opts });

async function ok(operation: string, variables: Record<string, unknown> = {}, opts: Opts = {}): Promise<any> {
  const res = await run(operation, variables, opts);
  expect(res.errors ?? []).toEqual([]);
  return res.data;
}

function fieldErrors(res: Result): Array<{ field: string; message: string }> {
  expect(res.errors?.length).toBeGreaterThan(0);
  return res.errors!.flatMap((e) => e.extensions?.fieldErrors ?? []);
}

const count = async (sql: string, params: unknown[] = []) => Number((await fed.sql<{ n: number | string }>('legal-aid', sql, params))[0].n);
const day = (v: unknown) => String(v).slice(0, 10);

async function historyOf(id: string): Promise<Array<{ status: string; changedOn: string; note: string | null }>> {
  const rows = await fed.sql<any>('legal-aid', 'select status, cast(changed_on as text) as changed_on, note from legal_aid_status_change where request_id = ? order by changed_on, id', [id]);
  return rows.map((r) => ({ status: r.status, changedOn: day(r.changed_on), note: r.note ?? null }));
}

async function policeStatus(caseId: string): Promise<string> {
  return (await fed.sql<{ status: string }>('police', 'select status from drug_case where id = ?', [caseId]))[0].status;
}

beforeAll(async () => {
  fed = await startTestFederation();
  const asked = new Set((await fed.sql<{ citizen_id: string }>('legal-aid', 'select citizen_id from legal_aid_request')).map((r) => r.citizen_id));
  const byId = new Map(fed.province.persons.map((p) => [p.citizenId, p]));
  drugCase = fed.province.cases.find((c) => c.suspects.some((s) => !asked.has(s.citizenId)))!;
  accused = byId.get(drugCase.suspects.find((s) => !asked.has(s.citizenId))!.citizenId)!;
  neighbour = fed.province.persons.find((p) => p.communeCode !== accused.communeCode && !asked.has(p.citizenId))!;
  expect(accused && neighbour).toBeTruthy();
});

afterAll(async () => {
  await fed?.close();
});

describe('legal-aid officer: the request register and one request from tiếp nhận to kết thúc', () => {
  test('the register with its filters, one request file with its history, and the providers match the database', async () => {
    const y = fed.province.year;
    const all = await ok('LegalAidRequestRegister', { year: y, first: 500 });
    expect(all.legalAidRequests.totalCount).toBe(await count('select count(*) as n from legal_aid_request where received_on between ? and ?', [`${y}-01-01`, `${y}-12-31`]));
    const completed = await ok('LegalAidRequestRegister', { year: y, status: 'COMPLETED', serviceForm: 'DEFENCE_IN_PROCEEDINGS', first: 500 });
    expect(completed.legalAidRequests.totalCount).toBe(
      await count(`select count(*) as n from legal_aid_request where status = 'COMPLETED' and service_form = 'DEFENCE_IN_PROCEEDINGS' and received_on between ? and ?`, [`${y}-01-01`, `${y}-12-31`]),
    );
    expect(completed.legalAidRequests.items.every((r: any) => r.status === 'COMPLETED' && r.serviceForm === 'DEFENCE_IN_PROCEEDINGS' && r.completedOn && r.assignedProvider)).toBe(true);

    // A completed request about a police case: its file shows the case status police holds.
    const [sample] = await fed.sql<{ id: string }>('legal-aid', `select id from legal_aid_request where status = 'COMPLETED' and drug_case_id is not null order by id limit 1`);
    const file = (await ok('LegalAidRequestFile', { id: sample.id })).legalAidRequest;
    expect(file.statusHistory.map((h: any) => ({ status: h.status, changedOn: h.changedOn, note: h.note }))).toEqual(await historyOf(sample.id));
    expect(file.statusHistory[0].status).toBe('RECEIVED');
    expect(file.drugCase.status).toBe(await policeStatus(file.drugCase.id));
    const names = new Map(fed.province.persons.map((p) => [p.citizenId, p.fullName]));
    expect(file.person.fullName).toBe(names.get(file.person.citizenId));

    const providers = await ok('LegalAidProviders', { year: y, first: 100 });
    expect(providers.legalAidProviders.totalCount).toBe(await count('select count(*) as n from legal_aid_provider'));
    for (const p of providers.legalAidProviders.items) {
      expect([p.id, p.requestCount]).toEqual([p.id, await count('select count(*) as n from legal_aid_request where assigned_provider_id = ? and received_on between ? and ?', [p.id, `${y}-01-01`, `${y}-12-31`])]);
    }
  });

  test('a contracted lawyer is registered once', async () => {
    const added = (await ok('LegalAidRegisterProvider', { input: LAWYER })).registerLegalAidProvider;
    expect(added).toEqual(LAWYER);
    const again = await run('LegalAidRegisterProvider', { input: { ...LAWYER, name: 'Luật sư khác' } });
    expect(fieldErrors(again)).toEqual([expect.objectContaining({ field: 'id', message: expect.stringContaining('already exists') })]);
    expect(await fed.sql<any>('legal-aid', 'select id, name, kind from legal_aid_provider where id = ?', [LAWYER.id])).toEqual([LAWYER]);
  });

  test('an accused person asks for defence: received, accepted, started and completed, each step in the history', async () => {
    const before = (await ok('LegalAidPersonRequests', { citizenId: accused.citizenId })).person;
    expect(before).toMatchObject({ citizenId: accused.citizenId, fullName: accused.fullName, commune: { code: accused.communeCode } });
    expect(before.legalAidRequests ?? []).toEqual([]);

    const input = {
      citizenId: accused.citizenId,
      receivedOn: addDays(today, -3),
      communeCode: accused.communeCode,
      eligibilityGroup: 'ACCUSED_NEAR_POOR',
      serviceForm: 'DEFENCE_IN_PROCEEDINGS',
      drugCaseId: drugCase.id,
      note: 'Người bị buộc tội thuộc hộ cận nghèo, có giấy xác nhận của UBND xã',
      idempotencyKey: `tgpl-${accused.citizenId}-${drugCase.id}`,
    };
    const received = (await ok('LegalAidRegisterRequest', { input })).registerLegalAidRequest;
    expect(received).toMatchObject({
      status: 'RECEIVED',
      receivedOn: input.receivedOn,
      eligible: true,
      assignedProvider: null,
      person: { citizenId: accused.citizenId, fullName: accused.fullName },
      commune: { code: accused.communeCode },
      drugCase: { id: drugCase.id, status: await policeStatus(drugCase.id) },
    });
    expect(received.id).toMatch(/^TGPL-\d{5}$/);
    requestId = received.id;
    expect((await ok('LegalAidRegisterRequest', { input })).registerLegalAidRequest.id).toBe(requestId);
    expect(await count('select count(*) as n from legal_aid_request where citizen_id = ?', [accused.citizenId])).toBe(1);

    const accepted = (await ok('LegalAidAcceptRequest', { input: { id: requestId, providerId: LAWYER.id, acceptedOn: addDays(today, -2), note: 'Cử luật sư tham gia tố tụng' } })).acceptLegalAidRequest;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', acceptedOn: addDays(today, -2), assignedProvider: LAWYER });
    const started = (await ok('LegalAidStartAid', { input: { id: requestId, startedOn: addDays(today, -1), note: 'Gặp người bị buộc tội tại trại tạm giam' } })).startLegalAid;
    expect(started.status).toBe('IN_PROGRESS');
    const outcome = 'Tòa án áp dụng tình tiết giảm nhẹ theo đề nghị của luật sư; bị cáo được hưởng mức án thấp nhất của khung';
    const done = (await ok('LegalAidCompleteAid', { input: { id: requestId, completedOn: today, outcome } })).completeLegalAid;
    expect(done).toMatchObject({ status: 'COMPLETED', completedOn: today, outcome, acceptedOn: addDays(today, -2) });
    expect(done.statusHistory.map((h: any) => [h.status, h.changedOn])).toEqual([
      ['RECEIVED', addDays(today, -3)],
      ['ACCEPTED', addDays(today, -2)],
      ['IN_PROGRESS', addDays(today, -1)],
      ['COMPLETED', today],
    ]);

    const reopened = await run('LegalAidStartAid', { input: { id: requestId, startedOn: today } });
    expect(fieldErrors(reopened).map((e) => e.field)).toEqual(['status']);

    const file = (await ok('LegalAidRequestFile', { id: requestId })).legalAidRequest;
    expect(file).toMatchObject({ status: 'COMPLETED', outcome, refusalReason: null, assignedProvider: LAWYER, drugCase: { id: drugCase.id } });
    expect(file.statusHistory.map((h: any) => ({ status: h.status, changedOn: h.changedOn, note: h.note }))).toEqual(await historyOf(requestId));
    const [row] = await fed.sql<any>('legal-aid', 'select status, assigned_provider_id, drug_case_id, cast(accepted_on as text) as accepted_on, cast(completed_on as text) as completed_on, outcome from legal_aid_request where id = ?', [requestId]);
    expect({ ...row, accepted_on: day(row.accepted_on), completed_on: day(row.completed_on) }).toEqual({
      status: 'COMPLETED',
      assigned_provider_id: LAWYER.id,
      drug_case_id: drugCase.id,
      accepted_on: addDays(today, -2),
      completed_on: today,
      outcome,
    });

    const caseLoad = (await ok('LegalAidProviderCaseLoad', { id: LAWYER.id })).legalAidProvider;
    expect(caseLoad).toMatchObject({ requestCount: 1, requests: [{ id: requestId, status: 'COMPLETED', person: { citizenId: accused.citizenId } }] });
    const mine = await ok('LegalAidRequestRegister', { providerId: LAWYER.id });
    expect(mine.legalAidRequests.items.map((r: any) => r.id)).toEqual([requestId]);
    const person = (await ok('LegalAidPersonRequests', { citizenId: accused.citizenId })).person;
    expect(person.legalAidRequests.map((r: any) => [r.id, r.status])).toEqual([[requestId, 'COMPLETED']]);
  });

  test('a person outside the eligible groups cannot be accepted; the request is refused with its reason', async () => {
    const received = (
      await ok('LegalAidRegisterRequest', { input: { citizenId: neighbour.citizenId, receivedOn: today, communeCode: neighbour.communeCode, eligibilityGroup: 'NOT_ELIGIBLE', serviceForm: 'ADVICE' } })
    ).registerLegalAidRequest;
    expect(received).toMatchObject({ status: 'RECEIVED', eligible: false, drugCase: null });

    const accept = await run('LegalAidAcceptRequest', { input: { id: received.id, providerId: LAWYER.id, acceptedOn: today } });
    expect(fieldErrors(accept).map((e) => e.field)).toEqual(['eligibilityGroup']);
    const reason = 'Không thuộc diện người được trợ giúp pháp lý (Điều 7 Luật Trợ giúp pháp lý 2017); hướng dẫn liên hệ văn phòng luật sư';
    const refused = (await ok('LegalAidRefuseRequest', { input: { id: received.id, reason, refusedOn: today } })).refuseLegalAidRequest;
    expect(refused).toMatchObject({ status: 'REFUSED', refusalReason: reason, assignedProvider: null });
    expect(refused.statusHistory.map((h: any) => [h.status, h.note])).toEqual([
      ['RECEIVED', null],
      ['REFUSED', reason],
    ]);
    const start = await run('LegalAidStartAid', { input: { id: received.id, startedOn: today } });
    expect(fieldErrors(start).map((e) => e.field)).toEqual(['status']);
    expect(await fed.sql<any>('legal-aid', 'select status, refusal_reason, assigned_provider_id from legal_aid_request where id = ?', [received.id])).toEqual([
      { status: 'REFUSED', refusal_reason: reason, assigned_provider_id: null },
    ]);
  });

  test("this month's figures of the commune and the province agree with the database", async () => {
    const where = 'received_on between ? and ?';
    const span = [`${month}-01`, today];
    const figures = async (extra: string, params: unknown[]) => ({
      legalAidRequests: await count(`select count(*) as n from legal_aid_request where ${where}${extra}`, [...span, ...params]),
      eligibleLegalAidRequests: await count(`select count(*) as n from legal_aid_request where ${where} and eligibility_group <> 'NOT_ELIGIBLE'${extra}`, [...span, ...params]),
      servedLegalAidRequests: await count(`select count(*) as n from legal_aid_request where ${where} and eligibility_group <> 'NOT_ELIGIBLE' and status in ('ACCEPTED', 'IN_PROGRESS', 'COMPLETED')${extra}`, [...span, ...params]),
      refusedEligibleLegalAidRequests: await count(`select count(*) as n from legal_aid_request where ${where} and eligibility_group <> 'NOT_ELIGIBLE' and status = 'REFUSED'${extra}`, [...span, ...params]),
      completedLegalAidRequests: await count(`select count(*) as n from legal_aid_request where status = 'COMPLETED' and completed_on between ? and ?${extra}`, [...span, ...params]),
    });
    const commune = (await ok('LegalAidCommuneReport', { code: accused.communeCode, period: month })).commune;
    const expected = await figures(' and commune_code = ?', [accused.communeCode]);
    expect(commune.period).toEqual({ period: month, ...expected });
    // The request received three days ago may fall in last month; the completion is this month's.
    expect(expected.completedLegalAidRequests).toBeGreaterThanOrEqual(1);
    const province = (await ok('LegalAidProvinceReport', { code: fed.province.province.code, period: month })).province;
    expect(province.period).toEqual({ period: month, ...(await figures('', [])) });
  });

  test("refused: reading requests without a declared purpose; registering or reading a request outside the officer's area", async () => {
    const noPurpose = await run('LegalAidRequestFile', { id: requestId }, { purpose: undefined });
    expect(noPurpose.errors?.[0].extensions.code).toBe('PURPOSE_REQUIRED');
    expect(noPurpose.data ?? null).toBeNull();
    // Control: the provider list holds no personal data and needs no purpose.
    expect((await run('LegalAidProviders', {}, { purpose: undefined })).errors).toBeUndefined();

    const area = { communes: [accused.communeCode] };
    const outside = await run('LegalAidRegisterRequest', { input: { citizenId: neighbour.citizenId, receivedOn: today, communeCode: neighbour.communeCode, eligibilityGroup: 'POOR_HOUSEHOLD', serviceForm: 'ADVICE' } }, area);
    expect(fieldErrors(outside)).toEqual([expect.objectContaining({ field: 'communeCode', message: expect.stringContaining('outside your area') })]);
    expect(await count(`select count(*) as n from legal_aid_request where citizen_id = ? and eligibility_group = 'POOR_HOUSEHOLD'`, [neighbour.citizenId])).toBe(0);

    // The neighbour's refused request lives in another commune: not in this officer's register or file.
    const [theirs] = await fed.sql<{ id: string }>('legal-aid', 'select id from legal_aid_request where citizen_id = ?', [neighbour.citizenId]);
    expect((await ok('LegalAidRequestFile', { id: theirs.id }, area)).legalAidRequest).toBeNull();
    expect((await ok('LegalAidRequestFile', { id: theirs.id })).legalAidRequest.id).toBe(theirs.id);
    const register = await ok('LegalAidRequestRegister', { from: `${month}-01`, to: today, first: 500 }, area);
    expect(register.legalAidRequests.totalCount).toBe(await count('select count(*) as n from legal_aid_request where commune_code = ? and received_on between ? and ?', [accused.communeCode, `${month}-01`, today]));
    expect(register.legalAidRequests.items.map((r: any) => r.id)).not.toContain(theirs.id);

    // Control: the same officer takes a request in their own commune.
    const inside = await run('LegalAidRegisterRequest', { input: { citizenId: accused.citizenId, receivedOn: today, communeCode: accused.communeCode, eligibilityGroup: 'ACCUSED_NEAR_POOR', serviceForm: 'ADVICE' } }, area);
    expect(inside.errors).toBeUndefined();
    expect(inside.data.registerLegalAidRequest.commune.code).toBe(accused.communeCode);
  });
});
