import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { NotAreaScoped } from './area-rules.js';

// On its own so that both the area scoping (area.ts) and the write checks (reference.ts) can read it
// without importing each other.

/**
 * This subgraph's copy of the official commune codes (published by `program`), so writes can
 * refuse an unknown commune without calling another agency at write time.
 */
@NotAreaScoped('the official list of communes is public reference data')
@Entity({ tableName: 'known_commune' })
export class KnownCommune {
  @PrimaryKey({ length: 5 })
  code!: string;

  @Property()
  name!: string;

  @Property({ length: 2, index: true })
  provinceCode!: string;
}
