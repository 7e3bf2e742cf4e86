import type { ApolloGateway } from '@apollo/gateway';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  Kind,
  print,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { createHash, createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { AccessPolicy, analyseOperation, atPath, takeAuditKeys } from './access.js';
import type { AuditLog } from './audit.js';
import type { Caller } from './auth.js';
import type { Metrics } from './metrics.js';
import { isIntrospectionOnly } from './safelist.js';
import { operationText } from './registry/documents.js';
import type { OperationIndex } from './registry/registry.js';
import type { BulkAccessWatch } from './bulk-watch.js';
import { GateFullError, periodSpan, type HeavyQueryGate } from './fair-share.js';
import { isSmallCell, seesSmallCells } from '@pcmt/kit/small-cells';

export interface SecurityOptions {
  policy: () => AccessPolicy;
  audit: AuditLog;
  /** The registered operations (trusted documents) of every client application, as served now. */
  operations: () => OperationIndex;
  pseudonymSecret: string;
  adhocCostBudget: number;
  /** Ad-hoc operations costing more than this run through `heavyGate`, a few at a time. */
  heavyCost: number;
  heavyGate: HeavyQueryGate;
  bulkAccessThreshold: number;
  /** Distinct persons read per caller per hour: in memory, or in Redis shared by replicas. */
  bulkWatch: BulkAccessWatch;
  log: Logger;
  metrics: Metrics;
}

type Executor = (rc: any) => Promise<any>;

/** What a sensitive read refused for want of the audit log tells the client to wait. */
export const AUDIT_RETRY_AFTER_SECONDS = 5;

const forbidden = (message: string, code = 'FORBIDDEN') => ({ errors: [new GraphQLError(message, { extensions: { code } })] });

/** A pseudonym stable within one analyst project and not reversible without the secret. */
export function pseudonym(secret: string, project: string, value: string): string {
  const projectKey = createHmac('sha256', secret).update(`project:${project}`).digest();
  return 'P-' + createHmac('sha256', projectKey).update(value).digest('base64url').slice(0, 22);
}

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

/**
 * Wraps @apollo/gateway's executor: access is decided on the operation before anything is planned
 * or fetched; forbidden fields never leave for a subgraph and come back null with FORBIDDEN at their
 * path; sensitive reads need a declared purpose and are audited (no audit, no data).
 */
export class SecuredGateway {
  constructor(
    private readonly inner: ApolloGateway,
    private readonly opts: SecurityOptions,
  ) {}

  onSchemaLoadOrUpdate(callback: any) {
    return this.inner.onSchemaLoadOrUpdate(callback);
  }

  async load(options: any) {
    const { schema, executor } = await this.inner.load(options);
    return { schema, executor: (rc: any) => this.execute(rc, executor as Executor) };
  }

  stop() {
    return this.inner.stop();
  }

  private async execute(rc: any, inner: Executor): Promise<any> {
    const caller: Caller | undefined = rc.context?.caller;
    if (!caller) return forbidden('Unauthenticated', 'UNAUTHENTICATED');
    const { metrics } = this.opts;
    const scopes = caller.scopes;
    const adhoc = scopes.includes('operations:adhoc');
    if (rc.operation?.operation === 'subscription') {
      return { errors: [new GraphQLError('Subscriptions are not offered by this graph', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } })] };
    }

    if (!adhoc && !isIntrospectionOnly(rc.document)) {
      const index = this.opts.operations();
      if (!index.registeredFor(caller.client, index.idOfText(operationText(rc.document, rc.operationName)) ?? '')) {
        metrics.refused.inc({ reason: 'unregistered_operation' });
        const message = caller.client
          ? `This operation is not registered for client application ${caller.client}; ad-hoc operations are for analysts`
          : 'Your token names no client application (client_id), so it may run no registered operation; ad-hoc operations are for analysts';
        return forbidden(message, 'OPERATION_NOT_REGISTERED');
      }
    }
    let heavy = false;
    if (adhoc) {
      const cost = estimateCost(rc.schema, rc.document, rc.operation, rc.request.variables);
      if (cost > this.opts.adhocCostBudget) {
        metrics.refused.inc({ reason: 'cost_budget' });
        return forbidden(`Operation cost ${cost} exceeds your budget of ${this.opts.adhocCostBudget}`, 'COST_BUDGET_EXCEEDED');
      }
      heavy = cost > this.opts.heavyCost;
    }

    const analysis = analyseOperation(rc.schema, this.opts.policy(), rc.document, rc.operationName, scopes, rc.request?.variables ?? {});
    const purpose: string | null = rc.context.purpose;
    if (analysis.sensitive.size > 0 && !purpose) {
      metrics.refused.inc({ reason: 'purpose_missing' });
      return forbidden('Reading sensitive personal data requires a declared purpose (header x-pcmt-purpose)', 'PURPOSE_REQUIRED');
    }
    // A write that names a person is on record before it runs, under the persons its input names:
    // whether the subgraph then writes or refuses it, and no entry, no write.
    const write = rc.operation?.operation === 'mutation' && analysis.sensitive.size > 0;
    if (write) {
      const refused = await this.record(rc, caller, purpose!, analysis.inputPersons, analysis.sensitive);
      if (refused) return refused;
    }

    let planned = rc;
    if (analysis.document !== rc.document) {
      const document = analysis.document;
      const operation = document.definitions.find((d: any) => d.kind === Kind.OPERATION_DEFINITION && (!rc.operationName || d.name?.value === rc.operationName));
      // Plans are cached per query hash: the rewritten document needs its own.
      const queryHash = createHash('sha256').update(print(document)).digest('hex');
      planned = Object.assign(Object.create(Object.getPrototypeOf(rc)), rc, { document, operation, queryHash });
    }
    let result: any;
    try {
      // Expensive ad-hoc queries take turns, so light ones (and everyone else's) are not starved.
      result = heavy ? await this.opts.heavyGate.run(() => inner(planned)) : await inner(planned);
    } catch (err) {
      if (!(err instanceof GateFullError)) throw err;
      metrics.refused.inc({ reason: 'heavy_queue_full' });
      return { errors: [new GraphQLError(`Busy with other expensive queries (${err.message}); try again in a minute or ask for less`, { extensions: { code: 'TOO_MANY_REQUESTS', http: { status: 429, headers: new Map([['retry-after', '30']]) } } })] };
    }

    const errors = [...(result.errors ?? [])];
    // A required value missing from a subgraph's answer (say, a person not in the police register)
    // nulls its parent: say so at that path as an error, instead of Apollo's `valueCompletion` extension.
    const { valueCompletion, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
    if (Array.isArray(valueCompletion)) {
      for (const e of valueCompletion as Array<{ path?: ReadonlyArray<string | number> }>) {
        errors.push(new GraphQLError('Incomplete data: a value this answer requires is missing, so this part of the answer is null', { path: e.path, extensions: { code: 'INCOMPLETE_DATA' } }));
      }
      result = { ...result, extensions: Object.keys(extensions).length ? extensions : undefined };
    }
    const data = result.data ?? null;
    for (const f of analysis.forbidden) {
      metrics.forbiddenFields.inc();
      atPath(data, f.path, (holder, key, concrete) => {
        holder[key] = null;
        errors.push(new GraphQLError(`Forbidden: your role may not read ${f.coordinate}`, { path: concrete, extensions: { code: 'FORBIDDEN' } }));
      });
    }
    const persons = takeAuditKeys(data);

    const pseudonymous = !seesSmallCells(scopes);
    if (pseudonymous) {
      const project = caller.project ?? caller.sub;
      for (const path of analysis.pseudonymPaths) {
        atPath(data, path, (holder, key) => {
          if (typeof holder[key] === 'string') holder[key] = pseudonym(this.opts.pseudonymSecret, project, holder[key] as string);
        });
      }
      let suppressed = 0;
      for (const path of analysis.smallCellPaths) {
        atPath(data, path, (holder, key) => {
          const v = holder[key];
          if (isSmallCell(v)) {
            holder[key] = null;
            suppressed++;
          }
        });
      }
      if (suppressed) result = { ...result, extensions: { ...result.extensions, suppressedSmallCells: suppressed } };
    }

    if (analysis.sensitive.size > 0) {
      // A write's answer is recorded again only for persons its input did not name.
      const unrecorded = write ? new Set([...persons].filter((p) => !analysis.inputPersons.has(p))) : persons;
      if (!write || unrecorded.size > 0) {
        const refused = await this.record(rc, caller, purpose!, unrecorded, analysis.sensitive);
        if (refused) return refused;
      }
      await this.watchBulkAccess(caller, write ? new Set([...persons, ...analysis.inputPersons]) : persons);
    }
    return { ...result, data, errors: errors.length ? errors : undefined };
  }

  /** Appends one audit entry; on failure the answer that must not go out without it (fail closed). */
  private async record(rc: any, caller: Caller, purpose: string, persons: Set<string>, fields: Set<string>): Promise<{ errors: GraphQLError[] } | null> {
    const { metrics, log } = this.opts;
    try {
      await this.opts.audit.append({
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
      const error = new GraphQLError('The audit log is unavailable, so sensitive data cannot be read or written now', {
        extensions: { code: 'AUDIT_UNAVAILABLE', http: { status: 503, headers: new Map([['retry-after', String(AUDIT_RETRY_AFTER_SECONDS)]]) } },
      });
      return { errors: [error] };
    }
  }

  private async watchBulkAccess(caller: Caller, persons: Set<string>): Promise<void> {
    const { bulkWatch, bulkAccessThreshold: threshold, metrics, log } = this.opts;
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
}
