/**
 * Every security default the documentation states, pinned three ways: the test states the literal,
 * checks that the code's constant equals it, and checks that the page's table (or text) shows it. A
 * synth of the pattern then shows the same literals in the Terraform JSON. A default that drifts in
 * the code, the docs or the output fails here (cdk8s-plus learned this the hard way).
 */
import { AUDIT_LOCK_RULE_ID, WRITER_EXPIRY_MARGIN_DAYS, WRITER_ROTATION_DAYS } from '../../lib/core/audit-defaults';
import {
  ACCESS_SESSION_MINUTES,
  ADMIN_REAUTH_ISO,
  ADMIN_REAUTH_MINUTES,
  AUDIT_RETENTION_DAYS,
  AUDIT_RETENTION_DAYS_MIN,
  BIND_ADDRESS,
  KEY_ROTATION_DAYS,
  KEY_ROTATION_SECONDS,
  LOCAL_PORT,
  TOKEN_TTL_MINUTES,
  TOKEN_TTL_MINUTES_MIN,
  VAULT_TOKEN_AUDIENCE,
  VAULT_TOKEN_MAX_TTL_SECONDS,
  VAULT_TOKEN_TTL_SECONDS,
} from '../../lib/core/defaults';
import {
  ACCESS_GROUPS_CLAIM_FILTER,
  loopbackRedirectUris,
  REFRESH_TOKEN_LIFETIME_MINUTES,
  REFRESH_TOKEN_LIFETIME_MINUTES_MAX,
  REFRESH_TOKEN_WINDOW_MINUTES,
} from '../../lib/core/identity-defaults';
import { DEFAULT_LOCAL_PORT_RANGE, defaultLocalPort, TENANT_CLAIM } from '../../lib/core/naming';
import {
  CLOUDFLARED_IMAGE,
  CLOUDFLARED_RESOURCES,
  MCP_REPLICAS,
  MCP_RESOURCES,
  POD_SECURITY_LEVEL,
  POD_SECURITY_VERSION,
  RUN_AS_USER,
  TMP_SIZE_LIMIT,
  VAULT_SA_TOKEN_EXPIRATION_SECONDS,
} from '../../lib/core/ports-defaults';
import {
  HUMAN_LOGIN_TENANT_CLAIM,
  KUBERNETES_AUTH_PATH,
  KV_MAX_VERSIONS,
  TRANSIT_KEY_NAME,
  TRANSIT_KEY_TYPE,
  VAULT_AUDIT_FILE_MODE,
  VAULT_AUDIT_FILE_PATH,
  VAULT_AUDIT_PATH,
} from '../../lib/core/secrets-defaults';
import { ACCESS_BINDING_COOKIE, ADMIN_ACCESS_AUTH_METHOD } from '../../lib/core/transport-defaults';
import type { JsonObject } from '../../lib/model/json';
import { DEFAULT_VAULT_ADDRESS, SecureMcpAccess } from '../../lib/patterns/secure-mcp-access';
import { baseProps, bodiesOf, newStack, rawJson } from '../helpers';
import { column, readPage } from './markdown';

const readme = readPage('README.md');
const identity = readPage('docs/identity.md');
const transport = readPage('docs/transport.md');
const ports = readPage('docs/ports.md');
const mcpServer = readPage('docs/mcp-server.md');
const secrets = readPage('docs/secrets.md');
const audit = readPage('docs/audit.md');

/** The cells of column `header` in the rows whose first cell is `` `prop` ``: at least one, each showing `shown`. */
function expectDefault(page: string, prop: string, shown: string, header = 'default'): void {
  const found = column(page, `\`${prop}\``, header);
  expect(found.length).toBeGreaterThan(0);
  for (const cell of found) expect(cell).toContain(shown);
}

