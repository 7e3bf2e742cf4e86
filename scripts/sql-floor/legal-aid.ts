import { Cells, firstAndLastDay, yearsTable, type AgencyFloor } from './floor.js';

// Indicator h: eligible persons with a request received in the year, and those served.
const persons = `
  count(distinct r.citizen_id) as "f_eligibleLegalAidPersons",
  count(distinct case when r.status in ('ACCEPTED', 'IN_PROGRESS', 'COMPLETED') then r.citizen_id end) as "f_servedLegalAidPersons"`;

export const floor: AgencyFloor = {
  agency: 'legal-aid',
  province: ['eligibleLegalAidPersons', 'servedLegalAidPersons', 'legalAidRequestsSince', 'legalAidRequestsThrough'],
  commune: ['eligibleLegalAidPersons', 'servedLegalAidPersons'],
  async run(exec, ask) {
    const y = yearsTable(ask);
    const from = `from legal_aid_request r join known_commune kc on kc.code = r.commune_code join y on r.received_on between y.y_from and y.y_to
      where kc.province_code = ? and r.eligibility_group <> 'NOT_ELIGIBLE'`;
    const cells = new Cells();
    // Persons are counted once per place: the province's count is its own, not the communes' sum.
    cells.addRows(
      await exec(`${y.text} select r.commune_code as place, y.year, ${persons} ${from} group by r.commune_code, y.year
        union all select null, y.year, ${persons} ${from} group by y.year`, [...y.params, ask.province, ask.province]),
      ask.province,
    );
    await firstAndLastDay(exec, ask, cells, { table: 'legal_aid_request', date: 'received_on', since: 'legalAidRequestsSince', through: 'legalAidRequestsThrough' });
    return cells;
  },
};
