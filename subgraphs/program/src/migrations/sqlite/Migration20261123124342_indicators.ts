import { Migration } from '@mikro-orm/migrations';

export class Migration20261123124342_indicators extends Migration {

  override name = 'Migration20261123124342_indicators';

  override up(): void | Promise<void> {
    this.addSql(`create table \`indicator\` (\`id\` text not null primary key, \`name_vi\` text not null, \`name_en\` text not null, \`definition\` text not null, \`unit\` text not null, \`comparator\` text not null, \`target\` double not null, \`baseline\` double null, \`baseline_year\` text null, \`deadline\` text not null, \`source\` text not null, \`levels\` json not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`indicator\`;`);
  }

}
