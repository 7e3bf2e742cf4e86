import { Reference, ReferenceKind, type ChangeSet, type EntityManager, type EntityMetadata, type EventSubscriber, type FlushEventArgs, type MikroORM } from '@mikro-orm/core';
import { areaPathOf, type EntityShape } from './area-rules.js';
import { communeDirectory } from './area.js';
import type { GraphQLSchema } from 'graphql';
import type { FigureSet } from './figures.js';

/**
 * What a write touched (phạm vi dữ liệu đã ghi), for the gateway's response cache: the communes
 * (and their province) and the earliest year of the rows each write changed, as the agency's own
 * figure declarations attribute rows to places and periods. The gateway then drops only cached
 * answers whose figures could count those rows. Anything the declarations cannot place (a row read
 * through another entity's condition, a relation not loaded, a subgraph with no figures) is reported
 * as touching everything (`*`, year 0), so a cached answer is never stale.
 */

/** One change: a commune (or `*`), its province (or `*`), and the earliest year it can count in (0: any). */
export interface TouchedPlace {
  c: string;
  p: string;
  y: number;
}

/** The response header carrying the report of a mutation's answer (JSON); the gateway reads it in its data source. */
export const TOUCHED_HEADER = 'x-pcmt-touched';

/** The report a subgraph sends with a mutation's answer. */
export interface TouchedReport {
  /** Everything this subgraph serves may have changed. */
  all?: true;
  changes: TouchedPlace[];
}

const ANY = '*';
/** A path the declarations cannot follow from this entity's rows. */
const UNKNOWN = Symbol('unknown');
type Path = string | null | typeof UNKNOWN;

/** How rows of one entity count in figures: where their commune, province and date are found. */
interface Attribution {
  commune: Path;
  province: Path;
  /** null: a register figure (every period counts the row). */
  period: Path;
}

interface Rules {
  byEntity: Map<string, Attribution[]>;
  /** Changes to these entities may move any figure: everything. */
  everything: Set<string>;
}

/** The figure sets of every agency, by agency (the subgraph's name): `defineFigures` registers each. */
const SETS = new Map<string, FigureSet[]>();

export function registerFigureSet(set: FigureSet): void {
  const sets = SETS.get(set.agency) ?? [];
  if (!sets.includes(set)) sets.push(set);
  SETS.set(set.agency, sets);
}

const isFigureEntry = (f: object): f is { entity: Function; commune?: string; province?: string; period?: string; where?: unknown; aggregate?: unknown } => 'entity' in f;
/** Stands for a period bound while a condition is read for its paths. */
const BOUND = Object.freeze({ bound: true });
const BOUNDS = { from: BOUND, to: BOUND, year: BOUND };

/** Property paths a condition reads (`a`, `rel.b`), and entities it reads through `$exists`. */
function conditionPaths(cond: unknown, prefix: string, paths: Set<string>, others: Set<Function>): void {
  if (!cond || typeof cond !== 'object' || Array.isArray(cond) || cond === BOUND) return;
  for (const [key, value] of Object.entries(cond as Record<string, unknown>)) {
    if (key === '$and' || key === '$or' || key === '$not') {
      for (const c of Array.isArray(value) ? value : [value]) conditionPaths(c, prefix, paths, others);
    } else if (key.startsWith('$')) {
      // `$exists` and any other operator naming an entity: that entity's rows move figures anywhere.
      collectEntities(value, others);
    } else {
      const path = prefix ? `${prefix}.${key}` : key;
      paths.add(path);
      const nested = value && typeof value === 'object' && !Array.isArray(value) && value !== BOUND && !(value instanceof Date);
      if (nested && Object.keys(value as object).some((k) => !k.startsWith('$'))) conditionPaths(value, path, paths, others);
      else if (nested) collectEntities(value, others);
    }
  }
}

