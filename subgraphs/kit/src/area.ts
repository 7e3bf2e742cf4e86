import type { EntityManager, EntityMetadata, EntityProperty, FilterDef, MikroORM } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import type { Scope } from './access-tags.js';
import type { Identity } from './identity.js';
import { KnownCommune } from './known-commune.js';
import { areaPathOf, areaRuleOf, ownCommuneCode, type EntityShape } from './area-rules.js';

export { AreaScoped, NotAreaScoped, areaPathOf } from './area-rules.js';

/**
 * Commune/province scoping (phạm vi địa bàn). A token names the communes its holder may see, or
 * a whole province. Every row about people or events carries the commune it belongs to; the
 * ORM filter below adds "commune in the caller's area" to every read of such a row, so lists,
 * counts, references and children of out-of-area records are simply not there. Organisations
 * (clinics, schools, border gates…) and reference data are not scoped.
 */

/** The scope of a role whose area is the whole country (gateway/src/roles.ts). */
export const NATIONAL_AREA_SCOPE: Scope = 'area:national';

/** What a caller may see: everything, or a set of communes (a whole province when `provinces` has it). */
export type AreaGrant =
  | { everywhere: true }
  | { everywhere: false; communes: ReadonlySet<string>; provinces: ReadonlySet<string> };

export interface AreaRule {
  entity: string;
  table: string;
  /** Where the row's commune code is (`communeCode`, `drugCase.communeCode`), or null. */
  path: string | null;
  /** Why the rows are visible in every area, when they are. */
  why: string | null;
}

/**
 * Every entity's rule, for the published access document. Throws (so a subgraph refuses to
 * start) when an entity does not say how it is scoped.
 */
export function checkAreaRules(orm: MikroORM): AreaRule[] {
  return [...new Set(orm.getMetadata().getAll().values())]
    .filter((meta) => !meta.embeddable && !meta.virtual && !meta.pivotTable)
    .map((meta) => {
      const rule = areaRuleOf(meta as unknown as EntityShape);
      if ('path' in rule) checkPath(meta, rule.path);
      return { entity: meta.className, table: meta.tableName, path: 'path' in rule ? rule.path : null, why: 'exempt' in rule ? rule.exempt : null };
    })
    .sort((a, b) => a.entity.localeCompare(b.entity));
}

/** A path must name relations, then a column: a typo would otherwise fail at the first query. */
function checkPath(meta: EntityMetadata, path: string): void {
  let current: EntityMetadata | undefined = meta;
  const steps = path.split('.');
  steps.forEach((step, i) => {
    const prop: EntityProperty | undefined = current?.properties[step as never];
    const last = i === steps.length - 1;
    if (!prop || (!last && !prop.targetMeta)) throw new Error(`${meta.className}: area path "${path}" does not lead to a column (at "${step}")`);
    current = prop.targetMeta;
  });
}

/** `a.b.c` → `{ a: { b: { c: value } } }`: a filter on a relation's property. */
function nest(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reduceRight<Record<string, unknown>>((inner, key, i, keys) => ({ [key]: i === keys.length - 1 ? value : inner }), {} as never);
}

function whereIn(path: string, grant: AreaGrant): Record<string, unknown> {
  if (grant.everywhere) return {};
  return nest(path, { $in: [...grant.communes] });
}

export const AREA_FILTER = 'area';

/** Registered on every subgraph's ORM; inert until a request sets its params (seeds and imports see all). */
export const areaFilter: FilterDef = {
  name: AREA_FILTER,
  default: true,
  args: false,
  cond: (args: { area?: CallerArea } | undefined, _type, em: EntityManager, _options, entityName?: string) => {
    const area = args?.area;
    if (!area || !entityName) return {};
    const meta = em.getMetadata().getByClassName(entityName, false);
    const path = meta ? areaPathOf(meta as unknown as EntityShape) : null;
    if (!path) return {};
    const grant = area.current;
    return grant ? whereIn(path, grant) : area.ready.then((g) => whereIn(path, g));
  },
};

/**
 * Find options for integrity checks in writes — a number already taken, one treatment or open
 * file per person: rows of every area count, or a commune officer could create a duplicate of a
 * record they cannot see.
 */
export const ALL_AREAS = { filters: { [AREA_FILTER]: false } };

/** The caller's area of the request whose EntityManager this is (writes check communes with it). */
export function areaOfEm(em: EntityManager): CallerArea | null {
  return (em.getFilterParams(AREA_FILTER) as { area?: CallerArea } | undefined)?.area ?? null;
}

export function outsideArea(what: string): GraphQLError {
  return new GraphQLError(`Forbidden: ${what} is outside your area (địa bàn)`, { extensions: { code: 'FORBIDDEN', reason: 'OUTSIDE_AREA' } });
}

