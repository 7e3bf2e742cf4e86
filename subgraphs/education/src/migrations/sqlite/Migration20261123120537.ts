import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120537 extends Migration {

  override name = 'Migration20261123120537';

  override up(): void | Promise<void> {
    this.addSql(`create table \`campaign\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`organiser\` text not null, \`channel\` text check (\`channel\` in ('SCHOOL', 'COMMUNITY', 'MASS_MEDIA', 'SOCIAL_MEDIA', 'WORKPLACE')) not null, \`target_group\` text check (\`target_group\` in ('STUDENTS', 'YOUTH', 'WORKERS', 'GENERAL_PUBLIC', 'HIGH_RISK')) not null, \`starts_on\` date not null, \`ends_on\` date not null, \`action_month\` integer not null);`);
    this.addSql(`create index \`campaign_starts_on_index\` on \`campaign\` (\`starts_on\`);`);

    this.addSql(`create table \`school\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`level\` text check (\`level\` in ('PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'VOCATIONAL', 'COLLEGE')) not null, \`commune_code\` text not null, \`students\` integer not null);`);
    this.addSql(`create index \`school_commune_code_index\` on \`school\` (\`commune_code\`);`);

    this.addSql(`create table \`awareness_activity\` (\`id\` integer not null primary key autoincrement, \`campaign_id\` integer not null, \`title\` text not null, \`held_on\` date not null, \`commune_code\` text not null, \`school_id\` integer null, \`participants\` integer not null, constraint \`awareness_activity_campaign_id_foreign\` foreign key (\`campaign_id\`) references \`campaign\` (\`id\`) on delete cascade, constraint \`awareness_activity_school_id_foreign\` foreign key (\`school_id\`) references \`school\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`awareness_activity_campaign_id_index\` on \`awareness_activity\` (\`campaign_id\`);`);
    this.addSql(`create index \`awareness_activity_held_on_index\` on \`awareness_activity\` (\`held_on\`);`);
    this.addSql(`create index \`awareness_activity_commune_code_index\` on \`awareness_activity\` (\`commune_code\`);`);
    this.addSql(`create index \`awareness_activity_school_id_index\` on \`awareness_activity\` (\`school_id\`);`);
    this.addSql(`create index \`awareness_activity_school_held_on_index\` on \`awareness_activity\` (\`school_id\`, \`held_on\`);`);
    this.addSql(`create index \`awareness_activity_campaign_held_on_index\` on \`awareness_activity\` (\`campaign_id\`, \`held_on\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`campaign\`;`);
    this.addSql(`drop table if exists \`school\`;`);
    this.addSql(`drop table if exists \`awareness_activity\`;`);
  }

}
