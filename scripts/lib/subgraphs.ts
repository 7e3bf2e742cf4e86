import type { SubgraphDefinition } from '@pcmt/kit';
import { SUBGRAPH_NAMES } from '@pcmt/kit/subgraph-list';

/** Every subgraph of the graph, in start order: the one list in subgraphs/kit/src/subgraph-list.ts. */
export { SUBGRAPH_NAMES, SUBGRAPHS, subgraphEntry, type SubgraphEntry } from '@pcmt/kit/subgraph-list';
export type SubgraphName = string;

/** Loads a subgraph's definition from its workspace package `@pcmt/<name>`. */
export async function loadSubgraph(name: string): Promise<SubgraphDefinition> {
  if (!SUBGRAPH_NAMES.includes(name)) {
    throw new Error(`unknown subgraph "${name}"; known: ${SUBGRAPH_NAMES.join(', ')}`);
  }
  const mod = await import(`@pcmt/${name}`);
  return mod.default as SubgraphDefinition;
}

export async function loadSubgraphs(names: readonly string[] = SUBGRAPH_NAMES): Promise<SubgraphDefinition[]> {
  return Promise.all(names.map(loadSubgraph));
}