interface Directory {
  at: number;
  byProvince: Map<string, string[]>;
  all: number;
}

/** Official commune codes per province, from the subgraph's reference copy; cached for a while. */
export class CommuneDirectory {
  private loaded: Directory | null = null;
  private pending: Promise<Directory> | null = null;

  constructor(private readonly orm: MikroORM) {}

  async get(now = Date.now()): Promise<Directory> {
    if (this.loaded && now - this.loaded.at < DIRECTORY_TTL_MS) return this.loaded;
    this.pending ??= (async () => {
      try {
        const rows = await this.orm.em.fork().find(KnownCommune, {}, { fields: ['code', 'provinceCode'], filters: false });
        const byProvince = new Map<string, string[]>();
        for (const r of rows) {
          const codes = byProvince.get(r.provinceCode);
          if (codes) codes.push(r.code);
          else byProvince.set(r.provinceCode, [r.code]);
        }
        const fresh: Directory = { at: now, byProvince, all: rows.length };
        // An empty copy (before the first seed) is not kept: the next request looks again.
        if (rows.length) this.loaded = fresh;
        return fresh;
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  }
}

const DIRECTORY_TTL_MS = 5 * 60_000;
const directories = new WeakMap<MikroORM, CommuneDirectory>();

export function communeDirectory(orm: MikroORM): CommuneDirectory {
  let d = directories.get(orm);
  if (!d) directories.set(orm, (d = new CommuneDirectory(orm)));
  return d;
}

/**
 * One request's area. Resolved once (the province's communes come from the directory); then
 * every check is a set lookup. A caller whose token names no area sees nothing.
 */
export class CallerArea {
  current: AreaGrant | null = null;
  readonly ready: Promise<AreaGrant>;

  constructor(grant: AreaGrant | Promise<AreaGrant>) {
    if ('then' in grant) {
      this.ready = grant.then((g) => (this.current = g));
      // Awaited where used; this only keeps an unused failure from crashing the process.
      this.ready.catch(() => {});
    } else {
      this.current = grant;
      this.ready = Promise.resolve(grant);
    }
  }

  /** MikroORM copies filter params into every fork; a request keeps one area object. */
  clone(): this {
    return this;
  }

  static everywhere(): CallerArea {
    return new CallerArea({ everywhere: true });
  }

  static of(caller: (Pick<Identity, 'communes' | 'province'> & { scopes?: readonly string[] }) | null, directory: Pick<CommuneDirectory, 'get'>): CallerArea {
    // A national office (Văn phòng Ủy ban Quốc gia PCMT) sees every province the graph serves.
    if (caller?.scopes?.includes(NATIONAL_AREA_SCOPE)) return CallerArea.everywhere();
    const communes = caller?.communes ?? [];
    if (communes.length > 0 || !caller?.province) return new CallerArea({ everywhere: false, communes: new Set(communes), provinces: new Set() });
    return new CallerArea(CallerArea.provinceGrant(caller.province, directory));
  }

  private static async provinceGrant(province: string, directory: Pick<CommuneDirectory, 'get'>): Promise<AreaGrant> {
    const dir = await directory.get();
    const own = dir.byProvince.get(province) ?? [];
    // Every commune this subgraph knows: no filter needed at all.
    if (own.length > 0 && own.length === dir.all) return { everywhere: true };
    return { everywhere: false, communes: new Set(own), provinces: new Set([province]) };
  }

  /** True when the commune is in the area (call after `ready`). */
  covers(communeCode: string): boolean {
    const g = this.current;
    return !!g && (g.everywhere || g.communes.has(communeCode));
  }

  /** Province-wide figures need the whole province. */
  coversProvince(provinceCode: string): boolean {
    const g = this.current;
    return !!g && (g.everywhere || g.provinces.has(provinceCode));
  }

  /**
   * Null when a GraphQL object (a record, a commune, a commune or province period) is in the
   * area; otherwise what to call it in the FORBIDDEN message. Organisations and reference rows
   * pass.
   */
  refusal(typeName: string, source: unknown): string | null {
    if (source === null || typeof source !== 'object') return null;
    const s = source as Record<string, unknown>;
    if (typeName === 'Province' || typeName === 'ProvincePeriod') {
      const code = String(typeName === 'Province' ? s.code : s.provinceCode);
      return this.coversProvince(code) ? null : `province ${code}`;
    }
    const commune = typeName === 'Commune' ? s.code : ownCommuneCode(source);
    if (typeof commune !== 'string') return null;
    return this.covers(commune) ? null : `commune ${commune}`;
  }

  /** A `where` fragment limiting `property` (a commune code column) to the area; {} when everywhere. */
  async where(property = 'communeCode'): Promise<Record<string, unknown>> {
    return whereIn(property, await this.ready);
  }
}
