import express from 'express';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { AuthError, callerFromClaims, type Caller } from './auth.js';
import { devTokenClaims } from './dev-keys.js';
import { ROLE_AGENCY, ROLE_CLIENT, ROLE_SCOPES } from './roles.js';

// Sign-in for people: OpenID Connect (authorization code + PKCE) against the province's identity
// provider; the session lives in an encrypted httpOnly cookie, never in the URL or localStorage.
// Outside production, a development login lists the development users instead.

export interface SignInConfig {
  /** The identity provider (its discovery document is at <issuer>/.well-known/openid-configuration). */
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  /** This gateway's public address, for the callback (`<publicUrl>/auth/callback`). */
  publicUrl?: string;
  scopes: string;
  /** Claim names in the provider's tokens/userinfo. */
  claims: { roles: string; agency: string; communes: string; province: string };
  /** Encrypts the session cookie; 32+ characters. */
  sessionSecret: string;
  sessionSeconds: number;
  /** The development login (a list of development users): never in production. */
  devLogin: boolean;
  /** Where a development user works: the demo province. */
  devProvince: string;
  production: boolean;
}

const envSchema = z.object({
  OIDC_ISSUER_URL: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().default('openid profile pcmt'),
  OIDC_ROLES_CLAIM: z.string().default('pcmt_roles'),
  OIDC_AGENCY_CLAIM: z.string().default('pcmt_agency'),
  OIDC_COMMUNES_CLAIM: z.string().default('pcmt_communes'),
  OIDC_PROVINCE_CLAIM: z.string().default('pcmt_province'),
  /** This gateway as the browser reaches it, for the provider's callback. */
  PUBLIC_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().positive().max(12 * 3600, 'at most 12 h, like a token').default(8 * 3600),
  DEV_LOGIN: z.enum(['true', 'false']).optional(),
  /** Where development users work: the demo province (the kit's DEMO_PROVINCE_CODE; sign-in.test.ts keeps them equal). */
  DEV_LOGIN_PROVINCE: z.string().regex(/^\d{2}$/).default('04'),
});

/** Sign-in settings from the environment; problems as `NAME: reason` lines (empty when fine). */
export function signInConfigOf(env: NodeJS.ProcessEnv, production: boolean): { config: SignInConfig; issues: string[] } {
  const parsed = envSchema.safeParse(env);
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const e = parsed.success ? parsed.data : envSchema.parse({});
  const configured = Boolean(e.OIDC_ISSUER_URL || e.OIDC_CLIENT_ID);
  if (configured && !(e.OIDC_ISSUER_URL && e.OIDC_CLIENT_ID)) issues.push('OIDC_ISSUER_URL, OIDC_CLIENT_ID: give both, or neither');
  if (production && configured && !e.PUBLIC_URL) issues.push('PUBLIC_URL: required in production with OIDC (the provider sends people back to <PUBLIC_URL>/auth/callback)');
  if (production && configured && !e.SESSION_SECRET) issues.push('SESSION_SECRET: required in production with OIDC (make one with `openssl rand -hex 32`)');
  if (production && e.DEV_LOGIN === 'true') issues.push('DEV_LOGIN: the development login is refused in production');
  return {
    issues,
    config: {
      issuer: e.OIDC_ISSUER_URL,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      publicUrl: e.PUBLIC_URL,
      scopes: e.OIDC_SCOPES,
      claims: { roles: e.OIDC_ROLES_CLAIM, agency: e.OIDC_AGENCY_CLAIM, communes: e.OIDC_COMMUNES_CLAIM, province: e.OIDC_PROVINCE_CLAIM },
      // Without a configured secret, sessions end when the process does (development only, see above).
      sessionSecret: e.SESSION_SECRET ?? ephemeralSessionSecret(),
      sessionSeconds: e.SESSION_TTL_SECONDS,
      devLogin: !production && e.DEV_LOGIN !== 'false',
      devProvince: e.DEV_LOGIN_PROVINCE,
      production,
    },
  };
}

export const SESSION_COOKIE = 'pcmt_session';
const FLOW_COOKIE = 'pcmt_signin';

/** 32 bytes for A256GCM from whatever the operator configured. */
const keyOf = (secret: string) => createHash('sha256').update(`pcmt-session:${secret}`).digest();

