import { defaultFieldResolver, getNullableType, GraphQLError, isListType, isObjectType, type DirectiveNode, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { accessTags, requiredScopes, tagNames } from './access-tags.js';
import type { SubgraphContext } from './context.js';
import { outsideArea } from './area.js';
import { turns } from './turns.js';

type Tagged = { astNode?: { directives?: readonly DirectiveNode[] } | null };

const scopeTags = (node: Tagged): string[] => accessTags(tagNames(node.astNode?.directives)).scopes;

export function callerMay(scopes: readonly string[], required: readonly string[]): boolean {
  return required.length === 0 || scopes.includes('*') || required.some((s) => scopes.includes(s));
}

function refuse(what: string): GraphQLError {
  return new GraphQLError(`Forbidden: your role may not read ${what}`, { extensions: { code: 'FORBIDDEN' } });
}

const AREA_PERIOD_KEYS: Record<string, string[]> = { CommunePeriod: ['communeCode', 'period'], ProvincePeriod: ['provinceCode', 'period'] };

/** Runs `then` once the caller's area is known; FORBIDDEN when the object is outside it. */
function withinArea<T>(ctx: SubgraphContext, typeName: string, source: unknown, then: () => T): T | Promise<T> {
  const area = ctx?.area;
  if (!area) throw outsideArea('this record');
  const check = () => {
    const refused = area.refusal(typeName, source);
    if (refused) throw outsideArea(refused);
    return then();
  };
  return area.current ? check() : area.ready.then(check);
}

/** Lists longer than this are completed item by item across turns (a few fields' worth at once is not worth a promise each). */
const SLICED_LIST = 16;

/**
 * graphql-js completes a list's items in one synchronous loop: 750 periods × 40 figures of a heavy
 * request was one stretch of 100–300 ms that no turn could cut. With turns on, each item of a long
 * list is handed over as a promise that takes its turn (turns.ts `pass`) when it is completed, so
 * the loop takes other requests in between; off, the list goes as it is.
 */
function slicedLists(resolve: GraphQLFieldResolver<unknown, SubgraphContext>): GraphQLFieldResolver<unknown, SubgraphContext> {
  const slice = (value: unknown, ctx: SubgraphContext): unknown =>
    Array.isArray(value) && value.length > SLICED_LIST ? value.map((item) => Promise.resolve(item).then((v) => turns.pass(ctx, v))) : value;
  return (source, args, ctx, info) => {
    const value = resolve(source, args, ctx, info);
    if (!turns.on || !ctx) return value;
    return value instanceof Promise ? value.then((v) => slice(v, ctx)) : slice(value, ctx);
  };
}

/**
 * Defence in depth: the gateway already withholds fields a caller may not read, and the subgraph
 * checks the same `scope:` tags again on every field and in every `__resolveReference`, so a
 * request that reached it another way (or a gateway bug) still cannot read them. The same
 * fields are refused on an object outside the caller's area (a commune's or the province's
 * figures, a record): the ORM filter already keeps such records out of every list, and this
 * stops the figures computed from a commune code alone.
 */
export function enforceScopeTags(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeScopes = scopeTags(type);
    // Everything on a period but its key is a figure of the area, tagged or not (indicators).
    const periodKeys = AREA_PERIOD_KEYS[type.name];
    for (const field of Object.values(type.getFields())) {
      if (isListType(getNullableType(field.type))) field.resolve = slicedLists(field.resolve ?? defaultFieldResolver);
      const required = requiredScopes(scopeTags(field), typeScopes);
      const areaBound = required.length > 0 || (periodKeys !== undefined && !periodKeys.includes(field.name));
      if (!areaBound) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const coordinate = `${type.name}.${field.name}`;
      field.resolve = (source, args, ctx: SubgraphContext, info) => {
        if (!callerMay(ctx.caller?.scopes ?? [], required)) throw refuse(coordinate);
        const value = withinArea(ctx, type.name, source, () => resolve(source, args, ctx, info));
        // An answer that had to wait (a loader, the database) takes its turn before it is completed.
        // Turns off, no extra promise hop: loaders batch by rounds, not by microtask timing (turns.ts).
        return turns.on && value instanceof Promise ? value.then((v) => turns.pass(ctx, v)) : value;
      };
    }
    // @apollo/subgraph keeps __resolveReference in the type's extensions.
    const ext = type.extensions as { apollo?: { subgraph?: { resolveReference?: (ref: unknown, ctx: SubgraphContext, info: unknown) => unknown } } };
    const resolveReference = ext.apollo?.subgraph?.resolveReference;
    if (typeScopes.length && resolveReference) {
      (type as { extensions: unknown }).extensions = {
        ...ext,
        apollo: {
          ...ext.apollo,
          subgraph: {
            ...ext.apollo?.subgraph,
            resolveReference: (ref: unknown, ctx: SubgraphContext, info: unknown) => {
              if (!callerMay(ctx.caller?.scopes ?? [], typeScopes)) throw refuse(type.name);
              return resolveReference(ref, ctx, info);
            },
          },
        },
      };
    }
  }
  return schema;
}
