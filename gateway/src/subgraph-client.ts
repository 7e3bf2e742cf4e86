import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError, Kind, parse, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { signSubgraphRequest } from '@pcmt/kit/identity';
import { turns } from '@pcmt/kit/turns';
import { SUBGRAPHS } from '@pcmt/kit/subgraph-list';
import type { SubgraphLimits } from './config.js';
import type { Metrics } from './metrics.js';
import { pooledFetch } from './undici-fetcher.js';
import { mergeParts } from './fetch-batching.js';
import { noteTouched, TOUCHED_HEADER } from './response-cache.js';

export type Language = 'vi' | 'en';

/** English when the caller's first preference is English; Vietnamese otherwise. */
export function languageOf(acceptLanguage: string | undefined): Language {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'vi';
}

/** The agency behind each subgraph, as callers know it (the one list of subgraphs). */
const AGENCY_NAMES: Record<string, Record<Language, string>> = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, s.agency]));

/** Why a call to a subgraph gave no answer; each is a label of pcmt_gateway_subgraph_errors_total. */
export type FailureKind = 'timeout' | 'unreachable' | 'server_error' | 'bad_response' | 'overloaded' | 'breaker_open';

const REASONS: Record<FailureKind, Record<Language, (retryAfter: number) => string>> = {
  timeout: { vi: () => 'hết thời gian chờ', en: () => 'timed out' },
  unreachable: { vi: () => 'không kết nối được', en: () => 'could not connect' },
  server_error: { vi: () => 'hệ thống của cơ quan báo lỗi', en: () => "the agency's system reported an error" },
  bad_response: { vi: () => 'câu trả lời không hợp lệ', en: () => 'the answer was not valid' },
  overloaded: { vi: () => 'quá tải, quá nhiều yêu cầu đang chờ', en: () => 'overloaded, too many requests waiting' },
  breaker_open: {
    vi: (s) => `tạm ngừng gọi sau nhiều lỗi liên tiếp, thử lại sau ${s} giây`,
    en: (s) => `calls paused after repeated failures, try again in ${s} s`,
  },
};

/** The caller-facing message: which agency, what happened; never a host, port or stack. */
export function failureMessage(subgraph: string, kind: FailureKind, language: Language, opts: { mutation?: boolean; retryAfterSeconds?: number } = {}): string {
  const agency = AGENCY_NAMES[subgraph]?.[language] ?? subgraph;
  const reason = REASONS[kind][language](opts.retryAfterSeconds ?? 0);
  // A write that timed out may have been applied: say how to retry safely.
  const unsure = opts.mutation && kind === 'timeout';
  if (language === 'en') {
    const head = opts.mutation ? `Could not write to ${agency} (${subgraph})` : `Could not get data from ${agency} (${subgraph})`;
    return `${head}: ${reason}${unsure ? '; the write may have been applied, resend it with the same idempotencyKey' : ''}`;
  }
  const head = opts.mutation ? `Không ghi được dữ liệu vào hệ thống của ${agency} (${subgraph})` : `Không lấy được dữ liệu của ${agency} (${subgraph})`;
  return `${head}: ${reason}${unsure ? '; có thể đã ghi, hãy gửi lại với cùng idempotencyKey' : ''}`;
}

export type BreakerState = 'closed' | 'open' | 'half-open';
const BREAKER_GAUGE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

class Refusal extends Error {
  constructor(readonly kind: 'overloaded' | 'timeout') {
    super(kind);
  }
}

/**
 * One subgraph's traffic, shared by every data source built for it (the gateway builds new ones on
 * each supergraph update): the concurrency cap with its bounded queue, and the circuit breaker.
 */
export class SubgraphTraffic {
  private inFlight = 0;
  /** Waiting calls: light ones ahead of every heavy one (fair share), each kind first in first out. */
  private readonly queue: Array<{ resolve: () => void; reject: (err: Error) => void; heavy: boolean }> = [];
  breaker: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialRunning = false;
  lastOutcome: 'ok' | FailureKind | null = null;
  lastCallAt: number | null = null;

  constructor(
    readonly name: string,
    readonly limits: SubgraphLimits,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    metrics.subgraphBreaker.set({ subgraph: name }, 0);
    metrics.subgraphInFlight.set({ subgraph: name }, 0);
    metrics.subgraphQueued.set({ subgraph: name }, 0);
  }

