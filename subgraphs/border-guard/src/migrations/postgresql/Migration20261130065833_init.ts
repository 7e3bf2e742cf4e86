import { Migration } from '@mikro-orm/migrations';

export class Migration20261130065833_init extends Migration {

  override name = 'Migration20261130065833_init';

  override up(): void | Promise<void> {
    this.addSql(`create table "border_post" ("id" serial primary key, "code" varchar(16) not null, "name" varchar(255) not null, "sector" text not null, "commune_code" varchar(5) not null);`);
    this.addSql(`alter table "border_post" add constraint "border_post_code_unique" unique ("code");`);
    this.addSql(`create index "border_post_commune_code_index" on "border_post" ("commune_code");`);

    this.addSql(`create table "anti_drug_team" ("id" serial primary key, "code" varchar(16) not null, "name" varchar(255) not null, "kind" text not null, "post_id" int null, "commune_code" varchar(5) not null, "established_on" date not null, "equipped_on" date null);`);
    this.addSql(`alter table "anti_drug_team" add constraint "anti_drug_team_code_unique" unique ("code");`);
    this.addSql(`create index "anti_drug_team_commune_established" on "anti_drug_team" ("commune_code", "established_on");`);

    this.addSql(`create table "anti_drug_officer" ("id" serial primary key, "service_number" varchar(16) not null, "full_name" varchar(255) not null, "rank" varchar(32) not null, "team_id" int not null, "joined_on" date not null, "left_on" date null, "equipped_on" date null);`);
    this.addSql(`alter table "anti_drug_officer" add constraint "anti_drug_officer_service_number_unique" unique ("service_number");`);

    this.addSql(`create table "idempotent_write" ("caller" varchar(255) not null default '', "key" varchar(160) not null, "operation" varchar(64) not null, "request_hash" varchar(64) not null, "entity" varchar(64) not null, "result_id" varchar(64) not null, "created_at" timestamptz not null, primary key ("caller", "key"));`);

    this.addSql(`create table "joint_operation" ("id" serial primary key, "code" varchar(16) not null, "name" varchar(255) not null, "commune_code" varchar(5) not null, "started_on" date not null, "ended_on" date null, "with_customs" boolean not null, "with_police" boolean not null, "drug_case_id" varchar(32) null);`);
    this.addSql(`alter table "joint_operation" add constraint "joint_operation_code_unique" unique ("code");`);
    this.addSql(`create index "joint_operation_commune_started" on "joint_operation" ("commune_code", "started_on");`);

    this.addSql(`create table "border_guard_seizure" ("id" varchar(32) not null, "seized_on" date not null, "commune_code" varchar(5) not null, "route" text not null, "place" varchar(255) not null, "post_id" int null, "team_id" int null, "joint_operation_id" int null, "drug_case_id" varchar(32) null, "handed_over_on" date null, primary key ("id"));`);
    this.addSql(`create index "border_guard_seizure_seized_on_index" on "border_guard_seizure" ("seized_on");`);
    this.addSql(`create index "border_guard_seizure_drug_case_id_index" on "border_guard_seizure" ("drug_case_id");`);
    this.addSql(`create index "border_guard_seizure_commune_seized" on "border_guard_seizure" ("commune_code", "seized_on");`);

    this.addSql(`create table "border_guard_suspect" ("id" serial primary key, "seizure_id" varchar(32) not null, "citizen_id" varchar(12) not null);`);
    this.addSql(`create index "border_guard_suspect_citizen_id_index" on "border_guard_suspect" ("citizen_id");`);
    this.addSql(`alter table "border_guard_suspect" add constraint "border_guard_suspect_seizure_id_citizen_id_unique" unique ("seizure_id", "citizen_id");`);

    this.addSql(`create table "border_guard_seized_item" ("id" serial primary key, "seizure_id" varchar(32) not null, "substance_code" varchar(16) not null, "quantity_kg" double precision not null);`);
    this.addSql(`alter table "border_guard_seized_item" add constraint "border_guard_seized_item_seizure_substance_unique" unique ("seizure_id", "substance_code");`);

    this.addSql(`create table "known_commune" ("code" varchar(5) not null, "name" varchar(255) not null, "province_code" varchar(2) not null, primary key ("code"));`);
    this.addSql(`create index "known_commune_province_code_index" on "known_commune" ("province_code");`);

    this.addSql(`alter table "border_post" add constraint "border_post_sector_check" check ("sector" in ('LAND', 'SEA'));`);

    this.addSql(`alter table "anti_drug_team" add constraint "anti_drug_team_post_id_foreign" foreign key ("post_id") references "border_post" ("id") on delete set null;`);
    this.addSql(`alter table "anti_drug_team" add constraint "anti_drug_team_kind_check" check ("kind" in ('POST_TEAM', 'TASK_FORCE'));`);

    this.addSql(`alter table "anti_drug_officer" add constraint "anti_drug_officer_team_id_foreign" foreign key ("team_id") references "anti_drug_team" ("id") on delete cascade;`);

    this.addSql(`alter table "border_guard_seizure" add constraint "border_guard_seizure_post_id_foreign" foreign key ("post_id") references "border_post" ("id") on delete set null;`);
    this.addSql(`alter table "border_guard_seizure" add constraint "border_guard_seizure_team_id_foreign" foreign key ("team_id") references "anti_drug_team" ("id") on delete set null;`);
    this.addSql(`alter table "border_guard_seizure" add constraint "border_guard_seizure_joint_operation_id_foreign" foreign key ("joint_operation_id") references "joint_operation" ("id") on delete set null;`);
    this.addSql(`alter table "border_guard_seizure" add constraint "border_guard_seizure_route_check" check ("route" in ('LAND_BORDER', 'SEA'));`);

    this.addSql(`alter table "border_guard_suspect" add constraint "border_guard_suspect_seizure_id_foreign" foreign key ("seizure_id") references "border_guard_seizure" ("id") on delete cascade;`);

    this.addSql(`alter table "border_guard_seized_item" add constraint "border_guard_seized_item_seizure_id_foreign" foreign key ("seizure_id") references "border_guard_seizure" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "anti_drug_team" drop constraint "anti_drug_team_post_id_foreign";`);
    this.addSql(`alter table "border_guard_seizure" drop constraint "border_guard_seizure_post_id_foreign";`);
    this.addSql(`alter table "anti_drug_officer" drop constraint "anti_drug_officer_team_id_foreign";`);
    this.addSql(`alter table "border_guard_seizure" drop constraint "border_guard_seizure_team_id_foreign";`);
    this.addSql(`alter table "border_guard_seizure" drop constraint "border_guard_seizure_joint_operation_id_foreign";`);
    this.addSql(`alter table "border_guard_suspect" drop constraint "border_guard_suspect_seizure_id_foreign";`);
    this.addSql(`alter table "border_guard_seized_item" drop constraint "border_guard_seized_item_seizure_id_foreign";`);

    this.addSql(`drop table if exists "border_post" cascade;`);
    this.addSql(`drop table if exists "anti_drug_team" cascade;`);
    this.addSql(`drop table if exists "anti_drug_officer" cascade;`);
    this.addSql(`drop table if exists "idempotent_write" cascade;`);
    this.addSql(`drop table if exists "joint_operation" cascade;`);
    this.addSql(`drop table if exists "border_guard_seizure" cascade;`);
    this.addSql(`drop table if exists "border_guard_suspect" cascade;`);
    this.addSql(`drop table if exists "border_guard_seized_item" cascade;`);
    this.addSql(`drop table if exists "known_commune" cascade;`);
  }

}
