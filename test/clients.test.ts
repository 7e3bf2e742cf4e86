import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { operationDocuments, REPO_ROOT, SHIPPED_CLIENTS, shippedClient } from '@pcmt/gateway/registry';
import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as customs from '../clients/customs-app/graphql.js';
import * as dashboard from '../clients/dashboard/graphql.js';
import * as education from '../clients/education-app/graphql.js';
import * as health from '../clients/health-app/graphql.js';
import * as legalAid from '../clients/legal-aid-app/graphql.js';
import * as police from '../clients/police-app/graphql.js';
import * as borderGuardApp from '../clients/border-guard-app/graphql.js';
import { startTestFederation, type TestFederation } from './harness.js';

// The generated typed clients (npm run clients:generate), used the way an agency's app uses them:
// each typed document is sent by its persisted id with a real role token.

let fed: TestFederation;
let year: number;
const period = () => String(year);
const inYear = () => [`${year}-01-01`, `${year}-12-31`];

/** The role whose token carries each client application. */
const ROLE_OF: Record<string, string> = {
  'border-guard-app': 'border-guard-officer',
  dashboard: 'dashboard',
  'police-app': 'police-officer',
  'health-app': 'health-officer',
  'education-app': 'education-officer',
  'customs-app': 'customs-officer',
  'legal-aid-app': 'legal-aid-officer',
};
const GENERATED: Record<string, Record<string, unknown>> = {
  'border-guard-app': borderGuardApp,
  dashboard,
  'police-app': police,
  'health-app': health,
  'education-app': education,
  'customs-app': customs,
  'legal-aid-app': legalAid,
};
const PURPOSE = { purpose: 'Kiểm tra ứng dụng' };

const manifest = (client: string): Record<string, string> => JSON.parse(readFileSync(join(REPO_ROOT, 'clients', client, 'persisted-documents.json'), 'utf8'));
const operationName = (document: DocumentNode) => document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)?.name?.value;

/** The answer's data, after checking there was no error. */
function ok<T>(res: { data?: T; errors?: any[]; status: number }): T {
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  expect(res.data).toBeTruthy();
  return res.data!;
}

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => Number(a.id) - Number(b.id));

beforeAll(async () => {
  fed = await startTestFederation({ seed: 21, scale: 0.1 });
  year = fed.province.year;
});

afterAll(async () => {
  await fed?.close();
});

describe('generated ids are the registry ids', () => {
  test.each(SHIPPED_CLIENTS.map((e) => [e.client, e] as const))('%s: one persisted document per shipped operation, keyed by its registry id', (client, entry) => {
    const shipped = shippedClient(entry).sources.flatMap((s) => operationDocuments(s.body));
    expect(Object.fromEntries(Object.entries(manifest(client)).sort())).toEqual(Object.fromEntries(shipped.map((d) => [`sha256:${d.id}`, d.body]).sort()));
    // Every typed document carries the id of its own operation.
    const documents = Object.entries(GENERATED[client]).filter(([name]) => name.endsWith('Document')) as Array<[string, DocumentNode & { __meta__?: { hash?: string } }]>;
    expect(documents.length).toBe(shipped.length);
    for (const [, document] of documents) {
      const registered = shipped.find((d) => `sha256:${d.id}` === document.__meta__?.hash);
      expect(registered?.operationName).toBe(operationName(document));
    }
  });
});

