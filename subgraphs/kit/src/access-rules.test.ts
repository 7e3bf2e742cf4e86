import 'reflect-metadata';
import { describe, expect, test } from '@jest/globals';
import { Kind, parse, type DirectiveNode, type DocumentNode } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Arg, Directive, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { NamesPerson, Pseudonym, Scopes, Sensitive, SmallCell } from './access-rules.js';
import { accessTags, requiredScopes, scopeOfTag, tagNames } from './access-tags.js';
import { buildFederatedSchema, printSdl } from './schema.js';

// Written with the decorators…
@ObjectType()
@Directive('@key(fields: "id")')
@Scopes('police:read', 'aggregate:read')
class TypedRecord {
  @Field(() => ID)
  id!: string;

  @Scopes('health:treatment-status', 'health:read')
  @Sensitive()
  @Field({ nullable: true })
  note?: string;

  @SmallCell()
  @Field(() => Int)
  persons!: number;

  @Pseudonym()
  @Field(() => ID)
  citizenId!: string;
}

@InputType()
class TypedInput {
  @NamesPerson()
  @Field(() => ID)
  citizenId!: string;
}

// …and the same with the raw tags they replace.
@ObjectType()
@Directive('@key(fields: "id")')
@Directive('@tag(name: "scope:police:read")')
@Directive('@tag(name: "scope:aggregate:read")')
class RawRecord {
  @Field(() => ID)
  id!: string;

  @Directive('@tag(name: "scope:health:treatment-status")')
  @Directive('@tag(name: "scope:health:read")')
  @Directive('@tag(name: "sensitive")')
  @Field({ nullable: true })
  note?: string;

  @Directive('@tag(name: "small-cell")')
  @Field(() => Int)
  persons!: number;

  @Directive('@tag(name: "pseudonym")')
  @Field(() => ID)
  citizenId!: string;
}

@InputType()
class RawInput {
  @Directive('@tag(name: "person")')
  @Field(() => ID)
  citizenId!: string;
}

@Resolver()
class SampleResolver {
  @Scopes('person:identity')
  @Query(() => TypedRecord, { nullable: true })
  typed(@NamesPerson() @Arg('citizenId', () => ID) _citizenId: string): TypedRecord | null {
    return null;
  }

  @Directive('@tag(name: "scope:person:identity")')
  @Query(() => RawRecord, { nullable: true })
  raw(@Directive('@tag(name: "person")') @Arg('citizenId', () => ID) _citizenId: string): RawRecord | null {
    return null;
  }

  @Mutation(() => Boolean)
  noteTyped(@Arg('input', () => TypedInput) _input: TypedInput): boolean {
    return true;
  }

  @Mutation(() => Boolean)
  noteRaw(@Arg('input', () => RawInput) _input: RawInput): boolean {
    return true;
  }
}

// A scope no role grants does not compile (`npm run typecheck` fails if this line stops being an error).
// @ts-expect-error 'police:reed' is granted by no role in gateway/src/roles.ts
Scopes('police:reed');

/** Every `@tag` in the SDL by coordinate (`Type`, `Type.field`, `Type.field(arg)`), in printed order. */
function tagsByCoordinate(doc: DocumentNode): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const put = (at: string, directives: readonly DirectiveNode[] | undefined) => {
    const tags = tagNames(directives);
    if (tags.length) out.set(at, tags);
  };
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION) continue;
    put(def.name.value, def.directives);
    for (const f of def.fields ?? []) {
      put(`${def.name.value}.${f.name.value}`, f.directives);
      if ('arguments' in f) for (const a of f.arguments ?? []) put(`${def.name.value}.${f.name.value}(${a.name.value})`, a.directives);
    }
  }
  return out;
}

describe('typed access rules', () => {
  test('the decorators print exactly the tags they replace, in the same order', async () => {
    const schema = await buildFederatedSchema({ resolvers: [SampleResolver] });
    const tags = tagsByCoordinate(parse(printSdl(schema)));
    const rename = (coordinate: string) => coordinate.replace(/Raw/g, 'Typed').replace(/\braw\b/, 'typed');
    const raw = [...tags].filter(([c]) => /Raw|raw/.test(c)).map(([c, t]) => [rename(c), t]);
    const typed = [...tags].filter(([c]) => /Typed|typed/.test(c));
    expect(typed).toEqual(raw);
    expect(Object.fromEntries(typed)).toEqual({
      TypedRecord: ['scope:police:read', 'scope:aggregate:read'],
      'TypedRecord.note': ['scope:health:treatment-status', 'scope:health:read', 'sensitive'],
      'TypedRecord.persons': ['small-cell'],
      'TypedRecord.citizenId': ['pseudonym'],
      'TypedInput.citizenId': ['person'],
      'Query.typed': ['scope:person:identity'],
      'Query.typed(citizenId)': ['person'],
    });
  });

  test('one parser: tags by meaning; a field needs its own scopes, else its type’s', () => {
    const def = parse('type T { f: Int @tag(name: "scope:police:read") @tag(name: "sensitive") @key(fields: "x") @tag(name: "small-cell") }').definitions[0];
    const tags = def.kind === Kind.OBJECT_TYPE_DEFINITION ? tagNames(def.fields?.[0].directives) : [];
    expect(tags).toEqual(['scope:police:read', 'sensitive', 'small-cell']);
    expect(accessTags(tags)).toEqual({ scopes: ['police:read'], sensitive: true, pseudonym: false, smallCell: true, person: false, personOf: null });
    expect(accessTags(['pseudonym', 'person'])).toMatchObject({ scopes: [], pseudonym: true, person: true, sensitive: false });
    expect(accessTags(['person-of:methadoneEnrollment']).personOf).toBe('methadoneEnrollment');
    expect(scopeOfTag('scope:health:read')).toBe('health:read');
    expect(scopeOfTag('sensitive')).toBeNull();
    expect(requiredScopes(['health:read'], ['police:read'])).toEqual(['health:read']);
    expect(requiredScopes([], ['police:read'])).toEqual(['police:read']);
    expect(requiredScopes([], [])).toEqual([]);
  });

  test('no subgraph (nor the scaffold) writes a tag as a string', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    // The kit makes the tags: from the decorators, from typed scopes in the figure declarations, and cache hints.
    const makers = new Set(['subgraphs/kit/src/access-rules.ts', 'subgraphs/kit/src/figures.ts', 'subgraphs/kit/src/cache-hints.ts']);
    const sources = [
      ...readdirSync(join(root, 'subgraphs'), { recursive: true })
        .map((f) => `subgraphs/${f}`)
        .filter((f) => /\/src\/.*\.ts$/.test(f) && !f.endsWith('.test.ts') && !f.includes('node_modules') && !makers.has(f)),
      'scripts/lib/scaffold.ts',
    ];
    const raw = sources.filter((f) => /@tag\(name:/.test(readFileSync(join(root, f), 'utf8')));
    expect(raw).toEqual([]);
    expect(sources.length).toBeGreaterThan(50);
  });

  test('@Scopes() with no scope is refused when the class loads', () => {
    expect(() => Scopes()).toThrow('at least one scope');
  });
});
