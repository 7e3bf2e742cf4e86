import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { provinceYearGroups, suppressCells } from '@pcmt/kit';
import { startTestFederation, type TestFederation } from '../harness.js';
import { cell, MONTHS, PERIODS, PROVINCE, QUARTERS, solve, YEAR, type Cells, type Group } from './small-cell-attacker.js';

// Small cells hold across figures related by an identity. The person counts published for one
// place and period were checked for exact linear relations: the only ones are those of the counts on
// a period's last day (files open, patients in treatment at the end), where a year *is* its fourth
// quarter and its December and a quarter its last month. Every other relation between figures is
// an inequality (requests ≥ eligible ≥ served + refused, requests ≥ persons), which gives bounds,
// not values. An analyst tries to recover each withheld cell through those equalities, alone and
// chained with province − communes.

let fed: TestFederation;
const PURPOSE = { 'x-pcmt-purpose': 'kiem tra o so lieu nho quan he' };

/** Counts on the period's last day (declared `atPeriodEnd` in police and health). */
const AT_END = ['managedPersons', 'managedUsers', 'managedAddicts', 'managedCounsellingPopulation', 'methadonePatientsAtEnd', 'opioidAddictsInTreatment', 'opioidAddictsAssessed', 'personsAssessedAddicted'];

const fields = `period ${AT_END.join(' ')}`;
const selection = `year: period(period: "${YEAR}") { ${fields} } quarters: periods(from: "${QUARTERS[0]}", to: "${QUARTERS[3]}") { ${fields} } months: periods(from: "${MONTHS[0]}", to: "${MONTHS[11]}") { ${fields} }`;
const tableQuery = `query($province: ID!, $n: Int!) { province(code: $province) { ${selection} } communes(provinceCode: $province, first: $n) { items { code ${selection} } } }`;


function cellsOf(data: any): Cells {
  const cells: Cells = new Map();
  const places: Array<[string, any]> = [[PROVINCE, data.province], ...data.communes.items.map((c: any) => [c.code, c] as [string, any])];
  for (const [place, node] of places) for (const at of [node.year, ...node.quarters, ...node.months]) for (const f of AT_END) cells.set(cell(f, place, at.period), at[f]);
  return cells;
}


/** What an attacker links, per figure: equal periods (year = Q4 = December, each quarter = its last month), and the province = its communes. */
function groupsOf(figure: string, communes: string[]): Record<'equalPeriods' | 'provinceMinusCommunes', Group[]> {
  const places = [PROVINCE, ...communes];
  const equal: Array<[string, string]> = [[YEAR, QUARTERS[3]], ...QUARTERS.map((q, i): [string, string] => [q, MONTHS[i * 3 + 2]])];
  return {
    equalPeriods: places.flatMap((x) => equal.map(([a, b]) => ({ total: cell(figure, x, a), parts: [cell(figure, x, b)] }))),
    provinceMinusCommunes: PERIODS.map((p) => ({ total: cell(figure, PROVINCE, p), parts: communes.map((c) => cell(figure, c, p)) })),
  };
}


const small = (v: number | null | undefined) => typeof v === 'number' && v > 0 && v < 5;

let exact: Cells;
let seen: Cells;
let communes: string[];

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.15 });
  const analystToken = await fed.roleToken('analyst');
  const variables = { province: fed.province.province.code, n: fed.province.communes.length };
  // Control: a caller who may see identities gets every cell exact.
  const control = await fed.query(tableQuery, variables, { headers: PURPOSE });
  const analyst = await fed.query(tableQuery, variables, { token: analystToken });
  expect(control.errors).toBeUndefined();
  expect(analyst.errors).toBeUndefined();
  exact = cellsOf(control.data);
  seen = cellsOf(analyst.data);
  communes = control.data.communes.items.map((c: any) => c.code);
}, 300_000);

afterAll(async () => {
  await fed?.close();
});

