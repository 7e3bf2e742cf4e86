import { Migration } from '@mikro-orm/migrations';

export class Migration20261123125117_domain_depth extends Migration {

  override name = 'Migration20261123125117_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table "enterprise" ("id" serial primary key, "name" varchar(255) not null, "commune_code" varchar(5) not null, "industrial_park" varchar(128) null, "workers" int not null);`);
    this.addSql(`create index "enterprise_commune_park_index" on "enterprise" ("commune_code", "industrial_park");`);

    this.addSql(`create table "media_outlet" ("id" serial primary key, "name" varchar(255) not null, "kind" text not null, "main" boolean not null, "province_code" varchar(2) not null, "column_since" date null, "column_name" varchar(255) null);`);
    this.addSql(`create index "media_outlet_province_main_index" on "media_outlet" ("province_code", "main");`);

    this.addSql(`alter table "campaign" add "national_day" boolean not null default false, add "social_platform" varchar(16) null;`);

    this.addSql(`alter table "awareness_activity" add "enterprise_id" int null;`);
    this.addSql(`alter table "awareness_activity" add constraint "awareness_activity_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on delete set null;`);
    this.addSql(`create index "awareness_activity_enterprise_held_on_index" on "awareness_activity" ("enterprise_id", "held_on");`);

    this.addSql(`alter table "media_outlet" add constraint "media_outlet_kind_check" check ("kind" in ('NEWSPAPER', 'RADIO_TELEVISION', 'ONLINE_NEWS', 'MAGAZINE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "awareness_activity" drop constraint "awareness_activity_enterprise_id_foreign";`);

    this.addSql(`drop table if exists "enterprise" cascade;`);
    this.addSql(`drop table if exists "media_outlet" cascade;`);

    this.addSql(`drop index "awareness_activity_enterprise_held_on_index";`);
    this.addSql(`alter table "awareness_activity" drop column "enterprise_id";`);

    this.addSql(`alter table "campaign" drop column "national_day", drop column "social_platform";`);
  }

}