  /** Whether the breaker lets this call through; `trial` is the one call of a half-open breaker. */
  admit(now = Date.now()): { ok: true; trial: boolean } | { ok: false; retryAfterMs: number } {
    if (this.limits.breakerFailures === 0 || this.breaker === 'closed') return { ok: true, trial: false };
    if (this.breaker === 'open') {
      const left = this.openedAt + this.limits.breakerResetMs - now;
      if (left > 0) return { ok: false, retryAfterMs: left };
      this.setBreaker('half-open');
    }
    if (this.trialRunning) return { ok: false, retryAfterMs: 1000 };
    this.trialRunning = true;
    return { ok: true, trial: true };
  }

  /** The subgraph answered (even with errors): it is up. */
  succeeded(trial: boolean): void {
    if (trial) this.trialRunning = false;
    this.failures = 0;
    this.lastOutcome = 'ok';
    if (this.breaker !== 'closed') {
      this.log.info({ subgraph: this.name }, 'subgraph answers again; circuit closed');
      this.setBreaker('closed');
    }
  }

  failed(kind: FailureKind, trial: boolean, now = Date.now()): void {
    if (trial) this.trialRunning = false;
    this.failures++;
    this.lastOutcome = kind;
    const threshold = this.limits.breakerFailures;
    if (threshold === 0) return;
    if ((this.breaker === 'half-open' && trial) || (this.breaker === 'closed' && this.failures >= threshold)) {
      this.openedAt = now;
      this.log.warn({ subgraph: this.name, failures: this.failures, resetMs: this.limits.breakerResetMs }, 'subgraph failing; circuit open, calls refused at once');
      this.setBreaker('open');
    }
  }

  /** Neither success nor failure (refused locally before any call): a trial slot is given back. */
  skipped(trial: boolean): void {
    if (trial) this.trialRunning = false;
  }

  private setBreaker(state: BreakerState): void {
    this.breaker = state;
    this.metrics.subgraphBreaker.set({ subgraph: this.name }, BREAKER_GAUGE[state]);
  }

  /**
   * A slot under the concurrency cap; waits in a bounded queue, refused at once when it is full.
   * A call of an expensive ad-hoc query (`heavy`) waits behind every light call.
   */
  acquire(signal: AbortSignal, heavy = false): Promise<void> {
    if (this.inFlight < this.limits.maxConcurrency) {
      this.inFlight++;
      this.gauges();
      return Promise.resolve();
    }
    if (this.queue.length >= this.limits.maxQueue) return Promise.reject(new Refusal('overloaded'));
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
        heavy,
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        this.gauges();
        reject(new Refusal('timeout'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const firstHeavy = heavy ? -1 : this.queue.findIndex((w) => w.heavy);
      if (firstHeavy < 0) this.queue.push(waiter);
      else this.queue.splice(firstHeavy, 0, waiter);
      this.gauges();
    });
  }

  release(): void {
    const next = this.queue.shift();
    // The slot passes straight to the next waiter.
    if (next) next.resolve();
    else this.inFlight--;
    this.gauges();
  }

  private gauges(): void {
    this.metrics.subgraphInFlight.set({ subgraph: this.name }, this.inFlight);
    this.metrics.subgraphQueued.set({ subgraph: this.name }, this.queue.length);
  }

  /** For /ready: what the gateway knows of this subgraph from its own calls. */
  snapshot() {
    const state =
      this.breaker === 'open' ? 'breaker-open' : this.breaker === 'half-open' ? 'half-open' : this.lastOutcome === null ? 'no-calls-yet' : this.lastOutcome === 'ok' ? 'reachable' : 'failing';
    return {
      state,
      breaker: this.breaker,
      consecutiveFailures: this.failures,
      lastError: this.lastOutcome && this.lastOutcome !== 'ok' ? this.lastOutcome : undefined,
      lastCallAt: this.lastCallAt ? new Date(this.lastCallAt).toISOString() : undefined,
      inFlight: this.inFlight,
      queued: this.queue.length,
    };
  }
}

/** Every subgraph's traffic, with the limits each one gets (defaults, then its overrides). */
export class SubgraphTrafficControl {
  private readonly traffic = new Map<string, SubgraphTraffic>();

