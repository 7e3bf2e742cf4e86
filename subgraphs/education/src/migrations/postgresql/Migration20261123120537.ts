import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120537 extends Migration {

  override name = 'Migration20261123120537';

  override up(): void | Promise<void> {
    this.addSql(`create table "campaign" ("id" serial primary key, "name" varchar(255) not null, "organiser" varchar(64) not null, "channel" text not null, "target_group" text not null, "starts_on" date not null, "ends_on" date not null, "action_month" boolean not null);`);
    this.addSql(`create index "campaign_starts_on_index" on "campaign" ("starts_on");`);

    this.addSql(`create table "school" ("id" serial primary key, "name" varchar(255) not null, "level" text not null, "commune_code" varchar(5) not null, "students" int not null);`);
    this.addSql(`create index "school_commune_code_index" on "school" ("commune_code");`);

    this.addSql(`create table "awareness_activity" ("id" serial primary key, "campaign_id" int not null, "title" varchar(255) not null, "held_on" date not null, "commune_code" varchar(5) not null, "school_id" int null, "participants" int not null);`);
    this.addSql(`create index "awareness_activity_held_on_index" on "awareness_activity" ("held_on");`);
    this.addSql(`create index "awareness_activity_commune_code_index" on "awareness_activity" ("commune_code");`);
    this.addSql(`create index "awareness_activity_school_held_on_index" on "awareness_activity" ("school_id", "held_on");`);
    this.addSql(`create index "awareness_activity_campaign_held_on_index" on "awareness_activity" ("campaign_id", "held_on");`);

    this.addSql(`alter table "campaign" add constraint "campaign_channel_check" check ("channel" in ('SCHOOL', 'COMMUNITY', 'MASS_MEDIA', 'SOCIAL_MEDIA', 'WORKPLACE'));`);
    this.addSql(`alter table "campaign" add constraint "campaign_target_group_check" check ("target_group" in ('STUDENTS', 'YOUTH', 'WORKERS', 'GENERAL_PUBLIC', 'HIGH_RISK'));`);

    this.addSql(`alter table "school" add constraint "school_level_check" check ("level" in ('PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'VOCATIONAL', 'COLLEGE'));`);

    this.addSql(`alter table "awareness_activity" add constraint "awareness_activity_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);
    this.addSql(`alter table "awareness_activity" add constraint "awareness_activity_school_id_foreign" foreign key ("school_id") references "school" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "awareness_activity" drop constraint "awareness_activity_campaign_id_foreign";`);
    this.addSql(`alter table "awareness_activity" drop constraint "awareness_activity_school_id_foreign";`);

    this.addSql(`drop table if exists "campaign" cascade;`);
    this.addSql(`drop table if exists "school" cascade;`);
    this.addSql(`drop table if exists "awareness_activity" cascade;`);
  }

}
