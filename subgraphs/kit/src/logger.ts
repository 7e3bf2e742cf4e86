import { pino, type Logger } from 'pino';
import { traceFields } from './telemetry.js';

export type { Logger };

export function createLogger(name: string, level = 'info'): Logger {
  // trace_id/span_id of the request being served, so a line leads to its trace (and back).
  return pino({ name, level, base: { service: name }, mixin: traceFields });
}
