import { Migration } from '@mikro-orm/migrations';

export class Migration20261130094700_worker_attendance extends Migration {

  override name = 'Migration20261130094700_worker_attendance';

  override up(): void | Promise<void> {
    this.addSql(`create table "worker_attendance" ("id" serial primary key, "activity_id" int not null, "worker_key" varchar(16) not null);`);
    this.addSql(`create index "worker_attendance_worker_key_index" on "worker_attendance" ("worker_key");`);
    this.addSql(`alter table "worker_attendance" add constraint "worker_attendance_activity_worker_unique" unique ("activity_id", "worker_key");`);

    this.addSql(`alter table "worker_attendance" add constraint "worker_attendance_activity_id_foreign" foreign key ("activity_id") references "awareness_activity" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "worker_attendance" cascade;`);
  }

}
