import type { Execute } from './floor.js';

/**
 * What the program subgraph reads for the dashboard's province view besides the agencies' figures:
 * the indicators, the province with its commune counts, the plans' targets and the reporting
 * periods closed in the year (a closed period's figures are final). Rows of reference tables, not
 * figures: nothing to check cell by cell, but part of the answer's SQL all the same.
 */
export async function programReads(exec: Execute, ask: { province: string; period: string }): Promise<number> {
  const read = await Promise.all([
    exec('select * from indicator order by id', []),
    exec(
      `select p.*, (select count(*) from commune c where c.province_code = p.code) as communes,
         (select count(*) from commune c where c.province_code = p.code and c.border = true) as border_communes
       from province p where p.code = ?`,
      [ask.province],
    ),
    // The national plan (no province) and the province's own.
    exec('select t.*, p.title from plan_target t join plan p on p.id = t.plan_id where p.province_code = ? or p.province_code is null', [ask.province]),
    // The year, its quarters and its months.
    exec(
      `select r.agency, r.commune_code, r.period from reporting_period_closure r join commune c on c.code = r.commune_code
       where c.province_code = ? and (r.period = ? or r.period like ?)`,
      [ask.province, ask.period, `${ask.period}-%`],
    ),
  ]);
  return read.reduce((n, rows) => n + rows.length, 0);
}
