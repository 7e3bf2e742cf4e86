import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120932 extends Migration {

  override name = 'Migration20261123120932';

  override up(): void | Promise<void> {
    this.addSql(`create table \`border_gate\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`kind\` text check (\`kind\` in ('LAND_GATE', 'SEAPORT', 'AIRPORT', 'POSTAL_HUB', 'TRAIL')) not null, \`commune_code\` text not null);`);
    this.addSql(`create unique index \`border_gate_code_unique\` on \`border_gate\` (\`code\`);`);
    this.addSql(`create index \`border_gate_commune_code_index\` on \`border_gate\` (\`commune_code\`);`);

    this.addSql(`create table \`seizure\` (\`id\` text not null primary key, \`seized_on\` date not null, \`commune_code\` text not null, \`agency\` text check (\`agency\` in ('CUSTOMS', 'BORDER_GUARD', 'COAST_GUARD')) not null, \`gate_id\` integer null, \`route\` text check (\`route\` in ('LAND_BORDER', 'SEA', 'AIR', 'POSTAL_EXPRESS')) not null, \`concealment\` text not null, \`origin_country\` text not null, \`drug_case_id\` text null, constraint \`seizure_gate_id_foreign\` foreign key (\`gate_id\`) references \`border_gate\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`seizure_seized_on_index\` on \`seizure\` (\`seized_on\`);`);
    this.addSql(`create index \`seizure_commune_code_index\` on \`seizure\` (\`commune_code\`);`);
    this.addSql(`create index \`seizure_gate_id_index\` on \`seizure\` (\`gate_id\`);`);
    this.addSql(`create index \`seizure_drug_case_id_index\` on \`seizure\` (\`drug_case_id\`);`);

    this.addSql(`create table \`seized_item\` (\`id\` integer not null primary key autoincrement, \`seizure_id\` text not null, \`substance_code\` text not null, \`quantity\` double not null, \`unit\` text check (\`unit\` in ('GRAM', 'KILOGRAM', 'TABLET', 'MILLILITRE')) not null, \`kg_equivalent\` double not null, constraint \`seized_item_seizure_id_foreign\` foreign key (\`seizure_id\`) references \`seizure\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`seized_item_seizure_id_index\` on \`seized_item\` (\`seizure_id\`);`);
    this.addSql(`create index \`seized_item_substance_code_index\` on \`seized_item\` (\`substance_code\`);`);
    this.addSql(`create index \`seized_item_seizure_substance_index\` on \`seized_item\` (\`seizure_id\`, \`substance_code\`);`);

    this.addSql(`create table \`seizure_suspect\` (\`id\` integer not null primary key autoincrement, \`seizure_id\` text not null, \`citizen_id\` text not null, constraint \`seizure_suspect_seizure_id_foreign\` foreign key (\`seizure_id\`) references \`seizure\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`seizure_suspect_seizure_id_index\` on \`seizure_suspect\` (\`seizure_id\`);`);
    this.addSql(`create index \`seizure_suspect_citizen_id_index\` on \`seizure_suspect\` (\`citizen_id\`);`);
    this.addSql(`create unique index \`seizure_suspect_seizure_id_citizen_id_unique\` on \`seizure_suspect\` (\`seizure_id\`, \`citizen_id\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`border_gate\`;`);
    this.addSql(`drop table if exists \`seizure\`;`);
    this.addSql(`drop table if exists \`seized_item\`;`);
    this.addSql(`drop table if exists \`seizure_suspect\`;`);
  }

}