function collectEntities(value: unknown, into: Set<Function>, depth = 0): void {
  if (depth > 6 || !value) return;
  if (typeof value === 'function') {
    // An entity class (`$exists: { entity }`).
    into.add(value);
    return;
  }
  if (typeof value !== 'object') return;
  for (const v of Object.values(value as Record<string, unknown>)) {
    // A condition of its own, given as a function of the period's bounds: read with stand-ins.
    if (typeof v === 'function' && v.length === 1 && !v.prototype) collectEntities(safeCall(v), into, depth + 1);
    else collectEntities(v, into, depth + 1);
  }
}

const safeCall = (f: Function) => {
  try {
    return f(BOUNDS);
  } catch {
    return null;
  }
};

const rulesCache = new Map<string, Rules | null>();
/** Subgraphs whose period types carry fields no figure set declares: what those read is unknown here. */
const unplaceable = new Set<string>();
/** Subgraphs whose period types were checked in this process (an import collector needs it: see `importCollector`). */
const checked = new Set<string>();
const PERIOD_TYPES = ['CommunePeriod', 'ProvincePeriod'];
const PERIOD_KEYS = new Set(['communeCode', 'provinceCode', 'period']);

/**
 * The gateway takes an answer's period-type fields to be figures of their place and period. A field
 * there that no declaration made (a hand-written resolver) could read anything: the subgraph's writes
 * then touch everything.
 */
export function checkPeriodFields(agency: string, schema: GraphQLSchema): string[] {
  // A subgraph without figures (program) reports every write as touching everything anyway.
  if (!SETS.get(agency)?.length) return [];
  const declared = new Set((SETS.get(agency) ?? []).flatMap((set) => Object.keys(set.fields)));
  const extra: string[] = [];
  for (const name of PERIOD_TYPES) {
    const type = schema.getType(name);
    if (!type || !('getFields' in type)) continue;
    for (const field of Object.keys((type as { getFields(): Record<string, unknown> }).getFields())) {
      if (!PERIOD_KEYS.has(field) && !declared.has(field)) extra.push(`${name}.${field}`);
    }
  }
  if (extra.length) unplaceable.add(agency);
  else unplaceable.delete(agency);
  checked.add(agency);
  rulesCache.delete(agency);
  return extra;
}

/** The attribution rules of one subgraph's entities; null when it declares no figures (everything it writes touches everything). */
function rulesOf(agency: string, metaOf: (className: string) => EntityMetadata | undefined): Rules | null {
  if (rulesCache.has(agency)) return rulesCache.get(agency)!;
  const sets = SETS.get(agency);
  if (!sets?.length || unplaceable.has(agency)) return null;
  const rules: Rules = { byEntity: new Map(), everything: new Set() };
  const add = (entity: string, a: Attribution) => rules.byEntity.set(entity, [...(rules.byEntity.get(entity) ?? []), a]);
  for (const set of sets) {
    for (const f of Object.values(set.fields)) {
      if (!isFigureEntry(f)) continue;
      const meta = metaOf(f.entity.name);
      if (!meta) {
        rules.everything.add(f.entity.name);
        continue;
      }
      const commune = f.province ? null : (f.commune ?? areaPathOf(meta as unknown as EntityShape) ?? 'communeCode');
      const province = f.province ?? null;
      const period = f.period ?? null;
      add(meta.className, { commune, province, period });
      const paths = new Set<string>([commune, province, period].filter((p): p is string => !!p));
      const others = new Set<Function>();
      conditionPaths(typeof f.where === 'function' ? safeCall(f.where) : f.where, '', paths, others);
      const agg = f.aggregate && typeof f.aggregate === 'object' ? Object.values(f.aggregate)[0] : null;
      if (typeof agg === 'string') paths.add(agg);
      for (const e of others) {
        // Read through `$exists`: its rows, and the rows its own condition reaches, move figures anywhere.
        rules.everything.add(e.name);
        for (const prop of Object.values(metaOf(e.name)?.properties ?? {}) as Array<{ kind: ReferenceKind; type: string }>) {
          if (prop.kind !== ReferenceKind.SCALAR && prop.kind !== ReferenceKind.EMBEDDED) rules.everything.add(prop.type);
        }
      }
      // Rows of the entities a figure reaches through relations move its rows: attributed through the same relation, else everywhere.
      for (const path of paths) {
        const steps = path.split('.');
        let m: EntityMetadata | undefined = meta;
        for (let i = 0; i < steps.length - 1 && m; i++) {
          const prop = m.properties[steps[i] as never] as { kind: ReferenceKind; type: string; targetMeta?: EntityMetadata } | undefined;
          if (!prop || prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.EMBEDDED) break;
          m = prop.targetMeta ?? metaOf(prop.type);
          if (!m) break;
          const prefix = `${steps.slice(0, i + 1).join('.')}.`;
          const through = (p: string | null): Path => (p === null ? null : p.startsWith(prefix) ? p.slice(prefix.length) : UNKNOWN);
          add(m.className, { commune: commune === null ? null : through(commune), province: through(province), period: period === null ? null : through(period) });
        }
      }
    }
  }
  rulesCache.set(agency, rules);
  return rules;
}

