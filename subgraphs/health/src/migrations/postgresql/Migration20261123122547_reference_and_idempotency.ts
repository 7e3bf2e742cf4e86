import { Migration } from '@mikro-orm/migrations';

export class Migration20261123122547_reference_and_idempotency extends Migration {

  override name = 'Migration20261123122547_reference_and_idempotency';

  override up(): void | Promise<void> {
    this.addSql(`create table "idempotent_write" ("key" varchar(160) not null, "operation" varchar(64) not null, "request_hash" varchar(64) not null, "entity" varchar(64) not null, "result_id" varchar(64) not null, "created_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`create table "known_commune" ("code" varchar(5) not null, "name" varchar(255) not null, "province_code" varchar(2) not null, primary key ("code"));`);
    this.addSql(`create index "known_commune_province_code_index" on "known_commune" ("province_code");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "idempotent_write" cascade;`);
    this.addSql(`drop table if exists "known_commune" cascade;`);
  }

}
