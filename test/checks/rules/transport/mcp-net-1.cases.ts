import { SynthesizedApp, SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_NET_1 } from '../../../../lib/checks/rules/transport/mcp-net-1';
import { clone, rawJson, resourcesOf } from '../../../helpers';
import {
  addMcpDeployment,
  addResource,
  nameOf,
  only,
  transportJson,
  transportJsonWithWorkloads,
  transportStack,
} from '../../../transport/transport-stack';

const CONFIG = 'cloudflare_zero_trust_tunnel_cloudflared_config';
const TUNNEL = 'cloudflare_zero_trust_tunnel_cloudflared';
const DNS = 'cloudflare_dns_record';
const ROUTE = 'cloudflare_zero_trust_tunnel_cloudflared_route';

const evaluate = (json: JsonObject) => MCP_NET_1.evaluate(new SynthesizedStack(json));

describe('MCP-NET-1', () => {
  let base: JsonObject;
  let configAddress: string;
  let tunnelAddress: string;
  let dnsAddress: string;
  beforeAll(() => {
    base = transportJsonWithWorkloads(['acme']);
    configAddress = `${CONFIG}.${nameOf(base, CONFIG)}`;
    tunnelAddress = `${TUNNEL}.${nameOf(base, TUNNEL)}`;
    dnsAddress = `${DNS}.${nameOf(base, DNS)}`;
  });

  /** The base JSON with the tunnel config's ingress replaced. */
  function withIngress(ingress: unknown, json = clone(base)): JsonObject {
    only(json, CONFIG).config = { ingress };
    return json;
  }
  const resultOf = (json: JsonObject, address = configAddress) => evaluate(json).find((e) => e.address === address);
  const origin = (service: string, hostname = 'acme.mcp.example.com') => ({ hostname, service });
  const catchAll = { service: 'http_status:404' };

  test("compliant: the construct routes acme's host to acme's MCP port on 127.0.0.1 and ends in http_status:404", () => {
    expect(evaluate(base)).toEqual([
      { address: configAddress, status: 'compliant' },
      { address: tunnelAddress, status: 'compliant' },
      { address: dnsAddress, status: 'compliant' },
    ]);
  });

  test('compliant: localhost and [::1] over http(s) at the MCP port, a path, an http_status answer, allowed origin settings', () => {
    const json = withIngress([
      origin('http://localhost:8080'),
      { ...origin('https://[::1]:8080'), path: '/mcp', origin_request: { connect_timeout: 10, no_tls_verify: true } },
      origin('http_status:403', 'other.example.com'),
      catchAll,
    ]);
    expect(resultOf(json)).toEqual({ address: configAddress, status: 'compliant' });
  });

  test('compliant: a port from a variable with a literal default, and the very expression MCP_PORT uses', () => {
    const json = withIngress([origin('tcp://127.0.0.1:${var.origin_port}'), catchAll]);
    json.variable = { origin_port: { type: 'number', default: 8080 } };
    expect(resultOf(json)?.status).toBe('compliant');

    const same = transportJson(['acme']);
    addMcpDeployment(same, 'acme', '${var.port}');
    withIngress([origin('tcp://127.0.0.1:${var.port}'), catchAll], same);
    same.variable = { port: { type: 'number' } };
    expect(resultOf(same)?.status).toBe('compliant');
  });

  test("compliant: the tenant's deployment in another stack of the app", () => {
    const workload: JsonObject = {};
    addMcpDeployment(workload, 'acme', '8080');
    const app = new SynthesizedApp([
      { name: 'transport', json: transportJson(['acme']) },
      { name: 'workload', json: workload },
    ]);
    expect(MCP_NET_1.evaluate(app.stacks[0]).map((e) => e.status)).toEqual(['compliant', 'compliant', 'compliant']);
  });

  test('non-compliant: an ingress pointed at a pod IP by an escape-hatch override', () => {
    const { stack, tunnels } = transportStack(['acme']);
    tunnels[0].tunnelConfig.addOverride('config.ingress.0.service', 'tcp://10.0.3.7:8080');
    expect(evaluate(rawJson(stack))[0]).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: "config.ingress[0].service 'tcp://10.0.3.7:8080' is not a loopback origin (127.0.0.1, localhost, [::1])",
    });
  });

  test('non-compliant: 0.0.0.0, a cluster service name, a unix socket and ssh', () => {
    const json = withIngress([
      origin('tcp://0.0.0.0:8080'),
      origin('http://mcp.mcp-acme.svc.cluster.local:8080'),
      origin('unix:/run/mcp.sock'),
      origin('ssh://127.0.0.1:8080'),
      catchAll,
    ]);
    expect(resultOf(json)?.detail).toBe(
      [
        "config.ingress[0].service 'tcp://0.0.0.0:8080' is not a loopback origin (127.0.0.1, localhost, [::1])",
        "config.ingress[1].service 'http://mcp.mcp-acme.svc.cluster.local:8080' is not a loopback origin (127.0.0.1, localhost, [::1])",
        "config.ingress[2].service 'unix:/run/mcp.sock' is not a loopback origin",
        "config.ingress[3].service 'ssh://127.0.0.1:8080' uses ssh:// (allowed: tcp, http, https)",
      ].join('; '),
    );
  });

  test.each([
    ['8081', "config.ingress[0].service 'tcp://127.0.0.1:8081' reaches port 8081, not tenant acme's MCP port 8080"],
    ['20241', "config.ingress[0].service 'tcp://127.0.0.1:20241' reaches port 20241, not tenant acme's MCP port 8080"],
  ])('non-compliant: another loopback port (%s) than the MCP port 8080', (port, detail) => {
    const json = withIngress([origin(`tcp://127.0.0.1:${port}`), catchAll]);
    expect(resultOf(json)).toEqual({ address: configAddress, status: 'non-compliant', detail });
  });

  test("non-compliant: another tenant's host, a wildcard, no hostname, no port", () => {
    const json = withIngress([
      origin('tcp://127.0.0.1:8080', 'globex.mcp.example.com'),
      origin('tcp://127.0.0.1:8080', '*.mcp.example.com'),
      { service: 'tcp://127.0.0.1:8080' },
      origin('tcp://127.0.0.1'),
      catchAll,
    ]);
    expect(resultOf(json)?.detail).toBe(
      [
        "config.ingress[0].hostname 'globex.mcp.example.com' is not acme.<domain>, the host of the tunnel's tenant acme",
        "config.ingress[1].hostname '*.mcp.example.com' is a wildcard, not tenant acme's own host",
        'config.ingress[2] has no hostname, so it sends every hostname of the tunnel to its origin',
        "config.ingress[3].service 'tcp://127.0.0.1' names no port (the MCP port of tenant acme is required)",
      ].join('; '),
    );
  });

  test('non-compliant: no final http_status:404 rule, a last rule with a hostname, no ingress at all', () => {
    expect(resultOf(withIngress([origin('tcp://127.0.0.1:8080')]))).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail:
        "the last ingress rule (config.ingress[0]) is 'tcp://127.0.0.1:8080', not 'http_status:404'; " +
        'the last ingress rule (config.ingress[0]) has a hostname or path, so it is not a catch-all',
    });
    expect(
      resultOf(
        withIngress([origin('tcp://127.0.0.1:8080'), { hostname: 'other.example.com', service: 'http_status:404' }]),
      )?.detail,
    ).toBe('the last ingress rule (config.ingress[1]) has a hostname or path, so it is not a catch-all');
    expect(resultOf(withIngress([]))?.detail).toBe('config.ingress has no rules');
  });

  test('non-compliant: a locally managed tunnel, and a config whose source is local or unset', () => {
    const json = clone(base);
    delete only(json, TUNNEL).config_src;
    only(json, CONFIG).source = 'local';
    expect(resultOf(json)).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: "source is 'local' (only 'cloudflare': the ingress is reviewed in Terraform)",
    });
    expect(resultOf(json, tunnelAddress)).toEqual({
      address: tunnelAddress,
      status: 'non-compliant',
      detail: 'config_src is unset (local): its ingress lives on the host, out of review',
    });
    delete only(json, CONFIG).source;
    expect(resultOf(json)?.detail).toBe("source is not set (only 'cloudflare': the ingress is reviewed in Terraform)");
  });

  test('non-compliant: a tunnel whose name names no tenant, and a SOCKS proxy in origin_request', () => {
    const json = clone(base);
    only(json, TUNNEL).name = 'shared-tunnel';
    expect(resultOf(json)?.detail).toBe(
      `its tunnel ${tunnelAddress} is named 'shared-tunnel', which names no tenant (mcp-<tenant>)`,
    );
    const socks = withIngress([
      { ...origin('tcp://127.0.0.1:8080'), origin_request: { proxy_type: 'socks' } },
      catchAll,
    ]);
    (only(socks, CONFIG).config as JsonObject).origin_request = { bastion_mode: true };
    expect(resultOf(socks)?.detail).toBe(
      'config.origin_request.bastion_mode is true (allowed settings: timeouts, keep-alives, TLS and access); ' +
        'config.ingress[0].origin_request.proxy_type is "socks" (allowed settings: timeouts, keep-alives, TLS and access)',
    );
  });

  test("non-compliant: a DNS record publishing acme's tunnel under globex's host, and a private route through it", () => {
    const json = clone(base);
    only(json, DNS).name = 'globex.mcp.example.com';
    addResource(json, ROUTE, 'pods', {
      account_id: 'a',
      network: '10.0.0.0/8',
      tunnel_id: `\${${tunnelAddress}.id}`,
    });
    expect(resultOf(json, dnsAddress)).toEqual({
      address: dnsAddress,
      status: 'non-compliant',
      detail: `name 'globex.mcp.example.com' publishes tunnel ${tunnelAddress} of tenant acme under another host than acme.<domain>`,
    });
    expect(resultOf(json, `${ROUTE}.pods`)).toEqual({
      address: `${ROUTE}.pods`,
      status: 'non-compliant',
      detail: `it routes '10.0.0.0/8' through tunnel ${tunnelAddress}, a path from WARP clients into the pod's network`,
    });
  });

  test('undecided: an origin host, the ingress list or the port cannot be read', () => {
    expect(resultOf(withIngress([origin('tcp://${var.origin_host}:8080'), catchAll]))).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: "config.ingress[0].service host: '${var.origin_host}' names a variable this stack does not declare",
    });
    expect(resultOf(withIngress('${var.ingress}'))).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: "config.ingress: '${var.ingress}' names a variable this stack does not declare",
    });
    const port = withIngress([origin('tcp://127.0.0.1:${var.port}'), catchAll]);
    port.variable = { port: { type: 'number' } };
    expect(resultOf(port)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail:
        "config.ingress[0].service 'tcp://127.0.0.1:${var.port}': its port ${var.port} cannot be compared with tenant acme's MCP port 8080",
    });
  });

  test("undecided: the tenant's MCP deployment is not in the app", () => {
    expect(resultOf(transportJson(['acme']))).toEqual({
      address: configAddress,
      status: 'undecided',
      detail:
        "config.ingress[0].service 'tcp://127.0.0.1:8080': no MCP deployment of tenant acme in this app declares MCP_PORT, so its port cannot be shown to be the MCP server's",
    });
  });

  test('undecided: a tunnel with no config in the app, a config or route whose tunnel_id is a literal', () => {
    const json = clone(base);
    delete (json.resource as Record<string, unknown>)[CONFIG];
    expect(resultOf(json, tunnelAddress)).toEqual({
      address: tunnelAddress,
      status: 'undecided',
      detail: 'no cloudflare_zero_trust_tunnel_cloudflared_config of this app sets its ingress',
    });
    const literal = clone(base);
    only(literal, CONFIG).tunnel_id = '6f1e0c0a-0000-4000-8000-000000000000';
    addResource(literal, ROUTE, 'pods', { account_id: 'a', network: '10.0.0.0/8', tunnel_id: 'f00' });
    expect(resultOf(literal)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail:
        'tunnel_id: "6f1e0c0a-0000-4000-8000-000000000000" is a literal id, not a cloudflare_zero_trust_tunnel_cloudflared of this app',
    });
    expect(resultOf(literal, `${ROUTE}.pods`)?.status).toBe('undecided');
  });

  test('not applicable: a stack without tunnels, tunnel DNS records or routes', () => {
    expect(evaluate({})).toEqual([]);
    const json: JsonObject = {};
    addResource(json, DNS, 'www', { zone_id: 'z', name: 'www.example.com', type: 'CNAME', content: 'example.com' });
    expect(evaluate(json)).toEqual([]);
    expect(Object.keys(resourcesOf(base, CONFIG))).toHaveLength(1);
  });

  test('undecided: a tunnel whose name is not set or cannot be read names no tenant yet', () => {
    const json = clone(base);
    delete only(json, TUNNEL).name;
    expect(resultOf(json)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: `the name of its tunnel ${tunnelAddress}: not set`,
    });
    only(json, TUNNEL).name = '${var.tunnel_name}';
    expect(resultOf(json)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: `the name of its tunnel ${tunnelAddress}: '\${var.tunnel_name}' names a variable this stack does not declare`,
    });
  });

  test('an ingress hostname read in part: judged by its first label, undecided when it has none', () => {
    expect(resultOf(withIngress([origin('tcp://127.0.0.1:8080', '${var.host}'), catchAll]))).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: "config.ingress[0].hostname: '${var.host}' names a variable this stack does not declare",
    });
    expect(resultOf(withIngress([origin('tcp://127.0.0.1:8080', 'globex.${var.domain}'), catchAll]))).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: "config.ingress[0].hostname 'globex....' is not acme.<domain>, the host of the tunnel's tenant acme",
    });
    const list = withIngress([{ hostname: ['acme.mcp.example.com'], service: 'tcp://127.0.0.1:8080' }, catchAll]);
    expect(resultOf(list)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: "config.ingress[0].hostname: '' is not a hostname",
    });
  });

  /** transportJson(['acme']) with acme's MCP deployment whose MCP_PORT is `port`, and the ingress reaching `target`. */
  function withMcpPort(port: string, target: string): JsonObject {
    const json = transportJson(['acme']);
    addMcpDeployment(json, 'acme', port);
    return withIngress([origin(`tcp://127.0.0.1:${target}`), catchAll], json);
  }

  test('the MCP port as the deployment writes it: a variable read through its default, or not read at all', () => {
    const byDefault = withMcpPort('${var.mcp_port}', '8081');
    byDefault.variable = { mcp_port: { type: 'number', default: 8080 } };
    expect(resultOf(byDefault)).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: "config.ingress[0].service 'tcp://127.0.0.1:8081' reaches port 8081, not tenant acme's MCP port 8080",
    });
    const noDefault = withMcpPort('${var.mcp_port}', '8080');
    noDefault.variable = { mcp_port: { type: 'number' } };
    expect(resultOf(noDefault)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail:
        "config.ingress[0].service 'tcp://127.0.0.1:8080': its port 8080 cannot be compared with tenant acme's MCP port ${var.mcp_port}",
    });
    const fromSecret = withMcpPort('8080', '8080');
    const deployment = only(fromSecret, 'kubernetes_deployment_v1');
    const container = ((deployment.spec as JsonObject).template as JsonObject).spec as JsonObject;
    const env = (container.container as JsonObject[])[0].env as JsonObject[];
    expect(env[1]).toEqual({ name: 'MCP_PORT', value: '8080' });
    env[1] = { name: 'MCP_PORT', value_from: { secret_key_ref: { name: 'mcp', key: 'port' } } };
    expect(resultOf(fromSecret)?.status).toBe('undecided');
    expect(resultOf(fromSecret)?.detail).toMatch(
      /^config\.ingress\[0\]\.service 'tcp:\/\/127\.0\.0\.1:8080': its port 8080 cannot be compared with tenant acme's MCP port /,
    );
  });

  test("undecided: one of the tenant's MCP deployments listens elsewhere, another on a port that cannot be read", () => {
    const elsewhere: JsonObject = {};
    addMcpDeployment(elsewhere, 'acme', '9090');
    const unread: JsonObject = { variable: { p: { type: 'number' } } };
    addMcpDeployment(unread, 'acme', '${var.p}');
    const app = new SynthesizedApp([
      { name: 'transport', json: transportJson(['acme']) },
      { name: 'elsewhere', json: elsewhere },
      { name: 'unread', json: unread },
    ]);
    expect(MCP_NET_1.evaluate(app.stacks[0])[0]).toEqual({
      address: configAddress,
      status: 'undecided',
      detail:
        "config.ingress[0].service 'tcp://127.0.0.1:8080': its port 8080 cannot be compared with tenant acme's MCP port 9090 / ${var.p}",
    });
  });

  test('an origin service: not set, read through a variable default, unreadable, or with an empty port', () => {
    expect(resultOf(withIngress([{ hostname: 'acme.mcp.example.com' }, catchAll]))).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: 'config.ingress[0].service is not set',
    });
    const byDefault = withIngress([origin('${var.origin}'), catchAll]);
    byDefault.variable = { origin: { type: 'string', default: 'tcp://10.0.3.7:8080' } };
    expect(resultOf(byDefault)).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: "config.ingress[0].service 'tcp://10.0.3.7:8080' is not a loopback origin (127.0.0.1, localhost, [::1])",
    });
    expect(resultOf(withIngress([origin('${var.origin}'), catchAll]))).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: "config.ingress[0].service: '${var.origin}' names a variable this stack does not declare",
    });
    expect(resultOf(withIngress([origin('tcp://127.0.0.1:'), catchAll]))).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: "config.ingress[0].service 'tcp://127.0.0.1:' names no port (the MCP port of tenant acme is required)",
    });
  });

  test('the last ingress rule: an unreadable service, no service, a path', () => {
    const unread = [origin('tcp://127.0.0.1:8080'), { service: '${var.fallback}' }];
    expect(resultOf(withIngress(unread))).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: "config.ingress[1].service: '${var.fallback}' names a variable this stack does not declare",
    });
    expect(resultOf(withIngress([origin('tcp://127.0.0.1:8080'), {}]))).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: "the last ingress rule (config.ingress[1]) is 'undefined', not 'http_status:404'",
    });
    expect(
      resultOf(withIngress([origin('tcp://127.0.0.1:8080'), { path: '/admin', service: 'http_status:404' }])),
    ).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail: 'the last ingress rule (config.ingress[1]) has a hostname or path, so it is not a catch-all',
    });
  });

  test('origin_request: an expression is undecided; a comment and unset (null, undefined) settings are no settings', () => {
    const expression = withIngress([
      { ...origin('tcp://127.0.0.1:8080'), origin_request: '${var.origin_request}' },
      catchAll,
    ]);
    expect(resultOf(expression)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: 'config.ingress[0].origin_request: "${var.origin_request}" is an expression the rules cannot evaluate',
    });
    const unset = withIngress([
      {
        ...origin('tcp://127.0.0.1:8080'),
        origin_request: { '//': { note: 'reviewed' }, connect_timeout: 10, proxy_type: null, bastion_mode: undefined },
      },
      catchAll,
    ]);
    expect(resultOf(unset)).toEqual({ address: configAddress, status: 'compliant' });
  });

  test('undecided: a config source or a tunnel config_src that cannot be read', () => {
    const json = clone(base);
    only(json, CONFIG).source = '${var.source}';
    only(json, TUNNEL).config_src = '${var.config_src}';
    expect(resultOf(json)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: "source: '${var.source}' names a variable this stack does not declare",
    });
    expect(resultOf(json, tunnelAddress)).toEqual({
      address: tunnelAddress,
      status: 'undecided',
      detail: "config_src: '${var.config_src}' names a variable this stack does not declare",
    });
  });

  test("DNS records: a v4 'value', a trailing dot and upper case still publish the tunnel; other records are not judged", () => {
    const json = clone(base);
    const record = only(json, DNS);
    const target = record.content as string;
    expect(target).toBe(`\${${tunnelAddress}.id}.cfargotunnel.com`);
    delete record.content;
    record.value = target;
    record.name = 'globex.mcp.example.com';
    const detail = `name 'globex.mcp.example.com' publishes tunnel ${tunnelAddress} of tenant acme under another host than acme.<domain>`;
    expect(resultOf(json, dnsAddress)).toEqual({ address: dnsAddress, status: 'non-compliant', detail });
    delete record.value;
    record.content = `\${${tunnelAddress}.id}.CFARGOTUNNEL.COM.`;
    expect(resultOf(json, dnsAddress)).toEqual({ address: dnsAddress, status: 'non-compliant', detail });

    const others = clone(base);
    addResource(others, DNS, 'txt', { zone_id: 'z', name: 'globex.mcp.example.com', type: 'TXT', content: target });
    addResource(others, DNS, 'empty', { zone_id: 'z', name: 'globex.mcp.example.com', type: 'CNAME' });
    expect(evaluate(others).map((e) => e.address)).toEqual([configAddress, tunnelAddress, dnsAddress]);
  });

  test('undecided: a DNS record to a literal tunnel id, and a record name that is unset or cannot be read', () => {
    const literal = clone(base);
    only(literal, DNS).content = '6f1e0c0a-0000-4000-8000-000000000000.cfargotunnel.com';
    expect(resultOf(literal, dnsAddress)).toEqual({
      address: dnsAddress,
      status: 'undecided',
      detail: "content names tunnel id '6f1e0c0a-0000-4000-8000-000000000000', not a tunnel of this app",
    });
    const json = clone(base);
    delete only(json, DNS).name;
    expect(resultOf(json, dnsAddress)).toEqual({
      address: dnsAddress,
      status: 'undecided',
      detail: "name: '' is not a full hostname",
    });
    only(json, DNS).name = '${var.host}';
    expect(resultOf(json, dnsAddress)).toEqual({
      address: dnsAddress,
      status: 'undecided',
      detail: "name: '${var.host}' names a variable this stack does not declare",
    });
    only(json, DNS).name = 'globex.${var.domain}';
    expect(resultOf(json, dnsAddress)).toEqual({
      address: dnsAddress,
      status: 'non-compliant',
      detail: `name 'globex.' publishes tunnel ${tunnelAddress} of tenant acme under another host than acme.<domain>`,
    });
  });

  test('non-compliant: a private route through the tunnel whose network is unset or cannot be read', () => {
    const json = clone(base);
    addResource(json, ROUTE, 'unset', { account_id: 'a', tunnel_id: `\${${tunnelAddress}.id}` });
    addResource(json, ROUTE, 'unread', {
      account_id: 'a',
      network: '${var.cidr}',
      tunnel_id: `\${${tunnelAddress}.id}`,
    });
    const detail = `it routes a private network through tunnel ${tunnelAddress}, a path from WARP clients into the pod's network`;
    expect(resultOf(json, `${ROUTE}.unset`)).toEqual({ address: `${ROUTE}.unset`, status: 'non-compliant', detail });
    expect(resultOf(json, `${ROUTE}.unread`)).toEqual({ address: `${ROUTE}.unread`, status: 'non-compliant', detail });
  });

  test.each([
    [
      'a variable without a default',
      undefined,
      'undecided',
      "config.ingress[0]: variable 'rule' has no default: its value comes at plan time",
    ],
    [
      'a variable whose default routes to a pod address',
      { hostname: 'acme.mcp.example.com', service: 'http://10.0.0.5:80' },
      'non-compliant',
      "config.ingress[0].service 'http://10.0.0.5:80' is not a loopback origin (127.0.0.1, localhost, [::1])",
    ],
    ['a variable whose default is no rule', 'x', 'undecided', 'config.ingress[0]: "x" is not an ingress rule'],
  ])('an ingress rule written as an expression is followed, not skipped: %s', (_what, value, status, detail) => {
    const json = withIngress(['${var.rule}', origin('tcp://127.0.0.1:8080'), catchAll]);
    json.variable = { rule: value === undefined ? { type: 'any' } : { type: 'any', default: value } };
    expect(resultOf(json)).toEqual({ address: configAddress, status, detail });
  });
});
