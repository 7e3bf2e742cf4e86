import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one gateway (its own registry, so tests can start several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    refused: new Counter({ name: 'pcmt_gateway_refused_operations_total', help: 'Operations refused before execution, by reason', labelNames: ['reason'], registers }),
    forbiddenFields: new Counter({ name: 'pcmt_gateway_forbidden_fields_total', help: 'Fields withheld from callers without the scope to read them', registers }),
    auditEntries: new Counter({ name: 'pcmt_gateway_audit_entries_total', help: 'Sensitive reads recorded in the audit log', registers }),
    bulkAccessAlerts: new Counter({ name: 'pcmt_gateway_bulk_access_alerts_total', help: 'Callers who read more distinct persons\' sensitive records in an hour than allowed', labelNames: ['agency'], registers }),
    subgraphRequests: new Counter({ name: 'pcmt_gateway_subgraph_requests_total', help: 'Calls to a subgraph, by outcome (ok, client_error, or the error kind)', labelNames: ['subgraph', 'outcome'], registers }),
    subgraphDuration: new Histogram({
      name: 'pcmt_gateway_subgraph_request_duration_seconds',
      help: 'Time of one call to a subgraph, queueing and retries included',
      labelNames: ['subgraph'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    subgraphErrors: new Counter({ name: 'pcmt_gateway_subgraph_errors_total', help: 'Failed calls to a subgraph, by kind (timeout, unreachable, server_error, bad_response, overloaded, breaker_open)', labelNames: ['subgraph', 'kind'], registers }),
    subgraphSharedCalls: new Counter({ name: 'pcmt_gateway_subgraph_shared_calls_total', help: 'Reads answered by an identical call of the same caller already in flight instead of a call of their own', labelNames: ['subgraph'], registers }),
    subgraphBatchedFetches: new Counter({ name: 'pcmt_gateway_subgraph_batched_fetches_total', help: 'Fetches of a query plan sent to a subgraph together with other fetches of the same request, in one call', labelNames: ['subgraph'], registers }),
    subgraphRetries: new Counter({ name: 'pcmt_gateway_subgraph_retries_total', help: 'Queries sent again after a refused or reset connection', labelNames: ['subgraph'], registers }),
    subgraphBreaker: new Gauge({ name: 'pcmt_gateway_subgraph_breaker_state', help: 'Circuit breaker per subgraph: 0 closed, 1 half-open (one trial call), 2 open (calls refused at once)', labelNames: ['subgraph'], registers }),
    subgraphInFlight: new Gauge({ name: 'pcmt_gateway_subgraph_in_flight', help: 'Calls to a subgraph under way', labelNames: ['subgraph'], registers }),
    subgraphQueued: new Gauge({ name: 'pcmt_gateway_subgraph_queued', help: 'Calls waiting for a free slot of the subgraph\'s concurrency cap', labelNames: ['subgraph'], registers }),
    dependencyUp: new Gauge({ name: 'pcmt_gateway_dependency_up', help: 'Whether a dependency answers (1) or not (0); optional ones (redis) fall back', labelNames: ['dependency'], registers }),
    dependencyFallbacks: new Counter({ name: 'pcmt_gateway_dependency_fallbacks_total', help: 'Uses served by the in-memory fallback because the dependency was down', labelNames: ['dependency', 'use'], registers }),
    registryNotifications: new Counter({ name: 'pcmt_gateway_registry_notifications_total', help: 'Registry changes announced by a replica over Redis and received here', registers }),
    httpInFlight: new Gauge({ name: 'pcmt_gateway_http_in_flight', help: 'HTTP requests being answered', registers }),
    // Per GraphQL operation: the registered name, else `unregistered` (ad-hoc) or `anonymous`; never the query.
    operationDuration: new Histogram({
      name: 'pcmt_gateway_operation_duration_seconds',
      help: 'GraphQL operations answered (rate: _count), by operation, type and outcome (ok, partial: data with errors, error)',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    operationErrors: new Counter({ name: 'pcmt_gateway_operation_errors_total', help: 'Operations answered with at least one error of this code', labelNames: ['operation', 'code'], registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
