import { Migration } from '@mikro-orm/migrations';

export class Migration20261123122546_reference_and_idempotency extends Migration {

  override name = 'Migration20261123122546_reference_and_idempotency';

  override up(): void | Promise<void> {
    this.addSql(`create table \`idempotent_write\` (\`key\` text not null primary key, \`operation\` text not null, \`request_hash\` text not null, \`entity\` text not null, \`result_id\` text not null, \`created_at\` datetime not null);`);

    this.addSql(`create table \`known_commune\` (\`code\` text not null primary key, \`name\` text not null, \`province_code\` text not null);`);
    this.addSql(`create index \`known_commune_province_code_index\` on \`known_commune\` (\`province_code\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`idempotent_write\`;`);
    this.addSql(`drop table if exists \`known_commune\`;`);
  }

}
