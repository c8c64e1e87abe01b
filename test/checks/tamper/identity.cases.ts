/**
 * The identity layer's rows of the tamper suite: hand edits of the examples' synthesized JSON, as a
 * reviewer would make them in `cdk.tf.json`, each refused by a named MCP-ID rule.
 */
import type { JsonObject } from '../../../lib/model/json';
import { check, editableStacks, errors, first, refusingRules, resources, type Tamper } from './harness';

/** A row, and a fragment the refusing rule's finding must contain (the value found). */
interface IdentityTamper extends Tamper {
  readonly finding: string;
}

const STRONG = {
  required: true,
  phishingResistant: 'REQUIRED',
  hardwareProtection: 'REQUIRED',
  userVerification: 'REQUIRED',
};

/**
 * The stack of a fleet that holds a resource of `type` whose name starts with `prefix` (the fleet
 * names its stacks after the Okta org, the edge and the shard; the tests find them by content).
 */
function stackWith(stacks: Record<string, JsonObject>, type: string, prefix: string): JsonObject {
  const found = Object.values(stacks).find((json) =>
    Object.keys(resources(json, type)).some((n) => n.startsWith(prefix)),
  );
  if (!found) throw new Error(`no stack holds a ${type} named ${prefix}*`);
  return found;
}

/** acme's service account in the multi-tenant example (`deploy-bot`): its app and its rule. */
const SERVICE_APP = 'Mcp_acme_Identity_Service-deploy-bot_App';
const SERVICE_RULE = 'Mcp_acme_Identity_Service-deploy-bot_Rule';

/** The okta provider blocks of a stack. */
const oktaProviders = (json: JsonObject): JsonObject[] => (json.provider as { okta: JsonObject[] }).okta;

