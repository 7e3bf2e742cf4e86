import { Migration } from '@mikro-orm/migrations';

export class Migration20261123125117_domain_depth extends Migration {

  override name = 'Migration20261123125117_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table \`enterprise\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`commune_code\` text not null, \`industrial_park\` text null, \`workers\` integer not null);`);
    this.addSql(`create index \`enterprise_commune_park_index\` on \`enterprise\` (\`commune_code\`, \`industrial_park\`);`);

    this.addSql(`create table \`media_outlet\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`kind\` text check (\`kind\` in ('NEWSPAPER', 'RADIO_TELEVISION', 'ONLINE_NEWS', 'MAGAZINE')) not null, \`main\` integer not null, \`province_code\` text not null, \`column_since\` date null, \`column_name\` text null);`);
    this.addSql(`create index \`media_outlet_province_main_index\` on \`media_outlet\` (\`province_code\`, \`main\`);`);

    this.addSql(`alter table \`campaign\` add column \`national_day\` integer not null default false;`);
    this.addSql(`alter table \`campaign\` add column \`social_platform\` text null;`);

    this.addSql(`alter table \`awareness_activity\` add column \`enterprise_id\` integer null constraint \`awareness_activity_enterprise_id_foreign\` references \`enterprise\` (\`id\`) on delete set null;`);
    this.addSql(`create index \`awareness_activity_enterprise_id_index\` on \`awareness_activity\` (\`enterprise_id\`);`);
    this.addSql(`create index \`awareness_activity_enterprise_held_on_index\` on \`awareness_activity\` (\`enterprise_id\`, \`held_on\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`enterprise\`;`);
    this.addSql(`drop table if exists \`media_outlet\`;`);

    this.addSql(`drop index \`awareness_activity_enterprise_id_index\`;`);
    this.addSql(`drop index \`awareness_activity_enterprise_held_on_index\`;`);
    this.addSql(`alter table \`awareness_activity\` drop column \`enterprise_id\`;`);

    this.addSql(`alter table \`campaign\` drop column \`national_day\`;`);
    this.addSql(`alter table \`campaign\` drop column \`social_platform\`;`);
  }

}
