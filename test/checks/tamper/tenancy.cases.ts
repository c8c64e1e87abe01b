import type { JsonObject } from '../../../lib/model/json';
import { check, editableStacks, errors, refusingRules, resources, type Tamper } from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The resource of a type whose logical id starts with the tenant's cell (`Mcp_<t>_`). */
function ofTenant(json: JsonObject, type: string, tenant: string): Json {
  const found = Object.entries(resources(json, type)).find(([name]) => name.startsWith(`Mcp_${tenant}_`));
  if (!found) throw new Error(`no ${type} of tenant ${tenant}`);
  return found[1];
}

/** The MCP container's environment entry of a tenant's deployment. */
function env(json: JsonObject, tenant: string, name: string): Json {
  const deployment = ofTenant(json, 'kubernetes_deployment_v1', tenant);
  const container = deployment.spec.template.spec.container.find((c: Json) => c.name === 'mcp-server');
  return container.env.find((e: Json) => e.name === name);
}

const mt = 'multi-tenant';

const TAMPERS: readonly Tamper[] = [
  {
    what: "acme's MCP server told it serves globex (MCP_TENANT_ID)",
    example: 'multi-tenant',
    edit: (s) => (env(s[mt], 'acme', 'MCP_TENANT_ID').value = 'globex'),
    refusedBy: 'MCP-TEN-1',
  },
  {
    what: "acme's MCP server logs in to Vault with globex's role (VAULT_ROLE)",
    example: 'multi-tenant',
    edit: (s) => (env(s[mt], 'acme', 'VAULT_ROLE').value = 'mcp-globex'),
    refusedBy: 'MCP-TEN-1',
  },
  {
    what: "acme's MCP server accepts globex's audience",
    example: 'multi-tenant',
    edit: (s) => (env(s[mt], 'acme', 'MCP_OAUTH_AUDIENCE').value = 'https://globex.mcp.example.com/mcp'),
    refusedBy: 'MCP-TEN-1',
  },
  {
    what: "acme's local MCP URL made globex's (one URL, two tenants' tokens)",
    example: 'multi-tenant',
    edit: (s) => (env(s[mt], 'acme', 'MCP_RESOURCE_URL').value = env(s[mt], 'globex', 'MCP_RESOURCE_URL').value),
    refusedBy: 'MCP-TEN-1',
  },
  {
    what: "acme's users rule also whitelists globex's users group",
    example: 'multi-tenant',
    edit: (s) => {
      const acmeRule = Object.entries(resources(s[mt], 'okta_auth_server_policy_rule')).find(([n]) =>
        n.startsWith('Mcp_acme_Identity_UseRule'),
      )![1] as Json;
      const globexGroup = Object.keys(resources(s[mt], 'okta_group')).find((n) => n.startsWith('Mcp_globex_'))!;
      acmeRule.group_whitelist = [...acmeRule.group_whitelist, `\${okta_group.${globexGroup}.id}`];
    },
    refusedBy: 'MCP-TEN-1',
  },
  {
    what: "acme's tunnel ingress serves globex's hostname",
    example: 'multi-tenant',
    edit: (s) => {
      const config = ofTenant(s[mt], 'cloudflare_zero_trust_tunnel_cloudflared_config', 'acme');
      config.config.ingress[0].hostname = 'globex.mcp.example.com';
    },
    refusedBy: 'MCP-TEN-1',
  },
  {
    what: "the tenant metadata drops acme's cell",
    example: 'multi-tenant',
    edit: (s) => delete ((s[mt]['//'] as Json).mcp_access.tenants as Json).acme,
    refusedBy: 'MCP-TEN-2',
  },
  {
    what: "the tenant metadata records globex's cell as acme's",
    example: 'multi-tenant',
    edit: (s) => {
      const tenants = (s[mt]['//'] as Json).mcp_access.tenants as Json;
      tenants.acme = [...tenants.acme, ...tenants.globex];
      delete tenants.globex;
    },
    refusedBy: 'MCP-TEN-2',
  },
  {
    what: "a fleet cell stack's metadata is gone",
    example: 'fleet',
    edit: (s) => delete (s['cells-eu-1-001']['//'] as Json).mcp_access,
    refusedBy: 'MCP-TEN-2',
  },
];

describe('tamper suite: tenancy', () => {
  test('the unedited examples pass the tenancy rules', () => {
    for (const example of ['quickstart', 'multi-tenant', 'fleet'] as const) {
      const tenancyErrors = errors(check(editableStacks(example))).filter((e) => / MCP-TEN-\d+ /.test(e));
      expect(tenancyErrors).toEqual([]);
    }
  });

  test.each(TAMPERS.map((t) => [t.what, t] as const))('refuses: %s', (_what, tamper) => {
    const stacks = editableStacks(tamper.example);
    tamper.edit(stacks);
    expect(refusingRules(check(stacks))).toContain(tamper.refusedBy);
  });
});
