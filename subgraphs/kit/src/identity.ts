import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Who calls and what they may see, as the gateway verified it from a token: the one shape the
 * gateway's `Caller` (auth.ts) and the subgraphs' `Identity` both extend.
 */
export interface Principal {
  sub: string;
  agency: string;
  roles: string[];
  scopes: string[];
  /** Communes the caller may see; empty with a province means the whole province. */
  communes: string[];
  province: string | null;
  /** Analyst project: pseudonyms are stable within it. */
  project: string | null;
}

/**
 * The caller identity the gateway forwards to subgraphs, signed with a secret only the gateway
 * and the subgraphs share (HMAC-SHA256), so a subgraph can tell a call that came through the
 * gateway — after the token was verified and access checked — from one made around it.
 */
export interface Identity extends Principal {
  purpose: string | null;
  requestId: string;
  /** Expiry, ms since epoch. */
  exp: number;
}

/**
 * What the gateway signs for each call to a subgraph: the identity bound to that one call. A header
 * seen on the network is worth nothing elsewhere: another subgraph (`aud`), another query or
 * variables (`bodySha256`), the same call again (`nonce`), or later (`exp`, 30 s).
 */
export interface SignedRequest extends Identity {
  /** The subgraph the call is for, by name (`police`, `customs-postal`…). */
  aud: string;
  /** sha256 of the exact request body bytes, base64url. */
  bodySha256: string;
  /** Unique per call; a subgraph answers each nonce once. */
  nonce: string;
}

/** Only for development and tests; production refuses to start with it. */
export const DEV_IDENTITY_SECRET = 'pcmt-development-only-identity-secret-do-not-deploy';

/**
 * Secrets that are in this repository (defaults and `.env.example` placeholders): anyone can read
 * them, so production refuses every one of them, wherever it is configured.
 */
export const COMMITTED_DEV_SECRETS: readonly string[] = [
  DEV_IDENTITY_SECRET,
  'pcmt-development-only-pseudonym-secret-do-not-deploy',
  'replace-with-openssl-rand-hex-32',
  'replace-with-openssl-rand-hex-24',
];

/** True for a committed secret, or one that says it is a placeholder or for development only. */
export function isDevelopmentSecret(value: string): boolean {
  return COMMITTED_DEV_SECRETS.includes(value) || /development-only|do-not-deploy|replace-with/i.test(value);
}

export const IDENTITY_HEADER = 'x-pcmt-identity';
export const SIGNATURE_HEADER = 'x-pcmt-signature';
/** Lifetime of one signed call: long enough for a slow network, short enough to bound the nonce memory. */
export const REQUEST_TTL_MS = 30_000;
/** Clock difference between gateway and subgraph tolerated on `exp`. */
export const CLOCK_SKEW_MS = 5_000;
/** @deprecated identity-only signatures; subgraphs accept only `signSubgraphRequest`. */
export const IDENTITY_TTL_MS = 60_000;

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export const bodyHash = (body: string | Uint8Array) => createHash('sha256').update(body).digest('base64url');

function headersOf(claims: object, secret: string): Record<string, string> {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { [IDENTITY_HEADER]: payload, [SIGNATURE_HEADER]: sign(secret, payload) };
}

/**
 * @deprecated The identity alone, replayable against any subgraph with any query until it expires:
 * subgraphs refuse it. Use `signSubgraphRequest`.
 */
export function signIdentity(identity: Omit<Identity, 'exp'> & { exp?: number }, secret: string, now = Date.now()): Record<string, string> {
  return headersOf({ ...identity, exp: identity.exp ?? now + IDENTITY_TTL_MS }, secret);
}

/**
 * The headers for one call to one subgraph: sign when the body is final, and send exactly `body`.
 * `nonce` and `exp` are for tests that need a particular one.
 */
export function signSubgraphRequest(
  identity: Omit<Identity, 'exp'> & { exp?: number },
  call: { audience: string; body: string | Uint8Array; nonce?: string },
  secret: string,
  now = Date.now(),
): Record<string, string> {
  const claims: SignedRequest = {
    ...identity,
    exp: identity.exp ?? now + REQUEST_TTL_MS,
    aud: call.audience,
    bodySha256: bodyHash(call.body),
    nonce: call.nonce ?? randomUUID(),
  };
  return headersOf(claims, secret);
}

/** Remembers the nonces of answered calls until they expire; `claim` is false for one seen before. */
export interface ReplayGuard {
  claim(nonce: string, expiresAt: number, now?: number): Promise<boolean>;
  close?(): Promise<void>;
}

