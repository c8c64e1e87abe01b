/**
 * The review's settings, one comparator each: boundaries (15 -> 16 minutes, 365 -> 364 days, ...)
 * as literals, and the coverage of every attribute the library writes.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { JsonObject } from '../../lib/model/json';
import { changedPaths, isNeutralPath, under } from '../../lib/review/changes';
import type { ChangeClass, SettingValue } from '../../lib/review/model';
import { SETTINGS, SETTINGS_BY_TYPE, type SettingExtractor } from '../../lib/review/settings';
import { fixtureJson, stackOf } from './fixture';

function extractor(id: string): SettingExtractor {
  const found = SETTINGS.find((s) => s.id === id);
  if (!found) throw new Error(`no setting ${id}`);
  return found;
}

const T = (v: string) => `\${${v}}`;

/** [setting, before, after, classification] — the tenant of the resource is acme. */
const CASES: readonly (readonly [string, SettingValue, SettingValue, ChangeClass])[] = [
  // Access tokens: at most 15 minutes; Okta's default (unset) is 60.
  ['identity.access-token-lifetime', 15, 16, 'weakened'],
  ['identity.access-token-lifetime', 15, 15, 'neutral'],
  ['identity.access-token-lifetime', 16, 15, 'strengthened'],
  ['identity.access-token-lifetime', 15, null, 'weakened'],
  ['identity.access-token-lifetime', 15, T('var.ttl'), 'unclassified'],
  // Refresh tokens: 0 or unset is unlimited.
  ['identity.refresh-token-lifetime', 480, 1440, 'weakened'],
  ['identity.refresh-token-lifetime', 480, 0, 'weakened'],
  ['identity.refresh-token-lifetime', 0, 1440, 'strengthened'],
  ['identity.refresh-token-lifetime', 480, null, 'weakened'],
  ['identity.refresh-token-window', 60, 30, 'strengthened'],
  ['identity.policy-grant-types', ['authorization_code'], ['authorization_code', 'password'], 'weakened'],
  ['identity.policy-grant-types', ['authorization_code', 'password'], ['authorization_code'], 'strengthened'],
  ['identity.policy-grant-types', ['a', 'b'], ['b', 'a'], 'neutral'],
  ['identity.refresh-token-rotation', 'ROTATE', 'STATIC', 'weakened'],
  ['identity.refresh-token-rotation', 'ROTATE', null, 'weakened'],
  ['identity.refresh-token-rotation', 'STATIC', 'ROTATE', 'strengthened'],
  ['identity.audience', ['https://a/mcp'], ['https://a/mcp', 'https://b/mcp'], 'weakened'],
  [
    'identity.hardware-key',
    ['phishing-resistant', 'hardware-protected', 'user verification'],
    ['phishing-resistant', 'user verification'],
    'weakened',
  ],
  ['identity.hardware-key', ['phishing-resistant'], ['phishing-resistant', 'hardware-protected'], 'strengthened'],
  ['identity.re-authentication', 'PT15M', 'PT16M', 'weakened'],
  ['identity.re-authentication', 'PT15M', 'PT2H', 'weakened'],
  ['identity.re-authentication', 'PT15M', null, 'weakened'],
  ['identity.re-authentication', 'PT1H', 'PT15M', 'strengthened'],
  ['identity.everyday-factor-mode', '2FA', '1FA', 'weakened'],
  ['identity.everyday-factor-mode', '2FA', null, 'weakened'],
  ['identity.admin-factor-mode', '1FA', '2FA', 'strengthened'],
  [
    'identity.tenant-claim',
    'tid = "acme" (RESOURCE, EXPRESSION, always)',
    'tid = "globex" (RESOURCE, EXPRESSION, always)',
    'weakened',
  ],
  [
    'identity.tenant-claim',
    'tid = "acme" (RESOURCE, EXPRESSION, always)',
    'tid = "acme" (RESOURCE, EXPRESSION)',
    'weakened',
  ],
  [
    'identity.tenant-claim',
    'tid = "acme" (RESOURCE, EXPRESSION)',
    'tid = "acme" (RESOURCE, EXPRESSION, always)',
    'strengthened',
  ],
  ['identity.auth-server-status', 'ACTIVE', 'INACTIVE', 'strengthened'],
  ['identity.auth-server-status', 'INACTIVE', 'ACTIVE', 'weakened'],
  // Access.
  ['transport.access-session', '15m', '16m', 'weakened'],
  ['transport.access-session', '15m', '10m', 'strengthened'],
  ['transport.access-session', '15m', '0h15m', 'neutral'],
  ['transport.access-session', '15m', null, 'weakened'],
  ['transport.allowed-idps', ['okta'], [], 'weakened'],
  ['transport.allowed-idps', ['okta'], ['github', 'okta'], 'weakened'],
  [
    'transport.access-policies',
    ['u: decision allow'],
    ['u: decision allow', 'u: include email=email=x@y.z'],
    'weakened',
  ],
  ['transport.access-policies', ['a: require auth_method=auth_method=pop'], [], 'weakened'],
  ['transport.access-policies', [], ['a: require auth_method=auth_method=pop'], 'strengthened'],
  ['transport.access-policies', ['a: decision allow'], ['a: decision bypass'], 'weakened'],
  ['transport.access-policies', ['a: precedence 1'], ['a: precedence 2'], 'neutral'],
  ['transport.access-policies', ['a: session 15m'], ['a: session 16m'], 'weakened'],
  ['transport.access-policies', [], ['a: setting isolation_required=false'], 'unclassified'],
  [
    'transport.ingress-services',
    ['tcp://127.0.0.1:8080', 'http_status:404'],
    ['tcp://10.0.0.7:8080', 'http_status:404'],
    'weakened',
  ],
  [
    'transport.ingress-services',
    ['tcp://127.0.0.1:8080', 'http_status:404'],
    ['tcp://127.0.0.1:9090', 'http_status:404'],
    'unclassified',
  ],
  [
    'transport.destinations',
    ['public acme.mcp.example.com'],
    ['public acme.mcp.example.com', 'public globex.mcp.example.com'],
    'weakened',
  ],
  // Kubernetes.
  ['ports.bind-address', ['mcp-server: 127.0.0.1'], ['mcp-server: 0.0.0.0'], 'weakened'],
  ['ports.bind-address', ['mcp-server: 127.0.0.1'], [], 'weakened'],
  ['ports.bind-address', ['mcp-server: 0.0.0.0'], ['mcp-server: 127.0.0.1'], 'strengthened'],
  ['ports.containers', ['cloudflared', 'mcp-server'], ['cloudflared', 'debug', 'mcp-server'], 'weakened'],
  ['ports.containers', ['audit-shipper', 'mcp-server'], ['mcp-server'], 'neutral'],
  ['ports.declared-ports', [], ['mcp-server: 8080'], 'weakened'],
  ['ports.run-as-non-root', true, null, 'weakened'],
  ['ports.read-only-root-filesystem', ['a: true', 'b: true'], ['a: true', 'b: false'], 'weakened'],
  ['ports.allow-privilege-escalation', ['a: false'], ['a: not set'], 'weakened'],
  ['ports.capabilities-drop', ['a: ALL'], ['a: NET_RAW'], 'weakened'],
  ['ports.pod-security', 'restricted', 'baseline', 'weakened'],
  ['ports.pod-security', 'restricted', null, 'weakened'],
  ['ports.pod-security', 'baseline', 'restricted', 'strengthened'],
  ['ports.default-deny', ['Egress', 'Ingress'], ['Ingress'], 'weakened'],
  ['ports.services-quota', ['pods: 4', 'services: 0'], ['pods: 4', 'services: 1'], 'weakened'],
  ['ports.services-quota', ['pods: 4', 'services: 0'], ['pods: 6', 'services: 0'], 'neutral'],
  ['ports.services-quota', ['pods: 4', 'services: 0'], ['pods: 4'], 'weakened'],
  ['ports.images', [`m: ghcr.io/acme/mcp@sha256:${'ab'.repeat(32)}`], ['m: ghcr.io/acme/mcp:1.2'], 'weakened'],
  // Vault.
  ['secrets.kubernetes-token-ttl', 900, 901, 'weakened'],
  ['secrets.kubernetes-token-ttl', 900, 900, 'neutral'],
  ['secrets.kubernetes-token-max-ttl', 3600, 3601, 'weakened'],
  ['secrets.kubernetes-token-period', null, 3600, 'weakened'],
  ['secrets.bound-namespaces', ['mcp-acme'], ['*', 'mcp-acme'], 'weakened'],
  ['secrets.key-rotation', 2592000, 2505600, 'strengthened'],
  ['secrets.key-rotation', 2592000, 2678400, 'weakened'],
  ['secrets.key-rotation', 2592000, 0, 'weakened'],
  ['secrets.key-exportable', false, true, 'weakened'],
  ['secrets.policy-grants', ['tenants/acme/kv/data/*: read'], ['tenants/acme/kv/data/*: list read'], 'weakened'],
  ['secrets.policy-grants', ['tenants/acme/kv/data/*: list read'], ['tenants/acme/kv/data/*: read'], 'strengthened'],
  [
    'secrets.policy-grants',
    ['tenants/acme/kv/data/*: read'],
    ['tenants/acme/kv/data/*: read', 'tenants/acme/kv/metadata/*: read'],
    'weakened',
  ],
  ['secrets.policy-grants', ['tenants/acme/kv/data/*: read'], ['tenants/acme/kv/data/*: deny'], 'strengthened'],
  ['secrets.mount', 'tenants/acme/kv (kv v2)', 'tenants/acme/kv (kv v1)', 'weakened'],
  ['secrets.mount', 'tenants/acme/kv (kv v2)', 'tenants/acme/kv2 (kv v2)', 'neutral'],
  ['secrets.auth-backend-tune', ['max_lease_ttl: 3600s'], ['max_lease_ttl: 3601s'], 'weakened'],
  ['secrets.auth-backend-tune', ['max_lease_ttl: 3600s'], [], 'weakened'],
  ['secrets.auth-backend-tune', ['audit_non_hmac_request_keys: a'], ['audit_non_hmac_request_keys: a,b'], 'weakened'],
  // Audit: retention in days, exactly at the boundary.
  ['audit.lock-retention', 365, 364, 'weakened'],
  ['audit.lock-retention', 365, 365, 'neutral'],
  ['audit.lock-retention', 365, 366, 'strengthened'],
  ['audit.lock-retention', 365, 'Indefinite', 'strengthened'],
  ['audit.lock-retention', 365, null, 'weakened'],
  ['audit.object-lock-retention', 365, 364, 'weakened'],
  ['audit.object-lock-retention', 365, 366, 'strengthened'],
  ['audit.object-lock-mode', 'COMPLIANCE', 'GOVERNANCE', 'weakened'],
  ['audit.object-lock-mode', 'GOVERNANCE', 'COMPLIANCE', 'strengthened'],
  ['audit.versioning', 'Enabled', 'Suspended', 'weakened'],
  ['audit.prevent-destroy', true, null, 'weakened'],
  ['audit.rotation', 720, 744, 'weakened'],
  ['audit.rotation', 720, 696, 'strengthened'],
  [
    'audit.writer-token-expiry',
    T('timeadd(time_rotating.r.rotation_rfc3339, "360h")'),
    T('timeadd(time_rotating.r.rotation_rfc3339, "361h")'),
    'weakened',
  ],
  ['audit.writer-token-expiry', T('timeadd(time_rotating.r.rotation_rfc3339, "360h")'), null, 'weakened'],
  ['audit.writer-token-rotation', [T('time_rotating.r')], [], 'weakened'],
  ['audit.writer-token', ['allow G on bucket.a=*'], ['allow G on account.a=*', 'allow G on bucket.a=*'], 'weakened'],
  ['audit.writer-token', ['allow G on account.a=*'], ['allow G on bucket.a=*'], 'weakened'],
  ['audit.writer-token', ['allow G on bucket.a=*', 'allow H on bucket.a=*'], ['allow G on bucket.a=*'], 'strengthened'],
  ['audit.bucket-policy', ['Deny "*" s3:DeleteObject on b/*'], [], 'weakened'],
  ['audit.bucket-policy', [], ['Allow {"AWS":"*"} s3:GetObject on b/*'], 'weakened'],
  ['audit.shipper', ['audit-shipper (cr.fluentbit.io/fluent/fluent-bit)'], [], 'weakened'],
  ['audit.logpush-fields', ['Allowed', 'Email'], ['Allowed'], 'weakened'],
  ['audit.logpush-enabled', true, false, 'weakened'],
];

