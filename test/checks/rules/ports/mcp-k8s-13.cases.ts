/** MCP-K8S-13: the MCP container learns where to listen only from MCP_BIND_ADDRESS and MCP_PORT. */
import type { JsonObject } from '../../../../lib/model/stack';
import { isListenVariable, MCP_K8S_13, namesListenSetting } from '../../../../lib/checks/rules/ports/mcp-k8s-13';
import { addResource, addVariable, containerIn, evaluate, failures, ownJson, problems } from './fixture';

function envOf(json: JsonObject): JsonObject[] {
  return containerIn(json, 'mcp-server').env as JsonObject[];
}

describe('MCP-K8S-13', () => {
  test('compliant: the environment contract only', () => {
    expect(evaluate(MCP_K8S_13, ownJson())).toEqual([
      { address: expect.stringMatching(/^kubernetes_deployment_v1\./), status: 'compliant' },
    ]);
  });

  test.each([
    [['--host', '0.0.0.0'], "container 'mcp-server' args names a listen address or port ('--host')"],
    [['--port=9000'], "container 'mcp-server' args names a listen address or port ('--port=9000')"],
    [['serve', '--listen-addr', 'x'], "container 'mcp-server' args names a listen address or port ('--listen-addr')"],
    [['--bind'], "container 'mcp-server' args names a listen address or port ('--bind')"],
    [['-p', '9000'], "container 'mcp-server' args names a listen address or port ('-p')"],
    [['--httpPort=1'], "container 'mcp-server' args names a listen address or port ('--httpPort=1')"],
    [['serve', '127.0.0.1:9000'], "container 'mcp-server' args names a listen address or port ('127.0.0.1:9000')"],
    [['serve', ':9000'], "container 'mcp-server' args names a listen address or port (':9000')"],
    [['[::1]:8080'], "container 'mcp-server' args names a listen address or port ('[::1]:8080')"],
  ])('non-compliant: args %j', (args, detail) => {
    const json = ownJson();
    containerIn(json, 'mcp-server').args = args;
    expect(problems(MCP_K8S_13, json)).toEqual([['non-compliant', detail]]);
  });

  test('compliant: args that name no listen setting', () => {
    const json = ownJson();
    containerIn(json, 'mcp-server').args = [
      'serve',
      '--transport=streamable-http',
      '--log-level',
      'info',
      '--workers',
      '4',
    ];
    expect(problems(MCP_K8S_13, json)).toEqual([]);
  });

  test.each(['PORT', 'HOST', 'HOSTNAME', 'LISTEN_ADDR', 'BIND_ADDRESS', 'UVICORN_PORT', 'SERVER_HOST', 'FASTMCP_PORT'])(
    'non-compliant: env %s',
    (name) => {
      const json = ownJson();
      envOf(json).push({ name, value: '9000' });
      expect(problems(MCP_K8S_13, json)).toEqual([
        [
          'non-compliant',
          `container 'mcp-server' env ${name} sets a listen address or port outside the contract (MCP_BIND_ADDRESS, MCP_PORT)`,
        ],
      ]);
    },
  );

  test('recognises listen variables by whole words only', () => {
    expect(['MCP_AUDIT_LOG_PATH', 'TRANSPORT', 'REPORT_DIR', 'VAULT_ADDR', 'MCP_PORT'].some(isListenVariable)).toBe(
      false,
    );
    expect(namesListenSetting('--export=json')).toBe(false);
    expect(namesListenSetting('--support')).toBe(false);
  });

  test('non-compliant: a host:port value outside the contract, env_from, and a contract variable set twice', () => {
    const json = ownJson();
    envOf(json).push({ name: 'UPSTREAM', value: 'http://0.0.0.0:9000' }, { name: 'MCP_PORT', value: '9000' });
    containerIn(json, 'mcp-server').env_from = [{ config_map_ref: { name: 'settings' } }];
    expect(problems(MCP_K8S_13, json)).toEqual([
      [
        'non-compliant',
        "container 'mcp-server' takes environment from env_from, whose keys may set a listen address or port; container 'mcp-server' env UPSTREAM names a host and port ('http://0.0.0.0:9000'); container 'mcp-server' sets MCP_PORT 2 times (Kubernetes uses the last)",
      ],
    ]);
  });

  test.each([
    ['0', false],
    ['1', true],
    ['65535', true],
    ['65536', false],
    ['20241', false],
    ['http', false],
  ])('MCP_PORT %s is %s', (port, accepted) => {
    const json = ownJson();
    envOf(json).find((e) => e.name === 'MCP_PORT')!.value = port;
    expect(problems(MCP_K8S_13, json)).toEqual(
      accepted
        ? []
        : [
            [
              'non-compliant',
              `container 'mcp-server' sets MCP_PORT=${port}, not a port from 1 to 65535 other than 20241`,
            ],
          ],
    );
  });

  test('non-compliant: MCP_PORT missing, or from value_from', () => {
    const json = ownJson();
    const port = envOf(json).find((e) => e.name === 'MCP_PORT')!;
    port.value_from = { field_ref: { field_path: 'metadata.annotations["port"]' } };
    delete port.value;
    expect(problems(MCP_K8S_13, json)).toEqual([
      ['non-compliant', "container 'mcp-server' takes MCP_PORT from value_from, not a literal port"],
    ]);
    port.name = 'UNUSED';
    expect(problems(MCP_K8S_13, json)).toEqual([['non-compliant', "container 'mcp-server' does not set MCP_PORT"]]);
  });

  test('non-compliant: kubernetes_env patching the MCP container', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_env', 'patch', {
      api_version: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'mcp-server', namespace: 'mcp-acme' },
      container: 'mcp-server',
      env: [{ name: 'MCP_BIND_ADDRESS', value: '0.0.0.0' }],
    });
    expect(failures(MCP_K8S_13, json)).toEqual([
      {
        address: 'kubernetes_env.patch',
        status: 'non-compliant',
        detail: "it patches the environment of 'Deployment' 'mcp-server' in MCP namespace 'mcp-acme'",
      },
    ]);
  });

  test('undecided: an arg that is a variable without default; judged by the default when it has one', () => {
    const json = ownJson();
    containerIn(json, 'mcp-server').args = [addVariable(json, 'flag')];
    expect(problems(MCP_K8S_13, json)).toEqual([
      [
        'undecided',
        "container 'mcp-server' args cannot be read (variable 'flag' has no default: its value comes at plan time)",
      ],
    ]);
    addVariable(json, 'flag', '--host=0.0.0.0');
    expect(problems(MCP_K8S_13, json)).toEqual([
      ['non-compliant', "container 'mcp-server' args names a listen address or port ('--host=0.0.0.0')"],
    ]);
  });

  test('not applicable: a stack without MCP pods', () => {
    expect(evaluate(MCP_K8S_13, {})).toEqual([]);
  });
});
