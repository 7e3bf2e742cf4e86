import { Directive } from 'type-graphql';
import { FLAG_TAGS, PERSON_OF_TAG_PREFIX, scopeTag, type Scope } from './access-tags.js';

/**
 * Typed access rules for type-graphql classes: each emits the `@tag` the gateway and access.ts read
 * (see access-tags.ts). A scope no role grants does not type-check (`Scope` comes from the role table).
 */

type FieldDecorator = MethodDecorator & PropertyDecorator;
type AnyDecorator = (target: object, key?: string | symbol, indexOrDescriptor?: number | PropertyDescriptor) => void;

const tag = (name: string) => Directive(`@tag(name: "${name}")`) as AnyDecorator;

/**
 * Who may read a type's fields (on the class) or one field (overrides the type's): a caller needs one
 * of them. `@Scopes('police:read', 'aggregate:read')` prints the tags in the order given.
 */
export function Scopes(...scopes: Scope[]): ClassDecorator & FieldDecorator {
  // No scopes would leave the field open to every caller: a mistake, refused when the class loads.
  if (scopes.length === 0) throw new Error('@Scopes() needs at least one scope');
  const tags = scopes.map((s) => tag(scopeTag(s)));
  // type-graphql prints a field's directives in the reverse order they were applied.
  const apply: AnyDecorator = (target, key, descriptor) => {
    for (const t of [...tags].reverse()) t(target, key, descriptor);
  };
  return apply as ClassDecorator & FieldDecorator;
}

/** Sensitive personal data (dữ liệu cá nhân nhạy cảm): the caller states a purpose, every read is audited. */
export const Sensitive = (): FieldDecorator => tag(FLAG_TAGS.sensitive) as FieldDecorator;

/** An identifier that pseudonymous callers (analysts) get as a per-project pseudonym. */
export const Pseudonym = (): FieldDecorator => tag(FLAG_TAGS.pseudonym) as FieldDecorator;

/** A count of persons: 1–4 is withheld from callers who may not see identities. */
export const SmallCell = (): FieldDecorator => tag(FLAG_TAGS.smallCell) as FieldDecorator;

/**
 * An input field or an argument that holds the citizen ID of a person the operation names: the audit
 * entry names that person, whatever the answer holds.
 */
export const NamesPerson = (): PropertyDecorator & ParameterDecorator => tag(FLAG_TAGS.person) as PropertyDecorator & ParameterDecorator;

/**
 * An input field that holds the id of a record about a person (a dose's `enrollmentId`): before the
 * write, the gateway reads that record's person through `queryField(id:)` (as the caller, within its
 * area) and the audit entry names them, whether the write then succeeds or is refused.
 */
export const NamesPersonOf = (queryField: string): PropertyDecorator => tag(`${PERSON_OF_TAG_PREFIX}${queryField}`) as PropertyDecorator;
