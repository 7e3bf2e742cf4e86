import { Migration } from '@mikro-orm/migrations';

export class Migration20261130050439_caller_scoped_idempotency extends Migration {

  override name = 'Migration20261130050439_caller_scoped_idempotency';

  override up(): void | Promise<void> {
    this.addSql(`alter table "idempotent_write" drop constraint "idempotent_write_pkey";`);
    this.addSql(`alter table "idempotent_write" add "caller" varchar(255) not null default '';`);
    this.addSql(`alter table "idempotent_write" add primary key ("caller", "key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "idempotent_write" drop constraint "idempotent_write_pkey";`);
    this.addSql(`alter table "idempotent_write" drop column "caller";`);
    this.addSql(`alter table "idempotent_write" add primary key ("key");`);
  }

}
