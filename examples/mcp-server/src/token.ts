/**
 * Bearer token validation with jose against the keys of the tenant's issuer, found by RFC 8414 /
 * OpenID discovery from `MCP_OAUTH_ISSUER`: signature (asymmetric algorithms only), `iss`, `aud`,
 * `exp`, then the tenant claim and the 15-minute lifetime (claims.ts).
 */
import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { AuditActorType, AuditOutcome } from '../../../lib/core/audit-record';
import {
  actorIdOf,
  actorTypeOf,
  type Caller,
  checkVerifiedClaims,
  classifyUnverified,
  type ClaimRefusal,
  unverifiedActor,
} from './claims';
import { isLoopbackHostname, type ServerConfig } from './config';

/** Signature algorithms accepted: asymmetric only (never `none`, never a shared-secret HS*). */
export const ALLOWED_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds (the lifetime check has none). */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** A refused token: the HTTP answer and, when the token names a caller, the audit record's facts. */
export interface TokenRefusal {
  readonly kind: 'refused';
  readonly status: 401 | 403 | 503;
  readonly error: 'invalid_token' | 'temporarily_unavailable';
  readonly outcome: AuditOutcome;
  readonly reason: string;
  /** Absent when the token is not even a JWT: there is nobody to attribute the call to. */
  readonly actor?: { readonly actorId: string; readonly actorType: AuditActorType };
}

export type TokenCheck = { readonly kind: 'ok'; readonly caller: Caller } | TokenRefusal;

/** Checks bearer tokens. */
export interface TokenVerifier {
  verify(token: string): Promise<TokenCheck>;
  /** Fetches the issuer's metadata and keys ahead of the first request (failures are retried later). */
  warmUp(): Promise<void>;
}

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Seconds after a failed discovery before the next request tries again. */
const DISCOVERY_RETRY_MS = 5_000;
const HTTP_TIMEOUT_MS = 5_000;

/** The verifier of one tenant's tokens. */
export function createJwtVerifier(
  config: Pick<ServerConfig, 'issuer' | 'audience' | 'tenantClaim' | 'tenantId'>,
  fetchImpl: Fetch = fetch,
): TokenVerifier {
  const timedFetch: Fetch = (url, init) => fetchImpl(url, { ...init, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  let failedAt = 0;

  const keySet = (): Promise<ReturnType<typeof createRemoteJWKSet>> => {
    if (keys === undefined || (failedAt !== 0 && Date.now() - failedAt > DISCOVERY_RETRY_MS)) {
      failedAt = 0;
      keys = discoverJwksUri(config.issuer, timedFetch).then(
        (uri) => createRemoteJWKSet(uri, { timeoutDuration: HTTP_TIMEOUT_MS, cooldownDuration: 30_000 }),
        (e: unknown) => {
          failedAt = Date.now();
          throw e;
        },
      );
    }
    return keys;
  };

  const refuse = (refusal: ClaimRefusal, actor: TokenRefusal['actor']): TokenRefusal => ({
    kind: 'refused',
    status: refusal.crossTenant ? 403 : 401,
    error: 'invalid_token',
    outcome: refusal.crossTenant ? 'cross_tenant_denied' : 'denied',
    reason: refusal.reason,
    actor,
  });
  const refuseUnverified = (claims: JWTPayload | undefined, why: string): TokenRefusal =>
    refuse(classifyUnverified(claims, config, why), unverifiedActor(claims));
  const verifiedActor = (claims: JWTPayload) => ({
    actorId: actorIdOf(claims) ?? 'unknown',
    actorType: actorTypeOf(claims),
  });

  return {
    async warmUp() {
      await keySet();
    },
    async verify(token) {
      let alg: unknown;
      let claims: JWTPayload;
      try {
        alg = decodeProtectedHeader(token).alg;
        claims = decodeJwt(token);
      } catch {
        return {
          kind: 'refused',
          status: 401,
          error: 'invalid_token',
          outcome: 'denied',
          reason: 'token is not a JWT',
        };
      }
      if (typeof alg !== 'string' || !ALLOWED_ALGORITHMS.includes(alg)) {
        return refuseUnverified(claims, `token algorithm ${String(alg).slice(0, 20)} is not allowed`);
      }
      if (claims.iss !== config.issuer) {
        return refuseUnverified(claims, "token issuer is not this tenant's issuer");
      }
      let getKey: ReturnType<typeof createRemoteJWKSet>;
      try {
        getKey = await keySet();
      } catch (e) {
        return infrastructureFailure(claims, `the issuer's keys could not be found: ${message(e)}`);
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: [...ALLOWED_ALGORITHMS],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'iat', 'sub'],
        }));
      } catch (e) {
        const code = (e as { code?: string }).code;
        // jose verifies the signature before the claims: these errors carry a verified payload.
        const verified = (e as { payload?: JWTPayload }).payload;
        if ((code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') && verified) {
          const tenant = checkVerifiedClaims(verified, config);
          const why =
            code === 'ERR_JWT_EXPIRED'
              ? 'token expired'
              : `token ${(e as { claim?: string }).claim ?? 'claim'} check failed`;
          if ('refusal' in tenant && tenant.refusal.crossTenant) {
            return refuse({ crossTenant: true, reason: `${tenant.refusal.reason}; ${why}` }, verifiedActor(verified));
          }
          return refuse({ crossTenant: false, reason: why }, verifiedActor(verified));
        }
        if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID' || isNetworkError(e)) {
          return infrastructureFailure(claims, `the issuer's keys could not be fetched: ${message(e)}`);
        }
        if (code === 'ERR_JWKS_NO_MATCHING_KEY')
          return refuseUnverified(claims, 'no key of the issuer signed the token');
        if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
          return refuseUnverified(claims, 'token signature is invalid');
        return refuseUnverified(claims, `token is invalid (${code ?? 'unknown error'})`);
      }
      const checked = checkVerifiedClaims(payload, config);
      if ('refusal' in checked) return refuse(checked.refusal, verifiedActor(payload));
      return { kind: 'ok', caller: checked.caller };
    },
  };
}

/** The issuer's `jwks_uri`, from its metadata; the metadata must name the same issuer. */
export async function discoverJwksUri(issuer: string, fetchImpl: Fetch): Promise<URL> {
  const metadata = await discoverAuthorizationServerMetadata(issuer, { fetchFn: fetchImpl });
  if (metadata === undefined) throw new Error(`no OAuth or OpenID metadata at ${issuer}`);
  if (metadata.issuer !== issuer) throw new Error(`the metadata names issuer ${metadata.issuer}, not ${issuer}`);
  if (typeof metadata.jwks_uri !== 'string') throw new Error('the metadata has no jwks_uri');
  const uri = new URL(metadata.jwks_uri);
  if (uri.protocol !== 'https:' && !(uri.protocol === 'http:' && isLoopbackHostname(uri.hostname))) {
    throw new Error('the jwks_uri is not https');
  }
  return uri;
}

function infrastructureFailure(claims: JWTPayload, reason: string): TokenRefusal {
  return {
    kind: 'refused',
    status: 503,
    error: 'temporarily_unavailable',
    outcome: 'error',
    reason,
    actor: unverifiedActor(claims),
  };
}

function isNetworkError(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === 'TypeError' || name === 'AbortError' || name === 'TimeoutError';
}

function message(e: unknown): string {
  return ((e as Error).message ?? String(e)).replace(/\s+/g, ' ').slice(0, 200);
}
