import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { PostgresAuditLog, SqliteAuditLog } from '@pcmt/gateway';
import { todayInVietnam } from '@pcmt/kit';
import { startTestFederation, type TestFederation } from '../harness.js';

// Every write that names a person (a citizen ID in its input) is in the audit log under that
// person, refused or not, before it runs: the gateway reads the persons from the input, not from
// the answer (a refused write answers nobody). No entry, no write.

let fed: TestFederation;
let home: string;
let clinic: string;
const today = todayInVietnam();
const PURPOSE = 'tiếp nhận bệnh nhân';

beforeAll(async () => {
  fed = await startTestFederation({ seed: 101, scale: 0.1 });
  const [busiest] = await fed.sql<{ commune_code: string }>('health', `select commune_code from methadone_enrollment where status in ('ACTIVE', 'SUSPENDED') group by commune_code order by count(*) desc, commune_code limit 1`);
  home = busiest.commune_code;
  clinic = String((await fed.sql<{ id: number }>('health', `select id from facility where kind = 'METHADONE_CLINIC' order by id limit 1`))[0].id);
});

afterAll(async () => {
  await fed?.close();
});

/** Entries appended while `fn` ran. */
async function entriesOf(fn: () => Promise<unknown>) {
  const before = (await fed.gateway.audit.all()).length;
  await fn();
  return (await fed.gateway.audit.all()).slice(before);
}

const enrol = (citizenId: string, communes?: string[]) =>
  fed.run('health-officer', 'HealthEnrolMethadonePatient', { input: { citizenId, clinicId: clinic, communeCode: home, startedOn: today, startingDoseMg: 20 } }, { purpose: PURPOSE, ...(communes ? { communes } : {}) });

describe('audit of writes that name a person', () => {
  test('refused writes are audited under the person they name: the enrolment of a patient treated elsewhere, the request for a person living elsewhere', async () => {
    const treated = await fed.sql<{ citizen_id: string }>('health', `select citizen_id from methadone_enrollment where status in ('ACTIVE', 'SUSPENDED') and commune_code <> ? order by id limit 4`, [home]);
    let audited = 0;
    for (const t of treated) {
      let answer: any;
      const entries = await entriesOf(async () => (answer = await enrol(t.citizen_id, [home])));
      expect(answer.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(entries).toEqual([expect.objectContaining({ agency: 'health', purpose: PURPOSE, persons: [t.citizen_id], fields: expect.arrayContaining(['Mutation.enrolMethadonePatient']), operationName: 'HealthEnrolMethadonePatient' })]);
      // Who asked, why, about whom: never what the refusal said.
      expect(JSON.stringify(entries)).not.toMatch(/ACTIVE|SUSPENDED|contact the provincial/);
      audited += entries.length;
    }
    const [elsewhere] = await fed.sql<{ citizen_id: string }>('police', 'select citizen_id from person where commune_code <> ? order by citizen_id limit 1', [home]);
    const request = await entriesOf(() =>
      fed.run('legal-aid-officer', 'LegalAidRegisterRequest', { input: { citizenId: elsewhere.citizen_id, receivedOn: today, communeCode: home, eligibilityGroup: 'CHILD', serviceForm: 'ADVICE' } }, { purpose: PURPOSE, communes: [home] }),
    );
    expect(request.map((e) => e.persons)).toEqual([[elsewhere.citizen_id]]);
    audited += request.length;
    console.log(`writes naming a person, refused or answered without the person: audited under that person ${audited} of ${treated.length + 1}`);
    expect(audited).toBe(treated.length + 1);
  });

  test('a write that succeeds is audited once; a write that names nobody is not audited (control)', async () => {
    const [p] = await fed.sql<{ citizen_id: string }>('police', `select citizen_id from person p where commune_code = ? and not exists (select 1 from management_file f where f.person_citizen_id = p.citizen_id) order by citizen_id limit 1`, [home]);
    const opened = await entriesOf(() => fed.run('police-officer', 'PoliceOpenManagementFile', { input: { citizenId: p.citizen_id, category: 'ILLEGAL_USER', openedOn: today } }, { purpose: PURPOSE }));
    // The write and the sensitive fields its answer reads (the file's person and their register name), in one entry.
    expect(opened.map((e) => [e.persons, e.fields])).toEqual([[[p.citizen_id], ['ManagementFile.person', 'Mutation.openManagementFile', 'Person.fullName']]]);
    const hotspot = await entriesOf(() =>
      fed.run('police-officer', 'PoliceRecordHotspot', { input: { kind: 'USE_POINT', place: 'Nhà hoang cuối xóm', communeCode: home, detectedOn: today } }),
    );
    expect(hotspot).toEqual([]);
  });

  test('no entry, no write: with the audit log unavailable the enrolment is refused before it reaches health', async () => {
    const treated = new Set(fed.province.methadone.map((m) => m.citizenId));
    const fresh = { citizen_id: fed.province.persons.filter((p) => p.communeCode === home && !treated.has(p.citizenId)).at(-1)!.citizenId };
    const count = async () => Number((await fed.sql<{ n: number | string }>('health', 'select count(*) as n from methadone_enrollment where citizen_id = ?', [fresh.citizen_id]))[0].n);
    const before = await count();
    const log = fed.gateway.audit as SqliteAuditLog | PostgresAuditLog;
    const sql = async (q: string) => ('exec' in (log.raw as object) ? (log.raw as any).exec(q) : (log.raw as any).query(q));
    await sql('alter table audit_entry rename to audit_entry_away');
    try {
      fed.resetStatements();
      const r = await enrol(fresh.citizen_id);
      expect(r.errors?.[0].extensions.code).toBe('AUDIT_UNAVAILABLE');
      expect(fed.statements()).toBe(0);
    } finally {
      await sql('alter table audit_entry_away rename to audit_entry');
    }
    expect(await count()).toBe(before);
    // Control: with the log back, the same write goes through (and is audited).
    const entries = await entriesOf(async () => expect((await enrol(fresh.citizen_id)).errors).toBeUndefined());
    expect(entries.map((e) => e.persons)).toEqual([[fresh.citizen_id]]);
  });
});
