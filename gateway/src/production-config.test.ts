import { describe, expect, test } from '@jest/globals';
import { DEV_IDENTITY_SECRET } from '@pcmt/kit/identity';
import { DEV_PSEUDONYM_SECRET, loadGatewayConfig } from './config.js';

// What is committed to this repository protects nothing: production refuses every such secret and key.
const production = {
  NODE_ENV: 'production',
  PCMT_IDENTITY_SECRET: 'a1'.repeat(32),
  PCMT_PSEUDONYM_SECRET: 'b2'.repeat(32),
  METRICS_TOKEN: 'c3'.repeat(32),
  JWT_ISSUER: 'https://id.example.gov.vn/realms/pcmt',
  JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\n',
};

describe('the gateway in production', () => {
  test('control: its own secrets and the identity provider\'s key start it', () => {
    expect(loadGatewayConfig(production).production).toBe(true);
  });

  test('refuses the development identity and pseudonym secrets, a placeholder, one secret for both, and the development key', () => {
    const refused = (change: Record<string, string | undefined>, why: RegExp) => expect(() => loadGatewayConfig({ ...production, ...change })).toThrow(why);
    refused({ PCMT_IDENTITY_SECRET: DEV_IDENTITY_SECRET }, /PCMT_IDENTITY_SECRET: a development secret/);
    refused({ PCMT_PSEUDONYM_SECRET: DEV_PSEUDONYM_SECRET }, /PCMT_PSEUDONYM_SECRET: a development secret/);
    refused({ PCMT_IDENTITY_SECRET: 'replace-with-openssl-rand-hex-32' }, /PCMT_IDENTITY_SECRET: a development secret/);
    refused({ PCMT_PSEUDONYM_SECRET: production.PCMT_IDENTITY_SECRET }, /PCMT_PSEUDONYM_SECRET: must differ/);
    // No key given: the default file is the one `npm run tokens` signs with.
    refused({ JWT_PUBLIC_KEY: undefined }, /JWT_PUBLIC_KEY_FILE: data\/dev-keys\/jwt-public.pem is the development key/);
    refused({ JWT_PUBLIC_KEY: undefined, JWT_PUBLIC_KEY_FILE: '/srv/pcmt/data/dev-keys/jwt-public.pem' }, /is the development key/);
    expect(loadGatewayConfig({ ...production, JWT_PUBLIC_KEY: undefined, JWT_PUBLIC_KEY_FILE: '/run/secrets/idp-public.pem' }).production).toBe(true);
  });
});
