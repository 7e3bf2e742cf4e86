import { Cells, yearsTable, type AgencyFloor } from './floor.js';

// No education figure is a small cell, related to another or behind a `communesWith` list: the
// dashboard needs the province's cells only.
export const floor: AgencyFloor = {
  agency: 'education',
  province: [
    'schools',
    'schoolsReached',
    'industrialParkWorkers',
    'industrialParkWorkersReached',
    'industrialParkWorkersReachedDistinct',
    'mainMediaOutlets',
    'mainMediaOutletsWithColumn',
    'educationActivitiesSince',
    'educationActivitiesThrough',
  ],
  commune: [],
  async run(exec, ask) {
    const y = yearsTable(ask);
    const p = ask.province;
    const cells = new Cells();

    // Registers and the first and last activity: one value for every year.
    cells.addRows(
      await exec(
        `select
           (select count(*) from known_commune kc join school s on s.commune_code = kc.code where kc.province_code = ?) as "f_schools",
           (select coalesce(sum(en.workers), 0) from known_commune kc join enterprise en on en.commune_code = kc.code
             where kc.province_code = ? and en.industrial_park is not null) as "f_industrialParkWorkers",
           (select count(*) from media_outlet m where m.province_code = ? and m.main = true) as "f_mainMediaOutlets",
           cast(min(a.held_on) as char(10)) as "f_educationActivitiesSince",
           cast(max(a.held_on) as char(10)) as "f_educationActivitiesThrough"
         from known_commune kc join awareness_activity a on a.commune_code = kc.code
         where kc.province_code = ?`,
        [p, p, p, p],
      ),
      p,
      true,
    );

    // One row per year, each figure read over the year's range of held_on. The distinct workers are
    // the costly part: the year's park activities first (a few dozen), then their lists through
    // the (activity_id, worker_key) unique index, grouped by worker (a hash on PostgreSQL, not a
    // sort under the text collation), per year rather than one sort of every list by year.
    const activities = `from known_commune kc join awareness_activity a on a.commune_code = kc.code`;
    const inYear = `kc.province_code = ? and a.held_on between y.y_from and y.y_to`;
    const park = `join enterprise en on en.id = a.enterprise_id`;
    cells.addRows(
      await exec(
        `${y.text} select null as place, y.year,
           (select count(distinct a.school_id) ${activities} where ${inYear}) as "f_schoolsReached",
           (select coalesce(sum(a.participants), 0) ${activities} ${park} where ${inYear} and en.industrial_park is not null) as "f_industrialParkWorkersReached",
           (select count(*) from (
              select w.worker_key from worker_attendance w
              where w.activity_id in (select a.id ${activities} ${park} where ${inYear} and en.industrial_park is not null)
              group by w.worker_key) d) as "f_industrialParkWorkersReachedDistinct",
           (select count(*) from media_outlet m where m.province_code = ? and m.main = true and m.column_since <= y.y_to) as "f_mainMediaOutletsWithColumn"
         from y`,
        [...y.params, p, p, p, p],
      ),
      p,
    );
    return cells;
  },
};
