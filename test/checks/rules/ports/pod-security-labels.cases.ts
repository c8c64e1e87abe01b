/** MCP-K8S-1: no resource may weaken the Pod Security labels of a namespace. */
import { type JsonObject, SynthesizedApp } from '../../../../lib/model/stack';
import { MCP_K8S_1, versionProblem } from '../../../../lib/checks/rules/ports/mcp-k8s-1';
import { addResource, addressOf, addVariable, failures, ownJson, problems, resourceOf } from './fixture';

/** The labels of the tenant namespace in JSON. */
function labelsOf(json: JsonObject): Record<string, unknown> {
  return (resourceOf(json, 'kubernetes_namespace_v1').metadata as { labels: Record<string, unknown> }).labels;
}

/** A kubernetes_labels resource on namespace `name`. */
function namespaceLabels(name: string, labels: Record<string, string>, kind = 'Namespace'): JsonObject {
  return { api_version: 'v1', kind, metadata: { name }, labels, force: true };
}

describe('MCP-K8S-1: Pod Security labels', () => {
  test('compliant: the tenant namespace enforces, audits and warns restricted at the pinned v1.33', () => {
    const json = ownJson();
    expect(labelsOf(json)).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(problems(MCP_K8S_1, json)).toEqual([]);
  });

  test.each([
    ['audit', 'audits'],
    ['warn', 'warns on'],
  ])('non-compliant: an MCP namespace that %ss baseline, or lacks the label', (mode, verb) => {
    const json = ownJson();
    labelsOf(json)[`pod-security.kubernetes.io/${mode}`] = 'baseline';
    expect(problems(MCP_K8S_1, json)).toEqual([
      ['non-compliant', `the namespace ${verb} Pod Security 'baseline', not 'restricted'`],
    ]);
    delete labelsOf(json)[`pod-security.kubernetes.io/${mode}`];
    expect(problems(MCP_K8S_1, json)).toEqual([
      ['non-compliant', `the namespace has no pod-security.kubernetes.io/${mode} label`],
    ]);
  });

  test('compliant: a namespace of no MCP use needs only enforce restricted', () => {
    const json = {
      resource: {
        kubernetes_namespace_v1: {
          shop: { metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
        },
      },
    };
    expect(problems(MCP_K8S_1, json)).toEqual([]);
  });

  // An older version applies an older restricted profile (v1.22 lacks the UID 0 check of v1.23).
  const OLDER = 'older than the pinned v1.33 (an older restricted profile lacks checks added since)';
  test.each<[string, string | undefined]>([
    ['v1.32', `is 'v1.32', ${OLDER}`],
    ['v1.33', undefined],
    ['v1.34', undefined],
    ['v1.40', undefined],
    ['latest', undefined],
    ['v1.22', `is 'v1.22', ${OLDER}`],
    ['1.33', "is '1.33', not a Kubernetes version (v1.<minor>) or latest"],
    ['v2', "is 'v2', not a Kubernetes version (v1.<minor>) or latest"],
  ])('enforce-version %s (at the pinned v1.33 or newer: accepted; one minor older: refused)', (version, problem) => {
    const json = ownJson();
    labelsOf(json)['pod-security.kubernetes.io/enforce-version'] = version;
    expect(problems(MCP_K8S_1, json)).toEqual(
      problem === undefined
        ? []
        : [['non-compliant', `the namespace label pod-security.kubernetes.io/enforce-version ${problem}`]],
    );
  });

  test('the version problems name the value and why', () => {
    expect(versionProblem('v1.32')).toBe(
      "is 'v1.32', older than the pinned v1.33 (an older restricted profile lacks checks added since)",
    );
    expect(versionProblem('1.33')).toBe("is '1.33', not a Kubernetes version (v1.<minor>) or latest");
    expect(versionProblem('v1.33')).toBeUndefined();
  });

  test('compliant: no version label at all (Kubernetes applies latest)', () => {
    const json = ownJson();
    for (const mode of ['enforce', 'audit', 'warn'])
      delete labelsOf(json)[`pod-security.kubernetes.io/${mode}-version`];
    expect(problems(MCP_K8S_1, json)).toEqual([]);
  });

  test.each([
    ['audit', 'v1.33', []],
    ['warn', 'v1.33', []],
    [
      'audit',
      'v1.32',
      [
        "the namespace label pod-security.kubernetes.io/audit-version is 'v1.32', older than the pinned v1.33 (an older restricted profile lacks checks added since)",
      ],
    ],
    [
      'warn',
      'v1.32',
      [
        "the namespace label pod-security.kubernetes.io/warn-version is 'v1.32', older than the pinned v1.33 (an older restricted profile lacks checks added since)",
      ],
    ],
  ])('%s-version %s: at the pin accepted, one minor older refused', (mode, version, details) => {
    const json = ownJson();
    labelsOf(json)[`pod-security.kubernetes.io/${mode}-version`] = version;
    expect(problems(MCP_K8S_1, json)).toEqual(details.map((d) => ['non-compliant', d]));
  });

  test('non-compliant: an audit-version or warn-version older than the pin', () => {
    const json = ownJson();
    labelsOf(json)['pod-security.kubernetes.io/warn-version'] = 'v1.25';
    expect(problems(MCP_K8S_1, json)).toEqual([
      [
        'non-compliant',
        "the namespace label pod-security.kubernetes.io/warn-version is 'v1.25', older than the pinned v1.33 (an older restricted profile lacks checks added since)",
      ],
    ]);
  });

  test('non-compliant: a pod-security.kubernetes.io label that Pod Security admission does not know', () => {
    const json = ownJson();
    labelsOf(json)['pod-security.kubernetes.io/exempt'] = 'true';
    expect(problems(MCP_K8S_1, json)).toEqual([
      [
        'non-compliant',
        'the namespace sets pod-security.kubernetes.io/exempt, which is not a Pod Security admission label',
      ],
    ]);
  });

  test('non-compliant: kubernetes_labels lowers the tenant namespace to privileged', () => {
    const json = ownJson();
    addResource(
      json,
      'kubernetes_labels',
      'weaken',
      namespaceLabels('mcp-acme', {
        'pod-security.kubernetes.io/enforce': 'privileged',
        'pod-security.kubernetes.io/warn-version': 'v1.20',
      }),
    );
    expect(failures(MCP_K8S_1, json)).toEqual([
      {
        address: 'kubernetes_labels.weaken',
        status: 'non-compliant',
        detail:
          "namespace 'mcp-acme' enforces Pod Security 'privileged', not 'restricted'; namespace 'mcp-acme' label pod-security.kubernetes.io/warn-version is 'v1.20', older than the pinned v1.33 (an older restricted profile lacks checks added since)",
      },
    ]);
  });

  test('compliant: kubernetes_labels that repeats restricted, or sets other labels only', () => {
    const json = ownJson();
    addResource(
      json,
      'kubernetes_labels',
      'same',
      namespaceLabels('mcp-acme', { 'pod-security.kubernetes.io/audit': 'restricted' }),
    );
    addResource(json, 'kubernetes_labels', 'team', namespaceLabels('mcp-acme', { team: 'platform' }));
    addResource(
      json,
      'kubernetes_labels',
      'deploy',
      namespaceLabels('mcp-server', { 'pod-security.kubernetes.io/enforce': 'privileged' }, 'Deployment'),
    );
    expect(problems(MCP_K8S_1, json)).toEqual([]);
  });

  test('undecided: kubernetes_labels sets restricted on a namespace it names by a variable without default', () => {
    const json = ownJson();
    const name = addVariable(json, 'ns');
    addResource(
      json,
      'kubernetes_labels',
      'somewhere',
      namespaceLabels(name, { 'pod-security.kubernetes.io/enforce': 'restricted' }),
    );
    expect(problems(MCP_K8S_1, json)).toEqual([
      ['undecided', "metadata.name cannot be read (variable 'ns' has no default: its value comes at plan time)"],
    ]);
    // Whatever namespace it is, baseline is refused.
    addResource(
      json,
      'kubernetes_labels',
      'somewhere',
      namespaceLabels(name, { 'pod-security.kubernetes.io/enforce': 'baseline' }),
    );
    expect(problems(MCP_K8S_1, json)).toEqual([
      ['non-compliant', "the namespace it labels enforces Pod Security 'baseline', not 'restricted'"],
    ]);
  });

  test('non-compliant: kubernetes_labels whose kind comes from a variable whose default is Namespace', () => {
    const json = ownJson();
    const body = namespaceLabels('mcp-acme', { 'pod-security.kubernetes.io/enforce': 'baseline' });
    body.kind = addVariable(json, 'kind', 'Namespace');
    addResource(json, 'kubernetes_labels', 'hidden', body);
    expect(problems(MCP_K8S_1, json)).toEqual([
      ['non-compliant', "namespace 'mcp-acme' enforces Pod Security 'baseline', not 'restricted'"],
    ]);
  });

  test('non-compliant: a kubernetes_manifest of the tenant namespace without the labels', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_manifest', 'ns', {
      manifest: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'mcp-acme', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } },
      },
    });
    expect(failures(MCP_K8S_1, json)).toEqual([
      {
        address: 'kubernetes_manifest.ns',
        status: 'non-compliant',
        detail:
          "the namespace enforces Pod Security 'baseline', not 'restricted'; the namespace has no pod-security.kubernetes.io/audit label; the namespace has no pod-security.kubernetes.io/warn label",
      },
    ]);
  });

  test('compliant: annotations play no part in Pod Security admission (kubernetes_annotations is not judged)', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_annotations', 'ns', {
      api_version: 'v1',
      kind: 'Namespace',
      metadata: { name: 'mcp-acme' },
      annotations: { 'pod-security.kubernetes.io/enforce': 'privileged' },
    });
    expect(problems(MCP_K8S_1, json)).toEqual([]);
  });

  test('a workload in a namespace another stack of the app declares is judged there, not undecided', () => {
    const json = ownJson();
    const deployment = resourceOf(json, 'kubernetes_deployment_v1');
    (deployment.metadata as JsonObject).namespace = 'shared-ns';
    const other = {
      resource: {
        kubernetes_namespace_v1: {
          shared: { metadata: { name: 'shared-ns', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
        },
      },
    };
    const app = new SynthesizedApp([
      { name: 'cell', json },
      { name: 'base', json: other },
    ]);
    const evaluations = MCP_K8S_1.evaluate(app.stack('cell')!);
    expect(evaluations.find((e) => e.address === addressOf(json, 'kubernetes_deployment_v1'))).toEqual({
      address: addressOf(json, 'kubernetes_deployment_v1'),
      status: 'compliant',
    });
  });
});