describe('the dashboard, as role dashboard', () => {
  test('the province with its indicators, the communes, and one commune', async () => {
    const { code, name } = fed.province.province;
    const province = ok(await fed.execute('dashboard', dashboard.DashboardProvinceDocument, { province: code, period: period(), from: String(year - 4), to: period() }));
    expect(province.province).toMatchObject({ code, name, communeCount: fed.province.communes.length });
    const indicatorIds = province.indicators.map((i) => i.id);
    expect(indicatorIds.length).toBeGreaterThan(5);
    expect(province.province!.period.period).toBe(period());
    for (const v of province.province!.period.indicators) expect(indicatorIds).toContain(v.indicator.id);
    expect(province.province!.periods.map((p) => p.period)).toEqual([year - 4, year - 3, year - 2, year - 1, year].map(String));

    const communes = ok(await fed.execute('dashboard', dashboard.DashboardCommunesDocument, { province: code, period: period() })).communes;
    expect(communes.totalCount).toBe(fed.province.communes.length);
    expect(communes.items.map((c) => c.code).sort()).toEqual(fed.province.communes.map((c) => c.code).sort());

    const [busiest] = await fed.sql<{ commune_code: string; n: number | string }>(
      'police',
      'select commune_code, count(*) as n from drug_case where reported_on between ? and ? group by commune_code order by count(*) desc, commune_code limit 1',
      inYear(),
    );
    const [hotspots] = await fed.sql<{ n: number | string }>('police', 'select count(*) as n from hotspot where commune_code = ? and detected_on between ? and ?', [busiest.commune_code, ...inYear()]);
    const commune = ok(await fed.execute('dashboard', dashboard.DashboardCommuneDocument, { code: busiest.commune_code, period: period(), from: String(year - 1), to: period() })).commune!;
    expect(commune.code).toBe(busiest.commune_code);
    expect(commune.name).toBe(fed.province.communes.find((c) => c.code === busiest.commune_code)!.name);
    expect(commune.period.drugCasesReported).toBe(Number(busiest.n));
    expect(commune.period.hotspotsDetected).toBe(Number(hotspots.n));
  });
});

describe('the agencies\' apps, each with its officer\'s token', () => {
  test('police: the case register of the year, and one case file with its suspects', async () => {
    const ids = (await fed.sql<{ id: string }>('police', 'select id from drug_case where reported_on between ? and ? order by reported_on desc, id asc', inYear())).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    const register = ok(await fed.execute('police-officer', police.PoliceCaseRegisterDocument, { year, first: 500, offset: 0 })).drugCases;
    expect(register.totalCount).toBe(ids.length);
    expect(register.items.map((c) => c.id)).toEqual(ids.slice(0, 500));

    const [{ id }] = await fed.sql<{ id: string }>('police', 'select c.id from drug_case c join case_suspect s on s.drug_case_id = c.id group by c.id order by count(*) desc, c.id limit 1');
    const suspects = await fed.sql<{ citizen_id: string; role: string; full_name: string }>(
      'police',
      'select s.person_citizen_id as citizen_id, s.role, p.full_name from case_suspect s join person p on p.citizen_id = s.person_citizen_id where s.drug_case_id = ? order by s.person_citizen_id',
      [id],
    );
    const drugCase = ok(await fed.execute('police-officer', police.PoliceCaseDocument, { id }, PURPOSE)).drugCase!;
    expect(drugCase.id).toBe(id);
    const got = drugCase.suspects.map((s) => ({ citizen_id: s.person.citizenId, role: s.role, full_name: s.person.fullName })).sort((a, b) => a.citizen_id.localeCompare(b.citizen_id));
    expect(got).toEqual(suspects.map((s) => ({ citizen_id: s.citizen_id, role: s.role, full_name: s.full_name })));
  });

  test('health: the facility register', async () => {
    const rows = await fed.sql<{ id: number; name: string; kind: string; can_assess_addiction: unknown; commune_code: string }>('health', 'select id, name, kind, can_assess_addiction, commune_code from facility');
    const facilities = ok(await fed.execute('health-officer', health.HealthFacilitiesDocument, { first: 500 })).facilities;
    expect(facilities.totalCount).toBe(rows.length);
    expect(byId(facilities.items).map((f) => [f.id, f.name, f.kind, f.canAssessAddiction, f.commune.code])).toEqual(
      byId(rows.map((r) => ({ ...r, id: String(r.id) }))).map((r) => [r.id, r.name, r.kind, Boolean(r.can_assess_addiction), r.commune_code]),
    );
  });

  test('education: the school register with this year\'s drug education', async () => {
    const rows = await fed.sql<{ id: number; name: string; level: string; students: number; commune_code: string }>('education', 'select id, name, level, students, commune_code from school');
    const schools = ok(await fed.execute('education-officer', education.EducationSchoolsDocument, { schoolYear: year, first: 500 })).schools;
    expect(schools.totalCount).toBe(rows.length);
    expect(byId(schools.items).map((s) => [s.id, s.name, s.level, s.students, s.commune.code])).toEqual(
      byId(rows.map((r) => ({ ...r, id: String(r.id) }))).map((r) => [r.id, r.name, r.level, Number(r.students), r.commune_code]),
    );
    for (const s of schools.items) expect(typeof s.drugEducationDelivered).toBe('boolean');
  });

  test('customs: the border gates with their seizures of the year', async () => {
    const gates = await fed.sql<{ code: string; kind: string; commune_code: string; n: number | string }>(
      'customs',
      'select g.code, g.kind, g.commune_code, (select count(*) from seizure s where s.gate_id = g.id and s.seized_on between ? and ?) as n from border_gate g order by g.code',
      inYear(),
    );
    const got = ok(await fed.execute('customs-officer', customs.CustomsBorderGatesDocument, { year, first: 100, offset: 0 })).borderGates;
    expect(got.map((g) => [g.code, g.kind, g.commune.code, g.seizureCount])).toEqual(gates.map((g) => [g.code, g.kind, g.commune_code, Number(g.n)]));
  });

  test('legal aid: the providers with their requests of the year', async () => {
    const rows = await fed.sql<{ id: string; name: string; kind: string; n: number | string }>(
      'legal-aid',
      'select p.id, p.name, p.kind, (select count(*) from legal_aid_request r where r.assigned_provider_id = p.id and r.received_on between ? and ?) as n from legal_aid_provider p',
      inYear(),
    );
    const providers = ok(await fed.execute('legal-aid-officer', legalAid.LegalAidProvidersDocument, { year, first: 500 })).legalAidProviders;
    expect(providers.totalCount).toBe(rows.length);
    const sorted = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(sorted(providers.items).map((p) => [p.id, p.name, p.kind, p.requestCount])).toEqual(sorted(rows).map((r) => [r.id, r.name, r.kind, Number(r.n)]));
    expect(providers.items.some((p) => p.requestCount > 0)).toBe(true);
  });
});

