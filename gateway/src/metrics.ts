import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

/** Prometheus metrics of one gateway (its own registry, so tests can start several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    refused: new Counter({ name: 'pcmt_gateway_refused_operations_total', help: 'Operations refused before execution, by reason', labelNames: ['reason'], registers: [registry] }),
    forbiddenFields: new Counter({ name: 'pcmt_gateway_forbidden_fields_total', help: 'Fields withheld from callers without the scope to read them', registers: [registry] }),
    auditEntries: new Counter({ name: 'pcmt_gateway_audit_entries_total', help: 'Sensitive reads recorded in the audit log', registers: [registry] }),
    bulkAccessAlerts: new Counter({ name: 'pcmt_gateway_bulk_access_alerts_total', help: 'Callers who read more distinct persons\' sensitive records in an hour than allowed', labelNames: ['agency'], registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
