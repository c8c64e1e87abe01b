/**
 * Tamper suite, transport layer: hand edits of the examples' synthesized JSON, as a reviewer would
 * make them in `cdk.tf.json`, each refused by a named MCP-NET rule.
 */
import type { JsonObject } from '../../../lib/model/json';
import { SynthesizedApp } from '../../../lib/model/stack';
import { check, editableStacks, errors, first, refusingRules, resources, type Tamper } from './harness';

const APP = 'cloudflare_zero_trust_access_application';
const CONFIG = 'cloudflare_zero_trust_tunnel_cloudflared_config';
const IDP = 'cloudflare_zero_trust_access_identity_provider';
const RULE = 'okta_auth_server_policy_rule';
const TOKEN = 'cloudflare_zero_trust_access_service_token';
/** acme's service account's token in the multi-tenant example (`deploy-bot`). */
const SERVICE_TOKEN = 'Mcp_acme_Transport_Service-deploy-bot_Token';

/** A tenant application's inline policies (users first, admins second). */
const policies = (json: JsonObject, prefix: string): JsonObject[] => first(json, APP, prefix).policies as JsonObject[];
/** A tenant application's first service-account policy (after users and admins). */
const servicePolicy = (json: JsonObject, prefix: string): JsonObject => policies(json, prefix)[2];
/** The include list of a tenant's users policy. */
const usersInclude = (json: JsonObject, prefix: string): JsonObject[] =>
  policies(json, prefix)[0].include as JsonObject[];
/** A tenant tunnel's ingress rules. */
const ingress = (json: JsonObject, prefix: string): JsonObject[] =>
  (first(json, CONFIG, prefix).config as { ingress: JsonObject[] }).ingress;
/** The name of the first resource of a type whose name starts with `prefix`. */
const nameOf = (json: JsonObject, type: string, prefix: string): string => {
  const name = Object.keys(resources(json, type)).find((n) => n.startsWith(prefix));
  if (name === undefined) throw new Error(`no ${type} named ${prefix}*`);
  return name;
};

/** The name of the stack that holds a tenant's Access application (a fleet's cell stack). */
const cellOf = (stacks: Record<string, JsonObject>, tenant: string): string => {
  const found = Object.keys(stacks).find((name) =>
    Object.keys(resources(stacks[name], APP)).some((n) => n.startsWith(`${tenant}_`)),
  );
  if (found === undefined) throw new Error(`no stack holds tenant ${tenant}'s Access application`);
  return found;
};

/** The stack whose state a `terraform_remote_state` data source of `stack` reads (as the pack finds it). */
const producerOf = (stacks: Record<string, JsonObject>, stack: string, remoteState: string): string => {
  const app = new SynthesizedApp(Object.entries(stacks).map(([name, json]) => ({ name, json })));
  const entry = app.stack(stack)?.find(`data.terraform_remote_state.${remoteState}`);
  const producer = entry && app.producerOf(entry);
  if (!producer) throw new Error(`no stack of the app produces ${stack}'s remote state ${remoteState}`);
  return producer.name;
};

/** One tamper row and a piece of text the refusing finding must carry (the value found). */
type Row = Tamper & { readonly names: string };

