import { Migration } from '@mikro-orm/migrations';

export class Migration20261123125849_domain_depth extends Migration {

  override name = 'Migration20261123125849_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table \`legal_aid_provider\` (\`id\` text not null primary key, \`name\` text not null, \`kind\` text check (\`kind\` in ('LEGAL_AID_OFFICER', 'CONTRACTED_LAWYER', 'CONTRACTED_LAW_FIRM')) not null);`);
    this.addSql(`create index \`legal_aid_provider_kind\` on \`legal_aid_provider\` (\`kind\`, \`name\`);`);

    this.addSql(`create table \`legal_aid_status_change\` (\`id\` integer not null primary key autoincrement, \`request_id\` text not null, \`status\` text check (\`status\` in ('RECEIVED', 'ACCEPTED', 'REFUSED', 'IN_PROGRESS', 'COMPLETED')) not null, \`changed_on\` date not null, \`note\` text null, constraint \`legal_aid_status_change_request_id_foreign\` foreign key (\`request_id\`) references \`legal_aid_request\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`legal_aid_status_change_request_id_index\` on \`legal_aid_status_change\` (\`request_id\`);`);
    this.addSql(`create index \`legal_aid_status_change_request\` on \`legal_aid_status_change\` (\`request_id\`, \`changed_on\`);`);

    this.addSql(`alter table \`legal_aid_request\` add column \`assigned_provider_id\` text null constraint \`legal_aid_request_assigned_provider_id_foreign\` references \`legal_aid_provider\` (\`id\`) on delete set null;`);
    this.addSql(`alter table \`legal_aid_request\` add column \`accepted_on\` date null;`);
    this.addSql(`create index \`legal_aid_request_assigned_provider_id_index\` on \`legal_aid_request\` (\`assigned_provider_id\`);`);
    this.addSql(`create index \`legal_aid_request_status_received\` on \`legal_aid_request\` (\`status\`, \`received_on\`);`);
    this.addSql(`create index \`legal_aid_request_commune_completed\` on \`legal_aid_request\` (\`commune_code\`, \`completed_on\`);`);
    this.addSql(`create index \`legal_aid_request_commune_received\` on \`legal_aid_request\` (\`commune_code\`, \`received_on\`);`);
    this.addSql(`create index \`legal_aid_request_provider\` on \`legal_aid_request\` (\`assigned_provider_id\`, \`received_on\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`legal_aid_provider\`;`);
    this.addSql(`drop table if exists \`legal_aid_status_change\`;`);

    this.addSql(`drop index \`legal_aid_request_assigned_provider_id_index\`;`);
    this.addSql(`drop index \`legal_aid_request_status_received\`;`);
    this.addSql(`drop index \`legal_aid_request_commune_completed\`;`);
    this.addSql(`drop index \`legal_aid_request_commune_received\`;`);
    this.addSql(`drop index \`legal_aid_request_provider\`;`);
    this.addSql(`alter table \`legal_aid_request\` drop column \`assigned_provider_id\`;`);
    this.addSql(`alter table \`legal_aid_request\` drop column \`accepted_on\`;`);
  }

}
