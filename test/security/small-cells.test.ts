import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from '../harness.js';
import { cell, MONTHS, PERIODS, PROVINCE, QUARTERS, solve, YEAR, type Cells, type Group } from './small-cell-attacker.js';

// A count of 1–4 persons is withheld from callers who may not see identities — and so is every
// indicator computed from one, and enough other cells that subtraction (province − its communes,
// year − its quarters, quarter − its months) gives none back, in JSON and in CSV alike.

let fed: TestFederation;
const PURPOSE = { 'x-pcmt-purpose': 'kiem tra o so lieu nho' };

/** Indicator h: served / eligible, counted in requests or (where the graph has them) in persons. */
let H = { numerator: 'servedLegalAidRequests', denominator: 'eligibleLegalAidRequests' };

const query = () => `query($province: ID!) { communes(provinceCode: $province, first: 500) { items { code period(period: "2025") {
  ${H.numerator} ${H.denominator} methadonePatientsInTreatment methadonePatientsRetained
  indicators { indicator { id } value numerator denominator status suppressed } } } } }`;

type Row = { code: string; period: Record<string, number | null> & { indicators: Array<{ indicator: { id: string }; value: number | null; numerator: number | null; denominator: number | null; status: string; suppressed: boolean }> } };

let exact: Row[];
let analyst: Row[];
let analystToken: string;

// ------------------------------------------------------------ one year, every cell

/** Additive figures (requests received in a period): a year is its quarters, a province its communes. */
const ADDITIVE = ['legalAidRequests', 'eligibleLegalAidRequests', 'servedLegalAidRequests'];
/** Every figure read: the additive ones and indicator h's. */
let FIGURES = ADDITIVE;

const fields = () => `period ${FIGURES.join(' ')} indicators { indicator { id } numerator denominator suppressed }`;
const periodsSelection = () =>
  `year: period(period: "${YEAR}") { ${fields()} } quarters: periods(from: "${QUARTERS[0]}", to: "${QUARTERS[3]}") { ${fields()} } months: periods(from: "${MONTHS[0]}", to: "${MONTHS[11]}") { ${fields()} }`;
const tableQuery = () => `query($province: ID!, $n: Int!) { province(code: $province) { ${periodsSelection()} } communes(provinceCode: $province, first: $n) { items { code ${periodsSelection()} } } }`;
/** One period of every commune, for the CSV export (one list, one row per commune). */
const csvQuery = () => `query($province: ID!, $n: Int!, $period: String!) { communes(provinceCode: $province, first: $n) { items { code period(period: $period) { ${FIGURES.join(' ')} } } } }`;

type Indicator = { indicator: { id: string }; numerator: number | null; denominator: number | null; suppressed: boolean };

function cellsOf(data: any): { cells: Cells; h: Map<string, Indicator> } {
  const cells: Cells = new Map();
  const h = new Map<string, Indicator>();
  const places: Array<[string, any]> = [[PROVINCE, data.province], ...data.communes.items.map((c: any) => [c.code, c] as [string, any])];
  for (const [place, node] of places) {
    for (const at of [node.year, ...node.quarters, ...node.months]) {
      for (const f of FIGURES) cells.set(cell(f, place, at.period), at[f]);
      h.set(`${place}|${at.period}`, at.indicators.find((i: Indicator) => i.indicator.id === 'h'));
    }
  }
  return { cells, h };
}


/** What an attacker adds up, per figure: the province and its communes, a year and its quarters, a quarter and its months. */
function groupsOf(figure: string, communes: string[]): Record<'provinceMinusCommunes' | 'yearMinusQuarters' | 'quarterMinusMonths', Group[]> {
  const places = [PROVINCE, ...communes];
  return {
    provinceMinusCommunes: PERIODS.map((p) => ({ total: cell(figure, PROVINCE, p), parts: communes.map((c) => cell(figure, c, p)) })),
    yearMinusQuarters: places.map((x) => ({ total: cell(figure, x, YEAR), parts: QUARTERS.map((q) => cell(figure, x, q)) })),
    quarterMinusMonths: places.flatMap((x) => QUARTERS.map((q, i) => ({ total: cell(figure, x, q), parts: [1, 2, 3].map((m) => cell(figure, x, MONTHS[i * 3 + m - 1])) }))),
  };
}


/** CSV text → rows of cells (quoted cells may hold separators, quotes and line breaks); the header row dropped. */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cellText = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') (cellText += '"'), i++;
      else if (ch === '"') quoted = false;
      else cellText += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) row.push(cellText), (cellText = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(cellText), rows.push(row), (row = []), (cellText = '');
    } else cellText += ch;
  }
  if (cellText || row.length) row.push(cellText), rows.push(row);
  return rows.slice(1);
}

