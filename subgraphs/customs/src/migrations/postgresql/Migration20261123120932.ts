import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120932 extends Migration {

  override name = 'Migration20261123120932';

  override up(): void | Promise<void> {
    this.addSql(`create table "border_gate" ("id" serial primary key, "code" varchar(16) not null, "name" varchar(255) not null, "kind" text not null, "commune_code" varchar(5) not null);`);
    this.addSql(`alter table "border_gate" add constraint "border_gate_code_unique" unique ("code");`);
    this.addSql(`create index "border_gate_commune_code_index" on "border_gate" ("commune_code");`);

    this.addSql(`create table "seizure" ("id" varchar(32) not null, "seized_on" date not null, "commune_code" varchar(5) not null, "agency" text not null, "gate_id" int null, "route" text not null, "concealment" varchar(255) not null, "origin_country" varchar(2) not null, "drug_case_id" varchar(32) null, primary key ("id"));`);
    this.addSql(`create index "seizure_seized_on_index" on "seizure" ("seized_on");`);
    this.addSql(`create index "seizure_commune_code_index" on "seizure" ("commune_code");`);
    this.addSql(`create index "seizure_drug_case_id_index" on "seizure" ("drug_case_id");`);

    this.addSql(`create table "seized_item" ("id" serial primary key, "seizure_id" varchar(32) not null, "substance_code" varchar(16) not null, "quantity" double precision not null, "unit" text not null, "kg_equivalent" double precision not null);`);
    this.addSql(`create index "seized_item_substance_code_index" on "seized_item" ("substance_code");`);
    this.addSql(`create index "seized_item_seizure_substance_index" on "seized_item" ("seizure_id", "substance_code");`);

    this.addSql(`create table "seizure_suspect" ("id" serial primary key, "seizure_id" varchar(32) not null, "citizen_id" varchar(12) not null);`);
    this.addSql(`create index "seizure_suspect_citizen_id_index" on "seizure_suspect" ("citizen_id");`);
    this.addSql(`alter table "seizure_suspect" add constraint "seizure_suspect_seizure_id_citizen_id_unique" unique ("seizure_id", "citizen_id");`);

    this.addSql(`alter table "border_gate" add constraint "border_gate_kind_check" check ("kind" in ('LAND_GATE', 'SEAPORT', 'AIRPORT', 'POSTAL_HUB', 'TRAIL'));`);

    this.addSql(`alter table "seizure" add constraint "seizure_gate_id_foreign" foreign key ("gate_id") references "border_gate" ("id") on delete set null;`);
    this.addSql(`alter table "seizure" add constraint "seizure_agency_check" check ("agency" in ('CUSTOMS', 'BORDER_GUARD', 'COAST_GUARD'));`);
    this.addSql(`alter table "seizure" add constraint "seizure_route_check" check ("route" in ('LAND_BORDER', 'SEA', 'AIR', 'POSTAL_EXPRESS'));`);

    this.addSql(`alter table "seized_item" add constraint "seized_item_seizure_id_foreign" foreign key ("seizure_id") references "seizure" ("id") on delete cascade;`);
    this.addSql(`alter table "seized_item" add constraint "seized_item_unit_check" check ("unit" in ('GRAM', 'KILOGRAM', 'TABLET', 'MILLILITRE'));`);

    this.addSql(`alter table "seizure_suspect" add constraint "seizure_suspect_seizure_id_foreign" foreign key ("seizure_id") references "seizure" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "seizure" drop constraint "seizure_gate_id_foreign";`);
    this.addSql(`alter table "seized_item" drop constraint "seized_item_seizure_id_foreign";`);
    this.addSql(`alter table "seizure_suspect" drop constraint "seizure_suspect_seizure_id_foreign";`);

    this.addSql(`drop table if exists "border_gate" cascade;`);
    this.addSql(`drop table if exists "seizure" cascade;`);
    this.addSql(`drop table if exists "seized_item" cascade;`);
    this.addSql(`drop table if exists "seizure_suspect" cascade;`);
  }

}
