/**
 * The allow-list parts of MCP-K8S-2 (host-level settings), MCP-K8S-5 (tokens minted for MCP service
 * accounts) and MCP-K8S-6 (every MCP_BIND_ADDRESS entry; references followed).
 */
import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_K8S_2 } from '../../../../lib/checks/rules/ports/mcp-k8s-2';
import { MCP_K8S_5 } from '../../../../lib/checks/rules/ports/mcp-k8s-5';
import { MCP_K8S_6 } from '../../../../lib/checks/rules/ports/mcp-k8s-6';
import {
  addResource,
  addressOf,
  addVariable,
  containerIn,
  evaluate,
  failures,
  ownJson,
  podOf,
  problems,
  resourceOf,
} from './fixture';

function containerSc(json: JsonObject, name: string): JsonObject {
  return containerIn(json, name).security_context as JsonObject;
}

describe('MCP-K8S-2: host-level settings of the restricted profile', () => {
  test.each([
    [
      'a Windows host process',
      (j: JsonObject) => (containerSc(j, 'mcp-server').windows_options = { host_process: true }),
      "container 'mcp-server' runs as a Windows host process",
    ],
    [
      'an SELinux type of the host',
      (j: JsonObject) => (containerSc(j, 'mcp-server').se_linux_options = { type: 'spc_t' }),
      "container 'mcp-server' sets SELinux type 'spc_t'",
    ],
    [
      'an SELinux user',
      (j: JsonObject) => ((podOf(j).security_context as JsonObject).se_linux_options = { user: 'system_u' }),
      "the pod sets SELinux user 'system_u'",
    ],
    [
      'an unmasked /proc',
      (j: JsonObject) => (containerSc(j, 'cloudflared').proc_mount = 'Unmasked'),
      "container 'cloudflared' mounts /proc 'Unmasked'",
    ],
    [
      'an unconfined AppArmor profile',
      (j: JsonObject) => (containerSc(j, 'cloudflared').app_armor_profile = { type: 'Unconfined' }),
      "container 'cloudflared' runs without an AppArmor profile",
    ],
    [
      'a sysctl',
      (j: JsonObject) => ((podOf(j).security_context as JsonObject).sysctl = [{ name: 'kernel.msgmax', value: '1' }]),
      "the pod sets sysctl 'kernel.msgmax'",
    ],
    [
      'an unconfined AppArmor annotation',
      (j: JsonObject) => {
        const template = ((resourceOf(j, 'kubernetes_deployment_v1').spec as JsonObject).template as JsonObject)
          .metadata as JsonObject;
        (template.annotations as JsonObject)['container.apparmor.security.beta.kubernetes.io/mcp-server'] =
          'unconfined';
      },
      "annotation container.apparmor.security.beta.kubernetes.io/mcp-server is 'unconfined'",
    ],
  ])('non-compliant: %s', (_what, edit, detail) => {
    const json = ownJson();
    edit(json);
    expect(problems(MCP_K8S_2, json)).toEqual([['non-compliant', detail]]);
  });

  test('compliant: the container SELinux types and a Default /proc', () => {
    const json = ownJson();
    containerSc(json, 'mcp-server').se_linux_options = { type: 'container_t' };
    containerSc(json, 'cloudflared').proc_mount = 'Default';
    expect(problems(MCP_K8S_2, json)).toEqual([]);
  });
});