/** Values at a path in the row as written and as it was (a relation's old target is not known: UNKNOWN). */
function valuesAt(cs: ChangeSet<any>, path: string): Array<unknown | typeof UNKNOWN> {
  const steps = path.split('.');
  const out: Array<unknown | typeof UNKNOWN> = [];
  let obj: unknown = cs.entity;
  for (const [i, step] of steps.entries()) {
    if (obj && Reference.isReference(obj)) obj = (obj as Reference<object>).unwrap();
    if (obj == null) {
      out.push(null);
      break;
    }
    if (i > 0 && (obj as { __helper?: { __initialized?: boolean } }).__helper?.__initialized === false) {
      out.push(UNKNOWN);
      break;
    }
    obj = (obj as Record<string, unknown>)[step];
    if (i === steps.length - 1) out.push(obj && Reference.isReference(obj) ? UNKNOWN : obj);
  }
  if (cs.type !== 'create') {
    const original = cs.originalEntity as Record<string, unknown> | undefined;
    if (steps.length === 1) out.push(original ? original[steps[0]] : UNKNOWN);
    // The row moved to another parent: where it was counted before is not at hand.
    else if (!original || (cs.payload as Record<string, unknown>)[steps[0]] !== undefined) out.push(UNKNOWN);
  }
  return out;
}

function yearOf(v: unknown): number {
  // The earlier of the UTC and Vietnamese years of an instant: never later than the day it counts on.
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getUTCFullYear();
  if (typeof v === 'string' && /^\d{4}-\d{2}/.test(v)) return Number(v.slice(0, 4));
  return 0;
}

const code = (v: unknown): string => (typeof v === 'string' && v ? v : ANY);

/** What one changed row touched, by the rules of its entity. */
function touchesOf(cs: ChangeSet<any>, attributions: Attribution[]): Array<{ c: string; p: string | null; y: number }> {
  const out: Array<{ c: string; p: string | null; y: number }> = [];
  for (const a of attributions) {
    let y = 0;
    if (a.period !== null) {
      // A row whose date is empty (before and after) is in no period of this figure: it touches none.
      const years = a.period === UNKNOWN ? [0] : valuesAt(cs, a.period).filter((v) => v != null).map((v) => (v === UNKNOWN ? 0 : yearOf(v)));
      if (!years.length) continue;
      y = Math.min(...years);
    }
    if (a.province !== null) {
      const provinces = a.province === UNKNOWN ? [ANY] : valuesAt(cs, a.province).map((v) => (v === UNKNOWN ? ANY : code(v)));
      for (const p of provinces) out.push({ c: ANY, p, y });
    } else {
      const communes = a.commune === UNKNOWN || a.commune === null ? [ANY] : valuesAt(cs, a.commune).map((v) => (v === UNKNOWN ? ANY : code(v)));
      for (const c of communes) out.push({ c, p: null, y });
    }
  }
  return out;
}

const COLLECTOR = 'pcmt:touched';
/** More changes than this in one request are reported as one change of everything from their earliest year. */
const MAX_CHANGES = 100;

/** What the writes of a request (or of an import's rows) touched, as they are flushed. */
export class Collector {
  all = false;
  readonly changes = new Map<string, { c: string; p: string | null; y: number }>();
  constructor(readonly agency: string) {}
  /** Forks copy their filter parameters deeply: every fork of the request must fill this one. */
  clone(): this {
    return this;
  }
}