let table: { exact: Cells; seen: Cells; csv: Cells; communes: string[]; h: Map<string, Indicator> };

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.15 });
  const variables = { province: fed.province.province.code };
  analystToken = await fed.roleToken('analyst');
  const type = await fed.query('{ __type(name: "CommunePeriod") { fields { name } } }');
  if (type.data.__type.fields.some((f: { name: string }) => f.name === 'eligibleLegalAidPersons')) H = { numerator: 'servedLegalAidPersons', denominator: 'eligibleLegalAidPersons' };
  FIGURES = [...new Set([...ADDITIVE, H.numerator, H.denominator])];
  // Control off: a caller who may see identities (the lab identity) gets the exact numbers.
  exact = (await fed.query(query(), variables, { headers: PURPOSE })).data.communes.items;
  analyst = (await fed.query(query(), variables, { token: analystToken })).data.communes.items;

  const tableVariables = { province: fed.province.province.code, n: fed.province.communes.length };
  const control = await fed.query(tableQuery(), tableVariables, { headers: PURPOSE });
  const seen = await fed.query(tableQuery(), tableVariables, { token: analystToken });
  expect(control.errors).toBeUndefined();
  expect(seen.errors).toBeUndefined();
  // The same communes and periods through the CSV export, one period at a time.
  const csv: Cells = new Map();
  const seenCells = cellsOf(seen.data);
  for (const period of PERIODS) {
    const res = await fetch(new URL('/export.csv', fed.gateway.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analystToken}` },
      body: JSON.stringify({ query: csvQuery(), variables: { ...tableVariables, period } }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    // Columns in the order selected: the code, then each figure; a withheld cell is empty (or a word
    // saying so). Comma- or semicolon-separated (as a spreadsheet of the caller's language expects).
    const rows = [',', ';'].map((separator) => parseCsv(text, separator)).find((r) => r.length > 0 && r.every((cells) => cells.length === FIGURES.length + 1));
    expect(rows).toBeDefined();
    for (const [code, ...values] of rows!) {
      FIGURES.forEach((f, i) => csv.set(cell(f, code, period), /^\d+$/.test(values[i]) ? Number(values[i]) : null));
    }
  }
  // The province's own cells are not in the commune list: the attacker has them from JSON.
  for (const [k, v] of seenCells.cells) if (k.split('|')[1] === PROVINCE) csv.set(k, v);
  table = { exact: cellsOf(control.data).cells, seen: seenCells.cells, csv, communes: control.data.communes.items.map((c: any) => c.code), h: seenCells.h };
}, 300_000);

afterAll(async () => {
  await fed?.close();
});

const small = (v: number | null) => v !== null && v > 0 && v < 5;

describe('small cells on every output path', () => {
  test('a commune with 1–4 eligible legal-aid requests (or persons): the figure and indicator h are withheld from an analyst, shown to the control', () => {
    const commune = exact.find((r) => small(r.period[H.denominator]));
    expect(commune).toBeDefined();
    const h = (rows: Row[]) => rows.find((r) => r.code === commune!.code)!.period.indicators.find((i) => i.indicator.id === 'h')!;
    expect(h(exact)).toMatchObject({ denominator: commune!.period[H.denominator], suppressed: false });
    const seen = analyst.find((r) => r.code === commune!.code)!;
    expect(seen.period[H.denominator]).toBeNull();
    expect(h(analyst)).toEqual({ indicator: { id: 'h' }, value: null, numerator: null, denominator: null, status: 'NO_DATA', suppressed: true });
  });

  test('no small person count can be read back from any indicator numerator or denominator', () => {
    let recovered = 0;
    let withheld = 0;
    for (const row of exact) {
      const smallCounts = Object.entries(row.period).filter(([k, v]) => k !== 'indicators' && small(v as number | null)).map(([, v]) => v);
      const seen = analyst.find((r) => r.code === row.code)!;
      for (const iv of seen.period.indicators) {
        if (iv.suppressed) withheld++;
        else if (smallCounts.some((v) => v === iv.numerator || v === iv.denominator) && (iv.indicator.id === 'h' || iv.indicator.id === 'i1')) recovered++;
      }
    }
    console.log(`small cells: ${withheld} indicator values withheld from the analyst; suppressed cells recovered through indicators: ${recovered}`);
    expect(withheld).toBeGreaterThan(0);
    expect(recovered).toBe(0);
  });

  test('control off: a caller who may see identities gets every cell exact, and the figures add up (subtraction would work)', () => {
    const { exact: cells, communes } = table;
    expect([...cells.values()].every((v) => typeof v === 'number')).toBe(true);
    expect([...cells.values()].filter(small).length).toBeGreaterThan(20);
    for (const f of ADDITIVE) {
      for (const g of Object.values(groupsOf(f, communes)).flat()) expect([g.total, cells.get(g.total)]).toEqual([g.total, g.parts.reduce((s, k) => s + cells.get(k)!, 0)]);
    }
    // Withholding only the cells of 1–4 (the rule before) leaves them to subtraction.
    const primaryOnly: Cells = new Map([...cells].map(([k, v]) => [k, small(v) ? null : v]));
    const solved = ADDITIVE.flatMap((f) => [...solve(primaryOnly, Object.values(groupsOf(f, communes)).flat())]);
    const recovered = solved.filter(([k, v]) => small(cells.get(k)!) && cells.get(k) === v).length;
    console.log(`withholding 1–4 alone: ${recovered} small cells recovered by subtraction`);
    expect(recovered).toBeGreaterThan(0);
  });

  test('an analyst: every small cell withheld, every cell shown exact, and 0 withheld cells recovered by subtraction, indicators or CSV', () => {
    const { exact: cells, seen, csv, communes, h } = table;
    for (const [k, v] of cells) {
      if (small(v)) expect([k, seen.get(k)]).toEqual([k, null]);
      if (v === 0) expect([k, seen.get(k)]).toEqual([k, 0]);
      if (seen.get(k) !== null) expect([k, seen.get(k)]).toEqual([k, v]);
      // The export withholds the same cells.
      expect([k, csv.get(k)]).toEqual([k, seen.get(k)]);
    }
    const withheld = [...seen].filter(([, v]) => v === null).map(([k]) => k);
    const secondary = withheld.filter((k) => !small(cells.get(k)!));
    expect(secondary.length).toBeGreaterThan(0);

    let tried = 0;
    let recovered = 0;
    const attempts: Record<string, string> = {};
    const attack = (name: string, view: Cells, pick: (g: ReturnType<typeof groupsOf>) => Group[]) => {
      let n = 0;
      let got = 0;
      for (const f of ADDITIVE) {
        const groups = pick(groupsOf(f, communes));
        const inGroups = new Set(groups.flatMap((g) => [g.total, ...g.parts]));
        n += withheld.filter((k) => k.startsWith(`${f}|`) && inGroups.has(k)).length;
        got += [...solve(view, groups)].filter(([k, v]) => cells.get(k) === v).length;
      }
      attempts[name] = `${got} of ${n}`;
      tried += n;
      recovered += got;
    };
    attack('province − communes', seen, (g) => g.provinceMinusCommunes);
    attack('year − quarters', seen, (g) => g.yearMinusQuarters);
    attack('quarter − months', seen, (g) => g.quarterMinusMonths);
    attack('all of them, chained', seen, (g) => [...g.provinceMinusCommunes, ...g.yearMinusQuarters, ...g.quarterMinusMonths]);
    attack('CSV export, chained', csv, (g) => [...g.provinceMinusCommunes, ...g.yearMinusQuarters, ...g.quarterMinusMonths]);
    // Indicator h: its numerator and denominator are figures of the same place and period.
    let n = 0;
    let got = 0;
    for (const k of withheld) {
      const [f, place, period] = k.split('|');
      if (f !== H.numerator && f !== H.denominator) continue;
      n++;
      const iv = h.get(`${place}|${period}`)!;
      if (!iv.suppressed && (f === H.numerator ? iv.numerator : iv.denominator) === cells.get(k)) got++;
    }
    attempts['indicator numerator/denominator'] = `${got} of ${n}`;
    tried += n;
    recovered += got;
    console.log(`${FIGURES.length} figures × (province + ${communes.length} communes) × ${PERIODS.length} periods: ${withheld.length} cells withheld from the analyst (${withheld.length - secondary.length} of 1–4, ${secondary.length} to protect them); ${Object.entries(attempts).map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    console.log(`suppressed cells recovered: ${recovered} of ${tried} tried`);
    expect(recovered).toBe(0);
  });

  test('one commune asked alone, or a year asked without its quarters and months, gets the same cells withheld as in the whole table', async () => {
    const { seen, communes } = table;
    for (const row of analyst) {
      for (const f of [H.numerator, H.denominator]) expect([row.code, f, row.period[f]]).toEqual([row.code, f, seen.get(cell(f, row.code, YEAR))]);
    }
    const commune = communes.find((c) => PERIODS.some((p) => FIGURES.some((f) => seen.get(cell(f, c, p)) === null)))!;
    const res = await fed.query(`query($code: ID!) { commune(code: $code) { ${periodsSelection()} } }`, { code: commune }, { token: analystToken });
    expect(res.errors).toBeUndefined();
    const alone = cellsOf({ province: { year: { period: YEAR, indicators: [] }, quarters: [], months: [] }, communes: { items: [{ code: commune, ...res.data.commune }] } }).cells;
    for (const p of PERIODS) for (const f of FIGURES) expect([f, p, alone.get(cell(f, commune, p))]).toEqual([f, p, seen.get(cell(f, commune, p))]);
  });
});