  constructor(
    private readonly config: { defaults: SubgraphLimits; overrides: Record<string, Partial<SubgraphLimits>> },
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  of(name: string): SubgraphTraffic {
    let t = this.traffic.get(name);
    if (!t) this.traffic.set(name, (t = new SubgraphTraffic(name, { ...this.config.defaults, ...this.config.overrides[name] }, this.metrics, this.log)));
    return t;
  }

  snapshot(): Record<string, ReturnType<SubgraphTraffic['snapshot']>> {
    return Object.fromEntries([...this.traffic].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => [name, t.snapshot()]));
  }
}

/**
 * The call under way: its abort signal, and where identical reads in flight are shared (null: not
 * this call). Apollo's data source gives its fetcher no per-call options.
 */
interface CallScope {
  signal: AbortSignal;
  shared: Map<string, Promise<FetcherResponse>> | null;
  onShared: () => void;
}
const currentCall = new AsyncLocalStorage<CallScope>();

/** willSendRequest leaves the identity here; the fetcher signs it with the body and never sends this header. */
const UNSIGNED_IDENTITY = 'x-pcmt-unsigned-identity';

/** Waits for a call another request started, or for this request's own deadline, whichever is first. */
function joinCall(call: Promise<FetcherResponse>, signal: AbortSignal): Promise<FetcherResponse> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * Signs each call when its body is final: the identity bound to this subgraph, the sha256 of the
 * exact body string sent, a fresh nonce and a 30 s expiry (a retry is a new call, signed anew).
 * A read whose subgraph, body and identity (all but the request id) equal a call still in flight
 * gets that call's answer instead of a call of its own: the same caller asked the same thing, so
 * the subgraph would answer the same (each request keeps its own audit, cache and limits above).
 */
function signingFetcher(audience: string, secret: string): Fetcher {
  return (url, init) => {
    const scope = currentCall.getStore();
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    const unsigned = headers[UNSIGNED_IDENTITY];
    delete headers[UNSIGNED_IDENTITY];
    const body = String(init?.body ?? '');
    const identity = unsigned ? JSON.parse(Buffer.from(unsigned, 'base64url').toString('utf8')) : null;
    const call = () => {
      if (identity) Object.assign(headers, signSubgraphRequest(identity, { audience, body }, secret));
      return pooledFetch(url, { ...init, headers }, scope?.signal);
    };
    if (!scope?.shared || !identity) return call();
    const { requestId: _ownRequest, ...asker } = identity;
    const key = `${url}\n${JSON.stringify(asker)}\n${body}`;
    const running = scope.shared.get(key);
    if (running) {
      scope.onShared();
      return joinCall(running, scope.signal);
    }
    const started = call();
    scope.shared.set(key, started);
    const forget = () => scope.shared!.delete(key);
    started.then(forget, forget);
    return started;
  };
}

/** A read waiting to go with the other reads of its request (ShapedDataSource.send). */
interface Waiting {
  options: GraphQLDataSourceProcessOptions<any>;
  signal: AbortSignal;
  resolve(answer: any): void;
  reject(err: unknown): void;
}

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const UNREACHABLE = new Set([...RETRYABLE, 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);

/** The system error code anywhere in an error's cause chain (undici wraps it in `fetch failed`). */
function errorCode(err: unknown): string | undefined {
  for (let e: any = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string' && (UNREACHABLE.has(e.code) || e.code.startsWith('UND_ERR'))) return e.code;
  }
  return undefined;
}

type Outcome = { kind: 'answer'; errors?: readonly any[] } | { kind: 'failure'; failure: FailureKind };

/** What a thrown error from a call means: the caller's bad input passes through, the rest is a failure. */
function classify(err: unknown, deadline: AbortSignal): Outcome {
  if (deadline.aborted) return { kind: 'failure', failure: 'timeout' };
  if (err instanceof Refusal) return { kind: 'failure', failure: err.kind };
  const response = err instanceof GraphQLError ? (err.extensions?.response as { status?: number; body?: any } | undefined) : undefined;
  if (response?.status) {
    const { status, body } = response;
    // A 4xx with GraphQL errors is the subgraph refusing the caller's input (e.g. 400 BAD_USER_INPUT).
    if (status >= 400 && status < 500 && ![401, 403, 407, 408, 429].includes(status) && Array.isArray(body?.errors) && body.errors.length) return { kind: 'answer', errors: body.errors };
    if (status === 429 || status === 503) return { kind: 'failure', failure: 'overloaded' };
    return { kind: 'failure', failure: 'server_error' };
  }
  if (errorCode(err) || (err instanceof TypeError && /fetch failed|terminated/.test(err.message))) return { kind: 'failure', failure: 'unreachable' };
  return { kind: 'failure', failure: 'bad_response' };
}

const parsed = new Map<string, DocumentNode>();
/** Subgraph operations are few and repeated (one per plan fetch): keep their parse, bounded. */
function parseFetch(query: string | undefined): DocumentNode | null {
  if (!query) return null;
  let doc = parsed.get(query);
  if (!doc) {
    try {
      doc = parse(query);
    } catch {
      return null;
    }
    if (parsed.size > 2000) parsed.clear();
    parsed.set(query, doc);
  }
  return doc;
}

const responseName = (f: FieldNode) => f.alias?.value ?? f.name.value;

/** The fields of selection sets, through inline fragments and fragment spreads. */
function fieldsOf(sets: readonly SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>, depth = 0): FieldNode[] {
  const out: FieldNode[] = [];
  if (depth > 20) return out;
  for (const set of sets) {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf([sel.selectionSet], fragments, depth + 1));
      else {
        const f = fragments.get(sel.name.value);
        if (f) out.push(...fieldsOf([f.selectionSet], fragments, depth + 1));
      }
    }
  }
  return out;
}