/** Starts collecting what the writes of a request (this EntityManager and its forks) touch; into `into` when given (an import's rows, each its own request). */
export function collectTouched(em: EntityManager, agency: string, into?: Collector): Collector {
  const collector = into ?? new Collector(agency);
  em.setFilterParams(COLLECTOR, { collector });
  return collector;
}

/**
 * One collector for all the rows of an import (the import route's call, `npm run import`), each row
 * written with its own EntityManager. The subgraph's period types must have been checked in this
 * process (`checkPeriodFields`: the server does it at start, the command line itself); if not,
 * every row is reported as touching everything.
 */
export function importCollector(orm: MikroORM, agency: string): Collector {
  watchTouched(orm);
  const collector = new Collector(agency);
  if (!checked.has(agency)) collector.all = true;
  return collector;
}

function collectorOf(em: EntityManager): Collector | null {
  return (em.getFilterParams(COLLECTOR) as { collector?: Collector } | undefined)?.collector ?? null;
}

/** For a write the unit of work does not see (a native statement): it touched everything this subgraph serves. */
export function touchedEverything(em: EntityManager): void {
  const c = collectorOf(em);
  if (c) c.all = true;
}

class TouchedSubscriber implements EventSubscriber {
  onFlush({ em, uow }: FlushEventArgs): void {
    const collector = collectorOf(em);
    if (!collector || collector.all) return;
    const metadata = em.getMetadata();
    const rules = rulesOf(collector.agency, (name) => metadata.getByClassName(name, false) ?? undefined);
    if (!rules) {
      collector.all = true;
      return;
    }
    for (const cs of uow.getChangeSets()) {
      const name = cs.meta.className;
      // The kit's own bookkeeping (idempotency records) is read by no figure.
      if (name === 'IdempotentWrite') continue;
      if (rules.everything.has(name)) {
        collector.all = true;
        return;
      }
      for (const t of touchesOf(cs, rules.byEntity.get(name) ?? [])) collector.changes.set(`${t.c}|${t.p}|${t.y}`, t);
    }
  }
}

const watched = new WeakSet<object>();

/** Registers the flush listener once per ORM: every flush of a collecting request reports its rows. */
export function watchTouched(orm: MikroORM): void {
  const events = orm.em.getEventManager();
  if (watched.has(events)) return;
  watched.add(events);
  events.registerSubscriber(new TouchedSubscriber());
}

/** The report of a request's writes, provinces filled in from the commune directory; null when it collected nothing. */
export async function touchedReport(em: EntityManager, orm: MikroORM): Promise<TouchedReport | null> {
  const collector = collectorOf(em);
  return collector ? collectedReport(collector, orm) : null;
}

/**
 * The report of what a collector gathered. More than `max` changes become one per province (every
 * commune of it, from the earliest year): still exact about the provinces, a bounded header.
 */
export async function collectedReport(collector: Collector, orm: MikroORM, max = MAX_CHANGES): Promise<TouchedReport> {
  if (collector.all) return { all: true, changes: [] };
  const changes = [...collector.changes.values()];
  const provinceOf = new Map<string, string>();
  if (changes.some((c) => c.p === null && c.c !== ANY)) {
    const directory = await communeDirectory(orm).get();
    for (const [province, communes] of directory.byProvince) for (const c of communes) provinceOf.set(c, province);
  }
  const placed = changes.map((c) => ({ c: c.c, p: c.p ?? provinceOf.get(c.c) ?? ANY, y: c.y }));
  if (placed.length <= max) return { changes: placed };
  const byProvince = new Map<string, number>();
  for (const c of placed) byProvince.set(c.p, Math.min(c.y, byProvince.get(c.p) ?? Infinity));
  if (byProvince.size > max) return { changes: [{ c: ANY, p: ANY, y: Math.min(...byProvince.values()) }] };
  return { changes: [...byProvince].map(([p, y]) => ({ c: ANY, p, y })) };
}
