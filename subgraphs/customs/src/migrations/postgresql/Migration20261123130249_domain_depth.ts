import { Migration } from '@mikro-orm/migrations';

export class Migration20261123130249_domain_depth extends Migration {

  override name = 'Migration20261123130249_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table "precursor_licence" ("id" serial primary key, "licence_no" varchar(32) not null, "company" varchar(255) not null, "direction" text not null, "substance_code" varchar(16) not null, "quantity_kg" double precision not null, "valid_from" date not null, "valid_to" date not null);`);
    this.addSql(`alter table "precursor_licence" add constraint "precursor_licence_licence_no_unique" unique ("licence_no");`);
    this.addSql(`create index "precursor_licence_substance_valid" on "precursor_licence" ("substance_code", "valid_to");`);

    this.addSql(`create table "precursor_violation" ("id" serial primary key, "licence_id" int null, "company" varchar(255) not null, "substance_code" varchar(16) not null, "quantity_kg" double precision not null, "detected_on" date not null, "commune_code" varchar(5) not null, "kind" text not null);`);
    this.addSql(`create index "precursor_violation_licence_detected" on "precursor_violation" ("licence_id", "detected_on");`);
    this.addSql(`create index "precursor_violation_commune_detected" on "precursor_violation" ("commune_code", "detected_on");`);

    this.addSql(`alter table "seizure" add "transit_country" varchar(2) null, add "destination_country" varchar(2) not null default 'VN', add "conveyance" text null, add "handed_over_on" date null;`);
    this.addSql(`create index "seizure_gate_seized" on "seizure" ("gate_id", "seized_on");`);
    this.addSql(`create index "seizure_commune_seized" on "seizure" ("commune_code", "seized_on");`);
    this.addSql(`alter table "seizure" add constraint "seizure_conveyance_check" check ("conveyance" in ('ON_FOOT', 'MOTORBIKE', 'CAR', 'TRUCK', 'BOAT', 'AIRCRAFT', 'PARCEL'));`);

    this.addSql(`alter table "seized_item" add constraint "seized_item_seizure_substance_unit_unique" unique ("seizure_id", "substance_code", "unit");`);

    this.addSql(`alter table "precursor_licence" add constraint "precursor_licence_direction_check" check ("direction" in ('IMPORT', 'EXPORT'));`);

    this.addSql(`alter table "precursor_violation" add constraint "precursor_violation_licence_id_foreign" foreign key ("licence_id") references "precursor_licence" ("id") on delete set null;`);
    this.addSql(`alter table "precursor_violation" add constraint "precursor_violation_kind_check" check ("kind" in ('NO_LICENCE', 'EXCEEDS_LICENCE', 'FALSE_DECLARATION', 'EXPIRED_LICENCE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "precursor_violation" drop constraint "precursor_violation_licence_id_foreign";`);

    this.addSql(`drop table if exists "precursor_licence" cascade;`);
    this.addSql(`drop table if exists "precursor_violation" cascade;`);

    this.addSql(`alter table "seized_item" drop constraint "seized_item_seizure_substance_unit_unique";`);

    this.addSql(`drop index "seizure_gate_seized";`);
    this.addSql(`drop index "seizure_commune_seized";`);
    this.addSql(`alter table "seizure" drop constraint "seizure_conveyance_check";`);
    this.addSql(`alter table "seizure" drop column "transit_country", drop column "destination_country", drop column "conveyance", drop column "handed_over_on";`);
  }

}
