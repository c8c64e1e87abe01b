import type { JsonObject } from '../../lib/model/stack';
import { MCP_SEC_5 } from '../../lib/checks/rules/secrets/mcp-sec-5';
import { TerraformLocal, TerraformVariable } from '../../lib/core/cdktf';
import type { ValidationError } from '../../lib/core/validation';
import {
  CloudflareOktaIdentityProvider,
  type CloudflareOktaIdentityProviderProps,
} from '../../lib/transport/cloudflare-okta-identity-provider';
import { newStack, rawJson, synthesized } from '../helpers';
import { ACCOUNT_ID, idpClientSecret, only } from './transport-stack';

const IDP = 'cloudflare_zero_trust_access_identity_provider';
const LITERAL_SECRET = 'not-a-reference-0123456789';

function validProps(stack = newStack()): CloudflareOktaIdentityProviderProps {
  return {
    accountId: ACCOUNT_ID,
    clients: {
      orgUrl: 'https://example.okta.com',
      accessIdpClientId: '0oa1accessidp',
      accessIdpClientSecret: idpClientSecret(stack),
    },
  };
}

function problemsOf(change: (props: CloudflareOktaIdentityProviderProps) => object): readonly string[] {
  const stack = newStack();
  try {
    new CloudflareOktaIdentityProvider(stack, 'Idp', change(validProps(stack)) as CloudflareOktaIdentityProviderProps);
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

describe('CloudflareOktaIdentityProvider', () => {
  let json: JsonObject;
  let idpRef: unknown;
  let accountId: string;
  beforeAll(() => {
    const stack = newStack();
    const idp = new CloudflareOktaIdentityProvider(stack, 'Idp', validProps(stack));
    accountId = idp.accountId;
    new TerraformLocal(stack, 'idp_id', idp.identityProviderId);
    json = rawJson(stack);
    idpRef = (json.locals as JsonObject).idp_id;
  });

  test('provisions one okta identity provider on the org URL, with PKCE, the secret by reference', () => {
    const body = only(json, IDP);
    expect(body).toMatchObject({ account_id: ACCOUNT_ID, name: 'Okta', type: 'okta' });
    expect(body.config).toEqual({
      okta_account: 'https://example.okta.com',
      client_id: '0oa1accessidp',
      client_secret: '${var.okta_access_idp_client_secret}',
      pkce_enabled: true,
    });
  });

  test('exposes its id as a reference and its account id', () => {
    expect(idpRef).toBe(`\${${IDP}.${Object.keys((json.resource as Record<string, object>)[IDP])[0]}.id}`);
    expect(accountId).toBe(ACCOUNT_ID);
  });

  test('keeps MCP-SEC-5 green: no secret literal', () => {
    const stack = newStack();
    new CloudflareOktaIdentityProvider(stack, 'Idp', validProps(stack));
    expect(MCP_SEC_5.evaluate(synthesized(stack)).filter((e) => e.status !== 'compliant')).toEqual([]);
  });

  test('name and authorizationServerId set the login name and a dedicated authorization server', () => {
    const stack = newStack();
    new CloudflareOktaIdentityProvider(stack, 'Idp', {
      ...validProps(stack),
      name: 'Example Okta',
      authorizationServerId: 'aus1access',
    });
    const body = only(rawJson(stack), IDP);
    expect(body.name).toBe('Example Okta');
    expect((body.config as JsonObject).authorization_server_id).toBe('aus1access');
  });

  test('accepts Terraform tokens for the account, org URL and client id', () => {
    const stack = newStack();
    const variable = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    new CloudflareOktaIdentityProvider(stack, 'Idp', {
      accountId: variable('account_id'),
      clients: {
        orgUrl: variable('okta_org_url'),
        accessIdpClientId: variable('client_id'),
        accessIdpClientSecret: idpClientSecret(stack),
      },
    });
    const body = only(rawJson(stack), IDP);
    expect(body.account_id).toBe('${var.account_id}');
    expect(body.config).toMatchObject({ okta_account: '${var.okta_org_url}', client_id: '${var.client_id}' });
  });

  test('fails when the client secret is a literal, without echoing it', () => {
    const problems = problemsOf((p) => ({ ...p, clients: { ...p.clients, accessIdpClientSecret: LITERAL_SECRET } }));
    expect(problems).toEqual([
      'clients.accessIdpClientSecret must be a reference (a sensitive TerraformVariable or a resource attribute), but a literal was provided',
    ]);
    expect(problems.join()).not.toContain(LITERAL_SECRET);
  });

  test('fails when the org URL is not https', () => {
    expect(problemsOf((p) => ({ ...p, clients: { ...p.clients, orgUrl: 'http://example.okta.com' } }))).toEqual([
      "clients.orgUrl must be an https URL, but 'http://example.okta.com' was provided",
    ]);
  });

  test('fails when accountId is not 32 hex characters', () => {
    expect(problemsOf((p) => ({ ...p, accountId: 'acct' }))).toEqual([
      "accountId must be 32 lower-case hex characters, but 'acct' was provided",
    ]);
  });

  test('fails when required values are missing, naming each', () => {
    expect(problemsOf((p) => ({ ...p, accountId: '', clients: {}, name: '' }))).toEqual([
      "accountId is required, but '' was provided",
      "accountId must be 32 lower-case hex characters, but '' was provided",
      'clients.orgUrl is required, but undefined was provided',
      'clients.accessIdpClientId is required, but undefined was provided',
      'clients.accessIdpClientSecret is required, but undefined was provided',
      "name is required, but '' was provided",
    ]);
  });
});
