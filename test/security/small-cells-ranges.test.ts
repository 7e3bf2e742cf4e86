import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from '../harness.js';

// The count fields with free date ranges (`Commune.legalAidRequestCount(from:, to:)` …) and the
// "now" counts (`activeMethadonePatientCount`, `managedPersonCount`) against an analyst who tries to
// get a withheld cell back: two ranges a day apart, a range and a period, a "now" count read before
// and after a write. Control off: a caller who may see identities gets every range exact, and
// withholding its 1–4 answers alone (the rule before) gives the cells back.

let fed: TestFederation;
let analystToken: string;
const PURPOSE = { 'x-pcmt-purpose': 'kiem tra o so lieu nho' };
const YEAR = 2025;
const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (m: number) => new Date(Date.UTC(YEAR, m, 0)).getUTCDate();
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const small = (v: unknown) => typeof v === 'number' && v > 0 && v < 5;
/** What primary suppression alone shows an analyst. */
const primaryOnly = (v: number | null) => (small(v) ? null : v);

/** Range count fields and the CommunePeriod figure each answers as for analysts. */
const RANGED: Array<{ field: string; figure: string }> = [
  { field: 'legalAidRequestCount', figure: 'legalAidRequests' },
  { field: 'eligibleLegalAidRequestCount', figure: 'eligibleLegalAidRequests' },
  { field: 'servedLegalAidRequestCount', figure: 'servedLegalAidRequests' },
  { field: 'addictionAssessmentCount', figure: 'addictionAssessments' },
];

/** Cumulative ranges from 1 January to the end of each month: month m = cum(m) − cum(m − 1). */
const cumulative = () => RANGED.flatMap(({ field }) => MONTHS.map((m) => `${field}_c${m}: ${field}(from: "${YEAR}-01-01", to: "${YEAR}-${pad(m)}-${lastDay(m)}")`));
/** The table as published: each month of each figure. */
const table = () => RANGED.flatMap(({ figure }) => MONTHS.map((m) => `${figure}_m${m}: period(period: "${YEAR}-${pad(m)}") { ${figure} }`));
/** Two ranges a day apart: since 2015 (counts large enough to be shown) to each day of March and the day before. */
const DAYS = Array.from({ length: 31 }, (_, i) => i + 1);
const dayApart = (field: string) => [`${field}_d0: ${field}(from: "2015-01-01", to: "${YEAR}-02-28")`, ...DAYS.map((d) => `${field}_d${d}: ${field}(from: "2015-01-01", to: "${YEAR}-03-${pad(d)}")`)];
/** Range − period: the year minus 1 January–30 November gives December. */
const rangeMinusPeriod = () => RANGED.flatMap(({ field }) => [`${field}_y: ${field}(year: ${YEAR})`, `${field}_jn: ${field}(from: "${YEAR}-01-01", to: "${YEAR}-11-30")`]);

const communesQuery = (selection: string) => `query($p: ID!, $n: Int!) { communes(provinceCode: $p, first: $n) { items { code ${selection} } } }`;
/** Aliased selections of every commune, a few per request (the gateway allows 15 aliases), merged by commune. */
async function readCommunes(aliases: string[], opts: { token?: string; headers?: Record<string, string> }): Promise<{ rows: Row[]; errors: any[] }> {
  const vars = { p: fed.province.province.code, n: fed.province.communes.length };
  const byCode = new Map<string, Row>();
  const errors: any[] = [];
  for (let i = 0; i < aliases.length; i += 14) {
    const res = await fed.query(communesQuery(aliases.slice(i, i + 14).join(' ')), vars, opts);
    errors.push(...(res.errors ?? []));
    for (const item of res.data.communes.items) byCode.set(item.code, { ...byCode.get(item.code), ...item });
  }
  return { rows: [...byCode.values()], errors };
}

type Row = Record<string, any> & { code: string };
let exactRows: Row[];
let analystRows: Row[];
let analystErrors: any[];

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.15 });
  analystToken = await fed.roleToken('analyst');
  const selection = [...cumulative(), ...table(), ...rangeMinusPeriod(), ...dayApart('legalAidRequestCount'), ...dayApart('addictionAssessmentCount')];
  // Control: a caller who may see identities (the lab identity) gets every range exact.
  const exact = await readCommunes(selection, { headers: PURPOSE });
  expect(exact.errors).toEqual([]);
  exactRows = exact.rows;
  const seen = await readCommunes(selection, { token: analystToken });
  analystRows = seen.rows;
  analystErrors = seen.errors;
}, 300_000);

afterAll(async () => {
  await fed?.close();
});

/** month cell `figure|code|m` → value, from the published table of a view. */
const tableOf = (rows: Row[]) => {
  const out = new Map<string, number | null>();
  for (const r of rows) for (const { figure } of RANGED) for (const m of MONTHS) out.set(`${figure}|${r.code}|${m}`, r[`${figure}_m${m}`][figure]);
  return out;
};

