import { Migration } from '@mikro-orm/migrations';

export class Migration20261130073511_reporting_completeness extends Migration {

  override name = 'Migration20261130073511_reporting_completeness';

  override up(): void | Promise<void> {
    this.addSql(`create table "reporting_period_closure" ("id" serial primary key, "agency" varchar(32) not null, "commune_code" varchar(5) not null, "period" varchar(7) not null, "closed_by" varchar(255) not null, "closed_at" varchar(24) not null);`);
    this.addSql(`create index "reporting_period_closure_commune_code_period_index" on "reporting_period_closure" ("commune_code", "period");`);
    this.addSql(`alter table "reporting_period_closure" add constraint "reporting_period_closure_agency_commune_code_period_unique" unique ("agency", "commune_code", "period");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "reporting_period_closure" cascade;`);
  }

}
