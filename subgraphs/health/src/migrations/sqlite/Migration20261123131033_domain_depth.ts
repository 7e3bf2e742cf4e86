import { Migration } from '@mikro-orm/migrations';

export class Migration20261123131033_domain_depth extends Migration {

  override name = 'Migration20261123131033_domain_depth';

  override up(): void | Promise<void> {
    // facility gets a new kind, so SQLite needs the table rebuilt. Migrations run in a transaction,
    // where foreign_keys cannot be switched off and dropping a table that assessments and enrolments
    // point to would fail; instead the checks wait for the commit, by which time every facility row
    // is back under the same id.
    this.addSql(`pragma defer_foreign_keys = on;`);
    this.addSql(`create table \`facility__copy\` as select * from \`facility\`;`);
    this.addSql(`drop table \`facility\`;`);
    this.addSql(`create table \`facility\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`kind\` text check (\`kind\` in ('METHADONE_CLINIC', 'DISPENSING_POINT', 'COMMUNE_HEALTH_STATION', 'PUBLIC_REHAB', 'PRIVATE_REHAB', 'COMMUNITY_REHAB_POINT')) not null, \`commune_code\` text not null, \`can_assess_addiction\` integer not null, \`opened_on\` date null);`);
    this.addSql(`insert into \`facility\` (\`id\`, \`name\`, \`kind\`, \`commune_code\`, \`can_assess_addiction\`, \`opened_on\`) select \`id\`, \`name\`, \`kind\`, \`commune_code\`, \`can_assess_addiction\`, null from \`facility__copy\`;`);
    this.addSql(`drop table \`facility__copy\`;`);
    this.addSql(`create index \`facility_commune_code_index\` on \`facility\` (\`commune_code\`);`);
    this.addSql(`create index \`facility_kind_commune\` on \`facility\` (\`kind\`, \`commune_code\`);`);

    this.addSql(`create table \`counselling\` (\`id\` integer not null primary key autoincrement, \`citizen_id\` text not null, \`commune_code\` text not null, \`facility_id\` integer not null, \`counselled_on\` date not null, \`kind\` text check (\`kind\` in ('MEDICAL', 'PSYCHOLOGICAL')) not null, constraint \`counselling_facility_id_foreign\` foreign key (\`facility_id\`) references \`facility\` (\`id\`));`);
    this.addSql(`create index \`counselling_facility_id_index\` on \`counselling\` (\`facility_id\`);`);
    this.addSql(`create index \`counselling_facility_counselled\` on \`counselling\` (\`facility_id\`, \`counselled_on\`);`);
    this.addSql(`create index \`counselling_commune_counselled\` on \`counselling\` (\`commune_code\`, \`counselled_on\`);`);
    this.addSql(`create index \`counselling_citizen_counselled\` on \`counselling\` (\`citizen_id\`, \`counselled_on\`);`);

    this.addSql(`create table \`assessment_substance\` (\`id\` integer not null primary key autoincrement, \`assessment_id\` integer not null, \`substance_code\` text not null, constraint \`assessment_substance_assessment_id_foreign\` foreign key (\`assessment_id\`) references \`addiction_assessment\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`assessment_substance_assessment_id_index\` on \`assessment_substance\` (\`assessment_id\`);`);
    this.addSql(`create unique index \`assessment_substance_assessment_substance_unique\` on \`assessment_substance\` (\`assessment_id\`, \`substance_code\`);`);

    this.addSql(`create table \`enrollment_status_change\` (\`id\` integer not null primary key autoincrement, \`enrollment_id\` integer not null, \`commune_code\` text not null, \`status\` text check (\`status\` in ('ACTIVE', 'SUSPENDED', 'DROPPED_OUT', 'TRANSFERRED', 'COMPLETED', 'DIED', 'ARRESTED')) not null, \`changed_on\` date not null, \`superseded_on\` date null, \`reason\` text null, constraint \`enrollment_status_change_enrollment_id_foreign\` foreign key (\`enrollment_id\`) references \`methadone_enrollment\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`enrollment_status_change_enrollment_id_index\` on \`enrollment_status_change\` (\`enrollment_id\`);`);
    this.addSql(`create index \`enrollment_status_change_commune_status\` on \`enrollment_status_change\` (\`commune_code\`, \`status\`, \`changed_on\`);`);
    this.addSql(`create index \`enrollment_status_change_enrollment_changed\` on \`enrollment_status_change\` (\`enrollment_id\`, \`changed_on\`);`);

    this.addSql(`create table \`rehab_episode\` (\`id\` integer not null primary key autoincrement, \`citizen_id\` text not null, \`commune_code\` text not null, \`form\` text check (\`form\` in ('VOLUNTARY_HOME_COMMUNITY', 'VOLUNTARY_FACILITY', 'COMPULSORY')) not null, \`facility_id\` integer null, \`started_on\` date not null, \`ended_on\` date null, \`outcome\` text check (\`outcome\` in ('COMPLETED', 'ABSCONDED', 'TRANSFERRED', 'OTHER')) null, constraint \`rehab_episode_facility_id_foreign\` foreign key (\`facility_id\`) references \`facility\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`rehab_episode_facility_id_index\` on \`rehab_episode\` (\`facility_id\`);`);
    this.addSql(`create index \`rehab_episode_facility_started\` on \`rehab_episode\` (\`facility_id\`, \`started_on\`);`);
    this.addSql(`create index \`rehab_episode_commune_form\` on \`rehab_episode\` (\`commune_code\`, \`form\`, \`started_on\`);`);
    this.addSql(`create index \`rehab_episode_citizen_started\` on \`rehab_episode\` (\`citizen_id\`, \`started_on\`);`);

    this.addSql(`create table \`urine_test\` (\`id\` integer not null primary key autoincrement, \`enrollment_id\` integer null, \`citizen_id\` text not null, \`commune_code\` text not null, \`facility_id\` integer null, \`tested_on\` date not null, constraint \`urine_test_enrollment_id_foreign\` foreign key (\`enrollment_id\`) references \`methadone_enrollment\` (\`id\`) on delete set null, constraint \`urine_test_facility_id_foreign\` foreign key (\`facility_id\`) references \`facility\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`urine_test_enrollment_id_index\` on \`urine_test\` (\`enrollment_id\`);`);
    this.addSql(`create index \`urine_test_facility_id_index\` on \`urine_test\` (\`facility_id\`);`);
    this.addSql(`create index \`urine_test_commune_tested\` on \`urine_test\` (\`commune_code\`, \`tested_on\`);`);
    this.addSql(`create index \`urine_test_citizen_tested\` on \`urine_test\` (\`citizen_id\`, \`tested_on\`);`);
    this.addSql(`create index \`urine_test_enrollment_tested\` on \`urine_test\` (\`enrollment_id\`, \`tested_on\`);`);

    this.addSql(`create table \`urine_test_result\` (\`id\` integer not null primary key autoincrement, \`test_id\` integer not null, \`analyte\` text check (\`analyte\` in ('OPIATES', 'METHAMPHETAMINE', 'MDMA', 'THC')) not null, \`positive\` integer not null, constraint \`urine_test_result_test_id_foreign\` foreign key (\`test_id\`) references \`urine_test\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`urine_test_result_test_id_index\` on \`urine_test_result\` (\`test_id\`);`);
    this.addSql(`create unique index \`urine_test_result_test_analyte_unique\` on \`urine_test_result\` (\`test_id\`, \`analyte\`);`);


    this.addSql(`create index \`addiction_assessment_commune_result\` on \`addiction_assessment\` (\`commune_code\`, \`result\`, \`assessed_on\`);`);
    this.addSql(`create index \`addiction_assessment_facility_assessed\` on \`addiction_assessment\` (\`facility_id\`, \`assessed_on\`);`);

    this.addSql(`create index \`methadone_enrollment_clinic_status\` on \`methadone_enrollment\` (\`clinic_id\`, \`status\`);`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(`create table \`dose_record__temp_alter\` (\`id\` integer not null primary key autoincrement, \`enrollment_id\` integer not null, \`day\` date not null, \`dose_mg\` integer not null, \`observed\` integer not null, \`missed\` integer not null, \`missed_reason\` text check (\`missed_reason\` in ('SICK', 'TRAVEL', 'WORK', 'DETAINED', 'OTHER', 'UNKNOWN')) null, constraint \`dose_record_enrollment_id_foreign\` foreign key (\`enrollment_id\`) references \`methadone_enrollment\` (\`id\`) on delete cascade);`);
    this.addSql(`insert into \`dose_record__temp_alter\` select \`id\`, \`enrollment_id\`, \`day\`, \`dose_mg\`, \`observed\`, \`missed\`, null as \`missed_reason\` from \`dose_record\`;`);
    this.addSql(`drop table \`dose_record\`;`);
    this.addSql(`alter table \`dose_record__temp_alter\` rename to \`dose_record\`;`);
    this.addSql(`create index \`dose_record_enrollment_id_index\` on \`dose_record\` (\`enrollment_id\`);`);
    this.addSql(`create unique index \`dose_record_enrollment_id_day_unique\` on \`dose_record\` (\`enrollment_id\`, \`day\`);`);
    this.addSql(`pragma foreign_keys = on;`);

    // Rows written before this migration: each assessment's substance is its primary one, each
    // enrolment's history starts ACTIVE on its first day, and an enrolment that is no longer ACTIVE
    // took its status the day after its last dose (a month later for a dropout) — estimated, and said so.
    this.addSql(`insert into \`assessment_substance\` (\`assessment_id\`, \`substance_code\`) select \`id\`, \`substance_code\` from \`addiction_assessment\`;`);
    this.addSql(`insert into \`enrollment_status_change\` (\`enrollment_id\`, \`commune_code\`, \`status\`, \`changed_on\`, \`superseded_on\`, \`reason\`) select \`id\`, \`commune_code\`, 'ACTIVE', \`started_on\`, null, 'Bắt đầu điều trị' from \`methadone_enrollment\` order by \`id\`;`);
    this.addSql(`insert into \`enrollment_status_change\` (\`enrollment_id\`, \`commune_code\`, \`status\`, \`changed_on\`, \`superseded_on\`, \`reason\`) select e.\`id\`, e.\`commune_code\`, e.\`status\`, min(date(coalesce((select max(d.\`day\`) from \`dose_record\` d where d.\`enrollment_id\` = e.\`id\` and not d.\`missed\`), e.\`started_on\`), case when e.\`status\` = 'DROPPED_OUT' then '+31 days' else '+1 day' end), date('now')), null, 'Ngày ước tính từ liều cuối cùng (ghi trước khi có diễn biến trạng thái)' from \`methadone_enrollment\` e where e.\`status\` <> 'ACTIVE' order by e.\`id\`;`);
    this.addSql(`update \`enrollment_status_change\` set \`superseded_on\` = (select c.\`changed_on\` from \`enrollment_status_change\` c where c.\`enrollment_id\` = \`enrollment_status_change\`.\`enrollment_id\` and c.\`status\` <> 'ACTIVE') where \`status\` = 'ACTIVE';`);
    this.addSql(`update \`dose_record\` set \`missed_reason\` = 'UNKNOWN' where \`missed\`;`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`counselling\`;`);
    this.addSql(`drop table if exists \`assessment_substance\`;`);
    this.addSql(`drop table if exists \`enrollment_status_change\`;`);
    this.addSql(`drop table if exists \`rehab_episode\`;`);
    this.addSql(`drop table if exists \`urine_test\`;`);
    this.addSql(`drop table if exists \`urine_test_result\`;`);

    this.addSql(`drop index \`addiction_assessment_commune_result\`;`);
    this.addSql(`drop index \`addiction_assessment_facility_assessed\`;`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(`create table \`dose_record__temp_alter\` (\`id\` integer not null primary key autoincrement, \`enrollment_id\` INTEGER not null, \`day\` date not null, \`dose_mg\` INTEGER not null, \`observed\` INTEGER not null, \`missed\` INTEGER not null, constraint \`dose_record_enrollment_id_foreign\` foreign key (\`enrollment_id\`) references \`methadone_enrollment\` (\`id\`) on update no action on delete cascade);`);
    this.addSql(`insert into \`dose_record__temp_alter\` select \`id\`, \`enrollment_id\`, \`day\`, \`dose_mg\`, \`observed\`, \`missed\` from \`dose_record\`;`);
    this.addSql(`drop table \`dose_record\`;`);
    this.addSql(`alter table \`dose_record__temp_alter\` rename to \`dose_record\`;`);
    this.addSql(`create unique index \`dose_record_enrollment_id_day_unique\` on \`dose_record\` (\`enrollment_id\`, \`day\`);`);
    this.addSql(`create index \`dose_record_enrollment_id_index\` on \`dose_record\` (\`enrollment_id\`);`);
    this.addSql(`pragma foreign_keys = on;`);

    this.addSql(`pragma defer_foreign_keys = on;`);
    this.addSql(`create table \`facility__copy\` as select * from \`facility\`;`);
    this.addSql(`drop table \`facility\`;`);
    this.addSql(`create table \`facility\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`kind\` text check (\`kind\` in ('METHADONE_CLINIC', 'DISPENSING_POINT', 'COMMUNE_HEALTH_STATION', 'PUBLIC_REHAB', 'PRIVATE_REHAB')) not null, \`commune_code\` text not null, \`can_assess_addiction\` integer not null);`);
    this.addSql(`insert into \`facility\` (\`id\`, \`name\`, \`kind\`, \`commune_code\`, \`can_assess_addiction\`) select \`id\`, \`name\`, \`kind\`, \`commune_code\`, \`can_assess_addiction\` from \`facility__copy\`;`);
    this.addSql(`drop table \`facility__copy\`;`);
    this.addSql(`create index \`facility_commune_code_index\` on \`facility\` (\`commune_code\`);`);

    this.addSql(`drop index \`methadone_enrollment_clinic_status\`;`);
  }

}
