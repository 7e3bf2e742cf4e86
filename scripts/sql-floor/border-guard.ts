import { Cells, firstAndLastDay, yearsTable, type AgencyFloor } from './floor.js';

// No small-cell figure and no `communesWith` list: the province grouping alone is enough.
export const floor: AgencyFloor = {
  agency: 'border-guard',
  province: [
    'borderGuardSeaRouteSeizuresNotHandedOver',
    'antiDrugTeams',
    'antiDrugTeamsEquipped',
    'antiDrugOfficers',
    'antiDrugOfficersEquipped',
    'borderGuardLandBorderSeizedKg',
    'borderGuardSeizedKgNotHandedOver',
    'borderGuardSeizuresSince',
    'borderGuardSeizuresThrough',
  ],
  commune: [],
  async run(exec, ask) {
    const y = yearsTable(ask);
    const cells = new Cells();
    const byYear = async (sql: string) => cells.addRows(await exec(`${y.text} ${sql}`, [...y.params, ask.province]), ask.province);
    // Units and officers are a register: as they stood on the year's last day.
    await byYear(
      `select null as place, y.year, count(*) as "f_antiDrugTeams", count(case when t.equipped_on <= y.y_to then 1 end) as "f_antiDrugTeamsEquipped"
       from anti_drug_team t join known_commune kc on kc.code = t.commune_code join y on t.established_on <= y.y_to
       where kc.province_code = ? group by y.year`,
    );
    // An officer is placed in the commune of the team.
    await byYear(
      `select null as place, y.year, count(*) as "f_antiDrugOfficers", count(case when o.equipped_on <= y.y_to then 1 end) as "f_antiDrugOfficersEquipped"
       from anti_drug_officer o join anti_drug_team t on t.id = o.team_id join known_commune kc on kc.code = t.commune_code
         join y on o.joined_on <= y.y_to and (o.left_on is null or o.left_on > y.y_to)
       where kc.province_code = ? group by y.year`,
    );
    await byYear(
      `select null as place, y.year, count(*) as "f_borderGuardSeaRouteSeizuresNotHandedOver"
       from border_guard_seizure s join known_commune kc on kc.code = s.commune_code join y on s.seized_on between y.y_from and y.y_to
       where kc.province_code = ? and s.route = 'SEA' and s.drug_case_id is null group by y.year`,
    );
    // Kilograms are on the items; the day, route, hand-over and commune on their seizure.
    await byYear(
      `select null as place, y.year,
         sum(case when s.route = 'LAND_BORDER' then i.quantity_kg end) as "f_borderGuardLandBorderSeizedKg",
         sum(case when s.drug_case_id is null then i.quantity_kg end) as "f_borderGuardSeizedKgNotHandedOver"
       from border_guard_seizure s join known_commune kc on kc.code = s.commune_code join y on s.seized_on between y.y_from and y.y_to
         join border_guard_seized_item i on i.seizure_id = s.id
       where kc.province_code = ? and (s.route = 'LAND_BORDER' or s.drug_case_id is null) group by y.year`,
    );
    await firstAndLastDay(exec, ask, cells, { table: 'border_guard_seizure', date: 'seized_on', since: 'borderGuardSeizuresSince', through: 'borderGuardSeizuresThrough' });
    return cells;
  },
};
