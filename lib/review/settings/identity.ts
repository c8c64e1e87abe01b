/** The review's identity settings (Okta): every attribute the library writes is covered. */
import { oktaStringLiteral, REFRESH_TOKEN_ROTATION, TENANT_CLAIM_SHAPE } from '../../core/identity-defaults';
import { TENANT_CLAIM } from '../../core/naming';
import { isObject } from '../../model/json';
import type { ChangeClass, SettingValue } from '../model';
import { readNumber, readText } from '../values';
import { becameTrue, duration, grew, higherIsWeaker, lowerIsWeaker, numeric, safeLost, shrank } from './comparators';
import { one } from './define';
import type { CompareContext, SettingExtractor } from './extractor';
import { isoDurationMinutesOf, possessionRequirements, UNSET_IS_LONGEST } from './readers';
import { isAdminSignon, isEverydaySignon } from './roles';

const APP = ['okta_app_oauth'];
const SERVER = ['okta_auth_server'];
const POLICY = ['okta_auth_server_policy'];
const RULE = ['okta_auth_server_policy_rule'];
const SIGNON = ['okta_app_signon_policy'];
const SIGNON_RULE = ['okta_app_signon_policy_rule'];
const unclassified = (): ChangeClass => 'unclassified';

/** Okta refresh token lifetimes: 0 (or unset) means unlimited, the weakest. */
const refreshMinutes = higherIsWeaker((v) =>
  v === null || v === 0 ? UNSET_IS_LONGEST : typeof v === 'number' ? v : undefined,
);

/** Okta's factor modes: two factors are stronger than one (unset: Okta's default, one). */
const factorMode = lowerIsWeaker((v) => (v === '2FA' ? 2 : v === '1FA' || v === null ? 1 : undefined));

/** How the report writes a claim: `tid = "acme" (RESOURCE, EXPRESSION, always)`. */
function claimText(
  name: string,
  value: string,
  claimType: string,
  valueType: string,
  always: boolean,
  inactive: boolean,
) {
  return `${name} = ${value} (${claimType}, ${valueType}${always ? ', always' : ''}${inactive ? ', inactive' : ''})`;
}

/** The tenant claim as the library writes it for `tenant`: in every access token, the tenant id as a literal. */
function tenantClaim(tenant: string): string {
  return claimText(
    TENANT_CLAIM,
    oktaStringLiteral(tenant),
    TENANT_CLAIM_SHAPE.claimType,
    TENANT_CLAIM_SHAPE.valueType,
    true,
    false,
  );
}

/**
 * A claim that stops being the tenant's own `tid` claim weakens the binding of tokens to one tenant;
 * one that becomes it strengthens it; any other change of a claim is for a person.
 */
function compareClaim(before: SettingValue, after: SettingValue, { tenant }: CompareContext): ChangeClass {
  if (tenant === null) return 'unclassified';
  const expected = tenantClaim(tenant);
  if (before === expected) return 'weakened';
  if (after === expected) return 'strengthened';
  return 'unclassified';
}

/** An authenticator that stops being active takes the hardware key away from admin sign-in. */
function compareAuthenticator(before: SettingValue, after: SettingValue): ChangeClass {
  const status = (v: SettingValue) => (typeof v === 'string' ? /status (\S+)/.exec(v)?.[1] : undefined);
  const key = (v: SettingValue) => (typeof v === 'string' ? v.split(' ')[0] : undefined);
  if (key(before) !== key(after)) return 'unclassified';
  if (status(before) === 'ACTIVE' && status(after) !== 'ACTIVE') return 'weakened';
  if (status(after) === 'ACTIVE' && status(before) !== 'ACTIVE') return 'strengthened';
  return 'neutral';
}

/** Okta's status of a server, policy or policy rule: an inactive one issues no token. */
const statusActive = (before: SettingValue, after: SettingValue): ChangeClass => {
  const active = (s: SettingValue) => s === null || s === 'ACTIVE';
  if (active(before) && after === 'INACTIVE') return 'strengthened';
  if (before === 'INACTIVE' && active(after)) return 'weakened';
  return 'unclassified';
};

