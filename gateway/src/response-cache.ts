import type { ApolloGateway } from '@apollo/gateway';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { getNamedType, isCompositeType, Kind, printSchema, type DocumentNode, type GraphQLCompositeType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
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
 * caller's permission class; it records the version of every subgraph its plan called, and is
 * served only while none of them changed (any mutation through the gateway, any `npm run import`).
 * Versions live in the gateway's registry database, which every replica and the import command share.
 */

/** Version key that every entry depends on: bumping it empties the whole cache. */
export const ALL_DATA = '*';
/** Not a subgraph: the database's cache epoch. */
const EPOCH = '~epoch';

/** The subgraph versions, shared by replicas and import commands through the registry database. */
export class DataVersions {
  private ready: Promise<void> | null = null;

  constructor(private readonly sql: Sql) {}

  static open(target: SqlTarget): DataVersions {
    return new DataVersions(openSql(target));
  }

  private init(): Promise<void> {
    this.ready ??= (async () => {
      await this.sql.run('create table if not exists response_cache_version (subgraph text primary key, version bigint not null)');
      // A random epoch per database, part of every key: a Redis shared with another deployment (or
      // an earlier test run on a fresh database) never answers from that one's entries.
      await this.sql.run('insert into response_cache_version (subgraph, version) values (?, ?) on conflict (subgraph) do nothing', [EPOCH, Math.floor(Math.random() * 2 ** 48)]);
    })().catch((err) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  /** Every subgraph's version (absent: 0). */
  async current(): Promise<Map<string, number>> {
    await this.init();
    const rows = await this.sql.all<{ subgraph: string; version: number | string }>('select subgraph, version from response_cache_version');
    return new Map(rows.map((r) => [r.subgraph, Number(r.version)]));
  }

  /** Marks the subgraphs' data as changed: entries that read any of them are no longer served. */
  async bump(subgraphs: Iterable<string>): Promise<void> {
    await this.init();
    for (const s of new Set(subgraphs)) {
      await this.sql.run('insert into response_cache_version (subgraph, version) values (?, 1) on conflict (subgraph) do update set version = response_cache_version.version + 1', [s]);
    }
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

/** For writers outside the gateway (`npm run import`): the gateway's registry database, opened and closed once. */
export async function markDataChanged(target: SqlTarget, subgraphs: string[]): Promise<void> {
  const versions = DataVersions.open(target);
  try {
    await versions.bump(subgraphs);
  } finally {
    await versions.close();
  }
}

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

export interface ResponseCacheOptions {
  /** Where entries live: Redis shared by replicas (memory while it is down), or memory. */
  store: KeyValueCache<string>;
  versions: DataVersions;
  ttlSeconds: number;
  policy: () => AccessPolicy;
  log: Logger;
  metrics: MetricsRegistry;
}

interface Entry {
  /** Versions of the subgraphs read, as they were before the answer was computed. */
  v: Record<string, number>;
  r: { data: unknown; extensions?: Record<string, unknown> };
}

type Executor = (rc: any) => Promise<any>;

const KEY_PREFIX = 'rc:';

export class ResponseCache {
  /** The subgraphs each request's plan fetched from (set by Apollo's plan hook, read after execution). */
  private readonly plans = new WeakMap<object, Set<string>>();
  /** A digest per schema, so that a new supergraph never serves an older one's entries (and replicas agree). */
  private readonly schemas = new WeakMap<GraphQLSchema, string>();
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

  private keyOf(rc: any, caller: Caller, versions: Map<string, number>): string {
    let schemaId = this.schemas.get(rc.schema);
    if (schemaId === undefined) this.schemas.set(rc.schema, (schemaId = createHash('sha256').update(printSchema(rc.schema)).digest('base64url')));
    const parts = [versions.get(EPOCH) ?? 0, schemaId, rc.queryHash, rc.operationName ?? '', stableJson(rc.request?.variables ?? {}), permissionClass(caller), rc.context?.language ?? ''];
    return KEY_PREFIX + createHash('sha256').update(parts.join('\n')).digest('base64url');
  }

  async execute(rc: any, inner: Executor): Promise<any> {
    const caller: Caller | undefined = rc.context?.caller;
    const kind = rc.operation?.operation;
    if (kind === 'mutation') return this.write(rc, inner);
    if (!this.enabled || !caller || kind !== 'query' || !rc.queryHash || readsSensitive(rc.schema, this.opts.policy(), rc.document, rc.operation)) {
      if (this.enabled) this.outcomes.inc({ outcome: 'uncacheable' });
      return inner(rc);
    }
    // Versions are read before the answer is computed: a write that lands meanwhile makes the entry stale at once.
    let versions: Map<string, number>;
    try {
      versions = await this.opts.versions.current();
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'response cache: versions unreadable; answering uncached');
      this.outcomes.inc({ outcome: 'unavailable' });
      return inner(rc);
    }
    const key = this.keyOf(rc, caller, versions);
    const cached = await this.read(key);
    if (cached && Object.entries(cached.v).every(([s, v]) => (versions.get(s) ?? 0) === v)) {
      this.outcomes.inc({ outcome: 'hit' });
      rc.response?.http?.headers?.set('x-pcmt-cache', 'hit');
      return cached.r;
    }
    const result = await inner(rc);
    const subgraphs = this.plans.get(rc.context);
    // Errors, missing values and partial answers are never cached; nor an answer whose plan is unknown.
    if (!subgraphs || result?.errors?.length || result?.extensions?.valueCompletion || result?.data == null) {
      this.outcomes.inc({ outcome: 'uncacheable' });
      return result;
    }
    const v: Record<string, number> = { [ALL_DATA]: versions.get(ALL_DATA) ?? 0 };
    for (const s of subgraphs) v[s] = versions.get(s) ?? 0;
    const entry: Entry = { v, r: { data: result.data, ...(result.extensions ? { extensions: result.extensions } : {}) } };
    // Stored as text before the security layer edits the answer in place (pseudonyms, small cells).
    const text = JSON.stringify(entry);
    this.outcomes.inc({ outcome: 'miss' });
    rc.response?.http?.headers?.set('x-pcmt-cache', 'miss');
    await this.opts.store.set(key, text, { ttl: this.opts.ttlSeconds }).catch((err) => this.opts.log.warn({ err: (err as Error).message }, 'response cache: entry not stored'));
    return result;
  }

  private async read(key: string): Promise<Entry | null> {
    try {
      const text = await this.opts.store.get(key);
      // Parsed afresh each time: the security layer edits the answer it is given.
      return text ? (JSON.parse(text) as Entry) : null;
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'response cache: entry unreadable');
      return null;
    }
  }

  /** A mutation is never cached; whatever it touched (or, its plan unknown, everything) is invalidated before it is answered. */
  private async write(rc: any, inner: Executor): Promise<any> {
    if (!this.enabled) return inner(rc);
    try {
      return await inner(rc);
    } finally {
      const touched = this.plans.get(rc.context) ?? new Set([ALL_DATA]);
      try {
        await this.opts.versions.bump(touched);
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
