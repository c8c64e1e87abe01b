import { R2Bucket } from '@cdktf/provider-cloudflare/lib/r2-bucket';
import { MCP_TEN_2 } from '../../../../lib/checks/rules/tenancy/mcp-ten-2';
import { Construct } from '../../../../lib/core/cdktf';
import { recordTenantScope } from '../../../../lib/core/stack-metadata';
import type { JsonObject } from '../../../../lib/model/json';
import { SynthesizedStack } from '../../../../lib/model/stack';
import { clone, newStack, rawJson } from '../../../helpers';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

/** Two tenant cells, each with its bucket `mcp-audit-<t>`, and a shared bucket. */
function cells(): JsonObject {
  const stack = newStack();
  new R2Bucket(new Construct(stack, 'Shared'), 'Bucket', { accountId: ACCOUNT, name: 'mcp-audit-access-requests' });
  for (const t of ['acme', 'globex']) {
    const cell = new Construct(stack, t);
    recordTenantScope(cell, t);
    new R2Bucket(cell, 'Bucket', { accountId: ACCOUNT, name: `mcp-audit-${t}` });
  }
  return rawJson(stack);
}

const evaluate = (json: JsonObject) => MCP_TEN_2.evaluate(new SynthesizedStack(json));
const buckets = (json: JsonObject) =>
  (json.resource as Record<string, Record<string, JsonObject>>).cloudflare_r2_bucket;

describe('MCP-TEN-2', () => {
  test("compliant: each bucket that names a tenant sits in that tenant's recorded cell; the shared bucket names none", () => {
    const results = evaluate(cells());
    expect(results).toHaveLength(2);
    expect(results.map((r) => r.status)).toEqual(['compliant', 'compliant']);
  });

  test('non-compliant: the metadata is gone', () => {
    const json = clone(cells());
    delete (json['//'] as JsonObject).mcp_access;
    const results = evaluate(json);
    expect(results).toHaveLength(2);
    expect(results.map((r) => r.status)).toEqual(['non-compliant', 'non-compliant']);
    expect(results[0].detail).toMatch(
      /^it names tenant '(acme|globex)', but the stack metadata records it in no tenant's cell \(path test\/(acme|globex)\/Bucket\)$/,
    );
  });

  test("non-compliant: the metadata swaps two tenants' cells", () => {
    const json = clone(cells());
    ((json['//'] as JsonObject).mcp_access as JsonObject).tenants = { acme: ['test/globex'], globex: ['test/acme'] };
    expect(evaluate(json).map((r) => r.detail)).toEqual([
      "it names tenant 'acme', but the stack metadata records it in tenant 'globex's cell",
      "it names tenant 'globex', but the stack metadata records it in tenant 'acme's cell",
    ]);
  });

  test("non-compliant: a bucket renamed to another tenant's name by an override", () => {
    const json = clone(cells());
    const acme = Object.entries(buckets(json)).find(([name]) => name.startsWith('acme_'))![1];
    acme.name = 'mcp-audit-globex';
    expect(
      evaluate(json)
        .filter((r) => r.status === 'non-compliant')
        .map((r) => r.detail),
    ).toEqual(["it names tenant 'globex', but the stack metadata records it in tenant 'acme's cell"]);
  });

  test('judges a name reached through a variable default the same way', () => {
    const json = clone(cells());
    const acme = Object.entries(buckets(json)).find(([name]) => name.startsWith('acme_'))![1];
    acme.name = '${var.bucket}';
    json.variable = { bucket: { type: 'string', default: 'mcp-audit-globex' } };
    expect(evaluate(json).filter((r) => r.status === 'non-compliant')).toHaveLength(1);
  });

  test('not applicable: nothing names a tenant', () => {
    const stack = newStack();
    new R2Bucket(stack, 'Plain', { accountId: ACCOUNT, name: 'plain' });
    expect(evaluate(rawJson(stack))).toEqual([]);
  });
});
