import { Migration } from '@mikro-orm/migrations';

export class Migration20261123125849_domain_depth extends Migration {

  override name = 'Migration20261123125849_domain_depth';

  override up(): void | Promise<void> {
    this.addSql(`create table "legal_aid_provider" ("id" varchar(32) not null, "name" varchar(255) not null, "kind" text not null, primary key ("id"));`);
    this.addSql(`create index "legal_aid_provider_kind" on "legal_aid_provider" ("kind", "name");`);

    this.addSql(`create table "legal_aid_status_change" ("id" serial primary key, "request_id" varchar(32) not null, "status" text not null, "changed_on" date not null, "note" varchar(255) null);`);
    this.addSql(`create index "legal_aid_status_change_request" on "legal_aid_status_change" ("request_id", "changed_on");`);

    this.addSql(`alter table "legal_aid_request" add "assigned_provider_id" varchar(32) null, add "accepted_on" date null;`);
    this.addSql(`alter table "legal_aid_request" add constraint "legal_aid_request_assigned_provider_id_foreign" foreign key ("assigned_provider_id") references "legal_aid_provider" ("id") on delete set null;`);
    this.addSql(`create index "legal_aid_request_status_received" on "legal_aid_request" ("status", "received_on");`);
    this.addSql(`create index "legal_aid_request_commune_completed" on "legal_aid_request" ("commune_code", "completed_on");`);
    this.addSql(`create index "legal_aid_request_commune_received" on "legal_aid_request" ("commune_code", "received_on");`);
    this.addSql(`create index "legal_aid_request_provider" on "legal_aid_request" ("assigned_provider_id", "received_on");`);

    this.addSql(`alter table "legal_aid_provider" add constraint "legal_aid_provider_kind_check" check ("kind" in ('LEGAL_AID_OFFICER', 'CONTRACTED_LAWYER', 'CONTRACTED_LAW_FIRM'));`);

    this.addSql(`alter table "legal_aid_status_change" add constraint "legal_aid_status_change_request_id_foreign" foreign key ("request_id") references "legal_aid_request" ("id") on delete cascade;`);
    this.addSql(`alter table "legal_aid_status_change" add constraint "legal_aid_status_change_status_check" check ("status" in ('RECEIVED', 'ACCEPTED', 'REFUSED', 'IN_PROGRESS', 'COMPLETED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "legal_aid_request" drop constraint "legal_aid_request_assigned_provider_id_foreign";`);

    this.addSql(`drop table if exists "legal_aid_provider" cascade;`);
    this.addSql(`drop table if exists "legal_aid_status_change" cascade;`);

    this.addSql(`drop index "legal_aid_request_status_received";`);
    this.addSql(`drop index "legal_aid_request_commune_completed";`);
    this.addSql(`drop index "legal_aid_request_commune_received";`);
    this.addSql(`drop index "legal_aid_request_provider";`);
    this.addSql(`alter table "legal_aid_request" drop column "assigned_provider_id", drop column "accepted_on";`);
  }

}