const fragmentsOf = (doc: DocumentNode | undefined) =>
  new Map((doc?.definitions ?? []).filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));

/**
 * The response names the caller selected at `path` of its own operation (`@` steps into list
 * items), or null when that cannot be told: fields a fetch asks only to key a later fetch are not
 * the caller's and get no error of their own.
 */
function callerSelection(operation: OperationDefinitionNode | undefined, document: DocumentNode | undefined, path: readonly (string | number)[]): Set<string> | null {
  if (!operation) return null;
  const fragments = fragmentsOf(document);
  let sets: SelectionSetNode[] = [operation.selectionSet];
  for (const step of path) {
    if (typeof step !== 'string' || step === '@') continue;
    const name = step.replace(/\|\[.*\]$/, '');
    sets = fieldsOf(sets, fragments)
      .filter((f) => responseName(f) === name && f.selectionSet)
      .map((f) => f.selectionSet!);
    if (!sets.length) return null;
  }
  return new Set(fieldsOf(sets, fragments).map(responseName));
}

/**
 * The subgraph-relative path of every field this fetch would have filled: the root fields of a root
 * fetch, and `_entities.<i>.<field>` for each representation of an entity fetch. Apollo's gateway
 * maps them to the caller's paths as it maps a subgraph's own error paths.
 */
export function fetchFieldPaths(options: GraphQLDataSourceProcessOptions<any>): Array<Array<string | number>> {
  const doc = parseFetch(options.request.query);
  const operation = doc?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!doc || !operation) return [];
  const fragments = fragmentsOf(doc);
  const incoming = options.kind === 'incoming operation' ? options : null;
  const wanted = incoming ? callerSelection(incoming.incomingRequestContext.operation, incoming.incomingRequestContext.document, incoming.pathInIncomingRequest ?? []) : null;
  const keep = (names: string[]) => [...new Set(names)].filter((n) => n !== '__typename' && (!wanted || wanted.has(n)));
  const roots = fieldsOf([operation.selectionSet], fragments);
  const entities = roots.find((f) => f.name.value === '_entities');
  if (!entities) return keep(roots.map(responseName)).map((n) => [n]);
  const names = keep(fieldsOf(entities.selectionSet ? [entities.selectionSet] : [], fragments).map(responseName));
  const representations = options.request.variables?.representations;
  const count = Array.isArray(representations) ? representations.length : 0;
  const paths: Array<Array<string | number>> = [];
  for (let i = 0; i < count; i++) for (const n of names) paths.push(['_entities', i, n]);
  return paths;
}

function isMutation(query: string | undefined): boolean {
  const op = parseFetch(query)?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return op?.operation === 'mutation';
}

/** A write carrying an idempotencyKey can be sent twice without writing twice. */
function hasIdempotencyKey(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object' || depth > 8) return false;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'idempotencyKey' && typeof v === 'string' && v.length > 0) return true;
    if (hasIdempotencyKey(v, depth + 1)) return true;
  }
  return false;
}

export interface ShapedDataSourceOptions {
  name: string;
  url: string;
  identitySecret: string;
  traffic: SubgraphTraffic;
  metrics: Metrics;
  log: Logger;
}

