import { Migration } from '@mikro-orm/migrations';

export class Migration20261123121116 extends Migration {

  override name = 'Migration20261123121116';

  override up(): void | Promise<void> {
    this.addSql(`create table \`drug_case\` (\`id\` text not null primary key, \`reported_on\` date not null, \`commune_code\` text not null, \`article\` text not null, \`status\` text check (\`status\` in ('REPORTED', 'INVESTIGATING', 'PROSECUTED', 'TRIED', 'CLOSED')) not null, \`route\` text check (\`route\` in ('LAND_BORDER', 'SEA', 'AIR', 'POSTAL_EXPRESS', 'INLAND', 'CYBERSPACE')) not null);`);
    this.addSql(`create index \`drug_case_reported_on_index\` on \`drug_case\` (\`reported_on\`);`);
    this.addSql(`create index \`drug_case_commune_code_index\` on \`drug_case\` (\`commune_code\`);`);

    this.addSql(`create table \`hotspot\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('USE_POINT', 'DEALING_POINT', 'HARBOURING_VENUE')) not null, \`place\` text not null, \`commune_code\` text not null, \`detected_on\` date not null, \`dismantled_on\` date null);`);
    this.addSql(`create index \`hotspot_commune_code_index\` on \`hotspot\` (\`commune_code\`);`);

    this.addSql(`create table \`person\` (\`citizen_id\` text not null primary key, \`full_name\` text not null, \`sex\` text check (\`sex\` in ('MALE', 'FEMALE')) not null, \`birth_year\` integer not null, \`commune_code\` text not null);`);
    this.addSql(`create index \`person_commune_code_index\` on \`person\` (\`commune_code\`);`);

    this.addSql(`create table \`management_file\` (\`id\` integer not null primary key autoincrement, \`person_citizen_id\` text not null, \`category\` text check (\`category\` in ('ILLEGAL_USER', 'ADDICT', 'POST_REHAB', 'RELEASED_AFTER_SENTENCE')) not null, \`commune_code\` text not null, \`opened_on\` date not null, \`closed_on\` date null, constraint \`management_file_person_citizen_id_foreign\` foreign key (\`person_citizen_id\`) references \`person\` (\`citizen_id\`));`);
    this.addSql(`create index \`management_file_person_citizen_id_index\` on \`management_file\` (\`person_citizen_id\`);`);
    this.addSql(`create index \`management_file_commune_code_index\` on \`management_file\` (\`commune_code\`);`);
    this.addSql(`create index \`management_file_person_lookup\` on \`management_file\` (\`person_citizen_id\`, \`opened_on\`);`);

    this.addSql(`create table \`case_suspect\` (\`id\` integer not null primary key autoincrement, \`drug_case_id\` text not null, \`person_citizen_id\` text not null, \`role\` text check (\`role\` in ('LEADER', 'ACCOMPLICE', 'OFFENDER')) not null, \`arrested_on\` date null, constraint \`case_suspect_drug_case_id_foreign\` foreign key (\`drug_case_id\`) references \`drug_case\` (\`id\`) on delete cascade, constraint \`case_suspect_person_citizen_id_foreign\` foreign key (\`person_citizen_id\`) references \`person\` (\`citizen_id\`));`);
    this.addSql(`create index \`case_suspect_drug_case_id_index\` on \`case_suspect\` (\`drug_case_id\`);`);
    this.addSql(`create index \`case_suspect_person_citizen_id_index\` on \`case_suspect\` (\`person_citizen_id\`);`);
    this.addSql(`create index \`case_suspect_person_lookup\` on \`case_suspect\` (\`person_citizen_id\`, \`drug_case_id\`);`);
    this.addSql(`create unique index \`case_suspect_drug_case_id_person_citizen_id_unique\` on \`case_suspect\` (\`drug_case_id\`, \`person_citizen_id\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`drug_case\`;`);
    this.addSql(`drop table if exists \`hotspot\`;`);
    this.addSql(`drop table if exists \`person\`;`);
    this.addSql(`drop table if exists \`management_file\`;`);
    this.addSql(`drop table if exists \`case_suspect\`;`);
  }

}
