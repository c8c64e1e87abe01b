import { LogpushJob } from '@cdktf/provider-cloudflare/lib/logpush-job';
import { R2Bucket } from '@cdktf/provider-cloudflare/lib/r2-bucket';
import { SynthesizedApp, SynthesizedStack } from '../../../../lib/model/stack';
import { MCP_TEN_1 } from '../../../../lib/checks/rules/tenancy/mcp-ten-1';
import { Construct, type TerraformStack } from '../../../../lib/core/cdktf';
import { recordTenantScope } from '../../../../lib/core/stack-metadata';
import { clone, newStack, rawJson } from '../../../helpers';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

/** Two tenant cells and a shared scope, each with a bucket; each tenant's job writes to its own bucket. */
function twoTenants(): { stack: TerraformStack; buckets: Record<string, R2Bucket> } {
  const stack = newStack();
  const buckets: Record<string, R2Bucket> = {};
  const shared = new Construct(stack, 'Shared');
  buckets.shared = new R2Bucket(shared, 'Bucket', { accountId: ACCOUNT, name: 'shared-audit' });
  for (const t of ['acme', 'globex']) {
    const cell = new Construct(stack, t);
    recordTenantScope(cell, t);
    buckets[t] = new R2Bucket(cell, 'Bucket', { accountId: ACCOUNT, name: `audit-${t}` });
    new LogpushJob(cell, 'Job', { accountId: ACCOUNT, destinationConf: `r2://${buckets[t].name}/tenants/${t}/` });
  }
  return { stack, buckets };
}

const evaluate = (json: Record<string, unknown>) => MCP_TEN_1.evaluate(new SynthesizedStack(json));

/** The details of the findings once acme's Logpush job in {@link twoTenants} also sets `fields`. */
function acmeJobWith(fields: Record<string, unknown>): (string | undefined)[] {
  const json = clone(rawJson(twoTenants().stack));
  const jobs = (json.resource as Record<string, Record<string, Record<string, unknown>>>).cloudflare_logpush_job;
  const acme = Object.keys(jobs).find((k) => k.startsWith('acme_'))!;
  Object.assign(jobs[acme], fields);
  return evaluate(json)
    .filter((r) => r.status !== 'compliant')
    .map((r) => r.detail);
}

/** A tenant cell's MCP deployment (recorded in the cell by its metadata path) whose server container has this environment. */
function deployment(tenant: string, env: Record<string, unknown>): Record<string, unknown> {
  return {
    metadata: { name: 'server' },
    spec: {
      template: {
        spec: {
          container: [{ name: 'mcp-server', env: Object.entries(env).map(([name, value]) => ({ name, value })) }],
        },
      },
    },
    '//': { metadata: { path: `test/${tenant}/Server` } },
  };
}

/** The two tenants' JSON with these resources added, by type and logical id. */
function twoTenantsWith(added: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const json = clone(rawJson(twoTenants().stack));
  json.resource = { ...(json.resource as object), ...added };
  return json;
}

/** An auth server policy rule recorded in a tenant's cell, whitelisting these group ids. */
function useRule(tenant: string, groups: unknown[]): Record<string, unknown> {
  return { auth_server_id: 'x', group_whitelist: groups, '//': { metadata: { path: `test/${tenant}/UseRule` } } };
}

