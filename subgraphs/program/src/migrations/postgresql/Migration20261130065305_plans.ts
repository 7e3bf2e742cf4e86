import { Migration } from '@mikro-orm/migrations';

export class Migration20261130065305_plans extends Migration {

  override name = 'Migration20261130065305_plans';

  override up(): void | Promise<void> {
    this.addSql(`create table "plan" ("id" varchar(40) not null, "province_code" varchar(2) null, "title" text not null, "document_number" varchar(40) null, "document_date" varchar(10) null, "issuer" varchar(255) not null, "source_link" varchar(255) null, "note" text null, "recorded_by" varchar(255) not null, "recorded_at" varchar(24) not null, primary key ("id"));`);
    this.addSql(`create index "plan_province_code_index" on "plan" ("province_code");`);

    this.addSql(`create table "plan_target" ("id" serial primary key, "plan_id" varchar(40) not null, "indicator_id" varchar(16) not null, "comparator" varchar(12) not null, "target" double precision not null, "baseline" double precision null, "baseline_year" int null, "deadline" varchar(10) not null, "seed_line" text not null);`);
    this.addSql(`alter table "plan_target" add constraint "plan_target_plan_id_indicator_id_unique" unique ("plan_id", "indicator_id");`);

    this.addSql(`alter table "plan_target" add constraint "plan_target_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "plan_target" drop constraint "plan_target_plan_id_foreign";`);

    this.addSql(`drop table if exists "plan_target" cascade;`);
    this.addSql(`drop table if exists "plan" cascade;`);
  }

}