/** Tries every attack on a view; `n` counts the withheld cells each attack could reach. */
function attack(view: Cells): { tried: number; recovered: number; attempts: Record<string, string> } {
  const withheld = [...view].filter(([, v]) => v === null).map(([k]) => k);
  let tried = 0;
  let recovered = 0;
  const attempts: Record<string, string> = {};
  const run = (name: string, pick: (g: ReturnType<typeof groupsOf>) => Group[]) => {
    let n = 0;
    let got = 0;
    for (const f of AT_END) {
      const groups = pick(groupsOf(f, communes));
      const reach = new Set(groups.flatMap((g) => [g.total, ...g.parts]));
      n += withheld.filter((k) => k.startsWith(`${f}|`) && reach.has(k)).length;
      got += [...solve(view, groups)].filter(([k, v]) => view.get(k) === null && exact.get(k) === v).length;
    }
    attempts[name] = `${got} of ${n}`;
    tried += n;
    recovered += got;
  };
  run('equal periods', (g) => g.equalPeriods);
  run('province − communes', (g) => g.provinceMinusCommunes);
  run('equal periods and province − communes, chained', (g) => [...g.equalPeriods, ...g.provinceMinusCommunes]);
  return { tried, recovered, attempts };
}

describe('small cells across related figures', () => {
  test('control: the exact counts at the period end hold the equalities (year = Q4 = December, a quarter = its last month)', () => {
    expect([...exact.values()].every((v) => typeof v === 'number')).toBe(true);
    expect([...exact.values()].filter(small).length).toBeGreaterThan(20);
    for (const f of AT_END) for (const g of groupsOf(f, communes).equalPeriods) expect([g.total, exact.get(g.total)]).toEqual([g.total, exact.get(g.parts[0])]);
  });

  test('relations ignored (the rule before: these figures treated as sums over time): withheld cells come back through the equal periods', () => {
    // What the kit withheld before, from the exact table: each figure's province, communes, years − quarters and quarters − months.
    const before: Cells = new Map(exact);
    for (const f of AT_END) {
      const values = new Map([...exact].filter(([k]) => k.startsWith(`${f}|`)) as Array<[string, number]>);
      const out = suppressCells(values, ...provinceYearGroups(PROVINCE, communes, YEAR, (place, period) => cell(f, place, period)));
      for (const k of out) before.set(k, null);
    }
    const { tried, recovered, attempts } = attack(before);
    console.log(`relations ignored: ${Object.entries(attempts).map(([k, v]) => `${k}: ${v}`).join('; ')}; recovered ${recovered} of ${tried}`);
    expect(recovered).toBeGreaterThan(0);
  });

  test('an analyst: every small cell withheld, every shown cell exact, equal periods withheld alike, and 0 withheld cells recovered', () => {
    for (const [k, v] of exact) {
      if (small(v)) expect([k, seen.get(k)]).toEqual([k, null]);
      if (seen.get(k) !== null) expect([k, seen.get(k)]).toEqual([k, v]);
    }
    // Equal cells are withheld alike: neither one shows the other.
    for (const f of AT_END) for (const g of groupsOf(f, communes).equalPeriods) expect([g.total, seen.get(g.total) === null]).toEqual([g.total, seen.get(g.parts[0]) === null]);
    const withheld = [...seen].filter(([, v]) => v === null).map(([k]) => k);
    const secondary = withheld.filter((k) => !small(exact.get(k)));
    expect(secondary.length).toBeGreaterThan(0);
    const { tried, recovered, attempts } = attack(seen);
    console.log(
      `${AT_END.length} figures at the period end × (province + ${communes.length} communes) × ${PERIODS.length} periods: ${withheld.length} withheld (${withheld.length - secondary.length} of 1–4, ${secondary.length} to protect them); ${Object.entries(attempts).map(([k, v]) => `${k}: ${v}`).join('; ')}`,
    );
    console.log(`suppressed cells recovered through relations: ${recovered} of ${tried} tried`);
    expect(tried).toBeGreaterThan(0);
    expect(recovered).toBe(0);
  });
});
