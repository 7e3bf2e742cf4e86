import { Migration } from '@mikro-orm/migrations';

export class Migration20261123130249_domain_depth extends Migration {

  override name = 'Migration20261123130249_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table \`precursor_licence\` (\`id\` integer not null primary key autoincrement, \`licence_no\` text not null, \`company\` text not null, \`direction\` text check (\`direction\` in ('IMPORT', 'EXPORT')) not null, \`substance_code\` text not null, \`quantity_kg\` double not null, \`valid_from\` date not null, \`valid_to\` date not null);`);
    this.addSql(`create unique index \`precursor_licence_licence_no_unique\` on \`precursor_licence\` (\`licence_no\`);`);
    this.addSql(`create index \`precursor_licence_substance_valid\` on \`precursor_licence\` (\`substance_code\`, \`valid_to\`);`);

    this.addSql(`create table \`precursor_violation\` (\`id\` integer not null primary key autoincrement, \`licence_id\` integer null, \`company\` text not null, \`substance_code\` text not null, \`quantity_kg\` double not null, \`detected_on\` date not null, \`commune_code\` text not null, \`kind\` text check (\`kind\` in ('NO_LICENCE', 'EXCEEDS_LICENCE', 'FALSE_DECLARATION', 'EXPIRED_LICENCE')) not null, constraint \`precursor_violation_licence_id_foreign\` foreign key (\`licence_id\`) references \`precursor_licence\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`precursor_violation_licence_id_index\` on \`precursor_violation\` (\`licence_id\`);`);
    this.addSql(`create index \`precursor_violation_licence_detected\` on \`precursor_violation\` (\`licence_id\`, \`detected_on\`);`);
    this.addSql(`create index \`precursor_violation_commune_detected\` on \`precursor_violation\` (\`commune_code\`, \`detected_on\`);`);

    // Edited by hand: the generator rebuilt the table (copy, drop, rename), and dropping `seizure` with
    // foreign keys on cascades to its items and suspects, and copies NULL into destination_country.
    // Adding the columns in place keeps every row.
    this.addSql(`alter table \`seizure\` add column \`transit_country\` text null;`);
    this.addSql(`alter table \`seizure\` add column \`destination_country\` text not null default 'VN';`);
    this.addSql(`alter table \`seizure\` add column \`conveyance\` text null check (\`conveyance\` in ('ON_FOOT', 'MOTORBIKE', 'CAR', 'TRUCK', 'BOAT', 'AIRCRAFT', 'PARCEL'));`);
    this.addSql(`alter table \`seizure\` add column \`handed_over_on\` date null;`);
    this.addSql(`create index \`seizure_gate_seized\` on \`seizure\` (\`gate_id\`, \`seized_on\`);`);
    this.addSql(`create index \`seizure_commune_seized\` on \`seizure\` (\`commune_code\`, \`seized_on\`);`);

    this.addSql(`create unique index \`seized_item_seizure_substance_unit_unique\` on \`seized_item\` (\`seizure_id\`, \`substance_code\`, \`unit\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`precursor_violation\`;`);
    this.addSql(`drop table if exists \`precursor_licence\`;`);

    this.addSql(`drop index \`seized_item_seizure_substance_unit_unique\`;`);

    // Edited by hand, like up(): the generated rollback rebuilt `seizure`, and dropping it cascades
    // to every seized item and suspect. Dropping the columns in place keeps every row.
    this.addSql(`drop index \`seizure_gate_seized\`;`);
    this.addSql(`drop index \`seizure_commune_seized\`;`);
    this.addSql(`alter table \`seizure\` drop column \`handed_over_on\`;`);
    this.addSql(`alter table \`seizure\` drop column \`conveyance\`;`);
    this.addSql(`alter table \`seizure\` drop column \`destination_country\`;`);
    this.addSql(`alter table \`seizure\` drop column \`transit_country\`;`);
  }

}