describe('count fields with free date ranges', () => {
  test('an analyst gets exactly one reporting period, answered as the published table answers it; any other range is BAD_USER_INPUT naming what is allowed', () => {
    const published = tableOf(analystRows);
    let same = 0;
    for (const r of analystRows) {
      for (const { field, figure } of RANGED) {
        // January, Q1 (January–March) and the year are reporting periods; the other cumulative ranges are not.
        expect([r.code, field, r[`${field}_c1`]]).toEqual([r.code, field, published.get(`${figure}|${r.code}|1`)]);
        for (const m of [2, 4, 5, 6, 7, 8, 9, 10, 11]) expect(r[`${field}_c${m}`]).toBeNull();
        expect(r[`${field}_jn`]).toBeNull();
        expect(r[`${field}_c12`]).toEqual(r[`${field}_y`]);
        same++;
      }
    }
    const refusals = analystErrors.filter((e) => e.extensions?.code === 'BAD_USER_INPUT');
    expect(refusals.length).toBeGreaterThan(0);
    expect(analystErrors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
    expect(refusals[0].message).toMatch(/exactly one calendar year, quarter or month/);
    expect(refusals[0].message).toMatch(/CommunePeriod\./);
    console.log(`ranges: ${refusals.length} free ranges refused to the analyst; ${same} field × commune answers equal to the table's`);
  });

  test('the answer for one period is the table cell, small cells and their complements withheld alike', async () => {
    const vars = { p: fed.province.province.code, n: fed.province.communes.length };
    const q = communesQuery(RANGED.map(({ field, figure }) => `${field}_q: ${field}(from: "${YEAR}-04-01", to: "${YEAR}-06-30") ${figure}_q: period(period: "${YEAR}-Q2") { ${figure} }`).join(' '));
    const res = await fed.query(q, vars, { token: analystToken });
    expect(res.errors).toBeUndefined();
    let withheld = 0;
    for (const r of res.data.communes.items) {
      for (const { field, figure } of RANGED) {
        expect([r.code, field, r[`${field}_q`]]).toEqual([r.code, field, r[`${figure}_q`][figure]]);
        if (r[`${field}_q`] === null) withheld++;
      }
    }
    expect(withheld).toBeGreaterThan(0);
  });

  test('withheld month cells recovered by ranges (cumulative ranges a month apart, two ranges a day apart, range − period): 0 with the control on, > 0 off', () => {
    const exactTable = tableOf(exactRows);
    const published = tableOf(analystRows);
    const withheld = [...published].filter(([, v]) => v === null).map(([k]) => k);
    expect(withheld.length).toBeGreaterThan(0);

    /** Month cells a view of the cumulative ranges gives back: cum(m) − cum(m − 1), both shown. */
    const byMonths = (rows: Row[], view: (v: number | null) => number | null) => {
      let got = 0;
      for (const k of withheld) {
        const [figure, code, mText] = k.split('|');
        const m = Number(mText);
        const field = RANGED.find((x) => x.figure === figure)!.field;
        const r = rows.find((x) => x.code === code)!;
        const upTo = view(r[`${field}_c${m}`]);
        const before = m === 1 ? 0 : view(r[`${field}_c${m - 1}`]);
        if (upTo !== null && before !== null && upTo - before === exactTable.get(k)) got++;
      }
      return got;
    };
    /** December cells from the year minus 1 January–30 November. */
    const byRangeMinusPeriod = (rows: Row[], view: (v: number | null) => number | null) => {
      let got = 0;
      for (const k of withheld.filter((x) => x.endsWith('|12'))) {
        const [figure, code] = k.split('|');
        const field = RANGED.find((x) => x.figure === figure)!.field;
        const r = rows.find((x) => x.code === code)!;
        const year = view(r[`${field}_y`]);
        const rest = view(r[`${field}_jn`]);
        if (year !== null && rest !== null && year - rest === exactTable.get(k)) got++;
      }
      return got;
    };
    /** Day counts of 1–4 in March: two ranges a day apart. */
    const byDays = (rows: Row[], view: (v: number | null) => number | null) => {
      let tried = 0;
      let got = 0;
      for (const field of ['legalAidRequestCount', 'addictionAssessmentCount']) {
        for (const x of exactRows) {
          const r = rows.find((y) => y.code === x.code)!;
          for (const d of DAYS) {
            const day = x[`${field}_d${d}`] - x[`${field}_d${d - 1}`];
            if (!small(day)) continue;
            tried++;
            const a = view(r[`${field}_d${d}`]);
            const b = view(r[`${field}_d${d - 1}`]);
            if (a !== null && b !== null && a - b === day) got++;
          }
        }
      }
      return { tried, got };
    };
    const monthsTried = withheld.length;
    const decTried = withheld.filter((x) => x.endsWith('|12')).length;
    const on = { months: byMonths(analystRows, (v) => v), december: byRangeMinusPeriod(analystRows, (v) => v), days: byDays(analystRows, (v) => v) };
    // Control off: the exact ranges with the 1–4 answers withheld, what an analyst got before.
    const off = { months: byMonths(exactRows, primaryOnly), december: byRangeMinusPeriod(exactRows, primaryOnly), days: byDays(exactRows, primaryOnly) };
    const tried = monthsTried + decTried + on.days.tried;
    const recoveredOn = on.months + on.december + on.days.got;
    const recoveredOff = off.months + off.december + off.days.got;
    console.log(
      `free ranges: withheld cells recovered ${recoveredOn} of ${tried} tried (cumulative ranges a month apart ${on.months} of ${monthsTried}; year − 1 Jan–30 Nov ${on.december} of ${decTried}; ` +
        `two ranges a day apart ${on.days.got} of ${on.days.tried} day counts of 1–4); primary suppression only: ${recoveredOff} (${off.months} + ${off.december} + ${off.days.got})`,
    );
    expect(on.days.tried).toBeGreaterThan(0);
    expect(recoveredOn).toBe(0);
    expect(recoveredOff).toBeGreaterThan(0);
  });

  test('a status filter is for callers who may see identities', async () => {
    const code = fed.province.communes[0].code;
    const q = `query($c: ID!) { commune(code: $c) { legalAidRequestCount(year: ${YEAR}, status: REFUSED) } }`;
    const refused = await fed.query(q, { c: code }, { token: analystToken });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
    expect(refused.data.commune.legalAidRequestCount).toBeNull();
    const exact = await fed.query(q, { c: code }, { headers: PURPOSE });
    expect(exact.errors).toBeUndefined();
    expect(exact.data.commune.legalAidRequestCount).toEqual(expect.any(Number));
  });
});

describe('"now" counts', () => {
  const NOW = `query($c: ID!) { commune(code: $c) { activeMethadonePatientCount managedPersonCount } }`;
  const today = new Date().toISOString().slice(0, 10);

  test('read before and after a write: the change is 0 of 2 counts recovered by an analyst, 2 of 2 with the control off', async () => {
    // A commune with enough patients and open files that withholding 1–4 alone would show both reads.
    const active = await fed.sql<{ commune_code: string; n: number }>('health', `select commune_code, count(*) as n from methadone_enrollment where status = 'ACTIVE' group by commune_code order by count(*) desc, commune_code`);
    const files = await fed.sql<{ commune_code: string; n: number }>('police', 'select commune_code, count(*) as n from management_file where closed_on is null group by commune_code');
    const openFiles = new Map(files.map((f) => [f.commune_code, Number(f.n)]));
    const code = active.find((a) => Number(a.n) >= 6 && (openFiles.get(a.commune_code) ?? 0) >= 6)?.commune_code;
    expect(code).toBeDefined();
    const [enrolment] = await fed.sql<{ id: number | string }>('health', `select id from methadone_enrollment where status = 'ACTIVE' and commune_code = ? order by id limit 1`, [code]);
    const [file] = await fed.sql<{ id: number | string }>('police', 'select id from management_file where closed_on is null and commune_code = ? order by id limit 1', [code]);

    const read = async (opts: { token?: string; headers?: Record<string, string> }) => fed.query(NOW, { c: code }, opts);
    const analystBefore = await read({ token: analystToken });
    const exactBefore = await read({ headers: PURPOSE });
    // The write: a patient suspended and a management file closed in that commune (by the lab identity).
    const suspended = await fed.query(
      `mutation($i: ChangeEnrollmentStatusInput!) { changeEnrollmentStatus(input: $i) { status } }`,
      { i: { enrollmentId: String(enrolment.id), status: 'SUSPENDED', changedOn: today, reason: 'kiểm tra ô số liệu nhỏ' } },
      { headers: PURPOSE },
    );
    expect(suspended.errors).toBeUndefined();
    const closed = await fed.query(`mutation($i: CloseManagementFileInput!) { closeManagementFile(input: $i) { closedOn } }`, { i: { id: String(file.id), closedOn: today } }, { headers: PURPOSE });
    expect(closed.errors).toBeUndefined();
    const analystAfter = await read({ token: analystToken });
    const exactAfter = await read({ headers: PURPOSE });

    const fields = ['activeMethadonePatientCount', 'managedPersonCount'];
    const recovered = (before: any, after: any, view: (v: number | null) => number | null) =>
      fields.filter((f) => view(before.data.commune[f]) !== null && view(after.data.commune[f]) !== null && view(before.data.commune[f])! - view(after.data.commune[f])! === 1).length;
    const on = recovered(analystBefore, analystAfter, (v) => v);
    const off = recovered(exactBefore, exactAfter, primaryOnly);
    console.log(`"now" counts read around a write: changes recovered ${on} of ${fields.length} by an analyst; primary suppression only: ${off} of ${fields.length}`);
    expect(on).toBe(0);
    expect(off).toBe(fields.length);
    for (const res of [analystBefore, analystAfter]) {
      expect(res.data.commune).toEqual({ activeMethadonePatientCount: null, managedPersonCount: null });
      expect(res.errors?.map((e: any) => [e.path.at(-1), e.extensions.code])).toEqual(expect.arrayContaining(fields.map((f) => [f, 'FORBIDDEN'])));
      expect(res.errors?.[0].message).toMatch(/CommunePeriod\.(methadonePatientsAtEnd|managedPersons)/);
    }
  });
});
