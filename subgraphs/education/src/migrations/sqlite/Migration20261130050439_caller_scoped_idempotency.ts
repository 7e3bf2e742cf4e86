import { Migration } from '@mikro-orm/migrations';

// SQLite cannot change a primary key in place: the table is rebuilt. Keys written before keep the
// empty caller, so no caller's retry matches them.
export class Migration20261130050439_caller_scoped_idempotency extends Migration {

  override name = 'Migration20261130050439_caller_scoped_idempotency';

  override up(): void | Promise<void> {
    this.addSql(`create table \`idempotent_write__new\` (\`caller\` text not null default '', \`key\` text not null, \`operation\` text not null, \`request_hash\` text not null, \`entity\` text not null, \`result_id\` text not null, \`created_at\` datetime not null, primary key (\`caller\`, \`key\`));`);
    this.addSql(`insert into \`idempotent_write__new\` (\`caller\`, \`key\`, \`operation\`, \`request_hash\`, \`entity\`, \`result_id\`, \`created_at\`) select '', \`key\`, \`operation\`, \`request_hash\`, \`entity\`, \`result_id\`, \`created_at\` from \`idempotent_write\`;`);
    this.addSql(`drop table \`idempotent_write\`;`);
    this.addSql(`alter table \`idempotent_write__new\` rename to \`idempotent_write\`;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create table \`idempotent_write__old\` (\`key\` text not null primary key, \`operation\` text not null, \`request_hash\` text not null, \`entity\` text not null, \`result_id\` text not null, \`created_at\` datetime not null);`);
    this.addSql(`insert or ignore into \`idempotent_write__old\` (\`key\`, \`operation\`, \`request_hash\`, \`entity\`, \`result_id\`, \`created_at\`) select \`key\`, \`operation\`, \`request_hash\`, \`entity\`, \`result_id\`, \`created_at\` from \`idempotent_write\` order by \`caller\`;`);
    this.addSql(`drop table \`idempotent_write\`;`);
    this.addSql(`alter table \`idempotent_write__old\` rename to \`idempotent_write\`;`);
  }

}
