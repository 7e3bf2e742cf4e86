import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from '../harness.js';

// A customs officer's day at a land border gate through the registered operations of the customs
// app (client customs-app) only: the seizure register, one seizure, a new seizure handed over to
// the police case opened for it, precursor licences and violations; each write read back through
// the operations and checked in the customs database.

let fed: TestFederation;
/** A land border gate and the commune it stands in: the officer's post. */
let gate: { code: string; name: string; communeCode: string };
/** A commune of the province other than the gate's. */
let away: string;
/** A resident of the gate's commune in the police register, never held in a seizure: the courier. */
let courier: { citizenId: string; fullName: string };

const ROLE = 'customs-officer';
const PURPOSE = 'Kiểm soát, bắt giữ ma túy tại cửa khẩu';
const withPurpose = { purpose: PURPOSE };

// Days already past: writes refuse dates in the future.
const SEIZURE_ID = 'TG-2026-00901';
const SEIZED_ON = '2026-11-18';
const CASE_ID = 'VA-2026-00950';
const HANDED_OVER_ON = '2026-11-19';
const LICENCE_NO = '0157/2026/GPNK-BYT';
const LICENSEE = 'Công ty Cổ phần Dược phẩm Hà Quảng';

const run = (operation: string, variables?: Record<string, unknown>, opts?: { purpose?: string; communes?: string[]; province?: string }) =>
  fed.run(ROLE, operation, variables, opts);

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

const count = async (subgraph: string, sql: string, params: unknown[] = []) => Number((await fed.sql<{ n: number | string }>(subgraph, sql, params))[0].n);
const communeName = (code: string) => fed.province.communes.find((c) => c.code === code)!.name;

const seizureInput = () => ({
  id: SEIZURE_ID,
  seizedOn: SEIZED_ON,
  communeCode: gate.communeCode,
  agency: 'CUSTOMS',
  gateCode: gate.code,
  route: 'LAND_BORDER',
  conveyance: 'TRUCK',
  concealment: 'Giấu trong thùng xe tải chở thanh long',
  originCountry: 'MM',
  transitCountry: 'LA',
  destinationCountry: 'VN',
  items: [
    { substanceCode: 'METHAMPHETAMINE', quantity: 12000, unit: 'TABLET' },
    { substanceCode: 'HEROIN', quantity: 1.5, unit: 'KILOGRAM' },
  ],
  suspects: [courier.citizenId],
  idempotencyKey: `customs-app:registerSeizure:${SEIZURE_ID}`,
});

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.15 });
  const [g] = await fed.sql<{ code: string; name: string; commune_code: string }>('customs', "select code, name, commune_code from border_gate where kind = 'LAND_GATE' order by code limit 1");
  gate = { code: g.code, name: g.name, communeCode: g.commune_code };
  away = fed.province.communes.find((c) => c.code !== gate.communeCode)!.code;
  const held = new Set((await fed.sql<{ citizen_id: string }>('customs', 'select citizen_id from seizure_suspect')).map((r) => r.citizen_id));
  const residents = await fed.sql<{ citizen_id: string; full_name: string }>('police', 'select citizen_id, full_name from person where commune_code = ? order by citizen_id', [gate.communeCode]);
  const r = residents.find((p) => !held.has(p.citizen_id))!;
  courier = { citizenId: r.citizen_id, fullName: r.full_name };
});

afterAll(async () => {
  await fed?.close();
});

