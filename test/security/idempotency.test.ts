import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from '../harness.js';

// Idempotency keys are the caller's own. Before, a key was global: a second caller sending the
// same key and input was answered with the first caller's record, and anyone could take a key
// before its owner used it (the owner's write was then refused).

let fed: TestFederation;
let commune: string;
const RECORD = `mutation Record($input: RecordHotspotInput!) { recordHotspot(input: $input) { id place commune { code } } }`;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 97, scale: 0.03 });
  commune = (await fed.sql<{ code: string }>('police', 'select code from known_commune order by code limit 1'))[0].code;
});

afterAll(async () => {
  await fed?.close();
});

const officer = (sub: string) => fed.token({ sub, agency: 'police', roles: ['police-officer'] });
const record = async (sub: string, key: string, place: string) => fed.query(RECORD, { input: { kind: 'USE_POINT', place, communeCode: commune, detectedOn: '2025-05-01', idempotencyKey: key } }, { token: await officer(sub) });
const rows = (place: string) => fed.sql<{ id: number }>('police', 'select id from hotspot where place = ? order by id', [place]);

describe('idempotency keys per caller', () => {
  test('two callers with the same key and input get two records, each their own', async () => {
    const a = await record('officer-a', 'shared-key-0001', 'Nhà trọ số 5, tổ 2');
    const b = await record('officer-b', 'shared-key-0001', 'Nhà trọ số 5, tổ 2');
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(b.data.recordHotspot.id).not.toBe(a.data.recordHotspot.id);
    expect((await rows('Nhà trọ số 5, tổ 2')).length).toBe(2);
    // Control: the owner's retry is still answered once, with the owner's record.
    const retry = await record('officer-a', 'shared-key-0001', 'Nhà trọ số 5, tổ 2');
    expect(retry.data.recordHotspot.id).toBe(a.data.recordHotspot.id);
    console.log(`same idempotency key from 2 callers: ${new Set([a, b].map((r) => r.data.recordHotspot.id)).size} records (another caller's record returned: ${b.data.recordHotspot.id === a.data.recordHotspot.id ? 1 : 0} of 1)`);
  });

  test('nobody squats a key: another caller using it first does not refuse the owner', async () => {
    const squat = await record('officer-b', 'my-own-key-0002', 'Bãi đất trống cạnh chợ');
    expect(squat.errors).toBeUndefined();
    const mine = await record('officer-a', 'my-own-key-0002', 'Quán karaoke Hoa Hồng');
    expect(mine.errors).toBeUndefined();
    expect(mine.data.recordHotspot.place).toBe('Quán karaoke Hoa Hồng');
    // Within one caller a key still binds its input.
    const other = await record('officer-a', 'my-own-key-0002', 'Quán khác');
    expect(other.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0].message).toMatch(/already used/);
    expect(await rows('Quán khác')).toEqual([]);
  });

  test('each key is kept under its caller: agency and subject', async () => {
    const rowsBefore = await fed.sql<{ n: number | string }>('police', 'select count(*) as n from idempotent_write where key = ?', ['shared-key-0001']);
    expect(Number(rowsBefore[0].n)).toBe(2);
    const callers = await fed.sql<{ caller: string }>('police', 'select caller from idempotent_write where key = ? order by caller', ['shared-key-0001']);
    expect(callers.map((c) => c.caller)).toEqual(['police/officer-a', 'police/officer-b']);
  });
});
