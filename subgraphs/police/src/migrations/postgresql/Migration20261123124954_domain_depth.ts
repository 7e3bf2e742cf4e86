import { Migration } from '@mikro-orm/migrations';

export class Migration20261123124954_domain_depth extends Migration {

  override name = 'Migration20261123124954_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table "commune_drug_situation" ("id" serial primary key, "commune_code" varchar(5) not null, "year" int not null, "classification" text not null);`);
    this.addSql(`create index "commune_drug_situation_year_class" on "commune_drug_situation" ("year", "classification");`);
    this.addSql(`alter table "commune_drug_situation" add constraint "commune_drug_situation_commune_year_unique" unique ("commune_code", "year");`);

    this.addSql(`create table "cultivation_site" ("id" serial primary key, "commune_code" varchar(5) not null, "plant" text not null, "area_m2" double precision not null, "detected_on" date not null, "destroyed_on" date null);`);
    this.addSql(`create index "cultivation_site_commune_destroyed" on "cultivation_site" ("commune_code", "destroyed_on");`);
    this.addSql(`create index "cultivation_site_commune_detected" on "cultivation_site" ("commune_code", "detected_on");`);

    this.addSql(`create table "case_seized_item" ("id" serial primary key, "drug_case_id" varchar(32) not null, "commune_code" varchar(5) not null, "reported_on" date not null, "substance_code" varchar(16) not null, "quantity" double precision not null, "unit" text not null, "kg_equivalent" double precision not null);`);
    this.addSql(`create index "case_seized_item_commune_reported" on "case_seized_item" ("commune_code", "reported_on");`);
    this.addSql(`create index "case_seized_item_case_substance" on "case_seized_item" ("drug_case_id", "substance_code");`);

    this.addSql(`create table "retail_dealer" ("id" serial primary key, "person_citizen_id" varchar(12) not null, "commune_code" varchar(5) not null, "detected_on" date not null, "dealt_with_on" date null, "status" text not null);`);
    this.addSql(`create index "retail_dealer_commune_dealt" on "retail_dealer" ("commune_code", "dealt_with_on");`);
    this.addSql(`create index "retail_dealer_commune_detected" on "retail_dealer" ("commune_code", "detected_on");`);
    this.addSql(`create index "retail_dealer_person_lookup" on "retail_dealer" ("person_citizen_id", "detected_on");`);

    this.addSql(`create table "wanted_person" ("id" serial primary key, "person_citizen_id" varchar(12) not null, "drug_case_id" varchar(32) null, "wanted_since" date not null, "caught_on" date null);`);
    this.addSql(`create index "wanted_person_case_lookup" on "wanted_person" ("drug_case_id");`);
    this.addSql(`create index "wanted_person_person_lookup" on "wanted_person" ("person_citizen_id", "wanted_since");`);

    this.addSql(`alter table "drug_case" add "transnational" boolean not null default false, add "organised" boolean not null default false, add "cyberspace" boolean not null default false, add "assets_recovered_vnd" double precision null;`);
    this.addSql(`create index "drug_case_commune_reported" on "drug_case" ("commune_code", "reported_on");`);

    this.addSql(`alter table "hotspot" add "venue_type" text not null default 'OTHER', add "recurred_on" date null, add "recurrence_count" int not null default 0;`);
    this.addSql(`create index "hotspot_commune_dismantled" on "hotspot" ("commune_code", "dismantled_on");`);
    this.addSql(`create index "hotspot_commune_detected" on "hotspot" ("commune_code", "detected_on");`);
    this.addSql(`alter table "hotspot" add constraint "hotspot_venue_type_check" check ("venue_type" in ('KARAOKE', 'BAR', 'HOTEL_GUESTHOUSE', 'PRIVATE_HOUSE', 'PUBLIC_PLACE', 'OTHER'));`);

    this.addSql(`alter table "management_file" add "psychosis_risk" boolean not null default false;`);
    this.addSql(`create index "management_file_commune_opened" on "management_file" ("commune_code", "opened_on");`);

    this.addSql(`alter table "commune_drug_situation" add constraint "commune_drug_situation_classification_check" check ("classification" in ('DRUG_FREE', 'HAS_DRUG_PROBLEMS', 'KEY_HOTSPOT'));`);

    this.addSql(`alter table "cultivation_site" add constraint "cultivation_site_plant_check" check ("plant" in ('OPIUM_POPPY', 'CANNABIS', 'OTHER'));`);

    this.addSql(`alter table "case_seized_item" add constraint "case_seized_item_drug_case_id_foreign" foreign key ("drug_case_id") references "drug_case" ("id") on delete cascade;`);
    this.addSql(`alter table "case_seized_item" add constraint "case_seized_item_unit_check" check ("unit" in ('GRAM', 'KILOGRAM', 'TABLET', 'MILLILITRE', 'PLANT'));`);

    this.addSql(`alter table "retail_dealer" add constraint "retail_dealer_person_citizen_id_foreign" foreign key ("person_citizen_id") references "person" ("citizen_id");`);
    this.addSql(`alter table "retail_dealer" add constraint "retail_dealer_status_check" check ("status" in ('ACTIVE', 'ARRESTED', 'ADMINISTRATIVELY_SANCTIONED', 'CEASED'));`);

    this.addSql(`alter table "wanted_person" add constraint "wanted_person_person_citizen_id_foreign" foreign key ("person_citizen_id") references "person" ("citizen_id");`);
    this.addSql(`alter table "wanted_person" add constraint "wanted_person_drug_case_id_foreign" foreign key ("drug_case_id") references "drug_case" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "commune_drug_situation" cascade;`);
    this.addSql(`drop table if exists "cultivation_site" cascade;`);
    this.addSql(`drop table if exists "case_seized_item" cascade;`);
    this.addSql(`drop table if exists "retail_dealer" cascade;`);
    this.addSql(`drop table if exists "wanted_person" cascade;`);

    this.addSql(`drop index "drug_case_commune_reported";`);
    this.addSql(`alter table "drug_case" drop column "transnational", drop column "organised", drop column "cyberspace", drop column "assets_recovered_vnd";`);

    this.addSql(`drop index "hotspot_commune_dismantled";`);
    this.addSql(`drop index "hotspot_commune_detected";`);
    this.addSql(`alter table "hotspot" drop constraint "hotspot_venue_type_check";`);
    this.addSql(`alter table "hotspot" drop column "venue_type", drop column "recurred_on", drop column "recurrence_count";`);

    this.addSql(`drop index "management_file_commune_opened";`);
    this.addSql(`alter table "management_file" drop column "psychosis_risk";`);
  }

}