describe('the seizure register and one seizure file', () => {
  test('the register is sensitive: refused without a purpose', async () => {
    const res = await run('CustomsSeizureRegister', { year: 2025, first: 10, offset: 0 });
    expect(refusal(res).code).toBe('PURPOSE_REQUIRED');
    expect(res.data?.seizures ?? null).toBeNull();
  });

  test('lists the year\'s seizures newest first, page by page, as the database holds them', async () => {
    const ids = (await fed.sql<{ id: string }>('customs', "select id from seizure where seized_on between '2025-01-01' and '2025-12-31' order by seized_on desc, id asc")).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(20);
    const page1 = ok(await run('CustomsSeizureRegister', { year: 2025, first: 10, offset: 0 }, withPurpose)).seizures;
    const page2 = ok(await run('CustomsSeizureRegister', { year: 2025, first: 10, offset: 10 }, withPurpose)).seizures;
    expect(page1.totalCount).toBe(ids.length);
    expect(page1.items.map((s: any) => s.id)).toEqual(ids.slice(0, 10));
    expect(page2.items.map((s: any) => s.id)).toEqual(ids.slice(10, 20));
    for (const s of page1.items) {
      expect(s.seizedOn.startsWith('2025-')).toBe(true);
      expect(s.items.length).toBeGreaterThan(0);
      expect(s.commune.name).toBe(communeName(s.commune.code));
    }
  });

  test('filters handed-over seizures by route', async () => {
    const [{ route }] = await fed.sql<{ route: string }>('customs', 'select route, count(*) as n from seizure where drug_case_id is not null group by route order by count(*) desc, route limit 1');
    const expected = (await fed.sql<{ id: string }>('customs', 'select id from seizure where drug_case_id is not null and route = ? order by seized_on desc, id asc', [route])).map((r) => r.id);
    const page = ok(await run('CustomsSeizureRegister', { status: 'HANDED_OVER', route, first: 200, offset: 0 }, withPurpose)).seizures;
    expect(page.totalCount).toBe(expected.length);
    expect(page.items.map((s: any) => s.id)).toEqual(expected);
    expect(new Set(page.items.map((s: any) => `${s.status} ${s.route}`))).toEqual(new Set([`HANDED_OVER ${route}`]));
  });

  test('one seizure shows its items, the persons held (from the police register) and the police case it went to', async () => {
    const [{ id }] = await fed.sql<{ id: string }>('customs', 'select s.id from seizure s join seizure_suspect x on x.seizure_id = s.id where s.drug_case_id is not null group by s.id order by count(*) desc, s.id limit 1');
    const [row] = await fed.sql<any>('customs', 'select drug_case_id, commune_code from seizure where id = ?', [id]);
    const items = await fed.sql<any>('customs', 'select substance_code, quantity, unit, kg_equivalent from seized_item where seizure_id = ? order by id', [id]);
    const held = (await fed.sql<{ citizen_id: string }>('customs', 'select citizen_id from seizure_suspect where seizure_id = ? order by citizen_id', [id])).map((r) => r.citizen_id);
    const [policeCase] = await fed.sql<any>('police', 'select status, reported_on from drug_case where id = ?', [row.drug_case_id]);

    expect(refusal(await run('CustomsSeizure', { id })).code).toBe('PURPOSE_REQUIRED');
    const s = ok(await run('CustomsSeizure', { id }, withPurpose)).seizure;
    expect(s).toMatchObject({ id, status: 'HANDED_OVER', commune: { code: row.commune_code } });
    expect(s.items.map((i: any) => [i.substance.code, i.quantity, i.unit, i.kgEquivalent])).toEqual(items.map((i) => [i.substance_code, Number(i.quantity), i.unit, Number(i.kg_equivalent)]));
    expect(s.suspects.map((p: any) => p.citizenId).sort()).toEqual(held);
    for (const p of s.suspects) {
      const [person] = await fed.sql<{ full_name: string }>('police', 'select full_name from person where citizen_id = ?', [p.citizenId]);
      expect(p.fullName).toBe(person.full_name);
    }
    // Customs may read the status of the case it handed over to (scope case:handover).
    expect(s.handedOverTo).toEqual({ id: row.drug_case_id, status: policeCase.status, reportedOn: day(policeCase.reported_on) });
  });

  test('the border gates, with their seizures of the year', async () => {
    const gates = await fed.sql<any>('customs', 'select g.code, g.kind, g.commune_code, (select count(*) from seizure s where s.gate_id = g.id and s.seized_on between ? and ?) as n from border_gate g order by g.code', ['2025-01-01', '2025-12-31']);
    const got = ok(await run('CustomsBorderGates', { year: 2025, first: 100, offset: 0 })).borderGates;
    expect(got.map((g: any) => [g.code, g.kind, g.commune.code, g.seizureCount])).toEqual(gates.map((g) => [g.code, g.kind, g.commune_code, Number(g.n)]));
    expect(got.find((g: any) => g.code === gate.code).name).toBe(gate.name);
  });
});

