import type { JsonObject } from '../../lib/model/stack';
import { TerraformVariable } from '../../lib/core/cdktf';
import type { OktaClientsRef } from '../../lib/core/refs';
import type { ValidationError } from '../../lib/core/validation';
import { OktaMcpIdentity, type OktaMcpIdentityProps } from '../../lib/identity/okta-mcp-identity';
import {
  OktaServiceAccount,
  type OktaServiceAccountProps,
  type OktaServiceAccountSpec,
} from '../../lib/identity/okta-service-account';
import { newStack, rawJson, resourcesOf } from '../helpers';
import { DOMAIN, identityStack, only, warningsOf } from './fixtures';
import { EC_P256, EC_P256_NEXT, EC_P384, EC_P521, EC_SECP256K1, ED25519, RSA_1024, RSA_2048 } from './service-keys';

const PLAIN_CLIENTS: OktaClientsRef = {
  mcpClientId: '0oamcpclient',
  adminClientId: '0oaadminclient',
  accessIdpClientId: '0oaaccessidp',
  accessIdpClientSecret: '${var.access_idp_client_secret}',
  orgUrl: 'https://example.okta.com',
};

/** A copy of an object without some keys. */
function without<T extends object>(value: T, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

const BOT: OktaServiceAccountSpec = { name: 'deploy-bot', publicKey: EC_P256 };

function identityProps(serviceAccounts: readonly unknown[]): OktaMcpIdentityProps {
  return {
    tenantId: 'acme',
    domain: DOMAIN,
    clients: PLAIN_CLIENTS,
    serviceAccounts: serviceAccounts as OktaServiceAccountSpec[],
  };
}

/** The problems OktaMcpIdentity reports for a list of service accounts (none: []). */
function problemsOf(serviceAccounts: readonly unknown[]): readonly string[] {
  try {
    new OktaMcpIdentity(newStack(), 'Identity', identityProps(serviceAccounts));
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

/** One service account's resources in a synthesized identity stack, by construct id part. */
function serviceResources(json: JsonObject, name: string) {
  return {
    app: only(json, 'okta_app_oauth', `Service-${name}_App`),
    policy: only(json, 'okta_auth_server_policy', `Service-${name}_Policy`),
    rule: only(json, 'okta_auth_server_policy_rule', `Service-${name}_Rule`),
  };
}

describe('OktaMcpIdentity service accounts: the Okta resources', () => {
  let json: JsonObject;
  let identity: OktaMcpIdentity;
  beforeAll(() => {
    const fixture = identityStack(
      ['acme'],
      {},
      {
        tokenTtlMinutes: 10,
        serviceAccounts: [
          BOT,
          { name: 'ops', publicKey: RSA_2048, admin: true },
          { name: 'ci', jwksUri: 'https://ci.example.com/jwks.json' },
        ],
      },
    );
    identity = fixture.identities.acme;
    json = rawJson(fixture.stack);
  });

  test('a service app per account: client credentials only, private_key_jwt with the public key, no secret', () => {
    const { app } = serviceResources(json, 'deploy-bot');
    expect(app.name).toMatch(/^acme_Identity_Service-deploy-bot_App_[0-9A-F]{8}$/);
    expect(without(app.body, '//')).toEqual({
      label: 'mcp-acme-svc-deploy-bot',
      type: 'service',
      grant_types: ['client_credentials'],
      response_types: ['token'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: [
        {
          kid: 'deploy-bot-2026-01',
          kty: 'EC',
          x: 'UF2UcWrWVjTfil3uyYT_2BFFwHV9eb2mxfW4gf8qMfc',
          y: 'RAhsaf_fsU7whrGNUJNR_tC-JDQEiyPtD6KGnBRJ7X4',
        },
      ],
      omit_secret: true,
      consent_method: 'TRUSTED',
      hide_ios: true,
      hide_web: true,
    });
  });

  test('an RSA key is written with its modulus and exponent; a jwksUri instead of keys', () => {
    expect(serviceResources(json, 'ops').app.body.jwks).toEqual([
      { kid: 'rsa-2048', kty: 'RSA', e: RSA_2048.e, n: RSA_2048.n },
    ]);
    const ci = serviceResources(json, 'ci').app.body;
    expect(ci.jwks_uri).toBe('https://ci.example.com/jwks.json');
    expect(ci.jwks).toBeUndefined();
  });

  test('a policy per account naming only its app, priorities 3, 4, 5 in declaration order, one after another', () => {
    const accounts = ['deploy-bot', 'ops', 'ci'];
    const policies = accounts.map((a) => serviceResources(json, a));
    expect(policies.map((p) => p.policy.body.priority)).toEqual([3, 4, 5]);
    expect(policies.map((p) => p.policy.body.name)).toEqual([
      'mcp-acme-svc-deploy-bot',
      'mcp-acme-svc-ops',
      'mcp-acme-svc-ci',
    ]);
    policies.forEach((p) => {
      expect(p.policy.body.client_whitelist).toEqual([`\${okta_app_oauth.${p.app.name}.client_id}`]);
      expect(p.policy.body.auth_server_id).toBe(`\${okta_auth_server.${only(json, 'okta_auth_server').name}.id}`);
    });
    const dependsOn = policies.map((p) => (p.policy.body.depends_on as string[])[0]);
    expect(dependsOn).toEqual([
      `okta_auth_server_policy.${only(json, 'okta_auth_server_policy', 'AdminPolicy').name}`,
      `okta_auth_server_policy.${policies[0].policy.name}`,
      `okta_auth_server_policy.${policies[1].policy.name}`,
    ]);
    // The human policies keep 1 and 2.
    expect(only(json, 'okta_auth_server_policy', 'ClientPolicy').body.priority).toBe(1);
    expect(only(json, 'okta_auth_server_policy', 'AdminPolicy').body.priority).toBe(2);
  });

  test("a rule granting only client_credentials, the tenant's scopes and the tenant's token lifetime; no people condition", () => {
    const { rule, policy } = serviceResources(json, 'deploy-bot');
    expect(without(rule.body, '//', 'depends_on')).toEqual({
      auth_server_id: policy.body.auth_server_id,
      policy_id: `\${okta_auth_server_policy.${policy.name}.id}`,
      name: 'service account',
      priority: 1,
      status: 'ACTIVE',
      grant_type_whitelist: ['client_credentials'],
      scope_whitelist: ['mcp:acme:use'],
      access_token_lifetime_minutes: 10,
      refresh_token_lifetime_minutes: 10,
      refresh_token_window_minutes: 10,
    });
    const admin = serviceResources(json, 'ops').rule.body;
    expect(admin.name).toBe('service account (admin: true)');
    expect(admin.scope_whitelist).toEqual(['mcp:acme:use', 'mcp:acme:admin']);
  });

  test('exposes every service resource and its facts', () => {
    expect(identity.serviceAccounts.map((a) => a.node.path)).toEqual([
      'test/acme/Identity/Service-deploy-bot',
      'test/acme/Identity/Service-ops',
      'test/acme/Identity/Service-ci',
    ]);
    const [bot, ops] = identity.serviceAccounts;
    expect(bot.label).toBe('mcp-acme-svc-deploy-bot');
    expect(bot.scopes).toEqual(['mcp:acme:use']);
    expect(bot.admin).toBe(false);
    expect(ops.admin).toBe(true);
    expect(bot.tokenTtlMinutes).toBe(10);
    expect([bot.app, bot.policy, bot.rule].map((r) => r.node.id)).toEqual(['App', 'Policy', 'Rule']);
  });

  test('admin: true draws a warning naming the default; other accounts none', () => {
    const [bot, ops] = identity.serviceAccounts;
    expect(warningsOf(ops)).toEqual([
      "admin is true instead of the default false: service account 'ops' may obtain 'mcp:acme:admin' with no hardware key behind it",
    ]);
    expect(warningsOf(bot)).toEqual([]);
  });
});

describe('OktaMcpIdentity service accounts: stable addresses and bodies', () => {
  const synth = (accounts: OktaServiceAccountSpec[]): JsonObject =>
    rawJson(identityStack(['acme'], {}, { serviceAccounts: accounts }).stack);

  test('appending a service account changes no existing resource', () => {
    const before = synth([BOT]);
    const after = synth([BOT, { name: 'ops', publicKey: RSA_2048 }]);
    for (const type of ['okta_app_oauth', 'okta_auth_server_policy', 'okta_auth_server_policy_rule']) {
      const old = resourcesOf(before, type);
      expect(Object.keys(old).length).toBeGreaterThan(0);
      for (const [name, body] of Object.entries(old)) expect(resourcesOf(after, type)[name]).toEqual(body);
    }
  });

  test('without service accounts the identity is what it was (no service resource)', () => {
    const json = synth([]);
    expect(Object.keys(resourcesOf(json, 'okta_app_oauth'))).toHaveLength(3);
    expect(Object.keys(resourcesOf(json, 'okta_auth_server_policy'))).toHaveLength(2);
    expect(Object.keys(resourcesOf(json, 'okta_auth_server_policy_rule'))).toHaveLength(2);
  });
});

describe('OktaMcpIdentity service accounts: validation', () => {
  test('accepts RSA 2048, EC P-256, P-384 and P-521 keys, two keys during a rotation, and a jwksUri', () => {
    expect(
      problemsOf([
        { name: 'a', publicKey: RSA_2048 },
        { name: 'b', publicKey: EC_P256 },
        { name: 'c', publicKey: EC_P384 },
        { name: 'd', publicKey: EC_P521 },
        { name: 'e', publicKey: [EC_P256, EC_P256_NEXT] },
        { name: 'f', jwksUri: 'https://agent.example.com/.well-known/jwks.json' },
        { name: 'g', publicKey: EC_P256, admin: true, scopes: ['mcp:acme:admin'] },
        { name: '0-bot-9', publicKey: EC_P256, scopes: ['mcp:acme:use'], admin: false },
      ]),
    ).toEqual([]);
  });

  test.each([['Deploy_Bot'], ['-bot'], ['bot-'], ['a'.repeat(64)], ['']])(
    'fails when the name %p is not a DNS label',
    (name) => {
      expect(problemsOf([{ name, publicKey: EC_P256 }])).toEqual([
        `serviceAccounts[0].name must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but '${name}' was provided`,
      ]);
    },
  );

  test('fails when the name is a Terraform token (it names construct ids and outputs)', () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, 'bot_name', { type: 'string' }).stringValue;
    expect(() => new OktaMcpIdentity(stack, 'Identity', identityProps([{ name, publicKey: EC_P256 }]))).toThrow(
      'serviceAccounts[0].name must be a literal string (it names construct ids and outputs), but a token was provided',
    );
  });

  test('fails when a name repeats within the tenant', () => {
    expect(problemsOf([BOT, { name: 'ops', publicKey: RSA_2048 }, BOT])).toEqual([
      "serviceAccounts[2].name must be unique within the tenant, but 'deploy-bot' is also serviceAccounts[0]'s",
    ]);
  });

  test('fails when both publicKey and jwksUri are given, or neither', () => {
    expect(problemsOf([{ ...BOT, jwksUri: 'https://agent.example.com/jwks' }])).toEqual([
      "serviceAccounts[0].publicKey must not be set with jwksUri (exactly one of the two names the agent's public key), but both were provided",
    ]);
    expect(problemsOf([{ name: 'deploy-bot' }])).toEqual([
      "serviceAccounts[0].publicKey must be set when jwksUri is not (exactly one of the two names the agent's public key), but undefined was provided",
    ]);
  });

  test('fails when the JWK is a private key (holds d)', () => {
    expect(problemsOf([{ name: 'deploy-bot', publicKey: { ...EC_P256, d: 'c2VjcmV0' } }])).toEqual([
      "serviceAccounts[0].publicKey must be a public JWK, but a private key (members d) was provided: the private key stays on the agent's host",
    ]);
  });

  test('fails when the key type is neither RSA nor EC', () => {
    expect(problemsOf([{ name: 'deploy-bot', publicKey: ED25519 }])).toEqual([
      "serviceAccounts[0].publicKey.kty must be 'RSA' or 'EC', but 'OKP' was provided",
    ]);
  });

  test('fails when an RSA key is shorter than 2048 bits', () => {
    expect(problemsOf([{ name: 'deploy-bot', publicKey: RSA_1024 }])).toEqual([
      'serviceAccounts[0].publicKey must be an RSA key of at least 2048 bits, but a 1024-bit key was provided',
    ]);
  });

  test('fails when an EC key is on another curve than P-256, P-384 or P-521', () => {
    expect(problemsOf([{ name: 'deploy-bot', publicKey: EC_SECP256K1 }])).toEqual([
      "serviceAccounts[0].publicKey.crv must be one of 'P-256', 'P-384', 'P-521', but 'secp256k1' was provided",
    ]);
  });

  test('fails when the key material is not a point of its curve, or a member is missing', () => {
    const offCurve = { ...EC_P256, y: EC_P256_NEXT.y };
    const [problem] = problemsOf([{ name: 'deploy-bot', publicKey: offCurve }]);
    expect(problem).toMatch(
      /^serviceAccounts\[0\]\.publicKey must be a valid EC public key on P-256 \(x and y, base64url\), but the key material was refused \(.+\)$/,
    );
    expect(problemsOf([{ name: 'deploy-bot', publicKey: { kty: 'RSA', kid: 'k', n: RSA_2048.n } }])).toEqual([
      'serviceAccounts[0].publicKey must be a valid RSA public key (n and e, base64url), but e is missing',
    ]);
  });

  test('fails when the key has no kid, or says it is not for signatures', () => {
    const noKid = without(EC_P256, 'kid');
    expect(problemsOf([{ name: 'deploy-bot', publicKey: { ...noKid, use: 'enc' } }])).toEqual([
      'serviceAccounts[0].publicKey.kid must be a non-empty string (Okta selects the key by it), but undefined was provided',
      "serviceAccounts[0].publicKey.use must be 'sig' when given, but 'enc' was provided",
    ]);
  });

  test('fails when more than two keys are listed, or two keys share a kid', () => {
    expect(problemsOf([{ name: 'deploy-bot', publicKey: [EC_P256, EC_P256_NEXT, EC_P384] }])).toEqual([
      'serviceAccounts[0].publicKey must list 1 to 2 keys (the current one, and the next during a rotation), but 3 were provided',
    ]);
    expect(problemsOf([{ name: 'deploy-bot', publicKey: [EC_P256, { ...EC_P256_NEXT, kid: EC_P256.kid }] }])).toEqual([
      "serviceAccounts[0].publicKey kids must differ, but 'deploy-bot-2026-01' was provided twice",
    ]);
  });

  test('fails when jwksUri is not https', () => {
    expect(problemsOf([{ name: 'deploy-bot', jwksUri: 'http://agent.example.com/jwks' }])).toEqual([
      "serviceAccounts[0].jwksUri must be an https URL, but 'http://agent.example.com/jwks' was provided",
    ]);
  });

  test("fails when a scope is not one of the tenant's own, repeats, or the list is empty", () => {
    expect(
      problemsOf([{ ...BOT, scopes: ['mcp:globex:use', 'offline_access', 'mcp:acme:use', 'mcp:acme:use'] }]),
    ).toEqual([
      "serviceAccounts[0].scopes[0] must be one of 'mcp:acme:use', 'mcp:acme:admin', but 'mcp:globex:use' was provided",
      "serviceAccounts[0].scopes[1] must be one of 'mcp:acme:use', 'mcp:acme:admin', but 'offline_access' was provided",
      "serviceAccounts[0].scopes[3] must not repeat a scope, but 'mcp:acme:use' was provided again",
    ]);
    expect(problemsOf([{ ...BOT, scopes: [] }])).toEqual([
      "serviceAccounts[0].scopes must list at least one of 'mcp:acme:use', 'mcp:acme:admin', but [] was provided",
    ]);
  });

  test('fails when the admin scope is asked for without admin: true, or admin: true without it', () => {
    expect(problemsOf([{ ...BOT, scopes: ['mcp:acme:use', 'mcp:acme:admin'] }])).toEqual([
      "serviceAccounts[0].admin must be true to grant 'mcp:acme:admin' (a service account has no hardware key), but undefined was provided",
    ]);
    expect(problemsOf([{ ...BOT, scopes: ['mcp:acme:use'], admin: true }])).toEqual([
      'serviceAccounts[0].scopes must include \'mcp:acme:admin\' when admin is true, but ["mcp:acme:use"] was provided',
    ]);
  });

  test('fails when more than 20 service accounts are declared (20 is fine)', () => {
    const accounts = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `bot-${i}`, publicKey: EC_P256 }));
    expect(problemsOf(accounts(20))).toEqual([]);
    expect(problemsOf(accounts(21))).toEqual([
      'serviceAccounts must list at most 20 service accounts per tenant, but 21 were provided',
    ]);
  });

  test('reports every problem at once', () => {
    expect(
      problemsOf([
        { name: 'Bad', publicKey: RSA_1024 },
        { name: 'ok', jwksUri: 'ftp://x' },
      ]),
    ).toEqual([
      "serviceAccounts[0].name must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but 'Bad' was provided",
      'serviceAccounts[0].publicKey must be an RSA key of at least 2048 bits, but a 1024-bit key was provided',
      "serviceAccounts[1].jwksUri must be an https URL, but 'ftp://x' was provided",
    ]);
  });
});