/** Settings of the identity layer, in report order. */
export const IDENTITY_SETTINGS: readonly SettingExtractor[] = [
  one('identity', 'audience', 'audience', SERVER, 'audiences', 'set', grew, { rule: 'MCP-ID-4', table: true }),
  one(
    'identity',
    'access-token-lifetime',
    'access token lifetime (min)',
    RULE,
    'access_token_lifetime_minutes',
    'number',
    // Okta's default is 60 minutes: unset is the weakest.
    higherIsWeaker(numeric(UNSET_IS_LONGEST)),
    { rule: 'MCP-ID-5', table: true },
  ),
  one(
    'identity',
    'refresh-token-lifetime',
    'refresh token lifetime (min)',
    RULE,
    'refresh_token_lifetime_minutes',
    'number',
    refreshMinutes,
    { rule: 'MCP-ID-3', table: true },
  ),
  one(
    'identity',
    'refresh-token-window',
    'refresh token idle window (min)',
    RULE,
    'refresh_token_window_minutes',
    'number',
    refreshMinutes,
    { rule: 'MCP-ID-3' },
  ),
  one('identity', 'policy-grant-types', 'grant types (policy rule)', RULE, 'grant_type_whitelist', 'set', grew, {
    rule: 'MCP-ID-5',
    table: true,
  }),
  one('identity', 'policy-scopes', 'scopes (policy rule)', RULE, 'scope_whitelist', 'set', grew, { rule: 'MCP-ID-5' }),
  one('identity', 'policy-groups', 'groups (policy rule)', RULE, 'group_whitelist', 'set', grew, { rule: 'MCP-TEN-1' }),
  one('identity', 'policy-users', 'users (policy rule)', RULE, 'user_whitelist', 'set', grew),
  one('identity', 'policy-rule-status', 'policy rule status', RULE, 'status', 'text', statusActive),
  one('identity', 'policy-rule-order', 'policy rule priority', RULE, 'priority', 'number', unclassified),
  {
    id: 'identity.policy-rule-inline-hook',
    layer: 'identity',
    label: 'policy rule inline hook',
    types: RULE,
    attributes: ['inline_hook_id'],
    read: (b) => readText(b.inline_hook_id) ?? readNumber(b.inline_hook_id),
    // A hook can add claims to every token: a person reads it.
    compare: unclassified,
  },
  one('identity', 'policy-clients', 'clients (policy)', POLICY, 'client_whitelist', 'set', grew, { rule: 'MCP-ID-6' }),
  one('identity', 'policy-status', 'policy status', POLICY, 'status', 'text', statusActive),
  one('identity', 'policy-order', 'policy priority', POLICY, 'priority', 'number', unclassified),
  one('identity', 'client-grant-types', 'grant types (client)', APP, 'grant_types', 'set', grew, {
    rule: 'MCP-ID-1',
    table: true,
  }),
  one('identity', 'client-response-types', 'response types (client)', APP, 'response_types', 'set', grew, {
    rule: 'MCP-ID-1',
  }),
  one('identity', 'client-pkce', 'PKCE required', APP, 'pkce_required', 'flag', safeLost(true), { rule: 'MCP-ID-1' }),
  one(
    'identity',
    'client-auth-method',
    'token endpoint authentication',
    APP,
    'token_endpoint_auth_method',
    'text',
    unclassified,
    { rule: 'MCP-ID-1' },
  ),
  one('identity', 'client-type', 'client type', APP, 'type', 'text', unclassified, { rule: 'MCP-ID-1' }),
  one('identity', 'redirect-uris', 'redirect URIs', APP, 'redirect_uris', 'set', grew, { rule: 'MCP-ID-2' }),
  one(
    'identity',
    'post-logout-redirect-uris',
    'post-logout redirect URIs',
    APP,
    'post_logout_redirect_uris',
    'set',
    grew,
    { rule: 'MCP-ID-2' },
  ),
  one(
    'identity',
    'wildcard-redirect',
    'wildcard redirect',
    APP,
    'wildcard_redirect',
    'text',
    (b, a) =>
      a === null || a === 'DISABLED' ? (b === null || b === 'DISABLED' ? 'neutral' : 'strengthened') : 'weakened',
    { rule: 'MCP-ID-2' },
  ),
  one(
    'identity',
    'refresh-token-rotation',
    'refresh token rotation',
    APP,
    'refresh_token_rotation',
    'text',
    safeLost(REFRESH_TOKEN_ROTATION),
    { rule: 'MCP-ID-3', table: true },
  ),
  one(
    'identity',
    'refresh-token-leeway',
    'refresh token reuse leeway (s)',
    APP,
    'refresh_token_leeway',
    'number',
    higherIsWeaker(numeric(0)),
    { rule: 'MCP-ID-3' },
  ),
  one(
    'identity',
    'client-authentication-policy',
    'sign-on policy (client)',
    APP,
    'authentication_policy',
    'text',
    // Which policy a client signs in with decides what it demands: a person compares the two policies.
    unclassified,
    { rule: 'MCP-ID-7' },
  ),
  {
    id: 'identity.groups-claim',
    layer: 'identity',
    label: 'groups claim (Access web app)',
    types: APP,
    attributes: ['groups_claim'],
    rule: 'MCP-ID-9',
    read: (b) => {
      const claim = Array.isArray(b.groups_claim) ? b.groups_claim[0] : b.groups_claim;
      if (!isObject(claim)) return null;
      const part = (k: string) => readText(claim[k]) ?? '?';
      return `${part('name')} (${part('type')} ${part('filter_type')} ${part('value')})`;
    },
    // A wider filter sends more groups to Cloudflare; a reviewer reads the regex.
    compare: unclassified,
  },
  {
    id: 'identity.hardware-key',
    layer: 'identity',
    label: 'hardware-key rule (admin sign-on)',
    types: SIGNON_RULE,
    attributes: ['constraints'],
    rule: 'MCP-ID-6',
    table: true,
    applies: isAdminSignon,
    read: (b) => possessionRequirements(b.constraints),
    compare: shrank,
  },
  one(
    'identity',
    're-authentication',
    're-authentication frequency (admin sign-on)',
    SIGNON_RULE,
    're_authentication_frequency',
    'text',
    higherIsWeaker(duration(isoDurationMinutesOf, UNSET_IS_LONGEST)),
    { rule: 'MCP-ID-6', table: true, applies: isAdminSignon },
  ),
  one('identity', 'admin-factor-mode', 'factor mode (admin sign-on)', SIGNON_RULE, 'factor_mode', 'text', factorMode, {
    rule: 'MCP-ID-6',
    applies: isAdminSignon,
  }),
  one(
    'identity',
    'everyday-factor-mode',
    'factor mode (everyday sign-on)',
    SIGNON_RULE,
    'factor_mode',
    'text',
    factorMode,
    { rule: 'MCP-ID-7', table: true, applies: isEverydaySignon },
  ),
  one('identity', 'signon-access', 'sign-on rule access', SIGNON_RULE, 'access', 'text', (b, a) =>
    a === 'ALLOW' && b === 'DENY' ? 'weakened' : a === 'DENY' && b === 'ALLOW' ? 'strengthened' : 'unclassified',
  ),
  one('identity', 'signon-rule-status', 'sign-on rule status', SIGNON_RULE, 'status', 'text', unclassified),
  one('identity', 'signon-rule-type', 'sign-on rule type', SIGNON_RULE, 'type', 'text', unclassified),
  one('identity', 'signon-rule-order', 'sign-on rule priority', SIGNON_RULE, 'priority', 'number', unclassified),
  one('identity', 'signon-rule-people', 'sign-on rule groups', SIGNON_RULE, 'groups_included', 'set', grew),
  one('identity', 'signon-catch-all', 'sign-on policy catch-all', SIGNON, 'catch_all', 'flag', becameTrue, {
    rule: 'MCP-ID-6',
  }),
  one(
    'identity',
    'scope-default',
    'scope granted by default',
    ['okta_auth_server_scope'],
    'default',
    'flag',
    becameTrue,
    { rule: 'MCP-ID-5' },
  ),
  one('identity', 'scope-name', 'scope name', ['okta_auth_server_scope'], 'name', 'text', unclassified),
  {
    id: 'identity.tenant-claim',
    layer: 'identity',
    label: 'tenant claim',
    types: ['okta_auth_server_claim'],
    attributes: ['name', 'value', 'value_type', 'claim_type', 'always_include_in_token', 'status', 'scopes'],
    rule: 'MCP-ID-8',
    table: true,
    read: (b) => {
      const scopes = Array.isArray(b.scopes) ? ` scopes ${b.scopes.map((s) => readText(s) ?? '?').join(',')}` : '';
      return (
        claimText(
          readText(b.name) ?? '?',
          readText(b.value) ?? 'not set',
          readText(b.claim_type) ?? '?',
          readText(b.value_type) ?? '?',
          b.always_include_in_token === true,
          readText(b.status) === 'INACTIVE',
        ) + scopes
      );
    },
    compare: compareClaim,
  },
  one(
    'identity',
    'auth-server-key-rotation',
    'signing key rotation',
    SERVER,
    'credentials_rotation_mode',
    'text',
    safeLost('AUTO'),
  ),
  one('identity', 'auth-server-issuer-mode', 'issuer mode', SERVER, 'issuer_mode', 'text', unclassified),
  one('identity', 'auth-server-status', 'authorization server status', SERVER, 'status', 'text', statusActive),
  one('identity', 'auth-server-name', 'authorization server name', SERVER, 'name', 'text', unclassified, {
    rule: 'MCP-TEN-2',
  }),
  one('identity', 'group-name', 'group name', ['okta_group'], 'name', 'text', unclassified, { rule: 'MCP-TEN-1' }),
  {
    id: 'identity.group-assignment',
    layer: 'identity',
    label: 'group assignment',
    types: ['okta_app_group_assignment'],
    attributes: ['app_id', 'group_id', 'priority', 'profile'],
    rule: 'MCP-TEN-1',
    read: (b) => `${readText(b.group_id) ?? '?'} -> ${readText(b.app_id) ?? '?'}`,
    compare: unclassified,
  },
  {
    id: 'identity.authenticator',
    layer: 'identity',
    label: 'authenticator',
    types: ['okta_authenticator'],
    attributes: ['key', 'name', 'status', 'settings', 'provider_json'],
    rule: 'MCP-ID-6',
    read: (b) => `${readText(b.key) ?? '?'} '${readText(b.name) ?? '?'}' status ${readText(b.status) ?? 'not set'}`,
    compare: compareAuthenticator,
  },
];