describe('a seizure at the gate, handed over to the police case', () => {
  test('registering a seizure that names a person needs a purpose: refused without one, nothing written', async () => {
    const res = await run('CustomsRegisterSeizure', { input: seizureInput() });
    expect(refusal(res).code).toBe('PURPOSE_REQUIRED');
    expect(await count('customs', 'select count(*) as n from seizure where id = ?', [SEIZURE_ID])).toBe(0);
  });

  test('refuses a seizure whose route, force and conveyance do not fit, and writes nothing', async () => {
    const res = await run('CustomsRegisterSeizure', { input: { ...seizureInput(), agency: 'COAST_GUARD', conveyance: 'AIRCRAFT', idempotencyKey: undefined } }, withPurpose);
    expect(refusal(res)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['agency', 'conveyance'] });
    expect(await count('customs', 'select count(*) as n from seizure where id = ?', [SEIZURE_ID])).toBe(0);
  });

  test('an officer posted to another commune cannot register a seizure at this gate', async () => {
    const res = await run('CustomsRegisterSeizure', { input: { ...seizureInput(), idempotencyKey: undefined } }, { purpose: PURPOSE, communes: [away] });
    const r = refusal(res);
    expect(r).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['communeCode'] });
    expect(r.messages).toMatch(/outside your area/);
    expect(await count('customs', 'select count(*) as n from seizure where id = ?', [SEIZURE_ID])).toBe(0);
  });

  test('registers the seizure with its items and the courier, once even when the app retries', async () => {
    const s = ok(await run('CustomsRegisterSeizure', { input: seizureInput() }, withPurpose)).registerSeizure;
    expect(s).toMatchObject({
      id: SEIZURE_ID,
      seizedOn: SEIZED_ON,
      agency: 'CUSTOMS',
      route: 'LAND_BORDER',
      conveyance: 'TRUCK',
      concealment: 'Giấu trong thùng xe tải chở thanh long',
      originCountry: 'MM',
      transitCountry: 'LA',
      destinationCountry: 'VN',
      status: 'HELD',
      handedOverOn: null,
      gate: { code: gate.code, kind: 'LAND_GATE' },
      commune: { code: gate.communeCode, name: communeName(gate.communeCode) },
    });
    // Yaba tablets at 0.1 g each.
    expect(s.items.map((i: any) => [i.substance.code, i.quantity, i.unit, i.kgEquivalent])).toEqual([
      ['METHAMPHETAMINE', 12000, 'TABLET', 1.2],
      ['HEROIN', 1.5, 'KILOGRAM', 1.5],
    ]);
    expect(s.suspects).toEqual([expect.objectContaining({ citizenId: courier.citizenId, fullName: courier.fullName, commune: { code: gate.communeCode, name: communeName(gate.communeCode) } })]);

    expect(ok(await run('CustomsRegisterSeizure', { input: seizureInput() }, withPurpose)).registerSeizure.id).toBe(SEIZURE_ID);

    const [row] = await fed.sql<any>('customs', 'select s.seized_on, s.commune_code, s.agency, s.route, s.conveyance, s.origin_country, s.transit_country, s.destination_country, s.drug_case_id, g.code as gate_code from seizure s left join border_gate g on g.id = s.gate_id where s.id = ?', [SEIZURE_ID]);
    expect({ ...row, seized_on: day(row.seized_on) }).toEqual({
      seized_on: SEIZED_ON,
      commune_code: gate.communeCode,
      agency: 'CUSTOMS',
      route: 'LAND_BORDER',
      conveyance: 'TRUCK',
      origin_country: 'MM',
      transit_country: 'LA',
      destination_country: 'VN',
      drug_case_id: null,
      gate_code: gate.code,
    });
    const items = await fed.sql<any>('customs', 'select substance_code, quantity, unit, kg_equivalent from seized_item where seizure_id = ? order by id', [SEIZURE_ID]);
    expect(items.map((i) => [i.substance_code, Number(i.quantity), i.unit, Number(i.kg_equivalent)])).toEqual([
      ['METHAMPHETAMINE', 12000, 'TABLET', 1.2],
      ['HEROIN', 1.5, 'KILOGRAM', 1.5],
    ]);
    const held = await fed.sql<{ citizen_id: string }>('customs', 'select citizen_id from seizure_suspect where seizure_id = ?', [SEIZURE_ID]);
    expect(held.map((h) => h.citizen_id)).toEqual([courier.citizenId]);
  });

  test('looks up the police case number before handing over', async () => {
    // The investigators open the case for the seizure (through the police app).
    const opened = await fed.run(
      'police-officer',
      'PoliceOpenCase',
      {
        input: {
          id: CASE_ID,
          reportedOn: HANDED_OVER_ON,
          communeCode: gate.communeCode,
          article: '250',
          route: 'LAND_BORDER',
          transnational: true,
          seizedItems: [
            { substanceCode: 'METHAMPHETAMINE', quantity: 12000, unit: 'TABLET' },
            { substanceCode: 'HEROIN', quantity: 1.5, unit: 'KILOGRAM' },
          ],
          suspects: [{ citizenId: courier.citizenId, role: 'OFFENDER', arrestedOn: HANDED_OVER_ON }],
        },
      },
      { purpose: 'Tiếp nhận vụ việc do Hải quan bàn giao' },
    );
    expect(opened.errors).toBeUndefined();

    expect(ok(await run('CustomsDrugCaseForHandOver', { id: CASE_ID })).drugCase).toEqual({ id: CASE_ID, status: 'REPORTED', reportedOn: HANDED_OVER_ON });
    expect(ok(await run('CustomsDrugCaseForHandOver', { id: 'VA-2026-09999' })).drugCase).toBeNull();
  });

  test('hands the seizure over to the case; a date before the seizure and a second case are refused', async () => {
    // About the seizure's suspects: with a purpose.
    const handOver = (drugCaseId: string, handedOverOn: string) => run('CustomsHandOverSeizure', { input: { seizureId: SEIZURE_ID, drugCaseId, handedOverOn } }, withPurpose);
    expect(refusal(await handOver(CASE_ID, '2026-11-17'))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['handedOverOn'] });
    expect(await count('customs', 'select count(*) as n from seizure where id = ? and drug_case_id is null', [SEIZURE_ID])).toBe(1);

    const done = ok(await handOver(CASE_ID, HANDED_OVER_ON)).handOverSeizure;
    expect(done).toEqual({ id: SEIZURE_ID, status: 'HANDED_OVER', handedOverOn: HANDED_OVER_ON, handedOverTo: { id: CASE_ID, status: 'REPORTED', reportedOn: HANDED_OVER_ON } });
    // Handing over again to the same case changes nothing; to another case is refused.
    expect(ok(await handOver(CASE_ID, HANDED_OVER_ON)).handOverSeizure.handedOverTo.id).toBe(CASE_ID);
    expect(refusal(await handOver('VA-2025-00001', HANDED_OVER_ON))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['drugCaseId'] });

    const [row] = await fed.sql<any>('customs', 'select drug_case_id, handed_over_on from seizure where id = ?', [SEIZURE_ID]);
    expect([row.drug_case_id, day(row.handed_over_on)]).toEqual([CASE_ID, HANDED_OVER_ON]);
  });

  test('reads it back: the seizure file follows the case, the register and the border figures count it', async () => {
    // The investigators start investigating; customs sees the case move.
    const moved = await fed.run('police-officer', 'PoliceChangeCaseStatus', { input: { id: CASE_ID, status: 'INVESTIGATING' } }, { purpose: 'Tiếp nhận vụ việc do Hải quan bàn giao' });
    expect(moved.errors).toBeUndefined();
    const s = ok(await run('CustomsSeizure', { id: SEIZURE_ID }, withPurpose)).seizure;
    expect(s).toMatchObject({ status: 'HANDED_OVER', handedOverOn: HANDED_OVER_ON, handedOverTo: { id: CASE_ID, status: 'INVESTIGATING', reportedOn: HANDED_OVER_ON } });
    expect(s.suspects.map((p: any) => p.citizenId)).toEqual([courier.citizenId]);

    const register = ok(await run('CustomsSeizureRegister', { status: 'HANDED_OVER', communeCode: gate.communeCode, year: 2026, first: 50, offset: 0 }, withPurpose)).seizures;
    expect(register.totalCount).toBe(1);
    expect(register.items.map((x: any) => x.id)).toEqual([SEIZURE_ID]);

    const figures = ok(await run('CustomsCommuneFigures', { code: gate.communeCode, period: '2026' })).commune.period;
    expect(figures).toMatchObject({ period: '2026', borderSeizures: 1, seizuresHandedOver: 1, seaRouteSeizures: 0, postalExpressSeizures: 0 });
    expect(figures.borderSeizedKg).toBeCloseTo(2.7, 6);

    // The police see the seizure in the courier's record.
    const person = await fed.run('police-officer', 'PolicePersonRecord', { citizenId: courier.citizenId }, { purpose: 'Tiếp nhận vụ việc do Hải quan bàn giao' });
    expect(person.errors).toBeUndefined();
    expect(person.data.person.seizuresAsSuspect).toEqual([{ id: SEIZURE_ID }]);
  });
});

