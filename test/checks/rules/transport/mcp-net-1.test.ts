import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_NET_1 } from '../../../../lib/checks/rules/transport/mcp-net-1';
import { clone, rawJson, resourcesOf } from '../../../helpers';
import { only, transportJson, transportStack } from '../../../transport/transport-stack';

const CONFIG = 'cloudflare_zero_trust_tunnel_cloudflared_config';
const TUNNEL = 'cloudflare_zero_trust_tunnel_cloudflared';

const evaluate = (json: JsonObject) => MCP_NET_1.evaluate(new SynthesizedStack(json));

describe('MCP-NET-1', () => {
  let base: JsonObject;
  let configAddress: string;
  let tunnelAddress: string;
  beforeAll(() => {
    base = transportJson(['acme']);
    configAddress = `${CONFIG}.${Object.keys(resourcesOf(base, CONFIG))[0]}`;
    tunnelAddress = `${TUNNEL}.${Object.keys(resourcesOf(base, TUNNEL))[0]}`;
  });

  /** The base JSON with the tunnel config's ingress replaced. */
  function withIngress(ingress: unknown): JsonObject {
    const json = clone(base);
    only(json, CONFIG).config = { ingress };
    return json;
  }
  const configResult = (json: JsonObject) => evaluate(json).find((e) => e.address === configAddress);

  test('compliant: the construct routes only to 127.0.0.1 and ends in http_status:404', () => {
    expect(evaluate(base)).toEqual([
      { address: configAddress, status: 'compliant' },
      { address: tunnelAddress, status: 'compliant' },
    ]);
  });

  test('compliant: localhost and [::1] over http, and an http_status answer before the catch-all', () => {
    const json = withIngress([
      { hostname: 'a.example.com', service: 'http://localhost:8080' },
      { hostname: 'b.example.com', service: 'https://[::1]:8443' },
      { hostname: 'c.example.com', service: 'http_status:403' },
      { service: 'http_status:404' },
    ]);
    expect(configResult(json)).toEqual({ address: configAddress, status: 'compliant' });
  });

  test('compliant: a port from a Terraform variable on 127.0.0.1', () => {
    const json = withIngress([
      { hostname: 'acme.mcp.example.com', service: 'tcp://127.0.0.1:${var.origin_port}' },
      { service: 'http_status:404' },
    ]);
    expect(configResult(json)).toEqual({ address: configAddress, status: 'compliant' });
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
      { hostname: 'a.example.com', service: 'tcp://0.0.0.0:8080' },
      { hostname: 'b.example.com', service: 'http://mcp.mcp-acme.svc.cluster.local:8080' },
      { hostname: 'c.example.com', service: 'unix:/run/mcp.sock' },
      { hostname: 'd.example.com', service: 'ssh://127.0.0.1:22' },
      { service: 'http_status:404' },
    ]);
    expect(configResult(json)?.detail).toBe(
      [
        "config.ingress[0].service 'tcp://0.0.0.0:8080' is not a loopback origin (127.0.0.1, localhost, [::1])",
        "config.ingress[1].service 'http://mcp.mcp-acme.svc.cluster.local:8080' is not a loopback origin (127.0.0.1, localhost, [::1])",
        "config.ingress[2].service 'unix:/run/mcp.sock' is not a loopback origin",
        "config.ingress[3].service 'ssh://127.0.0.1:22' uses ssh:// (allowed: tcp, http, https)",
      ].join('; '),
    );
  });

  test('non-compliant: no final http_status:404 rule', () => {
    const json = withIngress([{ hostname: 'acme.mcp.example.com', service: 'tcp://127.0.0.1:8080' }]);
    expect(configResult(json)).toEqual({
      address: configAddress,
      status: 'non-compliant',
      detail:
        "the last ingress rule (config.ingress[0]) is 'tcp://127.0.0.1:8080', not 'http_status:404'; " +
        'the last ingress rule (config.ingress[0]) has a hostname or path, so it is not a catch-all',
    });
  });

  test('non-compliant: a last rule with a hostname is not a catch-all; no ingress at all', () => {
    const scoped = withIngress([
      { hostname: 'acme.mcp.example.com', service: 'tcp://127.0.0.1:8080' },
      { hostname: 'other.example.com', service: 'http_status:404' },
    ]);
    expect(configResult(scoped)?.detail).toBe(
      'the last ingress rule (config.ingress[1]) has a hostname or path, so it is not a catch-all',
    );
    expect(configResult(withIngress([]))?.detail).toBe('config.ingress has no rules');
  });

  test('non-compliant: a locally managed tunnel, and a config whose source is local', () => {
    const json = clone(base);
    delete only(json, TUNNEL).config_src;
    only(json, CONFIG).source = 'local';
    expect(evaluate(json)).toEqual([
      {
        address: configAddress,
        status: 'non-compliant',
        detail: "source is 'local': the ingress is managed on the host, out of review",
      },
      {
        address: tunnelAddress,
        status: 'non-compliant',
        detail: 'config_src is unset (local): its ingress lives on the host, out of review',
      },
    ]);
  });

  test('undecided: an origin host or the ingress list is an unresolved expression', () => {
    const hostExpression = withIngress([
      { hostname: 'a.example.com', service: 'tcp://${var.origin_host}:8080' },
      { service: 'http_status:404' },
    ]);
    expect(configResult(hostExpression)).toEqual({
      address: configAddress,
      status: 'undecided',
      detail: 'config.ingress[0].service host is an unresolved expression',
    });
    expect(configResult(withIngress('${var.ingress}'))?.status).toBe('undecided');
  });

  test('undecided: a remotely managed tunnel whose config is not in the stack', () => {
    const json = clone(base);
    delete (json.resource as Record<string, unknown>)[CONFIG];
    expect(evaluate(json)).toEqual([
      {
        address: tunnelAddress,
        status: 'undecided',
        detail: 'no cloudflare_zero_trust_tunnel_cloudflared_config in this stack sets its ingress',
      },
    ]);
  });

  test('not applicable: a stack without tunnels', () => {
    expect(evaluate({})).toEqual([]);
  });
});
