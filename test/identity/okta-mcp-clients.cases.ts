import * as fs from 'fs';
import * as path from 'path';
import { AccessPolicyConstraints } from '@okta/okta-sdk-nodejs/src/generated/models/AccessPolicyConstraints';
import { AuthenticationMethodObject } from '@okta/okta-sdk-nodejs/src/generated/models/AuthenticationMethodObject';
import { PossessionConstraint } from '@okta/okta-sdk-nodejs/src/generated/models/PossessionConstraint';
import type { JsonObject } from '../../lib/model/stack';
import { TerraformLocal, TerraformStack, TerraformVariable } from '../../lib/core/cdktf';
import { ADMIN_POSSESSION_CONSTRAINT, adminPossessionConstraint } from '../../lib/core/identity-defaults';
import { type ValidationError } from '../../lib/core/validation';
import { OktaMcpClients, type OktaMcpClientsProps } from '../../lib/identity/okta-mcp-clients';
import { newStack, rawJson, resourcesOf } from '../helpers';
import { ACCESS_CALLBACK, clientsProps, identityStack, only, ORG_URL, warningsOf } from './fixtures';

const DEFAULT_REDIRECTS = [
  'http://127.0.0.1:7701/callback',
  'http://127.0.0.1:7701/oauth/callback',
  'http://localhost:7701/callback',
  'http://localhost:7701/oauth/callback',
];

