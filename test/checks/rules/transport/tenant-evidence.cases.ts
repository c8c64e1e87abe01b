import { SynthesizedApp, SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_NET_1 } from '../../../../lib/checks/rules/transport/mcp-net-1';
import { MCP_NET_3 } from '../../../../lib/checks/rules/transport/mcp-net-3';
import { MCP_NET_4 } from '../../../../lib/checks/rules/transport/mcp-net-4';
import { evidenceOf, sameValue } from '../../../../lib/checks/rules/transport/tenant-evidence';
import { clone, resourcesOf } from '../../../helpers';
import {
  addAuthServer,
  addData,
  addMcpDeployment,
  addResource,
  nameOf,
  only,
  transportJson,
  transportJsonWithWorkloads,
} from '../../../transport/transport-stack';

const APP = 'cloudflare_zero_trust_access_application';
const CONFIG = 'cloudflare_zero_trust_tunnel_cloudflared_config';
const TUNNEL = 'cloudflare_zero_trust_tunnel_cloudflared';
const RULE = 'okta_auth_server_policy_rule';

/** acme's MCP deployment as addMcpDeployment writes it. */
const DEPLOYMENT = 'acme_Workload_Deployment';

describe('tenant evidence: the MCP port of a tenant (MCP-NET-1)', () => {
  let base: JsonObject;
  let configAddress: string;
  beforeAll(() => {
    base = transportJson(['acme']);
    configAddress = `${CONFIG}.${nameOf(base, CONFIG)}`;
  });
  /** acme's transport with its deployment on `port`, and its tunnel routing acme's host to `service`. */
  function routed(service: string, port: string): JsonObject {
    const json = clone(base);
    addMcpDeployment(json, 'acme', port);
    only(json, CONFIG).config = {
      ingress: [{ hostname: 'acme.mcp.example.com', service }, { service: 'http_status:404' }],
    };
    return json;
  }
  /** The containers of acme's MCP deployment. */
  const podSpec = (json: JsonObject) =>
    ((resourcesOf(json, 'kubernetes_deployment_v1')[DEPLOYMENT].spec as JsonObject).template as JsonObject)
      .spec as JsonObject;
  const configResult = (json: JsonObject) =>
    MCP_NET_1.evaluate(new SynthesizedStack(json)).find((e) => e.address === configAddress);
  const undecidedPort = (detail: string) => ({ address: configAddress, status: 'undecided', detail });

  test("non-compliant: an MCP_PORT an init container declares is not the MCP server's port", () => {
    const json = routed('tcp://127.0.0.1:9090', '8080');
    podSpec(json).init_container = [{ name: 'migrate', env: [{ name: 'MCP_PORT', value: '9090' }] }];
    expect(configResult(json)).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: "config.ingress[0].service 'tcp://127.0.0.1:9090' reaches port 9090, not tenant acme's MCP port 8080",
    });
  });

  test('undecided: the same variable in two stacks of the app (each stack has its own variables)', () => {
    const transport = routed('tcp://127.0.0.1:${var.port}', '8080');
    delete (transport.resource as Record<string, unknown>).kubernetes_deployment_v1;
    delete (transport.resource as Record<string, unknown>).kubernetes_namespace_v1;
    transport.variable = { port: { type: 'number' } };
    const workload: JsonObject = { variable: { port: { type: 'number' } } };
    addMcpDeployment(workload, 'acme', '${var.port}');
    const app = new SynthesizedApp([
      { name: 'transport', json: transport },
      { name: 'workload', json: workload },
    ]);
    expect(MCP_NET_1.evaluate(app.stacks[0]).find((e) => e.address === configAddress)).toEqual(
      undecidedPort(
        "config.ingress[0].service 'tcp://127.0.0.1:${var.port}': its port ${var.port} cannot be compared with tenant acme's MCP port ${var.port}",
      ),
    );
  });

  test('undecided: a literal port against an MCP_PORT from a variable without default, or from value_from', () => {
    const variable = routed('tcp://127.0.0.1:8080', '${var.mcp_port}');
    variable.variable = { mcp_port: { type: 'string' } };
    expect(configResult(variable)).toEqual(
      undecidedPort(
        "config.ingress[0].service 'tcp://127.0.0.1:8080': its port 8080 cannot be compared with tenant acme's MCP port ${var.mcp_port}",
      ),
    );
    const fromRef = routed('tcp://127.0.0.1:8080', '8080');
    const containers = podSpec(fromRef).container as JsonObject[];
    expect(containers.length).toBeGreaterThan(0);
    containers[0].env = [
      { name: 'MCP_BIND_ADDRESS', value: '127.0.0.1' },
      { name: 'MCP_PORT', value_from: { config_map_key_ref: { name: 'mcp', key: 'port' } } },
    ];
    expect(configResult(fromRef)).toEqual(
      undecidedPort(
        "config.ingress[0].service 'tcp://127.0.0.1:8080': its port 8080 cannot be compared with tenant acme's MCP port undefined",
      ),
    );
  });

  test('undecided: two variables without defaults, though neither can be read', () => {
    const json = routed('tcp://127.0.0.1:${var.a}', '${var.b}');
    json.variable = { a: { type: 'number' }, b: { type: 'number' } };
    expect(configResult(json)).toEqual(
      undecidedPort(
        "config.ingress[0].service 'tcp://127.0.0.1:${var.a}': its port ${var.a} cannot be compared with tenant acme's MCP port ${var.b}",
      ),
    );
  });

  test('compliant: the same computed attribute reached by two expressions (a local and the attribute) is the same port', () => {
    const json = routed('tcp://127.0.0.1:${local.port}', '${random_integer.port.result}');
    addResource(json, 'random_integer', 'port', { min: 8000, max: 8999 });
    json.locals = { port: '${random_integer.port.result}' };
    expect(configResult(json)).toEqual({ address: configAddress, status: 'compliant' });
  });

  test.each([
    ['another attribute of the same resource', '${random_integer.port.id}'],
    ['the same attribute of another resource', '${random_integer.other.result}'],
  ])('undecided: the port is %s', (_what, mcpPort) => {
    const json = routed('tcp://127.0.0.1:${local.port}', mcpPort);
    addResource(json, 'random_integer', 'port', { min: 8000, max: 8999 });
    addResource(json, 'random_integer', 'other', { min: 8000, max: 8999 });
    json.locals = { port: '${random_integer.port.result}' };
    expect(configResult(json)).toEqual(
      undecidedPort(
        `config.ingress[0].service 'tcp://127.0.0.1:\${local.port}': its port \${local.port} cannot be compared with tenant acme's MCP port ${mcpPort}`,
      ),
    );
  });

  test('sameValue: an unset value is never shown to be the same as another, even itself', () => {
    const stack = new SynthesizedStack({});
    expect(sameValue({ stack, value: null }, { stack, value: null })).toBeUndefined();
    expect(sameValue({ stack, value: '8080' }, { stack, value: 8080 })).toBe(true);
    expect(sameValue({ stack, value: '8080' }, { stack, value: '9090' })).toBe(false);
  });
});

