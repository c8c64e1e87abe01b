/** MCP-K8S-11: only the containers the library declares run in an MCP pod; one workload per MCP namespace. */
import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_K8S_11 } from '../../../../lib/checks/rules/ports/mcp-k8s-11';
import {
  addResource,
  addVariable,
  clone,
  containerIn,
  evaluate,
  failures,
  ownJson,
  podOf,
  problems,
  resourceOf,
} from './fixture';

/** The pod template annotations of the tenant's deployment. */
function annotationsOf(json: JsonObject): Record<string, unknown> {
  const template = ((resourceOf(json, 'kubernetes_deployment_v1').spec as JsonObject).template as JsonObject)
    .metadata as JsonObject;
  return (template.annotations ??= {}) as Record<string, unknown>;
}

/** A copy of the cloudflared container under another name (it passes every other pod rule). */
function extraContainer(json: JsonObject, name: string): JsonObject {
  return { ...clone(containerIn(json, 'cloudflared')), name };
}

describe('MCP-K8S-11', () => {
  test('compliant: the MCP server and cloudflared, in the one Deployment of the namespace', () => {
    const json = ownJson();
    expect(evaluate(MCP_K8S_11, json)).toEqual([
      { address: expect.stringMatching(/^kubernetes_deployment_v1\.acme_Deployment_/), status: 'compliant' },
    ]);
  });

  test('compliant: the audit shipper, and containers the addons annotation names', () => {
    const json = ownJson();
    const containers = podOf(json).container as JsonObject[];
    containers.push(extraContainer(json, 'audit-shipper'), extraContainer(json, 'policy-agent'));
    annotationsOf(json)['mcp-access.io/addons'] = 'audit-shipper, policy-agent';
    expect(problems(MCP_K8S_11, json)).toEqual([]);
  });

  test('non-compliant: a sidecar the annotation does not name', () => {
    const json = ownJson();
    (podOf(json).container as JsonObject[]).push(extraContainer(json, 'debug'));
    expect(problems(MCP_K8S_11, json)).toEqual([
      [
        'non-compliant',
        "container 'debug' is not one the library declares (mcp-server, cloudflared, audit-shipper) nor named in annotation mcp-access.io/addons",
      ],
    ]);
    annotationsOf(json)['mcp-access.io/addons'] = 'audit-shipper';
    expect(problems(MCP_K8S_11, json)).toEqual([
      [
        'non-compliant',
        "container 'debug' is not one the library declares (mcp-server, cloudflared, audit-shipper) nor named in annotation mcp-access.io/addons (audit-shipper)",
      ],
    ]);
  });

  test('non-compliant: an init container not named in the annotation; compliant once named', () => {
    const json = ownJson();
    podOf(json).init_container = [extraContainer(json, 'setup')];
    expect(problems(MCP_K8S_11, json)).toEqual([
      ['non-compliant', "init container 'setup' is not named in annotation mcp-access.io/addons"],
    ]);
    annotationsOf(json)['mcp-access.io/addons'] = 'setup';
    expect(problems(MCP_K8S_11, json)).toEqual([]);
  });

  test('non-compliant: a container name twice, an ephemeral container, an annotation that is not a list of names', () => {
    const json = ownJson();
    (podOf(json).container as JsonObject[]).push(extraContainer(json, 'cloudflared'));
    podOf(json).ephemeral_container = [{ name: 'debugger' }];
    annotationsOf(json)['mcp-access.io/addons'] = 'ok,Not A Name';
    expect(problems(MCP_K8S_11, json)).toEqual([
      [
        'non-compliant',
        "annotation mcp-access.io/addons names 'Not A Name', not a container name; container 'cloudflared' appears more than once; ephemeral container 'debugger' is declared",
      ],
    ]);
  });

  test('non-compliant: a second workload in the MCP namespace (a Job with the MCP server image)', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_job_v1', 'job', {
      metadata: { name: 'migrate', namespace: 'mcp-acme' },
      spec: { template: { spec: { container: [clone(containerIn(json, 'mcp-server'))] } } },
    });
    expect(failures(MCP_K8S_11, json)).toEqual([
      {
        address: 'kubernetes_job_v1.job',
        status: 'non-compliant',
        detail:
          "it is one of 2 workloads in MCP namespace 'mcp-acme', where the library declares one (the Deployment mcp-server)",
      },
    ]);
  });

  test('non-compliant: kubernetes_annotations patching the pod template of a workload in an MCP namespace', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_annotations', 'patch', {
      api_version: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'mcp-server', namespace: 'mcp-acme' },
      template_annotations: { 'mcp-access.io/addons': 'debug' },
    });
    addResource(json, 'kubernetes_annotations', 'elsewhere', {
      api_version: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      template_annotations: { a: 'b' },
    });
    expect(failures(MCP_K8S_11, json)).toEqual([
      {
        address: 'kubernetes_annotations.patch',
        status: 'non-compliant',
        detail: "it patches the pod template annotations of 'Deployment' 'mcp-server' in MCP namespace 'mcp-acme'",
      },
    ]);
  });

  test('undecided: the annotation is a variable without default; judged by the default when it has one', () => {
    const json = ownJson();
    (podOf(json).container as JsonObject[]).push(extraContainer(json, 'debug'));
    annotationsOf(json)['mcp-access.io/addons'] = addVariable(json, 'addons');
    expect(problems(MCP_K8S_11, json)).toEqual([
      [
        'undecided',
        "annotation mcp-access.io/addons cannot be read (variable 'addons' has no default: its value comes at plan time)",
      ],
    ]);
    addVariable(json, 'addons', 'debug');
    expect(problems(MCP_K8S_11, json)).toEqual([]);
  });

  test('not applicable: a stack without MCP pods', () => {
    expect(evaluate(MCP_K8S_11, {})).toEqual([]);
  });
});
