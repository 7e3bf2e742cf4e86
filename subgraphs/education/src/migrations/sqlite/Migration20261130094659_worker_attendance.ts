import { Migration } from '@mikro-orm/migrations';

export class Migration20261130094659_worker_attendance extends Migration {

  override name = 'Migration20261130094659_worker_attendance';

  override up(): void | Promise<void> {
    this.addSql(`create table \`worker_attendance\` (\`id\` integer not null primary key autoincrement, \`activity_id\` integer not null, \`worker_key\` text not null, constraint \`worker_attendance_activity_id_foreign\` foreign key (\`activity_id\`) references \`awareness_activity\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`worker_attendance_activity_id_index\` on \`worker_attendance\` (\`activity_id\`);`);
    this.addSql(`create index \`worker_attendance_worker_key_index\` on \`worker_attendance\` (\`worker_key\`);`);
    this.addSql(`create unique index \`worker_attendance_activity_worker_unique\` on \`worker_attendance\` (\`activity_id\`, \`worker_key\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`worker_attendance\`;`);
  }

}
