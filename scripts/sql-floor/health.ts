import { Cells, dateParam, yearsTable, type AgencyFloor } from './floor.js';

// Enum values as stored (text); the kit's IN_TREATMENT, GOOD_EXITS, FACILITY_REHAB_FORMS and opioids.
const IN_TREATMENT = `('ACTIVE', 'SUSPENDED')`;
const GOOD_EXITS = `('COMPLETED', 'TRANSFERRED')`;
const OPIOIDS = `('HEROIN', 'OPIUM')`;

// Facilities operating by the year's last day, in the commune where they stand. Plain counts: the
// province's are the sum of its communes', so the table is read once.
const facilityCounts = `
  count(case when f.kind = 'COMMUNE_HEALTH_STATION' then 1 end) as "f_healthStations",
  count(case when f.kind = 'COMMUNE_HEALTH_STATION' and f.can_assess_addiction = true then 1 end) as "f_healthStationsAbleToAssess",
  count(case when f.kind = 'PUBLIC_REHAB' then 1 end) as "f_publicRehabFacilities",
  count(case when f.kind = 'PUBLIC_REHAB' and f.can_assess_addiction = true then 1 end) as "f_publicRehabFacilitiesAbleToAssess",
  count(case when f.kind = 'COMMUNITY_REHAB_POINT' then 1 end) as "f_rehabReceptionPoints"`;

// Status-history rows joined to the years they matter in: an in-treatment row in force on some day of
// the year, or a good exit dated in it. The row's commune is the one copied onto the status change.
const methadone = `
  count(distinct case when s.status in ${IN_TREATMENT} then s.enrollment_id end) as "f_methadonePatientsInTreatment",
  count(distinct case when s.status in ${GOOD_EXITS} or s.superseded_on is null or s.superseded_on > y.y_to then s.enrollment_id end) as "f_methadonePatientsRetained",
  count(distinct case when s.opioid_on <= y.y_to and (s.superseded_on is null or s.superseded_on > y.y_to) then s.citizen_id end) as "f_opioidAddictsInTreatment"`;
const methadoneFrom = `from s join y on s.changed_on <= y.y_to
  and ((s.status in ${GOOD_EXITS} and s.changed_on >= y.y_from) or (s.status in ${IN_TREATMENT} and (s.superseded_on is null or s.superseded_on >= y.y_from)))`;

// Assessed persons: counted in a year once their first ADDICTED (opioid) assessment is on or before its last day.
const assessed = (t: string) => `count(*) as "f_personsAssessedAddicted", count(case when ${t}.opioid_on <= y.y_to then 1 end) as "f_opioidAddictsAssessed"`;

const rehab = `
  count(distinct case when r.form in ('VOLUNTARY_FACILITY', 'COMPULSORY') then r.citizen_id end) as "f_personsInFacilityRehab",
  count(distinct case when r.form = 'VOLUNTARY_HOME_COMMUNITY' then r.citizen_id end) as "f_personsInCommunityRehab"`;
// Episodes overlapping the year; an open one runs on.
const rehabFrom = `from known_commune kc join rehab_episode r on r.commune_code = kc.code
  join y on r.started_on <= y.y_to and (r.ended_on is null or r.ended_on >= y.y_from) where kc.province_code = ?`;

// The small-cell figures (counts of persons): every commune's cells decide which are withheld.
const PERSON_COUNTS = [
  'methadonePatientsInTreatment',
  'methadonePatientsRetained',
  'opioidAddictsInTreatment',
  'opioidAddictsAssessed',
  'personsAssessedAddicted',
  'personsCounselled',
  'personsInFacilityRehab',
  'personsInCommunityRehab',
];

