import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { NotAreaScoped } from './area-rules.js';

/** One write an agency system made with an idempotency key, and what it produced. */
@NotAreaScoped('replay records of writes, read back only by the same caller with the same idempotency key')
@Entity({ tableName: 'idempotent_write' })
export class IdempotentWrite {
  /** Whose key (`<agency>/<sub>`): the same key from two callers is two keys, so nobody squats or reads another's. */
  @PrimaryKey({ length: 255, default: '' })
  caller!: string;

  @PrimaryKey({ length: 160 })
  key!: string;

  @Property({ length: 64 })
  operation!: string;

  @Property({ length: 64 })
  requestHash!: string;

  @Property({ length: 64 })
  entity!: string;

  @Property({ length: 64 })
  resultId!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
