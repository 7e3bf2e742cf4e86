import { Cells, firstAndLastDay, yearsTable, type AgencyFloor } from './floor.js';

// No small-cell figure and no `communesWith` list: the province grouping alone is enough.
export const floor: AgencyFloor = {
  agency: 'customs',
  province: [
    'seaRouteSeizuresNotHandedOver',
    'postalExpressSeizuresNotHandedOver',
    'landBorderSeizedKg',
    'seizedKgNotHandedOver',
    'customsSeizuresSince',
    'customsSeizuresThrough',
  ],
  commune: [],
  async run(exec, ask) {
    const y = yearsTable(ask);
    const cells = new Cells();
    // Seizures of the year (by seizure day) still with the seizing force, on two routes.
    cells.addRows(
      await exec(
        `${y.text} select null as place, y.year,
           count(case when s.route = 'SEA' then 1 end) as "f_seaRouteSeizuresNotHandedOver",
           count(case when s.route = 'POSTAL_EXPRESS' then 1 end) as "f_postalExpressSeizuresNotHandedOver"
         from seizure s join known_commune kc on kc.code = s.commune_code join y on s.seized_on between y.y_from and y.y_to
         where kc.province_code = ? and s.drug_case_id is null and s.route in ('SEA', 'POSTAL_EXPRESS')
         group by y.year`,
        [...y.params, ask.province],
      ),
      ask.province,
    );
    // Kilograms are on the items; the day, route, hand-over and commune on their seizure.
    cells.addRows(
      await exec(
        `${y.text} select null as place, y.year,
           sum(case when s.route = 'LAND_BORDER' then i.kg_equivalent end) as "f_landBorderSeizedKg",
           sum(case when s.drug_case_id is null then i.kg_equivalent end) as "f_seizedKgNotHandedOver"
         from seizure s join known_commune kc on kc.code = s.commune_code join y on s.seized_on between y.y_from and y.y_to
           join seized_item i on i.seizure_id = s.id
         where kc.province_code = ? and (s.route = 'LAND_BORDER' or s.drug_case_id is null)
         group by y.year`,
        [...y.params, ask.province],
      ),
      ask.province,
    );
    await firstAndLastDay(exec, ask, cells, { table: 'seizure', date: 'seized_on', since: 'customsSeizuresSince', through: 'customsSeizuresThrough' });
    return cells;
  },
};
