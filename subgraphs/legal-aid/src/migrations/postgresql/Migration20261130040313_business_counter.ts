import { Migration } from '@mikro-orm/migrations';

export class Migration20261130040313_business_counter extends Migration {

  override name = 'Migration20261130040313_business_counter';

  override up(): void | Promise<void> {
    this.addSql(`create table "business_counter" ("series" varchar(64) not null, "value" int not null, primary key ("series"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "business_counter" cascade;`);
  }

}
