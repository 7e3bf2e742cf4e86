import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { todayInVietnam } from '@pcmt/kit';
import { startTestFederation, type TestFederation } from '../harness.js';

// A write is no oracle: a refused write names no record and no status the caller could not read,
// and a write naming a person who lives outside the caller's area answers as for an unknown person.
// Control off = a province-wide officer of the same role, who may read all of it.

let fed: TestFederation;
let home: string;
let today: string;
let revealed = 0;
let tried = 0;
const PURPOSE = 'kiểm tra trước khi ghi';

/** Whether the answer gives any of the other commune's facts away: in its data or in any message. */
function reveals(answer: { data?: unknown; errors?: any[] }, secrets: Array<string | number | null | undefined>): boolean {
  const messages = (answer.errors ?? []).flatMap((e) => [e.message, ...((e.extensions?.fieldErrors ?? []) as Array<{ message: string }>).map((f) => f.message)]);
  const text = [JSON.stringify(answer.data ?? null), ...messages].join('\n');
  return secrets.some((s) => s != null && String(s).length > 0 && new RegExp(`\\b${String(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
}

const fieldErrors = (r: { errors?: any[] }) => (r.errors?.[0]?.extensions?.fieldErrors ?? []) as Array<{ field: string; message: string }>;
/** The answer without what differs between any two calls (request ids). */
const shape = (r: { data?: unknown; errors?: any[] }) => JSON.parse(JSON.stringify({ data: r.data ?? null, errors: (r.errors ?? []).map(({ extensions: { requestId: _r, ...extensions } = {}, ...e }: any) => ({ ...e, extensions })) }));

beforeAll(async () => {
  fed = await startTestFederation({ seed: 89, scale: 0.12 });
  today = todayInVietnam();
  // The commune with most patients in treatment is the officer's; every other commune is "away".
  const [busiest] = await fed.sql<{ commune_code: string }>('health', `select commune_code from methadone_enrollment where status in ('ACTIVE', 'SUSPENDED') group by commune_code order by count(*) desc, commune_code limit 1`);
  home = busiest.commune_code;
});

afterAll(async () => {
  await fed?.close();
});

describe('health: one treatment per person, counted in every area', () => {
  test('an enrolment refused for a treatment in another commune names no enrolment, status or commune; the same words as in the officer\'s own commune', async () => {
    const clinic = (await fed.sql<{ id: number }>('health', `select id from facility where kind = 'METHADONE_CLINIC' order by id limit 1`))[0];
    const away = await fed.sql<{ id: number; citizen_id: string; status: string; commune_code: string }>(
      'health',
      `select id, citizen_id, status, commune_code from methadone_enrollment where status in ('ACTIVE', 'SUSPENDED') and commune_code <> ? order by id limit 5`,
      [home],
    );
    const [own] = await fed.sql<{ citizen_id: string }>('health', `select citizen_id from methadone_enrollment where status = 'ACTIVE' and commune_code = ? order by id limit 1`, [home]);
    const enrol = (citizenId: string, communes?: string[]) =>
      fed.run('health-officer', 'HealthEnrolMethadonePatient', { input: { citizenId, clinicId: String(clinic.id), communeCode: home, startedOn: today, startingDoseMg: 20 } }, { purpose: PURPOSE, ...(communes ? { communes } : {}) });

    const inArea = fieldErrors(await enrol(own.citizen_id, [home]));
    expect(inArea).toEqual([{ field: 'citizenId', message: expect.stringMatching(/cannot be enrolled here: contact the provincial health department/) }]);
    const before = await fed.sql<{ n: number | string }>('health', 'select count(*) as n from methadone_enrollment');
    for (const e of away) {
      const r = await enrol(e.citizen_id, [home]);
      tried++;
      if (reveals(r, [e.id, e.status, e.commune_code, 'in treatment']) || !fieldErrors(r).length) revealed++;
      // The same words in and out of the area: the refusal does not even tell which.
      expect(fieldErrors(r)).toEqual(inArea);
      // Control off: a province-wide officer, who may read that enrolment, gets the same refusal.
      expect(fieldErrors(await enrol(e.citizen_id))).toEqual(inArea);
    }
    expect(await fed.sql<{ n: number | string }>('health', 'select count(*) as n from methadone_enrollment')).toEqual(before);
    expect(away.length).toBe(5);
  });
});

describe('legal aid: a request naming a person of another commune', () => {
  test('answers exactly as for a citizen ID nobody holds: no name, birth year, sex or commune; the province-wide officer sees them (control off)', async () => {
    const persons = await fed.sql<{ citizen_id: string; full_name: string; birth_year: number; commune_code: string }>(
      'police',
      'select citizen_id, full_name, birth_year, commune_code from person where commune_code <> ? order by citizen_id limit 5',
      [home],
    );
    const register = (citizenId: string, communes?: string[]) =>
      fed.run('legal-aid-officer', 'LegalAidRegisterRequest', { input: { citizenId, receivedOn: today, communeCode: home, eligibilityGroup: 'POOR_HOUSEHOLD', serviceForm: 'ADVICE' } }, { purpose: PURPOSE, ...(communes ? { communes } : {}) });
    const nobody = '099999000001';
    expect(await fed.sql('police', 'select citizen_id from person where citizen_id = ?', [nobody])).toEqual([]);
    const unknown = await register(nobody, [home]);
    // Written, but the person is nobody the register can show: the answer says so and names nobody.
    expect(shape(unknown)).toEqual({ data: null, errors: [expect.objectContaining({ path: ['registerLegalAidRequest', 'person', 'fullName'], extensions: { code: 'INCOMPLETE_DATA' } })] });
    for (const p of persons) {
      const r = await register(p.citizen_id, [home]);
      tried++;
      if (reveals(r, [p.full_name, p.commune_code])) revealed++;
      expect(shape(r)).toEqual(shape(unknown));
      // Reading the new request back reveals no more than the answer did.
      const [{ id }] = await fed.sql<{ id: string }>('legal-aid', 'select id from legal_aid_request where citizen_id = ? and commune_code = ?', [p.citizen_id, home]);
      const file = await fed.run('legal-aid-officer', 'LegalAidRequestFile', { id }, { purpose: PURPOSE, communes: [home] });
      expect(reveals(file, [p.full_name, p.commune_code])).toBe(false);
    }
    const off = await register(persons[0].citizen_id);
    expect(off.errors).toBeUndefined();
    expect(off.data.registerLegalAidRequest.person).toEqual({ citizenId: persons[0].citizen_id, fullName: persons[0].full_name });
    console.log(`legal aid, control off: a province-wide officer's registration names the person (${reveals(off, [persons[0].full_name]) ? 'name shown' : 'no name'})`);
  });

  test('a person living in the officer\'s own commune is named in the answer', async () => {
    const [p] = await fed.sql<{ citizen_id: string; full_name: string }>('police', 'select citizen_id, full_name from person where commune_code = ? order by citizen_id limit 1', [home]);
    const r = await fed.run('legal-aid-officer', 'LegalAidRegisterRequest', { input: { citizenId: p.citizen_id, receivedOn: today, communeCode: home, eligibilityGroup: 'CHILD', serviceForm: 'ADVICE' } }, { purpose: PURPOSE, communes: [home] });
    expect(r.errors).toBeUndefined();
    expect(r.data.registerLegalAidRequest.person.fullName).toBe(p.full_name);
  });
});