describe('each setting has one comparator, judged at its boundaries', () => {
  test('setting ids are unique and name their layer; every table has settings of all five layers', () => {
    expect(SETTINGS.length).toBeGreaterThan(80);
    expect(new Set(SETTINGS.map((s) => s.id)).size).toBe(SETTINGS.length);
    for (const s of SETTINGS) {
      expect(s.id.startsWith(`${s.layer}.`)).toBe(true);
      expect(s.attributes.length).toBeGreaterThan(0);
    }
    expect(new Set(SETTINGS.filter((s) => s.table).map((s) => s.layer))).toEqual(
      new Set(['identity', 'transport', 'ports', 'secrets', 'audit']),
    );
  });

  test('the case table names settings that exist and covers every layer', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    const layers = new Set(CASES.map(([id]) => extractor(id).layer));
    expect(layers).toEqual(new Set(['identity', 'transport', 'ports', 'secrets', 'audit']));
  });

  test.each(CASES.map((c) => [`${c[0]}: ${JSON.stringify(c[1])} -> ${JSON.stringify(c[2])}`, ...c] as const))(
    '%s',
    (_name, id, before, after, expected) => {
      expect(extractor(id).compare(before, after, { tenant: 'acme' })).toBe(expected);
    },
  );

  test('a tenant claim is judged against its own tenant; a shared claim is for a person', () => {
    const claim = extractor('identity.tenant-claim');
    const acme = 'tid = "acme" (RESOURCE, EXPRESSION, always)';
    const other = 'tid = "acme2" (RESOURCE, EXPRESSION, always)';
    expect(claim.compare(acme, other, { tenant: 'acme' })).toBe('weakened');
    expect(claim.compare(acme, other, { tenant: null })).toBe('unclassified');
  });
});

