// Proof that a hand-written floor computes the same figures as the agency's subgraph: every cell it
// gives (province, and communes where asked) against the subgraph's `_entities` answer for a caller
// who sees small cells (so no cell is withheld), on the same database.
import type { SubgraphService } from '@pcmt/kit';
import { DEV_IDENTITY_SECRET, signSubgraphRequest } from '@pcmt/kit/identity';
import { randomUUID } from 'node:crypto';
import type { AgencyFloor, Execute, FloorAsk, Value } from './floor.js';

/** The floor's statements on the subgraph's own database connection. */
export const executeOn =
  (service: SubgraphService): Execute =>
  (sql, params) =>
    service.orm.em.fork().getConnection().execute(sql, params as unknown[]);

/** A subgraph's own answer: figure → `place|year` → value. */
async function subgraphCells(url: string, floor: AgencyFloor, ask: FloorAsk, communes: string[]): Promise<Map<string, Map<string, Value>>> {
  const sets: Array<{ type: string; key: string; places: string[]; fields: readonly string[] }> = [
    { type: 'ProvincePeriod', key: 'provinceCode', places: [ask.province], fields: floor.province },
    ...(floor.commune.length ? [{ type: 'CommunePeriod', key: 'communeCode', places: communes, fields: floor.commune }] : []),
  ];
  const out = new Map<string, Map<string, Value>>();
  for (const set of sets) {
    const representations = set.places.flatMap((place) => ask.years.map((year) => ({ __typename: set.type, [set.key]: place, period: String(year) })));
    const body = JSON.stringify({
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${set.type} { ${set.key} period ${set.fields.join(' ')} } } }`,
      variables: { r: representations },
    });
    const identity = {
      sub: 'sql-floor-check',
      agency: floor.agency,
      roles: [],
      // person:identity: the exact figures, nothing withheld.
      scopes: ['reference:read', 'aggregate:read', `${floor.agency}:read`, 'person:identity'],
      communes: [],
      province: ask.province,
      project: null,
      purpose: 'sql floor check',
      requestId: randomUUID(),
    };
    const headers = { 'content-type': 'application/json', ...signSubgraphRequest(identity, { audience: floor.agency, body }, DEV_IDENTITY_SECRET) };
    const res = await fetch(url, { method: 'POST', headers, body });
    const json = (await res.json()) as { data?: { _entities: Array<Record<string, unknown>> }; errors?: Array<{ message: string }> };
    if (json.errors?.length || !json.data) throw new Error(`${floor.agency} ${set.type}: ${JSON.stringify(json.errors ?? json).slice(0, 400)}`);
    for (const entity of json.data._entities) {
      const place = set.type === 'ProvincePeriod' ? `P${entity.provinceCode}` : String(entity.communeCode);
      for (const field of set.fields) {
        let m = out.get(field);
        if (!m) out.set(field, (m = new Map()));
        m.set(`${place}|${entity.period}`, entity[field] as Value);
      }
    }
  }
  return out;
}

const same = (a: Value, b: Value) =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b)) : JSON.stringify(a) === JSON.stringify(b);

/**
 * Where the floor and the subgraph differ (`figure place|year: floor vs subgraph`), at most `limit`
 * of them; empty when every cell is the same. A cell the floor leaves out or gives as null counts as
 * no rows (0 for counts and sums, null for dates and classes).
 */
export async function floorDifferences(floor: AgencyFloor, service: SubgraphService, url: string, ask: FloorAsk, limit = 20): Promise<string[]> {
  const exec = executeOn(service);
  const communes = (await exec('select code from known_commune where province_code = ? order by code', [ask.province])).map((r) => String(r.code));
  if (!communes.length) throw new Error(`${floor.agency}: no commune of province ${ask.province} in known_commune`);
  const cells = await floor.run(exec, ask);
  const expected = await subgraphCells(url, floor, ask, communes);
  const out: string[] = [];
  for (const [figure, byCell] of expected) {
    for (const [cell, want] of byCell) {
      const [place, year] = cell.split('|');
      const got = cells.get(figure, place, Number(year));
      const value = got === undefined ? (want === 0 || want === null ? want : undefined) : got;
      if (value === undefined || !same(value, want)) out.push(`${figure} ${cell}: floor ${JSON.stringify(got)} vs subgraph ${JSON.stringify(want)}`);
      if (out.length >= limit) return out;
    }
  }
  return out;
}
