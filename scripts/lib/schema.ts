import { composeServices } from '@apollo/composition';
import { DEFAULT_PORTS, subgraphSdl } from '@pcmt/kit';
import { parse } from 'graphql';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSubgraphs, SUBGRAPH_NAMES } from './subgraphs.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMA_DIR = join(ROOT, 'schema');
export const SUPERGRAPH_PATH = join(SCHEMA_DIR, 'supergraph.graphql');

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
  const composed = compose(fromCode);
  for (const e of composed.errors) problems.push(`composition: ${e}`);
  if (composed.supergraphSdl) {
    const current = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
    if (current !== composed.supergraphSdl) problems.push('schema/supergraph.graphql is not the composition of the subgraphs: run npm run schema:compose and commit');
  }
  return { ok: problems.length === 0, problems };
}

export async function writeAll(): Promise<ComposeResult> {
  const fromCode = await printAll();
  for (const [name, sdl] of fromCode) writeFileSync(sdlPath(name), sdl);
  const composed = compose(fromCode);
  if (composed.supergraphSdl) writeFileSync(SUPERGRAPH_PATH, composed.supergraphSdl);
  return composed;
}
