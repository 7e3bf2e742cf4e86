import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120657 extends Migration {

  override name = 'Migration20261123120657';

  override up(): void | Promise<void> {
    this.addSql(`create table "legal_aid_request" ("id" varchar(32) not null, "citizen_id" varchar(12) not null, "commune_code" varchar(5) not null, "received_on" date not null, "eligibility_group" text not null, "drug_case_id" varchar(32) null, "status" text not null, "refusal_reason" varchar(255) null, "service_form" text not null, "provider" varchar(255) null, "completed_on" date null, "outcome" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "legal_aid_request_citizen_id_index" on "legal_aid_request" ("citizen_id");`);
    this.addSql(`create index "legal_aid_request_commune_code_index" on "legal_aid_request" ("commune_code");`);
    this.addSql(`create index "legal_aid_request_received_on_index" on "legal_aid_request" ("received_on");`);

    this.addSql(`alter table "legal_aid_request" add constraint "legal_aid_request_eligibility_group_check" check ("eligibility_group" in ('POOR_HOUSEHOLD', 'ETHNIC_MINORITY_HARD_AREA', 'ACCUSED_AGED_16_18', 'ACCUSED_NEAR_POOR', 'VICTIM', 'DISABLED', 'CHILD', 'OTHER_FINANCIAL_HARDSHIP', 'NOT_ELIGIBLE'));`);
    this.addSql(`alter table "legal_aid_request" add constraint "legal_aid_request_status_check" check ("status" in ('RECEIVED', 'ACCEPTED', 'REFUSED', 'IN_PROGRESS', 'COMPLETED'));`);
    this.addSql(`alter table "legal_aid_request" add constraint "legal_aid_request_service_form_check" check ("service_form" in ('ADVICE', 'DEFENCE_IN_PROCEEDINGS', 'REPRESENTATION_OUTSIDE_COURT'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "legal_aid_request" cascade;`);
  }

}
