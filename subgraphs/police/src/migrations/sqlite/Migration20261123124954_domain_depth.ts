import { Migration } from '@mikro-orm/migrations';

export class Migration20261123124954_domain_depth extends Migration {

  override name = 'Migration20261123124954_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table \`commune_drug_situation\` (\`id\` integer not null primary key autoincrement, \`commune_code\` text not null, \`year\` integer not null, \`classification\` text check (\`classification\` in ('DRUG_FREE', 'HAS_DRUG_PROBLEMS', 'KEY_HOTSPOT')) not null);`);
    this.addSql(`create index \`commune_drug_situation_year_class\` on \`commune_drug_situation\` (\`year\`, \`classification\`);`);
    this.addSql(`create unique index \`commune_drug_situation_commune_year_unique\` on \`commune_drug_situation\` (\`commune_code\`, \`year\`);`);

    this.addSql(`create table \`cultivation_site\` (\`id\` integer not null primary key autoincrement, \`commune_code\` text not null, \`plant\` text check (\`plant\` in ('OPIUM_POPPY', 'CANNABIS', 'OTHER')) not null, \`area_m2\` double not null, \`detected_on\` date not null, \`destroyed_on\` date null);`);
    this.addSql(`create index \`cultivation_site_commune_destroyed\` on \`cultivation_site\` (\`commune_code\`, \`destroyed_on\`);`);
    this.addSql(`create index \`cultivation_site_commune_detected\` on \`cultivation_site\` (\`commune_code\`, \`detected_on\`);`);

    this.addSql(`create table \`case_seized_item\` (\`id\` integer not null primary key autoincrement, \`drug_case_id\` text not null, \`commune_code\` text not null, \`reported_on\` date not null, \`substance_code\` text not null, \`quantity\` double not null, \`unit\` text check (\`unit\` in ('GRAM', 'KILOGRAM', 'TABLET', 'MILLILITRE', 'PLANT')) not null, \`kg_equivalent\` double not null, constraint \`case_seized_item_drug_case_id_foreign\` foreign key (\`drug_case_id\`) references \`drug_case\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`case_seized_item_drug_case_id_index\` on \`case_seized_item\` (\`drug_case_id\`);`);
    this.addSql(`create index \`case_seized_item_commune_reported\` on \`case_seized_item\` (\`commune_code\`, \`reported_on\`);`);
    this.addSql(`create index \`case_seized_item_case_substance\` on \`case_seized_item\` (\`drug_case_id\`, \`substance_code\`);`);

    this.addSql(`create table \`retail_dealer\` (\`id\` integer not null primary key autoincrement, \`person_citizen_id\` text not null, \`commune_code\` text not null, \`detected_on\` date not null, \`dealt_with_on\` date null, \`status\` text check (\`status\` in ('ACTIVE', 'ARRESTED', 'ADMINISTRATIVELY_SANCTIONED', 'CEASED')) not null, constraint \`retail_dealer_person_citizen_id_foreign\` foreign key (\`person_citizen_id\`) references \`person\` (\`citizen_id\`));`);
    this.addSql(`create index \`retail_dealer_person_citizen_id_index\` on \`retail_dealer\` (\`person_citizen_id\`);`);
    this.addSql(`create index \`retail_dealer_commune_dealt\` on \`retail_dealer\` (\`commune_code\`, \`dealt_with_on\`);`);
    this.addSql(`create index \`retail_dealer_commune_detected\` on \`retail_dealer\` (\`commune_code\`, \`detected_on\`);`);
    this.addSql(`create index \`retail_dealer_person_lookup\` on \`retail_dealer\` (\`person_citizen_id\`, \`detected_on\`);`);

    this.addSql(`create table \`wanted_person\` (\`id\` integer not null primary key autoincrement, \`person_citizen_id\` text not null, \`drug_case_id\` text null, \`wanted_since\` date not null, \`caught_on\` date null, constraint \`wanted_person_person_citizen_id_foreign\` foreign key (\`person_citizen_id\`) references \`person\` (\`citizen_id\`), constraint \`wanted_person_drug_case_id_foreign\` foreign key (\`drug_case_id\`) references \`drug_case\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`wanted_person_person_citizen_id_index\` on \`wanted_person\` (\`person_citizen_id\`);`);
    this.addSql(`create index \`wanted_person_case_lookup\` on \`wanted_person\` (\`drug_case_id\`);`);
    this.addSql(`create index \`wanted_person_person_lookup\` on \`wanted_person\` (\`person_citizen_id\`, \`wanted_since\`);`);

