import type { ApolloGateway } from '@apollo/gateway';
import type { Logger } from 'pino';
import type { AccessPolicy } from './access.js';
import type { AuditLog } from './audit.js';
import type { Metrics } from './metrics.js';
import type { OperationIndex } from './registry/registry.js';
import type { BulkAccessWatch } from './bulk-watch.js';
import type { HeavyQueryGate } from './fair-share.js';
import { turns } from '@pcmt/kit/turns';
import {
  auditRead,
  auditWrite,
  personsOfInputRecords,
  authenticate,
  authorizeFields,
  checkOperation,
  completeValues,
  limit,
  mask,
  personsRead,
  plan,
  Refusal,
  requirePurpose,
  run,
  withholdForbidden,
  type Executor,
} from './secure-steps.js';

export { AUDIT_RETRY_AFTER_SECONDS, pseudonym } from './secure-steps.js';
export { DEFAULT_LIST_ROWS, estimateCost } from './cost.js';

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

/**
 * Wraps @apollo/gateway's executor: access is decided on the operation before anything is planned
 * or fetched; forbidden fields never leave for a subgraph and come back null with FORBIDDEN at their
 * path; sensitive reads need a declared purpose and are audited (no audit, no data). `executeSecured`
 * is the request path as a pipeline of the named steps of secure-steps.ts, each tested on its own.
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
    // Light until found heavy: its work in the subgraphs goes ahead of heavy work waiting for a turn
    // of the event loop (kit turns.ts; in this process, as `npm start` runs them).
    const requestId: unknown = rc.context?.requestId;
    const leave = typeof requestId === 'string' && requestId ? turns.foregroundWhile(requestId) : () => {};
    try {
      return await this.executeSecured(rc, inner, leave);
    } finally {
      leave();
    }
  }

  private async executeSecured(rc: any, inner: Executor, leaveForeground: () => void): Promise<any> {
    const { opts } = this;
    const caller = authenticate(rc);
    if (caller instanceof Refusal) return caller.answer;
    const wrongOperation = checkOperation(rc, caller, opts.operations, opts.metrics);
    if (wrongOperation) return wrongOperation.answer;
    const limited = limit(rc, caller, opts, opts.metrics);
    if (limited instanceof Refusal) return limited.answer;
    const { heavy } = limited;
    if (heavy) leaveForeground();

    const analysis = authorizeFields(rc, caller, opts.policy());
    const purpose: string | null = rc.context.purpose;
    const noPurpose = requirePurpose(analysis, purpose, opts.metrics);
    if (noPurpose) return noPurpose.answer;
    const unknownPersons = await personsOfInputRecords(opts, rc, caller, opts.policy(), analysis, inner);
    if (unknownPersons) return unknownPersons.answer;
    const unrecordedWrite = await auditWrite(opts, rc, caller, purpose, analysis);
    if (unrecordedWrite) return unrecordedWrite.answer;

    const fetched = await run(plan(rc, analysis), inner, heavy, opts.heavyGate, opts.metrics);
    if (fetched instanceof Refusal) return fetched.answer;
    // An expensive answer is walked below (masks, audit keys) and serialised after: each of those long
    // stretches starts on a turn of its own when no light request is in flight (kit turns.ts).
    if (heavy) await turns.background();

    const { errors, ...completed } = completeValues(fetched);
    let { result } = completed;
    const data = result.data ?? null;
    withholdForbidden(data, analysis, errors, opts.metrics);
    const persons = personsRead(data, analysis);
    const suppressed = mask(data, analysis, caller, opts.pseudonymSecret);
    if (suppressed) result = { ...result, extensions: { ...result.extensions, suppressedSmallCells: suppressed } };
    const unrecordedRead = await auditRead(opts, rc, caller, purpose, analysis, persons);
    if (unrecordedRead) return unrecordedRead.answer;
    if (heavy) await turns.background();
    return { ...result, data, errors: errors.length ? errors : undefined };
  }
}
