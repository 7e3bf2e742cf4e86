import { Migration } from '@mikro-orm/migrations';

export class Migration20261123131034_domain_depth extends Migration {

  override name = 'Migration20261123131034_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table "counselling" ("id" serial primary key, "citizen_id" varchar(12) not null, "commune_code" varchar(5) not null, "facility_id" int not null, "counselled_on" date not null, "kind" text not null);`);
    this.addSql(`create index "counselling_facility_counselled" on "counselling" ("facility_id", "counselled_on");`);
    this.addSql(`create index "counselling_commune_counselled" on "counselling" ("commune_code", "counselled_on");`);
    this.addSql(`create index "counselling_citizen_counselled" on "counselling" ("citizen_id", "counselled_on");`);

    this.addSql(`create table "assessment_substance" ("id" serial primary key, "assessment_id" int not null, "substance_code" varchar(16) not null);`);
    this.addSql(`alter table "assessment_substance" add constraint "assessment_substance_assessment_substance_unique" unique ("assessment_id", "substance_code");`);

    this.addSql(`create table "enrollment_status_change" ("id" serial primary key, "enrollment_id" int not null, "commune_code" varchar(5) not null, "status" text not null, "changed_on" date not null, "superseded_on" date null, "reason" varchar(255) null);`);
    this.addSql(`create index "enrollment_status_change_commune_status" on "enrollment_status_change" ("commune_code", "status", "changed_on");`);
    this.addSql(`create index "enrollment_status_change_enrollment_changed" on "enrollment_status_change" ("enrollment_id", "changed_on");`);

    this.addSql(`create table "rehab_episode" ("id" serial primary key, "citizen_id" varchar(12) not null, "commune_code" varchar(5) not null, "form" text not null, "facility_id" int null, "started_on" date not null, "ended_on" date null, "outcome" text null);`);
    this.addSql(`create index "rehab_episode_facility_started" on "rehab_episode" ("facility_id", "started_on");`);
    this.addSql(`create index "rehab_episode_commune_form" on "rehab_episode" ("commune_code", "form", "started_on");`);
    this.addSql(`create index "rehab_episode_citizen_started" on "rehab_episode" ("citizen_id", "started_on");`);

    this.addSql(`create table "urine_test" ("id" serial primary key, "enrollment_id" int null, "citizen_id" varchar(12) not null, "commune_code" varchar(5) not null, "facility_id" int null, "tested_on" date not null);`);
    this.addSql(`create index "urine_test_commune_tested" on "urine_test" ("commune_code", "tested_on");`);
    this.addSql(`create index "urine_test_citizen_tested" on "urine_test" ("citizen_id", "tested_on");`);
    this.addSql(`create index "urine_test_enrollment_tested" on "urine_test" ("enrollment_id", "tested_on");`);

    this.addSql(`create table "urine_test_result" ("id" serial primary key, "test_id" int not null, "analyte" text not null, "positive" boolean not null);`);
    this.addSql(`alter table "urine_test_result" add constraint "urine_test_result_test_analyte_unique" unique ("test_id", "analyte");`);

    this.addSql(`alter table "facility" drop constraint "facility_kind_check";`);
    this.addSql(`alter table "facility" add "opened_on" date null;`);
    this.addSql(`create index "facility_kind_commune" on "facility" ("kind", "commune_code");`);
    this.addSql(`alter table "facility" add constraint "facility_kind_check" check ("kind" in ('METHADONE_CLINIC', 'DISPENSING_POINT', 'COMMUNE_HEALTH_STATION', 'PUBLIC_REHAB', 'PRIVATE_REHAB', 'COMMUNITY_REHAB_POINT'));`);

    this.addSql(`create index "addiction_assessment_commune_result" on "addiction_assessment" ("commune_code", "result", "assessed_on");`);
    this.addSql(`create index "addiction_assessment_facility_assessed" on "addiction_assessment" ("facility_id", "assessed_on");`);

    this.addSql(`create index "methadone_enrollment_clinic_status" on "methadone_enrollment" ("clinic_id", "status");`);

    this.addSql(`alter table "dose_record" add "missed_reason" text null;`);
    this.addSql(`alter table "dose_record" add constraint "dose_record_missed_reason_check" check ("missed_reason" in ('SICK', 'TRAVEL', 'WORK', 'DETAINED', 'OTHER', 'UNKNOWN'));`);

    this.addSql(`alter table "counselling" add constraint "counselling_facility_id_foreign" foreign key ("facility_id") references "facility" ("id");`);
    this.addSql(`alter table "counselling" add constraint "counselling_kind_check" check ("kind" in ('MEDICAL', 'PSYCHOLOGICAL'));`);

    this.addSql(`alter table "assessment_substance" add constraint "assessment_substance_assessment_id_foreign" foreign key ("assessment_id") references "addiction_assessment" ("id") on delete cascade;`);

