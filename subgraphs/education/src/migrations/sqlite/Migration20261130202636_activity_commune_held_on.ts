import { Migration } from '@mikro-orm/migrations';

export class Migration20261130202636_activity_commune_held_on extends Migration {

  override name = 'Migration20261130202636_activity_commune_held_on';

  override up(): void | Promise<void> {
    this.addSql(`drop index \`awareness_activity_commune_code_index\`;`);
    this.addSql(`create index \`awareness_activity_commune_held_on_index\` on \`awareness_activity\` (\`commune_code\`, \`held_on\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index \`awareness_activity_commune_held_on_index\`;`);
    this.addSql(`create index \`awareness_activity_commune_code_index\` on \`awareness_activity\` (\`commune_code\`);`);
  }

}
