/** The review's transport settings (Cloudflare tunnel and Access): every attribute the library writes is covered. */
import { durationMinutes } from '../../core/transport-defaults';
import { blocks, isExpression, nested } from '../../model/json';
import type { ChangeClass, SettingValue } from '../model';
import { isLoopbackService, readText } from '../values';
import { becameTrue, combine, duration, grew, higherIsWeaker, members, safeLost } from './comparators';
import { one } from './define';
import type { SettingExtractor } from './extractor';
import { accessPolicyConditions, UNSET_IS_LONGEST } from './readers';

const APP = ['cloudflare_zero_trust_access_application'];
const POLICY = ['cloudflare_zero_trust_access_policy'];
const unclassified = () => 'unclassified' as const;

/**
 * Access policy conditions: an added `include` or `decision` other than allow admits more people
 * (weaker); a removed `require` or `exclude` too; the reverse is stronger.
 */
function compareConditions(before: SettingValue, after: SettingValue): ChangeClass {
  const [b, a] = [members(before), members(after)];
  if (b === undefined || a === undefined) return 'unclassified';
  const verdicts: ChangeClass[] = [];
  const kind = (entry: string) => / (include|require|exclude|decision|reusable policy) /.exec(entry)?.[1];
  for (const entry of a.filter((e) => !b.includes(e))) {
    const k = kind(entry);
    if (k === 'include' || k === 'reusable policy') verdicts.push('weakened');
    else if (k === 'decision') verdicts.push(entry.endsWith(' allow') ? 'neutral' : 'weakened');
    else if (k === 'require' || k === 'exclude') verdicts.push('strengthened');
    else verdicts.push('unclassified');
  }
  for (const entry of b.filter((e) => !a.includes(e))) {
    const k = kind(entry);
    if (k === 'require' || k === 'exclude') verdicts.push('weakened');
    else if (k === 'include' || k === 'reusable policy') verdicts.push('strengthened');
    else if (k === 'decision') verdicts.push('neutral');
    else verdicts.push('unclassified');
  }
  return combine(verdicts);
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
    id: 'transport.reusable-policy',
    layer: 'transport',
    label: 'Access policy conditions (reusable policy)',
    types: POLICY,
    attributes: ['decision', 'include', 'require', 'exclude', 'name'],
    rule: 'MCP-NET-3',
    read: (b) => accessPolicyConditions([b]),
    compare: compareConditions,
  },
  one(
    'transport',
    'reusable-policy-session',
    'Access session duration (reusable policy)',
    POLICY,
    'session_duration',
    'text',
    higherIsWeaker(duration(durationMinutes, 0)),
    { rule: 'MCP-NET-2' },
  ),
  {
    id: 'transport.destinations',
    layer: 'transport',
    label: 'Access application hostnames',
    types: APP,
    attributes: ['destinations', 'domain', 'self_hosted_domains'],
    rule: 'MCP-NET-2',
    read: (b) =>
      [
        ...blocks(b.destinations).map((d) => `${readText(d.type) ?? 'public'} ${readText(d.uri) ?? '?'}`),
        ...(typeof b.domain === 'string' ? [b.domain] : []),
      ].sort(),
    // A hostname that leaves the application is no longer behind Access.
    compare: (before, after) => grew(after, before),
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
    types: ['cloudflare_zero_trust_tunnel_cloudflared_config'],
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
      return added.length > 0 ? 'unclassified' : 'strengthened';
    },
  },
  {
    id: 'transport.ingress-hostnames',
    layer: 'transport',
    label: 'tunnel ingress hostnames',
    types: ['cloudflare_zero_trust_tunnel_cloudflared_config'],
    attributes: [
      'config.ingress.hostname',
      'config.ingress.path',
      'config.ingress.origin_request',
      'config.origin_request',
      'config.warp_routing',
    ],
    rule: 'MCP-NET-2',
    read: (b) =>
      blocks(nested(b, 'config')?.ingress).map(
        (rule) =>
          `${readText(rule.hostname) ?? '*'}${readText(rule.path) ?? ''}${rule.origin_request !== undefined ? ' (origin settings)' : ''}`,
      ),
    compare: grew,
  },
  one(
    'transport',
    'tunnel-config-source',
    'tunnel configuration source',
    ['cloudflare_zero_trust_tunnel_cloudflared_config'],
    'source',
    'text',
    safeLost('cloudflare'),
    { rule: 'MCP-NET-1' },
  ),
  one(
    'transport',
    'tunnel-config-tunnel',
    'tunnel configured',
    ['cloudflare_zero_trust_tunnel_cloudflared_config'],
    'tunnel_id',
    'text',
    unclassified,
    { rule: 'MCP-TEN-1' },
  ),
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
  ),
  {
    id: 'transport.dns-record',
    layer: 'transport',
    label: 'DNS record',
    types: ['cloudflare_dns_record'],
    attributes: ['name', 'content', 'type', 'proxied', 'zone_id'],
    rule: 'MCP-NET-2',
    read: (b) =>
      `${readText(b.name) ?? '?'} ${readText(b.type) ?? '?'} ${readText(b.content) ?? '?'}${b.proxied === true ? ' (proxied)' : ''}`,
    compare: unclassified,
  },
  {
    id: 'transport.identity-provider',
    layer: 'transport',
    label: 'Access identity provider',
    types: ['cloudflare_zero_trust_access_identity_provider'],
    attributes: [
      'type',
      'config.okta_account',
      'config.client_id',
      'config.client_secret',
      'config.authorization_server_id',
      'config.claims',
      'config.email_claim_name',
    ],
    rule: 'MCP-NET-2',
    read: (b) =>
      `${readText(b.type) ?? '?'} ${readText(nested(b, 'config')?.okta_account) ?? '?'}${nested(b, 'config')?.authorization_server_id !== undefined ? ` server ${readText(nested(b, 'config')?.authorization_server_id)}` : ''}`,
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
    attributes: ['mechanisms', 'alert_type', 'filters'],
    read: (b) => {
      const m = nested(b, 'mechanisms') ?? {};
      return Object.keys(m)
        .filter((k) => k !== '//')
        .sort()
        .map(
          (k) =>
            `${k}: ${blocks(m[k])
              .map((x) => readText(x.id) ?? '?')
              .join(',')}`,
        );
    },
    // Losing a destination silences alerts.
    compare: (before, after) => grew(after, before),
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