describe('tenant evidence: the index of an app', () => {
  test('one evidence per app: every stack of a fleet reads the same facts, collected once', () => {
    const workload: JsonObject = {};
    addMcpDeployment(workload, 'acme', '8080');
    const app = new SynthesizedApp([
      { name: 'transport', json: transportJson(['acme']) },
      { name: 'workload', json: workload },
    ]);
    const [transport, cell] = app.stacks;
    const evidence = evidenceOf(transport);
    expect(evidenceOf(cell)).toBe(evidence);
    expect(evidence.knownTenants()).toBe(evidence.knownTenants());
    expect(evidence.whitelisted()).toBe(evidence.whitelisted());
    expect([...evidence.mcpPorts.get('acme')!].map((p) => [p.stack, p.value])).toEqual([[cell, '8080']]);
  });

  test("only tenants' MCP containers give MCP ports, and only names that carry a tenant give tenants", () => {
    const json = transportJsonWithWorkloads(['acme']);
    addResource(json, 'kubernetes_deployment_v1', 'tools', {
      metadata: { name: 'tools', namespace: 'platform' },
      spec: {
        template: {
          metadata: { labels: { app: 'tools' } },
          spec: { container: [{ name: 'mcp-server', env: [{ name: 'MCP_PORT', value: '7070' }] }] },
        },
      },
    });
    const evidence = evidenceOf(new SynthesizedStack(json));
    expect([...evidence.mcpPorts.keys()]).toStrictEqual(['acme']);
    expect(evidence.mcpPorts.get('acme')?.map((p) => p.value)).toEqual(['8080']);
    expect([...evidence.knownTenants()]).toStrictEqual(['acme']);
  });
});