describe('precursor chemicals (tiền chất)', () => {
  const licenceInput = {
    licenceNo: LICENCE_NO,
    company: LICENSEE,
    direction: 'IMPORT',
    substanceCode: 'PSEUDOEPHEDRINE',
    quantityKg: 250,
    validFrom: '2026-01-15',
    validTo: '2026-12-31',
    idempotencyKey: `customs-app:registerPrecursorLicence:${LICENCE_NO}`,
  };

  test('registers an import licence; the number cannot be registered twice', async () => {
    const before = ok(await run('CustomsPrecursorLicenceRegister', { first: 500, offset: 0 })).precursorLicences.totalCount;
    expect(before).toBe(await count('customs', 'select count(*) as n from precursor_licence'));
    const licence = ok(await run('CustomsRegisterPrecursorLicence', { input: licenceInput })).registerPrecursorLicence;
    expect(licence).toMatchObject({ licenceNo: LICENCE_NO, company: LICENSEE, direction: 'IMPORT', quantityKg: 250, validFrom: '2026-01-15', validTo: '2026-12-31', substance: { code: 'PSEUDOEPHEDRINE' } });
    const twice = await run('CustomsRegisterPrecursorLicence', { input: { ...licenceInput, company: 'Công ty TNHH Hóa chất Phục Hòa', idempotencyKey: undefined } });
    expect(refusal(twice)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['licenceNo'] });
    const rows = await fed.sql<any>('customs', 'select company, direction, substance_code, quantity_kg, valid_from, valid_to from precursor_licence where licence_no = ?', [LICENCE_NO]);
    expect(rows.map((r) => [r.company, r.direction, r.substance_code, Number(r.quantity_kg), day(r.valid_from), day(r.valid_to)])).toEqual([[LICENSEE, 'IMPORT', 'PSEUDOEPHEDRINE', 250, '2026-01-15', '2026-12-31']]);

    const inForce = ok(await run('CustomsPrecursorLicenceRegister', { validOn: '2026-06-01', direction: 'IMPORT', substanceCode: 'PSEUDOEPHEDRINE', first: 100, offset: 0 })).precursorLicences;
    expect(inForce.totalCount).toBe(await count('customs', "select count(*) as n from precursor_licence where direction = 'IMPORT' and substance_code = 'PSEUDOEPHEDRINE' and valid_from <= '2026-06-01' and valid_to >= '2026-06-01'"));
    expect(inForce.items.map((l: any) => l.licenceNo)).toContain(LICENCE_NO);
  });

  test('records a shipment over the licensed quantity and a shipment without a licence', async () => {
    const over = ok(
      await run('CustomsRecordPrecursorViolation', {
        input: { licenceNo: LICENCE_NO, substanceCode: 'PSEUDOEPHEDRINE', quantityKg: 310, detectedOn: '2026-11-10', communeCode: gate.communeCode, kind: 'EXCEEDS_LICENCE', idempotencyKey: 'customs-app:violation:0157-2026-11-10' },
      }),
    ).recordPrecursorViolation;
    // The company is the licence holder's when not given.
    expect(over).toMatchObject({ company: LICENSEE, quantityKg: 310, detectedOn: '2026-11-10', kind: 'EXCEEDS_LICENCE', licence: { licenceNo: LICENCE_NO }, substance: { code: 'PSEUDOEPHEDRINE' }, commune: { code: gate.communeCode } });

    const contradictory = await run('CustomsRecordPrecursorViolation', {
      input: { licenceNo: LICENCE_NO, company: 'Công ty TNHH Thương mại Đông Khê', substanceCode: 'PSEUDOEPHEDRINE', quantityKg: 40, detectedOn: '2026-11-12', communeCode: gate.communeCode, kind: 'NO_LICENCE' },
    });
    expect(refusal(contradictory)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['licenceNo'] });

    const unlicensed = ok(
      await run('CustomsRecordPrecursorViolation', {
        input: { company: 'Công ty TNHH Thương mại Đông Khê', substanceCode: 'EPHEDRINE', quantityKg: 40, detectedOn: '2026-11-12', communeCode: gate.communeCode, kind: 'NO_LICENCE' },
      }),
    ).recordPrecursorViolation;
    expect(unlicensed).toMatchObject({ company: 'Công ty TNHH Thương mại Đông Khê', kind: 'NO_LICENCE', licence: null });

    const elsewhere = await run(
      'CustomsRecordPrecursorViolation',
      { input: { company: 'Công ty TNHH Thương mại Đông Khê', substanceCode: 'SAFROLE', quantityKg: 5, detectedOn: '2026-11-12', communeCode: away, kind: 'NO_LICENCE' } },
      { communes: [gate.communeCode] },
    );
    expect(refusal(elsewhere)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['communeCode'] });

    const rows = await fed.sql<any>('customs', "select v.company, v.kind, v.quantity_kg, l.licence_no from precursor_violation v left join precursor_licence l on l.id = v.licence_id where v.detected_on >= '2026-01-01' order by v.detected_on", []);
    expect(rows.map((r) => [r.company, r.kind, Number(r.quantity_kg), r.licence_no])).toEqual([
      [LICENSEE, 'EXCEEDS_LICENCE', 310, LICENCE_NO],
      ['Công ty TNHH Thương mại Đông Khê', 'NO_LICENCE', 40, null],
    ]);
  });

  test('reads the violations back through the licence and the register', async () => {
    const licence = ok(await run('CustomsPrecursorLicence', { licenceNo: LICENCE_NO })).precursorLicence;
    expect(licence.violations.map((v: any) => [v.kind, v.quantityKg, v.detectedOn])).toEqual([['EXCEEDS_LICENCE', 310, '2026-11-10']]);
    const register = ok(await run('CustomsPrecursorViolationRegister', { communeCode: gate.communeCode, year: 2026, first: 50, offset: 0 })).precursorViolations;
    expect(register.items.map((v: any) => [v.kind, v.company])).toEqual([
      ['NO_LICENCE', 'Công ty TNHH Thương mại Đông Khê'],
      ['EXCEEDS_LICENCE', LICENSEE],
    ]);
    const byKind = ok(await run('CustomsPrecursorViolationRegister', { kind: 'NO_LICENCE', first: 500, offset: 0 })).precursorViolations;
    expect(byKind.totalCount).toBe(await count('customs', "select count(*) as n from precursor_violation where kind = 'NO_LICENCE'"));
    const figures = ok(await run('CustomsCommuneFigures', { code: gate.communeCode, period: '2026' })).commune.period;
    expect(figures.precursorViolations).toBe(2);
  });
});

test('the customs app ships no police operation', async () => {
  await expect(run('PoliceCaseRegister', { first: 10, offset: 0 })).rejects.toThrow();
});
