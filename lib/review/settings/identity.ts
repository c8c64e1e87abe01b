/** The review's identity settings (Okta): every attribute the library writes is covered. */
import { REFRESH_TOKEN_ROTATION } from '../../core/identity-defaults';
import { readNumber, readText } from '../values';
import { becameTrue, duration, grew, higherIsWeaker, lowerIsWeaker, numeric, safeLost, shrank } from './comparators';
import { one } from './define';
import type { SettingExtractor } from './extractor';
import { isoDurationMinutesOf, possessionRequirements, UNSET_IS_LONGEST } from './readers';

const APP = ['okta_app_oauth'];
const SERVER = ['okta_auth_server'];
const POLICY = ['okta_auth_server_policy'];
const RULE = ['okta_auth_server_policy_rule'];
const SIGNON = ['okta_app_signon_policy'];
const SIGNON_RULE = ['okta_app_signon_policy_rule'];
const unclassified = () => 'unclassified' as const;

/** Okta refresh token lifetimes: 0 (or unset) means unlimited, the weakest. */
const refreshMinutes = higherIsWeaker((v) =>
  v === null || v === 0 ? UNSET_IS_LONGEST : typeof v === 'number' ? v : undefined,
);

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
    { rule: 'MCP-ID-3' },
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
  one('identity', 'policy-rule-status', 'policy rule status', RULE, 'status', 'text', unclassified),
  one('identity', 'policy-rule-order', 'policy rule priority', RULE, 'priority', 'number', unclassified),
  one('identity', 'policy-clients', 'clients (policy)', POLICY, 'client_whitelist', 'set', grew, { rule: 'MCP-ID-6' }),
  one('identity', 'policy-status', 'policy status', POLICY, 'status', 'text', unclassified),
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
    (b, a) => (b === a ? 'neutral' : a === null || a === 'DISABLED' ? 'strengthened' : 'weakened'),
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
    'authentication policy (client)',
    APP,
    'authentication_policy',
    'text',
    unclassified,
    { rule: 'MCP-ID-7' },
  ),
  one('identity', 'groups-claim', 'groups claim (Access web app)', APP, 'groups_claim', 'text', unclassified),
  {
    id: 'identity.groups-claim-filter',
    layer: 'identity',
    label: 'groups claim filter',
    types: APP,
    attributes: ['groups_claim'],
    read: (b) => {
      const claim = Array.isArray(b.groups_claim) ? b.groups_claim[0] : b.groups_claim;
      return claim && typeof claim === 'object'
        ? `${readText((claim as Record<string, unknown>).filter_type) ?? ''} ${readText((claim as Record<string, unknown>).value) ?? ''}`.trim()
        : null;
    },
    // A wider filter sends more groups to Cloudflare; a reviewer reads the regex.
    compare: unclassified,
  },
  {
    id: 'identity.hardware-key',
    layer: 'identity',
    label: 'hardware-key rule (possession)',
    types: SIGNON_RULE,
    attributes: ['constraints'],
    rule: 'MCP-ID-6',
    table: true,
    read: (b) => possessionRequirements(b.constraints),
    compare: shrank,
  },
  one(
    'identity',
    're-authentication',
    're-authentication frequency',
    SIGNON_RULE,
    're_authentication_frequency',
    'text',
    higherIsWeaker(duration(isoDurationMinutesOf, UNSET_IS_LONGEST)),
    { rule: 'MCP-ID-6', table: true },
  ),
  one(
    'identity',
    'signon-factor-mode',
    'factor mode',
    SIGNON_RULE,
    'factor_mode',
    'text',
    lowerIsWeaker((v) => (v === '2FA' ? 2 : v === '1FA' || v === null ? 1 : undefined)),
    { rule: 'MCP-ID-7' },
  ),
  one('identity', 'signon-access', 'sign-on rule access', SIGNON_RULE, 'access', 'text', (b, a) =>
    a === 'ALLOW' && b === 'DENY' ? 'weakened' : a === 'DENY' && b === 'ALLOW' ? 'strengthened' : 'unclassified',
  ),
  one('identity', 'signon-rule-status', 'sign-on rule status', SIGNON_RULE, 'status', 'text', unclassified),
  one('identity', 'signon-rule-type', 'sign-on rule type', SIGNON_RULE, 'type', 'text', unclassified),
  one('identity', 'signon-rule-order', 'sign-on rule priority', SIGNON_RULE, 'priority', 'number', unclassified),
  one('identity', 'signon-rule-people', 'sign-on rule groups and users', SIGNON_RULE, 'groups_included', 'set', grew),
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
    rule: 'MCP-ID-4',
    table: true,
    read: (b) =>
      `${readText(b.name) ?? '?'} = ${readText(b.value) ?? 'not set'} (${readText(b.claim_type) ?? '?'}, ${readText(b.value_type) ?? '?'}${b.always_include_in_token === true ? ', always' : ''}${readText(b.status) === 'INACTIVE' ? ', inactive' : ''})`,
    compare: unclassified,
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
  one('identity', 'auth-server-status', 'authorization server status', SERVER, 'status', 'text', unclassified),
  one('identity', 'auth-server-name', 'authorization server name', SERVER, 'name', 'text', unclassified, {
    rule: 'MCP-TEN-2',
  }),
  one('identity', 'group-name', 'group name', ['okta_group'], 'name', 'text', unclassified, { rule: 'MCP-TEN-1' }),
  {
    id: 'identity.group-assignment',
    layer: 'identity',
    label: 'group assignment',
    types: ['okta_app_group_assignment'],
    attributes: ['app_id', 'group_id'],
    rule: 'MCP-TEN-1',
    read: (b) => `${readText(b.group_id) ?? '?'} -> ${readText(b.app_id) ?? '?'}`,
    compare: unclassified,
  },
  one(
    'identity',
    'authenticator-status',
    'authenticator status',
    ['okta_authenticator'],
    'status',
    'text',
    unclassified,
  ),
  one('identity', 'authenticator-key', 'authenticator', ['okta_authenticator'], 'key', 'text', unclassified),
  {
    id: 'identity.policy-rule-inline-hook',
    layer: 'identity',
    label: 'policy rule inline hook',
    types: RULE,
    attributes: ['inline_hook_id'],
    read: (b) => readText(b.inline_hook_id) ?? readNumber(b.inline_hook_id),
    compare: unclassified,
  },
];
