import { composeServices } from '@apollo/composition';
import { AccessPolicy } from '@pcmt/gateway';
import { agencyScopes } from '@pcmt/gateway/roles';
import { checkClientDocuments, operationDocuments, SHIPPED_CLIENTS, shippedClient } from '@pcmt/gateway/registry';
import { MikroORM } from '@mikro-orm/core';
import { checkAreaRules, DEFAULT_PORTS, ormConfig, subgraphSdl, type AreaRule } from '@pcmt/kit';
import { Kind, parse } from 'graphql';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DIR, SUPERGRAPH_PATH } from './paths.js';
import { loadSubgraphs, SUBGRAPH_NAMES, subgraphEntry } from './subgraphs.js';

export { ROOT, SCHEMA_DIR, SUPERGRAPH_PATH } from './paths.js';
export const ACCESS_DOC_PATH = join(SCHEMA_DIR, 'ACCESS.md');

export const sdlPath = (name: string) => join(SCHEMA_DIR, `${name}.graphql`);

/** Default routing URL written into the supergraph; deployments override it per subgraph. */
export const defaultUrl = (name: string) => `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;

/** Each subgraph's SDL as its code prints it now. */
export async function printAll(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const def of await loadSubgraphs()) out.set(def.name, await subgraphSdl(def));
  return out;
}

export interface ComposeResult {
  supergraphSdl?: string;
  errors: string[];
}

export function compose(sdls: Map<string, string>): ComposeResult {
  const result = composeServices(
    [...sdls].map(([name, sdl]) => ({ name, url: defaultUrl(name), typeDefs: parse(sdl) })),
  );
  if (result.errors) return { errors: result.errors.map((e) => e.message) };
  return { supergraphSdl: result.supergraphSdl.trim() + '\n', errors: [] };
}

export function readCommitted(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of SUBGRAPH_NAMES) {
    const p = sdlPath(name);
    if (existsSync(p)) out.set(name, readFileSync(p, 'utf8'));
  }
  return out;
}

export interface CheckReport {
  ok: boolean;
  problems: string[];
}

/** What `npm run schema:check` and the schema test enforce. */
export async function checkSchema(): Promise<CheckReport> {
  const problems: string[] = [];
  const fromCode = await printAll();
  const committed = readCommitted();
  for (const [name, sdl] of fromCode) {
    if (!committed.has(name)) problems.push(`schema/${name}.graphql is missing: run npm run schema:compose`);
    else if (committed.get(name) !== sdl) problems.push(`schema/${name}.graphql differs from the code of subgraph ${name}: run npm run schema:compose and commit`);
  }
  for (const [name, sdl] of fromCode) problems.push(...droppedEntities(name, sdl));
  const composed = compose(fromCode);
  for (const e of composed.errors) problems.push(`composition: ${e}`);
  if (composed.supergraphSdl) {
    const current = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
    if (current !== composed.supergraphSdl) problems.push('schema/supergraph.graphql is not the composition of the subgraphs: run npm run schema:compose and commit');
    const doc = existsSync(ACCESS_DOC_PATH) ? readFileSync(ACCESS_DOC_PATH, 'utf8') : '';
    if (doc !== accessDoc(composed.supergraphSdl, await areaRules())) problems.push('schema/ACCESS.md is stale: run npm run schema:compose and commit');
    problems.push(...shippedOperationProblems(composed.supergraphSdl));
  }
  // The committed typed clients (clients/<client>/) must be what codegen gives for the committed
  // supergraph and operations; loaded here only, graphql-codegen is heavy.
  const { staleClients } = await import('../codegen.js');
  problems.push(...(await staleClients()));
  return { ok: problems.length === 0, problems };
}

/**
 * The entities a subgraph says it extends (its entry in the list of subgraphs) that its SDL lacks:
 * type-graphql drops a type nothing reaches, and a dropped extension composes without an error.
 */
export function droppedEntities(name: string, sdl: string, extended = subgraphEntry(name)?.extends ?? []): string[] {
  const keyed = new Set(
    parse(sdl)
      .definitions.filter((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.directives?.some((x) => x.name.value === 'key'))
      .map((d) => (d as { name: { value: string } }).name.value),
  );
  return extended
    .filter((type) => !keyed.has(type))
    .map((type) => `subgraph ${name} extends ${type} (subgraphs/kit/src/subgraph-list.ts) but its schema has no ${type} with @key: add it to orphanedTypes in subgraphs/${name}/src/index.ts, or remove it from the list`);
}

/** Every operation shipped for a client application still validates and reads only what its agency's roles may read. */
export function shippedOperationProblems(supergraphSdl: string): string[] {
  return SHIPPED_CLIENTS.flatMap((entry) => {
    const documents = shippedClient(entry).sources.flatMap((s) => operationDocuments(s.body));
    return checkClientDocuments(supergraphSdl, documents, agencyScopes(entry.agency)).map((p) => `operation ${p.operationName} of ${entry.client} (${entry.dir}): ${p.problems.join('; ')}`);
  });
}

/** The published list of access rules and sensitive fields, generated from the supergraph's tags. */
/** Each subgraph's area rules, read from its entities' ORM metadata (an in-memory database, no tables). */
export async function areaRules(): Promise<Map<string, AreaRule[]>> {
  const out = new Map<string, AreaRule[]>();
  for (const def of await loadSubgraphs()) {
    const orm = await MikroORM.init(ormConfig({ database: { kind: 'sqlite', file: ':memory:' }, entities: def.entities, migrations: def.migrations }));
    try {
      out.set(def.name, checkAreaRules(orm));
    } finally {
      await orm.close(true);
    }
  }
  return out;
}

function areaSection(rules: Map<string, AreaRule[]>): string[] {
  return [
    '## Area scoping (địa bàn)',
    '',
    'A token names the communes its holder may see, or a whole province. Rows of a **scoped** entity belong to the',
    'commune found at the path given; every read of them (lists, counts, lookups, references, child lists, aggregates)',
    'is limited to the caller\'s area. The figures of a commune outside the area, and a province\'s figures for a caller',
    'who does not hold the whole province, are refused with `FORBIDDEN` (`reason: OUTSIDE_AREA`).',
    '',
    '| subgraph | entity (table) | rows belong to the commune at | or visible everywhere because |',
    '| --- | --- | --- | --- |',
    ...[...rules].flatMap(([subgraph, list]) => list.map((r) => `| ${subgraph} | ${r.entity} (\`${r.table}\`) | ${r.path ? `\`${r.path}\`` : ''} | ${r.why ?? ''} |`)),
    '',
  ];
}

export function accessDoc(supergraphSdl: string, rules: Map<string, AreaRule[]>): string {
  const rows = AccessPolicy.fromSupergraph(supergraphSdl)
    .entries()
    .filter(([, p]) => p.scopes.length || p.sensitive || p.pseudonym || p.smallCell);
  const lines = [
    '# Access rules, sensitive fields and area scoping',
    '',
    'Generated by `npm run schema:compose` from the `@tag`s in the subgraph schemas; `npm run schema:check` fails when it is stale.',
    'A caller needs one of a field\'s scopes. **Sensitive** fields need the `x-pcmt-purpose` header and every read is audited;',
    '**pseudonym** fields reach analysts as per-project pseudonyms; **small-cell** counts of 1–4 persons are suppressed for analysts.',
    'Fields not listed are open to every authenticated caller (keys and reference data).',
    '',
    '| field | scopes | sensitive | pseudonym | small-cell |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(([c, p]) => `| \`${c}\` | ${p.scopes.join(', ')} | ${p.sensitive ? 'yes' : ''} | ${p.pseudonym ? 'yes' : ''} | ${p.smallCell ? 'yes' : ''} |`),
    '',
    ...areaSection(rules),
  ];
  return lines.join('\n');
}

export async function writeAll(): Promise<ComposeResult> {
  const fromCode = await printAll();
  for (const [name, sdl] of fromCode) writeFileSync(sdlPath(name), sdl);
  const composed = compose(fromCode);
  if (composed.supergraphSdl) {
    writeFileSync(SUPERGRAPH_PATH, composed.supergraphSdl);
    writeFileSync(ACCESS_DOC_PATH, accessDoc(composed.supergraphSdl, await areaRules()));
  }
  return composed;
}