    this.addSql(`alter table \`drug_case\` add column \`transnational\` integer not null default false;`);
    this.addSql(`alter table \`drug_case\` add column \`organised\` integer not null default false;`);
    this.addSql(`alter table \`drug_case\` add column \`cyberspace\` integer not null default false;`);
    this.addSql(`alter table \`drug_case\` add column \`assets_recovered_vnd\` double null;`);
    this.addSql(`create index \`drug_case_commune_reported\` on \`drug_case\` (\`commune_code\`, \`reported_on\`);`);

    // Corrected by hand from the generated SQL, which left out the venue_type check and copied
    // `null as` into the new NOT NULL columns (refused on a seeded database): the defaults instead.
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(`create table \`hotspot__temp_alter\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('USE_POINT', 'DEALING_POINT', 'HARBOURING_VENUE')) not null, \`place\` text not null, \`commune_code\` text not null, \`detected_on\` date not null, \`dismantled_on\` date null, \`venue_type\` text check (\`venue_type\` in ('KARAOKE', 'BAR', 'HOTEL_GUESTHOUSE', 'PRIVATE_HOUSE', 'PUBLIC_PLACE', 'OTHER')) not null default 'OTHER', \`recurred_on\` date null, \`recurrence_count\` integer not null default 0);`);
    this.addSql(`insert into \`hotspot__temp_alter\` select \`id\`, \`kind\`, \`place\`, \`commune_code\`, \`detected_on\`, \`dismantled_on\`, 'OTHER' as \`venue_type\`, null as \`recurred_on\`, 0 as \`recurrence_count\` from \`hotspot\`;`);
    this.addSql(`drop table \`hotspot\`;`);
    this.addSql(`alter table \`hotspot__temp_alter\` rename to \`hotspot\`;`);
    this.addSql(`create index \`hotspot_commune_code_index\` on \`hotspot\` (\`commune_code\`);`);
    this.addSql(`create index \`hotspot_commune_dismantled\` on \`hotspot\` (\`commune_code\`, \`dismantled_on\`);`);
    this.addSql(`create index \`hotspot_commune_detected\` on \`hotspot\` (\`commune_code\`, \`detected_on\`);`);
    this.addSql(`pragma foreign_keys = on;`);

    this.addSql(`alter table \`management_file\` add column \`psychosis_risk\` integer not null default false;`);
    this.addSql(`create index \`management_file_commune_opened\` on \`management_file\` (\`commune_code\`, \`opened_on\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`commune_drug_situation\`;`);
    this.addSql(`drop table if exists \`cultivation_site\`;`);
    this.addSql(`drop table if exists \`case_seized_item\`;`);
    this.addSql(`drop table if exists \`retail_dealer\`;`);
    this.addSql(`drop table if exists \`wanted_person\`;`);

    this.addSql(`drop index \`drug_case_commune_reported\`;`);
    this.addSql(`alter table \`drug_case\` drop column \`transnational\`;`);
    this.addSql(`alter table \`drug_case\` drop column \`organised\`;`);
    this.addSql(`alter table \`drug_case\` drop column \`cyberspace\`;`);
    this.addSql(`alter table \`drug_case\` drop column \`assets_recovered_vnd\`;`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(`create table \`hotspot__temp_alter\` (\`id\` integer not null primary key autoincrement, \`kind\` TEXT check (\`kind\` in ('USE_POINT', 'DEALING_POINT', 'HARBOURING_VENUE')) not null, \`place\` TEXT not null, \`commune_code\` TEXT not null, \`detected_on\` date not null, \`dismantled_on\` date null);`);
    this.addSql(`insert into \`hotspot__temp_alter\` select \`id\`, \`kind\`, \`place\`, \`commune_code\`, \`detected_on\`, \`dismantled_on\` from \`hotspot\`;`);
    this.addSql(`drop table \`hotspot\`;`);
    this.addSql(`alter table \`hotspot__temp_alter\` rename to \`hotspot\`;`);
    this.addSql(`create index \`hotspot_commune_code_index\` on \`hotspot\` (\`commune_code\`);`);
    this.addSql(`pragma foreign_keys = on;`);

    this.addSql(`drop index \`management_file_commune_opened\`;`);
    this.addSql(`alter table \`management_file\` drop column \`psychosis_risk\`;`);
  }

}
