import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 13: the catalogue rows of d1 (the Border Guard's seizures too), g2 (workers as persons), i1
 * (assessed opioid addicts in treatment) and border (the Border Guard's seizures too; province only)
 * quote their new definitions. Only rows that exist are touched: a database not yet seeded gets them
 * from the code's catalogue when it is.
 */
export class Migration20261130094746_definitions_follow_seeds extends Migration {

  override name = 'Migration20261130094746_definitions_follow_seeds';

  override up(): void | Promise<void> {
    this.addSql(`update "indicator" set "definition" = 'Change of (police cases on the sea route or in postal/express parcels + customs and coast-guard seizures on those routes + the Border Guard’s sea-route seizures, each seizure not handed over to a police case) against the same period of the previous year: every agency’s detections, each once. Seed: «Hằng năm, số vụ phạm tội về ma túy được phát hiện, bắt giữ tại tuyến đường biển, chuyển phát nhanh tăng trên 3%» (004 — Ninh Bình, Kế hoạch thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030 (2025), mục II.3 d))', "levels" = '["PROVINCE","COMMUNE"]' where "id" = 'd1';`);
    this.addSql(`update "indicator" set "definition" = 'Distinct industrial-park workers on the attendance lists (social-insurance number) of activities held at their enterprise in the period / workers of the industrial-park enterprises: persons, not attendances (a worker at two sessions counts once; an activity recorded without an attendance list reaches no countable worker); the attendances are shown beside it. Seed: «trên 70% người lao động tại các khu công nghiệp, khu chế xuất» (004 — Ninh Bình, Kế hoạch thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030 (2025), mục II.3 g))', "levels" = '["PROVINCE","COMMUNE"]' where "id" = 'g2';`);
    this.addSql(`update "indicator" set "definition" = 'Coverage: persons assessed addicted to an opioid (heroin, opium) by the last day of the period who are in methadone treatment (ACTIVE or SUSPENDED) that day / persons assessed addicted to an opioid by then (a patient without such an assessment is not counted); retention (patients retained through the period / patients in treatment during it) shown beside it. Seed: «Bảo đảm cơ sở vật chất và duy trì điều trị cho 100% người nghiện các chất dạng thuốc phiện» (004 — Ninh Bình, Kế hoạch thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030 (2025), mục II.3 i))', "levels" = '["PROVINCE","COMMUNE"]' where "id" = 'i1';`);
    this.addSql(`update "indicator" set "definition" = 'Kg-equivalent seized on the land-border route by customs and by the Border Guard / every kg seized in the province, each seizure once: police cases plus customs’ and the Border Guard’s seizures not handed over to a police case. Province only: the seed compares with the whole province. Seed: «Nâng tỷ lệ phát hiện, thu giữ ma túy tại khu vực biên giới lên trên 70% so với tổng số ma túy thu giữ trong toàn tỉnh» (001 — Quảng Ninh, Quyết định 3086/QĐ-UBND (2011))', "levels" = '["PROVINCE"]' where "id" = 'border';`);
  }

  override down(): void | Promise<void> {
    // The earlier wording is not restored: the definitions it described are no longer computed.
  }

}
