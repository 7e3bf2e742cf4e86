import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120657 extends Migration {

  override name = 'Migration20261123120657';

  override up(): void | Promise<void> {
    this.addSql(`create table \`legal_aid_request\` (\`id\` text not null primary key, \`citizen_id\` text not null, \`commune_code\` text not null, \`received_on\` date not null, \`eligibility_group\` text check (\`eligibility_group\` in ('POOR_HOUSEHOLD', 'ETHNIC_MINORITY_HARD_AREA', 'ACCUSED_AGED_16_18', 'ACCUSED_NEAR_POOR', 'VICTIM', 'DISABLED', 'CHILD', 'OTHER_FINANCIAL_HARDSHIP', 'NOT_ELIGIBLE')) not null, \`drug_case_id\` text null, \`status\` text check (\`status\` in ('RECEIVED', 'ACCEPTED', 'REFUSED', 'IN_PROGRESS', 'COMPLETED')) not null, \`refusal_reason\` text null, \`service_form\` text check (\`service_form\` in ('ADVICE', 'DEFENCE_IN_PROCEEDINGS', 'REPRESENTATION_OUTSIDE_COURT')) not null, \`provider\` text null, \`completed_on\` date null, \`outcome\` text null);`);
    this.addSql(`create index \`legal_aid_request_citizen_id_index\` on \`legal_aid_request\` (\`citizen_id\`);`);
    this.addSql(`create index \`legal_aid_request_commune_code_index\` on \`legal_aid_request\` (\`commune_code\`);`);
    this.addSql(`create index \`legal_aid_request_received_on_index\` on \`legal_aid_request\` (\`received_on\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`legal_aid_request\`;`);
  }

}
