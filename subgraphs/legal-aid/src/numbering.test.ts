import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { legalAid } from './index.js';

// A province of its own: these tests register many requests at once.
const province = syntheticProvince({ seed: 12, scale: 0.05 });
const commune = province.communes[0].code;
const seeded = province.legalAid.filter((r) => /^TGPL-\d{5}$/.test(r.id)).length;
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(legalAid, province);
});

afterAll(async () => {
  await subgraph?.close();
});

const REGISTER = `mutation($input: RegisterLegalAidRequestInput!) { registerLegalAidRequest(input: $input) { id statusHistory { status } } }`;
let person = 0;
const register = (over: Record<string, unknown> = {}) =>
  postGraphql(subgraph.url, REGISTER, {
    input: { citizenId: `0040951${String(++person).padStart(5, '0')}`, receivedOn: '2025-03-10', communeCode: commune, eligibilityGroup: 'POOR_HOUSEHOLD', serviceForm: 'ADVICE', ...over },
  });
const numberOf = (id: string) => Number(id.slice('TGPL-'.length));

describe('legal-aid request numbers', () => {
  test('50 registrations at once without an idempotency key: none fails, 50 distinct numbers after the seeded ones', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => register()));
    const failed = results.filter((r) => r.errors || !r.data);
    expect(failed).toHaveLength(0);
    const ids = results.map((r) => r.data!.registerLegalAidRequest.id as string);
    expect(new Set(ids).size).toBe(50);
    expect(ids.map(numberOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => seeded + 1 + i));
    expect(results.every((r) => r.data!.registerLegalAidRequest.statusHistory.length === 1)).toBe(true);
    const [{ n }] = await subgraph.service.orm.em.fork().getConnection().execute(`select count(*) as n from legal_aid_request where id like 'TGPL-%'`);
    expect(Number(n)).toBe(seeded + 50);
  });

  test('a number of the series given by hand is not given again', async () => {
    const next = seeded + 52;
    const byHand = await register({ id: `TGPL-${String(next - 1).padStart(5, '0')}` });
    expect(byHand.errors).toBeUndefined();
    const auto = await register();
    expect(auto.data!.registerLegalAidRequest.id).toBe(`TGPL-${String(next).padStart(5, '0')}`);
  });

  test('a refused registration uses no number', async () => {
    const refused = await register({ citizenId: '123' });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const auto = await register();
    expect(auto.data!.registerLegalAidRequest.id).toBe(`TGPL-${String(seeded + 53).padStart(5, '0')}`);
  });
});
