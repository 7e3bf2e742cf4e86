import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse } from 'graphql';
import type { Logger } from 'pino';
import type { SubgraphInput } from './checks.js';
import { documentIdOf, operationDocuments } from './documents.js';
import type { Baseline, Registry } from './registry.js';

/** The repository's root: the shipped operation sets live in its folders. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The client applications this repository ships, each with the folder of its registered operations.
 * An agency's own system keeps its operations beside its subgraph.
 */
export const SHIPPED_CLIENTS: ReadonlyArray<{ client: string; agency: string; dir: string }> = [
  { client: 'dashboard', agency: 'program', dir: 'schema/operations' },
  { client: 'border-guard-app', agency: 'border-guard', dir: 'subgraphs/border-guard/operations' },
  { client: 'police-app', agency: 'police', dir: 'subgraphs/police/operations' },
  { client: 'health-app', agency: 'health', dir: 'subgraphs/health/operations' },
  { client: 'education-app', agency: 'education', dir: 'subgraphs/education/operations' },
  { client: 'customs-app', agency: 'customs', dir: 'subgraphs/customs/operations' },
  { client: 'legal-aid-app', agency: 'legal-aid', dir: 'subgraphs/legal-aid/operations' },
];

export const graphqlFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.graphql'))
        .sort()
        .map((f) => join(dir, f))
    : [];

/** One shipped client's operations, read from its folder; the version names its content. */
export function shippedClient(entry: { client: string; agency: string; dir: string }, root = REPO_ROOT) {
  const files = graphqlFiles(join(root, entry.dir));
  const sources: Array<{ body: string; id?: string }> = files.map((f) => ({ body: readFileSync(f, 'utf8') }));
  const ids = sources.flatMap((s) => operationDocuments(s.body).map((d) => d.id)).sort();
  return { ...entry, files, sources, version: `r-${documentIdOf(ids.join('\n')).slice(0, 12)}` };
}

/**
 * Registers every shipped client's operations (a no-op when they are already registered), so that
 * each role's token can do its work on a fresh start. Problems are the repository's own bugs.
 */
export async function publishShippedClients(registry: Registry, log: Logger, root = REPO_ROOT): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of SHIPPED_CLIENTS) {
    const shipped = shippedClient(entry, root);
    if (shipped.sources.length === 0) continue;
    const report = await registry.publishClient({ client: entry.client, agency: entry.agency, version: shipped.version, documents: shipped.sources, publishedBy: 'repository' });
    if (!report.accepted) {
      for (const p of report.problems) problems.push(`${entry.client} ${p.operationName ?? p.id}: ${p.problems.join('; ')}`);
    } else if (!report.unchanged) log.info({ client: entry.client, version: report.version, operations: report.documents.length }, 'shipped operations registered');
  }
  return problems;
}

/**
 * What the committed supergraph was composed from: each subgraph's SDL beside it (schema/<name>.graphql)
 * and its routing URL from the supergraph's join__Graph.
 */
export function readBaseline(supergraphPath: string): Baseline {
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');
  const subgraphs: SubgraphInput[] = [];
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const arg = (n: string) => (directive?.arguments?.find((a) => a.name.value === n)?.value as any)?.value as string | undefined;
      const name = arg('name');
      const url = arg('url');
      if (!name || !url) continue;
      const file = join(dirname(supergraphPath), `${name}.graphql`);
      if (!existsSync(file)) throw new Error(`the registry needs ${file}, the SDL the committed supergraph was composed from`);
      subgraphs.push({ name, url, sdl: readFileSync(file, 'utf8') });
    }
  }
  return { supergraphSdl, subgraphs };
}
