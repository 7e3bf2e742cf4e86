// The gateway's part of traces, metrics and logs; the machinery is the kit's (@pcmt/kit/telemetry).
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { answerMetrics, startTelemetry, type Telemetry, type TelemetryConfig, type TelemetryOptions } from '@pcmt/kit/telemetry';
import type { RequestHandler } from 'express';
import type { DocumentNode } from 'graphql';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Metrics } from './metrics.js';
import { operationText } from './registry/documents.js';
import type { OperationIndex } from './registry/registry.js';

/**
 * The kit's telemetry plus spans for the gateway's calls to subgraphs: Node's fetch is undici, whose
 * diagnostics channels the instrumentation listens to; it also sends the traceparent header.
 * Idempotent, like the kit's.
 */
export function startGatewayTelemetry(config: TelemetryConfig, options: TelemetryOptions = {}): Promise<Telemetry> {
  return startTelemetry(config, {
    ...options,
    instrumentations: {
      ...options.instrumentations,
      undici: async () => {
        const { UndiciInstrumentation } = await import('@opentelemetry/instrumentation-undici');
        // Only calls made while serving a request: a JWKS refresh in the background starts no trace.
        return new UndiciInstrumentation({ requireParentforSpans: true });
      },
    },
  });
}

/** GET /metrics for the bearer of METRICS_TOKEN; 401 for everyone else (and for all when no token is set). */
export function metricsRoute(registry: Registry, token: string | null): RequestHandler {
  return async (req, res) => {
    const answer = await answerMetrics(registry, req.headers.authorization, token);
    res.status(answer.status).set(answer.headers).type(answer.type).send(answer.body);
  };
}

/**
 * A bounded label for an operation: its name when the document is registered for some client
 * application, `unregistered` for another named one (an analyst's ad-hoc query), `anonymous` without
 * a name. Names of ad-hoc queries are the caller's choice and would grow the metrics without end.
 */
export function operationLabel(document: DocumentNode | undefined, operationName: string | null | undefined, index: OperationIndex): string {
  if (!operationName) return 'anonymous';
  if (!document) return 'unregistered';
  return index.idOfText(operationText(document, operationName)) ? operationName : 'unregistered';
}

/** Error codes are few, but a subgraph may invent one: past this many, the rest count as OTHER. */
const MAX_CODES = 40;
const seenCodes = new Set<string>();
function codeLabel(code: unknown): string {
  const c = typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,47}$/.test(code) ? code : 'OTHER';
  if (seenCodes.has(c)) return c;
  if (seenCodes.size >= MAX_CODES) return 'OTHER';
  seenCodes.add(c);
  return c;
}

/**
 * Per operation: rate, latency and outcome (pcmt_gateway_operation_duration_seconds), error codes,
 * the operation on the request's server span, and a debug line that carries the trace id.
 */
export function operationTelemetry(opts: { metrics: Metrics; operations: () => OperationIndex; log: Logger }): ApolloServerPlugin<BaseContext & { requestId?: string }> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didResolveOperation({ document, operationName, operation }) {
          trace.getActiveSpan()?.setAttributes({ 'graphql.operation.name': operationLabel(document, operationName, opts.operations()), 'graphql.operation.type': operation?.operation ?? 'unknown' });
        },
        async willSendResponse({ document, operationName, operation, response, contextValue }) {
          const label = operationLabel(document, operationName, opts.operations());
          const type = operation?.operation ?? 'unknown';
          const result = response.body.kind === 'single' ? response.body.singleResult : null;
          const errors = result?.errors ?? [];
          const outcome = errors.length === 0 ? 'ok' : result?.data ? 'partial' : 'error';
          const seconds = (performance.now() - started) / 1000;
          opts.metrics.operationDuration.observe({ operation: label, type, outcome }, seconds);
          for (const code of new Set(errors.map((e) => codeLabel(e.extensions?.code)))) opts.metrics.operationErrors.inc({ operation: label, code });
          opts.log.debug({ requestId: contextValue.requestId, operation: label, type, outcome, ms: Math.round(seconds * 1000) }, 'operation answered');
        },
      };
    },
  };
}
