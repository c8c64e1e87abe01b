import { McpAccessChecks } from '../../lib/checks/pack';
import { ALL_RULES } from '../../lib/checks/rules';
import type { JsonObject } from '../../lib/model/stack';
import { TerraformLocal, type TerraformStack, TerraformVariable, Testing } from '../../lib/core/cdktf';
import type { ValidationError } from '../../lib/core/validation';
import { CloudflareAccessTunnel } from '../../lib/transport/cloudflare-access-tunnel';
import { clone, newStack, rawJson, resourcesOf } from '../helpers';
import {
  ACCOUNT_ID,
  addMcpDeployment,
  DOMAIN,
  oktaIdentityProvider,
  only,
  transportStack,
  tunnelProps,
  ZONE_ID,
} from './transport-stack';

const TUNNEL = 'cloudflare_zero_trust_tunnel_cloudflared';
const CONFIG = 'cloudflare_zero_trust_tunnel_cloudflared_config';
const DNS = 'cloudflare_dns_record';
const APP = 'cloudflare_zero_trust_access_application';
const TOKEN = 'cloudflare_zero_trust_tunnel_cloudflared_token';

/** The rules that judge a transport stack: its own layer's, and the tenancy rules that span layers. */
const TRANSPORT_AND_TENANCY = () => ALL_RULES.filter((r) => r.layer === 'transport' || r.layer === 'tenancy');

/** The JSON of `type` resources, without cdktf's metadata comment. */
function bodies(json: JsonObject, type: string, from: 'resource' | 'data' = 'resource'): Record<string, JsonObject> {
  const block =
    from === 'resource' ? resourcesOf(json, type) : (((json.data ?? {}) as Record<string, never>)[type] ?? {});
  return Object.fromEntries(
    Object.entries(block as Record<string, JsonObject>).map(([name, body]) => {
      const rest = { ...body };
      delete rest['//'];
      return [name, rest];
    }),
  );
}

let probes = 0;
/** What a value synthesizes to in `stack` (through a local, so the stack's other elements stay as they are). */
function resolved(stack: TerraformStack, value: unknown): unknown {
  const name = `probe${++probes}`;
  new TerraformLocal(stack, name, value);
  return (rawJson(stack).locals as JsonObject)[name];
}

