/** MCP-K8S-12: no role binding that concerns an MCP namespace grants a way into its pods or secrets. */
import { type JsonObject, SynthesizedApp } from '../../../../lib/model/stack';
import { MCP_K8S_12 } from '../../../../lib/checks/rules/ports/mcp-k8s-12';
import { addResource, addVariable, evaluate, failures, ownJson, problems } from './fixture';

const RBAC = 'rbac.authorization.k8s.io';

function role(rules: JsonObject[], namespace = 'mcp-acme', name = 'reader'): JsonObject {
  return { metadata: { name, namespace }, rule: rules };
}

function binding(
  kind: string,
  name: string,
  namespace = 'mcp-acme',
  subject: JsonObject = { kind: 'User', name: 'alice' },
): JsonObject {
  return {
    metadata: { name: 'bind', namespace },
    role_ref: { api_group: RBAC, kind, name },
    subject: [{ api_group: RBAC, ...subject }],
  };
}

describe('MCP-K8S-12', () => {
  test('not applicable: the library binds no role', () => {
    expect(evaluate(MCP_K8S_12, ownJson())).toEqual([]);
  });

  test('compliant: a binding in the MCP namespace to a declared Role that reads pods', () => {
    const json = ownJson();
    addResource(
      json,
      'kubernetes_role_v1',
      'reader',
      role([{ api_groups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }]),
    );
    addResource(json, 'kubernetes_role_binding_v1', 'bind', binding('Role', 'reader'));
    expect(evaluate(MCP_K8S_12, json)).toEqual([{ address: 'kubernetes_role_binding_v1.bind', status: 'compliant' }]);
  });

  test.each([
    [['pods/exec'], ['create'], 'grants resources ["pods/exec"]'],
    [['pods/attach'], ['create'], 'grants resources ["pods/attach"]'],
    [['pods/portforward'], ['create'], 'grants resources ["pods/portforward"]'],
    [['secrets'], ['get'], 'grants resources ["secrets"]'],
    [['*'], ['get'], 'grants resources ["*"]'],
    [['pods/*'], ['get'], 'grants resources ["pods/*"]'],
    [['serviceaccounts/token'], ['create'], 'grants resources ["serviceaccounts/token"]'],
    [['pods'], ['*'], 'grants verbs ["*"]'],
    [['pods'], ['get', 'escalate', 'impersonate'], 'grants verbs ["escalate","impersonate"]'],
  ])('non-compliant: a Role granting %j with verbs %j', (resources, verbs, problem) => {
    const json = ownJson();
    addResource(json, 'kubernetes_role_v1', 'reader', role([{ api_groups: [''], resources, verbs }]));
    addResource(json, 'kubernetes_role_binding_v1', 'bind', binding('Role', 'reader'));
    expect(problems(MCP_K8S_12, json)).toEqual([
      ['non-compliant', `it is in MCP namespace 'mcp-acme'; Role 'reader' rule 0 ${problem}`],
    ]);
  });

  test('non-compliant: every API group, and a wildcard non-resource URL', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_cluster_role_v1', 'wide', {
      metadata: { name: 'wide' },
      rule: [
        { api_groups: ['*'], resources: ['pods'], verbs: ['get'] },
        { non_resource_urls: ['/*'], verbs: ['get'] },
      ],
    });
    addResource(json, 'kubernetes_role_binding_v1', 'bind', binding('ClusterRole', 'wide'));
    expect(problems(MCP_K8S_12, json)).toEqual([
      [
        'non-compliant',
        "it is in MCP namespace 'mcp-acme'; ClusterRole 'wide' rule 0 grants every API group ('*'); it is in MCP namespace 'mcp-acme'; ClusterRole 'wide' rule 1 grants non-resource URLs [\"/*\"]",
      ],
    ]);
  });

  test.each(['edit', 'admin', 'cluster-admin'])('non-compliant: a binding to the built-in ClusterRole %s', (name) => {
    const json = ownJson();
    addResource(json, 'kubernetes_role_binding_v1', 'bind', binding('ClusterRole', name));
    expect(problems(MCP_K8S_12, json)).toEqual([
      [
        'non-compliant',
        `it is in MCP namespace 'mcp-acme', and it binds ClusterRole '${name}', which no stack of the app declares: what it grants cannot be shown`,
      ],
    ]);
  });

  test('non-compliant: a Role of the same name in another namespace does not count (Roles are namespaced)', () => {
    const json = ownJson();
    addResource(
      json,
      'kubernetes_role_v1',
      'reader',
      role([{ api_groups: [''], resources: ['pods'], verbs: ['get'] }], 'shop'),
    );
    addResource(json, 'kubernetes_role_binding_v1', 'bind', binding('Role', 'reader'));
    expect(problems(MCP_K8S_12, json)[0][1]).toBe(
      "it is in MCP namespace 'mcp-acme', and it binds Role 'reader', which no stack of the app declares: what it grants cannot be shown",
    );
  });

  test('non-compliant: a cluster role binding for the MCP service account, and for all service accounts', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_cluster_role_binding_v1', 'sa', {
      metadata: { name: 'sa' },
      role_ref: { api_group: RBAC, kind: 'ClusterRole', name: 'view' },
      subject: [{ kind: 'ServiceAccount', name: 'mcp-server', namespace: 'mcp-acme' }],
    });
    addResource(json, 'kubernetes_cluster_role_binding_v1', 'all', {
      metadata: { name: 'all' },
      role_ref: { api_group: RBAC, kind: 'ClusterRole', name: 'view' },
      subject: [{ kind: 'Group', name: 'system:serviceaccounts', api_group: RBAC }],
    });
    addResource(json, 'kubernetes_cluster_role_binding_v1', 'other', {
      metadata: { name: 'other' },
      role_ref: { api_group: RBAC, kind: 'ClusterRole', name: 'view' },
      subject: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
    });
    expect(failures(MCP_K8S_12, json).map((e) => [e.address, e.detail])).toEqual([
      [
        'kubernetes_cluster_role_binding_v1.sa',
        "its subject is service account 'mcp-server' of MCP namespace 'mcp-acme', and it binds ClusterRole 'view', which no stack of the app declares: what it grants cannot be shown",
      ],
      [
        'kubernetes_cluster_role_binding_v1.all',
        "its subject group 'system:serviceaccounts' holds the MCP service accounts, and it binds ClusterRole 'view', which no stack of the app declares: what it grants cannot be shown",
      ],
    ]);
  });

  test('non-compliant: an aggregated cluster role', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_cluster_role_v1', 'agg', {
      metadata: { name: 'agg' },
      aggregation_rule: { cluster_role_selectors: [{ match_labels: { 'rbac.example.com/aggregate': 'true' } }] },
    });
    addResource(json, 'kubernetes_role_binding_v1', 'bind', binding('ClusterRole', 'agg'));
    expect(problems(MCP_K8S_12, json)).toEqual([
      [
        'non-compliant',
        "it is in MCP namespace 'mcp-acme'; ClusterRole 'agg' aggregates other cluster roles, so what it grants cannot be shown",
      ],
    ]);
  });

  test('non-compliant: a RoleBinding and ClusterRole declared through kubernetes_manifest', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_manifest', 'role', {
      manifest: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'debugger' },
        rules: [{ apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['create'] }],
      },
    });
    addResource(json, 'kubernetes_manifest', 'bind', {
      manifest: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'debug', namespace: 'mcp-acme' },
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'debugger' },
        subjects: [{ kind: 'User', name: 'mallory', apiGroup: RBAC }],
      },
    });
    expect(failures(MCP_K8S_12, json)).toEqual([
      {
        address: 'kubernetes_manifest.bind',
        status: 'non-compliant',
        detail:
          'it is in MCP namespace \'mcp-acme\'; ClusterRole \'debugger\' rule 0 grants resources ["pods/exec","pods/portforward"]',
      },
    ]);
  });

  test('follows role_ref into another stack of the app', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_role_binding_v1', 'bind', binding('ClusterRole', 'shared-reader'));
    const base = {
      resource: {
        kubernetes_cluster_role_v1: {
          shared: {
            metadata: { name: 'shared-reader' },
            rule: [{ api_groups: [''], resources: ['secrets'], verbs: ['get'] }],
          },
        },
      },
    };
    const app = new SynthesizedApp([
      { name: 'cell', json },
      { name: 'base', json: base },
    ]);
    expect(MCP_K8S_12.evaluate(app.stack('cell')!)).toEqual([
      {
        address: 'kubernetes_role_binding_v1.bind',
        status: 'non-compliant',
        detail: "it is in MCP namespace 'mcp-acme'; ClusterRole 'shared-reader' rule 0 grants resources [\"secrets\"]",
      },
    ]);
  });

  test('undecided: the bound role is a variable without default; judged by the default when it has one', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_role_binding_v1', 'bind', binding('ClusterRole', addVariable(json, 'role')));
    expect(problems(MCP_K8S_12, json)).toEqual([
      ['undecided', "role_ref.name cannot be read (variable 'role' has no default: its value comes at plan time)"],
    ]);
    addVariable(json, 'role', 'cluster-admin');
    expect(problems(MCP_K8S_12, json)[0][0]).toBe('non-compliant');
  });

  test('not applicable: bindings of other namespaces for their own subjects', () => {
    const json = { resource: { kubernetes_role_binding_v1: { b: binding('ClusterRole', 'edit', 'shop') } } };
    expect(evaluate(MCP_K8S_12, json)).toEqual([]);
  });
});