const ROWS: readonly Row[] = [
  {
    what: "acme's users policy includes everyone",
    example: 'multi-tenant',
    edit: (s) => usersInclude(s['multi-tenant'], 'Mcp_acme_').push({ everyone: {} }),
    refusedBy: 'MCP-NET-3',
    names: "policy 'mcp-acme-users' includes everyone",
  },
  {
    what: "acme's users policy includes one email address",
    example: 'multi-tenant',
    edit: (s) => usersInclude(s['multi-tenant'], 'Mcp_acme_').push({ email: { email: 'contractor@example.org' } }),
    refusedBy: 'MCP-NET-3',
    names: "includes email 'contractor@example.org'",
  },
  {
    what: 'the users policy includes an IP range',
    example: 'quickstart',
    edit: (s) => usersInclude(s.quickstart, 'Mcp_acme_').push({ ip: { ip: '0.0.0.0/0' } }),
    refusedBy: 'MCP-NET-3',
    names: "includes ip '0.0.0.0/0'",
  },
  {
    what: 'the users policy includes any valid service token',
    example: 'quickstart',
    edit: (s) => usersInclude(s.quickstart, 'Mcp_acme_').push({ any_valid_service_token: {} }),
    refusedBy: 'MCP-NET-3',
    names: 'includes any_valid_service_token',
  },
  {
    what: "acme's users policy includes globex's users group",
    example: 'multi-tenant',
    edit: (s) => {
      const globexUsers = nameOf(s['multi-tenant'], 'okta_group', 'Mcp_globex_Identity_UserGroup');
      usersInclude(s['multi-tenant'], 'Mcp_acme_').push({
        okta: {
          identity_provider_id: (usersInclude(s['multi-tenant'], 'Mcp_acme_')[0].okta as JsonObject)
            .identity_provider_id,
          name: `\${okta_group.${globexUsers}.name}`,
        },
      });
    },
    refusedBy: 'MCP-NET-3',
    names: "group 'mcp-globex-users' of tenant globex, not of tenant acme",
  },
  {
    what: "acme's authorization server also whitelists initech's existing users group",
    example: 'multi-tenant',
    edit: (s) =>
      (first(s['multi-tenant'], RULE, 'Mcp_acme_Identity_UseRule').group_whitelist as string[]).push(
        '${var.initech_users_group_id}',
      ),
    refusedBy: 'MCP-NET-3',
    names: 'which tenant acme also whitelists: tenants never share a group',
  },
  {
    what: 'the users policy bypasses Access',
    example: 'quickstart',
    edit: (s) => {
      policies(s.quickstart, 'Mcp_acme_')[0].decision = 'bypass';
    },
    refusedBy: 'MCP-NET-3',
    names: "has decision 'bypass'",
  },
  {
    what: 'the Access session lasts 16 minutes',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, APP, 'Mcp_acme_').session_duration = '16m';
    },
    refusedBy: 'MCP-NET-2',
    names: 'session_duration is 16m (at most 15m)',
  },
  {
    what: "globex's application also allows an identity provider of type google",
    example: 'multi-tenant',
    edit: (s) => {
      const json = s['multi-tenant'];
      (json.resource as Record<string, Record<string, JsonObject>>)[IDP].google = {
        account_id: '${var.cloudflare_account_id}',
        name: 'Google',
        type: 'google',
        config: { client_id: '${var.google_client_id}' },
      };
      (first(json, APP, 'Mcp_globex_').allowed_idps as string[]).push(`\${${IDP}.google.id}`);
    },
    refusedBy: 'MCP-NET-2',
    names: `of type 'google', not 'okta'`,
  },
  {
    what: 'the application accepts WARP sessions instead of the Okta sign-in',
    example: 'quickstart',
    edit: (s) => {
      first(s.quickstart, APP, 'Mcp_acme_').allow_authenticate_via_warp = true;
    },
    refusedBy: 'MCP-NET-2',
    names: 'allow_authenticate_via_warp is true',
  },
  {
    what: 'the tunnel ingress reaches 10.0.0.5',
    example: 'quickstart',
    edit: (s) => {
      ingress(s.quickstart, 'Mcp_acme_')[0].service = 'tcp://10.0.0.5:8080';
    },
    refusedBy: 'MCP-NET-1',
    names: "'tcp://10.0.0.5:8080' is not a loopback origin",
  },
  {
    what: "the tunnel ingress reaches cloudflared's metrics port on the pod's loopback",
    example: 'quickstart',
    edit: (s) => {
      ingress(s.quickstart, 'Mcp_acme_')[0].service = 'tcp://127.0.0.1:20241';
    },
    refusedBy: 'MCP-NET-1',
    names: "reaches port 20241, not tenant acme's MCP port 8080",
  },
  {
    what: "acme's tunnel serves globex's hostname",
    example: 'multi-tenant',
    edit: (s) => {
      ingress(s['multi-tenant'], 'Mcp_acme_')[0].hostname = 'globex.mcp.example.com';
    },
    refusedBy: 'MCP-NET-1',
    names: "'globex.mcp.example.com' is not acme.<domain>",
  },
  {
    what: 'the last ingress rule is not http_status:404',
    example: 'quickstart',
    edit: (s) => {
      const rules = ingress(s.quickstart, 'Mcp_acme_');
      rules[rules.length - 1].service = 'tcp://127.0.0.1:8080';
    },
    refusedBy: 'MCP-NET-1',
    names: "not 'http_status:404'",
  },
  {
    what: "initech's admin policy loses its auth method",
    example: 'multi-tenant',
    edit: (s) => {
      delete policies(s['multi-tenant'], 'Mcp_initech_')[1].require;
    },
    refusedBy: 'MCP-NET-4',
    names: "admin policy 'mcp-initech-admins' requires no auth_method",
  },
  {
    what: "a cell's admin policy goes back to auth_method hwk",
    example: 'fleet',
    edit: (s) => {
      policies(s[cellOf(s, 'hooli')], 'hooli_')[1].require = [{ auth_method: { auth_method: 'hwk' } }];
    },
    refusedBy: 'MCP-NET-4',
    names: "requires auth_method 'hwk', not 'pop'",
  },
  {
    what: "the foundations' identity provider becomes a one-time PIN provider (seen only from the cells)",
    example: 'fleet',
    edit: (s) => {
      const foundations = Object.values(s).filter((json) => Object.keys(resources(json, IDP)).length > 0);
      expect(foundations.length).toBeGreaterThan(0);
      for (const json of foundations) first(json, IDP).type = 'onetimepin';
    },
    refusedBy: 'MCP-NET-2',
    names: `of type 'onetimepin', not 'okta'`,
  },
  {
    what: "a cell's users policy names a second Okta provider its foundation outputs (seen only through the foundation)",
    example: 'fleet',
    edit: (s) => {
      const cell = cellOf(s, 'acme');
      const okta = usersInclude(s[cell], 'acme_')[0].okta as JsonObject;
      const read = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.[^}]+\}$/.exec(
        String(okta.identity_provider_id),
      );
      if (!read)
        throw new Error(
          `acme's policy does not read its provider through remote state: ${String(okta.identity_provider_id)}`,
        );
      const foundation = s[producerOf(s, cell, read[1])];
      (foundation.resource as Record<string, Record<string, JsonObject>>)[IDP].rogue = {
        account_id: first(foundation, IDP).account_id,
        name: 'Okta (another org)',
        type: 'okta',
        config: { okta_account: 'https://another.okta.com' },
      };
      (foundation.output as Record<string, JsonObject>).rogue_idp = { value: `\${${IDP}.rogue.id}`, sensitive: true };
      okta.identity_provider_id = `\${data.terraform_remote_state.${read[1]}.outputs.rogue_idp}`;
    },
    refusedBy: 'MCP-NET-3',
    names: `names identity provider ${IDP}.rogue, not the application's allowed Okta provider`,
  },
  // Service accounts: acme's deploy-bot in the multi-tenant example.
  {
    what: "acme's service policy admits any valid service token of the account",
    example: 'multi-tenant',
    edit: (s) => {
      servicePolicy(s['multi-tenant'], 'Mcp_acme_').include = [{ any_valid_service_token: {} }];
    },
    refusedBy: 'MCP-NET-3',
    names: "policy 'mcp-acme-svc-deploy-bot' (non_identity) includes any_valid_service_token",
  },
  {
    what: "acme's service token admits a person's group too (allow instead of non_identity)",
    example: 'multi-tenant',
    edit: (s) => {
      servicePolicy(s['multi-tenant'], 'Mcp_acme_').decision = 'allow';
    },
    refusedBy: 'MCP-NET-3',
    names: "policy 'mcp-acme-svc-deploy-bot' includes service_token",
  },
  {
    what: "acme's service token never expires",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], TOKEN, SERVICE_TOKEN).duration = 'forever';
    },
    refusedBy: 'MCP-NET-5',
    names: "duration is 'forever': the token never expires (at most 8760h)",
  },
  {
    what: "acme's service token lives two years",
    example: 'multi-tenant',
    edit: (s) => {
      first(s['multi-tenant'], TOKEN, SERVICE_TOKEN).duration = '17520h';
    },
    refusedBy: 'MCP-NET-5',
    names: "duration is '17520h' (more than 0 and at most 8760h)",
  },
  {
    what: "globex's application admits acme's service token (a cross-tenant way in)",
    example: 'multi-tenant',
    edit: (s) => {
      const json = s['multi-tenant'];
      policies(json, 'Mcp_globex_').push({
        name: 'mcp-globex-svc-borrowed',
        decision: 'non_identity',
        precedence: 3,
        include: [{ service_token: { token_id: `\${${TOKEN}.${nameOf(json, TOKEN, SERVICE_TOKEN)}.id}` } }],
      });
    },
    refusedBy: 'MCP-NET-5',
    names:
      "the Access application of tenant globex, admits it (policy 'mcp-globex-svc-borrowed'), but it is tenant acme's",
  },
];

