/**
 * `mcp-access review` on the examples' synthesized output: the reports read well (no raw
 * reference), and a pull request that makes every weakening issue 17 names, on the multi-tenant
 * example, gets each one caught: one line each for a security reviewer.
 */
import { SynthesizedApp } from '../../lib/model/stack';
import { buildReview, renderMarkdown, type Review } from '../../lib/review';
import { exampleStacks, type ExampleName } from '../checks/tamper/harness';
import type { JsonObject } from '../../lib/model/json';

type Body = Record<string, unknown>;

function review(head: Record<string, JsonObject>, base?: Record<string, JsonObject>): Review {
  const app = (stacks: Record<string, JsonObject>) =>
    new SynthesizedApp(Object.entries(stacks).map(([name, json]) => ({ name, json }))).stacks;
  return buildReview(app(head), base ? app(base) : undefined);
}

function stacksOf(name: ExampleName): Record<string, JsonObject> {
  return Object.fromEntries(exampleStacks(name).map((s) => [s.name, JSON.parse(JSON.stringify(s.json)) as JsonObject]));
}

function resources(json: JsonObject, type: string): [string, Body][] {
  return Object.entries(((json.resource as Record<string, Record<string, Body>>)[type] ??= {}));
}

/** The one resource of a type whose construct path contains `/<tenant>/` and ends with `suffix`. */
function resourceOf(json: JsonObject, type: string, tenant: string, suffix = ''): Body {
  const found = resources(json, type).filter(([, b]) => {
    const p = ((b['//'] as Body).metadata as Body).path as string;
    return p.includes(`/${tenant}/`) && p.endsWith(suffix);
  });
  if (found.length !== 1) throw new Error(`expected one ${type} of ${tenant}, found ${found.length}`);
  return found[0][1];
}

describe('mcp-access review on the examples', () => {
  test.each(['quickstart', 'multi-tenant', 'fleet'] as const)(
    'the %s report names every stack, with no raw reference',
    (name) => {
      const stacks = stacksOf(name);
      const r = review(stacks);
      expect(r.stacks.length).toBe(Object.keys(stacks).length);
      expect(r.totals.tenants).toBeGreaterThanOrEqual(1);
      const markdown = renderMarkdown(r);
      expect(markdown).not.toContain('${');
      for (const stack of Object.keys(stacks)) expect(markdown).toContain(`### Stack \`${stack}\``);
    },
  );

  describe('a pull request that makes every weakening issue 17 names, on the multi-tenant example', () => {
    let r: Review;
    beforeAll(() => {
      const base = stacksOf('multi-tenant');
      const head = stacksOf('multi-tenant');
      const json = head['multi-tenant'];
      // 1. Access include by email added.
      const app = resourceOf(json, 'cloudflare_zero_trust_access_application', 'acme');
      const users = (app.policies as Body[]).find((p) => p.name === 'mcp-acme-users') as Body;
      users.include = [...(users.include as Body[]), { email: { email: 'contractor@example.net' } }];
      // 2. Refresh tokens made unlimited.
      resourceOf(json, 'okta_auth_server_policy_rule', 'globex', 'Identity/UseRule').refresh_token_lifetime_minutes = 0;
      // 3. A Vault policy widened inside the tenant.
      const policy = resourceOf(json, 'vault_policy', 'initech', 'Secrets/ServerPolicy');
      policy.policy = (policy.policy as string).replace(
        'capabilities = ["read"]',
        'capabilities = ["read", "create", "update"]',
      );
      // 4. The audit shipper removed.
      const deployment = resourceOf(json, 'kubernetes_deployment_v1', 'acme');
      const pod = ((deployment.spec as Body).template as Body).spec as Body;
      pod.container = (pod.container as Body[]).filter((c) => c.name !== 'audit-shipper');
      // 5. A NetworkPolicy that admits ingress added.
      const namespace = (deployment.metadata as Body).namespace as string;
      (json.resource as Record<string, Record<string, Body>>).kubernetes_network_policy_v1.debug = {
        '//': { metadata: { path: 'multi-tenant/Mcp/acme/Debug', uniqueId: 'debug' } },
        metadata: { name: 'debug', namespace },
        spec: { pod_selector: {}, policy_types: ['Ingress'], ingress: [{}] },
      };
      // 6. The tenant claim changed.
      resourceOf(json, 'okta_auth_server_claim', 'globex').value = '"acme"';
      // 7. The audit writer token widened.
      const token = resourceOf(json, 'cloudflare_account_token', 'initech');
      ((token.policies as Body[])[0] as Body).resources = JSON.stringify({
        'com.cloudflare.api.account.${var.cloudflare_account_id}': '*',
      });
      // 8. A shortened audit retention (a tenant's lock, one day).
      const lock = resourceOf(json, 'cloudflare_r2_bucket_lock', 'globex');
      const condition = (lock.rules as Body[])[0].condition as Body;
      condition.max_age_seconds = (condition.max_age_seconds as number) - 86400;
      r = review(head, base);
    });

    test.each([
      ['acme', 'transport', 'Access policy conditions', 'include email=email=contractor@example.net'],
      ['globex', 'identity', 'refresh token lifetime (min)', '480 -> 0'],
      ['initech', 'secrets', 'policy grants (path: capabilities)', 'tenants/initech/kv/data/*: create read update'],
      ['acme', 'audit', 'audit shipper sidecar', 'audit-shipper (cr.fluentbit.io/fluent/fluent-bit) -> none'],
      ['acme', 'ports', 'kubernetes_network_policy_v1 added', 'a network policy added: weakens'],
      [
        'globex',
        'identity',
        'tenant claim',
        'tid = "globex" (RESOURCE, EXPRESSION, always) -> tid = "acme" (RESOURCE, EXPRESSION, always)',
      ],
      ['initech', 'audit', 'writer token grants', 'on com.cloudflare.api.account.'],
      ['globex', 'audit', 'whole-bucket lock retention (days)', '400 -> 399'],
    ])('%s · %s · %s is weakened, on one line', (tenant, layer, setting, detail) => {
      const lines = r.needsReview.filter((l) => l.includes(`weakened: ${tenant} · ${layer} · ${setting}`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(detail);
      expect(lines[0]).not.toContain('${');
    });

    test('blocks the merge (error findings) and lists every change for a security reviewer', () => {
      expect(r.exitCode).toBe(1);
      expect(r.totals.weakened).toBeGreaterThanOrEqual(8);
      const markdown = renderMarkdown(r);
      expect(markdown.indexOf('**Blocking** (exit 1)')).toBeLessThan(markdown.indexOf('**Needs a security reviewer**'));
      expect(markdown.indexOf('**Needs a security reviewer**')).toBeLessThan(markdown.indexOf('### Stack'));
      expect(markdown).not.toContain('${');
    });
  });
});
