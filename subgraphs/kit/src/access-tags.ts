/**
 * The access rules' vocabulary and its one parser, for the subgraphs (access.ts, the decorators in
 * access-rules.ts) and the gateway (`@pcmt/kit/access-tags`). Rules travel in the schemas as `@tag`s,
 * which composition keeps in the supergraph:
 *   scope:<scope>  who may read a field (on the field, else on its type); one matching scope suffices
 *   sensitive      sensitive personal data: purpose header required, every read audited
 *   pseudonym      an identifier replaced by a per-project pseudonym for pseudonymous callers
 *   small-cell     a count of persons suppressed under 5 for pseudonymous callers
 *   person         (on an input field or a field argument) a citizen ID the operation names: the
 *                  audit entry names that person, whatever the answer holds
 *   person-of:<f>  (on an input field) the id of a record read by `Query.<f>(id:)`: the audit entry
 *                  names that record's person, looked up before the write
 * Imports graphql alone: the gateway loads this without the kit's ORM and type-graphql.
 */
import { Kind, type ArgumentNode, type DirectiveNode } from 'graphql';

/**
 * Every scope some role grants. Empty here: the role table (gateway/src/roles.ts) fills it in by
 * module augmentation, so `Scope` is derived from the roles and a scope no role grants is a type error.
 */
export interface GrantedScopes {}
export type Scope = Extract<keyof GrantedScopes, string>;

export const SCOPE_TAG_PREFIX = 'scope:';
/** The tags that are not scopes, by meaning. */
export const FLAG_TAGS = { sensitive: 'sensitive', pseudonym: 'pseudonym', smallCell: 'small-cell', person: 'person' } as const;

export const PERSON_OF_TAG_PREFIX = 'person-of:';

export const scopeTag = (scope: Scope): string => `${SCOPE_TAG_PREFIX}${scope}`;

/** The scope a tag names (`scope:police:read` → `police:read`), or null for another tag. */
export function scopeOfTag(tag: string): string | null {
  return tag.startsWith(SCOPE_TAG_PREFIX) ? tag.slice(SCOPE_TAG_PREFIX.length) : null;
}

/** The `name`s of the `@tag` directives among `directives`, in order. */
export function tagNames(directives: readonly DirectiveNode[] | null | undefined): string[] {
  const names: string[] = [];
  for (const d of directives ?? []) {
    if (d.name.value !== 'tag') continue;
    const name = d.arguments?.find((a: ArgumentNode) => a.name.value === 'name')?.value;
    if (name?.kind === Kind.STRING && name.value) names.push(name.value);
  }
  return names;
}

/** What one field's (or type's, or argument's) own tags say. */
export interface AccessTags {
  scopes: string[];
  sensitive: boolean;
  pseudonym: boolean;
  smallCell: boolean;
  person: boolean;
  /** `person-of:<query field>`: the query field that reads the record whose id this input holds. */
  personOf: string | null;
}

export function accessTags(tags: readonly string[]): AccessTags {
  return {
    scopes: tags.map(scopeOfTag).filter((s): s is string => s !== null),
    sensitive: tags.includes(FLAG_TAGS.sensitive),
    pseudonym: tags.includes(FLAG_TAGS.pseudonym),
    smallCell: tags.includes(FLAG_TAGS.smallCell),
    person: tags.includes(FLAG_TAGS.person),
    personOf: tags.find((t) => t.startsWith(PERSON_OF_TAG_PREFIX))?.slice(PERSON_OF_TAG_PREFIX.length) ?? null,
  };
}

/** The scopes a field needs: its own, else its type's; none means open to every authenticated caller. */
export const requiredScopes = (own: readonly string[], ofType: readonly string[]): string[] => [...(own.length ? own : ofType)];
