import type { JsonObject } from '../../lib/model/stack';
import type { ValidationError } from '../../lib/core/validation';
import { CloudflareAccessTunnel } from '../../lib/transport/cloudflare-access-tunnel';
import { type AccessServiceTokenSpec, CloudflareServiceToken } from '../../lib/transport/cloudflare-service-token';
import { newStack, rawJson, resourcesOf } from '../helpers';
import { ACCOUNT_ID, oktaIdentityProvider, only, transportStack, tunnelProps } from './transport-stack';

const TOKEN = 'cloudflare_zero_trust_access_service_token';
const APP = 'cloudflare_zero_trust_access_application';

/** The problems CloudflareAccessTunnel reports for a list of service accounts (none: []). */
function problemsOf(serviceAccounts: readonly unknown[]): readonly string[] {
  const stack = newStack();
  try {
    new CloudflareAccessTunnel(
      stack,
      'acme',
      tunnelProps('acme', oktaIdentityProvider(stack), {
        serviceAccounts: serviceAccounts as AccessServiceTokenSpec[],
      }),
    );
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

/** The tokens of a stack, by name. */
function tokensByName(json: JsonObject): Record<string, JsonObject> {
  return Object.fromEntries(Object.values(resourcesOf(json, TOKEN)).map((b) => [String(b.name), b]));
}

describe('CloudflareAccessTunnel service accounts: tokens and policies', () => {
  let json: JsonObject;
  let tunnel: CloudflareAccessTunnel;
  beforeAll(() => {
    const fixture = transportStack(['acme'], {
      serviceAccounts: [
        { name: 'deploy-bot' },
        {
          name: 'ops',
          accessTokenDurationHours: 720,
          accessSecretVersion: 2,
          previousAccessSecretExpiresAt: '2027-01-31T00:00:00Z',
        },
      ],
    });
    tunnel = fixture.tunnels[0];
    json = rawJson(fixture.stack);
  });

  test('one token per service account, named for it, one year by default and never more', () => {
    const tokens = tokensByName(json);
    expect(Object.keys(tokens)).toEqual(['mcp-acme-svc-deploy-bot', 'mcp-acme-svc-ops']);
    const bot = Object.fromEntries(Object.entries(tokens['mcp-acme-svc-deploy-bot']).filter(([k]) => k !== '//'));
    expect(bot).toEqual({ account_id: ACCOUNT_ID, name: 'mcp-acme-svc-deploy-bot', duration: '8760h' });
    expect(tokens['mcp-acme-svc-ops']).toMatchObject({
      duration: '720h',
      client_secret_version: 2,
      previous_client_secret_expires_at: '2027-01-31T00:00:00Z',
    });
  });

  test('the application admits each token by a non_identity policy naming it alone, after users and admins', () => {
    const policies = only(json, APP).policies as JsonObject[];
    expect(policies).toHaveLength(4);
    expect(policies.map((p) => [p.name, p.decision, p.precedence])).toEqual([
      ['mcp-acme-users', 'allow', 1],
      ['mcp-acme-admins', 'allow', 2],
      ['mcp-acme-svc-deploy-bot', 'non_identity', 3],
      ['mcp-acme-svc-ops', 'non_identity', 4],
    ]);
    const tokenNames = Object.keys(resourcesOf(json, TOKEN));
    expect(tokenNames).toHaveLength(2);
    expect(policies.slice(2).map((p) => p.include)).toEqual(
      tokenNames.map((name) => [{ service_token: { token_id: `\${${TOKEN}.${name}.id}` } }]),
    );
    expect(policies.slice(2).every((p) => p.require === undefined && p.exclude === undefined)).toBe(true);
  });

  test('exposes the tokens and their facts; construct ids from the name', () => {
    expect(tunnel.serviceTokens.map((t) => t.node.path)).toEqual([
      'test/acme/Service-deploy-bot',
      'test/acme/Service-ops',
    ]);
    const [bot] = tunnel.serviceTokens;
    expect(bot.label).toBe('mcp-acme-svc-deploy-bot');
    expect(bot.duration).toBe('8760h');
    expect(bot.token.node.id).toBe('Token');
    expect(bot.accessPolicy(7)).toMatchObject({
      name: 'mcp-acme-svc-deploy-bot',
      decision: 'non_identity',
      precedence: 7,
    });
  });

  test('appending a service account changes no token; without any the application has its two policies', () => {
    const synth = (accounts: AccessServiceTokenSpec[]): JsonObject =>
      rawJson(transportStack(['acme'], { serviceAccounts: accounts }).stack);
    const before = synth([{ name: 'deploy-bot' }]);
    const after = synth([{ name: 'deploy-bot' }, { name: 'ops' }]);
    const old = resourcesOf(before, TOKEN);
    expect(Object.keys(old)).toHaveLength(1);
    for (const [name, body] of Object.entries(old)) expect(resourcesOf(after, TOKEN)[name]).toEqual(body);
    const none = synth([]);
    expect(resourcesOf(none, TOKEN)).toEqual({});
    expect((only(none, APP).policies as JsonObject[]).map((p) => p.name)).toEqual([
      'mcp-acme-users',
      'mcp-acme-admins',
    ]);
  });
});

describe('CloudflareAccessTunnel service accounts: validation', () => {
  test('accepts 1 and 8760 hours, and a rotation with its previous secret expiry', () => {
    expect(
      problemsOf([
        { name: 'a', accessTokenDurationHours: 1 },
        { name: 'b', accessTokenDurationHours: 8760 },
        { name: 'c', accessSecretVersion: 3, previousAccessSecretExpiresAt: '2027-01-31T12:30:00.5+02:00' },
      ]),
    ).toEqual([]);
  });

  test.each([
    [0, 'between 1 and 8760 (never forever), but 0 was provided'],
    [8761, 'between 1 and 8760 (never forever), but 8761 was provided'],
    [1.5, 'a whole number between 1 and 8760 (never forever), but 1.5 was provided'],
  ])('fails when accessTokenDurationHours is %p', (hours, message) => {
    expect(problemsOf([{ name: 'deploy-bot', accessTokenDurationHours: hours }])).toEqual([
      `serviceAccounts[0].accessTokenDurationHours must be ${message}`,
    ]);
  });

  test('fails when the secret version and the previous secret expiry are not set together, or are malformed', () => {
    expect(problemsOf([{ name: 'deploy-bot', accessSecretVersion: 2 }])).toEqual([
      'serviceAccounts[0].previousAccessSecretExpiresAt must be set with accessSecretVersion (the previous secret is accepted until then), but undefined was provided',
    ]);
    expect(problemsOf([{ name: 'deploy-bot', previousAccessSecretExpiresAt: '2027-01-31T00:00:00Z' }])).toEqual([
      'serviceAccounts[0].accessSecretVersion must be set with previousAccessSecretExpiresAt (raising it rotates the secret), but undefined was provided',
    ]);
    expect(
      problemsOf([{ name: 'deploy-bot', accessSecretVersion: 0, previousAccessSecretExpiresAt: '31/01/2027' }]),
    ).toEqual([
      'serviceAccounts[0].accessSecretVersion must be a whole number of at least 1, but 0 was provided',
      "serviceAccounts[0].previousAccessSecretExpiresAt must be an RFC 3339 time such as '2027-01-31T00:00:00Z', but '31/01/2027' was provided",
    ]);
  });

  test('fails when a name is not a DNS label or repeats, or more than 20 are declared', () => {
    expect(problemsOf([{ name: 'Bot' }, { name: 'ops' }, { name: 'ops' }])).toEqual([
      "serviceAccounts[0].name must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but 'Bot' was provided",
      "serviceAccounts[2].name must be unique within the tenant, but 'ops' is also serviceAccounts[1]'s",
    ]);
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `bot-${i}` }));
    expect(problemsOf(many(20))).toEqual([]);
    expect(problemsOf(many(21))).toEqual([
      'serviceAccounts must list at most 20 service accounts per tenant, but 21 were provided',
    ]);
  });
});

describe('CloudflareServiceToken on its own', () => {
  const problems = (props: object): readonly string[] => {
    try {
      new CloudflareServiceToken(newStack(), 'Service', {
        tenantId: 'acme',
        accountId: ACCOUNT_ID,
        name: 'deploy-bot',
        ...props,
      });
    } catch (e) {
      return (e as ValidationError).problems;
    }
    return [];
  };

  test('fails when the account id, the name or the duration is wrong, naming each prop', () => {
    expect(problems({ accountId: 'abc', name: 'x_y', accessTokenDurationHours: 9000 })).toEqual([
      "accountId must be 32 lower-case hex characters, but 'abc' was provided",
      "name must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but 'x_y' was provided",
      'accessTokenDurationHours must be between 1 and 8760 (never forever), but 9000 was provided',
    ]);
    expect(problems({})).toEqual([]);
  });
});
