import { Migration } from '@mikro-orm/migrations';

export class Migration20261130065305_plans extends Migration {

  override name = 'Migration20261130065305_plans';

  override up(): void | Promise<void> {
    this.addSql(`create table \`plan\` (\`id\` text not null primary key, \`province_code\` text null, \`title\` text not null, \`document_number\` text null, \`document_date\` text null, \`issuer\` text not null, \`source_link\` text null, \`note\` text null, \`recorded_by\` text not null, \`recorded_at\` text not null);`);
    this.addSql(`create index \`plan_province_code_index\` on \`plan\` (\`province_code\`);`);

    this.addSql(`create table \`plan_target\` (\`id\` integer not null primary key autoincrement, \`plan_id\` text not null, \`indicator_id\` text not null, \`comparator\` text not null, \`target\` double not null, \`baseline\` double null, \`baseline_year\` integer null, \`deadline\` text not null, \`seed_line\` text not null, constraint \`plan_target_plan_id_foreign\` foreign key (\`plan_id\`) references \`plan\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`plan_target_plan_id_index\` on \`plan_target\` (\`plan_id\`);`);
    this.addSql(`create unique index \`plan_target_plan_id_indicator_id_unique\` on \`plan_target\` (\`plan_id\`, \`indicator_id\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`plan_target\`;`);
    this.addSql(`drop table if exists \`plan\`;`);
  }

}
