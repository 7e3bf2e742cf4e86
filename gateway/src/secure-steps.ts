import { GraphQLError, Kind, parse, print } from 'graphql';
import { createHash, createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { analyseOperation, atPath, readAuditKeys, recordPersonsQuery, takeAuditKeys, type AccessPolicy, type OperationAnalysis } from './access.js';
import type { AuditLog } from './audit.js';
import type { Caller } from './auth.js';
import type { BulkAccessWatch } from './bulk-watch.js';
import { estimateCost } from './cost.js';
import { GateFullError, type HeavyQueryGate } from './fair-share.js';
import type { Metrics } from './metrics.js';
import { operationText } from './registry/documents.js';
import type { OperationIndex } from './registry/registry.js';
import { isIntrospectionOnly } from './safelist.js';
import { isSmallCell, seesSmallCells } from '@pcmt/kit/small-cells';

// The steps of SecuredGateway's request path (secure.ts), in the order it runs them. Each takes what
// it needs and answers either its result or a Refusal: the answer the client gets instead of data.

/** Apollo's request context as the steps use it (`rc` of the gateway executor). */
export type GatewayRequest = any;
export type Executor = (rc: GatewayRequest) => Promise<any>;

/** An answer of errors only, given instead of running the operation. */
export class Refusal {
  constructor(readonly answer: { errors: GraphQLError[] }) {}
}

/** What a sensitive read refused for want of the audit log tells the client to wait. */
export const AUDIT_RETRY_AFTER_SECONDS = 5;

const refuse = (message: string, code = 'FORBIDDEN', http?: { status: number; headers?: Map<string, string> }) =>
  new Refusal({ errors: [new GraphQLError(message, { extensions: http ? { code, http } : { code } })] });

/** A pseudonym stable within one analyst project and not reversible without the secret. */
export function pseudonym(secret: string, project: string, value: string): string {
  const projectKey = createHmac('sha256', secret).update(`project:${project}`).digest();
  return 'P-' + createHmac('sha256', projectKey).update(value).digest('base64url').slice(0, 22);
}

/** 1. Who asks: the caller the HTTP layer verified from the token, or a refusal. */
export function authenticate(rc: GatewayRequest): Caller | Refusal {
  const caller: Caller | undefined = rc.context?.caller;
  return caller ?? refuse('Unauthenticated', 'UNAUTHENTICATED');
}

/** 2. What is asked: no subscriptions; without `operations:adhoc`, only the client's registered operations (or introspection). */
export function checkOperation(rc: GatewayRequest, caller: Caller, operations: () => OperationIndex, metrics: Metrics): Refusal | null {
  if (rc.operation?.operation === 'subscription') {
    return refuse('Subscriptions are not offered by this graph', 'BAD_REQUEST', { status: 400 });
  }
  if (caller.scopes.includes('operations:adhoc') || isIntrospectionOnly(rc.document)) return null;
  const index = operations();
  if (index.registeredFor(caller.client, index.idOfText(operationText(rc.document, rc.operationName)) ?? '')) return null;
  metrics.refused.inc({ reason: 'unregistered_operation' });
  const message = caller.client
    ? `This operation is not registered for client application ${caller.client}; ad-hoc operations are for analysts`
    : 'Your token names no client application (client_id), so it may run no registered operation; ad-hoc operations are for analysts';
  return refuse(message, 'OPERATION_NOT_REGISTERED');
}

export interface Limits {
  adhocCostBudget: number;
  /** Ad-hoc operations costing more than this are heavy: they run through the heavy gate. */
  heavyCost: number;
}

/**
 * 3. How much: an ad-hoc operation over the cost budget is refused; over `heavyCost` it is heavy
 * (marked on the context, so its subgraph calls wait behind light ones: subgraph-client.ts).
 * Registered operations are never heavy.
 */
export function limit(rc: GatewayRequest, caller: Caller, limits: Limits, metrics: Metrics): { heavy: boolean } | Refusal {
  if (!caller.scopes.includes('operations:adhoc')) return { heavy: false };
  const cost = estimateCost(rc.schema, rc.document, rc.operation, rc.request.variables);
  if (cost > limits.adhocCostBudget) {
    metrics.refused.inc({ reason: 'cost_budget' });
    return refuse(`Operation cost ${cost} exceeds your budget of ${limits.adhocCostBudget}`, 'COST_BUDGET_EXCEEDED');
  }
  const heavy = cost > limits.heavyCost;
  rc.context.heavy = heavy;
  return { heavy };
}

/** 4. Which fields: the caller's scopes against the policy, before anything is planned (access.ts). */
export function authorizeFields(rc: GatewayRequest, caller: Caller, policy: AccessPolicy): OperationAnalysis {
  return analyseOperation(rc.schema, policy, rc.document, rc.operationName, caller.scopes, rc.request?.variables ?? {});
}

/** 5. Why: reading or writing sensitive data needs a declared purpose (header x-pcmt-purpose). */
export function requirePurpose(analysis: OperationAnalysis, purpose: string | null, metrics: Metrics): Refusal | null {
  if (analysis.sensitive.size === 0 || purpose) return null;
  metrics.refused.inc({ reason: 'purpose_missing' });
  return refuse('Reading sensitive personal data requires a declared purpose (header x-pcmt-purpose)', 'PURPOSE_REQUIRED');
}

export interface Recorder {
  audit: AuditLog;
  log: Logger;
  metrics: Metrics;
}

/** Appends one audit entry; on failure the refusal that goes out instead of the data (fail closed). */
export async function record(deps: Recorder, rc: GatewayRequest, caller: Caller, purpose: string, persons: Set<string>, fields: Set<string>): Promise<Refusal | null> {
  const { metrics, log } = deps;
  try {
    await deps.audit.append({
      at: new Date().toISOString(),
      subject: caller.sub,
      agency: caller.agency,
      roles: caller.roles,
      purpose,
      requestId: rc.context.requestId,
      operationName: rc.operationName ?? null,
      operationHash: rc.queryHash,
      persons: [...persons].sort(),
      fields: [...fields].sort(),
    });
    metrics.auditEntries.inc();
    return null;
  } catch (err) {
    // Fail closed: sensitive data that cannot be accounted for is not read, or written.
    log.error({ err, requestId: rc.context.requestId }, 'audit write failed; sensitive operation refused');
    metrics.refused.inc({ reason: 'audit_unavailable' });
    // 503 with Retry-After: the refusal is temporary, the client may ask again shortly.
    return refuse('The audit log is unavailable, so sensitive data cannot be read or written now', 'AUDIT_UNAVAILABLE', {
      status: 503,
      headers: new Map([['retry-after', String(AUDIT_RETRY_AFTER_SECONDS)]]),
    });
  }
}

/** A mutation touching sensitive fields: audited before it runs (`auditWrite`), and its answer after. */
export const isSensitiveWrite = (rc: GatewayRequest, analysis: OperationAnalysis): boolean => rc.operation?.operation === 'mutation' && analysis.sensitive.size > 0;

/**
 * 6. A write that names a person is on record before it runs, under the persons its input names:
 * whether the subgraph then writes or refuses it, and no entry, no write.
 */
export async function auditWrite(deps: Recorder, rc: GatewayRequest, caller: Caller, purpose: string | null, analysis: OperationAnalysis): Promise<Refusal | null> {
  if (!isSensitiveWrite(rc, analysis)) return null;
  return record(deps, rc, caller, purpose!, analysis.inputPersons, analysis.sensitive);
}

/**
 * 6a. A write that names a record about a person by its id (a dose's enrolment, a file to close, a
 * request to accept: `person-of:<query field>`) is about that person: read whom each record is about
 * first, through the supergraph's `Query.<field>(id:)` and the record type's own link to its persons,
 * as the caller (its area and scopes, so a record it cannot see names nobody and the write will find
 * nothing either: the same as an unknown id), and add them to the persons the entry names. A lookup
 * that fails otherwise (a subgraph down) cannot say whom the write is about: no entry, no write.
 */
export async function personsOfInputRecords(deps: Omit<Recorder, 'audit'>, rc: GatewayRequest, caller: Caller, policy: AccessPolicy, analysis: OperationAnalysis, inner: Executor): Promise<Refusal | null> {
  if (!isSensitiveWrite(rc, analysis) || analysis.inputRecords.size === 0) return null;
  const lookup = recordPersonsQuery(rc.schema, policy, caller.scopes, analysis.inputRecords);
  if (!lookup) return null;
  const document = parse(lookup.query);
  const operation = document.definitions[0];
  const queryHash = createHash('sha256').update(lookup.query).digest('hex');
  const request = { ...rc.request, query: lookup.query, operationName: 'PcmtAuditRecordPersons', variables: lookup.variables };
  const derived = Object.assign(Object.create(Object.getPrototypeOf(rc)), rc, { document, operation, queryHash, request, operationName: 'PcmtAuditRecordPersons' });
  let result: any;
  try {
    result = await inner(derived);
  } catch (err) {
    result = { errors: [err] };
  }
  // A malformed id is refused by the write in the same words; anything else left the persons unknown.
  const failed = (result?.errors ?? []).filter((e: any) => e?.extensions?.code !== 'BAD_USER_INPUT');
  if (failed.length) {
    deps.log.error({ requestId: rc.context.requestId, errors: failed.map((e: any) => e?.message) }, 'persons of a write\'s records not found; write refused');
    deps.metrics.refused.inc({ reason: 'audit_unavailable' });
    return refuse('Whom this write is about could not be established for the audit log, so it cannot be written now', 'AUDIT_UNAVAILABLE', {
      status: 503,
      headers: new Map([['retry-after', String(AUDIT_RETRY_AFTER_SECONDS)]]),
    });
  }
  for (const p of takeAuditKeys(result?.data ?? null)) analysis.inputPersons.add(p);
  return null;
}

/** 7a. The request to plan: the analysed document (forbidden fields removed, audit keys added) with its own plan-cache key. */
export function plan(rc: GatewayRequest, analysis: OperationAnalysis): GatewayRequest {
  if (analysis.document === rc.document) return rc;
  const document = analysis.document;
  const operation = document.definitions.find((d: any) => d.kind === Kind.OPERATION_DEFINITION && (!rc.operationName || d.name?.value === rc.operationName));
  // Plans are cached per query hash: the rewritten document needs its own.
  const queryHash = createHash('sha256').update(print(document)).digest('hex');
  return Object.assign(Object.create(Object.getPrototypeOf(rc)), rc, { document, operation, queryHash });
}

/** 7b. Plan and fetch (Apollo's executor); heavy operations take turns through the gate, and a full queue is a 429. */
export async function run(planned: GatewayRequest, inner: Executor, heavy: boolean, gate: HeavyQueryGate, metrics: Metrics): Promise<any> {
  try {
    // Expensive ad-hoc queries take turns, so light ones (and everyone else's) are not starved.
    return heavy ? await gate.run(() => inner(planned)) : await inner(planned);
  } catch (err) {
    if (!(err instanceof GateFullError)) throw err;
    metrics.refused.inc({ reason: 'heavy_queue_full' });
    return refuse(`Busy with other expensive queries (${err.message}); try again in a minute or ask for less`, 'TOO_MANY_REQUESTS', {
      status: 429,
      headers: new Map([['retry-after', '30']]),
    });
  }
}

/**
 * 8. The answer's errors: a required value missing from a subgraph's answer (say, a person not in
 * the police register) nulls its parent; say so at that path as an error, instead of Apollo's
 * `valueCompletion` extension, which is dropped.
 */
export function completeValues(result: any): { result: any; errors: GraphQLError[] } {
  const errors = [...(result.errors ?? [])];
  const { valueCompletion, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
  if (!Array.isArray(valueCompletion)) return { result, errors };
  for (const e of valueCompletion as Array<{ path?: ReadonlyArray<string | number> }>) {
    errors.push(new GraphQLError('Incomplete data: a value this answer requires is missing, so this part of the answer is null', { path: e.path, extensions: { code: 'INCOMPLETE_DATA' } }));
  }
  return { result: { ...result, extensions: Object.keys(extensions).length ? extensions : undefined }, errors };
}

/** 9. Forbidden fields were never fetched: null at each of their paths, with a FORBIDDEN error there (added to `errors`). */
export function withholdForbidden(data: unknown, analysis: OperationAnalysis, errors: GraphQLError[], metrics: Metrics): void {
  for (const f of analysis.forbidden) {
    metrics.forbiddenFields.inc();
    atPath(data, f.path, (holder, key, concrete) => {
      holder[key] = null;
      errors.push(new GraphQLError(`Forbidden: your role may not read ${f.coordinate}`, { path: concrete, extensions: { code: 'FORBIDDEN' } }));
    });
  }
}

/**
 * 10. Persons the answer is about: the person keys the caller selected itself, read where
 * `authorizeFields` found them, and the hidden ones it added, taken out of `data` (the whole answer
 * is searched only when some were added). Without an analysis, only the hidden ones.
 */
export function personsRead(data: unknown, analysis?: Pick<OperationAnalysis, 'auditReads' | 'auditKeysAdded'>): Set<string> {
  const found = new Set<string>();
  for (const { path, keys } of analysis?.auditReads ?? []) readAuditKeys(data, path, keys, found);
  return !analysis || analysis.auditKeysAdded ? takeAuditKeys(data, found) : found;
}

/**
 * 11. For callers who may not see identities (no `person:identity`): citizen IDs become pseudonyms
 * of their project, small cells (1–4) become null. Changes `data` in place; answers how many cells it withheld.
 */
export function mask(data: unknown, analysis: OperationAnalysis, caller: Caller, pseudonymSecret: string): number {
  if (seesSmallCells(caller.scopes)) return 0;
  const project = caller.project ?? caller.sub;
  for (const path of analysis.pseudonymPaths) {
    atPath(data, path, (holder, key) => {
      if (typeof holder[key] === 'string') holder[key] = pseudonym(pseudonymSecret, project, holder[key] as string);
    });
  }
  // Again here for every small-cell field (the period figures come withheld from the kit, with the
  // cells that would give them away by subtraction: small-cells.ts); a withheld cell arrives null.
  let suppressed = 0;
  for (const path of analysis.smallCellPaths) {
    atPath(data, path, (holder, key) => {
      if (isSmallCell(holder[key])) {
        holder[key] = null;
        suppressed++;
      }
    });
  }
  return suppressed;
}

export interface ReadAuditor extends Recorder {
  bulkWatch: BulkAccessWatch;
  bulkAccessThreshold: number;
}

/**
 * 12. A sensitive answer is on record before it goes out (no entry, no data), under everyone it
 * touched: the persons in the answer and those its arguments name. A write's answer is recorded
 * again only for persons its input did not name. Then the bulk-access watch counts them.
 */
export async function auditRead(deps: ReadAuditor, rc: GatewayRequest, caller: Caller, purpose: string | null, analysis: OperationAnalysis, persons: Set<string>): Promise<Refusal | null> {
  if (analysis.sensitive.size === 0) return null;
  const write = isSensitiveWrite(rc, analysis);
  const touched = new Set([...persons, ...analysis.inputPersons]);
  const unrecorded = write ? new Set([...persons].filter((p) => !analysis.inputPersons.has(p))) : touched;
  if (!write || unrecorded.size > 0) {
    const refused = await record(deps, rc, caller, purpose!, unrecorded, analysis.sensitive);
    if (refused) return refused;
  }
  await watchBulkAccess(deps, caller, touched);
  return null;
}

/** Alerts (metric and log) when a caller passes the hourly threshold of distinct persons read; never refuses. */
export async function watchBulkAccess(deps: ReadAuditor, caller: Caller, persons: Set<string>): Promise<void> {
  const { bulkWatch, bulkAccessThreshold: threshold, metrics, log } = deps;
  try {
    const distinctPersons = await bulkWatch.record(caller.sub, persons, threshold);
    if (distinctPersons === null) return;
    metrics.bulkAccessAlerts.inc({ agency: caller.agency });
    log.warn({ alert: 'bulk_sensitive_access', subject: caller.sub, agency: caller.agency, distinctPersons, threshold }, 'bulk access to sensitive records');
  } catch (err) {
    // The read is already audited; a watch that cannot count is reported, not fatal.
    log.error({ err, subject: caller.sub }, 'bulk-access watch unavailable');
  }
}