describe('MCP-TEN-1', () => {
  test('compliant: each tenant references only its own resources', () => {
    const results = evaluate(rawJson(twoTenants().stack));
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test("non-compliant: a tenant's resource references another tenant's resource", () => {
    const { stack, buckets } = twoTenants();
    const acmeJob = stack.node.findChild('acme').node.findChild('Job') as LogpushJob;
    acmeJob.destinationConf = `r2://${buckets.globex.name}/x`;
    const bad = evaluate(rawJson(stack)).filter((r) => r.status === 'non-compliant');
    expect(bad).toHaveLength(1);
    expect(bad[0].address).toMatch(/^cloudflare_logpush_job\.acme_Job_/);
    expect(bad[0].detail).toMatch(
      /^destination_conf references cloudflare_r2_bucket\.globex_Bucket_[0-9A-F]{8} of tenant 'globex'$/,
    );
  });

  test("non-compliant: a literal names another tenant's Vault path or namespace (override)", () => {
    const json = clone(rawJson(twoTenants().stack));
    const jobs = (json.resource as Record<string, Record<string, Record<string, unknown>>>).cloudflare_logpush_job;
    const acmeName = Object.keys(jobs).find((k) => k.startsWith('acme_'))!;
    jobs[acmeName].destination_conf = 'r2://x/tenants/globex/kv';
    jobs[acmeName].namespace = 'mcp-globex';
    const bad = evaluate(json).filter((r) => r.status === 'non-compliant');
    expect(bad.map((r) => r.detail)).toEqual([
      "destination_conf 'r2://x/tenants/globex/kv' names tenant 'globex'; namespace 'mcp-globex' names tenant 'globex'",
    ]);
  });

  test("a name that merely starts like another tenant's namespace is not a finding (tenants acme, acme-server)", () => {
    const stack = newStack();
    for (const t of ['acme', 'acme-server']) {
      const cell = new Construct(stack, t);
      recordTenantScope(cell, t);
      new LogpushJob(cell, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://b/p', name: `mcp-${t}-server` });
    }
    expect(evaluate(rawJson(stack)).map((r) => r.status)).toEqual(['compliant', 'compliant']);
  });

  test('a reference to a shared resource is allowed', () => {
    const { stack, buckets } = twoTenants();
    const acmeJob = stack.node.findChild('acme').node.findChild('Job') as LogpushJob;
    acmeJob.destinationConf = `r2://${buckets.shared.name}/tenants/acme/`;
    expect(evaluate(rawJson(stack)).map((r) => r.status)).toEqual(Array(4).fill('compliant'));
  });

  test('not applicable: a stack without tenant metadata', () => {
    expect(evaluate(rawJson(newStack()))).toEqual([]);
  });

  test('undecided never: a lone tenant in the whole app has nothing to reach, so every owned resource is compliant', () => {
    const stack = newStack();
    const cell = new Construct(stack, 'acme');
    recordTenantScope(cell, 'acme');
    new LogpushJob(cell, 'Job', { accountId: ACCOUNT, destinationConf: '${var.somewhere}' });
    expect(evaluate(rawJson(stack))).toEqual([
      { address: expect.stringMatching(/^cloudflare_logpush_job\.acme_Job_/), status: 'compliant' },
    ]);
  });

  test("non-compliant: a reference followed into another stack of the app lands on another tenant's resource", () => {
    const producer = newStack('foundation');
    const globex = new Construct(producer, 'globex');
    recordTenantScope(globex, 'globex');
    new R2Bucket(globex, 'Bucket', { accountId: ACCOUNT, name: 'mcp-audit-globex' });
    const producerJson = rawJson(producer);
    const bucketName = Object.keys(
      (producerJson.resource as Record<string, Record<string, unknown>>).cloudflare_r2_bucket,
    )[0];
    producerJson.output = { bucket: { value: `\${cloudflare_r2_bucket.${bucketName}.id}` } };
    producerJson.terraform = { backend: { local: { path: 'foundation.tfstate' } } };
    const consumer = newStack('cells');
    const acme = new Construct(consumer, 'acme');
    recordTenantScope(acme, 'acme');
    new LogpushJob(acme, 'Job', {
      accountId: ACCOUNT,
      destinationConf: 'r2://${data.terraform_remote_state.foundation.outputs.bucket}/x',
    });
    const consumerJson = rawJson(consumer);
    consumerJson.data = {
      terraform_remote_state: { foundation: { backend: 'local', config: { path: 'foundation.tfstate' } } },
    };
    const app = new SynthesizedApp([
      { name: 'foundation', json: producerJson },
      { name: 'cells', json: consumerJson },
    ]);
    const bad = MCP_TEN_1.evaluate(app.stack('cells')!).filter((r) => r.status === 'non-compliant');
    expect(bad).toHaveLength(1);
    expect(bad[0].detail).toMatch(
      /^destination_conf references cloudflare_r2_bucket\.globex_Bucket_[0-9A-F]{8} \(stack foundation\) of tenant 'globex'$/,
    );
  });

  test("non-compliant: another tenant's group, scope, bucket and hostname named in a tenant's resource", () => {
    expect(
      acmeJobWith({
        name: 'mcp-globex-users',
        scopes: ['mcp:globex:admin'],
        bucket: 'mcp-audit-globex',
        audiences: ['https://globex.mcp.example.com/mcp'],
      }),
    ).toEqual([
      "name 'mcp-globex-users' names tenant 'globex'; scopes[0] 'mcp:globex:admin' names tenant 'globex'; bucket 'mcp-audit-globex' names tenant 'globex'; audiences[0] 'https://globex.mcp.example.com/mcp' names tenant 'globex'",
    ]);
  });

  test("non-compliant: a tenant's MCP container names another tenant in MCP_TENANT_ID, VAULT_ROLE and MCP_OAUTH_AUDIENCE", () => {
    const json = twoTenantsWith({
      kubernetes_deployment_v1: {
        acme_Server: deployment('acme', {
          MCP_TENANT_ID: 'globex',
          VAULT_ROLE: 'mcp-globex',
          MCP_OAUTH_AUDIENCE: 'https://globex.mcp.example.com/mcp',
          OTHER: 'globex',
        }),
        globex_Server: deployment('globex', {
          MCP_TENANT_ID: 'globex',
          VAULT_ROLE: 'mcp-globex',
          MCP_OAUTH_AUDIENCE: 'https://globex.mcp.example.com/mcp',
        }),
      },
    });
    expect(evaluate(json).filter((r) => r.status === 'non-compliant')).toEqual([
      {
        address: 'kubernetes_deployment_v1.acme_Server',
        status: 'non-compliant',
        detail:
          "container 'mcp-server' env MCP_TENANT_ID names tenant 'globex'; container 'mcp-server' env VAULT_ROLE names tenant 'globex'; container 'mcp-server' env MCP_OAUTH_AUDIENCE names tenant 'globex'",
      },
    ]);
  });

  test('compliant: MCP containers whose environment names their own tenant, an unknown tenant, no tenant, a non-string or a non-literal, and another tenant only in variables the rule does not read', () => {
    const json = twoTenantsWith({
      kubernetes_deployment_v1: {
        acme_Server: deployment('acme', {
          MCP_TENANT_ID: 'initech',
          VAULT_ROLE: ['mcp-globex'],
          SERVICE: 'mcp-globex',
          UPSTREAM: 'https://globex.example.com',
          MCP_OAUTH_AUDIENCE: 'https://initech.mcp.example.com/mcp',
          MCP_RESOURCE_URL: '${var.url}',
        }),
        globex_Server: deployment('globex', {
          MCP_TENANT_ID: 'globex',
          VAULT_ROLE: 'mcp-globex',
          MCP_OAUTH_AUDIENCE: 'globex',
          MCP_RESOURCE_URL: 'http://localhost:8080/mcp',
        }),
      },
    });
    const results = evaluate(json);
    expect(results).toHaveLength(6);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test("non-compliant: two tenants' MCP containers share one MCP_RESOURCE_URL (each deployment is refused; a shared deployment's URL and non-string URLs are not counted)", () => {
    const json = twoTenantsWith({
      kubernetes_deployment_v1: {
        acme_Server: deployment('acme', { MCP_RESOURCE_URL: 'http://localhost:8080/mcp' }),
        globex_Server: deployment('globex', { MCP_RESOURCE_URL: 'http://localhost:8080/mcp' }),
        globex_Other: deployment('globex', { MCP_RESOURCE_URL: 'http://localhost:8081/mcp' }),
        Shared_Server: deployment('Shared', { MCP_RESOURCE_URL: 'http://localhost:8081/mcp' }),
        acme_Port: deployment('acme', { MCP_RESOURCE_URL: 8082 }),
        globex_Port: deployment('globex', { MCP_RESOURCE_URL: 8082 }),
      },
    });
    expect(evaluate(json).filter((r) => r.status === 'non-compliant')).toEqual([
      {
        address: 'kubernetes_deployment_v1.acme_Server',
        status: 'non-compliant',
        detail: "its MCP_RESOURCE_URL 'http://localhost:8080/mcp' is also tenant globex's",
      },
      {
        address: 'kubernetes_deployment_v1.globex_Server',
        status: 'non-compliant',
        detail: "its MCP_RESOURCE_URL 'http://localhost:8080/mcp' is also tenant acme's",
      },
    ]);
  });

  test("non-compliant: two tenants' auth server policy rules whitelist one literal Okta group id (each rule is refused; empty, unresolved and non-string ids and a shared rule's ids are not counted)", () => {
    const json = twoTenantsWith({
      okta_auth_server_policy_rule: {
        acme_UseRule: useRule('acme', ['00gshared', '00gacme', '']),
        globex_UseRule: useRule('globex', ['00gshared', '00gglobex', '${var.group}', 7, '']),
        Shared_UseRule: useRule('Shared', ['00gacme']),
      },
    });
    expect(evaluate(json).filter((r) => r.status === 'non-compliant')).toEqual([
      {
        address: 'okta_auth_server_policy_rule.acme_UseRule',
        status: 'non-compliant',
        detail: "group id '00gshared' is whitelisted by tenants acme, globex",
      },
      {
        address: 'okta_auth_server_policy_rule.globex_UseRule',
        status: 'non-compliant',
        detail: "group id '00gshared' is whitelisted by tenants acme, globex",
      },
    ]);
  });

  test("non-compliant: a group id whitelisted as a literal by one tenant and through a data source with that literal id by another (the literal's rule is refused)", () => {
    const json = twoTenantsWith({
      okta_auth_server_policy_rule: {
        acme_UseRule: useRule('acme', ['${data.okta_group.existing.id}']),
        globex_UseRule: useRule('globex', ['00gexisting']),
      },
    });
    json.data = { okta_group: { existing: { id: '00gexisting' } } };
    const bad = evaluate(json).filter((r) => r.status === 'non-compliant');
    expect(bad.map((r) => [r.address, r.detail])).toEqual([
      ['okta_auth_server_policy_rule.globex_UseRule', "group id '00gexisting' is whitelisted by tenants acme, globex"],
    ]);
  });

  test("non-compliant: a remote-state output followed into another stack is a literal naming another tenant's group", () => {
    const producer = newStack('foundation');
    const globex = new Construct(producer, 'globex');
    recordTenantScope(globex, 'globex');
    new R2Bucket(globex, 'Bucket', { accountId: ACCOUNT, name: 'mcp-audit-globex' });
    const producerJson = rawJson(producer);
    producerJson.output = { group: { value: 'mcp-globex-users' }, count: { value: 3 } };
    producerJson.terraform = { backend: { local: { path: 'foundation.tfstate' } } };
    const consumer = newStack('cells');
    const acme = new Construct(consumer, 'acme');
    recordTenantScope(acme, 'acme');
    new LogpushJob(acme, 'Job', {
      accountId: ACCOUNT,
      destinationConf:
        'r2://${data.terraform_remote_state.foundation.outputs.group}/${data.terraform_remote_state.foundation.outputs.count}',
    });
    const consumerJson = rawJson(consumer);
    consumerJson.data = {
      terraform_remote_state: { foundation: { backend: 'local', config: { path: 'foundation.tfstate' } } },
    };
    const app = new SynthesizedApp([
      { name: 'foundation', json: producerJson },
      { name: 'cells', json: consumerJson },
    ]);
    const results = MCP_TEN_1.evaluate(app.stack('cells')!);
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe('non-compliant');
    expect(results[0].detail).toBe(
      "destination_conf references data.terraform_remote_state.foundation.outputs.group of tenant 'globex'",
    );
  });

  test("non-compliant: another tenant's group in a bucket or bucket name and its Vault role as a role or policy named in a tenant's resource (not in a description)", () => {
    expect(
      acmeJobWith({
        bucket_name: 'mcp-globex-users',
        role_name: 'mcp-globex',
        role: 'mcp-globex',
        token_policies: ['mcp-globex'],
        policies: ['mcp-globex'],
        bucket: 'mcp-globex-users',
        description: 'mcp-globex-users',
      }),
    ).toEqual([
      "bucket_name 'mcp-globex-users' names tenant 'globex'; role_name 'mcp-globex' names tenant 'globex'; role 'mcp-globex' names tenant 'globex'; token_policies[0] 'mcp-globex' names tenant 'globex'; policies[0] 'mcp-globex' names tenant 'globex'; bucket 'mcp-globex-users' names tenant 'globex'",
    ]);
  });

  test("non-compliant: another tenant's Vault policies (mcp-<t>-server, mcp-<t>-humans) in a tenant's policy lists", () => {
    expect(
      acmeJobWith({ token_policies: ['mcp-acme-server', 'mcp-globex-server'], policies: ['mcp-globex-humans'] }),
    ).toEqual([
      "token_policies[1] 'mcp-globex-server' names tenant 'globex'; policies[0] 'mcp-globex-humans' names tenant 'globex'",
    ]);
  });

  test("compliant: a tenant's own Vault policies in its policy lists", () => {
    expect(acmeJobWith({ token_policies: ['mcp-acme-server', 'mcp-acme-humans'], policies: ['mcp-acme'] })).toEqual([]);
  });

  test("non-compliant: a tid claim carrying another tenant's id", () => {
    const stack = newStack();
    for (const t of ['acme', 'globex']) {
      const cell = new Construct(stack, t);
      recordTenantScope(cell, t);
      new R2Bucket(cell, 'Bucket', { accountId: ACCOUNT, name: `mcp-audit-${t}` });
    }
    const json = clone(rawJson(stack));
    json.resource = {
      ...(json.resource as object),
      okta_auth_server_claim: {
        acme_tid: {
          name: 'tid',
          value: '"globex"',
          auth_server_id: 'x',
          '//': { metadata: { path: 'test/acme/Tid' } },
        },
      },
    };
    expect(evaluate(json).filter((r) => r.status === 'non-compliant')).toEqual([
      {
        address: 'okta_auth_server_claim.acme_tid',
        status: 'non-compliant',
        detail: "its tid is 'globex', not 'acme'",
      },
    ]);
  });
});