/** Builds a tunnel with props changed, returning the problems it was refused with. */
function problemsOf(change: (props: ReturnType<typeof tunnelProps>) => object): readonly string[] {
  const stack = newStack();
  const idp = oktaIdentityProvider(stack);
  try {
    new CloudflareAccessTunnel(stack, 'acme', change(tunnelProps('acme', idp)) as ReturnType<typeof tunnelProps>);
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

describe('CloudflareAccessTunnel for one tenant', () => {
  let built: ReturnType<typeof transportStack>;
  let json: JsonObject;
  let tunnelRef: string;
  beforeAll(() => {
    built = transportStack(['acme']);
    json = rawJson(built.stack);
    tunnelRef = `\${${TUNNEL}.${Object.keys(resourcesOf(json, TUNNEL))[0]}.id}`;
  });
  const idpRef = () =>
    `\${cloudflare_zero_trust_access_identity_provider.${Object.keys(resourcesOf(json, 'cloudflare_zero_trust_access_identity_provider'))[0]}.id}`;

  test('provisions a remotely managed tunnel named after the tenant, with no tunnel secret', () => {
    expect(only(json, TUNNEL)).toMatchObject({ account_id: ACCOUNT_ID, name: 'mcp-acme', config_src: 'cloudflare' });
    expect(only(json, TUNNEL)).not.toHaveProperty('tunnel_secret');
  });

  test('routes the hostname to tcp://127.0.0.1:<originPort> and everything else to http_status:404', () => {
    const config = only(json, CONFIG);
    expect(config.tunnel_id).toBe(tunnelRef);
    expect(config.source).toBe('cloudflare');
    expect(config.config).toEqual({
      ingress: [{ hostname: 'acme.mcp.example.com', service: 'tcp://127.0.0.1:8080' }, { service: 'http_status:404' }],
    });
  });

  test('publishes the hostname as a proxied CNAME to the tunnel', () => {
    expect(only(json, DNS)).toMatchObject({
      zone_id: ZONE_ID,
      name: 'acme.mcp.example.com',
      type: 'CNAME',
      content: `${tunnelRef}.cfargotunnel.com`,
      proxied: true,
      ttl: 1,
    });
  });

  test('puts a self-hosted Access application in front of the hostname, Okta only, 15 minute sessions', () => {
    const app = only(json, APP);
    expect(app).toMatchObject({
      account_id: ACCOUNT_ID,
      name: 'mcp-acme',
      type: 'self_hosted',
      destinations: [{ type: 'public', uri: 'acme.mcp.example.com' }],
      session_duration: '15m',
      allowed_idps: [idpRef()],
      auto_redirect_to_identity: true,
      allow_authenticate_via_warp: false,
      app_launcher_visible: false,
      enable_binding_cookie: false,
    });
    expect(app).not.toHaveProperty('self_hosted_domains');
  });

  test("allows the users group, and the admins group only after a WebAuthn sign-in (Okta's amr 'pop'); decision allow only", () => {
    const oktaGroup = (name: string) => ({ okta: { identity_provider_id: idpRef(), name } });
    expect(only(json, APP).policies).toEqual([
      { name: 'mcp-acme-users', decision: 'allow', precedence: 1, include: [oktaGroup('mcp-acme-users')] },
      {
        name: 'mcp-acme-admins',
        decision: 'allow',
        precedence: 2,
        include: [oktaGroup('mcp-acme-admins')],
        require: [{ auth_method: { auth_method: 'pop' } }],
      },
    ]);
  });

  test('reads the tunnel token with the token data source and exposes it only as a reference', () => {
    const tokens = bodies(json, TOKEN, 'data');
    const [name] = Object.keys(tokens);
    expect(tokens[name]).toEqual({ account_id: ACCOUNT_ID, tunnel_id: tunnelRef });
    const other = transportStack(['acme']);
    const [tunnel] = other.tunnels;
    expect(resolved(other.stack, tunnel.tunnelToken)).toBe(`\${data.${TOKEN}.${name}.token}`);
    expect(resolved(other.stack, tunnel.tunnelId)).toBe(tunnelRef);
    expect(resolved(other.stack, tunnel.applicationId)).toBe(`\${${APP}.${Object.keys(resourcesOf(json, APP))[0]}.id}`);
  });

  test('exposes the hostname, the exact connect command and the local MCP URL', () => {
    const tunnel = built.tunnels[0];
    expect(tunnel.tenantId).toBe('acme');
    expect(tunnel.hostname).toBe('acme.mcp.example.com');
    expect(tunnel.localPort).toBe(7700);
    expect(tunnel.sessionDurationMinutes).toBe(15);
    expect(tunnel.connectCommand).toBe('cloudflared access tcp --hostname acme.mcp.example.com --url 127.0.0.1:7700');
    expect(tunnel.localMcpUrl).toBe('http://127.0.0.1:7700/mcp');
  });

  test("records its scope as the tenant's cell", () => {
    const meta = (json['//'] as JsonObject).mcp_access as { tenants: Record<string, string[]> };
    expect(meta.tenants).toEqual({ acme: ['test/acme'] });
  });

  // MCP-NET-1 compares the origin port with the tenant's MCP deployment, which the ports layer adds
  // (here a minimal one, so only the transport and tenancy rules judge the stack).
  test('passes the transport and tenancy rules beside its MCP deployment without a finding', () => {
    const withWorkload = clone(json);
    addMcpDeployment(withWorkload, 'acme', '8080');
    const report = McpAccessChecks.check(withWorkload, 'test', TRANSPORT_AND_TENANCY());
    expect(report.findings).toEqual([]);
    expect(report.applied).toEqual(expect.arrayContaining(['MCP-NET-1', 'MCP-NET-2', 'MCP-NET-3', 'MCP-NET-4']));
  });

  test('without the MCP deployment, MCP-NET-1 cannot show the origin port is the MCP port', () => {
    const report = McpAccessChecks.check(json, 'test', TRANSPORT_AND_TENANCY());
    expect(report.findings.map((f) => `${f.ruleId} ${f.level} ${f.undecided}`)).toEqual(['MCP-NET-1 error true']);
  });

  test('snapshot of one tenant', () => {
    expect(Testing.synth(built.stack)).toMatchSnapshot();
  });
});

describe('CloudflareAccessTunnel for three tenants', () => {
  const tenants = ['acme', 'globex', 'initech'];
  let json: JsonObject;
  beforeAll(() => {
    json = rawJson(transportStack(tenants).stack);
  });

  test('provisions one tunnel, config, DNS record, Access application and token per tenant, one shared IdP', () => {
    for (const type of [TUNNEL, CONFIG, DNS, APP]) expect(Object.keys(resourcesOf(json, type))).toHaveLength(3);
    expect(Object.keys(bodies(json, TOKEN, 'data'))).toHaveLength(3);
    expect(Object.keys(resourcesOf(json, 'cloudflare_zero_trust_access_identity_provider'))).toHaveLength(1);
  });

  test('gives each tenant its own hostname, origin rule and groups, all behind the shared IdP', () => {
    const apps = Object.values(bodies(json, APP));
    expect(apps.map((a) => (a.destinations as JsonObject[])[0].uri)).toEqual(tenants.map((t) => `${t}.${DOMAIN}`));
    const idps = new Set(apps.map((a) => (a.allowed_idps as string[]).join()));
    expect(idps.size).toBe(1);
    apps.forEach((app, i) => {
      const groups = (app.policies as { include: { okta: { name: string } }[] }[]).map((p) => p.include[0].okta.name);
      expect(groups).toEqual([`mcp-${tenants[i]}-users`, `mcp-${tenants[i]}-admins`]);
    });
    const ingress = Object.values(bodies(json, CONFIG)).map((c) => (c.config as { ingress: JsonObject[] }).ingress);
    expect(ingress.map((rules) => rules[0].hostname)).toEqual(tenants.map((t) => `${t}.${DOMAIN}`));
    for (const rules of ingress)
      expect(rules.map((r) => r.service)).toEqual(['tcp://127.0.0.1:8080', 'http_status:404']);
  });

  test('keeps tenants apart and passes the transport and tenancy rules beside their MCP deployments', () => {
    const withWorkloads = clone(json);
    for (const t of tenants) addMcpDeployment(withWorkloads, t, '8080');
    const report = McpAccessChecks.check(withWorkloads, 'test', TRANSPORT_AND_TENANCY());
    expect(report.findings).toEqual([]);
    expect(report.applied).toContain('MCP-TEN-1');
  });

  test("adding or removing a tenant leaves another tenant's resources unchanged", () => {
    const alone = rawJson(transportStack(['globex']).stack);
    for (const type of [TUNNEL, CONFIG, DNS, APP]) {
      const globex = (j: JsonObject) => Object.entries(bodies(j, type)).filter(([name]) => name.startsWith('globex_'));
      expect(globex(json)).toEqual(globex(alone));
    }
  });
});

describe('CloudflareAccessTunnel props', () => {
  test('localPort changes the connect command and the local MCP URL', () => {
    const { tunnels } = transportStack(['acme'], { localPort: 7800 });
    expect(tunnels[0].connectCommand).toBe(
      'cloudflared access tcp --hostname acme.mcp.example.com --url 127.0.0.1:7800',
    );
    expect(tunnels[0].localMcpUrl).toBe('http://127.0.0.1:7800/mcp');
  });

  test('sessionDurationMinutes shortens the Access session', () => {
    const { stack, tunnels } = transportStack(['acme'], { sessionDurationMinutes: 10 });
    expect(only(rawJson(stack), APP).session_duration).toBe('10m');
    expect(tunnels[0].sessionDurationMinutes).toBe(10);
  });

  test('enableBindingCookie turns the binding cookie on', () => {
    const { stack } = transportStack(['acme'], { enableBindingCookie: true });
    expect(only(rawJson(stack), APP).enable_binding_cookie).toBe(true);
  });

  test('accepts Terraform tokens for every value but the tenant id', () => {
    const stack = newStack();
    const idp = oktaIdentityProvider(stack);
    const variable = (name: string, type: string) => new TerraformVariable(stack, name, { type });
    const tunnel = new CloudflareAccessTunnel(
      stack,
      'acme',
      tunnelProps('acme', idp, {
        domain: variable('domain', 'string').stringValue,
        accountId: variable('account_id', 'string').stringValue,
        zoneId: variable('zone_id', 'string').stringValue,
        originPort: variable('origin_port', 'number').numberValue,
        localPort: variable('local_port', 'number').numberValue,
        sessionDurationMinutes: variable('session_minutes', 'number').numberValue,
      }),
    );
    const json = rawJson(stack);
    expect((only(json, CONFIG).config as { ingress: JsonObject[] }).ingress).toEqual([
      { hostname: 'acme.${var.domain}', service: 'tcp://127.0.0.1:${var.origin_port}' },
      { service: 'http_status:404' },
    ]);
    expect(only(json, APP).session_duration).toBe('${var.session_minutes}m');
    expect(only(json, TUNNEL).account_id).toBe('${var.account_id}');
    expect(only(json, DNS).zone_id).toBe('${var.zone_id}');
    expect(resolved(stack, tunnel.connectCommand)).toBe(
      'cloudflared access tcp --hostname acme.${var.domain} --url 127.0.0.1:${var.local_port}',
    );
    expect(resolved(stack, tunnel.localMcpUrl)).toBe('http://127.0.0.1:${var.local_port}/mcp');
  });
});

describe('CloudflareAccessTunnel validation', () => {
  test('fails when tenantId is not a tenant id', () => {
    expect(problemsOf((p) => ({ ...p, tenantId: 'Acme' }))).toEqual([
      "tenantId must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'Acme' was provided",
    ]);
  });

  test('fails when tenantId is a token', () => {
    const stack = newStack();
    const idp = oktaIdentityProvider(stack);
    const tenantId = new TerraformVariable(stack, 'tenant', { type: 'string' }).stringValue;
    expect(() => new CloudflareAccessTunnel(stack, 'acme', tunnelProps('acme', idp, { tenantId }))).toThrow(
      'tenantId must be a literal string (it names construct ids), but a token was provided',
    );
  });

  test('fails when domain is not a plain DNS name', () => {
    expect(problemsOf((p) => ({ ...p, domain: 'https://mcp.example.com' }))).toEqual([
      "domain must be a plain lower-case DNS name (no wildcard, scheme, port or path), but 'https://mcp.example.com' was provided",
    ]);
  });

  test('fails when accountId or zoneId is not 32 hex characters', () => {
    expect(problemsOf((p) => ({ ...p, accountId: 'abc', zoneId: 'ZONE' }))).toEqual([
      "accountId must be 32 lower-case hex characters, but 'abc' was provided",
      "zoneId must be 32 lower-case hex characters, but 'ZONE' was provided",
    ]);
  });

  test('fails when required values are missing', () => {
    expect(
      problemsOf((p) => ({
        ...p,
        domain: '',
        accountId: undefined,
        zoneId: undefined,
        identityProvider: { accountId: ACCOUNT_ID, identityProviderId: '' },
        identity: {},
        originPort: undefined,
      })),
    ).toEqual([
      "domain is required, but '' was provided",
      "domain must be a plain lower-case DNS name (no wildcard, scheme, port or path), but '' was provided",
      'accountId is required, but undefined was provided',
      'zoneId is required, but undefined was provided',
      "identityProvider.identityProviderId is required, but '' was provided",
      'identity.userGroupName is required, but undefined was provided',
      'identity.adminGroupName is required, but undefined was provided',
      'originPort is required, but undefined was provided',
    ]);
  });

  test('fails when the identity provider is in another account', () => {
    const other = 'ffffffffffffffffffffffffffffffff';
    expect(problemsOf((p) => ({ ...p, identityProvider: { accountId: other, identityProviderId: 'idp-1' } }))).toEqual([
      `identityProvider.accountId must be the tunnel's account '${ACCOUNT_ID}', but '${other}' was provided`,
    ]);
  });

  test('fails when the admin group is the user group', () => {
    expect(problemsOf((p) => ({ ...p, identity: { userGroupName: 'mcp-acme', adminGroupName: 'mcp-acme' } }))).toEqual([
      "identity.adminGroupName must differ from identity.userGroupName, but 'mcp-acme' was provided for both",
    ]);
  });

  test('fails when originPort is outside 1..65535 or not whole', () => {
    expect(problemsOf((p) => ({ ...p, originPort: 0 }))).toEqual([
      'originPort must be between 1 and 65535, but 0 was provided',
    ]);
    expect(problemsOf((p) => ({ ...p, originPort: 65536 }))).toEqual([
      'originPort must be between 1 and 65535, but 65536 was provided',
    ]);
    expect(problemsOf((p) => ({ ...p, originPort: 80.5 }))).toEqual([
      'originPort must be a whole number between 1 and 65535, but 80.5 was provided',
    ]);
  });

  test('fails when localPort is a privileged or invalid port', () => {
    expect(problemsOf((p) => ({ ...p, localPort: 80 }))).toEqual([
      'localPort must be between 1024 and 65535, but 80 was provided',
    ]);
  });

  test('fails when sessionDurationMinutes is above 15 or below 1', () => {
    expect(problemsOf((p) => ({ ...p, sessionDurationMinutes: 60 }))).toEqual([
      'sessionDurationMinutes must be between 1 and 15, but 60 was provided',
    ]);
    expect(problemsOf((p) => ({ ...p, sessionDurationMinutes: 0 }))).toEqual([
      'sessionDurationMinutes must be between 1 and 15, but 0 was provided',
    ]);
  });

  test('throws one error naming every problem', () => {
    const stack = newStack();
    const idp = oktaIdentityProvider(stack);
    expect(
      () => new CloudflareAccessTunnel(stack, 'acme', tunnelProps('acme', idp, { originPort: 0, localPort: 1 })),
    ).toThrow(
      'CloudflareAccessTunnel has invalid props:\n' +
        '  - originPort must be between 1 and 65535, but 0 was provided\n' +
        '  - localPort must be between 1024 and 65535, but 1 was provided',
    );
  });
});
