import type { ApolloGateway } from '@apollo/gateway';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { getNamedType, isCompositeType, Kind, parse, printSchema, valueFromASTUntyped, type DocumentNode, type FieldNode, type GraphQLCompositeType, type GraphQLOutputType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, type Registry as MetricsRegistry } from 'prom-client';
import { AccessPolicy, AUDIT_KEY_ALIAS, AUDIT_PERSON_ALIAS } from './access.js';
import type { Caller } from './auth.js';
import { openSql, type Sql, type SqlTarget } from './registry/sql.js';
import { seesSmallCells } from '@pcmt/kit/small-cells';

/**
 * The response cache (bộ nhớ đệm kết quả). It sits below the security layer (secure.ts), between
 * the access decision and Apollo's executor: the document it sees has the caller's forbidden fields
 * already removed, and pseudonyms, small-cell suppression and the audit are applied after it, on
 * every answer, cached or not. An entry is keyed by the planned document, its variables and the
 * caller's permission class; it records the number of the last change and what it read (subgraphs,
 * places, years), and is served while no later change overlaps that (mutations through the gateway,
 * imports and uploads: what their rows touched). The change log lives in the gateway's registry
 * database, which every replica and the import command share.
 */

/** Subgraph name of a change that every entry depends on: recording it empties the whole cache. */
export const ALL_DATA = '*';
/** Not a subgraph: the database's cache epoch. */
const EPOCH = '~epoch';
/** Not a subgraph: the number of the last recorded change. */
const SEQ = '~seq';
/** The subgraph that owns the places, periods and catalogues (writes plans and closures only). */
const PROGRAM = 'program';
const ANY = '*';

/**
 * One recorded change: in a subgraph, a commune (or `*`), its province (or `*`), the earliest year
 * its rows can count in (0: any). What a subgraph reports of a mutation (kit touched.ts), or, for
 * writes it cannot place, the subgraph as a whole (`*`, `*`, 0).
 */
export interface DataChange {
  subgraph: string;
  c: string;
  p: string;
  y: number;
}

/** What an entry depends on. */
export interface Dependencies {
  /** Subgraphs read as a whole: any change in them. */
  whole: string[];
  /** Subgraphs read only through figures of these places, for periods ending in `year` or before. */
  placed: { subgraphs: string[]; communes: string[]; provinces: string[]; year: number; anywhere?: boolean } | null;
}

export interface CacheState {
  epoch: number;
  seq: number;
}

/**
 * The change log, shared by replicas and import commands through the registry database: one row per
 * subgraph, commune, province and year, carrying the number of the last change recorded there.
 * Entries remember the number they were computed after and are served while no later change overlaps
 * what they read.
 */
export class DataVersions {
  private ready: Promise<void> | null = null;

  constructor(private readonly sql: Sql) {}

  static open(target: SqlTarget): DataVersions {
    return new DataVersions(openSql(target));
  }