describe('police: one open management file per person, counted in every area', () => {
  test('a file refused for an open file in another commune names no file, category or commune; the same words as at home', async () => {
    const residents = await fed.sql<{ citizen_id: string }>(
      'police',
      `select citizen_id from person p where commune_code = ? and not exists (select 1 from management_file f where f.person_citizen_id = p.citizen_id and f.closed_on is null) order by citizen_id limit 4`,
      [home],
    );
    const [away] = await fed.sql<{ code: string }>('police', 'select distinct commune_code as code from person where commune_code <> ? order by commune_code limit 1', [home]);
    const open = (citizenId: string, opts: { communes?: string[]; communeCode?: string; category?: string }) =>
      fed.run('police-officer', 'PoliceOpenManagementFile', { input: { citizenId, category: opts.category ?? 'ILLEGAL_USER', openedOn: today, ...(opts.communeCode ? { communeCode: opts.communeCode } : {}) } }, { purpose: PURPOSE, ...(opts.communes ? { communes: opts.communes } : {}) });
    // Files held in another commune, by a province-wide officer.
    const ids: Array<{ citizenId: string; id: string }> = [];
    for (const r of residents.slice(0, 3)) {
      const made = await open(r.citizen_id, { communeCode: away.code, category: 'POST_REHAB' });
      expect(made.errors).toBeUndefined();
      ids.push({ citizenId: r.citizen_id, id: String(made.data.openManagementFile.id) });
    }
    const atHome = await open(residents[3].citizen_id, {});
    expect(atHome.errors).toBeUndefined();
    const inArea = fieldErrors(await open(residents[3].citizen_id, { communes: [home] }));
    expect(inArea).toEqual([{ field: 'citizenId', message: expect.stringMatching(/cannot be opened for this person here: contact the provincial police/) }]);
    for (const f of ids) {
      const r = await open(f.citizenId, { communes: [home] });
      tried++;
      if (reveals(r, [f.id, 'POST_REHAB', away.code]) || !fieldErrors(r).length) revealed++;
      expect(fieldErrors(r)).toEqual(inArea);
    }
  });
});

test('in all: nothing of another commune revealed through a write', () => {
  console.log(`out-of-area identities or statuses revealed through writes: ${revealed} of ${tried}`);
  expect(tried).toBeGreaterThanOrEqual(13);
  expect(revealed).toBe(0);
});