describe('tamper: transport (MCP-NET-*)', () => {
  test.each(['quickstart', 'multi-tenant', 'fleet'] as const)(
    'the unedited %s example has no error finding of a transport rule',
    (example) => {
      const reports = check(editableStacks(example));
      expect(reports.length).toBeGreaterThan(0);
      const applied = new Set(reports.flatMap((r) => r.applied));
      // MCP-NET-5 applies where a service token exists: acme's deploy-bot in the multi-tenant example.
      const ids = [
        'MCP-NET-1',
        'MCP-NET-2',
        'MCP-NET-3',
        'MCP-NET-4',
        ...(example === 'multi-tenant' ? ['MCP-NET-5'] : []),
      ];
      for (const id of ids) expect(applied).toContain(id);
      expect(errors(reports).filter((e) => / MCP-NET-\d+ /.test(e))).toEqual([]);
    },
  );

  test('the table holds at least 8 rows, each rule of the layer refuses at least one, one of them in the fleet', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(ROWS.map((r) => r.refusedBy))).toEqual(
      new Set(['MCP-NET-1', 'MCP-NET-2', 'MCP-NET-3', 'MCP-NET-4', 'MCP-NET-5']),
    );
    expect(ROWS.filter((r) => r.example === 'fleet').length).toBeGreaterThan(0);
  });

  test.each(ROWS.map((r) => [r.what, r] as const))('%s: refused', (_what, row) => {
    const stacks = editableStacks(row.example);
    row.edit(stacks);
    const reports = check(stacks);
    expect(refusingRules(reports)).toContain(row.refusedBy);
    const found = errors(reports).filter((e) => e.includes(` ${row.refusedBy} error `));
    expect(found.some((e) => e.includes(row.names))).toBe(true);
  });
});