describe('MCP-K8S-5: no token minted for an MCP service account', () => {
  test('non-compliant: a token request and a service-account-token secret in the MCP namespace', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_token_request_v1', 'token', {
      metadata: { name: 'mcp-server', namespace: 'mcp-acme' },
      spec: { audiences: ['vault'] },
    });
    addResource(json, 'kubernetes_secret_v1', 'long_lived', {
      metadata: {
        name: 'mcp-token',
        namespace: 'mcp-acme',
        annotations: { 'kubernetes.io/service-account.name': 'mcp-server' },
      },
      type: 'kubernetes.io/service-account-token',
    });
    expect(failures(MCP_K8S_5, json)).toEqual([
      {
        address: 'kubernetes_token_request_v1.token',
        status: 'non-compliant',
        detail: "it requests a token for service account 'mcp-server' of MCP namespace 'mcp-acme'",
      },
      {
        address: 'kubernetes_secret_v1.long_lived',
        status: 'non-compliant',
        detail: "it is a service-account token for 'mcp-server' in MCP namespace 'mcp-acme'",
      },
    ]);
  });

  test('compliant: the same elsewhere; non-compliant: a service account declared through kubernetes_manifest that automounts', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_token_request_v1', 'token', { metadata: { name: 'web', namespace: 'shop' } });
    addResource(json, 'kubernetes_manifest', 'sa', {
      manifest: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', namespace: 'shop' } },
    });
    expect(failures(MCP_K8S_5, json)).toEqual([
      {
        address: 'kubernetes_manifest.sa',
        status: 'non-compliant',
        detail: 'the service account does not set automount_service_account_token = false',
      },
    ]);
  });

  test('undecided: the type of a secret is a variable without default', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_secret_v1', 's', {
      metadata: { name: 's', namespace: 'mcp-acme' },
      type: addVariable(json, 't'),
    });
    expect(problems(MCP_K8S_5, json)).toEqual([
      ['undecided', "type cannot be read (variable 't' has no default: its value comes at plan time)"],
    ]);
  });
});

describe('MCP-K8S-6: every bind address entry, references followed', () => {
  test('non-compliant: a second MCP_BIND_ADDRESS entry (Kubernetes uses the last)', () => {
    const json = ownJson();
    (containerIn(json, 'mcp-server').env as JsonObject[]).push({ name: 'MCP_BIND_ADDRESS', value: '10.0.0.7' });
    expect(problems(MCP_K8S_6, json)).toEqual([
      ['non-compliant', "container 'mcp-server' binds MCP_BIND_ADDRESS=10.0.0.7, not loopback"],
    ]);
  });

  test('judges a bind address held in a local by its value; a computed reference in other env is not an address', () => {
    const json = ownJson();
    const env = containerIn(json, 'mcp-server').env as JsonObject[];
    env.push({ name: 'NAMESPACE_ID', value: `\${${addressOf(json, 'kubernetes_namespace_v1')}.id}` });
    expect(problems(MCP_K8S_6, json)).toEqual([]);
    json.locals = { bind: '0.0.0.0' };
    env.find((e) => e.name === 'MCP_BIND_ADDRESS')!.value = '${local.bind}';
    expect(problems(MCP_K8S_6, json)).toEqual([
      [
        'non-compliant',
        "container 'mcp-server' env MCP_BIND_ADDRESS names a wildcard address ('0.0.0.0'); container 'mcp-server' binds MCP_BIND_ADDRESS=0.0.0.0, not loopback",
      ],
    ]);
  });

  test('undecided: an env value that is an expression the rules cannot evaluate', () => {
    const json = ownJson();
    (containerIn(json, 'cloudflared').env as JsonObject[]).push({
      name: 'X',
      value: '${join(":", ["0.0.0.0", "80"])}',
    });
    expect(problems(MCP_K8S_6, json)).toEqual([
      [
        'undecided',
        'container \'cloudflared\' env X cannot be read (\'${join(":", ["0.0.0.0", "80"])}\' is an expression the rules cannot evaluate)',
      ],
    ]);
  });

  test('a Service declared through kubernetes_manifest in another namespace is not an exposure', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_manifest', 'svc', {
      manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: {} },
    });
    expect(evaluate(MCP_K8S_6, json).find((e) => e.address === 'kubernetes_manifest.svc')).toEqual({
      address: 'kubernetes_manifest.svc',
      status: 'compliant',
    });
  });
});
