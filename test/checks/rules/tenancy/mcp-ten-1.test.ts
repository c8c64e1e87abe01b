import { LogpushJob } from '@cdktf/provider-cloudflare/lib/logpush-job';
import { R2Bucket } from '@cdktf/provider-cloudflare/lib/r2-bucket';
import { SynthesizedStack } from '../../../../lib/model/stack';
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
    expect(bad[0].detail).toMatch(/^references cloudflare_r2_bucket\.globex_Bucket_[0-9A-F]{8} of tenant 'globex'$/);
  });

  test("non-compliant: a literal names another tenant's Vault path or namespace (override)", () => {
    const json = clone(rawJson(twoTenants().stack));
    const jobs = (json.resource as Record<string, Record<string, Record<string, unknown>>>).cloudflare_logpush_job;
    const acmeName = Object.keys(jobs).find((k) => k.startsWith('acme_'))!;
    jobs[acmeName].destination_conf = 'r2://x/tenants/globex/kv';
    jobs[acmeName].namespace = 'mcp-globex';
    const bad = evaluate(json).filter((r) => r.status === 'non-compliant');
    expect(bad.map((r) => r.detail)).toEqual([
      "destination_conf names tenant 'globex'; namespace names tenant 'globex'",
    ]);
  });

  test("a name that merely starts like another tenant's namespace is not a finding (tenants acme, acme-server)", () => {
    const stack = newStack();
    for (const t of ['acme', 'acme-server']) {
      const cell = new Construct(stack, t);
      recordTenantScope(cell, t);
      new LogpushJob(cell, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://b/p', name: `mcp-${t}-server` });
    }
    expect(evaluate(rawJson(stack)).every((r) => r.status === 'compliant')).toBe(true);
  });

  test('a reference to a shared resource is allowed', () => {
    const { stack, buckets } = twoTenants();
    const acmeJob = stack.node.findChild('acme').node.findChild('Job') as LogpushJob;
    acmeJob.destinationConf = `r2://${buckets.shared.name}/tenants/acme/`;
    expect(evaluate(rawJson(stack)).every((r) => r.status === 'compliant')).toBe(true);
  });

  test('not applicable: a stack without tenant metadata', () => {
    expect(evaluate(rawJson(newStack()))).toEqual([]);
  });
});