/** Roles from a claim given as a list or a space/comma-separated string; only roles this graph knows. */
function rolesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return list.filter((r): r is string => typeof r === 'string' && r in ROLE_SCOPES);
}

/** The caller a provider's claims describe, through the same checks as a token's claims. */
export function callerFromProvider(claims: Record<string, unknown>, config: SignInConfig): Caller {
  const roles = rolesOf(claims[config.claims.roles]);
  if (!roles.length) throw new AuthError(`the identity provider gave no role this graph knows (claim ${config.claims.roles})`);
  const communes = claims[config.claims.communes];
  const province = claims[config.claims.province];
  return callerFromClaims({
    sub: claims.sub,
    agency: claims[config.claims.agency] ?? ROLE_AGENCY[roles[0]],
    roles,
    communes: Array.isArray(communes) ? communes : typeof communes === 'string' && communes ? communes.split(/[\s,]+/) : [],
    province: typeof province === 'string' && province ? province : null,
    ...(ROLE_CLIENT[roles[0]] ? { client_id: ROLE_CLIENT[roles[0]] } : {}),
  });
}

export interface Session {
  caller: Caller;
  name: string | null;
  /** For the provider's sign-out (id_token_hint). */
  idToken: string | null;
  via: 'oidc' | 'development';
}

export interface SignIn {
  router: express.Router;
  /** The signed-in caller of a request, or null (no cookie, expired, tampered). */
  sessionOf(req: express.Request): Promise<Session | null>;
}

