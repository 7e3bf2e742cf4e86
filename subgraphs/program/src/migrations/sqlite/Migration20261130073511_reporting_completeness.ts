import { Migration } from '@mikro-orm/migrations';

export class Migration20261130073511_reporting_completeness extends Migration {

  override name = 'Migration20261130073511_reporting_completeness';

  override up(): void | Promise<void> {
    this.addSql(`create table \`reporting_period_closure\` (\`id\` integer not null primary key autoincrement, \`agency\` text not null, \`commune_code\` text not null, \`period\` text not null, \`closed_by\` text not null, \`closed_at\` text not null);`);
    this.addSql(`create index \`reporting_period_closure_commune_code_period_index\` on \`reporting_period_closure\` (\`commune_code\`, \`period\`);`);
    this.addSql(`create unique index \`reporting_period_closure_agency_commune_code_period_unique\` on \`reporting_period_closure\` (\`agency\`, \`commune_code\`, \`period\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`reporting_period_closure\`;`);
  }

}
