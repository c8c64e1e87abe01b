import { parse } from '@cdktf/hcl2json';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { runChecks } from '../../lib/checks/engine';
import { SECRETS_RULES } from '../../lib/checks/rules/secrets';
import { SynthesizedStack, type JsonObject } from '../../lib/model/stack';
import { TerraformVariable, Testing } from '../../lib/core/cdktf';
import { TenantVaultMount, TenantVaultSecrets } from '../../lib/secrets/tenant-vault-secrets';
import { VaultKubernetesAuth } from '../../lib/secrets/vault-kubernetes-auth';
import { bodiesOf, newStack, rawJson, resourcesOf } from '../helpers';
import {
  at,
  HUMAN_LOGIN,
  KUBERNETES_HOST,
  mountProps,
  problemsOf,
  secretsStack,
  tenantBodies,
  warningsOf,
} from './fixtures';

/** The secrets rules' findings on raw JSON. */
function findings(json: JsonObject) {
  return runChecks(new SynthesizedStack(json), SECRETS_RULES);
}

/** Every path a policy names, read by HashiCorp's HCL parser. */
async function policyPaths(policy: JsonObject): Promise<string[]> {
  const doc = (await parse('policy.hcl', policy.policy as string)) as { path?: Record<string, unknown> };
  return Object.keys(doc.path ?? {});
}

/** Capabilities per path of a policy, read by HashiCorp's HCL parser. */
async function policyGrants(policy: JsonObject): Promise<Record<string, string[]>> {
  const doc = (await parse('policy.hcl', policy.policy as string)) as {
    path: Record<string, { capabilities: string[] }[]>;
  };
  return Object.fromEntries(Object.entries(doc.path).map(([p, bodies]) => [p, bodies.flatMap((b) => b.capabilities)]));
}