const ROWS: readonly IdentityTamper[] = [
  {
    what: 'the MCP client keeps one refresh token for its whole life (STATIC rotation)',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, 'okta_app_oauth', 'Mcp_Shared_OktaClients_McpClient').refresh_token_rotation = 'STATIC';
    },
    refusedBy: 'MCP-ID-3',
    finding: 'refresh_token_rotation is STATIC',
  },
  {
    what: 'refresh tokens live forever (lifetime 0, which Okta reads as unlimited)',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, 'okta_auth_server_policy_rule', 'Mcp_acme_Identity_UseRule').refresh_token_lifetime_minutes =
        0;
    },
    refusedBy: 'MCP-ID-3',
    finding: 'refresh_token_lifetime_minutes is 0 (Okta reads 0 as unlimited)',
  },
  {
    what: 'an unused refresh token stays valid for 8 hours and a minute',
    example: 'multi-tenant',
    edit: (s) => {
      const rule = first(s['multi-tenant'], 'okta_auth_server_policy_rule', 'Mcp_globex_Identity_UseRule');
      rule.refresh_token_window_minutes = 481;
    },
    refusedBy: 'MCP-ID-3',
    finding: 'refresh_token_window_minutes is 481 (between 1 and 480)',
  },
  {
    what: "the MCP client falls back to the org's default authentication policy",
    example: 'quickstart',
    edit: (s) => {
      delete first(s.quickstart, 'okta_app_oauth', 'Mcp_Shared_OktaClients_McpClient').authentication_policy;
    },
    refusedBy: 'MCP-ID-7',
    finding: 'authentication_policy is not set',
  },
  {
    what: "the MCP client's sign-on rule admits one factor",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_app_signon_policy_rule', 'Mcp_Shared_OktaClients_McpSignonRule').factor_mode =
        '1FA';
    },
    refusedBy: 'MCP-ID-7',
    finding: 'factor_mode is 1FA',
  },
  {
    what: "globex's tokens say they are acme's (tid claim)",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_auth_server_claim', 'Mcp_globex_Identity_TenantClaim').value = '"acme"';
    },
    refusedBy: 'MCP-ID-8',
    finding: `value is "\\"acme\\"" (must be "\\"globex\\""`,
  },
  {
    what: 'the tid claim is tied to the admin scope, so user tokens go without it',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, 'okta_auth_server_claim', 'Mcp_acme_Identity_TenantClaim').scopes = ['mcp:acme:admin'];
    },
    refusedBy: 'MCP-ID-8',
    finding: 'scopes is ["mcp:acme:admin"]',
  },
  {
    what: 'the admin sign-on rule no longer needs a hardware-protected key',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, 'okta_app_signon_policy_rule', 'Mcp_Shared_OktaClients_AdminSignonRule').constraints = [
        JSON.stringify({ possession: { ...STRONG, hardwareProtection: 'OPTIONAL' } }),
      ];
    },
    refusedBy: 'MCP-ID-6',
    finding: 'possession.hardwareProtection is "OPTIONAL"',
  },
  {
    what: 'the okta provider switches to OAuth 2.0, which silently drops the groups claim Access needs',
    example: 'multi-tenant',
    edit: (s) => {
      Object.assign(oktaProviders(s['multi-tenant'])[0], {
        client_id: '0oaservice',
        private_key: '${var.okta_private_key}',
      });
    },
    refusedBy: 'MCP-ID-9',
    finding: 'provider okta sets private_key, client_id',
  },
  {
    what: 'access tokens live an hour',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, 'okta_auth_server_policy_rule', 'Mcp_acme_Identity_AdminRule').access_token_lifetime_minutes =
        60;
    },
    refusedBy: 'MCP-ID-5',
    finding: 'access_token_lifetime_minutes is 60 (at most 15)',
  },
  {
    what: 'a wildcard redirect on the admin client',
    example: 'multi-tenant',
    edit: (s) => {
      const app = first(s['multi-tenant'], 'okta_app_oauth', 'Mcp_Shared_OktaClients_AdminClient');
      app.redirect_uris = ['http://127.0.0.1:*/callback'];
    },
    refusedBy: 'MCP-ID-2',
    finding: "'http://127.0.0.1:*/callback' is a wildcard",
  },
  {
    what: 'the Access web app may use the implicit grant',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, 'okta_app_oauth', 'Mcp_Shared_OktaClients_AccessIdpApp').grant_types = [
        'authorization_code',
        'implicit',
      ];
    },
    refusedBy: 'MCP-ID-1',
    finding: 'grant_types allows implicit',
  },
  {
    what: "globex's auth server takes acme's audience",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_auth_server', 'Mcp_globex_Identity_AuthServer').audiences = [
        'https://acme.mcp.example.com/mcp',
      ];
    },
    refusedBy: 'MCP-ID-4',
    finding: "audience 'https://acme.mcp.example.com/mcp' is shared with",
  },
  {
    what: 'the admin rule is renamed to declare FIDO2 keys only, but its constraints still admit FastPass',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, 'okta_app_signon_policy_rule', 'Mcp_Shared_OktaClients_AdminSignonRule').name =
        'security key required';
    },
    refusedBy: 'MCP-ID-10',
    finding: 'names no possession.authenticationMethods, so Okta FastPass',
  },
  {
    what: "fleet: the Okta stack's admin rule is weakened; only the cell stacks grant the admin scope that makes it an admin client",
    example: 'fleet',
    edit: (s) => {
      const okta = stackWith(s, 'okta_app_oauth', 'Shared_OktaClients_AdminClient');
      first(okta, 'okta_app_signon_policy_rule', 'Shared_OktaClients_AdminSignonRule').constraints = [
        JSON.stringify({ possession: { ...STRONG, phishingResistant: 'OPTIONAL' } }),
      ];
    },
    refusedBy: 'MCP-ID-6',
    finding: 'possession.phishingResistant is "OPTIONAL"',
  },
  {
    what: "fleet: the Okta stack's MCP client loses its two-factor policy, judged through the cells' remote-state references",
    example: 'fleet',
    edit: (s) => {
      const okta = stackWith(s, 'okta_app_oauth', 'Shared_OktaClients_McpClient');
      delete first(okta, 'okta_app_oauth', 'Shared_OktaClients_McpClient').authentication_policy;
    },
    refusedBy: 'MCP-ID-7',
    finding: 'yet it may obtain mcp:',
  },
  {
    what: "fleet: a cell's user policy admits every app of the org",
    example: 'fleet',
    edit: (s) => {
      const cell = stackWith(s, 'okta_auth_server_policy', 'acme_Identity_ClientPolicy');
      first(cell, 'okta_auth_server_policy', 'acme_Identity_ClientPolicy').client_whitelist = ['ALL_CLIENTS'];
    },
    refusedBy: 'MCP-ID-7',
    finding: 'client_whitelist is ALL_CLIENTS',
  },
  // Service accounts: acme's deploy-bot in the multi-tenant example.
  {
    what: "acme's service app also takes the authorization code grant (a user flow on an agent's identity)",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_app_oauth', SERVICE_APP).grant_types = [
        'client_credentials',
        'authorization_code',
      ];
    },
    refusedBy: 'MCP-ID-11',
    finding: 'grant_types allows authorization_code (only client_credentials)',
  },
  {
    what: "acme's service app authenticates with a client secret instead of its private key",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_app_oauth', SERVICE_APP).token_endpoint_auth_method = 'client_secret_post';
    },
    refusedBy: 'MCP-ID-11',
    finding: 'token_endpoint_auth_method is client_secret_post',
  },
  {
    what: "acme's service app lets the provider keep a client secret in state",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_app_oauth', SERVICE_APP).omit_secret = false;
    },
    refusedBy: 'MCP-ID-11',
    finding: 'omit_secret is false (must be true: no client secret in Terraform state)',
  },
  {
    what: "acme's service policy also admits the MCP client",
    example: 'multi-tenant',
    edit: (s) => {
      const json = s['multi-tenant'];
      const mcpClient = Object.keys(resources(json, 'okta_app_oauth')).find((n) =>
        n.startsWith('Mcp_Shared_OktaClients_McpClient'),
      );
      const policy = first(json, 'okta_auth_server_policy', 'Mcp_acme_Identity_Service-deploy-bot_Policy');
      (policy.client_whitelist as string[]).push(`\${okta_app_oauth.${mcpClient}.client_id}`);
    },
    refusedBy: 'MCP-ID-12',
    finding: 'client_whitelist names 2 clients, among them the service app',
  },
  {
    what: "globex's user policy admits acme's service app (one agent in two tenants)",
    example: 'multi-tenant',
    edit: (s) => {
      const json = s['multi-tenant'];
      const app = Object.keys(resources(json, 'okta_app_oauth')).find((n) => n.startsWith(SERVICE_APP));
      const policy = first(json, 'okta_auth_server_policy', 'Mcp_globex_Identity_ClientPolicy');
      (policy.client_whitelist as string[]).push(`\${okta_app_oauth.${app}.client_id}`);
    },
    refusedBy: 'MCP-ID-12',
    finding: '2 policies name it',
  },
  {
    what: "acme's service rule grants globex's scope",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_auth_server_policy_rule', SERVICE_RULE).scope_whitelist = [
        'mcp:acme:use',
        'mcp:globex:use',
      ];
    },
    refusedBy: 'MCP-ID-12',
    finding: "scope_whitelist grants 'mcp:globex:use'",
  },
  {
    what: "acme's service rule mints hour-long tokens",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_auth_server_policy_rule', SERVICE_RULE).access_token_lifetime_minutes = 60;
    },
    refusedBy: 'MCP-ID-5',
    finding: 'access_token_lifetime_minutes is 60 (at most 15)',
  },
  {
    what: "acme's service rule also allows the authorization code grant",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], 'okta_auth_server_policy_rule', SERVICE_RULE).grant_type_whitelist = [
        'client_credentials',
        'authorization_code',
      ];
    },
    refusedBy: 'MCP-ID-5',
    finding: 'grant_type_whitelist allows authorization_code',
  },
];

