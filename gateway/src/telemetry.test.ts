import { describe, expect, test } from '@jest/globals';
import { parse } from 'graphql';
import { loadGatewayConfig } from './config.js';
import { documentIdOf } from './registry/documents.js';
import { OperationIndex } from './registry/registry.js';
import { operationLabel } from './telemetry.js';

const production = {
  NODE_ENV: 'production',
  PCMT_IDENTITY_SECRET: 'd4'.repeat(32),
  PCMT_PSEUDONYM_SECRET: 'e5'.repeat(32),
  JWT_ISSUER: 'https://id.example.gov.vn/realms/pcmt',
  JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\n',
};

describe('gateway observability configuration', () => {
  test('/metrics needs METRICS_TOKEN in production; a placeholder or a short one is refused', () => {
    expect(() => loadGatewayConfig(production)).toThrow(/METRICS_TOKEN: required in production/);
    expect(() => loadGatewayConfig({ ...production, METRICS_TOKEN: 'replace-with-openssl-rand-hex-32' })).toThrow(/METRICS_TOKEN: a placeholder/);
    expect(() => loadGatewayConfig({ METRICS_TOKEN: 'too-short' })).toThrow(/METRICS_TOKEN: must be at least 32 characters/);
    expect(loadGatewayConfig({ ...production, METRICS_TOKEN: 'f6'.repeat(32) }).metrics).toEqual({ token: 'f6'.repeat(32), host: '127.0.0.1', port: null });
    // Outside production no token is needed, and then /metrics answers nobody.
    expect(loadGatewayConfig({}).metrics.token).toBeNull();
  });

  test('traces are off unless an OTLP exporter is configured; the service is named gateway', () => {
    expect(loadGatewayConfig({}).telemetry).toEqual({ serviceName: 'gateway', exporter: 'none', endpoint: null, sampleRatio: 1 });
    expect(loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).telemetry).toMatchObject({ exporter: 'otlp', endpoint: 'http://collector:4318/v1/traces' });
    expect(() => loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow(/Invalid gateway configuration:\n.*OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('operation label of the metrics', () => {
  const body = 'query DashboardCommunes($p: ID!) { communes(provinceCode: $p) { totalCount } }';
  const index = OperationIndex.build([{ client: 'dashboard', version: '1', id: documentIdOf(body), operationName: 'DashboardCommunes', body }]);

  test('a registered operation by its name, sent as text in any layout', () => {
    expect(operationLabel(parse(body), 'DashboardCommunes', index)).toBe('DashboardCommunes');
    expect(operationLabel(parse(body.replace(/ /g, '\n  ')), 'DashboardCommunes', index)).toBe('DashboardCommunes');
  });

  test('anything else is bounded: a chosen name is not a label, nor is the text', () => {
    expect(operationLabel(parse('query DashboardCommunes { communes { totalCount } }'), 'DashboardCommunes', index)).toBe('unregistered');
    expect(operationLabel(parse('query Whatever { communes { totalCount } }'), 'Whatever', index)).toBe('unregistered');
    expect(operationLabel(parse('{ communes { totalCount } }'), null, index)).toBe('anonymous');
    expect(operationLabel(undefined, 'NotEvenParsed', index)).toBe('unregistered');
  });
});