describe('every persisted document is registered, for its own client only', () => {
  /** A typed document made from a manifest entry: fed.execute sends only its id and operation name. */
  const documentOf = (id: string, body: string) => ({ ...parse(body), __meta__: { hash: id } }) as unknown as TypedDocumentNode<any, Record<string, unknown>>;

  test.each(Object.keys(ROLE_OF).map((c) => [c]))('%s', async (client) => {
    const own = Object.entries(manifest(client));
    expect(own.length).toBeGreaterThan(0);
    // No variables: a registered mutation stops at its missing required input and writes nothing.
    const refused: string[] = [];
    for (const [id, body] of own) {
      const res = await fed.execute(ROLE_OF[client], documentOf(id, body), {}, PURPOSE);
      const codes = (res.errors ?? []).map((e) => e.extensions?.code);
      if (res.status === 404 || codes.includes('OPERATION_NOT_REGISTERED') || codes.includes('PERSISTED_QUERY_NOT_FOUND')) refused.push(`${operationName(parse(body))} ${id}: ${res.status} ${codes.join(', ')}`);
    }
    expect(refused).toEqual([]);
    // Another client's document, sent with this client's token, is refused.
    for (const other of Object.keys(ROLE_OF).filter((c) => c !== client)) {
      const ownIds = new Set(own.map(([id]) => id));
      const [id, body] = Object.entries(manifest(other)).find(([otherId]) => !ownIds.has(otherId))!;
      const res = await fed.execute(ROLE_OF[client], documentOf(id, body), {}, PURPOSE);
      expect({ from: other, codes: (res.errors ?? []).map((e) => e.extensions?.code) }).toEqual({ from: other, codes: ['OPERATION_NOT_REGISTERED'] });
    }
  });
});

describe('the dashboard page', () => {
  test('serves its operations by name with the ids of the generated dashboard client', async () => {
    const res = await fetch(fed.gateway.url.replace(/\/graphql$/, '/dashboard/operations.json'));
    expect(res.status).toBe(200);
    const expected = Object.fromEntries(Object.entries(manifest('dashboard')).map(([id, body]) => [operationName(parse(body)), id]));
    expect(await res.json()).toEqual(expected);
    // plans.graphql: the plans, the national view and the standing office's addPlan (test/plans.test.ts).
    expect(Object.keys(expected).sort()).toEqual(['DashboardCommune', 'DashboardCommunes', 'DashboardNational', 'DashboardProvince', 'DashboardProvinces', 'NationalProvinces', 'ProgramAddPlan', 'ProgramPlans']);
  });
});
