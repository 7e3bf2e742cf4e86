import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120753 extends Migration {

  override name = 'Migration20261123120753';

  override up(): void | Promise<void> {
    this.addSql(`create table "facility" ("id" serial primary key, "name" varchar(255) not null, "kind" text not null, "commune_code" varchar(5) not null, "can_assess_addiction" boolean not null);`);
    this.addSql(`create index "facility_commune_code_index" on "facility" ("commune_code");`);

    this.addSql(`create table "addiction_assessment" ("id" serial primary key, "citizen_id" varchar(12) not null, "commune_code" varchar(5) not null, "facility_id" int not null, "assessed_on" date not null, "result" text not null, "severity" text null, "substance_code" varchar(16) not null);`);
    this.addSql(`create index "addiction_assessment_citizen_id_index" on "addiction_assessment" ("citizen_id");`);
    this.addSql(`create index "addiction_assessment_commune_code_index" on "addiction_assessment" ("commune_code");`);
    this.addSql(`create index "addiction_assessment_assessed_on_index" on "addiction_assessment" ("assessed_on");`);

    this.addSql(`create table "methadone_enrollment" ("id" serial primary key, "citizen_id" varchar(12) not null, "clinic_id" int not null, "commune_code" varchar(5) not null, "started_on" date not null, "status" text not null, "current_dose_mg" int not null);`);
    this.addSql(`create index "methadone_enrollment_citizen_id_index" on "methadone_enrollment" ("citizen_id");`);
    this.addSql(`create index "methadone_enrollment_commune_code_index" on "methadone_enrollment" ("commune_code");`);

    this.addSql(`create table "dose_record" ("id" serial primary key, "enrollment_id" int not null, "day" date not null, "dose_mg" int not null, "observed" boolean not null, "missed" boolean not null);`);
    this.addSql(`alter table "dose_record" add constraint "dose_record_enrollment_id_day_unique" unique ("enrollment_id", "day");`);

    this.addSql(`alter table "facility" add constraint "facility_kind_check" check ("kind" in ('METHADONE_CLINIC', 'DISPENSING_POINT', 'COMMUNE_HEALTH_STATION', 'PUBLIC_REHAB', 'PRIVATE_REHAB'));`);

    this.addSql(`alter table "addiction_assessment" add constraint "addiction_assessment_facility_id_foreign" foreign key ("facility_id") references "facility" ("id");`);
    this.addSql(`alter table "addiction_assessment" add constraint "addiction_assessment_result_check" check ("result" in ('ADDICTED', 'NOT_ADDICTED'));`);
    this.addSql(`alter table "addiction_assessment" add constraint "addiction_assessment_severity_check" check ("severity" in ('MILD', 'MODERATE', 'SEVERE'));`);

    this.addSql(`alter table "methadone_enrollment" add constraint "methadone_enrollment_clinic_id_foreign" foreign key ("clinic_id") references "facility" ("id");`);
    this.addSql(`alter table "methadone_enrollment" add constraint "methadone_enrollment_status_check" check ("status" in ('ACTIVE', 'SUSPENDED', 'DROPPED_OUT', 'TRANSFERRED', 'COMPLETED', 'DIED', 'ARRESTED'));`);

    this.addSql(`alter table "dose_record" add constraint "dose_record_enrollment_id_foreign" foreign key ("enrollment_id") references "methadone_enrollment" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "addiction_assessment" drop constraint "addiction_assessment_facility_id_foreign";`);
    this.addSql(`alter table "methadone_enrollment" drop constraint "methadone_enrollment_clinic_id_foreign";`);
    this.addSql(`alter table "dose_record" drop constraint "dose_record_enrollment_id_foreign";`);

    this.addSql(`drop table if exists "facility" cascade;`);
    this.addSql(`drop table if exists "addiction_assessment" cascade;`);
    this.addSql(`drop table if exists "methadone_enrollment" cascade;`);
    this.addSql(`drop table if exists "dose_record" cascade;`);
  }

}