describe("tenant evidence: whose group an Access policy's Okta group is (MCP-NET-3)", () => {
  let one: JsonObject;
  let two: JsonObject;
  let acmeAddress: string;
  beforeAll(() => {
    one = transportJson(['acme']);
    two = transportJson(['acme', 'globex']);
    acmeAddress = `${APP}.${nameOf(one, APP, 'acme_')}`;
  });
  const acmeResult = (json: JsonObject) =>
    MCP_NET_3.evaluate(new SynthesizedStack(json)).find((e) => e.address === acmeAddress);
  const compliant = () => ({ address: acmeAddress, status: 'compliant' });
  /** acme's Access policies (users, then admins). */
  const policies = (json: JsonObject) =>
    resourcesOf(json, APP)[nameOf(json, APP, 'acme_')].policies as { include: { okta: JsonObject }[] }[];
  /**
   * Points acme's users policy (and its admins policy, when `admins` is given) at existing groups read
   * with `data.okta_group` (acme_users, acme_admins) with the given bodies.
   */
  function existing(json: JsonObject, users: JsonObject, admins?: JsonObject): JsonObject {
    addData(json, 'okta_group', 'acme_users', users);
    policies(json)[0].include[0].okta.name = '${data.okta_group.acme_users.name}';
    if (admins) {
      addData(json, 'okta_group', 'acme_admins', admins);
      policies(json)[1].include[0].okta.name = '${data.okta_group.acme_admins.name}';
    }
    return json;
  }
  const rules = (json: JsonObject) => resourcesOf(json, RULE);

  test("compliant: existing groups whose ids are variables, whitelisted by the data sources' own id", () => {
    const json = existing(clone(one), { id: '${var.acme_users}' }, { id: '${var.acme_admins}' });
    json.variable = { acme_users: { type: 'string' }, acme_admins: { type: 'string' } };
    addAuthServer(json, 'acme', {
      users: '${data.okta_group.acme_users.id}',
      admins: '${data.okta_group.acme_admins.id}',
    });
    expect(acmeResult(json)).toEqual(compliant());
  });

  test("compliant: another tenant whitelisting its own existing groups does not whitelist acme's", () => {
    const json = existing(clone(two), { id: '00g1users' }, { id: '00g1admins' });
    addData(json, 'okta_group', 'globex_users', { id: '00g2users' });
    addData(json, 'okta_group', 'globex_admins', { id: '00g2admins' });
    addAuthServer(json, 'acme', {
      users: '${data.okta_group.acme_users.id}',
      admins: '${data.okta_group.acme_admins.id}',
    });
    addAuthServer(json, 'globex', {
      users: '${data.okta_group.globex_users.id}',
      admins: '${data.okta_group.globex_admins.id}',
    });
    expect(acmeResult(json)).toEqual(compliant());
  });

  test('compliant: existing groups by literal id, whitelisted by the same literals', () => {
    const json = existing(clone(one), { id: '00g1users' }, { id: '00g1admins' });
    addAuthServer(json, 'acme', { users: '00g1users', admins: '00g1admins' });
    expect(acmeResult(json)).toEqual(compliant());
  });

  test("undecided: a whitelist entry with text around the data source's id is not shown to be that id", () => {
    const json = existing(clone(one), { name: 'Acme Engineering' }, { name: 'Acme Operators' });
    addAuthServer(json, 'acme', {
      users: 'x-${data.okta_group.acme_users.id}',
      admins: '${data.okta_group.acme_admins.id}-x',
    });
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail: [
        "policy 'mcp-acme-users' include okta #1: existing group data.okta_group.acme_users cannot be shown to be the group tenant acme's authorization server whitelists",
        "policy 'mcp-acme-admins' include okta #1: existing group data.okta_group.acme_admins cannot be shown to be the group tenant acme's authorization server whitelists",
      ].join('; '),
    });
  });

  test("compliant: a group looked up by another name, whitelisted through a local holding the data source's id", () => {
    const json = existing(clone(one), { name: 'Acme Engineering' });
    addAuthServer(json, 'acme', { users: '${local.acme_users_id}', admins: '00g1admins' });
    json.locals = { acme_users_id: '${data.okta_group.acme_users.id}' };
    expect(acmeResult(json)).toEqual(compliant());
  });

  test("non-compliant: a whitelist naming the existing group's name, not its id, whitelists nothing", () => {
    const json = existing(clone(one), { id: '00g1users' });
    addAuthServer(json, 'acme', { users: '${data.okta_group.acme_users.name}', admins: '00g1admins' });
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'non-compliant',
      detail:
        "policy 'mcp-acme-users' include okta #1 includes existing group data.okta_group.acme_users (id '00g1users'), which no policy rule of tenant acme's authorization server (mcp-acme) whitelists",
    });
  });

  test('compliant: groups another tenant creates are never the existing groups acme reads (by name or by a variable id)', () => {
    const json = existing(clone(two), { name: 'Acme Engineering' }, { id: '${var.acme_admins}' });
    json.variable = { acme_admins: { type: 'string' } };
    addAuthServer(json, 'acme', { users: '${data.okta_group.acme_users.id}', admins: '${var.acme_admins}' });
    addResource(json, 'okta_group', 'globex_users', { name: 'mcp-globex-users' });
    addResource(json, 'okta_group', 'globex_admins', { name: 'mcp-globex-admins' });
    addAuthServer(json, 'globex', { users: '${okta_group.globex_users.id}', admins: '${okta_group.globex_admins.id}' });
    expect(acmeResult(json)).toEqual(compliant());
  });

  test.each([
    [
      "another resource's attribute",
      '${random_string.globex.result}',
      (json: JsonObject) => addResource(json, 'random_string', 'globex', { length: 8 }),
    ],
    [
      'the id of another data source looked up by name',
      '${data.okta_group.globex.id}',
      (json: JsonObject) => addData(json, 'okta_group', 'globex', { name: 'Globex Team' }),
    ],
  ])('undecided: another tenant whitelists %s', (_what, whitelisted, declare) => {
    const json = existing(clone(two), { name: 'Acme Engineering' });
    declare(json);
    addAuthServer(json, 'acme', { users: '${data.okta_group.acme_users.id}', admins: '00g1admins' });
    // globex's admins rule whitelists a group globex creates: certainly not acme's.
    addResource(json, 'okta_group', 'globex_admins', { name: 'mcp-globex-admins' });
    addAuthServer(json, 'globex', { users: whitelisted, admins: '${okta_group.globex_admins.id}' });
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail:
        "policy 'mcp-acme-users' include okta #1: existing group data.okta_group.acme_users cannot be shown to differ from the groups tenant globex whitelists",
    });
  });

  test('undecided: an existing group read by an attribute of a group the app creates may be that group', () => {
    const json = existing(clone(one), { id: '${okta_group.acme_team.group_id}' });
    addResource(json, 'okta_group', 'acme_team', { description: 'team' });
    // acme's admins rule whitelists another group acme creates: certainly not the one read.
    addResource(json, 'okta_group', 'acme_other', { description: 'other' });
    addAuthServer(json, 'acme', { users: '${okta_group.acme_team.id}', admins: '${okta_group.acme_other.id}' });
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail:
        "policy 'mcp-acme-users' include okta #1: existing group data.okta_group.acme_users (id ${okta_group.acme_team.group_id}) cannot be shown to be the group tenant acme's authorization server whitelists",
    });
  });

  test('non-compliant: an existing group that reads one created group is not another created group', () => {
    const json = existing(clone(one), { id: '${okta_group.acme_team.id}' });
    addResource(json, 'okta_group', 'acme_team', { description: 'team' });
    addResource(json, 'okta_group', 'acme_other', { description: 'other' });
    addAuthServer(json, 'acme', { users: '${okta_group.acme_other.id}', admins: '${okta_group.acme_other.id}' });
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'non-compliant',
      detail:
        "policy 'mcp-acme-users' include okta #1 includes existing group data.okta_group.acme_users (id ${okta_group.acme_team.id}), which no policy rule of tenant acme's authorization server (mcp-acme) whitelists",
    });
  });

  test("non-compliant: a data source looked up by another tenant's group name is that tenant's group", () => {
    const json = existing(clone(one), { name: 'mcp-globex-users' });
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'non-compliant',
      detail:
        "policy 'mcp-acme-users' include okta #1 includes group 'mcp-globex-users' of tenant globex, not of tenant acme",
    });
  });

  test('undecided: a group name written as a list, or not written', () => {
    const json = existing(clone(one), { name: 'mcp-acme-users' });
    policies(json)[0].include[0].okta.name = ['${data.okta_group.acme_users.name}'] as unknown as string;
    delete policies(json)[1].include[0].okta.name;
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail: [
        'policy \'mcp-acme-users\' include okta #1.name: ["${data.okta_group.acme_users.name}"] is not a group name',
        "policy 'mcp-acme-admins' include okta #1.name: undefined is not a group name",
      ].join('; '),
    });
  });

  test("compliant: a group name through a local holding the data source's name", () => {
    const json = existing(clone(one), { id: '00g1users' });
    policies(json)[0].include[0].okta.name = '${local.acme_group}';
    json.locals = { acme_group: '${data.okta_group.acme_users.name}' };
    addAuthServer(json, 'acme', { users: '00g1users', admins: '00g1admins' });
    expect(acmeResult(json)).toEqual(compliant());
  });

  test.each([
    ['data.okta_everyone_group.all', (json: JsonObject) => addData(json, 'okta_everyone_group', 'all', {})],
    ['okta_group.acme_team', (json: JsonObject) => addResource(json, 'okta_group', 'acme_team', { description: 'x' })],
  ])("undecided: a group name that is %s's computed name", (address, declare) => {
    const json = clone(one);
    declare(json);
    policies(json)[0].include[0].okta.name = `\${${address}.name}`;
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail: `policy 'mcp-acme-users' include okta #1.name: '\${${address}.name}' is ${address}.name, known only at apply`,
    });
  });

  test("policy rules that are no tenant authorization server's rules whitelist nothing", () => {
    const json = existing(clone(one), { id: '00g1users' }, { id: '00g1admins' });
    addAuthServer(json, 'acme', { users: '00g9other', admins: '00g1admins' });
    const tunnel = `${TUNNEL}.${nameOf(json, TUNNEL)}`;
    addResource(json, 'okta_auth_server', 'default', { name: 'default', audiences: ['api://default'] });
    const rule = (name: string, server: string) =>
      addResource(json, RULE, name, {
        auth_server_id: server,
        policy_id: 'p',
        name,
        group_whitelist: ['00g1users'],
        scope_whitelist: ['*'],
      });
    rule('literal_server', 'aus1default');
    rule('tunnel_server', `\${${tunnel}.id}`);
    rule('default_server', '${okta_auth_server.default.id}');
    expect(Object.keys(rules(json))).toHaveLength(5);
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'non-compliant',
      detail:
        "policy 'mcp-acme-users' include okta #1 includes existing group data.okta_group.acme_users (id '00g1users'), which no policy rule of tenant acme's authorization server (mcp-acme) whitelists",
    });
    // With acme's own rule whitelisting it, the default server's rule does not make it shared.
    rules(json).acme_users.group_whitelist = ['00g1users'];
    expect(acmeResult(json)).toEqual(compliant());
  });

  test("undecided (gap): another tenant's whitelist that cannot be read may name acme's existing groups", () => {
    const json = existing(clone(two), { id: '00g1users' }, { id: '00g1admins' });
    addAuthServer(json, 'acme', { users: '00g1users', admins: '00g1admins' });
    addAuthServer(json, 'globex', { users: '00g2users', admins: '00g2admins' });
    rules(json).globex_users.group_whitelist = '${var.globex_groups}';
    json.variable = { globex_groups: { type: 'list(string)' } };
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail: [
        "policy 'mcp-acme-users' include okta #1: existing group data.okta_group.acme_users (id '00g1users') cannot be shown to differ from the groups tenant globex whitelists",
        "policy 'mcp-acme-admins' include okta #1: existing group data.okta_group.acme_admins (id '00g1admins') cannot be shown to differ from the groups tenant globex whitelists",
      ].join('; '),
    });
    // Even written as the very expression of acme's users group id, it is not shown to be that id.
    const same = existing(clone(two), { id: '${var.acme_users}' }, { id: '00g1admins' });
    addAuthServer(same, 'acme', { users: '${var.acme_users}', admins: '00g1admins' });
    addAuthServer(same, 'globex', { users: '00g2users', admins: '00g2admins' });
    rules(same).globex_users.group_whitelist = '${var.acme_users}';
    same.variable = { acme_users: {} };
    expect(acmeResult(same)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail: [
        "policy 'mcp-acme-users' include okta #1: existing group data.okta_group.acme_users (id ${var.acme_users}) cannot be shown to differ from the groups tenant globex whitelists",
        "policy 'mcp-acme-admins' include okta #1: existing group data.okta_group.acme_admins (id '00g1admins') cannot be shown to differ from the groups tenant globex whitelists",
      ].join('; '),
    });
    // With its default read, globex's whitelist is judged by it.
    json.variable = { globex_groups: { type: 'list(string)', default: ['00g2users'] } };
    expect(acmeResult(json)).toEqual(compliant());
  });

  test('undecided: a whitelist entry that is not a value (an object) cannot be told apart from a group id', () => {
    const json = existing(clone(two), { id: '00g1users' });
    addAuthServer(json, 'acme', { users: '00g1users', admins: '00g1admins' });
    addAuthServer(json, 'globex', { users: '00g2users', admins: '00g2admins' });
    rules(json).globex_users.group_whitelist = [{ id: '00g1users' }];
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail:
        "policy 'mcp-acme-users' include okta #1: existing group data.okta_group.acme_users (id '00g1users') cannot be shown to differ from the groups tenant globex whitelists",
    });
  });
});