interface CallerContext {
  caller?: { sub: string; agency: string; roles: string[]; scopes: string[]; communes: string[]; province: string | null; project: string | null };
  purpose?: string | null;
  requestId?: string;
  language?: Language;
  /** An expensive ad-hoc query (secure.ts): its calls wait behind light ones. */
  heavy?: boolean;
}

/**
 * Apollo's data source with the gateway's identity signing and bounds on each subgraph's traffic: a
 * deadline per call (queueing and retries included), the concurrency cap, one retry of a query on
 * a refused or reset connection, and the circuit breaker. A call that gets no answer never throws:
 * it answers with one error per field it would have filled (`SUBGRAPH_TIMEOUT` or
 * `SUBGRAPH_UNAVAILABLE`, naming the agency in the caller's language), so the rest of the plan goes
 * on and the caller gets partial data with the path of each missing field.
 */
export class ShapedDataSource extends RemoteGraphQLDataSource<CallerContext & Record<string, any>> {
  private readonly opts: ShapedDataSourceOptions;
  /** Reads in flight by subgraph request and identity (this gateway's own: replicas never share). */
  private readonly inFlight = new Map<string, Promise<FetcherResponse>>();

  constructor(opts: ShapedDataSourceOptions) {
    super();
    this.opts = opts;
    this.url = opts.url;
    this.fetcher = signingFetcher(opts.name, opts.identitySecret);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<CallerContext & Record<string, any>>) {
    if (!context.caller) return; // the gateway's own health checks carry no identity
    const { sub, agency, roles, scopes, communes, province, project } = context.caller;
    const identity = { sub, agency, roles, scopes, communes, province, project, purpose: context.purpose ?? null, requestId: context.requestId ?? '' };
    // base64url: a header value must be ASCII, and a purpose is Vietnamese text.
    request.http?.headers.set(UNSIGNED_IDENTITY, Buffer.from(JSON.stringify(identity)).toString('base64url'));
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }

  /** What a mutation touched (kit touched.ts, header `x-pcmt-touched`): the response cache drops only the answers it could change. */
  didReceiveResponse({ response, context }: { response: any; context: any }) {
    const header = response?.http?.headers?.get(TOUCHED_HEADER);
    if (header) {
      let report: unknown = null;
      try {
        report = JSON.parse(header);
      } catch {
        // Unreadable: recorded as touching everything of this subgraph.
      }
      noteTouched(context, this.opts.name, report);
    }
    return response;
  }

