import { MCP_SEC_9 } from '../../../../lib/checks/rules/secrets/mcp-sec-9';
import type { JsonObject } from '../../../../lib/model/stack';
import { addMcpDeployment, evaluate, evaluateIn, problems } from './fixtures';

/** A stack with acme's MCP Deployment whose MCP container has `env`. */
function deployment(env: Record<string, unknown>): JsonObject {
  const json: JsonObject = {};
  addMcpDeployment(json, 'acme', env);
  return json;
}

const REQUIRED = '(an https URL without credentials)';

describe('MCP-SEC-9', () => {
  test.each([
    ['an in-cluster https address', 'https://vault.vault.svc:8200'],
    ['an external https address', 'https://vault.example.com'],
  ])('compliant: %s', (_name, address) => {
    const results = evaluate(MCP_SEC_9, deployment({ VAULT_ADDR: address }));
    expect(results).toEqual([{ address: 'kubernetes_deployment_v1.mcp_acme', status: 'compliant' }]);
  });

  test('not applicable: a stack without MCP pods', () => {
    expect(evaluate(MCP_SEC_9, {})).toEqual([]);
  });

  test.each<[string, unknown, string]>([
    [
      'http',
      'http://vault.vault.svc:8200',
      `VAULT_ADDR of container 'mcp-server' is 'http://vault.vault.svc:8200' ${REQUIRED}`,
    ],
    [
      'http on loopback (no Vault runs in the pod)',
      'http://127.0.0.1:8200',
      `VAULT_ADDR of container 'mcp-server' is 'http://127.0.0.1:8200' ${REQUIRED}`,
    ],
    ['no scheme', 'vault.vault.svc:8200', `VAULT_ADDR of container 'mcp-server' is 'vault.vault.svc:8200' ${REQUIRED}`],
    [
      'credentials in the URL',
      'https://root:pw@vault.example.com',
      `VAULT_ADDR of container 'mcp-server' is 'https://root:pw@vault.example.com' ${REQUIRED}`,
    ],
    ['empty', '', `VAULT_ADDR of container 'mcp-server' is '' ${REQUIRED}`],
  ])('non-compliant: %s', (_name, address, detail) => {
    expect(problems(evaluate(MCP_SEC_9, deployment({ VAULT_ADDR: address })))).toEqual([['non-compliant', detail]]);
  });

  test('non-compliant: the MCP container does not set VAULT_ADDR', () => {
    expect(problems(evaluate(MCP_SEC_9, deployment({ MCP_PORT: '8080' })))).toEqual([
      ['non-compliant', "container 'mcp-server' sets no VAULT_ADDR (Vault's https address)"],
    ]);
  });

  test('an http address from a variable default is judged by that default', () => {
    const json = deployment({ VAULT_ADDR: '${var.vault_addr}' });
    json.variable = { vault_addr: { type: 'string', default: 'http://vault:8200' } };
    expect(problems(evaluate(MCP_SEC_9, json))).toEqual([
      ['non-compliant', `VAULT_ADDR of container 'mcp-server' is 'http://vault:8200' ${REQUIRED}`],
    ]);
  });

  test('an http address read from a foundation stack through remote state', () => {
    const cell = deployment({ VAULT_ADDR: '${data.terraform_remote_state.base.outputs.vault_addr}' });
    cell.data = { terraform_remote_state: { base: { backend: 'local', config: { path: 'base.tfstate' } } } };
    const base = {
      terraform: { backend: { local: { path: 'base.tfstate' } } },
      output: { vault_addr: { value: 'http://vault:8200' } },
    };
    expect(problems(evaluateIn(MCP_SEC_9, { cell, base }, 'cell'))).toEqual([
      ['non-compliant', `VAULT_ADDR of container 'mcp-server' is 'http://vault:8200' ${REQUIRED}`],
    ]);
    (base.output.vault_addr as { value: string }).value = 'https://vault:8200';
    expect(problems(evaluateIn(MCP_SEC_9, { cell, base }, 'cell'))).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'a variable without a default',
      { VAULT_ADDR: '${var.vault_addr}' },
      "VAULT_ADDR of container 'mcp-server' cannot be read: '${var.vault_addr}' names a variable this stack does not declare",
    ],
    [
      'value_from',
      { VAULT_ADDR: { value_from: [{ config_map_key_ref: [{ name: 'vault', key: 'addr' }] }] } },
      "VAULT_ADDR of container 'mcp-server' comes from value_from, which the rule cannot read",
    ],
  ])('undecided (an error): %s', (_name, env, detail) => {
    expect(problems(evaluate(MCP_SEC_9, deployment(env)))).toEqual([['undecided', detail]]);
  });

  test('undecided (an error): no VAULT_ADDR in env, but env_from may set it', () => {
    const json = deployment({ MCP_PORT: '8080' });
    const container = (
      (
        (
          (((json.resource as JsonObject).kubernetes_deployment_v1 as JsonObject).mcp_acme as JsonObject)
            .spec as JsonObject[]
        )[0].template as JsonObject[]
      )[0].spec as JsonObject[]
    )[0].container as JsonObject[];
    container[0].env_from = [{ config_map_ref: [{ name: 'vault' }] }];
    expect(problems(evaluate(MCP_SEC_9, json))).toEqual([
      [
        'undecided',
        "container 'mcp-server' sets no VAULT_ADDR in env, and env_from may set it: the rule cannot read it",
      ],
    ]);
  });
  test('compliant: another container of the MCP pod that sets no VAULT_ADDR (it does not talk to Vault)', () => {
    const json = deployment({ VAULT_ADDR: 'https://vault.vault.svc:8200' });
    const pod = (
      (((json.resource as JsonObject).kubernetes_deployment_v1 as JsonObject).mcp_acme as JsonObject)
        .spec as JsonObject[]
    )[0].template as JsonObject[];
    const containers = (pod[0].spec as JsonObject[])[0].container as JsonObject[];
    containers.push({ name: 'audit-shipper', image: 'ghcr.io/example/shipper:1', env: [{ name: 'LOG', value: 'x' }] });
    expect(containers).toHaveLength(2);
    expect(evaluate(MCP_SEC_9, json)).toEqual([{ address: 'kubernetes_deployment_v1.mcp_acme', status: 'compliant' }]);
  });

  test('non-compliant: a VAULT_ADDR entry with neither value nor value_from is empty', () => {
    expect(problems(evaluate(MCP_SEC_9, deployment({ VAULT_ADDR: {} })))).toEqual([
      ['non-compliant', `VAULT_ADDR of container 'mcp-server' is empty ${REQUIRED}`],
    ]);
  });

  test('non-compliant: an http value is judged even when value_from is written beside it', () => {
    const env = {
      VAULT_ADDR: {
        value: 'http://vault:8200',
        value_from: [{ config_map_key_ref: [{ name: 'vault', key: 'addr' }] }],
      },
    };
    expect(problems(evaluate(MCP_SEC_9, deployment(env)))).toEqual([
      ['non-compliant', `VAULT_ADDR of container 'mcp-server' is 'http://vault:8200' ${REQUIRED}`],
    ]);
  });
});
