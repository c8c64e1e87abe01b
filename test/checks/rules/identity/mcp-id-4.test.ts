import { AuthServer } from '@cdktf/provider-okta/lib/auth-server';
import { MCP_ID_4 } from '../../../../lib/checks/rules/identity/mcp-id-4';
import type { JsonObject } from '../../../../lib/model/stack';
import { Construct } from '../../../../lib/core/cdktf';
import { recordTenantScope } from '../../../../lib/core/stack-metadata';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper } from './tamper';

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

  test('undecided: an audience from a variable', () => {
    const bad = tamper(json, 'okta_auth_server', 'acme_', (b) => {
      b.audiences = ['${var.audience}'];
    });
    expect(findings(MCP_ID_4, bad)).toEqual([
      'undecided okta_auth_server.acme_Identity_AuthServer: audiences is an unresolved expression',
    ]);
  });

  test('not applicable: a stack without auth servers', () => {
    expect(run(MCP_ID_4, rawJson(newStack()))).toEqual([]);
  });
});
