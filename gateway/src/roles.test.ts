import { describe, expect, test } from '@jest/globals';
import { scopeOfTag, tagNames } from '@pcmt/kit/access-tags';
import { parse, visit, type DirectiveNode } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE_SCOPES } from './roles.js';

const ROOT = join(import.meta.dirname, '..', '..');
// schema:check keeps the committed supergraph equal to what the subgraphs' code prints.
const supergraph = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');

/**
 * Scopes the roles grant that guard something other than schema fields, and the folder whose code
 * reads them. The test checks each is absent from the schema and read there, so the list cannot go stale.
 */
const GUARD_NON_SCHEMA: Record<string, { readIn: string; why: string }> = {
  'registry:publish': { readIn: 'gateway/src', why: 'publishing a schema or operations to the registry (registry/routes.ts)' },
  'operations:adhoc': { readIn: 'gateway/src', why: 'running operations that are not registered: analysts, within a cost budget' },
  'area:national': { readIn: 'subgraphs/kit/src', why: "the caller's area is every province (area.ts)" },
};

/** The non-test TypeScript under a folder but the role table, as one text. */
const codeIn = (folder: string): string =>
  (readdirSync(join(ROOT, folder), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'roles.ts')
    .map((f) => readFileSync(join(ROOT, folder, f), 'utf8'))
    .join('\n');

/**
 * Granted to every role and read by nothing (reference data is open to every authenticated caller).
 * Listed rather than removed because the roles' template in scripts/lib/scaffold.ts still grants it;
 * the test fails as soon as something starts to use it or no role grants it any more.
 */
const KNOWN_UNUSED = ['reference:read'];

/** Every scope the schema's `@tag`s name (types, fields, arguments, input fields). */
function scopesUsedIn(sdl: string): Set<string> {
  const directives: DirectiveNode[] = [];
  visit(parse(sdl), { Directive: (node) => void directives.push(node) });
  return new Set(tagNames(directives).map(scopeOfTag).filter((s): s is string => s !== null));
}

/** Scopes the schema uses that no role grants, and scopes roles grant that nothing uses. */
function scopeCoverage(sdl: string, roleScopes: Record<string, readonly string[]>, notInSchema: readonly string[]) {
  const used = scopesUsedIn(sdl);
  const granted = new Set(Object.values(roleScopes).flat());
  return {
    ungranted: [...used].filter((s) => !granted.has(s)).sort(),
    unused: [...granted].filter((s) => !used.has(s) && !notInSchema.includes(s)).sort(),
  };
}

const allowed = [...Object.keys(GUARD_NON_SCHEMA), ...KNOWN_UNUSED];

describe('the roles and the schema name the same scopes', () => {
  test('every scope in the schema is granted by a role, and every granted scope is used', () => {
    expect(scopeCoverage(supergraph, ROLE_SCOPES, allowed)).toEqual({ ungranted: [], unused: [] });
  });

  test('the scopes that guard something else are not in the schema, and are read where listed', () => {
    const used = scopesUsedIn(supergraph);
    const granted = new Set(Object.values(ROLE_SCOPES).flat());
    for (const [scope, { readIn }] of Object.entries(GUARD_NON_SCHEMA)) {
      expect([scope, used.has(scope), granted.has(scope)]).toEqual([scope, false, true]);
      // Read as `includes('<scope>')` or a constant holding it, not just granted.
      expect([scope, codeIn(readIn).includes(`'${scope}'`)]).toEqual([scope, true]);
    }
    for (const scope of KNOWN_UNUSED) expect([scope, used.has(scope), granted.has(scope)]).toEqual([scope, false, true]);
  });

  test('control: a scope no role grants, and a role scope nothing uses, are both caught', () => {
    const typo = supergraph.replace('@tag(name: "scope:police:read")', '@tag(name: "scope:police:reed")');
    expect(typo).not.toBe(supergraph);
    expect(scopeCoverage(typo, ROLE_SCOPES, allowed).ungranted).toEqual(['police:reed']);

    const extra = { ...ROLE_SCOPES, 'coast-guard-officer': ['coast-guard:read'] };
    expect(scopeCoverage(supergraph, extra, allowed).unused).toEqual(['coast-guard:read']);

    // Without its allow-list entry, a scope that guards something else counts as unused too.
    expect(scopeCoverage(supergraph, ROLE_SCOPES, allowed.filter((s) => s !== 'area:national')).unused).toEqual(['area:national']);
  });
});
