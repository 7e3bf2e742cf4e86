import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The caller identity the gateway forwards to subgraphs, signed with a secret only the gateway
 * and the subgraphs share (HMAC-SHA256), so a subgraph can tell a call that came through the
 * gateway — after the token was verified and access checked — from one made around it.
 */
export interface Identity {
  sub: string;
  agency: string;
  roles: string[];
  scopes: string[];
  /** Communes the caller may see; empty with a province means the whole province. */
  communes: string[];
  province: string | null;
  /** Analyst project: pseudonyms are stable within it. */
  project: string | null;
  purpose: string | null;
  requestId: string;
  /** Expiry, ms since epoch: a captured header is useless a minute later. */
  exp: number;
}

/** Only for development and tests; production refuses to start without a real secret. */
export const DEV_IDENTITY_SECRET = 'pcmt-development-only-identity-secret-do-not-deploy';

export const IDENTITY_HEADER = 'x-pcmt-identity';
export const SIGNATURE_HEADER = 'x-pcmt-signature';
export const IDENTITY_TTL_MS = 60_000;

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function signIdentity(identity: Omit<Identity, 'exp'> & { exp?: number }, secret: string, now = Date.now()): Record<string, string> {
  const payload = Buffer.from(JSON.stringify({ ...identity, exp: identity.exp ?? now + IDENTITY_TTL_MS })).toString('base64url');
  return { [IDENTITY_HEADER]: payload, [SIGNATURE_HEADER]: sign(secret, payload) };
}

export type IdentityCheck = { ok: true; identity: Identity } | { ok: false; reason: string };

export function verifyIdentity(headers: Record<string, string | string[] | undefined>, secret: string, now = Date.now()): IdentityCheck {
  const payload = headers[IDENTITY_HEADER];
  const signature = headers[SIGNATURE_HEADER];
  if (typeof payload !== 'string' || typeof signature !== 'string') return { ok: false, reason: 'unsigned call' };
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad signature' };
  let identity: Identity;
  try {
    identity = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed identity' };
  }
  if (typeof identity.exp !== 'number' || identity.exp < now) return { ok: false, reason: 'expired identity' };
  if (!Array.isArray(identity.scopes) || !Array.isArray(identity.roles) || typeof identity.sub !== 'string') return { ok: false, reason: 'malformed identity' };
  return { ok: true, identity };
}
