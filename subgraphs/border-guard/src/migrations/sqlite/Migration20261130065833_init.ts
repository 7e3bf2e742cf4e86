import { Migration } from '@mikro-orm/migrations';

export class Migration20261130065833_init extends Migration {

  override name = 'Migration20261130065833_init';

  override up(): void | Promise<void> {
    this.addSql(`create table \`border_post\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`sector\` text check (\`sector\` in ('LAND', 'SEA')) not null, \`commune_code\` text not null);`);
    this.addSql(`create unique index \`border_post_code_unique\` on \`border_post\` (\`code\`);`);
    this.addSql(`create index \`border_post_commune_code_index\` on \`border_post\` (\`commune_code\`);`);

    this.addSql(`create table \`anti_drug_team\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`kind\` text check (\`kind\` in ('POST_TEAM', 'TASK_FORCE')) not null, \`post_id\` integer null, \`commune_code\` text not null, \`established_on\` date not null, \`equipped_on\` date null, constraint \`anti_drug_team_post_id_foreign\` foreign key (\`post_id\`) references \`border_post\` (\`id\`) on delete set null);`);
    this.addSql(`create unique index \`anti_drug_team_code_unique\` on \`anti_drug_team\` (\`code\`);`);
    this.addSql(`create index \`anti_drug_team_post_id_index\` on \`anti_drug_team\` (\`post_id\`);`);
    this.addSql(`create index \`anti_drug_team_commune_established\` on \`anti_drug_team\` (\`commune_code\`, \`established_on\`);`);

    this.addSql(`create table \`anti_drug_officer\` (\`id\` integer not null primary key autoincrement, \`service_number\` text not null, \`full_name\` text not null, \`rank\` text not null, \`team_id\` integer not null, \`joined_on\` date not null, \`left_on\` date null, \`equipped_on\` date null, constraint \`anti_drug_officer_team_id_foreign\` foreign key (\`team_id\`) references \`anti_drug_team\` (\`id\`) on delete cascade);`);
    this.addSql(`create unique index \`anti_drug_officer_service_number_unique\` on \`anti_drug_officer\` (\`service_number\`);`);
    this.addSql(`create index \`anti_drug_officer_team_id_index\` on \`anti_drug_officer\` (\`team_id\`);`);

    this.addSql(`create table \`idempotent_write\` (\`caller\` text not null default '', \`key\` text not null, \`operation\` text not null, \`request_hash\` text not null, \`entity\` text not null, \`result_id\` text not null, \`created_at\` datetime not null, primary key (\`caller\`, \`key\`));`);

    this.addSql(`create table \`joint_operation\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`commune_code\` text not null, \`started_on\` date not null, \`ended_on\` date null, \`with_customs\` integer not null, \`with_police\` integer not null, \`drug_case_id\` text null);`);
    this.addSql(`create unique index \`joint_operation_code_unique\` on \`joint_operation\` (\`code\`);`);
    this.addSql(`create index \`joint_operation_commune_started\` on \`joint_operation\` (\`commune_code\`, \`started_on\`);`);

    this.addSql(`create table \`border_guard_seizure\` (\`id\` text not null primary key, \`seized_on\` date not null, \`commune_code\` text not null, \`route\` text check (\`route\` in ('LAND_BORDER', 'SEA')) not null, \`place\` text not null, \`post_id\` integer null, \`team_id\` integer null, \`joint_operation_id\` integer null, \`drug_case_id\` text null, \`handed_over_on\` date null, constraint \`border_guard_seizure_post_id_foreign\` foreign key (\`post_id\`) references \`border_post\` (\`id\`) on delete set null, constraint \`border_guard_seizure_team_id_foreign\` foreign key (\`team_id\`) references \`anti_drug_team\` (\`id\`) on delete set null, constraint \`border_guard_seizure_joint_operation_id_foreign\` foreign key (\`joint_operation_id\`) references \`joint_operation\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`border_guard_seizure_seized_on_index\` on \`border_guard_seizure\` (\`seized_on\`);`);
    this.addSql(`create index \`border_guard_seizure_post_id_index\` on \`border_guard_seizure\` (\`post_id\`);`);
    this.addSql(`create index \`border_guard_seizure_team_id_index\` on \`border_guard_seizure\` (\`team_id\`);`);
    this.addSql(`create index \`border_guard_seizure_joint_operation_id_index\` on \`border_guard_seizure\` (\`joint_operation_id\`);`);
    this.addSql(`create index \`border_guard_seizure_drug_case_id_index\` on \`border_guard_seizure\` (\`drug_case_id\`);`);
    this.addSql(`create index \`border_guard_seizure_commune_seized\` on \`border_guard_seizure\` (\`commune_code\`, \`seized_on\`);`);

    this.addSql(`create table \`border_guard_suspect\` (\`id\` integer not null primary key autoincrement, \`seizure_id\` text not null, \`citizen_id\` text not null, constraint \`border_guard_suspect_seizure_id_foreign\` foreign key (\`seizure_id\`) references \`border_guard_seizure\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`border_guard_suspect_seizure_id_index\` on \`border_guard_suspect\` (\`seizure_id\`);`);
    this.addSql(`create index \`border_guard_suspect_citizen_id_index\` on \`border_guard_suspect\` (\`citizen_id\`);`);
    this.addSql(`create unique index \`border_guard_suspect_seizure_id_citizen_id_unique\` on \`border_guard_suspect\` (\`seizure_id\`, \`citizen_id\`);`);

    this.addSql(`create table \`border_guard_seized_item\` (\`id\` integer not null primary key autoincrement, \`seizure_id\` text not null, \`substance_code\` text not null, \`quantity_kg\` double not null, constraint \`border_guard_seized_item_seizure_id_foreign\` foreign key (\`seizure_id\`) references \`border_guard_seizure\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`border_guard_seized_item_seizure_id_index\` on \`border_guard_seized_item\` (\`seizure_id\`);`);
    this.addSql(`create unique index \`border_guard_seized_item_seizure_substance_unique\` on \`border_guard_seized_item\` (\`seizure_id\`, \`substance_code\`);`);

    this.addSql(`create table \`known_commune\` (\`code\` text not null primary key, \`name\` text not null, \`province_code\` text not null);`);
    this.addSql(`create index \`known_commune_province_code_index\` on \`known_commune\` (\`province_code\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`border_post\`;`);
    this.addSql(`drop table if exists \`anti_drug_team\`;`);
    this.addSql(`drop table if exists \`anti_drug_officer\`;`);
    this.addSql(`drop table if exists \`idempotent_write\`;`);
    this.addSql(`drop table if exists \`joint_operation\`;`);
    this.addSql(`drop table if exists \`border_guard_seizure\`;`);
    this.addSql(`drop table if exists \`border_guard_suspect\`;`);
    this.addSql(`drop table if exists \`border_guard_seized_item\`;`);
    this.addSql(`drop table if exists \`known_commune\`;`);
  }

}