function cookies(req: express.Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** Only a path of this site: never a redirect elsewhere (an open redirect would hand sessions to phishers). */
const localPath = (value: unknown) => (typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : '/dashboard');

export async function createSignIn(config: SignInConfig, log: Logger): Promise<SignIn> {
  if (config.production && config.devLogin) throw new Error('the development login is refused in production');
  const key = keyOf(config.sessionSecret);
  const secure = config.production || (config.publicUrl ?? '').startsWith('https:');
  const cookieOptions = (maxAgeMs: number): express.CookieOptions => ({ httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: maxAgeMs });

  let provider: oidc.Configuration | null = null;
  const discover = async () => {
    if (!config.issuer || !config.clientId) return null;
    if (!provider) {
      // Plain http only outside production (a provider started on this machine for development or tests).
      const options = config.production ? undefined : { execute: [oidc.allowInsecureRequests] };
      provider = await oidc.discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, options);
    }
    return provider;
  };

  const seal = (payload: Record<string, unknown>, seconds: number) =>
    new EncryptJWT(payload).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + seconds).encrypt(key);
  const open = async (token: string | undefined): Promise<Record<string, any> | null> => {
    if (!token) return null;
    try {
      return (await jwtDecrypt(token, key)).payload as Record<string, any>;
    } catch {
      return null;
    }
  };

  const startSession = async (res: express.Response, session: Session, seconds = config.sessionSeconds) => {
    res.cookie(SESSION_COOKIE, await seal({ session }, seconds), cookieOptions(seconds * 1000));
  };

  const router = express.Router();
  // Outside production the address the browser used (the provider still checks it against the client's registered callbacks).
  const baseUrl = (req: express.Request) => (config.publicUrl ?? `${req.protocol}://${req.get('host')}`).replace(/\/$/, '');

  router.get('/auth/login', async (req, res) => {
    const back = localPath(req.query.return);
    const p = await discover().catch((err) => {
      log.error({ err }, 'identity provider unreachable');
      return undefined;
    });
    if (p === undefined) return void res.status(503).type('text/plain').send('The identity provider cannot be reached now; try again in a minute.');
    if (!p) return void res.redirect(config.devLogin ? `/auth/dev?return=${encodeURIComponent(back)}` : '/auth/unavailable');
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    res.cookie(FLOW_COOKIE, await seal({ verifier, state, nonce, back }, 600), cookieOptions(600_000));
    const url = oidc.buildAuthorizationUrl(p, {
      redirect_uri: `${baseUrl(req)}/auth/callback`,
      scope: config.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.redirect(url.href);
  });

  router.get('/auth/callback', async (req, res) => {
    const flow = await open(cookies(req)[FLOW_COOKIE]);
    res.clearCookie(FLOW_COOKIE, { path: '/' });
    const p = await discover().catch(() => null);
    if (!flow || !p) return void res.status(400).type('text/plain').send('This sign-in has expired or was not started here; start again from the dashboard.');
    try {
      const current = new URL(req.originalUrl, baseUrl(req));
      const tokens = await oidc.authorizationCodeGrant(p, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
      const idClaims = tokens.claims()!;
      const info = await oidc.fetchUserInfo(p, tokens.access_token, idClaims.sub);
      const claims = { ...idClaims, ...info } as Record<string, unknown>;
      const caller = callerFromProvider(claims, config);
      const name = typeof claims.name === 'string' ? claims.name : null;
      await startSession(res, { caller, name, idToken: tokens.id_token ?? null, via: 'oidc' });
      log.info({ sub: caller.sub, roles: caller.roles }, 'signed in');
      res.redirect(localPath(flow.back));
    } catch (err) {
      log.warn({ err }, 'sign-in refused');
      res.status(403).type('text/plain').send(`Sign-in refused: ${err instanceof AuthError ? err.message : 'the identity provider’s answer did not check out'}`);
    }
  });

  router.get('/auth/logout', async (req, res) => {
    const session = await sessionOf(req);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    const p = session?.via === 'oidc' ? await discover().catch(() => null) : null;
    if (p && p.serverMetadata().end_session_endpoint) {
      const url = oidc.buildEndSessionUrl(p, { post_logout_redirect_uri: `${baseUrl(req)}/dashboard`, ...(session?.idToken ? { id_token_hint: session.idToken } : {}) });
      return void res.redirect(url.href);
    }
    res.redirect('/dashboard');
  });

  router.get('/auth/me', async (req, res) => {
    const session = await sessionOf(req);
    res.setHeader('cache-control', 'no-store');
    // 200 either way: asking who is signed in is not a failed request (pages check it on every load).
    if (!session) return void res.json({ signedIn: false, login: '/auth/login' });
    const { caller, name, via } = session;
    res.json({ signedIn: true, via, sub: caller.sub, name, agency: caller.agency, roles: caller.roles, province: caller.province, communes: caller.communes, logout: '/auth/logout' });
  });

  router.get('/auth/unavailable', (_req, res) => {
    res.status(503).type('text/plain').send('Sign-in is not configured on this gateway (OIDC_ISSUER_URL, OIDC_CLIENT_ID). Agency systems use bearer tokens.');
  });

  if (config.devLogin) {
    // Development only: pick a role, get a session like `npm run tokens` would give a token.
    const roles = Object.keys(ROLE_SCOPES).filter((r) => r !== 'publisher');
    router.get('/auth/dev', (req, res) => {
      const back = localPath(req.query.return);
      const items = roles
        .map((r) => `<li><form method="post" action="/auth/dev"><input type="hidden" name="role" value="${r}"><input type="hidden" name="return" value="${back}"><button type="submit">${r}</button></form></li>`)
        .join('');
      res.type('html').send(
        `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Đăng nhập (phát triển)</title>` +
          `<body style="font-family:system-ui;max-width:36rem;margin:2rem auto;padding:0 1rem"><h1>Đăng nhập thử — development login</h1>` +
          `<p>Chỉ dùng khi phát triển; bản chạy thật đăng nhập qua hệ thống định danh của tỉnh. Development only: production signs in through the province's identity provider.</p><ul>${items}</ul></body></html>`,
      );
    });
    router.post('/auth/dev', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
      const role = String(req.body?.role ?? '');
      if (!roles.includes(role)) return void res.status(400).type('text/plain').send('unknown role');
      // Exactly the claims `npm run tokens -- --role <role>` signs.
      const caller = callerFromClaims(devTokenClaims(role, { demoProvince: config.devProvince }));
      await startSession(res, { caller, name: `Development ${role}`, idToken: null, via: 'development' });
      res.redirect(localPath(req.body?.return));
    });
  }

  async function sessionOf(req: express.Request): Promise<Session | null> {
    const payload = await open(cookies(req)[SESSION_COOKIE]);
    return (payload?.session as Session | undefined) ?? null;
  }

  return { router, sessionOf };
}

/** A random session secret for development runs that configured none (sessions end with the process). */
export const ephemeralSessionSecret = () => randomBytes(32).toString('hex');
