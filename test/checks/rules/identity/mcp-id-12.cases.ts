import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MCP_ID_12 } from '../../../../lib/checks/rules/identity/mcp-id-12';
import { App, Construct, TerraformStack } from '../../../../lib/core/cdktf';
import { createTenantAuthServer } from '../../../../lib/identity/okta-mcp-identity';
import { OktaServiceAccount } from '../../../../lib/identity/okta-service-account';
import type { JsonObject } from '../../../../lib/model/stack';
import { clone, resourcesOf } from '../../../helpers';
import { EC_P256 } from '../../../identity/service-keys';
import { appFindings, findings, nameIn, run, serviceIdentityJson, tamper, withVariable } from './tamper';

const APP = 'okta_app_oauth';
const POLICY = 'okta_auth_server_policy';
const RULE = 'okta_auth_server_policy_rule';

describe('MCP-ID-12', () => {
  let json: JsonObject;
  let ref: (type: string, part: string, attr?: string) => string;
  beforeAll(() => {
    json = serviceIdentityJson();
    ref = (type, part, attr = 'id') => `\${${type}.${nameIn(json, type, part)}.${attr}}`;
  });

  test('compliant: each service app, its one policy and its rule (the human policies and rules are not judged)', () => {
    const results = run(MCP_ID_12, json);
    expect(results).toHaveLength(9);
    expect(results.filter((r) => r.status !== 'compliant')).toEqual([]);
    expect(
      results
        .filter((r) => r.address.startsWith(`${RULE}.`))
        .map((r) => r.address.replace(/_[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual([
      `${RULE}.acme_Identity_Service-deploy-bot_Rule`,
      `${RULE}.acme_Identity_Service-ops_Rule`,
      `${RULE}.globex_Identity_Service-deploy-bot_Rule`,
    ]);
  });

  test('non-compliant: the service policy also names the MCP client (a human client beside it)', () => {
    const bad = tamper(json, POLICY, 'acme_Identity_Service-deploy-bot_Policy', (b) => {
      (b.client_whitelist as string[]).push(ref(APP, 'McpClient', 'client_id'));
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${POLICY}.acme_Identity_Service-deploy-bot_Policy: client_whitelist names 2 clients, among them the service app ${APP}.${nameIn(json, APP, 'acme_Identity_Service-deploy-bot')}: a service account's policy names its own app and nothing else`,
      `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist allows client_credentials in policy ${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-deploy-bot')}, which does not name exactly one service app`,
    ]);
  });

  test("non-compliant: a human policy (the MCP client's) names a service app too", () => {
    const bad = tamper(json, POLICY, 'acme_Identity_ClientPolicy', (b) => {
      (b.client_whitelist as string[]).push(ref(APP, 'acme_Identity_Service-deploy-bot', 'client_id'));
    });
    const app = nameIn(json, APP, 'acme_Identity_Service-deploy-bot');
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${APP}.acme_Identity_Service-deploy-bot_App: 2 policies name it (${POLICY}.${nameIn(json, POLICY, 'acme_Identity_ClientPolicy')}, ${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-deploy-bot')}): a service account is one tenant's, through one policy`,
      `non-compliant ${POLICY}.acme_Identity_ClientPolicy: client_whitelist names 2 clients, among them the service app ${APP}.${app}: a service account's policy names its own app and nothing else`,
    ]);
  });

  test("non-compliant: another tenant's authorization server admits the service app too", () => {
    const bad = tamper(json, POLICY, 'globex_Identity_Service-deploy-bot_Policy', (b) => {
      b.client_whitelist = [ref(APP, 'acme_Identity_Service-deploy-bot', 'client_id')];
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${APP}.acme_Identity_Service-deploy-bot_App: 2 policies name it (${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-deploy-bot')}, ${POLICY}.${nameIn(json, POLICY, 'globex_Identity_Service-deploy-bot')}, on the authorization servers of tenants acme, globex): a service account is one tenant's, through one policy`,
    ]);
  });

  test("non-compliant: a service app moved to another tenant's authorization server (its label names acme)", () => {
    const bad = tamper(json, POLICY, 'acme_Identity_Service-deploy-bot_Policy', (b) => {
      b.auth_server_id = ref('okta_auth_server', 'globex_Identity_AuthServer');
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${APP}.acme_Identity_Service-deploy-bot_App: label is 'mcp-acme-svc-deploy-bot', not a service account of tenant globex (mcp-globex-svc-<name>), yet ${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-deploy-bot')} of tenant globex's authorization server admits it`,
      `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: scope_whitelist grants 'mcp:acme:use' (only 'mcp:globex:use', 'mcp:globex:admin' of tenant globex: no other tenant's scope, no offline_access, no *)`,
    ]);
  });

  test.each<[string, (b: JsonObject) => void, string]>([
    [
      'a user grant beside client_credentials',
      (b) => {
        b.grant_type_whitelist = ['client_credentials', 'authorization_code'];
      },
      'grant_type_whitelist is client_credentials, authorization_code (exactly client_credentials)',
    ],
    [
      'no grant at all',
      (b) => {
        b.grant_type_whitelist = [];
      },
      'grant_type_whitelist is not set (exactly client_credentials)',
    ],
    [
      "another tenant's scope, a refresh token and every scope",
      (b) => {
        b.scope_whitelist = ['mcp:acme:use', 'mcp:globex:use', 'offline_access', '*'];
      },
      "scope_whitelist grants 'mcp:globex:use', 'offline_access', '*' (only 'mcp:acme:use', 'mcp:acme:admin' of tenant acme: no other tenant's scope, no offline_access, no *)",
    ],
    [
      'no scope list',
      (b) => {
        delete b.scope_whitelist;
      },
      'scope_whitelist is not set',
    ],
    [
      "a lifetime left to Okta's default",
      (b) => {
        delete b.access_token_lifetime_minutes;
      },
      'access_token_lifetime_minutes is not set (Okta defaults to 60)',
    ],
  ])('non-compliant: a service rule with %s', (_what, edit, detail) => {
    expect(findings(MCP_ID_12, tamper(json, RULE, 'acme_Identity_Service-deploy-bot_Rule', edit))).toEqual([
      `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: ${detail}`,
    ]);
  });

  test.each([
    [15, []],
    ['15', []],
    [5, []],
    ['5', []],
    [4, ["access_token_lifetime_minutes is 4 (at least 5, Okta's shortest)"]],
    [0, ["access_token_lifetime_minutes is 0 (at least 5, Okta's shortest)"]],
    [-15, ["access_token_lifetime_minutes is -15 (at least 5, Okta's shortest)"]],
    [16, ['access_token_lifetime_minutes is 16 (at most 15)']],
    ['16', ['access_token_lifetime_minutes is 16 (at most 15)']],
    ['15m', ["access_token_lifetime_minutes is '15m', not a number"]],
  ])('access token lifetime %p', (ttl, problems) => {
    const edited = tamper(json, RULE, 'acme_Identity_Service-ops_Rule', (b) => {
      b.access_token_lifetime_minutes = ttl;
    });
    expect(findings(MCP_ID_12, edited)).toEqual(
      problems.map((p) => `non-compliant ${RULE}.acme_Identity_Service-ops_Rule: ${p}`),
    );
  });

  test('non-compliant: client_credentials in a human rule (its policy names the MCP client)', () => {
    const bad = tamper(json, RULE, 'acme_Identity_UseRule', (b) => {
      b.grant_type_whitelist = ['authorization_code', 'client_credentials'];
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${RULE}.acme_Identity_UseRule: grant_type_whitelist allows client_credentials in policy ${POLICY}.${nameIn(json, POLICY, 'acme_Identity_ClientPolicy')}, which does not name exactly one service app`,
    ]);
  });

  test('non-compliant: a service policy on an authorization server that names no tenant', () => {
    const bad = tamper(json, 'okta_auth_server', 'acme_Identity_AuthServer', (b) => {
      b.name = 'shared-agents';
    });
    const results = findings(MCP_ID_12, bad);
    expect(results).toEqual([
      `non-compliant ${POLICY}.acme_Identity_Service-deploy-bot_Policy: its authorization server okta_auth_server.${nameIn(json, 'okta_auth_server', 'acme')} is not named mcp-<tenant>: a service account belongs to one tenant`,
      `non-compliant ${POLICY}.acme_Identity_Service-ops_Policy: its authorization server okta_auth_server.${nameIn(json, 'okta_auth_server', 'acme')} is not named mcp-<tenant>: a service account belongs to one tenant`,
    ]);
  });

  test('undecided: scopes or the server that no stack decides; a variable with a default is judged by it', () => {
    const unknown = tamper(withVariable(json, 'scopes'), RULE, 'acme_Identity_Service-deploy-bot_Rule', (b) => {
      b.scope_whitelist = '${var.scopes}';
    });
    const [finding] = findings(MCP_ID_12, unknown);
    expect(finding).toMatch(
      /^undecided okta_auth_server_policy_rule\.acme_Identity_Service-deploy-bot_Rule: scope_whitelist: /,
    );
    const server = tamper(withVariable(json, 'server'), POLICY, 'acme_Identity_Service-deploy-bot_Policy', (b) => {
      b.auth_server_id = '${var.server}';
    });
    expect(findings(MCP_ID_12, server)).toEqual([
      expect.stringMatching(
        /^undecided okta_auth_server_policy\.acme_Identity_Service-deploy-bot_Policy: auth_server_id: /,
      ),
    ]);
    const byDefault = tamper(
      withVariable(json, 'scopes', ['mcp:acme:use', 'mcp:globex:use']),
      RULE,
      'acme_Identity_Service-deploy-bot_Rule',
      (b) => {
        b.scope_whitelist = '${var.scopes}';
      },
    );
    expect(findings(MCP_ID_12, byDefault)).toEqual([
      `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: scope_whitelist grants 'mcp:globex:use' (only 'mcp:acme:use', 'mcp:acme:admin' of tenant acme: no other tenant's scope, no offline_access, no *)`,
    ]);
  });

  test('undecided: a service rule whose grants, label of its app and token lifetime come from undeclared variables', () => {
    const grants = tamper(json, RULE, 'acme_Identity_Service-deploy-bot_Rule', (b) => {
      b.grant_type_whitelist = '${var.grants}';
      b.access_token_lifetime_minutes = '${var.ttl}';
    });
    const bad = tamper(grants, APP, 'acme_Identity_Service-deploy-bot', (b) => {
      b.label = '${var.label}';
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `undecided ${APP}.acme_Identity_Service-deploy-bot_App: label: '\${var.label}' names a variable this stack does not declare`,
      `undecided ${RULE}.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist: '\${var.grants}' names a variable this stack does not declare; access_token_lifetime_minutes: '\${var.ttl}' names a variable this stack does not declare`,
    ]);
  });

  test('non-compliant: a service app without a label; a service rule with grants and scopes computed at apply', () => {
    const unlabelled = tamper(json, APP, 'acme_Identity_Service-deploy-bot', (b) => {
      delete b.label;
    });
    const bad = tamper(unlabelled, RULE, 'acme_Identity_Service-deploy-bot_Rule', (b) => {
      b.grant_type_whitelist = [
        'client_credentials',
        ref(APP, 'McpClient', 'client_id'),
        `x-${ref(APP, 'McpClient', 'client_id')}`,
      ];
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${APP}.acme_Identity_Service-deploy-bot_App: label is not set, not a service account of tenant acme (mcp-acme-svc-<name>), yet ${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-deploy-bot')} of tenant acme's authorization server admits it`,
      `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist is client_credentials (exactly client_credentials)`,
    ]);
    const scopes = tamper(json, RULE, 'acme_Identity_Service-deploy-bot_Rule', (b) => {
      b.scope_whitelist = [
        'mcp:acme:use',
        ref(APP, 'McpClient', 'client_id'),
        `x-${ref(APP, 'McpClient', 'client_id')}`,
      ];
    });
    expect(findings(MCP_ID_12, scopes)).toEqual([
      `undecided ${RULE}.acme_Identity_Service-deploy-bot_Rule: scope_whitelist[1] is ${APP}.${nameIn(json, APP, 'McpClient')}.client_id, computed at apply; scope_whitelist[2] 'x-${ref(APP, 'McpClient', 'client_id')}' is computed at apply`,
    ]);
  });

  test('non-compliant: an empty scope_whitelist; compliant: a scope with spaces around it', () => {
    const empty = tamper(json, RULE, 'acme_Identity_Service-deploy-bot_Rule', (b) => {
      b.scope_whitelist = [];
    });
    expect(findings(MCP_ID_12, empty)).toEqual([
      `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: scope_whitelist is not set`,
    ]);
    const spaced = tamper(json, RULE, 'acme_Identity_Service-deploy-bot_Rule', (b) => {
      b.scope_whitelist = [' mcp:acme:use '];
    });
    expect(findings(MCP_ID_12, spaced)).toEqual([]);
  });

  test('non-compliant: a service policy naming both service apps of acme and a client id no stack declares', () => {
    const bad = tamper(json, POLICY, 'acme_Identity_Service-deploy-bot_Policy', (b) => {
      b.client_whitelist = [ref(APP, 'acme_Identity_Service-deploy-bot', 'client_id'), '0oaforeign'];
    });
    const both = tamper(json, POLICY, 'acme_Identity_Service-ops_Policy', (b) => {
      b.client_whitelist = [
        ref(APP, 'acme_Identity_Service-deploy-bot', 'client_id'),
        ref(APP, 'acme_Identity_Service-ops', 'client_id'),
      ];
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${POLICY}.acme_Identity_Service-deploy-bot_Policy: client_whitelist names 2 clients, among them the service app ${APP}.${nameIn(json, APP, 'acme_Identity_Service-deploy-bot')}: a service account's policy names its own app and nothing else`,
      `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist allows client_credentials in policy ${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-deploy-bot')}, which does not name exactly one service app`,
    ]);
    expect(findings(MCP_ID_12, both)).toEqual([
      `non-compliant ${APP}.acme_Identity_Service-deploy-bot_App: 2 policies name it (${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-deploy-bot')}, ${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-ops')}): a service account is one tenant's, through one policy`,
      `non-compliant ${POLICY}.acme_Identity_Service-ops_Policy: client_whitelist names 2 clients, among them the service app ${APP}.${nameIn(json, APP, 'acme_Identity_Service-deploy-bot')}, ${APP}.${nameIn(json, APP, 'acme_Identity_Service-ops')}: a service account's policy names its own app and nothing else`,
      `non-compliant ${RULE}.acme_Identity_Service-ops_Rule: grant_type_whitelist allows client_credentials in policy ${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-ops')}, which does not name exactly one service app`,
    ]);
  });

  test('non-compliant: a client_credentials rule without a policy; a human rule without a policy is not judged', () => {
    const orphan = tamper(json, RULE, 'acme_Identity_AdminRule', (b) => {
      delete b.policy_id;
      b.grant_type_whitelist = ['client_credentials'];
    });
    const bad = tamper(orphan, RULE, 'acme_Identity_UseRule', (b) => {
      delete b.policy_id;
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${RULE}.acme_Identity_AdminRule: grant_type_whitelist allows client_credentials, but policy_id is not an okta_auth_server_policy of this app`,
    ]);
  });

  test('non-compliant: the service app also named by a policy on a server that names no tenant', () => {
    const server = tamper(json, 'okta_auth_server', 'globex_Identity_AuthServer', (b) => {
      b.name = 'shared-agents';
    });
    const bad = tamper(server, POLICY, 'globex_Identity_Service-deploy-bot_Policy', (b) => {
      b.client_whitelist = [ref(APP, 'acme_Identity_Service-deploy-bot', 'client_id')];
    });
    expect(findings(MCP_ID_12, bad)).toEqual([
      `non-compliant ${APP}.acme_Identity_Service-deploy-bot_App: 2 policies name it (${POLICY}.${nameIn(json, POLICY, 'acme_Identity_Service-deploy-bot')}, ${POLICY}.${nameIn(json, POLICY, 'globex_Identity_Service-deploy-bot')}, on the authorization servers of tenants ?, acme): a service account is one tenant's, through one policy`,
      `non-compliant ${POLICY}.globex_Identity_Service-deploy-bot_Policy: its authorization server okta_auth_server.${nameIn(json, 'okta_auth_server', 'globex')} is not named mcp-<tenant>: a service account belongs to one tenant`,
    ]);
  });

  test("a fleet: the service account in a cell stack, its tenant's authorization server in another, followed through remote state", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-id-12-'));
    let stacks: Record<string, JsonObject>;
    try {
      const app = new App({ outdir, skipValidation: true });
      const servers = new TerraformStack(app, 'servers');
      const acme = createTenantAuthServer(new Construct(servers, 'acme'), {
        tenantId: 'acme',
        domain: 'mcp.example.com',
        tokenTtlMinutes: 15,
      });
      const cells = new TerraformStack(app, 'cells');
      new OktaServiceAccount(new Construct(cells, 'acme'), 'Service-deploy-bot', {
        tenantId: 'acme',
        name: 'deploy-bot',
        publicKey: EC_P256,
        authServerId: acme.id,
        priority: 3,
      });
      app.synth();
      const read = (name: string): JsonObject =>
        JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as JsonObject;
      stacks = { servers: read('servers'), cells: read('cells') };
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    const policy = Object.values(resourcesOf(stacks.cells, POLICY))[0];
    expect(String(policy.auth_server_id)).toContain('data.terraform_remote_state');
    expect(appFindings(MCP_ID_12, stacks)).toEqual([]);
    const moved = clone(stacks);
    const rule = Object.values(resourcesOf(moved.cells, RULE))[0];
    rule.scope_whitelist = ['mcp:globex:use'];
    expect(appFindings(MCP_ID_12, moved)).toEqual([
      "[cells] non-compliant okta_auth_server_policy_rule.acme_Service-deploy-bot_Rule: scope_whitelist grants 'mcp:globex:use' (only 'mcp:acme:use', 'mcp:acme:admin' of tenant acme: no other tenant's scope, no offline_access, no *)",
    ]);
    const broken = clone(stacks);
    delete Object.values(resourcesOf(broken.cells, APP))[0].label;
    (Object.values(resourcesOf(broken.cells, POLICY))[0].client_whitelist as string[]).push('0oaforeign');
    expect(appFindings(MCP_ID_12, broken)).toEqual([
      "[cells] non-compliant okta_app_oauth.acme_Service-deploy-bot_App: label is not set, not a service account of tenant acme (mcp-acme-svc-<name>), yet okta_auth_server_policy.acme_Service-deploy-bot_Policy of tenant acme's authorization server admits it",
      "[cells] non-compliant okta_auth_server_policy.acme_Service-deploy-bot_Policy: client_whitelist names 2 clients, among them the service app okta_app_oauth.acme_Service-deploy-bot_App: a service account's policy names its own app and nothing else",
      '[cells] non-compliant okta_auth_server_policy_rule.acme_Service-deploy-bot_Rule: grant_type_whitelist allows client_credentials in policy okta_auth_server_policy.acme_Service-deploy-bot_Policy, which does not name exactly one service app',
    ]);
  });
});