function problemsOf(props: OktaMcpClientsProps): readonly string[] {
  try {
    new OktaMcpClients(newStack(), 'Okta', props);
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

describe('OktaMcpClients: what it provisions by default', () => {
  let json: JsonObject;
  let clients: OktaMcpClients;
  beforeAll(() => {
    const fixture = identityStack(['acme']);
    clients = fixture.clients;
    json = rawJson(fixture.stack);
  });

  test('three OAuth apps, two sign-on policies with one rule each, one authenticator', () => {
    expect(Object.keys(resourcesOf(json, 'okta_app_oauth'))).toHaveLength(3);
    expect(Object.keys(resourcesOf(json, 'okta_app_signon_policy'))).toHaveLength(2);
    expect(Object.keys(resourcesOf(json, 'okta_app_signon_policy_rule'))).toHaveLength(2);
    expect(Object.keys(resourcesOf(json, 'okta_authenticator'))).toHaveLength(1);
  });

  test('the MCP client is a public native PKCE client with rotating refresh tokens and loopback redirects', () => {
    const { body } = only(json, 'okta_app_oauth', 'McpClient');
    expect(body).toMatchObject({
      label: 'MCP clients',
      type: 'native',
      token_endpoint_auth_method: 'none',
      pkce_required: true,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: DEFAULT_REDIRECTS,
      wildcard_redirect: 'DISABLED',
      refresh_token_rotation: 'ROTATE',
      refresh_token_leeway: 30,
      authentication_policy: `\${okta_app_signon_policy.${only(json, 'okta_app_signon_policy', 'McpSignonPolicy').name}.id}`,
    });
  });

  test('the MCP client and the Access web app sign in through a two-factor policy of their own, which denies by default', () => {
    const policy = only(json, 'okta_app_signon_policy', 'McpSignonPolicy');
    expect(policy.body).toMatchObject({ name: 'MCP two factors', catch_all: false });
    const rule = only(json, 'okta_app_signon_policy_rule', 'McpSignonRule').body;
    expect(rule).toMatchObject({
      policy_id: `\${okta_app_signon_policy.${policy.name}.id}`,
      name: 'two factors required',
      access: 'ALLOW',
      status: 'ACTIVE',
      priority: 1,
      type: 'ASSURANCE',
      factor_mode: '2FA',
    });
    expect(rule.constraints).toBeUndefined();
    expect(only(json, 'okta_app_oauth', 'AccessIdpApp').body.authentication_policy).toBe(
      `\${okta_app_signon_policy.${policy.name}.id}`,
    );
  });

  test('the admin client is a public PKCE client without refresh tokens, bound to its own sign-on policy', () => {
    const { body } = only(json, 'okta_app_oauth', 'AdminClient');
    const policy = only(json, 'okta_app_signon_policy', 'AdminSignonPolicy');
    expect(body).toMatchObject({
      label: 'MCP admin',
      type: 'native',
      token_endpoint_auth_method: 'none',
      pkce_required: true,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: DEFAULT_REDIRECTS,
      wildcard_redirect: 'DISABLED',
      authentication_policy: `\${okta_app_signon_policy.${policy.name}.id}`,
    });
    expect(body.refresh_token_rotation).toBeUndefined();
  });

  test('the admin sign-on policy denies by default; its rule demands a verified hardware-protected key every 15 minutes', () => {
    const policy = only(json, 'okta_app_signon_policy', 'AdminSignonPolicy');
    expect(policy.body).toMatchObject({ name: 'MCP admin hardware key', catch_all: false });
    const rule = only(json, 'okta_app_signon_policy_rule', 'AdminSignonRule').body;
    expect(rule).toMatchObject({
      policy_id: `\${okta_app_signon_policy.${policy.name}.id}`,
      name: 'hardware key required',
      access: 'ALLOW',
      status: 'ACTIVE',
      priority: 1,
      type: 'ASSURANCE',
      factor_mode: '2FA',
      re_authentication_frequency: 'PT15M',
    });
    expect((rule.constraints as string[]).map((c) => JSON.parse(c))).toEqual([
      {
        possession: {
          required: true,
          phishingResistant: 'REQUIRED',
          hardwareProtection: 'REQUIRED',
          userVerification: 'REQUIRED',
        },
      },
    ]);
    expect(rule.depends_on).toEqual([`okta_authenticator.${only(json, 'okta_authenticator').name}`]);
  });

  test('WebAuthn is active and never destroyed with the stack', () => {
    expect(only(json, 'okta_authenticator').body).toMatchObject({
      key: 'webauthn',
      status: 'ACTIVE',
      lifecycle: { prevent_destroy: true },
    });
  });

  test('the Access web app is confidential, redirects only to the Access callback and emits a filtered groups claim', () => {
    const { body } = only(json, 'okta_app_oauth', 'AccessIdpApp');
    expect(body).toMatchObject({
      label: 'MCP Cloudflare Access',
      type: 'web',
      token_endpoint_auth_method: 'client_secret_basic',
      pkce_required: true,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [ACCESS_CALLBACK],
      wildcard_redirect: 'DISABLED',
      groups_claim: { name: 'groups', type: 'FILTER', filter_type: 'REGEX', value: 'mcp-.*' },
    });
  });

  test('exposes client ids, app ids and the secret as references, never literals', () => {
    const stack = TerraformStack.of(clients);
    new TerraformLocal(stack, 'refs', {
      mcp: clients.mcpClientId,
      admin: clients.adminClientId,
      accessIdp: clients.accessIdpClientId,
      secret: clients.accessIdpClientSecret,
      mcpApp: clients.mcpAppId,
      adminApp: clients.adminAppId,
      accessIdpApp: clients.accessIdpAppId,
      signonPolicy: clients.adminSignonPolicyId,
      mcpSignonPolicy: clients.mcpSignonPolicyId,
    });
    const after = rawJson(stack);
    const addr = (part: string) => `okta_app_oauth.${only(after, 'okta_app_oauth', part).name}`;
    expect((after.locals as JsonObject).refs).toEqual({
      mcp: `\${${addr('McpClient')}.client_id}`,
      admin: `\${${addr('AdminClient')}.client_id}`,
      accessIdp: `\${${addr('AccessIdpApp')}.client_id}`,
      secret: `\${${addr('AccessIdpApp')}.client_secret}`,
      mcpApp: `\${${addr('McpClient')}.id}`,
      adminApp: `\${${addr('AdminClient')}.id}`,
      accessIdpApp: `\${${addr('AccessIdpApp')}.id}`,
      signonPolicy: `\${okta_app_signon_policy.${only(after, 'okta_app_signon_policy', 'AdminSignonPolicy').name}.id}`,
      mcpSignonPolicy: `\${okta_app_signon_policy.${only(after, 'okta_app_signon_policy', 'McpSignonPolicy').name}.id}`,
    });
    expect(clients.orgUrl).toBe(ORG_URL);
    expect(clients.adminReauthFrequency).toBe('PT15M');
    expect(clients.adminAuthenticator).toBe('phishing-resistant');
    expect(clients.loopbackRedirectUris).toEqual(DEFAULT_REDIRECTS);
  });

  test('adds no warning with the defaults', () => {
    expect(warningsOf(clients)).toEqual([]);
  });
});

describe('OktaMcpClients: the admin constraints JSON is what the Okta API models define', () => {
  const modelsDir = path.dirname(
    require.resolve('@okta/okta-sdk-nodejs/src/types/generated/models/PossessionConstraint.d.ts'),
  );
  /** Members of an enum type alias in the SDK's generated .d.ts, e.g. `'OPTIONAL' | 'REQUIRED'`. */
  function enumValues(typeName: string): string[] {
    const text = fs.readFileSync(path.join(modelsDir, 'PossessionConstraint.d.ts'), 'utf8');
    const m = new RegExp(`export type ${typeName} = ([^;]+);`).exec(text);
    if (!m) throw new Error(`no enum ${typeName}`);
    return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
  }

  test('possession is a field of AccessPolicyConstraints', () => {
    expect(AccessPolicyConstraints.getAttributeTypeMap().map((a) => a.baseName)).toContain('possession');
  });

  test.each(Object.entries(ADMIN_POSSESSION_CONSTRAINT))(
    '%s is a PossessionConstraint field with a valid value',
    (key, value) => {
      const attribute = PossessionConstraint.getAttributeTypeMap().find((a) => a.baseName === key);
      expect(attribute).toBeDefined();
      if (attribute!.type === 'boolean') expect(typeof value).toBe('boolean');
      else expect(enumValues(attribute!.type)).toContain(value);
    },
  );
});

describe("OktaMcpClients: adminAuthenticator 'security-key' (FIDO2 WebAuthn only, no FastPass)", () => {
  let json: JsonObject;
  let clients: OktaMcpClients;
  beforeAll(() => {
    const fixture = identityStack(['acme'], { adminAuthenticator: 'security-key' });
    clients = fixture.clients;
    json = rawJson(fixture.stack);
  });

  test('the admin rule names WebAuthn as the one authenticator, on top of the possession requirements', () => {
    const rule = only(json, 'okta_app_signon_policy_rule', 'AdminSignonRule').body;
    expect(rule).toMatchObject({
      name: 'security key required',
      factor_mode: '2FA',
      re_authentication_frequency: 'PT15M',
    });
    expect((rule.constraints as string[]).map((c) => JSON.parse(c))).toEqual([
      {
        possession: {
          required: true,
          phishingResistant: 'REQUIRED',
          hardwareProtection: 'REQUIRED',
          userVerification: 'REQUIRED',
          authenticationMethods: [{ key: 'webauthn', method: 'webauthn' }],
        },
      },
    ]);
    expect(clients.adminAuthenticator).toBe('security-key');
    expect(warningsOf(clients)).toEqual([]);
  });

  test('the address of the admin rule does not change with the setting', () => {
    const byDefault = rawJson(identityStack(['acme']).stack);
    expect(only(json, 'okta_app_signon_policy_rule', 'AdminSignonRule').name).toBe(
      only(byDefault, 'okta_app_signon_policy_rule', 'AdminSignonRule').name,
    );
  });

  test('authenticationMethods is the Okta API shape: PossessionConstraint.authenticationMethods of AuthenticationMethodObject {key, method}', () => {
    const modelsDir = path.dirname(
      require.resolve('@okta/okta-sdk-nodejs/src/types/generated/models/PossessionConstraint.d.ts'),
    );
    const enumOf = (file: string, typeName: string): string[] => {
      const text = fs.readFileSync(path.join(modelsDir, `${file}.d.ts`), 'utf8');
      const m = new RegExp(`export type ${typeName} = ([^;]+);`).exec(text);
      if (!m) throw new Error(`no enum ${typeName}`);
      return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
    };
    const attribute = PossessionConstraint.getAttributeTypeMap().find((a) => a.baseName === 'authenticationMethods');
    expect(attribute?.type).toBe('Array<AuthenticationMethodObject>');
    const fields = AuthenticationMethodObject.getAttributeTypeMap().map((a) => a.baseName);
    const methods = (adminPossessionConstraint('security-key') as { authenticationMethods: Record<string, string>[] })
      .authenticationMethods;
    expect(methods).toHaveLength(1);
    for (const method of methods) {
      for (const key of Object.keys(method)) expect(fields).toContain(key);
      expect(enumOf('AuthenticatorKeyEnum', 'AuthenticatorKeyEnum')).toContain(method.key);
      expect(enumOf('AuthenticatorMethodType', 'AuthenticatorMethodType')).toContain(method.method);
    }
    // FastPass is Okta Verify's signed_nonce: a different key, so the list excludes it.
    expect(methods).not.toContainEqual({ key: 'okta_verify', method: 'signed_nonce' });
  });
});

describe('OktaMcpClients: props', () => {
  test('custom loopback redirect URIs replace the defaults on both public clients', () => {
    const uris = ['http://127.0.0.1:33418/callback', 'http://[::1]:33418/callback'];
    const json = rawJson(identityStack(['acme'], { loopbackRedirectUris: uris }).stack);
    expect(only(json, 'okta_app_oauth', 'McpClient').body.redirect_uris).toEqual(uris);
    expect(only(json, 'okta_app_oauth', 'AdminClient').body.redirect_uris).toEqual(uris);
  });

  test('adminReauthMinutes sets the re-authentication frequency; 0 means every sign-in', () => {
    const five = rawJson(identityStack(['acme'], { adminReauthMinutes: 5 }).stack);
    expect(only(five, 'okta_app_signon_policy_rule', 'AdminSignonRule').body.re_authentication_frequency).toBe('PT5M');
    const zero = rawJson(identityStack(['acme'], { adminReauthMinutes: 0 }).stack);
    expect(only(zero, 'okta_app_signon_policy_rule', 'AdminSignonRule').body.re_authentication_frequency).toBe('PT0S');
  });

  test('labelPrefix renames the apps and the sign-on policy', () => {
    const json = rawJson(identityStack(['acme'], { labelPrefix: 'Staging MCP' }).stack);
    expect(Object.values(resourcesOf(json, 'okta_app_oauth')).map((b) => b.label)).toEqual([
      'Staging MCP clients',
      'Staging MCP admin',
      'Staging MCP Cloudflare Access',
    ]);
    expect(Object.values(resourcesOf(json, 'okta_app_signon_policy')).map((b) => b.name)).toEqual([
      'Staging MCP two factors',
      'Staging MCP admin hardware key',
    ]);
  });

  test('accessGroupsClaimFilter widens the groups claim, with a warning naming default and value', () => {
    const { stack, clients } = identityStack(['acme'], { accessGroupsClaimFilter: '.*' });
    expect(only(rawJson(stack), 'okta_app_oauth', 'AccessIdpApp').body.groups_claim).toMatchObject({ value: '.*' });
    expect(warningsOf(clients)).toEqual([
      "accessGroupsClaimFilter is '.*' instead of the default 'mcp-.*': Cloudflare Access receives every Okta group it matches",
    ]);
  });

  test('accessIdpPkceRequired false drops PKCE on the Access app, with a warning', () => {
    const { stack, clients } = identityStack(['acme'], { accessIdpPkceRequired: false });
    expect(only(rawJson(stack), 'okta_app_oauth', 'AccessIdpApp').body.pkce_required).toBe(false);
    expect(warningsOf(clients)).toEqual([
      'accessIdpPkceRequired is false instead of the default true: the Access web app accepts codes without PKCE',
    ]);
  });

  test('manageWebAuthnAuthenticator false leaves the authenticator alone, with a warning', () => {
    const { stack, clients } = identityStack(['acme'], { manageWebAuthnAuthenticator: false });
    const json = rawJson(stack);
    expect(resourcesOf(json, 'okta_authenticator')).toEqual({});
    expect(only(json, 'okta_app_signon_policy_rule', 'AdminSignonRule').body.depends_on).toBeUndefined();
    expect(clients.webAuthn).toBeUndefined();
    expect(warningsOf(clients)).toEqual([
      'manageWebAuthnAuthenticator is false instead of the default true: keep the WebAuthn authenticator active elsewhere, or admins cannot sign in',
    ]);
  });

  test('accepts Terraform tokens for the org URL, the Access callback and a redirect URI', () => {
    const stack = newStack();
    const org = new TerraformVariable(stack, 'org', { type: 'string' });
    const callback = new TerraformVariable(stack, 'callback', { type: 'string' });
    const redirect = new TerraformVariable(stack, 'redirect', { type: 'string' });
    new OktaMcpClients(stack, 'Okta', {
      orgUrl: org.stringValue,
      accessCallbackUrl: callback.stringValue,
      loopbackRedirectUris: [redirect.stringValue],
    });
    const json = rawJson(stack);
    expect(only(json, 'okta_app_oauth', 'AccessIdpApp').body.redirect_uris).toEqual(['${var.callback}']);
    expect(only(json, 'okta_app_oauth', 'McpClient').body.redirect_uris).toEqual(['${var.redirect}']);
  });
});

describe('OktaMcpClients: validation', () => {
  test('fails when orgUrl is not https', () => {
    expect(() => new OktaMcpClients(newStack(), 'Okta', clientsProps({ orgUrl: 'http://example.okta.com' }))).toThrow(
      "orgUrl must be an https URL, but 'http://example.okta.com' was provided",
    );
  });

  test('fails when accessCallbackUrl is not the exact Access callback', () => {
    expect(problemsOf(clientsProps({ accessCallbackUrl: 'https://evil.example.com/cdn-cgi/access/callback' }))).toEqual(
      [
        "accessCallbackUrl must be exactly https://<team>.cloudflareaccess.com/cdn-cgi/access/callback, but 'https://evil.example.com/cdn-cgi/access/callback' was provided",
      ],
    );
    expect(
      problemsOf(clientsProps({ accessCallbackUrl: 'http://acme-corp.cloudflareaccess.com/cdn-cgi/access/callback' })),
    ).toEqual([
      "accessCallbackUrl must be exactly https://<team>.cloudflareaccess.com/cdn-cgi/access/callback, but 'http://acme-corp.cloudflareaccess.com/cdn-cgi/access/callback' was provided",
    ]);
  });

  test('fails when a redirect URI is a wildcard, non-loopback http, port-less or https', () => {
    const uris = [
      'http://127.0.0.1:*/callback',
      'http://example.com:7701/callback',
      'http://127.0.0.1/callback',
      'https://127.0.0.1:7701/callback',
      'cursor://anysphere.cursor-mcp/oauth/callback',
    ];
    const prefix = (i: number) =>
      `loopbackRedirectUris[${i}] must be an http URI on 127.0.0.1, localhost or [::1] with a port, but`;
    expect(problemsOf(clientsProps({ loopbackRedirectUris: uris }))).toEqual([
      `${prefix(0)} 'http://127.0.0.1:*/callback' is a wildcard`,
      `${prefix(1)} 'http://example.com:7701/callback' uses http on a non-loopback host`,
      `${prefix(2)} 'http://127.0.0.1/callback' names no port (Okta matches redirect URIs exactly, port included)`,
      `${prefix(3)} 'https://127.0.0.1:7701/callback' is not an http loopback URI`,
      `${prefix(4)} 'cursor://anysphere.cursor-mcp/oauth/callback' uses the scheme cursor: (only https, or http on a loopback host)`,
    ]);
  });

  test('fails when the redirect URI list is empty', () => {
    expect(problemsOf(clientsProps({ loopbackRedirectUris: [] }))).toEqual([
      'loopbackRedirectUris must list at least one URI, but [] was provided',
    ]);
  });

  test('fails when adminReauthMinutes is above 15 or fractional', () => {
    expect(problemsOf(clientsProps({ adminReauthMinutes: 30 }))).toEqual([
      'adminReauthMinutes must be between 0 and 15, but 30 was provided',
    ]);
    expect(problemsOf(clientsProps({ adminReauthMinutes: 7.5 }))).toEqual([
      'adminReauthMinutes must be a whole number between 0 and 15, but 7.5 was provided',
    ]);
  });

  test('fails when adminAuthenticator is not one of the settings', () => {
    expect(problemsOf(clientsProps({ adminAuthenticator: 'fastpass' as never }))).toEqual([
      "adminAuthenticator must be one of 'phishing-resistant', 'security-key', but 'fastpass' was provided",
    ]);
  });

  test('fails when the filter or the label prefix is empty, collecting every problem at once', () => {
    expect(problemsOf(clientsProps({ accessGroupsClaimFilter: '', labelPrefix: '', orgUrl: '' }))).toEqual([
      "orgUrl is required, but '' was provided",
      "orgUrl must be an https URL, but '' was provided",
      "accessGroupsClaimFilter is required, but '' was provided",
      "labelPrefix is required, but '' was provided",
    ]);
  });
});

describe('OktaMcpClients: Access callbacks of several Cloudflare accounts', () => {
  test('registers every edge team domain on the Access web app, exactly', () => {
    const stack = newStack();
    new OktaMcpClients(stack, 'Clients', {
      orgUrl: 'https://example.okta.com',
      accessCallbackUrl: 'https://eu.cloudflareaccess.com/cdn-cgi/access/callback',
      additionalAccessCallbackUrls: ['https://us.cloudflareaccess.com/cdn-cgi/access/callback'],
    });
    const apps = Object.values(
      ((rawJson(stack).resource as Record<string, unknown>).okta_app_oauth ?? {}) as Record<
        string,
        { type: string; redirect_uris: string[] }
      >,
    );
    const web = apps.filter((a) => a.type === 'web');
    expect(web).toHaveLength(1);
    expect(web[0].redirect_uris).toEqual([
      'https://eu.cloudflareaccess.com/cdn-cgi/access/callback',
      'https://us.cloudflareaccess.com/cdn-cgi/access/callback',
    ]);
  });

  test('fails when an additional callback is not an Access callback', () => {
    expect(
      () =>
        new OktaMcpClients(newStack(), 'Clients', {
          orgUrl: 'https://example.okta.com',
          accessCallbackUrl: 'https://eu.cloudflareaccess.com/cdn-cgi/access/callback',
          additionalAccessCallbackUrls: ['https://evil.example.com/cdn-cgi/access/callback'],
        }),
    ).toThrow(
      "additionalAccessCallbackUrls[0] must be exactly https://<team>.cloudflareaccess.com/cdn-cgi/access/callback, but 'https://evil.example.com/cdn-cgi/access/callback' was provided",
    );
  });
});