describe('TenantVaultSecrets, one tenant, defaults', () => {
  let json: JsonObject;
  let mount: TenantVaultSecrets;
  beforeAll(() => {
    const built = secretsStack(['acme']);
    json = built.json;
    mount = built.mounts[0];
  });

  test('a KV v2 mount at tenants/<t>/kv with bounded versions and check-and-set required', () => {
    const kv = at(json, 'vault_mount', 'acme/KvMount');
    expect(kv).toMatchObject({ path: 'tenants/acme/kv', type: 'kv', options: { version: '2' } });
    expect(at(json, 'vault_kv_secret_backend_v2', 'acme/KvConfig')).toMatchObject({
      mount: expect.stringMatching(/^\$\{vault_mount\.acme_KvMount_[0-9A-F]{8}\.path\}$/),
      max_versions: 10,
      cas_required: true,
    });
  });

  test('a transit mount at tenants/<t>/transit', () => {
    expect(at(json, 'vault_mount', 'acme/TransitMount')).toMatchObject({
      path: 'tenants/acme/transit',
      type: 'transit',
    });
  });

  test('both mounts and the key carry prevent_destroy', () => {
    const bodies = [...bodiesOf(json, 'vault_mount'), ...bodiesOf(json, 'vault_transit_secret_backend_key')];
    expect(bodies).toHaveLength(3);
    for (const body of bodies) expect(body.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('the transit key rotates every 30 days, is not exportable, not deletable, has no plaintext backup', () => {
    expect(at(json, 'vault_transit_secret_backend_key', 'acme/TransitKey')).toMatchObject({
      backend: expect.stringMatching(/^\$\{vault_mount\.acme_TransitMount_[0-9A-F]{8}\.path\}$/),
      name: 'mcp',
      type: 'aes256-gcm96',
      auto_rotate_period: 2592000,
      exportable: false,
      deletion_allowed: false,
      allow_plaintext_backup: false,
    });
  });

  test('the server policy reads the KV store and uses (never manages) the key', async () => {
    const policy = at(json, 'vault_policy', 'acme/ServerPolicy');
    expect(policy.name).toBe('mcp-acme-server');
    expect(await policyGrants(policy)).toEqual({
      'tenants/acme/kv/data/*': ['read'],
      'tenants/acme/kv/metadata/*': ['read'],
      'tenants/acme/transit/encrypt/mcp': ['update'],
      'tenants/acme/transit/decrypt/mcp': ['update'],
      'tenants/acme/transit/rewrap/mcp': ['update'],
    });
  });

  test('the Kubernetes role binds exactly mcp-<t>/mcp-server, audience vault, 900 s / 3600 s, no period, no default policy', () => {
    const role = at(json, 'vault_kubernetes_auth_backend_role', 'acme/KubernetesRole');
    expect(role).toEqual(
      expect.objectContaining({
        backend: expect.stringMatching(/^\$\{vault_auth_backend\.VaultKubernetesAuth_Backend_[0-9A-F]{8}\.path\}$/),
        role_name: 'mcp-acme',
        bound_service_account_names: ['mcp-server'],
        bound_service_account_namespaces: ['mcp-acme'],
        audience: 'vault',
        token_ttl: 900,
        token_max_ttl: 3600,
        token_no_default_policy: true,
        token_type: 'service',
        token_policies: [expect.stringMatching(/^\$\{vault_policy\.acme_ServerPolicy_[0-9A-F]{8}\.name\}$/)],
      }),
    );
    expect(role).not.toHaveProperty('token_period');
  });

  test('no human login by default: no JWT backend, JWT role or human policy', () => {
    expect(bodiesOf(json, 'vault_jwt_auth_backend')).toEqual([]);
    expect(bodiesOf(json, 'vault_jwt_auth_backend_role')).toEqual([]);
    expect(bodiesOf(json, 'vault_policy').map((p) => p.name)).toEqual(['mcp-acme-server']);
    expect([mount.jwtAuth, mount.jwtRole, mount.humanPolicy]).toEqual([undefined, undefined, undefined]);
  });

  test('exposes paths, key, policy and role names', () => {
    expect({
      kvPath: mount.kvPath,
      transitPath: mount.transitPath,
      keyName: mount.keyName,
      serverPolicyName: mount.serverPolicyName,
      humanPolicyName: mount.humanPolicyName,
      kubernetesRoleName: mount.kubernetesRoleName,
      jwtRoleName: mount.jwtRoleName,
      jwtAuthPath: mount.jwtAuthPath,
      tokenTtlSeconds: mount.tokenTtlSeconds,
      tokenMaxTtlSeconds: mount.tokenMaxTtlSeconds,
      keyRotationDays: mount.keyRotationDays,
    }).toEqual({
      kvPath: 'tenants/acme/kv',
      transitPath: 'tenants/acme/transit',
      keyName: 'mcp',
      serverPolicyName: 'mcp-acme-server',
      humanPolicyName: undefined,
      kubernetesRoleName: 'mcp-acme',
      jwtRoleName: undefined,
      jwtAuthPath: undefined,
      tokenTtlSeconds: 900,
      tokenMaxTtlSeconds: 3600,
      keyRotationDays: 30,
    });
  });

  test('records the tenant scope for the rules', () => {
    const meta = (json['//'] as JsonObject).mcp_access as { tenants: Record<string, string[]> };
    expect(meta.tenants).toEqual({ acme: ['test/acme'] });
  });

  test('the secrets rules find nothing in the default output', () => {
    const report = findings(json);
    expect(report.findings).toEqual([]);
    expect(report.applied).toEqual(['MCP-SEC-1', 'MCP-SEC-2', 'MCP-SEC-3', 'MCP-SEC-5', 'MCP-SEC-6', 'MCP-SEC-8']);
  });

  test('no warning annotation with the defaults', () => {
    expect(warningsOf(mount)).toEqual([]);
  });

  test("snapshot of one tenant's secrets", () => {
    const stack = newStack();
    new TenantVaultSecrets(stack, 'acme', mountProps({ kubernetesAuthPath: 'kubernetes' } as VaultKubernetesAuth));
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});

describe('TenantVaultSecrets, three tenants', () => {
  const tenants = ['acme', 'globex', 'initech'];
  let json: JsonObject;
  beforeAll(() => {
    json = secretsStack(tenants).json;
  });

  test('per tenant: two mounts, a key, a policy, a role; the Kubernetes backend once; nothing for humans', () => {
    const perTenant = [
      'vault_mount',
      'vault_transit_secret_backend_key',
      'vault_kv_secret_backend_v2',
      'vault_policy',
      'vault_kubernetes_auth_backend_role',
      'vault_jwt_auth_backend',
      'vault_jwt_auth_backend_role',
    ];
    const counts = Object.fromEntries(perTenant.map((type) => [type, bodiesOf(json, type).length]));
    expect(counts).toEqual({
      vault_mount: 6,
      vault_transit_secret_backend_key: 3,
      vault_kv_secret_backend_v2: 3,
      vault_policy: 3,
      vault_kubernetes_auth_backend_role: 3,
      vault_jwt_auth_backend: 0,
      vault_jwt_auth_backend_role: 0,
    });
    expect(bodiesOf(json, 'vault_auth_backend')).toHaveLength(1);
    expect(bodiesOf(json, 'vault_kubernetes_auth_backend_config')).toHaveLength(1);
  });

  test.each(tenants)("every policy of %s names only that tenant's paths", async (tenant) => {
    const policies = tenantBodies(json, 'vault_policy', tenant);
    expect(policies).toHaveLength(1);
    for (const policy of policies) {
      const paths = await policyPaths(policy);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(path.startsWith(`tenants/${tenant}/`)).toBe(true);
      expect(policy.policy).not.toMatch(/sudo|sys\/|\+/);
    }
  });

  test.each(tenants)('the role of %s binds only that tenant', (tenant) => {
    const roles = tenantBodies(json, 'vault_kubernetes_auth_backend_role', tenant);
    expect(roles).toHaveLength(1);
    expect(roles[0].bound_service_account_namespaces).toEqual([`mcp-${tenant}`]);
  });

  test("adding tenants leaves a tenant's addresses and bodies unchanged", () => {
    const alone = secretsStack(['acme']).json;
    for (const type of [
      'vault_mount',
      'vault_policy',
      'vault_kubernetes_auth_backend_role',
      'vault_jwt_auth_backend',
    ]) {
      const mine = (j: JsonObject) =>
        Object.fromEntries(Object.entries(resourcesOf(j, type)).filter(([name]) => name.startsWith('acme_')));
      expect(mine(json)).toEqual(mine(alone));
    }
  });

  test('the secrets rules find nothing', () => {
    expect(findings(json).findings).toEqual([]);
  });
});

describe('TenantVaultSecrets props', () => {
  test('tokenTtlSeconds and tokenMaxTtlSeconds set both roles', () => {
    const { json } = secretsStack(['acme'], {
      tokenTtlSeconds: 300,
      tokenMaxTtlSeconds: 1200,
      humanLogin: HUMAN_LOGIN,
    });
    for (const type of ['vault_kubernetes_auth_backend_role', 'vault_jwt_auth_backend_role']) {
      expect(bodiesOf(json, type)).toHaveLength(1);
      expect(bodiesOf(json, type)[0]).toMatchObject({ token_ttl: 300, token_max_ttl: 1200 });
    }
  });

  test.each([
    ['the limits: 900 s and 3600 s', 900, 3600],
    ['the shortest: 60 s and 60 s', 60, 60],
  ])('token lifetimes at %s are accepted and pass the rules', (_name, ttl, max) => {
    const { json } = secretsStack(['acme'], { tokenTtlSeconds: ttl, tokenMaxTtlSeconds: max });
    expect(bodiesOf(json, 'vault_kubernetes_auth_backend_role')[0]).toMatchObject({
      token_ttl: ttl,
      token_max_ttl: max,
    });
    expect(findings(json).findings).toEqual([]);
  });

  test.each([29, 30])('keyRotationDays %i is accepted and passes the rules', (days) => {
    const { json } = secretsStack(['acme'], { keyRotationDays: days });
    expect(bodiesOf(json, 'vault_transit_secret_backend_key')[0].auto_rotate_period).toBe(days * 86400);
    expect(findings(json).findings).toEqual([]);
  });

  test('keyRotationDays sets the rotation period in seconds', () => {
    const { json } = secretsStack(['acme'], { keyRotationDays: 7 });
    expect(bodiesOf(json, 'vault_transit_secret_backend_key')[0].auto_rotate_period).toBe(604800);
  });

  test('kvMaxVersions up to 10 sets max_versions without a warning', () => {
    const { json, mounts } = secretsStack(['acme'], { kvMaxVersions: 5 });
    expect(bodiesOf(json, 'vault_kv_secret_backend_v2')[0].max_versions).toBe(5);
    expect(warningsOf(mounts[0])).toEqual([]);
  });

  test('kvMaxVersions above 10 warns, naming default and value', () => {
    const { json, mounts } = secretsStack(['acme'], { kvMaxVersions: 50 });
    expect(bodiesOf(json, 'vault_kv_secret_backend_v2')[0].max_versions).toBe(50);
    expect(warningsOf(mounts[0])).toEqual([
      'kvMaxVersions is 50 (default 10): replaced credentials stay readable by the MCP server as old versions',
    ]);
  });

  test('mountPrefix moves the mounts, the JWT backend and every policy path under it', async () => {
    const { json, mounts } = secretsStack(['acme'], { mountPrefix: 'tenants/acme/mcp', humanLogin: HUMAN_LOGIN });
    expect(bodiesOf(json, 'vault_mount').map((m) => m.path)).toEqual([
      'tenants/acme/mcp/kv',
      'tenants/acme/mcp/transit',
    ]);
    expect(bodiesOf(json, 'vault_jwt_auth_backend')[0].path).toBe('tenants/acme/mcp/jwt');
    expect(mounts[0].kvPath).toBe('tenants/acme/mcp/kv');
    expect(bodiesOf(json, 'vault_policy')).toHaveLength(2);
    for (const policy of bodiesOf(json, 'vault_policy')) {
      const paths = await policyPaths(policy);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(path.startsWith('tenants/acme/mcp/')).toBe(true);
    }
    expect(findings(json).findings).toEqual([]);
  });

  test('the workload references flow into the Kubernetes role', () => {
    const stack = newStack();
    const ns = new NamespaceV1(stack, 'Namespace', { metadata: { name: 'mcp-acme' } });
    const sa = new ServiceAccountV1(stack, 'ServiceAccount', {
      metadata: { name: 'mcp-server', namespace: ns.metadata.name },
    });
    const auth = new VaultKubernetesAuth(stack, 'Auth', { kubernetesHost: KUBERNETES_HOST });
    new TenantVaultSecrets(
      stack,
      'acme',
      mountProps(auth, 'acme', {
        workload: { tenantId: 'acme', namespace: ns.metadata.name, serviceAccountName: sa.metadata.name },
      }),
    );
    expect(bodiesOf(rawJson(stack), 'vault_kubernetes_auth_backend_role')[0]).toMatchObject({
      bound_service_account_names: ['${kubernetes_service_account_v1.ServiceAccount.metadata[0].name}'],
      bound_service_account_namespaces: ['${kubernetes_namespace_v1.Namespace.metadata[0].name}'],
    });
  });

  test('an adopted Kubernetes auth path is used as is', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'k8s/prod' });
    new TenantVaultSecrets(stack, 'acme', mountProps(auth));
    expect(bodiesOf(rawJson(stack), 'vault_kubernetes_auth_backend_role')[0].backend).toBe('k8s/prod');
  });

  test('Terraform tokens are accepted for the numbers, and reach the resources', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
    const number = (id: string) => new TerraformVariable(stack, id, { type: 'number' }).numberValue;
    const issuer = new TerraformVariable(stack, 'issuer', { type: 'string' }).stringValue;
    const audience = new TerraformVariable(stack, 'audience', { type: 'string' }).stringValue;
    new TenantVaultSecrets(
      stack,
      'acme',
      mountProps(auth, 'acme', {
        identity: { issuer, audience },
        humanLogin: { issuer, audience: HUMAN_LOGIN.audience },
        tokenTtlSeconds: number('ttl'),
        tokenMaxTtlSeconds: number('max_ttl'),
        keyRotationDays: number('days'),
        kvMaxVersions: number('versions'),
      }),
    );
    const json = rawJson(stack);
    expect(bodiesOf(json, 'vault_kubernetes_auth_backend_role')[0]).toMatchObject({
      token_ttl: '${var.ttl}',
      token_max_ttl: '${var.max_ttl}',
    });
    expect(bodiesOf(json, 'vault_transit_secret_backend_key')[0].auto_rotate_period).toBe('${(var.days * 86400)}');
    expect(bodiesOf(json, 'vault_kv_secret_backend_v2')[0].max_versions).toBe('${var.versions}');
    expect(bodiesOf(json, 'vault_jwt_auth_backend')[0].bound_issuer).toBe('${var.issuer}');
    expect(bodiesOf(json, 'vault_jwt_auth_backend_role')[0].bound_audiences).toEqual([HUMAN_LOGIN.audience]);
  });
});

describe('TenantVaultSecrets with humanLogin', () => {
  let json: JsonObject;
  let mount: TenantVaultSecrets;
  beforeAll(() => {
    const built = secretsStack(['acme', 'globex'], { humanLogin: HUMAN_LOGIN });
    json = built.json;
    mount = built.mounts[0];
  });

  test('the human policy writes secrets (never reads them back) and may rotate the key', async () => {
    const policy = at(json, 'vault_policy', 'acme/HumanPolicy');
    expect(policy.name).toBe('mcp-acme-humans');
    expect(await policyGrants(policy)).toEqual({
      'tenants/acme/kv/data/*': ['create', 'update'],
      'tenants/acme/kv/metadata': ['list'],
      'tenants/acme/kv/metadata/*': ['read', 'list'],
      'tenants/acme/transit/keys/mcp': ['read'],
      'tenants/acme/transit/keys/mcp/rotate': ['update'],
    });
  });

  test("a JWT auth backend per tenant, under the tenant's prefix, pinned to the humans' issuer (not the MCP server's)", () => {
    expect(at(json, 'vault_jwt_auth_backend', 'acme/JwtAuth')).toMatchObject({
      path: 'tenants/acme/jwt',
      type: 'jwt',
      oidc_discovery_url: 'https://example.okta.com/oauth2/ausvault',
      bound_issuer: 'https://example.okta.com/oauth2/ausvault',
      jwt_supported_algs: ['RS256'],
      default_role: 'mcp-acme',
      tune: [expect.objectContaining({ default_lease_ttl: '900s', max_lease_ttl: '3600s' })],
    });
  });

  test("the JWT role binds Vault's own audience and groups = mcp-<t>-admins; user claim sub; 900 s / 3600 s", () => {
    const role = at(json, 'vault_jwt_auth_backend_role', 'acme/JwtRole');
    expect(role).toEqual(
      expect.objectContaining({
        backend: expect.stringMatching(/^\$\{vault_jwt_auth_backend\.acme_JwtAuth_[0-9A-F]{8}\.path\}$/),
        role_name: 'mcp-acme',
        role_type: 'jwt',
        bound_audiences: ['https://vault.example.com'],
        bound_claims: { groups: 'mcp-acme-admins' },
        bound_claims_type: 'string',
        user_claim: 'sub',
        token_ttl: 900,
        token_max_ttl: 3600,
        token_no_default_policy: true,
        token_type: 'service',
        token_policies: [expect.stringMatching(/^\$\{vault_policy\.acme_HumanPolicy_[0-9A-F]{8}\.name\}$/)],
      }),
    );
    expect(role).not.toHaveProperty('token_period');
    expect(role.bound_audiences).not.toContain('https://acme.mcp.example.com/mcp');
  });

  test.each(['acme', 'globex'])('the role of %s names that tenant only', (tenant) => {
    const roles = tenantBodies(json, 'vault_jwt_auth_backend_role', tenant);
    expect(roles).toHaveLength(1);
    expect(roles[0].bound_claims).toEqual({ groups: `mcp-${tenant}-admins` });
  });

  test("tenantClaim 'tid' binds the tenant id; boundClaims narrow further", () => {
    const built = secretsStack(['acme'], {
      humanLogin: { ...HUMAN_LOGIN, tenantClaim: 'tid', boundClaims: { amr: 'hwk' } },
    });
    expect(bodiesOf(built.json, 'vault_jwt_auth_backend_role')[0].bound_claims).toEqual({ tid: 'acme', amr: 'hwk' });
    expect(findings(built.json).findings).toEqual([]);
  });

  test('the same construct ids and addresses as before humans needed a login of their own', () => {
    for (const [type, id] of [
      ['vault_policy', 'HumanPolicy'],
      ['vault_jwt_auth_backend', 'JwtAuth'],
      ['vault_jwt_auth_backend_role', 'JwtRole'],
    ]) {
      expect(Object.keys(resourcesOf(json, type)).filter((n) => n.startsWith(`acme_${id}_`))).toHaveLength(1);
    }
  });

  test('exposes the human login names and resources', () => {
    expect([mount.humanPolicyName, mount.jwtRoleName, mount.jwtAuthPath]).toEqual([
      'mcp-acme-humans',
      'mcp-acme',
      'tenants/acme/jwt',
    ]);
    expect([mount.humanPolicy, mount.jwtAuth, mount.jwtRole].every((r) => r !== undefined)).toBe(true);
  });

  test("the secrets rules find nothing, with the tenants' MCP authorization servers in the stack", () => {
    const withServers = JSON.parse(JSON.stringify(json)) as JsonObject;
    const resource = withServers.resource as Record<string, Record<string, JsonObject>>;
    resource.okta_auth_server = Object.fromEntries(
      ['acme', 'globex'].map((t) => [t, { name: `mcp-${t}`, audiences: [`https://${t}.mcp.example.com/mcp`] }]),
    );
    const report = findings(withServers);
    expect(report.findings).toEqual([]);
    expect(report.applied).toContain('MCP-SEC-4');
  });
});

describe('TenantVaultSecrets validation', () => {
  const auth = { kubernetesAuthPath: 'kubernetes' } as VaultKubernetesAuth;
  const build = (overrides: Parameters<typeof mountProps>[2]) => () =>
    new TenantVaultSecrets(newStack(), 'acme', mountProps(auth, 'acme', overrides));

  test.each([
    [{ tokenTtlSeconds: 3600 }, 'tokenTtlSeconds must be between 60 and 900, but 3600 was provided'],
    [{ tokenTtlSeconds: 901 }, 'tokenTtlSeconds must be between 60 and 900, but 901 was provided'],
    [{ tokenMaxTtlSeconds: 3601 }, 'tokenMaxTtlSeconds must be between 60 and 3600, but 3601 was provided'],
    [{ keyRotationDays: 31 }, 'keyRotationDays must be between 1 and 30, but 31 was provided'],
    [{ tokenTtlSeconds: 30 }, 'tokenTtlSeconds must be between 60 and 900, but 30 was provided'],
    [{ tokenMaxTtlSeconds: 7200 }, 'tokenMaxTtlSeconds must be between 60 and 3600, but 7200 was provided'],
    [
      { tokenTtlSeconds: 900, tokenMaxTtlSeconds: 600 },
      'tokenMaxTtlSeconds must be between 900 and 3600, but 600 was provided',
    ],
    [{ keyRotationDays: 0 }, 'keyRotationDays must be between 1 and 30, but 0 was provided'],
    [{ keyRotationDays: 90 }, 'keyRotationDays must be between 1 and 30, but 90 was provided'],
    [{ keyRotationDays: 1.5 }, 'keyRotationDays must be a whole number between 1 and 30, but 1.5 was provided'],
    [{ kvMaxVersions: 0 }, 'kvMaxVersions must be between 1 and 100, but 0 was provided'],
    [{ kvMaxVersions: 500 }, 'kvMaxVersions must be between 1 and 100, but 500 was provided'],
    [
      { mountPrefix: 'secret/acme' },
      "mountPrefix must be 'tenants/acme' or a path under it (segments of lower-case letters, digits, '-' or '_'), but 'secret/acme' was provided",
    ],
    [
      { mountPrefix: 'tenants/acme-corp' },
      "mountPrefix must be 'tenants/acme' or a path under it (segments of lower-case letters, digits, '-' or '_'), but 'tenants/acme-corp' was provided",
    ],
    [
      { mountPrefix: 'tenants/acme/*' },
      "mountPrefix must be 'tenants/acme' or a path under it (segments of lower-case letters, digits, '-' or '_'), but 'tenants/acme/*' was provided",
    ],
    [
      { mountPrefix: 'tenants/acme/../globex' },
      "mountPrefix must be 'tenants/acme' or a path under it (segments of lower-case letters, digits, '-' or '_'), but 'tenants/acme/../globex' was provided",
    ],
    [
      { identity: { issuer: 'http://example.okta.com/oauth2/aus1', audience: 'https://acme.mcp.example.com/mcp' } },
      "identity.issuer must be an https URL, but 'http://example.okta.com/oauth2/aus1' was provided",
    ],
    [
      { identity: { issuer: 'https://example.okta.com/oauth2/aus1', audience: '' } },
      "identity.audience is required, but '' was provided",
    ],
    [
      { workload: { tenantId: 'globex', namespace: 'mcp-globex', serviceAccountName: 'mcp-server' } },
      "workload.tenantId must be the tenantId 'acme', but 'globex' was provided",
    ],
    [
      { workload: { tenantId: 'acme', namespace: '', serviceAccountName: 'mcp-server' } },
      "workload.namespace is required, but '' was provided",
    ],
    [
      { kubernetesAuth: { kubernetesAuthPath: '' } },
      "kubernetesAuth.kubernetesAuthPath is required, but '' was provided",
    ],
    [
      { humanLogin: { ...HUMAN_LOGIN, audience: 'https://acme.mcp.example.com/mcp' } },
      "humanLogin.audience must differ from identity.audience (the MCP server receives tokens of that audience, and Vault must never accept them), but 'https://acme.mcp.example.com/mcp' was provided",
    ],
    [
      { humanLogin: { ...HUMAN_LOGIN, issuer: 'https://example.okta.com/oauth2/ausacme' } },
      "humanLogin.issuer must differ from identity.issuer (that authorization server issues the MCP server's tokens), but 'https://example.okta.com/oauth2/ausacme' was provided",
    ],
    [
      { humanLogin: { ...HUMAN_LOGIN, issuer: 'http://example.okta.com/oauth2/ausvault' } },
      "humanLogin.issuer must be an https URL, but 'http://example.okta.com/oauth2/ausvault' was provided",
    ],
    [{ humanLogin: { ...HUMAN_LOGIN, audience: '' } }, "humanLogin.audience is required, but '' was provided"],
    [
      { humanLogin: { ...HUMAN_LOGIN, audience: 'https://vault.example.com,https://other.example.com' } },
      "humanLogin.audience must be one exact audience (no '*' or ','), but 'https://vault.example.com,https://other.example.com' was provided",
    ],
    [
      { humanLogin: { ...HUMAN_LOGIN, tenantClaim: 'scp' as 'tid' } },
      "humanLogin.tenantClaim must be 'groups' or 'tid', but 'scp' was provided",
    ],
    [
      { humanLogin: { ...HUMAN_LOGIN, boundClaims: { groups: 'everyone' } } },
      "humanLogin.boundClaims must not name 'groups' (humanLogin.tenantClaim binds the tenant), but 'everyone' was provided",
    ],
    [
      { humanLogin: { ...HUMAN_LOGIN, boundClaims: { tid: 'globex' } } },
      "humanLogin.boundClaims must not name 'tid' (humanLogin.tenantClaim binds the tenant), but 'globex' was provided",
    ],
    [
      { humanLogin: { ...HUMAN_LOGIN, boundClaims: { amr: 'hwk,pwd' } } },
      "humanLogin.boundClaims.amr must be one exact value (not empty, no ','), but 'hwk,pwd' was provided",
    ],
  ])('fails when %j', (overrides, message) => {
    expect(problemsOf(build(overrides))).toEqual([message]);
  });

  test('fails when the tenant id is invalid or a token', () => {
    const stack = newStack();
    const token = new TerraformVariable(stack, 'tenant', { type: 'string' }).stringValue;
    expect(problemsOf(() => new TenantVaultSecrets(stack, 'x', mountProps(auth, 'Acme!')))).toEqual([
      "tenantId must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'Acme!' was provided",
    ]);
    expect(problemsOf(() => new TenantVaultSecrets(stack, 'y', { ...mountProps(auth), tenantId: token }))).toContain(
      'tenantId must be a literal string (it names Vault paths and construct ids), but a token was provided',
    );
  });

  test('fails when mountPrefix is a token', () => {
    const stack = newStack();
    const prefix = new TerraformVariable(stack, 'prefix', { type: 'string' }).stringValue;
    expect(
      problemsOf(() => new TenantVaultSecrets(stack, 'acme', mountProps(auth, 'acme', { mountPrefix: prefix }))),
    ).toEqual([
      'mountPrefix must be a literal string (it is written into the tenant policies), but a token was provided',
    ]);
  });

  test('collects every problem in one error', () => {
    expect(() => build({ tokenTtlSeconds: 3600, keyRotationDays: 0 })()).toThrow(
      'TenantVaultSecrets has invalid props:\n  - tokenTtlSeconds must be between 60 and 900, but 3600 was provided\n  - keyRotationDays must be between 1 and 30, but 0 was provided',
    );
  });
});

describe('TenantVaultMount (the former name)', () => {
  test('is the same construct, so existing code and addresses keep working', () => {
    expect(TenantVaultMount).toBe(TenantVaultSecrets);
  });
});
