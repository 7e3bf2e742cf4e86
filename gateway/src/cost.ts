import { getNamedType, getNullableType, isCompositeType, isListType, Kind, type DocumentNode, type GraphQLCompositeType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { periodSpan } from './fair-share.js';

/** Unpaged lists whose length is known: every indicator of a place in a period. */
export const DEFAULT_LIST_ROWS: Readonly<Record<string, number>> = { 'CommunePeriod.indicators': 25, 'ProvincePeriod.indicators': 25, 'Query.indicators': 25 };

/**
 * Rough cost: every field costs 1 per parent row. List fields multiply by their `first`, a period
 * range (`from`/`to`) by the number of periods it spans, a page's `items` by the page's `first`,
 * lists of known length (`listRows`: the indicator catalogue) by that length, other unpaged lists by
 * `unpagedRows` (a person's files, a case's suspects: a few each).
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  listRows: Readonly<Record<string, number>> = DEFAULT_LIST_ROWS,
  unpagedRows = 10,
): number {
  const fragments = new Map(document.definitions.filter((d: any) => d.kind === Kind.FRAGMENT_DEFINITION).map((d: any) => [d.name.value, d]));
  // `page`: the `first` of a paged field, which its `items` list gets.
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, rows: number, depth: number, page?: number): number => {
    if (depth > 50) return Infinity;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) cost += walk(sel.selectionSet, (sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent) as GraphQLCompositeType, rows, depth + 1, page);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value);
        if (f) cost += walk(f.selectionSet, schema.getType(f.typeCondition.name.value) as GraphQLCompositeType, rows, depth + 1, page);
      } else {
        const def = (parent as any).getFields?.()[sel.name.value];
        cost += rows;
        if (!def || !sel.selectionSet) continue;
        const named = getNamedType(def.type);
        if (!isCompositeType(named)) continue;
        const valueOf = (name: string): unknown => {
          const arg = sel.arguments?.find((a) => a.name.value === name);
          if (!arg) return undefined;
          if (arg.value.kind === Kind.VARIABLE) return variables[arg.value.name.value];
          return arg.value.kind === Kind.INT ? Number(arg.value.value) : arg.value.kind === Kind.STRING ? arg.value.value : null;
        };
        const first = valueOf('first');
        const pageSize = first === undefined ? undefined : Number(first ?? 50);
        let n = 1;
        let childPage: number | undefined;
        if (isListType(getNullableType(def.type))) {
          const span = periodSpan(valueOf('from'), valueOf('to'));
          const v = pageSize ?? span ?? page ?? listRows[`${parent.name}.${sel.name.value}`] ?? unpagedRows;
          n = Number.isFinite(v) && v > 0 ? v : 50;
        } else if (pageSize !== undefined) {
          // A page object (`{ totalCount items }`): its list has `first` rows.
          childPage = Number.isFinite(pageSize) && pageSize > 0 ? pageSize : 50;
        }
        cost += walk(sel.selectionSet, named, rows * n, depth + 1, childPage);
      }
    }
    return cost;
  };
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  return root ? walk(operation.selectionSet, root, 1, 0) : 0;
}
