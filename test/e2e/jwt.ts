/**
 * Signs JWTs with node:crypto (jose is ESM-only, which jest's CommonJS runtime cannot load), for
 * tokens no well-behaved authorization server would issue: expired, 60 minutes long, another
 * audience, `alg: none`, HS256, an unknown key.
 */
import { createHmac, generateKeyPairSync, type JsonWebKey, type KeyObject, randomUUID, sign } from 'node:crypto';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RSA signing key with its private JWK (for an authorization server) and its kid. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly privateJwk: JsonWebKey;
  readonly publicJwk: JsonWebKey;
}

export function rsaSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privateKey,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}

export function ecSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    privateKey,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' },
  };
}

/** RS256 or ES256 with `key`, HS256 with a shared secret, or unsigned (`none`). */
export function signJwt(
  payload: Record<string, unknown>,
  key: SigningKey | { hs256: string } | 'none',
  header: Record<string, unknown> = {},
): string {
  if (key === 'none') return `${b64({ alg: 'none', typ: 'JWT', ...header })}.${b64(payload)}.`;
  if ('hs256' in key) {
    const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', key.hs256).update(input).digest('base64url')}`;
  }
  const alg = key.privateJwk.kty === 'EC' ? 'ES256' : 'RS256';
  const input = `${b64({ alg, typ: 'JWT', kid: key.kid, ...header })}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** Claims of an Okta-shaped access token, `lifetime` seconds long, issued `issuedSecondsAgo` ago. */
export function accessTokenClaims(options: {
  issuer: string;
  audience: string;
  tenant: string;
  sub?: string;
  scopes?: string[];
  lifetime?: number;
  issuedSecondsAgo?: number;
  clientId?: string;
}): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000) - (options.issuedSecondsAgo ?? 0);
  const sub = options.sub ?? 'user-00u1e2e';
  return {
    iss: options.issuer,
    aud: options.audience,
    sub,
    uid: sub,
    cid: options.clientId ?? 'mcp-clients',
    tid: options.tenant,
    scp: options.scopes ?? [`mcp:${options.tenant}:use`],
    iat,
    exp: iat + (options.lifetime ?? 900),
    jti: randomUUID(),
  };
}
