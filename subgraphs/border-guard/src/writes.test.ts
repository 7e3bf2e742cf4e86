import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { borderGuard } from './index.js';

const province = syntheticProvince({ seed: 7, scale: 0.1 });
let subgraph: TestSubgraph;
/** A land post and the commune it stands in. */
let post: { code: string; communeCode: string; team: string };
let seaPost: { code: string; communeCode: string } | undefined;

const gql = (query: string, variables?: Record<string, unknown>) => postGraphql(subgraph.url, query, variables);
const sql = async (query: string, params: unknown[] = []): Promise<any[]> => subgraph.service.orm.em.fork().getConnection().execute(query, params);
const fieldsOf = (res: { errors?: any[] }) => ((res.errors?.[0]?.extensions as any)?.fieldErrors ?? []).map((e: any) => e.field).sort();

const REGISTER = `mutation ($input: RegisterBorderGuardSeizureInput!) { registerBorderGuardSeizure(input: $input) { id status route post { code } team { code } items { quantityKg substance { code } } suspects { citizenId } } }`;
const HAND_OVER = `mutation ($input: HandOverBorderGuardSeizureInput!) { handOverBorderGuardSeizure(input: $input) { id status handedOverOn handedOverTo { id } } }`;
const EQUIP = `mutation ($input: RecordEquipmentInput!) { recordAntiDrugEquipment(input: $input) { code equipped equippedOn } }`;
const JOINT = `mutation ($input: RegisterJointOperationInput!) { registerJointOperation(input: $input) { code withCustoms withPolice drugCase { id } } }`;

beforeAll(async () => {
  subgraph = await startTestSubgraph(borderGuard, province);
  const [row] = await sql("select p.code, p.commune_code, t.code as team from border_post p join anti_drug_team t on t.post_id = p.id where p.sector = 'LAND' order by p.code limit 1");
  post = { code: row.code, communeCode: row.commune_code, team: row.team };
  const [sea] = await sql("select code, commune_code from border_post where sector = 'SEA' order by code limit 1");
  seaPost = sea && { code: sea.code, communeCode: sea.commune_code };
});

afterAll(async () => {
  await subgraph?.close();
});

describe('border-guard writes', () => {
  const suspect = () => province.persons[0].citizenId;
  const seizure = (over: Record<string, unknown> = {}) => ({
    id: 'BP-2026-00901',
    seizedOn: '2026-11-18',
    communeCode: post.communeCode,
    route: 'LAND_BORDER',
    place: 'Lối mở gần mốc 112',
    postCode: post.code,
    teamCode: post.team,
    items: [
      { substanceCode: 'HEROIN', quantityKg: 1.2 },
      { substanceCode: 'METHAMPHETAMINE', quantityKg: 6 },
    ],
    suspects: [suspect()],
    idempotencyKey: 'bg-test-register-00901',
    ...over,
  });

  test('registers a seizure with its items and the person held, once; a retry gives the same seizure', async () => {
    const first = await gql(REGISTER, { input: seizure() });
    expect(first.errors).toBeUndefined();
    expect(first.data.registerBorderGuardSeizure).toMatchObject({
      id: 'BP-2026-00901',
      status: 'HELD',
      post: { code: post.code },
      team: { code: post.team },
      items: [{ quantityKg: 1.2, substance: { code: 'HEROIN' } }, { quantityKg: 6, substance: { code: 'METHAMPHETAMINE' } }],
      suspects: [{ citizenId: suspect() }],
    });
    const again = await gql(REGISTER, { input: seizure() });
    expect(again.errors).toBeUndefined();
    expect(Number((await sql("select count(*) as n from border_guard_seized_item where seizure_id = 'BP-2026-00901'"))[0].n)).toBe(2);
  });

  test('lists every problem of a seizure at once, and checks the post against the route and the commune', async () => {
    const res = await gql(REGISTER, {
      input: seizure({ id: 'BP-2025-00902', seizedOn: '2999-01-01', route: 'SEA', place: '', items: [{ substanceCode: 'heroin', quantityKg: 0 }], suspects: ['12', '12'], idempotencyKey: null }),
    });
    expect(fieldsOf(res)).toEqual(['id', 'items.0.quantityKg', 'items.0.substanceCode', 'place', 'postCode', 'seizedOn', 'suspects.0', 'suspects.1']);
    if (seaPost) {
      const sea = await gql(REGISTER, { input: seizure({ id: 'BP-2026-00903', postCode: seaPost.code, communeCode: seaPost.communeCode, teamCode: null, idempotencyKey: null }) });
      expect(fieldsOf(sea)).toEqual(['postCode']);
    }
  });

  test('hands a seizure over to one police case; again the same way is a no-op, to another case is refused', async () => {
    const input = { id: 'BP-2026-00901', drugCaseId: 'VA-2026-00950', handedOverOn: '2026-11-19' };
    const res = await gql(HAND_OVER, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.handOverBorderGuardSeizure).toEqual({ id: 'BP-2026-00901', status: 'HANDED_OVER', handedOverOn: '2026-11-19', handedOverTo: { id: 'VA-2026-00950' } });
    expect((await gql(HAND_OVER, { input })).errors).toBeUndefined();
    expect(fieldsOf(await gql(HAND_OVER, { input: { ...input, drugCaseId: 'VA-2026-00951' } }))).toEqual(['drugCaseId']);
    expect(fieldsOf(await gql(HAND_OVER, { input: { id: 'BP-2026-00999', drugCaseId: 'VA-2026-00951', handedOverOn: '2026-11-19' } }))).toEqual(['id']);
  });

  test('equipping a unit counts in its figures from that day on, not before', async () => {
    const [team] = await sql("select code, commune_code, established_on from anti_drug_team where equipped_on is null and kind = 'POST_TEAM' order by code limit 1");
    if (!team) return;
    const figure = async (period: string) =>
      (await gql(`{ _entities(representations: [{ __typename: "CommunePeriod", communeCode: "${team.commune_code}", period: "${period}" }]) { ... on CommunePeriod { antiDrugTeamsEquipped } } }`)).data._entities[0].antiDrugTeamsEquipped;
    const before = await figure('2026-06');
    const res = await gql(EQUIP, { input: { teamCode: team.code, equippedOn: '2026-07-10' } });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordAntiDrugEquipment).toEqual({ code: team.code, equipped: true, equippedOn: '2026-07-10' });
    expect(await figure('2026-06')).toBe(before);
    expect(await figure('2026-07')).toBe(before + 1);
    expect(fieldsOf(await gql(EQUIP, { input: { teamCode: team.code, serviceNumber: 'BP0400001', equippedOn: '2026-07-10' } }))).toEqual(['teamCode']);
  });

  test('a joint operation works with customs, the police or both', async () => {
    const ok = await gql(JOINT, { input: { code: 'PH-2026-91', name: 'Chuyên án 91/2026', communeCode: post.communeCode, startedOn: '2026-10-01', withCustoms: true, withPolice: true, drugCaseId: 'VA-2026-00950' } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.registerJointOperation).toEqual({ code: 'PH-2026-91', withCustoms: true, withPolice: true, drugCase: { id: 'VA-2026-00950' } });
    const alone = await gql(JOINT, { input: { code: 'PH-2026-92', name: 'Tuần tra', communeCode: post.communeCode, startedOn: '2026-10-01', withCustoms: false, withPolice: false } });
    expect(fieldsOf(alone)).toEqual(['withCustoms']);
  });
});
