import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { GraphQLError, Kind, parse, validate, visit, type ASTNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import { scopeOfTag } from '@pcmt/kit/access-tags';

/**
 * The checks a schema publish must pass: it composes, what clients see changes safely, the
 * registered operations still validate, and its access tags stay within the publishing agency.
 * Pure functions over SDL text; the registry decides what to do with the answers.
 */

export interface SubgraphInput {
  name: string;
  url: string;
  sdl: string;
}

export type Composition = { supergraphSdl: string; errors: [] } | { supergraphSdl?: undefined; errors: string[] };

/** One line per error: registry responses and CLI output show them as a list. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

function describeError(e: GraphQLError | Error, prefix = ''): string {
  const code = e instanceof GraphQLError && typeof e.extensions?.code === 'string' ? `[${e.extensions.code}] ` : '';
  const where = e instanceof GraphQLError && e.locations?.length ? ` (line ${e.locations[0].line}, column ${e.locations[0].column})` : '';
  return oneLine(`${prefix}${code}${e.message}${where}`);
}

/** Composes with @apollo/composition; errors as readable one-line messages. */
export function composeSubgraphs(subgraphs: SubgraphInput[]): Composition {
  const errors: string[] = [];
  const seen = new Set<string>();
  const services = [];
  for (const s of subgraphs) {
    // composeServices would take the later of two same-named subgraphs silently.
    if (seen.has(s.name)) errors.push(`subgraph "${s.name}" is given twice`);
    seen.add(s.name);
    try {
      services.push({ name: s.name, url: s.url, typeDefs: parse(s.sdl) });
    } catch (e) {
      errors.push(describeError(e as Error, `subgraph "${s.name}": `));
    }
  }
  if (subgraphs.length === 0) errors.push('no subgraphs to compose');
  if (errors.length) return { errors };
  try {
    const result = composeServices(services);
    if (result.errors) return { errors: result.errors.map((e) => describeError(e)) };
    // Same text as scripts/lib/schema.ts writes, so it can be compared with schema/supergraph.graphql.
    return { supergraphSdl: result.supergraphSdl.trim() + '\n', errors: [] };
  } catch (e) {
    return { errors: [describeError(e as Error, 'composition failed: ')] };
  }
}

// A supergraph is ~150 kB of SDL and building its API schema takes a while; the registry asks for
// the same few (serving, candidate) over and over.
const API_CACHE_SIZE = 8;
const apiCache = new Map<string, GraphQLSchema>();

/** The client-facing (API) schema of a supergraph, cached per SDL string (small LRU or last-N map). */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  const hit = apiCache.get(supergraphSdl);
  if (hit) {
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    apiCache.delete(supergraphSdl);
    apiCache.set(supergraphSdl, hit);
    return hit;
  }
  // As @apollo/gateway builds the schema it serves (no @defer/@stream).
  const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  apiCache.set(supergraphSdl, schema);
  while (apiCache.size > API_CACHE_SIZE) apiCache.delete(apiCache.keys().next().value!);
  return schema;
}

export type Criticality = 'BREAKING' | 'DANGEROUS' | 'SAFE';

export interface SchemaChange {
  criticality: Criticality;
  type: string;
  message: string;
  path?: string;
}

const CRITICALITY: Record<CriticalityLevel, Criticality> = {
  [CriticalityLevel.Breaking]: 'BREAKING',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'SAFE',
};

/** @graphql-inspector/core's diff between the two API schemas (what clients see). */
export async function diffSupergraphs(oldSupergraphSdl: string, newSupergraphSdl: string): Promise<SchemaChange[]> {
  const changes = await diff(apiSchemaOf(oldSupergraphSdl), apiSchemaOf(newSupergraphSdl));
  return changes.map((c) => ({
    criticality: CRITICALITY[c.criticality.level] ?? 'BREAKING',
    type: String(c.type),
    message: c.message,
    ...(c.path !== undefined ? { path: c.path } : {}),
  }));
}

export interface RegisteredDocument {
  client: string;
  version: string;
  id: string;
  operationName: string | null;
  body: string;
}

export interface BrokenOperation extends RegisteredDocument {
  errors: string[];
}

/** Every registered document validated against the new supergraph's API schema: the ones that would break. */
export function checkRegisteredOperations(newSupergraphSdl: string, documents: RegisteredDocument[]): BrokenOperation[] {
  const schema = apiSchemaOf(newSupergraphSdl);
  const broken: BrokenOperation[] = [];
  for (const doc of documents) {
    let parsed: DocumentNode;
    try {
      parsed = parse(doc.body);
    } catch (e) {
      broken.push({ ...doc, errors: [describeError(e as Error)] });
      continue;
    }
    const errors = validate(schema, parsed).map((e) => describeError(e));
    // A client runs the document by this name; without it the document would not execute.
    if (doc.operationName !== null && !parsed.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === doc.operationName)) {
      errors.push(`operation "${doc.operationName}" is not in the document`);
    }
    if (errors.length) broken.push({ ...doc, errors });
  }
  return broken;
}

