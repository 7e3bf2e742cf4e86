import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode } from 'graphql';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Registered operations: each named operation of `dir/*.graphql` with the fragments it uses, and
 * each whole file, in the printed form a client's document is compared against.
 */
export function loadSafelist(dir: string): Set<string> {
  const out = new Set<string>();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort()) {
    const doc = parse(readFileSync(join(dir, file), 'utf8'));
    // The whole file, for clients that send it with an operationName (the dashboard does).
    out.add(print(doc));
    const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      const used = new Set<string>();
      const collect = (node: DefinitionNode) =>
        visit(node, {
          FragmentSpread: (spread) => {
            if (!used.has(spread.name.value)) {
              used.add(spread.name.value);
              const f = fragments.get(spread.name.value);
              if (f) collect(f);
            }
          },
        });
      collect(def);
      const definitions = [def, ...doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION && used.has(d.name.value))];
      out.add(print({ kind: Kind.DOCUMENT, definitions }));
    }
  }
  return out;
}

/** Introspection-only operations (GraphiQL's schema fetch) are governed by the introspection switch instead. */
export function isIntrospectionOnly(document: import('graphql').DocumentNode): boolean {
  let other = false;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const sel of def.selectionSet.selections) {
      if (sel.kind !== Kind.FIELD || !sel.name.value.startsWith('__')) other = true;
    }
  }
  return !other;
}
