import { Cells, yearsTable, type AgencyFloor } from './floor.js';

// Files open on the year's last day (opened by then, not closed by then). The `where` keeps only the
// three categories any figure counts; the distinct persons are the i2 population.
const managed = `
  count(case when mf.category = 'ILLEGAL_USER' then 1 end) as "f_managedUsers",
  count(case when mf.category = 'ADDICT' then 1 end) as "f_managedAddicts",
  count(distinct mf.person_citizen_id) as "f_managedCounsellingPopulation"`;

// A table's rows of the province in each year: `commune_code = kc.code` and the date range seek the
// table's (commune_code, date) index once per commune and year.
const ofProvince = (table: string, alias: string, dateColumn: string) =>
  `from ${table} ${alias} join known_commune kc on kc.code = ${alias}.commune_code
     join y on ${alias}.${dateColumn} between y.y_from and y.y_to
   where kc.province_code = ?`;

export const floor: AgencyFloor = {
  agency: 'police',
  province: [
    'managedUsers',
    'managedAddicts',
    'managedCounsellingPopulation',
    'hotspotsDetected',
    'hotspotsDetectedDismantled',
    'retailDealersDetected',
    'retailDealersDetectedDealtWith',
    'seaRouteCases',
    'postalExpressCases',
    'transnationalOrganisedCases',
    'cyberspaceCases',
    'communesClassified',
    'drugFreeCommunes',
    'communesWithDrugProblems',
    'cultivationAreaDetectedM2',
    'cultivationAreaDetectedDestroyedM2',
    'policeSeizedKg',
    'policeFilesSince',
    'policeCasesSince',
    'policeFilesThrough',
    'policeCasesThrough',
  ],
  // The small-cell counts; managedAddicts is also behind communesWithAddicts.
  commune: ['managedUsers', 'managedAddicts', 'managedCounsellingPopulation'],
  communesWith: { communesWithAddicts: 'managedAddicts' },
  async run(exec, ask) {
    const y = yearsTable(ask);
    const files = `from management_file mf join known_commune kc on kc.code = mf.commune_code
        join y on mf.opened_on <= y.y_to and (mf.closed_on is null or mf.closed_on > y.y_to)
      where kc.province_code = ? and mf.category in ('ILLEGAL_USER', 'ADDICT', 'POST_REHAB')`;
    // Every other period figure is the province's only: one grouping per table, joined on the year.
    // A year without rows has no group, hence the coalesce (0, as the subgraph says).
    const byYear = `${y.text},
      hs as (select y.year,
          count(*) as detected,
          count(case when h.dismantled_on <= y.y_to then 1 end) as dismantled
        ${ofProvince('hotspot', 'h', 'detected_on')} group by y.year),
      rd as (select y.year,
          count(*) as detected,
          count(case when r.dealt_with_on <= y.y_to then 1 end) as dealt
        ${ofProvince('retail_dealer', 'r', 'detected_on')} group by y.year),
      cs as (select y.year,
          sum(s.area_m2) as detected,
          sum(case when s.destroyed_on <= y.y_to then s.area_m2 end) as destroyed
        ${ofProvince('cultivation_site', 's', 'detected_on')} group by y.year),
      dc as (select y.year,
          count(case when c.route = 'SEA' then 1 end) as sea,
          count(case when c.route = 'POSTAL_EXPRESS' then 1 end) as postal,
          count(case when c.transnational = true and c.organised = true then 1 end) as transnational_organised,
          count(case when c.cyberspace = true or c.route = 'CYBERSPACE' then 1 end) as cyberspace
        ${ofProvince('drug_case', 'c', 'reported_on')} group by y.year),
      si as (select y.year, sum(i.kg_equivalent) as kg
        ${ofProvince('case_seized_item', 'i', 'reported_on')} group by y.year),
      cl as (select y.year,
          count(*) as classified,
          count(case when d.classification = 'DRUG_FREE' then 1 end) as drug_free,
          count(case when d.classification in ('HAS_DRUG_PROBLEMS', 'KEY_HOTSPOT') then 1 end) as drug_problems
        from commune_drug_situation d join known_commune kc on kc.code = d.commune_code join y on d.year = y.year
        where kc.province_code = ? group by y.year)
      select null as place, y.year,
        coalesce(hs.detected, 0) as "f_hotspotsDetected", coalesce(hs.dismantled, 0) as "f_hotspotsDetectedDismantled",
        coalesce(rd.detected, 0) as "f_retailDealersDetected", coalesce(rd.dealt, 0) as "f_retailDealersDetectedDealtWith",
        coalesce(cs.detected, 0) as "f_cultivationAreaDetectedM2", coalesce(cs.destroyed, 0) as "f_cultivationAreaDetectedDestroyedM2",
        coalesce(dc.sea, 0) as "f_seaRouteCases", coalesce(dc.postal, 0) as "f_postalExpressCases",
        coalesce(dc.transnational_organised, 0) as "f_transnationalOrganisedCases", coalesce(dc.cyberspace, 0) as "f_cyberspaceCases",
        coalesce(si.kg, 0) as "f_policeSeizedKg",
        coalesce(cl.classified, 0) as "f_communesClassified", coalesce(cl.drug_free, 0) as "f_drugFreeCommunes",
        coalesce(cl.drug_problems, 0) as "f_communesWithDrugProblems"
      from y left join hs on hs.year = y.year left join rd on rd.year = y.year left join cs on cs.year = y.year
        left join dc on dc.year = y.year left join si on si.year = y.year left join cl on cl.year = y.year`;
    const [managedRows, yearRows, freeRows] = await Promise.all([
      // Persons are counted once per place: the province's distinct count is its own, not the communes' sum.
      exec(
        `${y.text} select mf.commune_code as place, y.year, ${managed} ${files} group by mf.commune_code, y.year
          union all select null, y.year, ${managed} ${files} group by y.year`,
        [...y.params, ask.province, ask.province],
      ),
      exec(byYear, [...y.params, ...Array<string>(6).fill(ask.province)]),
      // First and last record of the province, whatever the year.
      exec(
        `select f.since as "f_policeFilesSince", f.through as "f_policeFilesThrough", c.since as "f_policeCasesSince", c.through as "f_policeCasesThrough"
         from (select cast(min(mf.opened_on) as char(10)) as since, cast(max(mf.opened_on) as char(10)) as through
               from management_file mf join known_commune kc on kc.code = mf.commune_code where kc.province_code = ?) f
         cross join (select cast(min(c.reported_on) as char(10)) as since, cast(max(c.reported_on) as char(10)) as through
               from drug_case c join known_commune kc on kc.code = c.commune_code where kc.province_code = ?) c`,
        [ask.province, ask.province],
      ),
    ]);
    const cells = new Cells();
    cells.addRows(managedRows, ask.province);
    cells.addRows(yearRows, ask.province);
    cells.addRows(freeRows, ask.province, true);
    return cells;
  },
};