  override async process(options: GraphQLDataSourceProcessOptions<CallerContext & Record<string, any>>): Promise<any> {
    const { traffic, metrics, name } = this.opts;
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('subgraph deadline')), traffic.limits.timeoutMs);
    let outcome = 'ok';
    try {
      const admission = traffic.admit();
      if (!admission.ok) {
        outcome = 'breaker_open';
        return this.failure(options, 'breaker_open', Math.ceil(admission.retryAfterMs / 1000));
      }
      traffic.lastCallAt = Date.now();
      try {
        // A heavy query's call (a long stretch of work in the subgraph) starts when no light request
        // is in flight in this process, or once the hold has lasted its limit (kit turns.ts).
        if (options.context?.heavy === true) await turns.background();
        await traffic.acquire(deadline.signal, options.context?.heavy === true);
      } catch (err) {
        traffic.skipped(admission.trial);
        const kind = err instanceof Refusal ? err.kind : 'overloaded';
        outcome = kind;
        return this.failure(options, kind);
      }
      try {
        const response = await this.send(options, deadline.signal);
        traffic.succeeded(admission.trial);
        return response;
      } catch (err) {
        const result = classify(err, deadline.signal);
        if (result.kind === 'answer') {
          // The subgraph is up and refused the input: its errors reach the caller as they are.
          traffic.succeeded(admission.trial);
          outcome = 'client_error';
          return { errors: result.errors };
        }
        traffic.failed(result.failure, admission.trial);
        outcome = result.failure;
        this.opts.log.warn({ subgraph: name, kind: result.failure, requestId: options.context?.requestId, err: (err as Error)?.message }, 'subgraph call failed');
        return this.failure(options, result.failure);
      } finally {
        traffic.release();
      }
    } finally {
      clearTimeout(timer);
      metrics.subgraphRequests.inc({ subgraph: name, outcome });
      if (outcome !== 'ok' && outcome !== 'client_error') metrics.subgraphErrors.inc({ subgraph: name, kind: outcome });
      metrics.subgraphDuration.observe({ subgraph: name }, (performance.now() - started) / 1000);
    }
  }

  /** Reads of one request waiting to go to this subgraph together (fetch-batching.ts), by request context. */
  private readonly batches = new WeakMap<object, Waiting[]>();

  /**
   * A read joins the other reads of the same request that reach this point in the same turn (the
   * plan's parallel fetches to this subgraph); they go as one call. A write, or a request without
   * a context, goes alone.
   */
  private send(options: GraphQLDataSourceProcessOptions<any>, signal: AbortSignal): Promise<any> {
    const context = options.context;
    if (!this.opts.traffic.limits.batchFetches || !context || typeof context !== 'object' || isMutation(options.request.query)) return this.sendOne(options, signal);
    let waiting = this.batches.get(context);
    if (!waiting) {
      const batch: Waiting[] = (waiting = []);
      this.batches.set(context, batch);
      // After every promise job of this turn, as DataLoader does: the plan's parallel branches
      // reach here in one chain of promise jobs.
      void Promise.resolve().then(() =>
        process.nextTick(() => {
          this.batches.delete(context);
          this.sendBatch(batch);
        }),
      );
    }
    return new Promise((resolve, reject) => waiting!.push({ options, signal, resolve, reject }));
  }

  private sendBatch(batch: Waiting[]): void {
    const first = batch[0].options;
    const operationName = `${first.request.operationName ?? 'Fetch'}__batched`;
    const merged = batch.length > 1 ? mergeParts(batch.map((b) => ({ query: b.options.request.query!, variables: b.options.request.variables })), operationName) : null;
    if (!merged) {
      for (const b of batch) this.sendOne(b.options, b.signal).then(b.resolve, b.reject);
      return;
    }
    const options = {
      ...first,
      request: { ...first.request, query: merged.query, variables: merged.variables, operationName, http: first.request.http },
      document: undefined,
    } as GraphQLDataSourceProcessOptions<any>;
    this.opts.metrics.subgraphBatchedFetches.inc({ subgraph: this.opts.name }, batch.length);
    this.sendOne(options, AbortSignal.any(batch.map((b) => b.signal))).then(
      (answer) => merged.split(answer).forEach((part, i) => batch[i].resolve(part)),
      (err) => batch.forEach((b) => b.reject(err)),
    );
  }

  /** One call, sent again on a refused or reset connection when that cannot write twice. */
  private async sendOne(options: GraphQLDataSourceProcessOptions<any>, signal: AbortSignal): Promise<any> {
    const original = options.request.http;
    const mutation = isMutation(options.request.query);
    const mayRetry = !mutation || hasIdempotencyKey(options.request.variables);
    const scope: CallScope = {
      signal,
      shared: !mutation && this.opts.traffic.limits.shareInFlight ? this.inFlight : null,
      onShared: () => this.opts.metrics.subgraphSharedCalls.inc({ subgraph: this.opts.name }),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        return await currentCall.run(scope, () => super.process(options));
      } catch (err) {
        const code = errorCode(err);
        if (!mayRetry || attempt >= this.opts.traffic.limits.retries || signal.aborted || !code || !RETRYABLE.has(code)) throw err;
        this.opts.metrics.subgraphRetries.inc({ subgraph: this.opts.name });
        await new Promise((r) => setTimeout(r, 25 * (attempt + 1)));
        if (signal.aborted) throw err;
        // Apollo's process() replaces request.http; start again from what the plan gave.
        options.request.http = original;
      }
    }
  }

  private failure(options: GraphQLDataSourceProcessOptions<any>, kind: FailureKind, retryAfterSeconds?: number) {
    const mutation = isMutation(options.request.query);
    const message = failureMessage(this.opts.name, kind, options.context?.language ?? 'vi', { mutation, retryAfterSeconds });
    const extensions = { code: kind === 'timeout' ? 'SUBGRAPH_TIMEOUT' : 'SUBGRAPH_UNAVAILABLE', agency: this.opts.name, reason: kind, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
    const paths = fetchFieldPaths(options);
    if (!paths.length) return { errors: [{ message, extensions }] };
    return { errors: paths.map((path) => ({ message, path, extensions })) };
  }
}
