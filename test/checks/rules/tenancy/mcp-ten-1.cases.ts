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
    const json = clone(rawJson(twoTenants().stack));
    const jobs = (json.resource as Record<string, Record<string, Record<string, unknown>>>).cloudflare_logpush_job;
    const acme = Object.keys(jobs).find((k) => k.startsWith('acme_'))!;
    jobs[acme].name = 'mcp-globex-users';
    jobs[acme].scopes = ['mcp:globex:admin'];
    jobs[acme].bucket = 'mcp-audit-globex';
    jobs[acme].audiences = ['https://globex.mcp.example.com/mcp'];
    const bad = evaluate(json).filter((r) => r.status === 'non-compliant');
    expect(bad.map((r) => r.detail)).toEqual([
      "name 'mcp-globex-users' names tenant 'globex'; scopes[0] 'mcp:globex:admin' names tenant 'globex'; bucket 'mcp-audit-globex' names tenant 'globex'; audiences[0] 'https://globex.mcp.example.com/mcp' names tenant 'globex'",
    ]);
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