describe('tamper suite: identity (Okta)', () => {
  test('the table has at least 8 rows, in the fleet too, where only references into the shared stacks reveal the violation', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(8);
    // At least 6 of them weaken a service account, refused by the service-account rules among others.
    const service = ROWS.filter((r) => r.what.includes('service'));
    expect(service.length).toBeGreaterThanOrEqual(6);
    expect(new Set(service.map((r) => r.refusedBy))).toEqual(new Set(['MCP-ID-5', 'MCP-ID-11', 'MCP-ID-12']));
    expect(ROWS.filter((r) => r.example === 'fleet').length).toBeGreaterThanOrEqual(1);
  });

  test.each(ROWS.map((row) => [row.what, row] as const))('refused: %s', (_what, row) => {
    const stacks = editableStacks(row.example);
    row.edit(stacks);
    const reports = check(stacks);
    expect(refusingRules(reports)).toContain(row.refusedBy);
    const lines = errors(reports).filter((line) => line.includes(` ${row.refusedBy} error `));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.includes(row.finding))).toBe(true);
  });

  test.each(['quickstart', 'multi-tenant', 'fleet'] as const)(
    'the unedited %s example: no identity error; the groups-claim provider check is applied',
    (example) => {
      const reports = check(editableStacks(example));
      expect(reports.length).toBeGreaterThan(0);
      expect(errors(reports).filter((line) => line.includes(' MCP-ID-'))).toEqual([]);
      // The examples take the Okta credentials from the environment: MCP-ID-9W names the variable to use
      // (or is suppressed with that reason, or sees api_token declared).
      expect(reports.some((r) => r.applied.includes('MCP-ID-9W'))).toBe(true);
      const warnings = reports.flatMap((r) => [...r.findings, ...r.suppressed].filter((f) => f.ruleId === 'MCP-ID-9W'));
      for (const warning of warnings) expect(warning.detail).toContain('OKTA_API_TOKEN');
    },
  );
});