  private init(): Promise<void> {
    this.ready ??= (async () => {
      await this.sql.run('create table if not exists response_cache_version (subgraph text primary key, version bigint not null)');
      await this.sql.run(
        'create table if not exists response_cache_change (subgraph text not null, commune text not null, province text not null, year integer not null, seq bigint not null, primary key (subgraph, commune, province, year))',
      );
      await this.sql.run('create index if not exists response_cache_change_seq on response_cache_change (seq)');
      // A random epoch per database, part of every key: a Redis shared with another deployment (or
      // an earlier test run on a fresh database) never answers from that one's entries.
      await this.sql.run('insert into response_cache_version (subgraph, version) values (?, ?) on conflict (subgraph) do nothing', [EPOCH, Math.floor(Math.random() * 2 ** 48)]);
      await this.sql.run('insert into response_cache_version (subgraph, version) values (?, 0) on conflict (subgraph) do nothing', [SEQ]);
    })().catch((err) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  /** The epoch and the number of the last change. */
  async current(): Promise<CacheState> {
    await this.init();
    const rows = await this.sql.all<{ subgraph: string; version: number | string }>('select subgraph, version from response_cache_version where subgraph in (?, ?)', [EPOCH, SEQ]);
    const get = (k: string) => Number(rows.find((r) => r.subgraph === k)?.version ?? 0);
    return { epoch: get(EPOCH), seq: get(SEQ) };
  }

  /** Whether a change recorded after `seq` overlaps what an entry read. */
  async changedSince(seq: number, deps: Dependencies): Promise<boolean> {
    await this.init();
    const params: unknown[] = [seq];
    const inList = (xs: string[]) => (params.push(...xs), xs.map(() => '?').join(', '));
    const alternatives = [`subgraph in (${inList([ALL_DATA, ...deps.whole])})`];
    const placed = deps.placed;
    if (placed && placed.subgraphs.length && placed.anywhere) {
      const subgraphs = inList(placed.subgraphs);
      params.push(placed.year);
      alternatives.push(`(subgraph in (${subgraphs}) and year <= ?)`);
    } else if (placed && placed.subgraphs.length && (placed.communes.length || placed.provinces.length)) {
      // Parameters in the order of the text.
      const subgraphs = inList(placed.subgraphs);
      params.push(placed.year);
      const where: string[] = [];
      // `*`: the change could not be placed (or is province-level): every commune, every province.
      if (placed.communes.length) where.push(`commune in (${inList([ANY, ...placed.communes])})`);
      if (placed.provinces.length) where.push(`province in (${inList([ANY, ...placed.provinces])})`);
      alternatives.push(`(subgraph in (${subgraphs}) and year <= ? and (${where.join(' or ')}))`);
    } else if (placed) {
      alternatives.push(`subgraph in (${inList(placed.subgraphs)})`);
    }
    const rows = await this.sql.all(`select 1 as x from response_cache_change where seq > ? and (${alternatives.join(' or ')}) limit 1`, params);
    return rows.length > 0;
  }

  /** Records changes under one new number: entries computed before it that read any of them are no longer served. */
  async record(changes: DataChange[]): Promise<void> {
    await this.init();
    const unique = new Map(changes.map((c) => [`${c.subgraph}|${c.c}|${c.p}|${c.y}`, c]));
    if (!unique.size) return;
    // One transaction: the counter's row lock keeps numbers in commit order across replicas.
    await this.sql.transaction(async (tx) => {
      await tx.run('update response_cache_version set version = version + 1 where subgraph = ?', [SEQ]);
      const [{ version }] = await tx.all<{ version: number | string }>('select version from response_cache_version where subgraph = ?', [SEQ]);
      for (const c of unique.values()) {
        await tx.run(
          'insert into response_cache_change (subgraph, commune, province, year, seq) values (?, ?, ?, ?, ?) on conflict (subgraph, commune, province, year) do update set seq = excluded.seq',
          [c.subgraph, c.c, c.p, c.y, Number(version)],
        );
      }
    });
  }

  /** Marks the subgraphs' data as changed as a whole. */
  bump(subgraphs: Iterable<string>): Promise<void> {
    return this.record([...new Set(subgraphs)].map((subgraph) => ({ subgraph, c: ANY, p: ANY, y: 0 })));
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

/**
 * For writers outside the gateway (`npm run import`, `npm run seed`, the upload route): the gateway's
 * registry database, opened and closed once. Without `changes`, the subgraphs as a whole.
 */
export async function markDataChanged(target: SqlTarget, subgraphs: string[], changes?: DataChange[]): Promise<void> {
  const versions = DataVersions.open(target);
  try {
    if (changes) await versions.record(changes);
    else await versions.bump(subgraphs);
  } finally {
    await versions.close();
  }
}

/** A subgraph's report of what a mutation touched (kit touched.ts), as the changes to record. */
export function changesOf(subgraph: string, report: unknown): DataChange[] | null {
  const r = report as { all?: unknown; changes?: unknown } | null | undefined;
  if (!r || typeof r !== 'object') return null;
  if (r.all === true) return [{ subgraph, c: ANY, p: ANY, y: 0 }];
  if (!Array.isArray(r.changes)) return null;
  const out: DataChange[] = [];
  for (const ch of r.changes as Array<Record<string, unknown>>) {
    if (!ch || typeof ch.c !== 'string' || typeof ch.p !== 'string' || typeof ch.y !== 'number' || !Number.isInteger(ch.y)) return null;
    out.push({ subgraph, c: ch.c, p: ch.p, y: ch.y });
  }
  return out;
}

/** The response header a subgraph reports a mutation's touched places in (kit touched.ts `TOUCHED_HEADER`). */
export const TOUCHED_HEADER = 'x-pcmt-touched';

/** The data source's hook (subgraph-client.ts): notes a subgraph's report in the request's context. */
export function noteTouched(context: unknown, subgraph: string, report: unknown): void {
  if (!context || typeof context !== 'object' || report === undefined) return;
  const ctx = context as { [TOUCHED]?: Map<string, unknown[]> };
  const reports = (ctx[TOUCHED] ??= new Map());
  reports.set(subgraph, [...(reports.get(subgraph) ?? []), report]);
}

const TOUCHED = Symbol.for('pcmt.response-cache.touched');

const sortedUnique = (xs: readonly string[]) => [...new Set(xs)].sort();

/**
 * The caller's permission class: everything about the caller that can change an answer — scopes
 * (what may be read), roles and agency (forwarded to the subgraphs), area (communes, province), the
 * client application, the pseudonym project; for a caller shown pseudonyms without a project, the
 * caller itself (pseudonyms are then keyed by the subject). Two callers share entries only when all
 * of it is equal. The subject is otherwise left out (no read depends on it): every steering-committee
 * member shares the dashboard's entries.
 */
export function permissionClass(caller: Caller): string {
  // Pseudonyms are keyed by the project, or by the subject when the token names none.
  const pseudonymous = caller.scopes.includes('person:pseudonym') && !seesSmallCells(caller.scopes);
  const cls = {
    scopes: sortedUnique(caller.scopes),
    roles: sortedUnique(caller.roles),
    agency: caller.agency,
    communes: sortedUnique(caller.communes),
    province: caller.province,
    client: caller.client,
    project: pseudonymous ? (caller.project ?? `subject:${caller.sub}`) : caller.project,
  };
  return createHash('sha256').update(JSON.stringify(cls)).digest('base64url');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` variables are one entry. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The subgraphs a query plan fetches from. */
export function planSubgraphs(plan: any): Set<string> {
  const found = new Set<string>();
  const walk = (node: any): void => {
    if (!node || typeof node !== 'object') return;
    switch (node.kind) {
      case 'Fetch':
        found.add(node.serviceName);
        return;
      case 'Sequence':
      case 'Parallel':
        node.nodes.forEach(walk);
        return;
      case 'Flatten':
        walk(node.node);
        return;
      case 'Condition':
        walk(node.ifClause);
        walk(node.elseClause);
        return;
      case 'Defer':
        walk(node.primary?.node);
        for (const d of node.deferred ?? []) walk(d.node);
        return;
      case 'Subscription':
        walk(node.primary);
        walk(node.rest);
        return;
      case 'QueryPlan':
        walk(node.node);
        return;
      default:
        // A plan node this code does not know: depend on everything rather than miss a subgraph.
        found.add(ALL_DATA);
    }
  };
  walk(plan);
  return found;
}

/** Whether the operation reads a field tagged sensitive (or carries the audit's person keys): such reads are never cached. */
export function readsSensitive(schema: GraphQLSchema, policy: AccessPolicy, document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map(document.definitions.filter((d: any) => d.kind === Kind.FRAGMENT_DEFINITION).map((d: any) => [d.name.value, d]));
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType | undefined): boolean => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (walk(sel.selectionSet, sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : parent)) return true;
      } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value);
        if (!f || seen.has(f.name.value)) continue;
        seen.add(f.name.value);
        if (walk(f.selectionSet, schema.getType(f.typeCondition.name.value) as GraphQLCompositeType)) return true;
      } else {
        const alias = sel.alias?.value;
        if (alias === AUDIT_KEY_ALIAS || alias === AUDIT_PERSON_ALIAS) return true;
        // An unknown type or field: say sensitive, so that nothing doubtful is cached.
        if (!parent) return true;
        if (sel.name.value.startsWith('__')) continue;
        const def = (parent as any).getFields?.()[sel.name.value];
        if (!def) return true;
        if (policy.field(parent.name, sel.name.value).sensitive) return true;
        const named = getNamedType(def.type);
        if (sel.selectionSet && isCompositeType(named) && walk(sel.selectionSet, named)) return true;
      }
    }
    return false;
  };
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  return walk(operation.selectionSet, root ?? undefined);
}

/** The period types: every field of theirs is a figure (or an indicator computed from figures) of one place and period. */
const PERIOD_TYPES = new Set(['CommunePeriod', 'ProvincePeriod']);
/** Tag a subgraph puts on a type or field: answers that read it live at most N seconds (`@tag(name: "cache-max-age:N")`). */
export const MAX_AGE_TAG = 'cache-max-age:';

/** What the cache reads from the supergraph: which subgraphs resolve each field, and max-age hints. */
export class SupergraphFacts {
  /** `Type.field` → the subgraphs resolving it; absent: every subgraph of the type (keys, value types). */
  private readonly owners = new Map<string, Set<string>>();
  /** Fields with no @join__field: keys and fields of a type's every subgraph (no subgraph named for them). */
  private readonly shared = new Set<string>();
  /** `Type` or `Type.field` → seconds. */
  private readonly hints = new Map<string, number>();

  constructor(sdl: string) {
    let doc: DocumentNode;
    try {
      doc = parse(sdl);
    } catch {
      return;
    }
    const graphNames = new Map<string, string>();
    for (const d of doc.definitions) {
      if (d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph') {
        for (const v of d.values ?? []) {
          const name = v.directives?.find((x) => x.name.value === 'join__graph')?.arguments?.find((a) => a.name.value === 'name')?.value;
          graphNames.set(v.name.value, name?.kind === Kind.STRING ? name.value : v.name.value.toLowerCase().replace(/_/g, '-'));
        }
      }
    }
    const tagHint = (directives: readonly any[] | undefined): number | null => {
      let out: number | null = null;
      for (const dir of directives ?? []) {
        if (dir.name.value !== 'tag') continue;
        const v = dir.arguments?.find((a: any) => a.name.value === 'name')?.value;
        if (v?.kind === Kind.STRING && v.value.startsWith(MAX_AGE_TAG)) {
          const n = Number(v.value.slice(MAX_AGE_TAG.length));
          if (Number.isInteger(n) && n >= 0) out = out === null ? n : Math.min(out, n);
        }
      }
      return out;
    };
    for (const d of doc.definitions as any[]) {
      if (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.OBJECT_TYPE_EXTENSION && d.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      const type = d.name.value as string;
      // A field with no @join__field is resolved where its type lives (all of them, for an entity's keys).
      const typeGraphs = new Set<string>();
      for (const j of (d.directives ?? []).filter((x: any) => x.name.value === 'join__type')) {
        const graph = j.arguments?.find((a: any) => a.name.value === 'graph')?.value;
        if (graph?.kind === Kind.ENUM) typeGraphs.add(graphNames.get(graph.value) ?? graph.value);
      }
      const th = tagHint(d.directives);
      if (th !== null) this.hints.set(type, Math.min(th, this.hints.get(type) ?? th));
      for (const f of d.fields ?? []) {
        const key = `${type}.${f.name.value}`;
        const joins = (f.directives ?? []).filter((x: any) => x.name.value === 'join__field');
        const graphs = new Set<string>();
        for (const j of joins) {
          const graph = j.arguments?.find((a: any) => a.name.value === 'graph')?.value;
          const external = j.arguments?.find((a: any) => a.name.value === 'external')?.value;
          if (external?.kind === Kind.BOOLEAN && external.value) continue;
          if (graph?.kind === Kind.ENUM) graphs.add(graphNames.get(graph.value) ?? graph.value);
        }
        if (joins.length) this.owners.set(key, graphs);
        else if (typeGraphs.size) this.owners.set(key, typeGraphs);
        if (!joins.length) this.shared.add(key);
        const fh = tagHint(f.directives);
        if (fh !== null) this.hints.set(key, fh);
      }
    }
  }

  /** Resolved by `program` alone. */
  programOnly(type: string, field: string): boolean {
    const o = this.owners.get(`${type}.${field}`);
    return o !== undefined && o.size === 1 && o.has(PROGRAM);
  }

  /** A key (or value-type field) that every subgraph of its type holds: echoed, not read from records. */
  sharedLeaf(type: string, field: string): boolean {
    return this.shared.has(`${type}.${field}`);
  }

  /** A field's own hint, else the hint of the type it returns. */
  hint(type: string, field: string, returns: string): number | null {
    return this.hints.get(`${type}.${field}`) ?? this.hints.get(returns) ?? null;
  }

  /** The hint of a root type itself (applies to every answer). */
  typeHint(type: string): number | null {
    return this.hints.get(type) ?? null;
  }
}

/** The places and latest period year an operation's figures read. */
export interface Places {
  communes: string[];
  provinces: string[];
  year: number;
  /** Reads a figure whose small cells are withheld over the whole province table (or indicators made from one). */
  smallCells?: boolean;
  /** Any place of the subgraphs read (years still bound it). */
  anywhere?: boolean;
  /**
   * Figures read under root `provinces` (the caller's provinces, which the document does not name):
   * where each list and its `code` are in the answer (response keys). `placesOfAnswer` turns them
   * into `provinces` once the answer is known.
   */
  listed?: Array<{ key: string; code: string }>;
}

/** `listed`: a province of the answer's root `provinces` list. */
type Place = { commune: string } | { province: string } | { listed: true } | null;

/** A period argument's year ('2025', '2025-Q2', '2025-06'); null if it is not one. */
function yearOfPeriod(v: unknown): number | null {
  return typeof v === 'string' && /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/.test(v) ? Number(v.slice(0, 4)) : null;
}

/**
 * The places and periods an operation's agency reads depend on, or null when that cannot be told
 * from the document alone (then the entry depends on every subgraph it read as a whole). Recognised:
 * figures and indicators of `commune(code:)`, `province(code:)` and `communes(provinceCode:)` (and
 * a province's `communes`) through `period(period:)` / `periods(from:, to:)`; everything else the
 * operation reads must come from `program` alone (names, catalogues, plans), which writes rarely and
 * is depended on as a whole.
 */
export function operationPlaces(
  schema: GraphQLSchema,
  facts: SupergraphFacts,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  smallCell: (type: string, field: string) => boolean = () => false,
): Places | null {
  if (operation.operation !== 'query') return null;
  const fragments = new Map(document.definitions.filter((d: any) => d.kind === Kind.FRAGMENT_DEFINITION).map((d: any) => [d.name.value, d]));
  const defaults = new Map((operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, v.defaultValue ? valueFromASTUntyped(v.defaultValue) : undefined]));
  const argument = (sel: FieldNode, name: string): unknown => {
    const a = sel.arguments?.find((x) => x.name.value === name);
    if (!a) return undefined;
    if (a.value.kind === Kind.VARIABLE) return variables[a.value.name.value] ?? defaults.get(a.value.name.value);
    return valueFromASTUntyped(a.value);
  };
  const communes = new Set<string>();
  const provinces = new Set<string>();
  let year = 0;
  let smallCells = false;
  const listed: Array<{ key: string; code: string }> = [];
  let readsListed = false;
  let ok = true;
  const fail = () => {
    ok = false;
  };
  const code = (v: unknown) => (typeof v === 'string' && /^[0-9A-Za-z-]{1,16}$/.test(v) ? v : null);

  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, place: Place, periodYear: number | null, depth: number, seen: Set<string>): void => {
    if (!ok) return;
    if (depth > 30) return fail();
    for (const sel of set.selections) {
      if (!ok) return;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (!t || !isCompositeType(t)) return fail();
        walk(sel.selectionSet, t, place, periodYear, depth + 1, seen);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value);
        if (!f) return fail();
        if (seen.has(f.name.value)) continue;
        const t = schema.getType(f.typeCondition.name.value);
        if (!t || !isCompositeType(t)) return fail();
        walk(f.selectionSet, t, place, periodYear, depth + 1, new Set([...seen, f.name.value]));
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith('__')) continue;
      const def = (parent as any).getFields?.()[name];
      if (!def) return fail();
      const returns = getNamedType(def.type as GraphQLOutputType);
      const onPeriod = PERIOD_TYPES.has(parent.name);
      if (onPeriod) {
        // A figure (any agency) or an indicator (program): of this place and period.
        if (!place || periodYear === null) return fail();
        if ('commune' in place) communes.add(place.commune);
        else if ('province' in place) provinces.add(place.province);
        else readsListed = true;
        year = Math.max(year, periodYear);
        if (smallCell(parent.name, name) || name === 'indicators') smallCells = true;
        if (sel.selectionSet) {
          if (!isCompositeType(returns) || PERIOD_TYPES.has(returns.name) || returns.name === 'Commune' || returns.name === 'Province') return fail();
          walk(sel.selectionSet, returns, place, periodYear, depth + 1, seen);
        }
        continue;
      }
      if (periodYear !== null) {
        // Below a figure (an indicator's details, target source, reporting): program's alone.
        if (!facts.programOnly(parent.name, name)) return fail();
        if (sel.selectionSet) {
          if (!isCompositeType(returns) || PERIOD_TYPES.has(returns.name) || returns.name === 'Commune' || returns.name === 'Province') return fail();
          walk(sel.selectionSet, returns, place, periodYear, depth + 1, seen);
        }
        continue;
      }
      // Outside figures: only what program resolves (agency fields on Commune read records of any date), and keys.
      if (!sel.selectionSet && facts.sharedLeaf(parent.name, name)) continue;
      if (!facts.programOnly(parent.name, name)) return fail();
      if (!sel.selectionSet) continue;
      if (!isCompositeType(returns)) return fail();
      let next: Place = null;
      let nextYear: number | null = null;
      const root = parent === schema.getQueryType();
      if (PERIOD_TYPES.has(returns.name)) {
        if (!place) return fail();
        const y = name === 'periods' ? yearOfPeriod(argument(sel, 'to')) : yearOfPeriod(argument(sel, 'period'));
        if (y === null) return fail();
        next = place;
        nextYear = y;
      } else if (root && name === 'commune' && returns.name === 'Commune') {
        const c = code(argument(sel, 'code'));
        next = c ? { commune: c } : null;
      } else if (root && name === 'province' && returns.name === 'Province') {
        const p = code(argument(sel, 'code'));
        next = p ? { province: p } : null;
      } else if (root && name === 'communes') {
        const p = code(argument(sel, 'provinceCode'));
        next = p ? { province: p } : null;
      } else if (root && name === 'provinces' && returns.name === 'Province') {
        // The caller's provinces: named by the answer, through a `code` read unconditionally beside the figures.
        const codeSel = sel.selectionSet.selections.find((x): x is FieldNode => x.kind === Kind.FIELD && x.name.value === 'code' && !x.directives?.length);
        if (!codeSel) return fail();
        listed.push({ key: sel.alias?.value ?? name, code: codeSel.alias?.value ?? 'code' });
        next = { listed: true };
      } else if (place && ('province' in place || 'listed' in place) && ((parent.name === 'Province' && name === 'communes') || (parent.name !== 'Commune' && parent.name !== 'Province' && !root && name === 'items'))) {
        // A province's communes (a list or a page of them): still the province's places.
        next = place;
      }
      walk(sel.selectionSet, returns, next, nextYear, depth + 1, seen);
    }
  };
  const root = schema.getQueryType();
  if (!root) return null;
  walk(operation.selectionSet, root, null, null, 0, new Set());
  if (!ok) return null;
  return { communes: [...communes].sort(), provinces: [...provinces].sort(), year, ...(smallCells ? { smallCells } : {}), ...(readsListed ? { listed } : {}) };
}

/**
 * Places whose `listed` provinces are read from the answer: the codes of every province its root
 * `provinces` lists hold (the caller's area, fixed by the permission class, within program's
 * provinces, on which the entry depends as a whole). Null when the answer does not show them all.
 */
export function placesOfAnswer(places: Places | null, data: unknown): Places | null {
  if (!places?.listed) return places;
  const found = new Set(places.provinces);
  for (const { key, code } of places.listed) {
    const list = data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(list)) return null;
    for (const item of list) {
      const c = item && typeof item === 'object' ? (item as Record<string, unknown>)[code] : undefined;
      if (typeof c !== 'string' || !/^[0-9A-Za-z-]{1,16}$/.test(c)) return null;
      found.add(c);
    }
  }
  const { listed: _listed, ...rest } = places;
  return { ...rest, provinces: [...found].sort() };
}

/**
 * The places an entry depends on for this caller. A caller who may not see small cells gets a
 * commune's small-cell figures withheld by the values of the whole province table (kit
 * small-cells.ts): a write in another commune of the province can change them. Such an entry depends
 * on the caller's province (a commune outside it is answered without data), or, for a caller
 * without one, on every place.
 */
export function placesFor(places: Places | null, caller: Pick<Caller, 'scopes' | 'province'>): Places | null {
  if (!places || !places.smallCells || !places.communes.length || seesSmallCells(caller.scopes)) return places;
  if (caller.province) return { ...places, communes: [], provinces: [...new Set([...places.provinces, caller.province])].sort() };
  return { ...places, anywhere: true };
}

/** The smallest max-age hint of what an operation reads (null: none). */
export function operationMaxAge(schema: GraphQLSchema, facts: SupergraphFacts, document: DocumentNode, operation: OperationDefinitionNode): number | null {
  const fragments = new Map(document.definitions.filter((d: any) => d.kind === Kind.FRAGMENT_DEFINITION).map((d: any) => [d.name.value, d]));
  let min: number | null = null;
  const take = (h: number | null) => {
    if (h !== null) min = min === null ? h : Math.min(min, h);
  };
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, seen: Set<string>, depth: number): void => {
    if (depth > 30) return;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (t && isCompositeType(t)) walk(sel.selectionSet, t, seen, depth + 1);
      } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value);
        const t = f && schema.getType(f.typeCondition.name.value);
        if (f && !seen.has(f.name.value) && t && isCompositeType(t)) walk(f.selectionSet, t, new Set([...seen, f.name.value]), depth + 1);
      } else {
        const def = (parent as any).getFields?.()[sel.name.value];
        if (!def) continue;
        const returns = getNamedType(def.type as GraphQLOutputType);
        take(facts.hint(parent.name, sel.name.value, returns.name));
        if (sel.selectionSet && isCompositeType(returns)) walk(sel.selectionSet, returns, seen, depth + 1);
      }
    }
  };
  const root = schema.getQueryType();
  if (root) {
    take(facts.typeHint(root.name));
    walk(operation.selectionSet, root, new Set(), 0);
  }
  return min;
}

export interface ResponseCacheOptions {
  /** Where entries live: Redis shared by replicas (memory while it is down), or memory. */
  store: KeyValueCache<string>;
  versions: DataVersions;
  /** The longest an entry lives; hints of what an answer reads may shorten it. */
  ttlSeconds: number;
  policy: () => AccessPolicy;
  /** The supergraph served now: field owners and `cache-max-age:` hints. */
  supergraph?: () => string;
  log: Logger;
  metrics: MetricsRegistry;
}

interface Entry {
  /** The number of the last change before the answer was computed. */
  s: number;
  d: Dependencies;
  /** When it stops being served (ms since the epoch). */
  x: number;
  r: { data: unknown; extensions?: Record<string, unknown> };
}

type Executor = (rc: any) => Promise<any>;

const KEY_PREFIX = 'rc:';
/** Answers that must not be kept anywhere: mutations, sensitive reads, errors. */
export const NO_STORE = 'no-store';

export class ResponseCache {
  /** The subgraphs each request's plan fetched from (set by Apollo's plan hook, read after execution). */
  private readonly plans = new WeakMap<object, Set<string>>();
  /** A digest per schema, so that a new supergraph never serves an older one's entries (and replicas agree). */
  private readonly schemas = new WeakMap<GraphQLSchema, string>();
  private facts: { sdl: string; facts: SupergraphFacts } | null = null;
  private readonly outcomes: Counter<'outcome'>;

  constructor(private readonly opts: ResponseCacheOptions) {
    this.outcomes = new Counter({
      name: 'pcmt_gateway_response_cache_total',
      help: 'Response cache use: hit, miss (stored), uncacheable (mutation, sensitive, errors), unavailable (versions unreadable), invalidation (a write)',
      labelNames: ['outcome'],
      registers: [opts.metrics],
    });
  }

  get enabled(): boolean {
    return this.opts.ttlSeconds > 0;
  }

  private supergraphFacts(): SupergraphFacts {
    const sdl = this.opts.supergraph?.() ?? '';
    if (this.facts?.sdl !== sdl) this.facts = { sdl, facts: new SupergraphFacts(sdl) };
    return this.facts.facts;
  }

  /** For ApolloGateway's `experimental_didResolveQueryPlan`: notes which subgraphs the request's plan calls. */
  readonly onPlan = ({ queryPlan, requestContext }: { queryPlan: unknown; requestContext: { context?: object } }) => {
    if (requestContext.context) this.plans.set(requestContext.context, planSubgraphs(queryPlan));
  };

  /** The gateway with caching between the caller's security checks (above) and Apollo's executor. */
  wrap(inner: ApolloGateway): ApolloGateway {
    const cache = this;
    return {
      onSchemaLoadOrUpdate: (callback: any) => inner.onSchemaLoadOrUpdate(callback),
      async load(options: any) {
        const { schema, executor } = await inner.load(options);
        return { schema, executor: (rc: any) => cache.execute(rc, executor as Executor) };
      },
      stop: () => inner.stop(),
    } as unknown as ApolloGateway;
  }

  private keyOf(rc: any, caller: Caller, epoch: number): string {
    let schemaId = this.schemas.get(rc.schema);
    if (schemaId === undefined) this.schemas.set(rc.schema, (schemaId = createHash('sha256').update(printSchema(rc.schema)).digest('base64url')));
    const parts = [epoch, schemaId, rc.queryHash, rc.operationName ?? '', stableJson(rc.request?.variables ?? {}), permissionClass(caller), rc.context?.language ?? ''];
    return KEY_PREFIX + createHash('sha256').update(parts.join('\n')).digest('base64url');
  }

  private header(rc: any, name: string, value: string): void {
    rc.response?.http?.headers?.set(name, value);
  }

  async execute(rc: any, inner: Executor): Promise<any> {
    const caller: Caller | undefined = rc.context?.caller;
    const kind = rc.operation?.operation;
    if (kind === 'mutation') {
      this.header(rc, 'cache-control', NO_STORE);
      return this.write(rc, inner);
    }
    if (!this.enabled || !caller || kind !== 'query' || !rc.queryHash || readsSensitive(rc.schema, this.opts.policy(), rc.document, rc.operation)) {
      if (this.enabled) this.outcomes.inc({ outcome: 'uncacheable' });
      this.header(rc, 'cache-control', NO_STORE);
      return inner(rc);
    }
    // The change number is read before the answer is computed: a write that lands meanwhile makes the entry stale at once.
    let state: CacheState;
    try {
      state = await this.opts.versions.current();
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'response cache: versions unreadable; answering uncached');
      this.outcomes.inc({ outcome: 'unavailable' });
      this.header(rc, 'cache-control', NO_STORE);
      return inner(rc);
    }
    const key = this.keyOf(rc, caller, state.epoch);
    const cached = await this.read(key);
    const now = Date.now();
    if (cached && cached.x > now && (await this.fresh(key, cached, state.seq, now))) {
      this.outcomes.inc({ outcome: 'hit' });
      this.header(rc, 'x-pcmt-cache', 'hit');
      this.header(rc, 'cache-control', `private, max-age=${Math.max(0, Math.floor((cached.x - now) / 1000))}`);
      return cached.r;
    }
    const result = await inner(rc);
    const subgraphs = this.plans.get(rc.context);
    // Errors, missing values and partial answers are never cached; nor an answer whose plan is unknown.
    if (!subgraphs || result?.errors?.length || result?.extensions?.valueCompletion || result?.data == null) {
      this.outcomes.inc({ outcome: 'uncacheable' });
      this.header(rc, 'cache-control', NO_STORE);
      return result;
    }
    const facts = this.supergraphFacts();
    const hint = operationMaxAge(rc.schema, facts, rc.document, rc.operation);
    const ttl = Math.min(this.opts.ttlSeconds, hint ?? Infinity);
    if (ttl <= 0) {
      this.outcomes.inc({ outcome: 'uncacheable' });
      this.header(rc, 'cache-control', NO_STORE);
      return result;
    }
    const policy = this.opts.policy();
    const read = operationPlaces(rc.schema, facts, rc.document, rc.operation, rc.request?.variables ?? {}, (t, f) => policy.field(t, f).smallCell);
    const places = placesFor(placesOfAnswer(read, result.data), caller);
    const entry: Entry = { s: state.seq, d: dependenciesOf(subgraphs, places), x: now + ttl * 1000, r: { data: result.data, ...(result.extensions ? { extensions: result.extensions } : {}) } };
    // Stored as text before the security layer edits the answer in place (pseudonyms, small cells).
    const text = JSON.stringify(entry);
    this.outcomes.inc({ outcome: 'miss' });
    this.header(rc, 'x-pcmt-cache', 'miss');
    this.header(rc, 'cache-control', `private, max-age=${ttl}`);
    await this.opts.store.set(key, text, { ttl }).catch((err) => this.opts.log.warn({ err: (err as Error).message }, 'response cache: entry not stored'));
    return result;
  }

  /** Whether nothing recorded since the entry was computed overlaps what it read; if so, it is kept under the new number. */
  private async fresh(key: string, entry: Entry, seq: number, now: number): Promise<boolean> {
    if (entry.s === seq) return true;
    let changed: boolean;
    try {
      changed = await this.opts.versions.changedSince(entry.s, entry.d);
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'response cache: changes unreadable; answering uncached');
      return false;
    }
    if (changed) return false;
    // The next read of it needs no look at the log (unless something else changes).
    const ttl = Math.floor((entry.x - now) / 1000);
    if (ttl > 0) await this.opts.store.set(key, JSON.stringify({ ...entry, s: seq }), { ttl }).catch(() => {});
    return true;
  }

  private async read(key: string): Promise<Entry | null> {
    try {
      const text = await this.opts.store.get(key);
      // Parsed afresh each time: the security layer edits the answer it is given.
      const entry = text ? (JSON.parse(text) as Entry) : null;
      // An entry of the previous layout (versions per subgraph) is not served.
      return entry && typeof entry.s === 'number' && entry.d && typeof entry.x === 'number' ? entry : null;
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'response cache: entry unreadable');
      return null;
    }
  }

  /**
   * A mutation is never cached. Before it is answered, what it touched is recorded: the places and
   * years each subgraph reported (kit touched.ts), and, for a subgraph of its plan that reported
   * nothing (a failed call, an unknown plan), that subgraph as a whole.
   */
  private async write(rc: any, inner: Executor): Promise<any> {
    if (!this.enabled) return inner(rc);
    try {
      return await inner(rc);
    } finally {
      const touched = this.plans.get(rc.context) ?? new Set([ALL_DATA]);
      const reports: Map<string, unknown[]> = rc.context?.[TOUCHED] ?? new Map();
      const changes: DataChange[] = [];
      for (const s of touched) {
        const reported = (reports.get(s) ?? []).map((r) => changesOf(s, r));
        if (!reported.length || reported.some((r) => r === null)) changes.push({ subgraph: s, c: ANY, p: ANY, y: 0 });
        else for (const r of reported) changes.push(...r!);
      }
      try {
        await this.opts.versions.record(changes);
        this.outcomes.inc({ outcome: 'invalidation' });
      } catch (err) {
        // Entries may now outlive the data they show, at most ttlSeconds.
        this.opts.log.error({ err: (err as Error).message, subgraphs: [...touched] }, 'response cache: invalidation failed; cached answers may be stale until they expire');
      }
    }
  }

  close(): Promise<void> {
    return this.opts.versions.close();
  }
}

/** An entry's dependencies: agency subgraphs by place and period when the operation says which, else (and program always) as a whole. */
export function dependenciesOf(subgraphs: Iterable<string>, places: Places | null): Dependencies {
  const whole: string[] = [];
  const placed: string[] = [];
  for (const s of subgraphs) {
    if (places && s !== PROGRAM && s !== ALL_DATA) placed.push(s);
    else whole.push(s);
  }
  return {
    whole: whole.sort(),
    placed: places && placed.length ? { subgraphs: placed.sort(), communes: places.communes, provinces: places.provinces, year: places.year, ...(places.anywhere ? { anywhere: true } : {}) } : null,
  };
}