export const floor: AgencyFloor = {
  agency: 'health',
  province: [
    'healthStations',
    'healthStationsAbleToAssess',
    'publicRehabFacilities',
    'publicRehabFacilitiesAbleToAssess',
    ...PERSON_COUNTS,
    'healthCounsellingSince',
    'healthAssessmentsSince',
    'healthCounsellingThrough',
    'healthAssessmentsThrough',
  ],
  commune: [
    ...PERSON_COUNTS,
    // communesWithRehabReceptionPoint: the communes where it is above 0.
    'rehabReceptionPoints',
  ],
  communesWith: { communesWithRehabReceptionPoint: 'rehabReceptionPoints' },
  async run(exec, ask) {
    const y = yearsTable(ask);
    const d = dateParam(ask);
    const first = `${Math.min(...ask.years)}-01-01`;
    const last = `${Math.max(...ask.years)}-12-31`;
    const p = ask.province;
    // Every statement starts from the province's communes (known_commune_province_code_index) and
    // reaches each table through its (commune_code, …) index: no other province's rows are read.
    const rows = await Promise.all([
      exec(
        `${y.text}, fc as materialized (select f.commune_code as place, y.year, ${facilityCounts}
           from known_commune kc join facility f on f.commune_code = kc.code and f.kind in ('COMMUNE_HEALTH_STATION', 'PUBLIC_REHAB', 'COMMUNITY_REHAB_POINT')
           join y on f.opened_on is null or f.opened_on <= y.y_to
           where kc.province_code = ? group by f.commune_code, y.year)
         select * from fc
         union all select null, fc.year, sum("f_healthStations"), sum("f_healthStationsAbleToAssess"), sum("f_publicRehabFacilities"),
           sum("f_publicRehabFacilitiesAbleToAssess"), sum("f_rehabReceptionPoints") from fc group by fc.year`,
        [...y.params, p],
      ),
      // The first opioid ADDICTED assessment of the patient (any commune: matched by person) is looked
      // up once per in-treatment row through the citizen index, not once per row and year.
      exec(
        `${y.text}, s as materialized (
           select e.commune_code, e.enrollment_id, m.citizen_id, e.status, e.changed_on, e.superseded_on,
             case when e.status in ${IN_TREATMENT} then (
               select min(a.assessed_on) from addiction_assessment a join assessment_substance x on x.assessment_id = a.id and x.substance_code in ${OPIOIDS}
               where a.citizen_id = m.citizen_id and a.result = 'ADDICTED') end as opioid_on
           from known_commune kc
           join enrollment_status_change e on e.commune_code = kc.code and e.status in ('ACTIVE', 'SUSPENDED', 'COMPLETED', 'TRANSFERRED') and e.changed_on <= ${d}
           join methadone_enrollment m on m.id = e.enrollment_id
           where kc.province_code = ?
             and ((e.status in ${IN_TREATMENT} and (e.superseded_on is null or e.superseded_on >= ${d})) or (e.status in ${GOOD_EXITS} and e.changed_on >= ${d})))
         select s.commune_code as place, y.year, ${methadone} ${methadoneFrom} group by s.commune_code, y.year
         union all select null, y.year, ${methadone} ${methadoneFrom} group by y.year`,
        [...y.params, last, p, first, first],
      ),
      // One row per person and commune (first ADDICTED day, first opioid one), then per person for the
      // province: a person assessed in two communes counts once there.
      exec(
        `${y.text}, c as materialized (
           select a.commune_code, a.citizen_id, min(a.assessed_on) as addicted_on, min(case when x.id is not null then a.assessed_on end) as opioid_on
           from known_commune kc
           join addiction_assessment a on a.commune_code = kc.code and a.result = 'ADDICTED' and a.assessed_on <= ${d}
           left join assessment_substance x on x.assessment_id = a.id and x.substance_code in ${OPIOIDS}
           where kc.province_code = ? group by a.commune_code, a.citizen_id)
         select c.commune_code as place, y.year, ${assessed('c')} from c join y on c.addicted_on <= y.y_to group by c.commune_code, y.year
         union all select null, y.year, ${assessed('pc')}
           from (select min(c.addicted_on) as addicted_on, min(c.opioid_on) as opioid_on from c group by c.citizen_id) pc join y on pc.addicted_on <= y.y_to group by y.year`,
        [...y.params, last, p],
      ),
      // Each person once per commune and year, then counted per commune and, distinct, per province.
      exec(
        `${y.text}, pc as materialized (
           select c.commune_code, c.citizen_id, y.year
           from known_commune kc join counselling c on c.commune_code = kc.code join y on c.counselled_on between y.y_from and y.y_to
           where kc.province_code = ? group by c.commune_code, c.citizen_id, y.year)
         select pc.commune_code as place, pc.year, count(*) as "f_personsCounselled" from pc group by pc.commune_code, pc.year
         union all select null, pc.year, count(distinct pc.citizen_id) from pc group by pc.year`,
        [...y.params, p],
      ),
      exec(
        `${y.text} select r.commune_code as place, y.year, ${rehab} ${rehabFrom} group by r.commune_code, y.year
         union all select null, y.year, ${rehab} ${rehabFrom} group by y.year`,
        [...y.params, p, p],
      ),
      // First and last record days, whatever the period (any assessment result).
      exec(
        `select cast(c.since as char(10)) as "f_healthCounsellingSince", cast(c.through as char(10)) as "f_healthCounsellingThrough",
           cast(a.since as char(10)) as "f_healthAssessmentsSince", cast(a.through as char(10)) as "f_healthAssessmentsThrough"
         from (select min(c.counselled_on) as since, max(c.counselled_on) as through
               from known_commune kc join counselling c on c.commune_code = kc.code where kc.province_code = ?) c,
              (select min(a.assessed_on) as since, max(a.assessed_on) as through
               from known_commune kc join addiction_assessment a on a.commune_code = kc.code where kc.province_code = ?) a`,
        [p, p],
      ),
    ]);
    const cells = new Cells();
    for (const r of rows.slice(0, -1)) cells.addRows(r, p);
    cells.addRows(rows[rows.length - 1], p, true);
    return cells;
  },
};
