import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120705 extends Migration {

  override name = 'Migration20261123120705';

  override up(): void | Promise<void> {
    this.addSql(`create table "province" ("code" varchar(2) not null, "name" varchar(255) not null, primary key ("code"));`);

    this.addSql(`create table "commune" ("code" varchar(5) not null, "name" varchar(255) not null, "kind" text not null, "province_code" varchar(2) not null, "population" int not null, "border" boolean not null, primary key ("code"));`);
    this.addSql(`create index "commune_province_code_code_index" on "commune" ("province_code", "code");`);

    this.addSql(`create table "substance" ("code" varchar(32) not null, "name" varchar(255) not null, "name_vi" varchar(255) not null, "group" text not null, "precursor" boolean not null, primary key ("code"));`);

    this.addSql(`alter table "commune" add constraint "commune_province_code_foreign" foreign key ("province_code") references "province" ("code");`);
    this.addSql(`alter table "commune" add constraint "commune_kind_check" check ("kind" in ('COMMUNE', 'WARD', 'SPECIAL_ZONE'));`);

    this.addSql(`alter table "substance" add constraint "substance_group_check" check ("group" in ('OPIOID', 'STIMULANT', 'HALLUCINOGEN', 'DISSOCIATIVE', 'CANNABINOID', 'NEW_PSYCHOACTIVE', 'INHALANT', 'PRECURSOR'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "commune" drop constraint "commune_province_code_foreign";`);

    this.addSql(`drop table if exists "province" cascade;`);
    this.addSql(`drop table if exists "commune" cascade;`);
    this.addSql(`drop table if exists "substance" cascade;`);
  }

}