describe('tenant evidence: whether an existing group is an admin group (MCP-NET-4)', () => {
  let one: JsonObject;
  let acmeAddress: string;
  beforeAll(() => {
    one = transportJson(['acme']);
    acmeAddress = `${APP}.${nameOf(one, APP, 'acme_')}`;
  });
  const acmeResult = (json: JsonObject) =>
    MCP_NET_4.evaluate(new SynthesizedStack(json)).find((e) => e.address === acmeAddress);
  /** acme's users policy includes an existing group read by id 00g1users. */
  function existingUsers(): JsonObject {
    const json = clone(one);
    addData(json, 'okta_group', 'acme_users', { id: '00g1users' });
    const policies = resourcesOf(json, APP)[nameOf(json, APP, 'acme_')].policies as {
      include: { okta: JsonObject }[];
    }[];
    policies[0].include[0].okta.name = '${data.okta_group.acme_users.name}';
    return json;
  }

  test('undecided: an existing group no policy rule whitelists cannot be told to be an admin group or not', () => {
    expect(acmeResult(existingUsers())).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail: "policy 'mcp-acme-users' includes a group that cannot be told to be an admin group or not",
    });
  });

  test('compliant: a group whitelisted only by a rule whose scopes hold no admin scope (an entry that is no text)', () => {
    const json = existingUsers();
    addAuthServer(json, 'acme', { users: '00g1users', admins: '00g1admins' });
    resourcesOf(json, RULE).acme_users.scope_whitelist = [{ scope: 'mcp:acme:admin' }, 'mcp:acme:use'];
    expect(acmeResult(json)).toEqual({ address: acmeAddress, status: 'compliant' });
  });

  test.each([
    ['a scope list from a variable without default', '${var.user_scopes}'],
    ['a scope from a variable without default', ['mcp:acme:use', 'mcp:acme:${var.level}']],
  ])('undecided (gap): a group whitelisted by a rule whose scopes hold %s may be an admin group', (_what, scopes) => {
    const json = existingUsers();
    addAuthServer(json, 'acme', { users: '00g1users', admins: '00g1admins' });
    resourcesOf(json, RULE).acme_users.scope_whitelist = scopes;
    json.variable = { user_scopes: { type: 'list(string)' }, level: { type: 'string' } };
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'undecided',
      detail: "policy 'mcp-acme-users' includes a group that cannot be told to be an admin group or not",
    });
    // A rule that certainly grants the admin scope makes it an admin group all the same.
    resourcesOf(json, RULE).acme_admins.group_whitelist = ['00g1users'];
    expect(acmeResult(json)).toEqual({
      address: acmeAddress,
      status: 'non-compliant',
      detail:
        'admin policy \'mcp-acme-users\' requires no auth_method, not \'pop\' (the amr Okta sends for a WebAuthn security key or passkey): it admits a sign-in with Okta FastPass (amr ["okta_verify","phr"]), Okta Verify push (amr ["okta_verify","swk"]), Okta Verify TOTP (amr ["okta_verify","otp"]), a password (amr ["pwd"])',
    });
  });
});
