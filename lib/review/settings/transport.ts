/** The review's transport settings (Cloudflare tunnel and Access): every attribute the library writes is covered. */
import { ACCESS_SESSION_MINUTES } from '../../core/defaults';
import { ADMIN_ACCESS_AUTH_METHOD, durationMinutes } from '../../core/transport-defaults';
import { blocks, isExpression, nested } from '../../model/json';
import type { ChangeClass, SettingValue } from '../model';
import { isLoopbackService, readText } from '../values';
import { becameTrue, combine, duration, grew, higherIsWeaker, members, safeLost } from './comparators';
import { one } from './define';
import type { SettingExtractor } from './extractor';
import { accessPolicyConditions, showReference, UNSET_IS_LONGEST } from './readers';

const APP = ['cloudflare_zero_trust_access_application'];
const POLICY = ['cloudflare_zero_trust_access_policy'];
const TUNNEL_CONFIG = ['cloudflare_zero_trust_tunnel_cloudflared_config'];
const unclassified = (): ChangeClass => 'unclassified';

const CONDITION = /^(.*?): (decision|precedence|session|setting|include|require|exclude|reusable policy) (.*)$/;

/** A policy's session, in minutes; unset falls back to the application's (judged by its own setting). */
const sessionMinutes = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : durationMinutes(text);

/** Judges the session of each policy: longer is weaker; set above the Access maximum where it was unset too. */
function compareSessions(before: Map<string, string>, after: Map<string, string>): ChangeClass[] {
  const verdicts: ChangeClass[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const [b, a] = [before.get(name), after.get(name)];
    if (b === a) continue;
    const [bm, am] = [sessionMinutes(b), sessionMinutes(a)];
    if (a === undefined) verdicts.push('neutral');
    else if (am === undefined) verdicts.push('unclassified');
    else if (b === undefined) verdicts.push(am > ACCESS_SESSION_MINUTES ? 'weakened' : 'neutral');
    else if (bm === undefined) verdicts.push('unclassified');
    else verdicts.push(am > bm ? 'weakened' : am < bm ? 'strengthened' : 'neutral');
  }
  return verdicts;
}

/**
 * Access policy conditions: an added `include` or a decision other than allow admits more people
 * (weaker); a removed `require` or `exclude` too; the reverse is stronger. A longer session is
 * weaker; precedence among allow policies moves nothing; any other policy setting is for a person.
 */
export function compareConditions(before: SettingValue, after: SettingValue): ChangeClass {
  const [b, a] = [members(before), members(after)];
  if (b === undefined || a === undefined) return 'unclassified';
  const verdicts: ChangeClass[] = [];
  const sessions = { before: new Map<string, string>(), after: new Map<string, string>() };
  const parse = (entry: string) => CONDITION.exec(entry) ?? undefined;
  for (const [list, into] of [
    [b, sessions.before],
    [a, sessions.after],
  ] as const) {
    for (const entry of list) {
      const m = parse(entry);
      if (m && m[2] === 'session') into.set(m[1], m[3]);
    }
  }
  verdicts.push(...compareSessions(sessions.before, sessions.after));
  for (const entry of a.filter((e) => !b.includes(e))) {
    const kind = parse(entry)?.[2];
    if (kind === 'include' || kind === 'reusable policy') verdicts.push('weakened');
    else if (kind === 'decision') verdicts.push(entry.endsWith(' allow') ? 'neutral' : 'weakened');
    else if (kind === 'require' || kind === 'exclude') verdicts.push('strengthened');
    else if (kind === 'precedence' || kind === 'session') verdicts.push('neutral');
    else verdicts.push('unclassified');
  }
  for (const entry of b.filter((e) => !a.includes(e))) {
    const kind = parse(entry)?.[2];
    if (kind === 'require' || kind === 'exclude') verdicts.push('weakened');
    else if (kind === 'include' || kind === 'reusable policy') verdicts.push('strengthened');
    else if (kind === 'decision' || kind === 'precedence' || kind === 'session') verdicts.push('neutral');
    else verdicts.push('unclassified');
  }
  return combine(verdicts);
}

