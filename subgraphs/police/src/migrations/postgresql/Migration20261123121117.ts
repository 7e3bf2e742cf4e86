import { Migration } from '@mikro-orm/migrations';

export class Migration20261123121117 extends Migration {

  override name = 'Migration20261123121117';

  override up(): void | Promise<void> {
    this.addSql(`create table "drug_case" ("id" varchar(32) not null, "reported_on" date not null, "commune_code" varchar(5) not null, "article" varchar(8) not null, "status" text not null, "route" text not null, primary key ("id"));`);
    this.addSql(`create index "drug_case_reported_on_index" on "drug_case" ("reported_on");`);
    this.addSql(`create index "drug_case_commune_code_index" on "drug_case" ("commune_code");`);

    this.addSql(`create table "hotspot" ("id" serial primary key, "kind" text not null, "place" varchar(255) not null, "commune_code" varchar(5) not null, "detected_on" date not null, "dismantled_on" date null);`);
    this.addSql(`create index "hotspot_commune_code_index" on "hotspot" ("commune_code");`);

    this.addSql(`create table "person" ("citizen_id" varchar(12) not null, "full_name" varchar(255) not null, "sex" text not null, "birth_year" int not null, "commune_code" varchar(5) not null, primary key ("citizen_id"));`);
    this.addSql(`create index "person_commune_code_index" on "person" ("commune_code");`);

    this.addSql(`create table "management_file" ("id" serial primary key, "person_citizen_id" varchar(12) not null, "category" text not null, "commune_code" varchar(5) not null, "opened_on" date not null, "closed_on" date null);`);
    this.addSql(`create index "management_file_commune_code_index" on "management_file" ("commune_code");`);
    this.addSql(`create index "management_file_person_lookup" on "management_file" ("person_citizen_id", "opened_on");`);

    this.addSql(`create table "case_suspect" ("id" serial primary key, "drug_case_id" varchar(32) not null, "person_citizen_id" varchar(12) not null, "role" text not null, "arrested_on" date null);`);
    this.addSql(`create index "case_suspect_person_lookup" on "case_suspect" ("person_citizen_id", "drug_case_id");`);
    this.addSql(`alter table "case_suspect" add constraint "case_suspect_drug_case_id_person_citizen_id_unique" unique ("drug_case_id", "person_citizen_id");`);

    this.addSql(`alter table "drug_case" add constraint "drug_case_status_check" check ("status" in ('REPORTED', 'INVESTIGATING', 'PROSECUTED', 'TRIED', 'CLOSED'));`);
    this.addSql(`alter table "drug_case" add constraint "drug_case_route_check" check ("route" in ('LAND_BORDER', 'SEA', 'AIR', 'POSTAL_EXPRESS', 'INLAND', 'CYBERSPACE'));`);

    this.addSql(`alter table "hotspot" add constraint "hotspot_kind_check" check ("kind" in ('USE_POINT', 'DEALING_POINT', 'HARBOURING_VENUE'));`);

    this.addSql(`alter table "person" add constraint "person_sex_check" check ("sex" in ('MALE', 'FEMALE'));`);

    this.addSql(`alter table "management_file" add constraint "management_file_person_citizen_id_foreign" foreign key ("person_citizen_id") references "person" ("citizen_id");`);
    this.addSql(`alter table "management_file" add constraint "management_file_category_check" check ("category" in ('ILLEGAL_USER', 'ADDICT', 'POST_REHAB', 'RELEASED_AFTER_SENTENCE'));`);

    this.addSql(`alter table "case_suspect" add constraint "case_suspect_drug_case_id_foreign" foreign key ("drug_case_id") references "drug_case" ("id") on delete cascade;`);
    this.addSql(`alter table "case_suspect" add constraint "case_suspect_person_citizen_id_foreign" foreign key ("person_citizen_id") references "person" ("citizen_id");`);
    this.addSql(`alter table "case_suspect" add constraint "case_suspect_role_check" check ("role" in ('LEADER', 'ACCOMPLICE', 'OFFENDER'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "case_suspect" drop constraint "case_suspect_drug_case_id_foreign";`);
    this.addSql(`alter table "management_file" drop constraint "management_file_person_citizen_id_foreign";`);
    this.addSql(`alter table "case_suspect" drop constraint "case_suspect_person_citizen_id_foreign";`);

    this.addSql(`drop table if exists "drug_case" cascade;`);
    this.addSql(`drop table if exists "hotspot" cascade;`);
    this.addSql(`drop table if exists "person" cascade;`);
    this.addSql(`drop table if exists "management_file" cascade;`);
    this.addSql(`drop table if exists "case_suspect" cascade;`);
  }

}
