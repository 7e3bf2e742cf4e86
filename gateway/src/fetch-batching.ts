import { Kind, parse, print, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';

/**
 * Several reads the query plan sends to one subgraph at the same moment (a `Parallel` node's
 * fetches: the dashboard's `period` and `periods` entities, say) go as one operation: each part's
 * root fields, variables and fragments renamed `_p<i>_…`, so the subgraph resolves them in one
 * execution and its loaders read each table once for all of them. The answer is split back into
 * one answer per part, errors by the path they name.
 */
export interface Part {
  query: string;
  variables: Record<string, unknown> | undefined;
}

export interface SubgraphAnswer {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ path?: ReadonlyArray<string | number>; [k: string]: unknown }>;
  extensions?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface Merged {
  query: string;
  variables: Record<string, unknown>;
  split(answer: SubgraphAnswer): SubgraphAnswer[];
}

/** One part's operation renamed: its query text and the response keys (original → merged). */
interface Renamed {
  operation: OperationDefinitionNode;
  fragments: DocumentNode['definitions'];
  keys: Array<[string, string]>;
}

const prefix = (i: number) => `_p${i}_`;
const renamedCache = new Map<string, Renamed | null>();

/** The part's operation with everything renamed for slot `i`; null when it cannot be merged (a write, a root fragment). */
function renamed(query: string, i: number): Renamed | null {
  const id = `${i}\u0000${query}`;
  if (renamedCache.has(id)) return renamedCache.get(id)!;
  let out: Renamed | null = null;
  try {
    const p = prefix(i);
    const doc = visit(parse(query), {
      Variable: (node) => ({ ...node, name: { ...node.name, value: p + node.name.value } }),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: p + node.name.value } }),
      FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: p + node.name.value } }),
    });
    const operations = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const op = operations[0];
    if (operations.length === 1 && op.operation === 'query' && op.selectionSet.selections.every((s) => s.kind === Kind.FIELD)) {
      const keys: Array<[string, string]> = [];
      const selections = (op.selectionSet.selections as FieldNode[]).map((f) => {
        const key = f.alias?.value ?? f.name.value;
        keys.push([key, p + key]);
        return { ...f, alias: { kind: Kind.NAME, value: p + key } } as FieldNode;
      });
      out = { operation: { ...op, selectionSet: { ...op.selectionSet, selections } }, fragments: doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION), keys };
    }
  } catch {
    out = null;
  }
  if (renamedCache.size > 2000) renamedCache.clear();
  renamedCache.set(id, out);
  return out;
}

const mergedText = new Map<string, string>();

/** The parts as one operation, or null when any cannot be merged (then each goes alone). */
export function mergeParts(parts: Part[], operationName: string): Merged | null {
  if (parts.length < 2) return null;
  const all = parts.map((part, i) => renamed(part.query, i));
  if (all.some((r) => r === null)) return null;
  const pieces = all as Renamed[];
  const textKey = [operationName, ...parts.map((p) => p.query)].join('\u0001');
  let query = mergedText.get(textKey);
  if (!query) {
    const doc: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        {
          kind: Kind.OPERATION_DEFINITION,
          operation: 'query' as any,
          name: { kind: Kind.NAME, value: operationName },
          variableDefinitions: pieces.flatMap((r) => r.operation.variableDefinitions ?? []),
          directives: [],
          selectionSet: { kind: Kind.SELECTION_SET, selections: pieces.flatMap((r) => r.operation.selectionSet.selections) },
        } as OperationDefinitionNode,
        ...pieces.flatMap((r) => r.fragments),
      ],
    };
    query = print(doc);
    if (mergedText.size > 500) mergedText.clear();
    mergedText.set(textKey, query);
  }
  const variables: Record<string, unknown> = {};
  parts.forEach((part, i) => {
    for (const [name, value] of Object.entries(part.variables ?? {})) variables[prefix(i) + name] = value;
  });
  return {
    query,
    variables,
    split(answer) {
      return pieces.map((piece, i) => {
        const p = prefix(i);
        const data = answer.data == null ? answer.data : Object.fromEntries(piece.keys.map(([own, merged]) => [own, answer.data![merged] ?? null]));
        // An error with a path belongs to the part whose field it names; one without a path to every part.
        const errors = (answer.errors ?? [])
          .filter((e) => !e.path?.length || (typeof e.path[0] === 'string' && e.path[0].startsWith(p)))
          .map((e) => (e.path?.length ? { ...e, path: [(e.path[0] as string).slice(p.length), ...e.path.slice(1)] } : e));
        const out: SubgraphAnswer = { ...answer, data };
        if (errors.length) out.errors = errors;
        else delete out.errors;
        return out;
      });
    },
  };
}