/** One process's memory: enough for one replica; with several, add Redis (`RedisReplayGuard`). */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  async claim(nonce: string, expiresAt: number, now = Date.now()): Promise<boolean> {
    if (now >= this.nextSweep) {
      for (const [n, until] of this.seen) if (until < now) this.seen.delete(n);
      this.nextSweep = now + 1_000;
    }
    const until = this.seen.get(nonce);
    if (until !== undefined && until >= now) return false;
    this.seen.set(nonce, expiresAt);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/** The part of a node-redis client the guard uses. */
export interface RedisSetNx {
  isReady: boolean;
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PX'; value: number } }): Promise<unknown>;
}

/**
 * Nonces shared by every replica of a subgraph: `SET NX PX`, so a call replayed to another replica
 * is refused too. This process's memory is always asked as well. While Redis does not answer (down,
 * or stalled past `timeoutMs`, after which it is skipped for `pauseMs`) the memory alone decides: a
 * replay to another replica then goes unseen, which `onUnavailable` reports.
 */
export class RedisReplayGuard implements ReplayGuard {
  private readonly memory = new MemoryReplayGuard();
  private pausedUntil = 0;

  constructor(
    private readonly redis: RedisSetNx,
    private readonly prefix: string,
    private readonly opts: { timeoutMs?: number; pauseMs?: number; onUnavailable?: (err: unknown) => void; close?: () => Promise<void> } = {},
  ) {}

  async claim(nonce: string, expiresAt: number, now = Date.now()): Promise<boolean> {
    if (!(await this.memory.claim(nonce, expiresAt, now))) return false;
    if (!this.redis.isReady || Date.now() < this.pausedUntil) {
      this.opts.onUnavailable?.(new Error(this.redis.isReady ? 'redis paused after a stall' : 'redis not connected'));
      return true;
    }
    const timeoutMs = this.opts.timeoutMs ?? 500;
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`redis: no answer in ${timeoutMs} ms`)), timeoutMs)));
      const set = await Promise.race([this.redis.set(`${this.prefix}${nonce}`, '1', { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, expiresAt - now) } }), deadline]);
      return set !== null;
    } catch (err) {
      // A stalled Redis would add its timeout to every call: skip it for a while.
      this.pausedUntil = Date.now() + (this.opts.pauseMs ?? 5_000);
      this.opts.onUnavailable?.(err);
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.opts.close?.();
  }
}

export type IdentityCheck = { ok: true; identity: Identity } | { ok: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

/** Signature and shape of the identity header alone: cheap, and enough to refuse a forged call before its body is read. */
export function checkSignature(headers: Headers, secret: string): { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string } {
  const payload = headers[IDENTITY_HEADER];
  const signature = headers[SIGNATURE_HEADER];
  if (typeof payload !== 'string' || typeof signature !== 'string') return { ok: false, reason: 'unsigned call' };
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad signature' };
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (claims && typeof claims === 'object' && !Array.isArray(claims)) return { ok: true, claims };
  } catch {
    // falls through
  }
  return { ok: false, reason: 'malformed identity' };
}

/**
 * Everything `signSubgraphRequest` bound, checked: signature, audience (this subgraph), the body
 * received (its raw bytes), expiry (at most REQUEST_TTL_MS + skew ahead), and the nonce, claimed
 * last so that only a call that passes every other check uses it up.
 */
export async function verifySubgraphRequest(
  headers: Headers,
  rawBody: Uint8Array | null | undefined,
  opts: { audience: string; secret: string; replay: ReplayGuard; now?: number },
): Promise<IdentityCheck> {
  const now = opts.now ?? Date.now();
  const signed = checkSignature(headers, opts.secret);
  if (!signed.ok) return signed;
  const c = signed.claims as Partial<SignedRequest>;
  if (!Array.isArray(c.scopes) || !Array.isArray(c.roles) || typeof c.sub !== 'string') return { ok: false, reason: 'malformed identity' };
  if (typeof c.aud !== 'string' || typeof c.bodySha256 !== 'string' || typeof c.nonce !== 'string' || c.nonce.length < 16) {
    return { ok: false, reason: 'identity not bound to a request (no audience, body hash or nonce)' };
  }
  if (typeof c.exp !== 'number' || c.exp < now) return { ok: false, reason: 'expired' };
  if (c.exp > now + REQUEST_TTL_MS + CLOCK_SKEW_MS) return { ok: false, reason: 'expiry too far ahead' };
  if (c.aud !== opts.audience) return { ok: false, reason: `signed for ${c.aud}` };
  if (!rawBody || bodyHash(rawBody) !== c.bodySha256) return { ok: false, reason: 'body differs from the signed one' };
  if (!(await opts.replay.claim(c.nonce, c.exp, now))) return { ok: false, reason: 'replayed' };
  const { aud: _aud, bodySha256: _hash, nonce: _nonce, ...identity } = c as SignedRequest;
  return { ok: true, identity };
}
