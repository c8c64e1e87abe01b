import { AuthServer } from '@cdktf/provider-okta/lib/auth-server';
import { MCP_ID_4 } from '../../../../lib/checks/rules/identity/mcp-id-4';
import type { JsonObject } from '../../../../lib/model/stack';
import { Construct } from '../../../../lib/core/cdktf';
import { recordTenantScope } from '../../../../lib/core/stack-metadata';
import { newStack, rawJson } from '../../../helpers';
import { identityFleet } from '../../../identity/fixtures';
import { appFindings, findings, identityJson, run, runApp, tamper, withVariable } from './tamper';

describe('MCP-ID-4', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson(['acme', 'globex', 'initech']);
  });

  test('compliant: three tenants, one auth server each, unique audiences naming their tenant', () => {
    const results = run(MCP_ID_4, json);
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test("non-compliant: one tenant's server takes another tenant's audience", () => {
    const bad = tamper(json, 'okta_auth_server', 'globex_', (b) => {
      b.audiences = ['https://acme.mcp.example.com/mcp'];
    });
    expect(findings(MCP_ID_4, bad)).toEqual([
      "non-compliant okta_auth_server.acme_Identity_AuthServer: audience 'https://acme.mcp.example.com/mcp' is shared with okta_auth_server.globex_Identity_AuthServer_1BA79805",
      "non-compliant okta_auth_server.globex_Identity_AuthServer: audience 'https://acme.mcp.example.com/mcp' is shared with okta_auth_server.acme_Identity_AuthServer_CE84E4E3; audience 'https://acme.mcp.example.com/mcp' does not name tenant 'globex'",
    ]);
  });

  test('non-compliant: two audiences on one server', () => {
    const bad = tamper(json, 'okta_auth_server', 'initech_', (b) => {
      b.audiences = ['https://initech.mcp.example.com/mcp', 'api://default'];
    });
    expect(findings(MCP_ID_4, bad)).toEqual([
      'non-compliant okta_auth_server.initech_Identity_AuthServer: audiences has 2 values (exactly one)',
    ]);
  });

  test('non-compliant: a second auth server in a tenant cell', () => {
    const stack = newStack();
    const cell = new Construct(stack, 'acme');
    recordTenantScope(cell, 'acme');
    new AuthServer(cell, 'One', { name: 'a', audiences: ['https://acme.x.com/mcp'] });
    new AuthServer(cell, 'Two', { name: 'b', audiences: ['https://acme.y.com/mcp'] });
    expect(findings(MCP_ID_4, rawJson(stack))).toEqual([
      "non-compliant okta_auth_server.acme_One: tenant 'acme' has another auth server: okta_auth_server.acme_Two_D36EBC02",
      "non-compliant okta_auth_server.acme_Two: tenant 'acme' has another auth server: okta_auth_server.acme_One_0050683D",
    ]);
  });

  test("non-compliant: a server is judged by the tenant its own name carries, not by the stack's metadata", () => {
    const bad = JSON.parse(JSON.stringify(json)) as JsonObject;
    delete (bad['//'] as JsonObject).mcp_access;
    const renamed = tamper(bad, 'okta_auth_server', 'globex_', (b) => {
      b.audiences = ['https://initech.mcp.example.com/mcp'];
    });
    expect(findings(MCP_ID_4, renamed)).toEqual([
      "non-compliant okta_auth_server.globex_Identity_AuthServer: audience 'https://initech.mcp.example.com/mcp' is shared with okta_auth_server.initech_Identity_AuthServer_66BAFAD6; audience 'https://initech.mcp.example.com/mcp' does not name tenant 'globex'",
      "non-compliant okta_auth_server.initech_Identity_AuthServer: audience 'https://initech.mcp.example.com/mcp' is shared with okta_auth_server.globex_Identity_AuthServer_1BA79805",
    ]);
  });

  test('compliant across a fleet; non-compliant when a server in another stack takes the same audience', () => {
    const fleet = identityFleet(['acme', 'globex']);
    expect(runApp(MCP_ID_4, fleet).map(({ stack, evaluation }) => [stack, evaluation.status])).toEqual([
      ['cells', 'compliant'],
      ['cells', 'compliant'],
    ]);
    const foundation = JSON.parse(JSON.stringify(fleet.foundation)) as JsonObject;
    (foundation.resource as Record<string, JsonObject>).okta_auth_server = {
      Stray: { name: 'mcp-stray', audiences: ['https://acme.mcp.example.com/mcp'] },
    };
    expect(appFindings(MCP_ID_4, { ...fleet, foundation })).toEqual([
      "[foundation] non-compliant okta_auth_server.Stray: audience 'https://acme.mcp.example.com/mcp' is shared with okta_auth_server.acme_Identity_AuthServer in stack cells; audience 'https://acme.mcp.example.com/mcp' does not name tenant 'stray'",
      "[cells] non-compliant okta_auth_server.acme_Identity_AuthServer: audience 'https://acme.mcp.example.com/mcp' is shared with okta_auth_server.Stray in stack foundation",
    ]);
  });

  test('a variable with a literal default is judged by its default, whole or inside the audience', () => {
    const good = tamper(withVariable(json, 'domain', 'mcp.example.com'), 'okta_auth_server', 'acme_', (b) => {
      b.audiences = ['https://acme.${var.domain}/mcp'];
    });
    expect(findings(MCP_ID_4, good)).toEqual([]);
    const shared = tamper(
      withVariable(json, 'audience', 'https://globex.mcp.example.com/mcp'),
      'okta_auth_server',
      'acme_',
      (b) => {
        b.audiences = ['${var.audience}'];
      },
    );
    expect(findings(MCP_ID_4, shared)).toEqual([
      "non-compliant okta_auth_server.acme_Identity_AuthServer: audience 'https://globex.mcp.example.com/mcp' is shared with okta_auth_server.globex_Identity_AuthServer_1BA79805; audience 'https://globex.mcp.example.com/mcp' does not name tenant 'acme'",
      "non-compliant okta_auth_server.globex_Identity_AuthServer: audience 'https://globex.mcp.example.com/mcp' is shared with okta_auth_server.acme_Identity_AuthServer_CE84E4E3",
    ]);
  });

  test('undecided, now an error: an audience from a variable without a default', () => {
    const bad = tamper(withVariable(json, 'domain'), 'okta_auth_server', 'acme_', (b) => {
      b.audiences = ['https://acme.${var.domain}/mcp'];
    });
    expect(findings(MCP_ID_4, bad)).toEqual([
      "undecided okta_auth_server.acme_Identity_AuthServer: audiences: variable 'domain' has no default: its value comes at plan time",
    ]);
  });

  test('undecided: audiences from two variables without a default', () => {
    const bad = tamper(withVariable(withVariable(json, 'a'), 'b'), 'okta_auth_server', 'acme_', (b) => {
      b.audiences = ['${var.a}', '${var.b}'];
    });
    expect(findings(MCP_ID_4, bad)).toEqual([
      "undecided okta_auth_server.acme_Identity_AuthServer: audiences: variable 'a' has no default: its value comes at plan time; variable 'b' has no default: its value comes at plan time",
    ]);
  });

  test('undecided: an audience computed at apply, by reference or inside a template', () => {
    const referenced = tamper(json, 'okta_auth_server', 'acme_', (b) => {
      b.audiences = ['${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}'];
    });
    const templated = tamper(referenced, 'okta_auth_server', 'globex_', (b) => {
      b.audiences = ['https://${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}.example.com/mcp'];
    });
    expect(findings(MCP_ID_4, templated)).toEqual([
      "undecided okta_auth_server.acme_Identity_AuthServer: audiences[0] 'okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id' is computed at apply, so its uniqueness cannot be shown",
      "undecided okta_auth_server.globex_Identity_AuthServer: audiences[0] 'https://${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}.example.com/mcp' is computed at apply, so its uniqueness cannot be shown",
    ]);
  });

  test('non-compliant: an audience that is not a URL cannot name its tenant', () => {
    const bad = tamper(json, 'okta_auth_server', 'acme_', (b) => {
      b.audiences = ['acme audience'];
    });
    expect(findings(MCP_ID_4, bad)).toEqual([
      "non-compliant okta_auth_server.acme_Identity_AuthServer: audience 'acme audience' does not name tenant 'acme'",
    ]);
  });

  test('compliant: a server whose name and stack carry no tenant is not held to a tenant audience', () => {
    const stack = newStack();
    new AuthServer(stack, 'Shared', { name: 'shared', audiences: ['https://api.example.com/mcp'] });
    const results = run(MCP_ID_4, rawJson(stack));
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe('compliant');
  });

  test('not applicable: a stack without auth servers', () => {
    expect(run(MCP_ID_4, rawJson(newStack()))).toEqual([]);
  });
});