describe('documented defaults, as literals', () => {
  test('identity: 15-minute tokens, PT15M re-authentication, 480/60-minute refresh tokens, loopback redirects', () => {
    expect(TOKEN_TTL_MINUTES).toBe(15);
    expect(TOKEN_TTL_MINUTES_MIN).toBe(5);
    expectDefault(identity, 'tokenTtlMinutes', '`15`');
    expect(column(identity, '`tokenTtlMinutes`', 'allowed')).toEqual(['5 to 15']);
    expectDefault(readme, 'tokenTtlMinutes', '`15`');

    expect(ADMIN_REAUTH_MINUTES).toBe(15);
    expect(ADMIN_REAUTH_ISO).toBe('PT15M');
    expectDefault(identity, 'adminReauthMinutes', '`15`');
    expect(identity).toContain('`re_authentication_frequency = PT15M`');

    expect(REFRESH_TOKEN_LIFETIME_MINUTES).toBe(480);
    expect(REFRESH_TOKEN_LIFETIME_MINUTES_MAX).toBe(1440);
    expect(REFRESH_TOKEN_WINDOW_MINUTES).toBe(60);
    expectDefault(identity, 'refreshTokenLifetimeMinutes', '`480`');
    expectDefault(identity, 'refreshTokenWindowMinutes', '`60`');

    const uris = [
      'http://127.0.0.1:7701/callback',
      'http://127.0.0.1:7701/oauth/callback',
      'http://localhost:7701/callback',
      'http://localhost:7701/oauth/callback',
    ];
    expect(loopbackRedirectUris()).toEqual(uris);
    for (const uri of uris) expectDefault(identity, 'loopbackRedirectUris', `\`${uri}\``);

    expect(ACCESS_GROUPS_CLAIM_FILTER).toBe('mcp-.*');
    expectDefault(identity, 'accessGroupsClaimFilter', '`mcp-.*`');
    expect(TENANT_CLAIM).toBe('tid');
  });

  test('transport: 15m sessions, local port 7700 (pattern: a hash in 10000-29999), no binding cookie, admins need pop', () => {
    expect(ACCESS_SESSION_MINUTES).toBe(15);
    expectDefault(transport, 'sessionDurationMinutes', '`15`');
    expect(transport).toContain('`session_duration = "15m"`');

    expect(LOCAL_PORT).toBe(7700);
    expectDefault(transport, 'localPort', '`7700`');
    expectDefault(ports, 'localPort', '`7700`');
    expect(DEFAULT_LOCAL_PORT_RANGE).toEqual({ min: 10000, max: 29999 });
    expect(defaultLocalPort('acme')).toBe(27615);
    expect(transport).toContain('10000-29999 (`acme` gets 27615)');
    expect(readme).toContain('`http://127.0.0.1:27615/mcp`: the local port is a hash of the tenant id in 10000-29999');

    expect(ACCESS_BINDING_COOKIE).toBe(false);
    expectDefault(transport, 'enableBindingCookie', '`false`');

    expect(ADMIN_ACCESS_AUTH_METHOD).toBe('pop');
    expect(transport).toContain('require `auth_method = "pop"`');
  });

  test('ports: 127.0.0.1 only, 2 replicas, restricted v1.33, UID 65532, pinned cloudflared, requests and limits', () => {
    expect(BIND_ADDRESS).toBe('127.0.0.1');
    expect(column(mcpServer, '`MCP_BIND_ADDRESS`', 'value')).toEqual(['`127.0.0.1`']);
    expect(column(mcpServer, '`MCP_TENANT_CLAIM`', 'value')).toEqual(['`tid`']);

    expect(MCP_REPLICAS).toBe(2);
    expectDefault(ports, 'replicas', '`2`');

    expect(POD_SECURITY_LEVEL).toBe('restricted');
    expect(POD_SECURITY_VERSION).toBe('v1.33');
    expect(ports).toContain('Pod Security `enforce`, `audit` and `warn` = `restricted`, each pinned to `v1.33`');

    expect(RUN_AS_USER).toBe(65532);
    expect(ports).toContain('`run_as_user = 65532`');

    expect(MCP_RESOURCES).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(CLOUDFLARED_RESOURCES).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    expectDefault(
      ports,
      'resources',
      'mcp: `100m` / `128Mi`, limit `256Mi`; cloudflared: `50m` / `64Mi`, limit `128Mi`',
    );

    expect(CLOUDFLARED_IMAGE).toBe(
      'cloudflare/cloudflared:2026.9.3@sha256:072c067d25ccbe61d46e18f0d0723255f2bb5304f7317caa95b27031520ff92c',
    );
    expectDefault(ports, 'cloudflaredImage', '`cloudflare/cloudflared:2026.9.3@sha256:072c067d…f92c`');

    expect(TMP_SIZE_LIMIT).toBe('64Mi');
    expect(ports).toContain('a `/tmp` emptyDir of\n`64Mi`');
    expect(VAULT_SA_TOKEN_EXPIRATION_SECONDS).toBe(600);
    expect(column(mcpServer, '`VAULT_TOKEN_PATH`', 'for')).toEqual([
      'projected service-account token, audience `vault`, 600 s',
    ]);
  });

  test('secrets: 900 s / 3600 s Vault tokens, keys rotated every 30 days (2592000 s), 10 KV versions', () => {
    expect(VAULT_TOKEN_TTL_SECONDS).toBe(900);
    expect(VAULT_TOKEN_MAX_TTL_SECONDS).toBe(3600);
    expectDefault(secrets, 'tokenTtlSeconds', '`900`');
    expectDefault(secrets, 'tokenMaxTtlSeconds', '`3600`');
    expect(secrets).toContain('`token_ttl = 900`, `token_max_ttl = 3600`, no `token_period`');

    expect(KEY_ROTATION_DAYS).toBe(30);
    expect(KEY_ROTATION_SECONDS).toBe(2592000);
    expectDefault(secrets, 'keyRotationDays', '`30`');
    expect(secrets).toContain('`auto_rotate_period = 2592000` (30 days)');

    expect(KV_MAX_VERSIONS).toBe(10);
    expectDefault(secrets, 'kvMaxVersions', '`10`');

    expect(VAULT_TOKEN_AUDIENCE).toBe('vault');
    expect(secrets).toContain('`audience = "vault"`');
    expect(TRANSIT_KEY_NAME).toBe('mcp');
    expect(TRANSIT_KEY_TYPE).toBe('aes256-gcm96');
    expect(secrets).toContain('`mcp`, `aes256-gcm96`');

    expect(DEFAULT_VAULT_ADDRESS).toBe('https://vault.vault.svc:8200');
    expect(secrets).toContain('(default `https://vault.vault.svc:8200`');
    expect(column(readme, '`vault`', 'default')).toEqual(['in-cluster Vault at `https://vault.vault.svc:8200`']);

    expect(VAULT_AUDIT_PATH).toBe('mcp-audit');
    expect(VAULT_AUDIT_FILE_PATH).toBe('stdout');
    expect(VAULT_AUDIT_FILE_MODE).toBe('0600');
    expect(KUBERNETES_AUTH_PATH).toBe('kubernetes');
    expect(column(secrets, '`path`', 'default')).toEqual(["`'kubernetes'`", "`'mcp-audit'`"]);
    expectDefault(secrets, 'file.filePath` / `file.mode', "`'stdout'` / `'0600'`");

    expect(HUMAN_LOGIN_TENANT_CLAIM).toBe('groups');
    expect(secrets).toContain("(`tenantClaim: 'groups'`,\n  the default)");
  });

  test('audit: records locked 365 days (31,536,000 s), never under 30; writer tokens rotate every 30 days, 15 days margin', () => {
    expect(AUDIT_RETENTION_DAYS).toBe(365);
    expect(AUDIT_RETENTION_DAYS_MIN).toBe(30);
    expectDefault(audit, 'retentionDays', '`365`');
    expect(audit).toContain('`audit.retentionDays` (default `365`, at least 30)');
    expect(column(readme, '`audit`', 'default')).toEqual(['records locked `365` days, no webhook']);
    expect(AUDIT_LOCK_RULE_ID).toBe('audit-retention');
    expect(audit).toContain(
      'one rule `audit-retention`, enabled, prefix `""` (whole bucket), `Age` 365 days (31,536,000 s)',
    );

    expect(WRITER_ROTATION_DAYS).toBe(30);
    expect(WRITER_EXPIRY_MARGIN_DAYS).toBe(15);
    expectDefault(audit, 'writerRotationDays', '`30`');
    expectDefault(audit, 'writerExpiryMarginDays', '`15`');
  });
});

