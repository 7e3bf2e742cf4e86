import { Migration } from '@mikro-orm/migrations';

export class Migration20261123124342_indicators extends Migration {

  override name = 'Migration20261123124342_indicators';

  override up(): void | Promise<void> {
    this.addSql(`create table "indicator" ("id" varchar(16) not null, "name_vi" varchar(255) not null, "name_en" varchar(255) not null, "definition" text not null, "unit" varchar(16) not null, "comparator" varchar(8) not null, "target" double precision not null, "baseline" double precision null, "baseline_year" varchar(255) null, "deadline" varchar(10) not null, "source" text not null, "levels" jsonb not null, primary key ("id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "indicator" cascade;`);
  }

}
