import { SynthesizedApp, SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_NET_5 } from '../../../../lib/checks/rules/transport/mcp-net-5';
import { clone, rawJson, resourcesOf } from '../../../helpers';
import { addResource, nameOf, splitFleet, transportStack } from '../../../transport/transport-stack';

const APP = 'cloudflare_zero_trust_access_application';
const TOKEN = 'cloudflare_zero_trust_access_service_token';
const POLICY = 'cloudflare_zero_trust_access_policy';

const evaluate = (json: JsonObject) => MCP_NET_5.evaluate(new SynthesizedStack(json));
/** Findings as `status address: detail`, addresses without their hash. */
const findings = (json: JsonObject) =>
  evaluate(json)
    .filter((e) => e.status !== 'compliant')
    .map((e) => `${e.status} ${e.address.replace(/_[0-9A-F]{8}$/, '')}: ${e.detail}`);

/** acme and globex, each with a `deploy-bot` service account. */
function serviceTransportJson(): JsonObject {
  return rawJson(transportStack(['acme', 'globex'], { serviceAccounts: [{ name: 'deploy-bot' }] }).stack);
}

describe('MCP-NET-5', () => {
  let base: JsonObject;
  let acmeToken: string;
  beforeAll(() => {
    base = serviceTransportJson();
    acmeToken = nameOf(base, TOKEN, 'acme_');
  });
  const withToken = (edit: (b: JsonObject) => void, name = acmeToken, json = clone(base)): JsonObject => {
    edit(resourcesOf(json, TOKEN)[name]);
    return json;
  };
  const bot = `${TOKEN}.acme_Service-deploy-bot_Token`;

  test("compliant: each tenant's token, named for its service account, one year, admitted by its own application only", () => {
    const results = evaluate(base);
    expect(results).toHaveLength(2);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test('not applicable: a stack without service tokens', () => {
    expect(evaluate(rawJson(transportStack(['acme']).stack))).toEqual([]);
  });

  test.each([
    ['8760h', []],
    ['525600m', []],
    ['1h', []],
    ['8761h', ["duration is '8761h' (more than 0 and at most 8760h)"]],
    ['8760h1s', ["duration is '8760h1s' (more than 0 and at most 8760h)"]],
    ['31536000s', []],
    ['8759h60m', []],
    ['525601m', ["duration is '525601m' (more than 0 and at most 8760h)"]],
    ['31536001s', ["duration is '31536001s' (more than 0 and at most 8760h)"]],
    ['1s', []],
    ['0', ["duration is '0' (more than 0 and at most 8760h)"]],
    ['0s', ["duration is '0s' (more than 0 and at most 8760h)"]],
    ['forever', ["duration is 'forever': the token never expires (at most 8760h)"]],
    ['1y', ["duration is '1y' (not a duration; more than 0 and at most 8760h)"]],
  ])('duration %p', (duration, problems) => {
    const json = withToken((b) => {
      b.duration = duration;
    });
    expect(findings(json)).toEqual(problems.map((p) => `non-compliant ${bot}: ${p}`));
  });

  test('non-compliant: no duration written (the bound must show in the stack)', () => {
    const json = withToken((b) => {
      delete b.duration;
    });
    expect(findings(json)).toEqual([
      `non-compliant ${bot}: duration is not set (write it, at most 8760h, so that the token's life shows in the stack)`,
    ]);
  });

  test("non-compliant: a name that is no tenant's service account", () => {
    const json = withToken((b) => {
      b.name = 'ci-token';
    });
    expect(findings(json)).toEqual([
      `non-compliant ${bot}: name 'ci-token' is no tenant's service account (mcp-<t>-svc-<name>)`,
    ]);
  });

  test("non-compliant: another tenant's application admits the token too (a cross-tenant way in)", () => {
    const json = clone(base);
    const globexApp = resourcesOf(json, APP)[nameOf(json, APP, 'globex_')];
    (globexApp.policies as JsonObject[]).push({
      name: 'mcp-globex-svc-borrowed',
      decision: 'non_identity',
      precedence: 9,
      include: [{ service_token: { token_id: `\${${TOKEN}.${acmeToken}.id}` } }],
    });
    const acmeApp = `${APP}.${nameOf(json, APP, 'acme_')}`;
    const globex = `${APP}.${nameOf(json, APP, 'globex_')}`;
    expect(findings(json)).toEqual([
      `non-compliant ${bot}: 2 Access applications admit it (${acmeApp}, ${globex}); ${globex}, the Access application of tenant globex, admits it (policy 'mcp-globex-svc-borrowed'), but it is tenant acme's`,
    ]);
  });

  test("non-compliant: a reusable policy attached to another tenant's application admits it", () => {
    const json = clone(base);
    addResource(json, POLICY, 'borrowed', {
      account_id: 'a',
      name: 'borrowed',
      decision: 'non_identity',
      include: [{ service_token: { token_id: `\${${TOKEN}.${acmeToken}.id}` } }],
    });
    const acmeApp = resourcesOf(json, APP)[nameOf(json, APP, 'acme_')];
    (acmeApp.policies as JsonObject[]).splice(2, 1);
    const globexApp = resourcesOf(json, APP)[nameOf(json, APP, 'globex_')];
    (globexApp.policies as JsonObject[]).push({ id: `\${${POLICY}.borrowed.id}`, precedence: 9 });
    const globex = `${APP}.${nameOf(json, APP, 'globex_')}`;
    expect(findings(json)).toEqual([
      `non-compliant ${bot}: ${globex}, the Access application of tenant globex, admits it (policy 'borrowed'), but it is tenant acme's`,
    ]);
  });

  test('undecided: a duration or a name no stack decides; a variable with a default is judged by it', () => {
    const json = withToken((b) => {
      b.duration = '${var.duration}';
    });
    json.variable = { duration: { type: 'string' } };
    expect(findings(json)).toEqual([expect.stringMatching(/^undecided .+: duration: /)]);
    (json.variable as JsonObject).duration = { type: 'string', default: '9000h' };
    expect(findings(json)).toEqual([`non-compliant ${bot}: duration is '9000h' (more than 0 and at most 8760h)`]);
    const name = withToken((b) => {
      b.name = '${var.name}';
    });
    name.variable = { name: { type: 'string' } };
    expect(findings(name)).toEqual([expect.stringMatching(/^undecided .+: name: /)]);
  });

  test("a fleet cell's application names the foundation's provider through remote state: the token is still judged there", () => {
    const { foundation, cell } = splitFleet(
      rawJson(transportStack(['acme'], { serviceAccounts: [{ name: 'deploy-bot' }] }).stack),
    );
    const app = new SynthesizedApp([
      { name: 'foundation', json: foundation },
      { name: 'cells-a', json: cell },
    ]);
    const results = MCP_NET_5.evaluate(app.stack('cells-a') as SynthesizedStack);
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe('compliant');
  });

  test('undecided: a token whose name is not set', () => {
    const json = withToken((b) => {
      delete b.name;
    });
    expect(findings(json)).toEqual([`undecided ${bot}: name: not set`]);
  });

  test('non-compliant: a name that is the service account of two tenants (acme and acme-svc-deploy)', () => {
    const json = withToken((b) => {
      b.name = 'mcp-acme-svc-deploy-svc-bot';
    });
    addResource(json, 'cloudflare_zero_trust_tunnel_cloudflared', 'other', {
      account_id: 'a',
      config_src: 'cloudflare',
      name: 'mcp-acme-svc-deploy',
    });
    expect(findings(json)).toEqual([
      `non-compliant ${bot}: name 'mcp-acme-svc-deploy-svc-bot' may be a service account of tenants acme, acme-svc-deploy: rename it so that it names one`,
    ]);
  });

  test('compliant: a token no application admits (yet)', () => {
    const json = clone(base);
    const acmeApp = resourcesOf(json, APP)[nameOf(json, APP, 'acme_')];
    const policies = acmeApp.policies as JsonObject[];
    expect(policies.map((p) => p.name)).toEqual(['mcp-acme-users', 'mcp-acme-admins', 'mcp-acme-svc-deploy-bot']);
    policies.splice(2, 1);
    expect(evaluate(json).map((e) => e.status)).toEqual(['compliant', 'compliant']);
  });

  test('undecided: the application that admits the token has a name that cannot be read', () => {
    const json = clone(base);
    const name = nameOf(json, APP, 'acme_');
    resourcesOf(json, APP)[name].name = '${var.app_name}';
    expect(findings(json)).toEqual([`undecided ${bot}: the tenant of ${APP}.${name}, which admits it, cannot be read`]);
  });
});