/**
 * Attributes that name a resource or point at its parent: a change of one moves the resource to
 * another place or another owner, which no comparator can weigh, so it is unclassified (a person
 * decides). Every other attribute the library writes must be covered by a setting or be neutral.
 */
const IDENTIFYING = [
  'name',
  'account_id',
  'auth_server_id',
  'policy_id',
  'bucket',
  'metadata.name',
  'metadata.namespace',
];

describe('every attribute the library writes is judged by a setting', () => {
  const apps: Record<string, JsonObject> = {};
  beforeAll(() => {
    apps.r2 = fixtureJson({ tenants: ['acme', 'globex'] });
    apps['s3 with human login'] = fixtureJson({
      tenants: ['acme'],
      s3: true,
      props: {
        vault: {
          humanLogin: { issuer: 'https://example.okta.com/oauth2/vault', audience: 'https://vault.example.com' },
        },
      },
    });
  });

  test.each(['r2', 's3 with human login'])('%s', (name) => {
    const stack = stackOf(apps[name]);
    const resources = stack.all().filter((e) => e.mode === 'resource');
    expect(resources.length).toBeGreaterThan(60);
    const uncovered: string[] = [];
    for (const entry of resources) {
      const settings = (SETTINGS_BY_TYPE.get(entry.type) ?? []).filter(
        (s) => s.compared !== false && (!s.applies || s.applies(stack, entry)),
      );
      const paths = changedPaths({}, entry.body);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        if (isNeutralPath(path) || settings.some((s) => s.attributes.some((a) => under(path, a)))) continue;
        if (IDENTIFYING.includes(path)) continue;
        // The Logpush ownership challenge file's place is where Logpush proves it can write.
        if (entry.type === 'cloudflare_logpush_ownership_challenge' && path === 'destination_conf') continue;
        uncovered.push(`${entry.type}.${path}`);
      }
    }
    expect([...new Set(uncovered)]).toEqual([]);
  });

  test('the admin sign-on rule is judged by the hardware-key settings, the everyday rule by its factor mode', () => {
    const stack = stackOf(apps.r2);
    const rules = stack.ofType('okta_app_signon_policy_rule');
    expect(rules).toHaveLength(2);
    const ids = (path: string) => {
      const rule = rules.find((r) => r.path?.endsWith(path));
      if (!rule) throw new Error(`no rule ${path}`);
      return (SETTINGS_BY_TYPE.get(rule.type) ?? [])
        .filter((s) => !s.applies || s.applies(stack, rule))
        .map((s) => s.id)
        .filter((id) => /hardware|re-auth|factor/.test(id));
    };
    expect(ids('OktaClients/AdminSignonRule')).toEqual([
      'identity.hardware-key',
      'identity.re-authentication',
      'identity.admin-factor-mode',
    ]);
    expect(ids('OktaClients/McpSignonRule')).toEqual(['identity.everyday-factor-mode']);
  });
});

describe('docs/review.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/review.md'), 'utf8');

  test('names every setting the review judges, by its label', () => {
    expect(SETTINGS.length).toBeGreaterThan(80);
    expect(SETTINGS.filter((s) => !doc.includes(s.label)).map((s) => s.label)).toEqual([]);
  });

  test('documents every exit code', () => {
    for (const row of [
      /\| 0 +\| clean:/,
      /\| 1 +\| \*\*blocking\*\*:/,
      /\| 2 +\| usage error/,
      /\| 3 +\| \*\*needs a security reviewer\*\*:/,
    ]) {
      expect(doc).toMatch(row);
    }
  });
});