/** `<policy>: <amr>` for every inline policy that requires an authentication method (the admin policy: `pop`). */
function requiredAuthMethods(policies: unknown): SettingValue {
  if (isExpression(policies)) return policies;
  const entries: string[] = [];
  blocks(policies).forEach((policy, i) => {
    for (const rule of blocks(policy.require)) {
      const method = nested(rule, 'auth_method');
      if (method) entries.push(`${readText(policy.name) ?? `#${i + 1}`}: ${showReference(method.auth_method)}`);
    }
  });
  return entries.sort();
}

/** Settings of the transport layer, in report order. */
export const TRANSPORT_SETTINGS: readonly SettingExtractor[] = [
  one(
    'transport',
    'access-session',
    'Access session duration',
    APP,
    'session_duration',
    'text',
    // Cloudflare's default session is 24 h: unset is the weakest.
    higherIsWeaker(duration(durationMinutes, UNSET_IS_LONGEST)),
    { rule: 'MCP-NET-2', table: true },
  ),
  {
    id: 'transport.allowed-idps',
    layer: 'transport',
    label: 'allowed identity providers',
    types: APP,
    attributes: ['allowed_idps'],
    rule: 'MCP-NET-2',
    table: true,
    normalizes: true,
    read: (b) =>
      isExpression(b.allowed_idps) ? b.allowed_idps : (members(b.allowed_idps as SettingValue) ?? []).slice().sort(),
    // An empty list allows every identity provider of the account.
    compare: (before, after) =>
      (members(before)?.length ?? 0) > 0 && members(after)?.length === 0 ? 'weakened' : grew(before, after),
  },
  {
    id: 'transport.access-policies',
    layer: 'transport',
    label: 'Access policy conditions',
    types: APP,
    attributes: ['policies'],
    rule: 'MCP-NET-3',
    table: true,
    read: (b) => accessPolicyConditions(b.policies),
    compare: compareConditions,
  },
  {
    id: 'transport.hardware-key',
    layer: 'transport',
    label: `hardware key (Access policy requires amr, ${ADMIN_ACCESS_AUTH_METHOD} for admins)`,
    types: APP,
    attributes: ['policies.require'],
    rule: 'MCP-NET-4',
    table: true,
    // Shown in the table; a change is judged once, by the Access policy conditions (a lost require is weaker).
    compared: false,
    read: (b) => requiredAuthMethods(b.policies),
    compare: unclassified,
  },
  {
    id: 'transport.reusable-policy',
    layer: 'transport',
    label: 'Access policy conditions (reusable policy)',
    types: POLICY,
    attributes: ['decision', 'include', 'require', 'exclude', 'name', 'precedence', 'session_duration'],
    rule: 'MCP-NET-3',
    read: (b) => accessPolicyConditions([b]),
    compare: compareConditions,
  },
  {
    id: 'transport.destinations',
    layer: 'transport',
    label: 'Access application hostnames',
    types: APP,
    attributes: ['destinations', 'domain', 'self_hosted_domains'],
    rule: 'MCP-NET-2',
    normalizes: true,
    read: (b) =>
      [
        ...blocks(b.destinations).map((d) => `${readText(d.type) ?? 'public'} ${readText(d.uri) ?? '?'}`),
        ...(typeof b.domain === 'string' ? [b.domain] : []),
        ...(Array.isArray(b.self_hosted_domains) ? b.self_hosted_domains.map((d) => readText(d) ?? '?') : []),
      ].sort(),
    // A hostname added lets the tenant's policies admit to it; one removed may still be routed, no longer behind Access.
    compare: (before, after) => {
      const [b, a] = [members(before), members(after)];
      if (b === undefined || a === undefined) return 'unclassified';
      return a.some((h) => !b.includes(h)) || b.some((h) => !a.includes(h)) ? 'weakened' : 'neutral';
    },
  },
  one(
    'transport',
    'warp-authentication',
    'sign in through WARP',
    APP,
    'allow_authenticate_via_warp',
    'flag',
    becameTrue,
  ),
  one('transport', 'binding-cookie', 'binding cookie', APP, 'enable_binding_cookie', 'flag', (b, a) =>
    a === true ? 'strengthened' : b === true ? 'weakened' : 'neutral',
  ),
  one(
    'transport',
    'auto-redirect',
    'redirect straight to the identity provider',
    APP,
    'auto_redirect_to_identity',
    'flag',
    () => 'neutral',
  ),
  one('transport', 'app-launcher', 'shown in the App Launcher', APP, 'app_launcher_visible', 'flag', () => 'neutral'),
  one('transport', 'application-type', 'Access application type', APP, 'type', 'text', unclassified, {
    rule: 'MCP-NET-2',
  }),
  one('transport', 'application-name', 'Access application name', APP, 'name', 'text', unclassified, {
    rule: 'MCP-TEN-2',
  }),
  {
    id: 'transport.ingress-services',
    layer: 'transport',
    label: 'tunnel ingress services',
    types: TUNNEL_CONFIG,
    attributes: ['config.ingress.service'],
    rule: 'MCP-NET-1',
    table: true,
    read: (b) => {
      if (isExpression(b.config)) return b.config;
      const ingress = nested(b, 'config')?.ingress;
      if (isExpression(ingress)) return ingress;
      return blocks(ingress).map((rule) => readText(rule.service) ?? 'not set');
    },
    // Weaker when a service leaves loopback; a loopback service moving ports is for a reviewer.
    compare: (before, after) => {
      const [b, a] = [members(before), members(after)];
      if (b === undefined || a === undefined) return 'unclassified';
      const added = a.filter((s) => !b.includes(s));
      if (added.some((s) => !isLoopbackService(s))) return 'weakened';
      if (added.length > 0) return 'unclassified';
      return b.some((s) => !a.includes(s)) ? 'strengthened' : 'unclassified';
    },
  },
  {
    id: 'transport.ingress-hostnames',
    layer: 'transport',
    label: 'tunnel ingress hostnames',
    types: TUNNEL_CONFIG,
    attributes: [
      'config.ingress.hostname',
      'config.ingress.path',
      'config.ingress.origin_request',
      'config.origin_request',
      'config.warp_routing',
    ],
    rule: 'MCP-NET-2',
    read: (b) => [
      ...blocks(nested(b, 'config')?.ingress).map(
        (rule) =>
          `${readText(rule.hostname) ?? '*'}${readText(rule.path) ?? ''}${rule.origin_request !== undefined ? ` (origin ${JSON.stringify(rule.origin_request)})` : ''}`,
      ),
      ...(nested(b, 'config')?.origin_request !== undefined
        ? [`origin ${JSON.stringify(nested(b, 'config')?.origin_request)}`]
        : []),
      ...(nested(b, 'config')?.warp_routing !== undefined
        ? [`warp routing ${JSON.stringify(nested(b, 'config')?.warp_routing)}`]
        : []),
    ],
    compare: grew,
  },
  one(
    'transport',
    'tunnel-config-source',
    'tunnel configuration source',
    TUNNEL_CONFIG,
    'source',
    'text',
    safeLost('cloudflare'),
    { rule: 'MCP-NET-1' },
  ),
  one('transport', 'tunnel-config-tunnel', 'tunnel configured', TUNNEL_CONFIG, 'tunnel_id', 'text', unclassified, {
    rule: 'MCP-TEN-1',
  }),
  one(
    'transport',
    'tunnel-source',
    'tunnel managed',
    ['cloudflare_zero_trust_tunnel_cloudflared'],
    'config_src',
    'text',
    safeLost('cloudflare'),
    { rule: 'MCP-NET-1' },
  ),
  one(
    'transport',
    'tunnel-name',
    'tunnel name',
    ['cloudflare_zero_trust_tunnel_cloudflared'],
    'name',
    'text',
    unclassified,
    { rule: 'MCP-TEN-2' },
  ),
  one(
    'transport',
    'tunnel-secret',
    'tunnel secret',
    ['cloudflare_zero_trust_tunnel_cloudflared'],
    'tunnel_secret',
    'text',
    unclassified,
    { rule: 'MCP-SEC-5' },
  ),
  {
    id: 'transport.dns-record',
    layer: 'transport',
    label: 'DNS record',
    types: ['cloudflare_dns_record'],
    attributes: ['name', 'content', 'type', 'proxied', 'zone_id', 'data', 'priority'],
    rule: 'MCP-NET-2',
    read: (b) =>
      `${readText(b.name) ?? '?'} ${readText(b.type) ?? '?'} ${readText(b.content) ?? '?'}${b.proxied === true ? ' (proxied)' : ''}`,
    compare: (before, after) =>
      // Unproxied, a tunnel record publishes the tunnel's address instead of Cloudflare's edge.
      typeof before === 'string' &&
      typeof after === 'string' &&
      before.endsWith('(proxied)') &&
      !after.endsWith('(proxied)')
        ? 'weakened'
        : 'unclassified',
  },
  {
    id: 'transport.identity-provider',
    layer: 'transport',
    label: 'Access identity provider',
    types: ['cloudflare_zero_trust_access_identity_provider'],
    attributes: [
      'type',
      'name',
      'config.okta_account',
      'config.client_id',
      'config.client_secret',
      'config.authorization_server_id',
      'config.claims',
      'config.email_claim_name',
      'scim_config',
    ],
    rule: 'MCP-NET-2',
    read: (b) => {
      const config = nested(b, 'config') ?? {};
      const server =
        config.authorization_server_id !== undefined ? ` server ${showReference(config.authorization_server_id)}` : '';
      const claims = config.claims !== undefined ? ` claims ${showReference(config.claims)}` : '';
      return `${readText(b.type) ?? '?'} '${readText(b.name) ?? '?'}' ${showReference(config.okta_account ?? '?')} client ${showReference(config.client_id ?? '?')}${server}${claims}`;
    },
    compare: unclassified,
  },
  one(
    'transport',
    'identity-provider-pkce',
    'Access identity provider PKCE',
    ['cloudflare_zero_trust_access_identity_provider'],
    'config.pkce_enabled',
    'flag',
    safeLost(true),
    { rule: 'MCP-NET-2' },
  ),
  one(
    'transport',
    'health-alerts-enabled',
    'tunnel health alerts',
    ['cloudflare_notification_policy'],
    'enabled',
    'flag',
    safeLost(true),
  ),
  {
    id: 'transport.health-alert-destinations',
    layer: 'transport',
    label: 'tunnel health alert destinations',
    types: ['cloudflare_notification_policy'],
    attributes: ['mechanisms', 'alert_type', 'filters', 'name'],
    read: (b) => {
      const m = nested(b, 'mechanisms') ?? {};
      return [
        `alert ${readText(b.alert_type) ?? '?'}`,
        ...Object.keys(m)
          .filter((k) => k !== '//')
          .sort()
          .map(
            (k) =>
              `${k}: ${blocks(m[k])
                .map((x) => readText(x.id) ?? '?')
                .join(',')}`,
          ),
        ...(b.filters !== undefined ? [`filters ${JSON.stringify(b.filters)}`] : []),
      ];
    },
    // Losing a destination (or the alert type, or a wider filter) silences alerts: a person reads the rest.
    compare: (before, after) => {
      const verdict = grew(after, before);
      return verdict === 'weakened' ? 'weakened' : 'unclassified';
    },
  },
  one(
    'transport',
    'health-alert-webhook',
    'tunnel health webhook URL',
    ['cloudflare_notification_policy_webhooks'],
    'url',
    'text',
    unclassified,
  ),
];
