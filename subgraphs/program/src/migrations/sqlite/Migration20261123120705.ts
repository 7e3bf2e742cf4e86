import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120705 extends Migration {

  override name = 'Migration20261123120705';

  override up(): void | Promise<void> {
    this.addSql(`create table \`province\` (\`code\` text not null primary key, \`name\` text not null);`);

    this.addSql(`create table \`commune\` (\`code\` text not null primary key, \`name\` text not null, \`kind\` text check (\`kind\` in ('COMMUNE', 'WARD', 'SPECIAL_ZONE')) not null, \`province_code\` text not null, \`population\` integer not null, \`border\` integer not null, constraint \`commune_province_code_foreign\` foreign key (\`province_code\`) references \`province\` (\`code\`));`);
    this.addSql(`create index \`commune_province_code_index\` on \`commune\` (\`province_code\`);`);
    this.addSql(`create index \`commune_province_code_code_index\` on \`commune\` (\`province_code\`, \`code\`);`);

    this.addSql(`create table \`substance\` (\`code\` text not null primary key, \`name\` text not null, \`name_vi\` text not null, \`group\` text check (\`group\` in ('OPIOID', 'STIMULANT', 'HALLUCINOGEN', 'DISSOCIATIVE', 'CANNABINOID', 'NEW_PSYCHOACTIVE', 'INHALANT', 'PRECURSOR')) not null, \`precursor\` integer not null);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`province\`;`);
    this.addSql(`drop table if exists \`commune\`;`);
    this.addSql(`drop table if exists \`substance\`;`);
  }

}