describe('the documented defaults are what the pattern synthesizes', () => {
  const stack = newStack();
  new SecureMcpAccess(stack, 'Mcp', baseProps(['acme']));
  const json = rawJson(stack);
  const one = (type: string, where: (b: JsonObject) => boolean = () => true): JsonObject => {
    const found = bodiesOf(json, type).filter(where);
    expect(found).toHaveLength(1);
    return found[0];
  };

  test('identity', () => {
    const users = one('okta_auth_server_policy_rule', (b) => b.name === 'users');
    expect(users).toMatchObject({
      access_token_lifetime_minutes: 15,
      refresh_token_lifetime_minutes: 480,
      refresh_token_window_minutes: 60,
    });
    const admin = one('okta_app_signon_policy_rule', (b) => b.name === 'hardware key required');
    expect(admin.re_authentication_frequency).toBe('PT15M');
  });

  test('transport', () => {
    const application = one('cloudflare_zero_trust_access_application');
    expect(application).toMatchObject({ session_duration: '15m', enable_binding_cookie: false });
    expect(JSON.stringify(application.policies)).toContain('{"auth_method":{"auth_method":"pop"}}');
    const outputs = json.output as Record<string, { value: string }>;
    expect(outputs.acme_local_mcp_url.value).toBe('http://127.0.0.1:27615/mcp');
  });

  test('ports', () => {
    const deployment = one('kubernetes_deployment_v1');
    const text = JSON.stringify(deployment);
    expect(text).toContain('{"name":"MCP_BIND_ADDRESS","value":"127.0.0.1"}');
    expect(text).toContain('"replicas":"2"');
    expect(text).toContain('"run_as_user":"65532"');
    expect(text).toContain('"expiration_seconds":600');
  });

  test('secrets', () => {
    expect(one('vault_kubernetes_auth_backend_role')).toMatchObject({ token_ttl: 900, token_max_ttl: 3600 });
    expect(one('vault_transit_secret_backend_key')).toMatchObject({ auto_rotate_period: 2592000, name: 'mcp' });
    expect(one('vault_kv_secret_backend_v2').max_versions).toBe(10);
    expect(bodiesOf(json, 'vault_jwt_auth_backend_role')).toEqual([]);
  });

  test('audit', () => {
    for (const lock of bodiesOf(json, 'cloudflare_r2_bucket_lock')) {
      expect(lock.rules).toEqual([
        { id: 'audit-retention', enabled: true, prefix: '', condition: { type: 'Age', max_age_seconds: 31536000 } },
      ]);
    }
    for (const rotation of bodiesOf(json, 'time_rotating')) expect(rotation.rotation_days).toBe(30);
    for (const token of bodiesOf(json, 'cloudflare_account_token'))
      expect(String(token.expires_on)).toContain('"360h"');
  });
});
