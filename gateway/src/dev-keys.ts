import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE_AGENCY, ROLE_CLIENT, ROLE_SCOPES } from './roles.js';

export const DEV_ISSUER = 'pcmt-dev';
export const DEV_AUDIENCE = 'pcmt-graph';
export const DEV_ALG = 'ES256';

export interface KeyPairFiles {
  privatePem: string;
  publicPem: string;
}

/** A development signing key pair in `dir` (made once): tokens for local runs and tests. */
export async function ensureDevKeys(dir: string): Promise<KeyPairFiles> {
  const privatePath = join(dir, 'jwt-private.pem');
  const publicPath = join(dir, 'jwt-public.pem');
  if (!existsSync(privatePath) || !existsSync(publicPath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = await generateKeyPair(DEV_ALG, { extractable: true });
    writeFileSync(privatePath, await exportPKCS8(privateKey), { mode: 0o600 });
    writeFileSync(publicPath, await exportSPKI(publicKey));
  }
  return { privatePem: readFileSync(privatePath, 'utf8'), publicPem: readFileSync(publicPath, 'utf8') };
}

export interface TokenClaims {
  sub: string;
  agency: string;
  roles: string[];
  scopes?: string[];
  communes?: string[];
  province?: string | null;
  project?: string | null;
  /** The client application the token is for (OAuth 2.0 `client_id`). */
  client_id?: string;
}

/**
 * The claims of a development token for one role, exactly as `npm run tokens` issues them: the demo
 * province unless communes or a province are named, the role's agency and client application.
 */
export function devTokenClaims(role: string, opts: { agency?: string; communes?: string[]; province?: string | null; project?: string | null; demoProvince: string }): TokenClaims {
  if (!ROLE_SCOPES[role]) throw new Error(`unknown role "${role}"; roles: ${Object.keys(ROLE_SCOPES).join(', ')}`);
  const agency = opts.agency ?? ROLE_AGENCY[role];
  if (!agency) throw new Error(`role "${role}" needs an agency (--agency)`);
  const communes = opts.communes ?? [];
  return {
    sub: role === 'publisher' ? `dev-publisher-${agency}` : `dev-${role}`,
    agency,
    roles: [role],
    communes,
    province: opts.province ?? (communes.length ? null : opts.demoProvince),
    project: opts.project ?? (role === 'analyst' ? 'dev-project' : null),
    ...(ROLE_CLIENT[role] ? { client_id: ROLE_CLIENT[role] } : {}),
  };
}

export async function issueToken(privatePem: string, claims: TokenClaims, opts: { ttlSeconds?: number; issuer?: string; audience?: string; alg?: string } = {}): Promise<string> {
  const alg = opts.alg ?? DEV_ALG;
  const key = await importPKCS8(privatePem, alg);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer(opts.issuer ?? DEV_ISSUER)
    .setAudience(opts.audience ?? DEV_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.ttlSeconds ?? 8 * 3600))
    .sign(key);
}

export { exportJWK };
