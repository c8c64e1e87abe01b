import { MCP_ID_8 } from '../../../../lib/checks/rules/identity/mcp-id-8';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson, resourcesOf } from '../../../helpers';
import { identityFleet } from '../../../identity/fixtures';
import { appFindings, findings, identityJson, run, runApp, tamper, withVariable } from './tamper';

const GLOBEX = 'okta_auth_server.globex_Identity_AuthServer';

describe('MCP-ID-8', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson(['acme', 'globex']);
  });

  /** The claim's address with its hash, as details name it. */
  const claimOf = (tenant: string): string =>
    `okta_auth_server_claim.${Object.keys(resourcesOf(json, 'okta_auth_server_claim')).find((n) => n.startsWith(`${tenant}_`))}`;

  test("compliant: each tenant's server carries its own tid", () => {
    const results = run(MCP_ID_8, json);
    expect(results.map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
      ['okta_auth_server.acme_Identity_AuthServer', 'compliant'],
      [GLOBEX, 'compliant'],
    ]);
  });

  test("non-compliant: a tenant's claim carries another tenant's id", () => {
    const bad = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      b.value = '"acme"';
    });
    expect(findings(MCP_ID_8, bad)).toEqual([
      `non-compliant ${GLOBEX}: ${claimOf('globex')} value is "\\"acme\\"" (must be "\\"globex\\"", tenant 'globex' as an Okta string literal)`,
    ]);
  });

  test('non-compliant: an id-token claim, left out of some tokens, tied to scopes, inactive, or a user attribute', () => {
    const bad = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      b.claim_type = 'IDENTITY';
      b.always_include_in_token = false;
      b.scopes = ['mcp:globex:admin'];
      b.status = 'INACTIVE';
      b.value_type = 'GROUPS';
    });
    const claim = claimOf('globex');
    expect(findings(MCP_ID_8, bad)).toEqual([
      `non-compliant ${GLOBEX}: ${claim} claim_type is IDENTITY (must be RESOURCE: a claim of the access token); ${claim} value_type is GROUPS (must be EXPRESSION); ${claim} always_include_in_token is false (must be true); ${claim} status is INACTIVE (must be ACTIVE); ${claim} scopes is ["mcp:globex:admin"] (must be empty: the claim then rides in every token, whatever the scopes asked)`,
    ]);
  });

  test('non-compliant: no tid claim, or two', () => {
    const none = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      b.name = 'tenant';
    });
    expect(findings(MCP_ID_8, none)).toEqual([
      `non-compliant ${GLOBEX}: it has no tid claim: its tokens do not say they are for tenant 'globex'`,
    ]);
    const two = tamper(json, 'okta_auth_server_claim', 'acme_', (b) => {
      b.auth_server_id = (
        resourcesOf(json, 'okta_auth_server_claim')[claimOf('globex').split('.')[1]] as JsonObject
      ).auth_server_id;
    });
    expect(findings(MCP_ID_8, two)).toEqual([
      "non-compliant okta_auth_server.acme_Identity_AuthServer: it has no tid claim: its tokens do not say they are for tenant 'acme'",
      `non-compliant ${GLOBEX}: it has 2 tid claims: ${claimOf('acme')}, ${claimOf('globex')}`,
    ]);
  });

  test('non-compliant: a server renamed away from mcp-<tenant> is judged by the stack record, else refused for its tid claim', () => {
    const renamed = tamper(json, 'okta_auth_server', 'globex_', (b) => {
      b.name = 'shared';
    });
    expect(findings(MCP_ID_8, renamed)).toEqual([]);
    const unrecorded = JSON.parse(JSON.stringify(renamed)) as JsonObject;
    delete (unrecorded['//'] as JsonObject).mcp_access;
    expect(findings(MCP_ID_8, unrecorded)).toEqual([
      `non-compliant ${GLOBEX}: it names no tenant (its name is not mcp-<tenant>) but carries a tid claim: ${claimOf('globex')}`,
    ]);
  });

  test('a variable with a literal default is judged by its default', () => {
    const good = tamper(withVariable(json, 'tid', '"globex"'), 'okta_auth_server_claim', 'globex_', (b) => {
      b.value = '${var.tid}';
    });
    expect(findings(MCP_ID_8, good)).toEqual([]);
    const bad = tamper(withVariable(json, 'tid', '"acme"'), 'okta_auth_server_claim', 'globex_', (b) => {
      b.value = '${var.tid}';
    });
    expect(findings(MCP_ID_8, bad)).toEqual([
      `non-compliant ${GLOBEX}: ${claimOf('globex')} value is "\\"acme\\"" (must be "\\"globex\\"", tenant 'globex' as an Okta string literal)`,
    ]);
  });

  test('undecided, now an error: a value from a variable without a default; a claim whose name or server no stack decides is not the tid claim', () => {
    const value = tamper(withVariable(json, 'tid'), 'okta_auth_server_claim', 'globex_', (b) => {
      b.value = '${var.tid}';
    });
    expect(findings(MCP_ID_8, value)).toEqual([
      `undecided ${GLOBEX}: ${claimOf('globex')} value: variable 'tid' has no default: its value comes at plan time`,
    ]);
    const name = tamper(withVariable(json, 'claim'), 'okta_auth_server_claim', 'globex_', (b) => {
      b.name = '${var.claim}';
    });
    expect(findings(MCP_ID_8, name)).toEqual([
      `non-compliant ${GLOBEX}: it has no tid claim: its tokens do not say they are for tenant 'globex'`,
    ]);
    const server = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      b.auth_server_id = 'aus1elsewhere';
    });
    expect(findings(MCP_ID_8, server)).toEqual([
      `non-compliant ${GLOBEX}: it has no tid claim: its tokens do not say they are for tenant 'globex'`,
      `undecided ${claimOf('globex').replace(/_[0-9A-F]{8}$/, '')}: auth_server_id: "aus1elsewhere" is not an okta_auth_server of this app`,
    ]);
  });

  test('compliant across a fleet; a claim tampered in the cells stack is refused', () => {
    const fleet = identityFleet(['acme', 'globex']);
    expect(runApp(MCP_ID_8, fleet).map((r) => [r.stack, r.evaluation.status])).toEqual([
      ['cells', 'compliant'],
      ['cells', 'compliant'],
    ]);
    const cells = tamper(fleet.cells, 'okta_auth_server_claim', 'acme_', (b) => {
      b.value = '"globex"';
    });
    expect(appFindings(MCP_ID_8, { ...fleet, cells })).toEqual([
      expect.stringMatching(
        /^\[cells\] non-compliant okta_auth_server\.acme_Identity_AuthServer: okta_auth_server_claim\.acme_Identity_TenantClaim value is/,
      ),
    ]);
  });

  test('compliant: value_type, always_include_in_token and status unset (the defaults)', () => {
    const defaults = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      delete b.value_type;
      delete b.always_include_in_token;
      delete b.status;
    });
    expect(findings(MCP_ID_8, defaults)).toEqual([]);
  });

  test('non-compliant: a value computed at apply; scopes that are references or templates', () => {
    const server = `okta_auth_server.${Object.keys(resourcesOf(json, 'okta_auth_server')).find((n) => n.startsWith('globex_'))}`;
    const claim = claimOf('globex');
    const value = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      b.value = `\${${server}.id}`;
    });
    expect(findings(MCP_ID_8, value)).toEqual([
      `non-compliant ${GLOBEX}: ${claim} value is a reference to ${server}.id (must be "\\"globex\\"", tenant 'globex' as an Okta string literal)`,
    ]);
    const referenced = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      b.scopes = ['mcp:globex:admin', `\${${server}.id}`];
    });
    expect(findings(MCP_ID_8, referenced)).toEqual([
      `non-compliant ${GLOBEX}: ${claim} scopes is ["mcp:globex:admin"] (must be empty: the claim then rides in every token, whatever the scopes asked)`,
    ]);
    const templated = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      b.scopes = ['mcp:globex:admin', `mcp:\${${server}.id}`];
    });
    expect(findings(MCP_ID_8, templated)).toEqual([
      `non-compliant ${GLOBEX}: ${claim} scopes is ["mcp:globex:admin"] (must be empty: the claim then rides in every token, whatever the scopes asked)`,
    ]);
  });

  test('undecided: claim_type, value_type, always_include_in_token, status and scopes from a variable without a default', () => {
    const unknown = tamper(withVariable(json, 'v'), 'okta_auth_server_claim', 'globex_', (b) => {
      b.claim_type = '${var.v}';
      b.value_type = '${var.v}';
      b.always_include_in_token = '${var.v}';
      b.status = '${var.v}';
      b.scopes = '${var.v}';
    });
    const claim = claimOf('globex');
    expect(findings(MCP_ID_8, unknown)).toEqual([
      `undecided ${GLOBEX}: ${claim} claim_type: variable 'v' has no default: its value comes at plan time; ${claim} value_type: variable 'v' has no default: its value comes at plan time; ${claim} always_include_in_token: variable 'v' has no default: its value comes at plan time; ${claim} status: variable 'v' has no default: its value comes at plan time; ${claim} scopes: variable 'v' has no default: its value comes at plan time`,
    ]);
  });

  test('undecided: a claim whose name no stack decides, on an inactive server or on a server that names no tenant', () => {
    const inactive = tamper(json, 'okta_auth_server', 'globex_', (b) => {
      b.status = 'INACTIVE';
    });
    const unnamed = tamper(withVariable(inactive, 'claim'), 'okta_auth_server_claim', 'globex_', (b) => {
      b.name = '${var.claim}';
    });
    expect(findings(MCP_ID_8, unnamed)).toEqual([
      `undecided ${GLOBEX}: ${claimOf('globex')} may be a tid claim: its name cannot be read`,
    ]);
    const renamed = tamper(withVariable(json, 'claim'), 'okta_auth_server', 'globex_', (b) => {
      b.name = 'shared';
    });
    delete (renamed['//'] as JsonObject).mcp_access;
    const untenanted = tamper(renamed, 'okta_auth_server_claim', 'globex_', (b) => {
      b.name = '${var.claim}';
    });
    expect(findings(MCP_ID_8, untenanted)).toEqual([
      `undecided ${GLOBEX}: ${claimOf('globex')} may be a tid claim: its name cannot be read`,
    ]);
  });

  test('not applicable: a server that names no tenant and carries no claim', () => {
    const renamed = tamper(json, 'okta_auth_server', 'globex_', (b) => {
      b.name = 'shared';
    });
    delete (renamed['//'] as JsonObject).mcp_access;
    const bare = tamper(renamed, 'okta_auth_server_claim', 'globex_', (b) => {
      b.name = 'tenant';
    });
    expect(run(MCP_ID_8, bare).map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
      ['okta_auth_server.acme_Identity_AuthServer', 'compliant'],
    ]);
  });

  test('undecided: a tid claim whose auth_server_id is unset, from a variable without a default, or another resource (its server has no tid claim)', () => {
    const acmeClaim = claimOf('acme');
    const unset = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      delete b.auth_server_id;
    });
    expect(findings(MCP_ID_8, unset)).toEqual([
      `non-compliant ${GLOBEX}: it has no tid claim: its tokens do not say they are for tenant 'globex'`,
      'undecided okta_auth_server_claim.globex_Identity_TenantClaim: auth_server_id: it is not set',
    ]);
    const unknown = tamper(withVariable(json, 'v'), 'okta_auth_server_claim', 'globex_', (b) => {
      b.auth_server_id = '${var.v}';
    });
    expect(findings(MCP_ID_8, unknown)).toEqual([
      `non-compliant ${GLOBEX}: it has no tid claim: its tokens do not say they are for tenant 'globex'`,
      `undecided okta_auth_server_claim.globex_Identity_TenantClaim: auth_server_id: variable 'v' has no default: its value comes at plan time`,
    ]);
    const other = tamper(json, 'okta_auth_server_claim', 'globex_', (b) => {
      b.auth_server_id = `\${${acmeClaim}.id}`;
    });
    expect(findings(MCP_ID_8, other)).toEqual([
      `non-compliant ${GLOBEX}: it has no tid claim: its tokens do not say they are for tenant 'globex'`,
      `undecided okta_auth_server_claim.globex_Identity_TenantClaim: auth_server_id: a reference to ${acmeClaim}.id is not an okta_auth_server`,
    ]);
  });

  test('undecided across a fleet: a stray claim is reported in its own stack only', () => {
    const fleet = identityFleet(['acme', 'globex']);
    const cells = tamper(fleet.cells, 'okta_auth_server_claim', 'acme_', (b) => {
      b.auth_server_id = 'aus1elsewhere';
    });
    expect(appFindings(MCP_ID_8, { ...fleet, cells })).toEqual([
      "[cells] non-compliant okta_auth_server.acme_Identity_AuthServer: it has no tid claim: its tokens do not say they are for tenant 'acme'",
      '[cells] undecided okta_auth_server_claim.acme_Identity_TenantClaim: auth_server_id: "aus1elsewhere" is not an okta_auth_server of this app',
    ]);
  });

  test('not applicable: a stack without auth servers', () => {
    expect(run(MCP_ID_8, rawJson(newStack()))).toEqual([]);
  });
});