const FEDERATION_SPEC = /^https:\/\/specs\.apollo\.dev\/federation\/v/;
const TAG_SPEC = /^https:\/\/specs\.apollo\.dev\/tag\/v/;

/**
 * The names `@tag` goes by in one subgraph SDL. Generous on purpose: counting a directive that is
 * not really @tag costs a false refusal, missing a renamed @tag would let a scope through unchecked.
 */
function tagDirectiveNames(document: DocumentNode): Set<string> {
  const names = new Set(['tag', 'federation__tag']);
  for (const def of document.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of def.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const arg = (n: string) => link.arguments?.find((a) => a.name.value === n)?.value;
      const url = arg('url');
      if (url?.kind !== Kind.STRING || !(FEDERATION_SPEC.test(url.value) || TAG_SPEC.test(url.value))) continue;
      const as = arg('as');
      const namespace = as?.kind === Kind.STRING ? as.value.replace(/^@/, '') : TAG_SPEC.test(url.value) ? 'tag' : 'federation';
      names.add(`${namespace}__tag`);
      if (TAG_SPEC.test(url.value)) names.add(namespace);
      const imports = arg('import');
      if (imports?.kind !== Kind.LIST) continue;
      for (const item of imports.values) {
        if (item.kind !== Kind.OBJECT) continue;
        const field = (n: string) => item.fields.find((f) => f.name.value === n)?.value;
        const name = field('name');
        const alias = field('as');
        if (name?.kind === Kind.STRING && name.value === '@tag' && alias?.kind === Kind.STRING) names.add(alias.value.replace(/^@/, ''));
      }
    }
  }
  return names;
}

/** `Type`, `Type.field`, `Type.field(arg:)` or `schema`: where a directive stands, for messages. */
function coordinateOf(ancestors: ReadonlyArray<ASTNode | ReadonlyArray<ASTNode>>): string {
  let coordinate = '';
  for (const a of ancestors) {
    if (Array.isArray(a) || !('kind' in (a as ASTNode))) continue;
    const node = a as ASTNode;
    switch (node.kind) {
      case Kind.SCHEMA_DEFINITION:
      case Kind.SCHEMA_EXTENSION:
        coordinate = 'schema';
        break;
      case Kind.FIELD_DEFINITION:
      case Kind.ENUM_VALUE_DEFINITION:
        coordinate += `.${node.name.value}`;
        break;
      case Kind.INPUT_VALUE_DEFINITION:
        // An argument sits under a field or directive; an input field sits directly under its type.
        coordinate += coordinate.includes('.') || coordinate.startsWith('@') ? `(${node.name.value}:)` : `.${node.name.value}`;
        break;
      case Kind.DIRECTIVE_DEFINITION:
        coordinate = `@${node.name.value}`;
        break;
      default:
        if ('name' in node && node.name?.kind === Kind.NAME && node.kind !== Kind.DIRECTIVE) coordinate = node.name.value;
    }
  }
  return coordinate || 'schema';
}

/**
 * The access tags of one subgraph's SDL (`@tag(name: "scope:<scope>")` on types/fields, see access.ts):
 * problems when a scope belongs to another agency (scope prefix before ':' is an agency name from `agencies`
 * and differs from `agency`), or when no role in `roleScopes` grants the scope.
 */
export function checkAccessTags(
  subgraph: { name: string; agency: string; sdl: string },
  roleScopes: Record<string, string[]>,
  agencies: readonly string[],
): string[] {
  let document: DocumentNode;
  try {
    document = parse(subgraph.sdl);
  } catch (e) {
    return [describeError(e as Error, `subgraph "${subgraph.name}": `)];
  }
  const granted = new Set(Object.values(roleScopes).flat());
  const tagNames = tagDirectiveNames(document);
  const problems = new Set<string>();
  visit(document, {
    Directive(node, _key, _parent, _path, ancestors) {
      if (!tagNames.has(node.name.value)) return;
      const value = node.arguments?.find((a) => a.name.value === 'name')?.value;
      if (value?.kind !== Kind.STRING) return;
      const scope = scopeOfTag(value.value);
      if (scope === null) return;
      const where = `${coordinateOf(ancestors)}: @tag(name: "${value.value}")`;
      const owner = scope.includes(':') ? scope.slice(0, scope.indexOf(':')) : null;
      if (owner !== null && owner !== subgraph.agency && agencies.includes(owner)) {
        problems.add(`${where} gives ${owner}'s scope; subgraph "${subgraph.name}" of agency ${subgraph.agency} may only use its own agency's scopes or shared ones`);
      }
      if (!granted.has(scope)) problems.add(`${where}: no role grants the scope "${scope}"`);
    },
  });
  return [...problems];
}
