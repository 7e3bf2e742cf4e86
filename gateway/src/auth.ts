import { createLocalJWKSet, createRemoteJWKSet, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Principal } from '@pcmt/kit/identity';
import { scopesOf } from './roles.js';

export interface AuthConfig {
  issuer: string;
  audience: string;
  algorithms: string[];
  /** One of: a PEM public key, a JWKS document, or a JWKS URL. */
  publicKeyPem?: string;
  jwks?: { keys: unknown[] };
  jwksUrl?: string;
  /** A token may live this long at most (exp − iat), whatever its issuer wrote into it. */
  maxTokenAgeSeconds?: number;
}

/** A verified caller: the kit's `Principal` (what subgraphs receive as part of `Identity`) and its client. */
export interface Caller extends Principal {
  /** The client application the token was issued to (`client_id`, or OIDC's `azp`). */
  client: string | null;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  agency: z.string().min(1),
  roles: z.array(z.string()).min(1),
  scopes: z.array(z.string()).default([]),
  communes: z.array(z.string().regex(/^\d{5}$/)).default([]),
  province: z.string().regex(/^\d{2}$/).nullable().default(null),
  project: z.string().max(64).nullable().default(null),
  client_id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
  azp: z.string().max(256).optional(),
});

export class AuthError extends Error {}

/** A working day and then some: an official signs in again every morning. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 3600;

/** Verifies bearer tokens: signature against the configured key, issuer, audience, expiry, algorithm allow-list. */
export async function createVerifier(config: AuthConfig): Promise<(authorization: string | undefined) => Promise<Caller>> {
  if (config.algorithms.some((a) => a.toLowerCase() === 'none')) throw new Error('JWT_ALGORITHMS must not allow "none"');
  let key: JWTVerifyGetKey | Awaited<ReturnType<typeof importSPKI>>;
  if (config.jwksUrl) key = createRemoteJWKSet(new URL(config.jwksUrl));
  else if (config.jwks) key = createLocalJWKSet(config.jwks as any);
  else if (config.publicKeyPem) key = await importSPKI(config.publicKeyPem, config.algorithms[0]);
  else throw new Error('no JWT verification key configured (JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE, JWT_JWKS or JWT_JWKS_URL)');

  // A client sends the same token with every request: its signature and claims are checked once,
  // and the caller kept until the token expires (or is too old), a minute at most (a key taken out
  // of a JWKS stops working within that), in a bounded map.
  const verified = new Map<string, { caller: Caller; until: number }>();
  return async (authorization) => {
    const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
    if (!m) throw new AuthError('missing bearer token');
    const token = m[1];
    const now = Date.now();
    const known = verified.get(token);
    if (known && now < known.until) return copyOf(known.caller);
    if (known) verified.delete(token);
    let payload: JWTPayload;
    const maxAge = config.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
    try {
      ({ payload } = await jwtVerify(token, key as any, { issuer: config.issuer, audience: config.audience, algorithms: config.algorithms, requiredClaims: ['exp', 'iat', 'sub'], maxTokenAge: maxAge }));
      // A stolen token that was issued for a century must not work for one.
      if (payload.exp! - payload.iat! > maxAge) throw new Error(`token lifetime over ${maxAge} s`);
    } catch (err) {
      throw new AuthError(`invalid token: ${(err as Error).message}`);
    }
    const caller = callerFromClaims(payload);
    // jose refuses at exp and past iat + maxAge (whole seconds): so does the cache.
    const until = Math.min(payload.exp! * 1000, (payload.iat! + maxAge) * 1000, now + VERIFIED_TOKEN_TTL_MS);
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
    verified.set(token, { caller, until });
    return copyOf(caller);
  };
}

const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKENS_KEPT = 10_000;

/** Each request its own caller: nothing one request does to it reaches the next. */
const copyOf = (c: Caller): Caller => ({ ...c, roles: [...c.roles], scopes: [...c.scopes], communes: [...c.communes] });

/** The caller a set of verified claims describes (a token's, or a signed-in session's); AuthError when they do not describe one. */
export function callerFromClaims(payload: unknown): Caller {
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new AuthError('invalid token claims');
  const c = claims.data;
  // Every role works in an area (địa bàn): a token that names none would see nothing anyway.
  if (c.communes.length === 0 && c.province === null) throw new AuthError('invalid token claims: no communes or province');
  // Wildcards are for tests behind the gateway, never for a token.
  if (c.scopes.includes('*')) throw new AuthError('invalid token claims');
  const { client_id, azp, ...rest } = c;
  return { ...rest, client: client_id ?? azp ?? null, scopes: scopesOf(c.roles, c.scopes) };
}

export function readKeyFile(path: string): string {
  return readFileSync(path, 'utf8');
}
