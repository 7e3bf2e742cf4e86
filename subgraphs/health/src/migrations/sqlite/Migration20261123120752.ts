import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120752 extends Migration {

  override name = 'Migration20261123120752';

  override up(): void | Promise<void> {
    this.addSql(`create table \`facility\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`kind\` text check (\`kind\` in ('METHADONE_CLINIC', 'DISPENSING_POINT', 'COMMUNE_HEALTH_STATION', 'PUBLIC_REHAB', 'PRIVATE_REHAB')) not null, \`commune_code\` text not null, \`can_assess_addiction\` integer not null);`);
    this.addSql(`create index \`facility_commune_code_index\` on \`facility\` (\`commune_code\`);`);

    this.addSql(`create table \`addiction_assessment\` (\`id\` integer not null primary key autoincrement, \`citizen_id\` text not null, \`commune_code\` text not null, \`facility_id\` integer not null, \`assessed_on\` date not null, \`result\` text check (\`result\` in ('ADDICTED', 'NOT_ADDICTED')) not null, \`severity\` text check (\`severity\` in ('MILD', 'MODERATE', 'SEVERE')) null, \`substance_code\` text not null, constraint \`addiction_assessment_facility_id_foreign\` foreign key (\`facility_id\`) references \`facility\` (\`id\`));`);
    this.addSql(`create index \`addiction_assessment_citizen_id_index\` on \`addiction_assessment\` (\`citizen_id\`);`);
    this.addSql(`create index \`addiction_assessment_commune_code_index\` on \`addiction_assessment\` (\`commune_code\`);`);
    this.addSql(`create index \`addiction_assessment_facility_id_index\` on \`addiction_assessment\` (\`facility_id\`);`);
    this.addSql(`create index \`addiction_assessment_assessed_on_index\` on \`addiction_assessment\` (\`assessed_on\`);`);

    this.addSql(`create table \`methadone_enrollment\` (\`id\` integer not null primary key autoincrement, \`citizen_id\` text not null, \`clinic_id\` integer not null, \`commune_code\` text not null, \`started_on\` date not null, \`status\` text check (\`status\` in ('ACTIVE', 'SUSPENDED', 'DROPPED_OUT', 'TRANSFERRED', 'COMPLETED', 'DIED', 'ARRESTED')) not null, \`current_dose_mg\` integer not null, constraint \`methadone_enrollment_clinic_id_foreign\` foreign key (\`clinic_id\`) references \`facility\` (\`id\`));`);
    this.addSql(`create index \`methadone_enrollment_citizen_id_index\` on \`methadone_enrollment\` (\`citizen_id\`);`);
    this.addSql(`create index \`methadone_enrollment_clinic_id_index\` on \`methadone_enrollment\` (\`clinic_id\`);`);
    this.addSql(`create index \`methadone_enrollment_commune_code_index\` on \`methadone_enrollment\` (\`commune_code\`);`);

    this.addSql(`create table \`dose_record\` (\`id\` integer not null primary key autoincrement, \`enrollment_id\` integer not null, \`day\` date not null, \`dose_mg\` integer not null, \`observed\` integer not null, \`missed\` integer not null, constraint \`dose_record_enrollment_id_foreign\` foreign key (\`enrollment_id\`) references \`methadone_enrollment\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`dose_record_enrollment_id_index\` on \`dose_record\` (\`enrollment_id\`);`);
    this.addSql(`create unique index \`dose_record_enrollment_id_day_unique\` on \`dose_record\` (\`enrollment_id\`, \`day\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`facility\`;`);
    this.addSql(`drop table if exists \`addiction_assessment\`;`);
    this.addSql(`drop table if exists \`methadone_enrollment\`;`);
    this.addSql(`drop table if exists \`dose_record\`;`);
  }

}
