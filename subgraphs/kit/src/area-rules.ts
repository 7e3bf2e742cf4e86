// How each entity's rows are scoped to an area; kept apart from area.ts so that entity modules
// can use the decorators without an import cycle.

export type Rule = { path: string } | { exempt: string };

const RULES = new WeakMap<Function, Rule>();

/**
 * The rows of this entity belong to the commune found at `path` (a property, or a relation's
 * property such as `drugCase.communeCode`). Entities with a `communeCode` property need no
 * decorator; every other entity must say how it is scoped.
 */
export function AreaScoped(path: string): ClassDecorator {
  return (target) => {
    RULES.set(target, { path });
  };
}

/** The rows of this entity are visible in every area; `why` is for the reader of the code. */
export function NotAreaScoped(why: string): ClassDecorator {
  return (target) => {
    RULES.set(target, { exempt: why });
  };
}

export interface EntityShape {
  className: string;
  class: Function;
  properties: Record<string, unknown>;
}

/** How an entity's rows are scoped: the path to their commune code, or why they are not. */
export function areaRuleOf(meta: EntityShape): Rule {
  const rule = RULES.get(meta.class);
  if (rule) return rule;
  if ('communeCode' in meta.properties) return { path: 'communeCode' };
  throw new Error(`${meta.className}: say how its rows are scoped to an area, with @AreaScoped('<path to a commune code>') or @NotAreaScoped('<why>')`);
}

/** The path to the commune code of an entity's rows, or null when its rows are not scoped. */
export function areaPathOf(meta: EntityShape): string | null {
  const rule = areaRuleOf(meta);
  return 'path' in rule ? rule.path : null;
}

/** The commune code an object carries itself: plain objects (period stubs) and entities scoped by their own `communeCode`. */
export function ownCommuneCode(source: object): unknown {
  const rule = RULES.get(source.constructor);
  if (rule && !('path' in rule && rule.path === 'communeCode')) return undefined;
  return (source as { communeCode?: unknown }).communeCode;
}
