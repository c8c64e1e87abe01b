/**
 * Decisions on an access token's claims, apart from the signature (which jose checks in token.ts):
 * who the caller is, which tenant the token is for, how long it lives, which scopes it holds.
 * Pure functions, so each rule is tested on its own.
 */
import type { AuditActorType } from '../../../lib/core/audit-record';
import type { ServerConfig } from './config';

/** Longest lifetime (`exp - iat`) of an access token this server accepts, in seconds: 15 minutes. */
export const MAX_TOKEN_LIFETIME_SECONDS = 900;

/** The verified caller of one request. */
export interface Caller {
  /** Who is audited: the Okta user id of a person (`uid`), or the client id of a service (`sub`). */
  readonly actorId: string;
  readonly actorType: AuditActorType;
  /** The OAuth client the token was issued to (`cid` on Okta, `client_id` in RFC 9068). */
  readonly clientId?: string;
  readonly scopes: readonly string[];
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  readonly tenantId: string;
}

/** Why a token is refused; `crossTenant` when it names another tenant. */
export interface ClaimRefusal {
  readonly crossTenant: boolean;
  readonly reason: string;
}

type Claims = Record<string, unknown>;

/** Scopes of a token: Okta's `scp` list, or the space-separated `scope` of RFC 9068. */
export function scopesOf(claims: Claims): string[] {
  if (Array.isArray(claims.scp)) return claims.scp.filter((s): s is string => typeof s === 'string');
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter((s) => s !== '') : [];
}

/** The client a token was issued to. */
export function clientIdOf(claims: Claims): string | undefined {
  if (typeof claims.cid === 'string') return claims.cid;
  return typeof claims.client_id === 'string' ? claims.client_id : undefined;
}

/**
 * `service` for a client-credentials token (its subject is its own client, and it names no user),
 * `human` for a token from the authorization-code flow.
 */
export function actorTypeOf(claims: Claims): AuditActorType {
  const clientId = clientIdOf(claims);
  return clientId !== undefined && claims.sub === clientId && claims.uid === undefined ? 'service' : 'human';
}

/**
 * Who a token names, for the audit: a service by its client id (`sub`, which Okta sets to the client
 * id in a client-credentials token); a person by the Okta user id (`uid`), which stays the same when
 * the login in `sub` changes, or by `sub` when the issuer sets no `uid` (RFC 9068 servers).
 */
export function actorIdOf(claims: Claims): string | undefined {
  const sub = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  if (actorTypeOf(claims) === 'service') return sub;
  return typeof claims.uid === 'string' && claims.uid !== '' ? claims.uid : sub;
}

/** The tenant a token claims, when it claims one as a string. */
export function claimedTenant(claims: Claims, config: Pick<ServerConfig, 'tenantClaim'>): string | undefined {
  const value = claims[config.tenantClaim];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The caller of a token whose signature, issuer, audience and expiry jose has verified, or why it is
 * refused: another tenant, no tenant, a lifetime above 15 minutes, no subject.
 */
export function checkVerifiedClaims(
  claims: Claims,
  config: Pick<ServerConfig, 'tenantClaim' | 'tenantId'>,
): { caller: Caller } | { refusal: ClaimRefusal } {
  const tenant = claimedTenant(claims, config);
  if (tenant === undefined) {
    return { refusal: { crossTenant: false, reason: `token has no ${config.tenantClaim} claim` } };
  }
  if (tenant !== config.tenantId) {
    return { refusal: { crossTenant: true, reason: `token ${config.tenantClaim} names tenant ${tenant}` } };
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    return { refusal: { crossTenant: false, reason: 'token has no sub claim' } };
  }
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') {
    return { refusal: { crossTenant: false, reason: 'token has no iat or exp claim' } };
  }
  const lifetime = claims.exp - claims.iat;
  if (lifetime > MAX_TOKEN_LIFETIME_SECONDS) {
    return {
      refusal: {
        crossTenant: false,
        reason: `token lifetime is ${lifetime} s (at most ${MAX_TOKEN_LIFETIME_SECONDS} s)`,
      },
    };
  }
  return {
    caller: {
      actorId: actorIdOf(claims) ?? claims.sub,
      actorType: actorTypeOf(claims),
      clientId: clientIdOf(claims),
      scopes: scopesOf(claims),
      expiresAt: claims.exp,
      tenantId: tenant,
    },
  };
}

/**
 * For a token that failed verification, whether its (unverified) claims name another tenant: a
 * token of another tenant's issuer is a cross-tenant attempt even though this server cannot verify it.
 */
export function classifyUnverified(
  claims: Claims | undefined,
  config: Pick<ServerConfig, 'tenantClaim' | 'tenantId'>,
  why: string,
): ClaimRefusal {
  const tenant = claims === undefined ? undefined : claimedTenant(claims, config);
  if (tenant !== undefined && tenant !== config.tenantId) {
    return {
      crossTenant: true,
      reason: `token ${config.tenantClaim} names tenant ${tenant} (claims unverified: ${why})`,
    };
  }
  return { crossTenant: false, reason: why };
}

/** The actor to audit for a token whose claims could not be verified: never attributed as if verified. */
export function unverifiedActor(claims: Claims | undefined): { actorId: string; actorType: AuditActorType } {
  const named = (claims !== undefined ? actorIdOf(claims) : undefined) ?? 'unknown';
  return { actorId: `unverified:${named}`.slice(0, 256), actorType: claims ? actorTypeOf(claims) : 'human' };
}