describe('OktaServiceAccount on its own', () => {
  const props = (overrides: Partial<OktaServiceAccountProps> = {}): OktaServiceAccountProps => ({
    ...BOT,
    tenantId: 'acme',
    authServerId: 'aus1acme',
    priority: 3,
    ...overrides,
  });
  const problems = (p: OktaServiceAccountProps): readonly string[] => {
    try {
      new OktaServiceAccount(newStack(), 'Service', p);
    } catch (e) {
      return (e as ValidationError).problems;
    }
    return [];
  };

  test('defaults: the 15-minute token lifetime and the use scope', () => {
    const stack = newStack();
    const account = new OktaServiceAccount(stack, 'Service', props());
    expect(account.tokenTtlMinutes).toBe(15);
    expect(only(rawJson(stack), 'okta_auth_server_policy_rule').body).toMatchObject({
      access_token_lifetime_minutes: 15,
      scope_whitelist: ['mcp:acme:use'],
      auth_server_id: 'aus1acme',
    });
  });

  test('fails when the priority could collide with the human policies (1 and 2), or the lifetime exceeds 15', () => {
    expect(problems(props({ priority: 2, tokenTtlMinutes: 16 }))).toEqual([
      'priority must be between 3 and 1000, but 2 was provided',
      'tokenTtlMinutes must be between 5 and 15, but 16 was provided',
    ]);
  });

  test('fails with the props named as given (no list position)', () => {
    expect(problems(props({ name: 'x_y', jwksUri: 'https://a.example.com/jwks' }))).toEqual([
      "name must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but 'x_y' was provided",
      "publicKey must not be set with jwksUri (exactly one of the two names the agent's public key), but both were provided",
    ]);
  });
});
