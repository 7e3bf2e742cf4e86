import type { SubgraphDefinition } from '@pcmt/kit';

/** Every subgraph of the graph, in start order. */
export const SUBGRAPH_NAMES = ['program', 'police', 'health', 'education', 'customs', 'legal-aid'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Loads a subgraph's definition from its workspace package `@pcmt/<name>`. */
export async function loadSubgraph(name: string): Promise<SubgraphDefinition> {
  if (!(SUBGRAPH_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown subgraph "${name}"; known: ${SUBGRAPH_NAMES.join(', ')}`);
  }
  const mod = await import(`@pcmt/${name}`);
  return mod.default as SubgraphDefinition;
}

export async function loadSubgraphs(names: readonly string[] = SUBGRAPH_NAMES): Promise<SubgraphDefinition[]> {
  return Promise.all(names.map(loadSubgraph));
}
