import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from '../harness.js';

// A count of 1–4 persons is withheld from callers who may not see identities — and so is every
// indicator computed from one, or the cell would come back as a numerator or a denominator.

let fed: TestFederation;
const PURPOSE = { 'x-pcmt-purpose': 'kiem tra o so lieu nho' };

const QUERY = `query($province: ID!) { communes(provinceCode: $province, first: 500) { items { code period(period: "2025") {
  eligibleLegalAidRequests servedLegalAidRequests methadonePatientsInTreatment methadonePatientsRetained
  indicators { indicator { id } value numerator denominator status suppressed } } } } }`;

type Row = { code: string; period: { eligibleLegalAidRequests: number | null; servedLegalAidRequests: number | null; methadonePatientsInTreatment: number | null; methadonePatientsRetained: number | null; indicators: Array<{ indicator: { id: string }; value: number | null; numerator: number | null; denominator: number | null; status: string; suppressed: boolean }> } };

let exact: Row[];
let analyst: Row[];

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.15 });
  const variables = { province: fed.province.province.code };
  // Control off: a caller who may see identities (the lab identity) gets the exact numbers.
  exact = (await fed.query(QUERY, variables, { headers: PURPOSE })).data.communes.items;
  const res = await fed.query(QUERY, variables, { token: await fed.roleToken('analyst') });
  analyst = res.data.communes.items;
});

afterAll(async () => {
  await fed?.close();
});

const small = (v: number | null) => v !== null && v > 0 && v < 5;

describe('small cells on every output path', () => {
  test('a commune with 1–4 eligible legal-aid requesters: the figure and indicator h are withheld from an analyst, shown to the control', () => {
    const commune = exact.find((r) => small(r.period.eligibleLegalAidRequests));
    expect(commune).toBeDefined();
    const h = (rows: Row[]) => rows.find((r) => r.code === commune!.code)!.period.indicators.find((i) => i.indicator.id === 'h')!;
    expect(h(exact)).toMatchObject({ denominator: commune!.period.eligibleLegalAidRequests, suppressed: false });
    const seen = analyst.find((r) => r.code === commune!.code)!;
    expect(seen.period.eligibleLegalAidRequests).toBeNull();
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
});