    this.addSql(`alter table "enrollment_status_change" add constraint "enrollment_status_change_enrollment_id_foreign" foreign key ("enrollment_id") references "methadone_enrollment" ("id") on delete cascade;`);
    this.addSql(`alter table "enrollment_status_change" add constraint "enrollment_status_change_status_check" check ("status" in ('ACTIVE', 'SUSPENDED', 'DROPPED_OUT', 'TRANSFERRED', 'COMPLETED', 'DIED', 'ARRESTED'));`);

    this.addSql(`alter table "rehab_episode" add constraint "rehab_episode_facility_id_foreign" foreign key ("facility_id") references "facility" ("id") on delete set null;`);
    this.addSql(`alter table "rehab_episode" add constraint "rehab_episode_form_check" check ("form" in ('VOLUNTARY_HOME_COMMUNITY', 'VOLUNTARY_FACILITY', 'COMPULSORY'));`);
    this.addSql(`alter table "rehab_episode" add constraint "rehab_episode_outcome_check" check ("outcome" in ('COMPLETED', 'ABSCONDED', 'TRANSFERRED', 'OTHER'));`);

    this.addSql(`alter table "urine_test" add constraint "urine_test_enrollment_id_foreign" foreign key ("enrollment_id") references "methadone_enrollment" ("id") on delete set null;`);
    this.addSql(`alter table "urine_test" add constraint "urine_test_facility_id_foreign" foreign key ("facility_id") references "facility" ("id") on delete set null;`);

    this.addSql(`alter table "urine_test_result" add constraint "urine_test_result_test_id_foreign" foreign key ("test_id") references "urine_test" ("id") on delete cascade;`);
    this.addSql(`alter table "urine_test_result" add constraint "urine_test_result_analyte_check" check ("analyte" in ('OPIATES', 'METHAMPHETAMINE', 'MDMA', 'THC'));`);

    // Rows written before this migration: each assessment's substance is its primary one, each
    // enrolment's history starts ACTIVE on its first day, and an enrolment that is no longer ACTIVE
    // took its status the day after its last dose (a month later for a dropout) — estimated, and said so.
    this.addSql(`insert into "assessment_substance" ("assessment_id", "substance_code") select "id", "substance_code" from "addiction_assessment" order by "id";`);
    this.addSql(`insert into "enrollment_status_change" ("enrollment_id", "commune_code", "status", "changed_on", "superseded_on", "reason") select "id", "commune_code", 'ACTIVE', "started_on", null, 'Bắt đầu điều trị' from "methadone_enrollment" order by "id";`);
    this.addSql(`insert into "enrollment_status_change" ("enrollment_id", "commune_code", "status", "changed_on", "superseded_on", "reason") select e."id", e."commune_code", e."status", least(coalesce((select max(d."day") from "dose_record" d where d."enrollment_id" = e."id" and not d."missed"), e."started_on") + case when e."status" = 'DROPPED_OUT' then 31 else 1 end, current_date), null, 'Ngày ước tính từ liều cuối cùng (ghi trước khi có diễn biến trạng thái)' from "methadone_enrollment" e where e."status" <> 'ACTIVE' order by e."id";`);
    this.addSql(`update "enrollment_status_change" a set "superseded_on" = c."changed_on" from "enrollment_status_change" c where a."status" = 'ACTIVE' and c."enrollment_id" = a."enrollment_id" and c."status" <> 'ACTIVE';`);
    this.addSql(`update "dose_record" set "missed_reason" = 'UNKNOWN' where "missed";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "urine_test_result" drop constraint "urine_test_result_test_id_foreign";`);

    this.addSql(`drop table if exists "counselling" cascade;`);
    this.addSql(`drop table if exists "assessment_substance" cascade;`);
    this.addSql(`drop table if exists "enrollment_status_change" cascade;`);
    this.addSql(`drop table if exists "rehab_episode" cascade;`);
    this.addSql(`drop table if exists "urine_test" cascade;`);
    this.addSql(`drop table if exists "urine_test_result" cascade;`);

    this.addSql(`drop index "addiction_assessment_commune_result";`);
    this.addSql(`drop index "addiction_assessment_facility_assessed";`);

    this.addSql(`alter table "dose_record" drop constraint "dose_record_missed_reason_check";`);
    this.addSql(`alter table "dose_record" drop column "missed_reason";`);

    this.addSql(`drop index "facility_kind_commune";`);
    this.addSql(`alter table "facility" drop constraint "facility_kind_check";`);
    this.addSql(`alter table "facility" drop column "opened_on";`);
    this.addSql(`alter table "facility" add constraint "facility_kind_check" check ("kind" in ('METHADONE_CLINIC', 'DISPENSING_POINT', 'COMMUNE_HEALTH_STATION', 'PUBLIC_REHAB', 'PRIVATE_REHAB'));`);

    this.addSql(`drop index "methadone_enrollment_clinic_status";`);
  }

}
