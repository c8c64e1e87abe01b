import { SynthesizedStack, type JsonObject } from '../../lib/model/stack';
import { McpAccessChecks } from '../../lib/checks/pack';
import { App } from '../../lib/core/cdktf';
import type { SecureMcpAccess } from '../../lib/patterns/secure-mcp-access';
import { buildReview, renderMarkdown, type StackChanges } from '../../lib/review';
import { QuickstartStack } from '../../examples/quickstart/main';
import { MultiTenantStack } from '../../examples/multi-tenant/main';
import { clone, rawJson } from '../helpers';

type Resources = Record<string, Record<string, JsonObject>>;

/** The example stack's JSON as `cdktf synth` writes it, and its SecureMcpAccess. */
function synthExample(make: (app: App) => MultiTenantStack | QuickstartStack): {
  json: JsonObject;
  mcp: SecureMcpAccess;
} {
  const stack = make(new App({ outdir: '/nonexistent-not-written' }));
  return { json: rawJson(stack), mcp: stack.node.findChild('Mcp') as SecureMcpAccess };
}

function nameOf(json: JsonObject, type: string, pathSuffix: string): string {
  const entries = Object.entries((json.resource as Resources)[type]);
  const found = entries.find(([, body]) =>
    String((body['//'] as { metadata: { path: string } }).metadata.path).endsWith(pathSuffix),
  );
  if (!found) throw new Error(`no ${type} at ${pathSuffix}`);
  return found[0];
}

/** Moves a tenant's cell to another construct path, as a refactor without `moved` blocks would. */
function renameScope(json: JsonObject, from: string, to: string): JsonObject {
  const text = JSON.stringify(json)
    .split(`"${from}`)
    .join(`"${to}`)
    .split(`${from.replace(/\//g, '_').replace(/^[^_]*_/, '')}_`)
    .join(`${to.replace(/\//g, '_').replace(/^[^_]*_/, '')}_`);
  return JSON.parse(text) as JsonObject;
}

describe('mcp-access review on the examples', () => {
  test('the quickstart report names its tenant and all five layers, with no finding', () => {
    const { json } = synthExample((app) => new QuickstartStack(app, 'quickstart'));
    const review = buildReview([new SynthesizedStack(json, 'quickstart')]);
    const markdown = renderMarkdown(review);
    expect(review.exitCode).toBe(0);
    expect(review.stacks[0].tenants).toEqual(['acme']);
    expect(review.stacks[0].counts).toEqual({ errors: 0, warnings: 0, suppressed: 0 });
    for (const layer of [
      'identity (Okta)',
      'transport (Cloudflare)',
      'ports (Kubernetes)',
      'secrets (Vault)',
      'audit',
    ]) {
      expect(markdown).toContain(layer);
    }
    expect(markdown).toContain('<summary><b>Tenant acme</b>');
  });

  test('the multi-tenant example synthesizes with no finding (its Vault audit assumption is a reasoned suppression)', () => {
    const { json } = synthExample((app) => new MultiTenantStack(app, 'multi-tenant'));
    const report = McpAccessChecks.check(json, 'multi-tenant');
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((f) => f.ruleId)).toEqual(['MCP-SEC-6']);
  });

  describe('a pull request that weakens the multi-tenant example', () => {
    let base: JsonObject;
    let changes: StackChanges;
    let markdown: string;
    let exitCode: number;
    beforeAll(() => {
      base = synthExample((app) => new MultiTenantStack(app, 'multi-tenant')).json;
      const built = synthExample((app) => {
        const stack = new MultiTenantStack(app, 'multi-tenant');
        (stack.node.findChild('Mcp') as SecureMcpAccess)
          .cell('acme')
          .identity.useRule.addOverride('access_token_lifetime_minutes', 60);
        return stack;
      });
      let head = clone(built.json);
      const res = head.resource as Resources;
      delete res.cloudflare_r2_bucket_lock[nameOf(head, 'cloudflare_r2_bucket_lock', 'globex/Audit/Bucket/Lock')];
      res.vault_kubernetes_auth_backend_role[
        nameOf(head, 'vault_kubernetes_auth_backend_role', 'initech/Secrets/KubernetesRole')
      ].bound_service_account_namespaces = ['*'];
      head = renameScope(head, 'multi-tenant/Mcp/globex', 'multi-tenant/Mcp/cells/globex');
      const review = buildReview(
        [new SynthesizedStack(head, 'multi-tenant')],
        [new SynthesizedStack(base, 'multi-tenant')],
      );
      changes = review.stacks[0].changes as StackChanges;
      markdown = renderMarkdown(review);
      exitCode = review.exitCode;
    });

    test('names every tenant of the example', () => {
      for (const t of ['acme', 'globex', 'initech']) expect(markdown).toContain(`<summary><b>Tenant ${t}</b>`);
    });

    test('shows the weakened token lifetime with old and new value', () => {
      expect(changes.weakened).toContainEqual(
        expect.objectContaining({ tenant: 'acme', setting: 'identity.access-token-lifetime', before: 10, after: 60 }),
      );
      expect(markdown).toContain('| 10 -> 60 |');
    });

    test('shows the widened Vault role with old and new value', () => {
      expect(changes.weakened).toContainEqual(
        expect.objectContaining({ tenant: 'initech', setting: 'secrets.bound-namespaces', after: ['*'] }),
      );
      expect(markdown).toMatch(
        /\| kubernetes role bound namespaces \| \$\{kubernetes_namespace_v1\.Mcp_initech_Workload_Namespace_[0-9A-F]{8}\.metadata\[0\]\.name\} -> \* \|/,
      );
    });

    test('shows the removed bucket lock and the renamed tenant scope as data-bearing changes, and exits 1', () => {
      const lock = `cloudflare_r2_bucket_lock.${nameOf(base, 'cloudflare_r2_bucket_lock', 'globex/Audit/Bucket/Lock')}`;
      expect(changes.dataBearing.map((c) => `${c.kind} ${c.address}`)).toContain(`removed ${lock}`);
      expect(changes.tenants.scopesChanged).toEqual([
        { tenant: 'globex', before: ['multi-tenant/Mcp/globex'], after: ['multi-tenant/Mcp/cells/globex'] },
      ]);
      const renamed = changes.dataBearing
        .filter((c) => c.kind === 'renamed')
        .map((c) => c.type)
        .sort();
      expect(renamed).toEqual(['cloudflare_r2_bucket', 'okta_auth_server', 'vault_mount', 'vault_mount']);
      expect(exitCode).toBe(1);
    });

    test('orders the report by risk', () => {
      const weakened = markdown.indexOf('**1. Weakened security settings and data-bearing resources**');
      const tenants = markdown.indexOf('**2. Tenants**');
      const other = markdown.indexOf('**3. Other changes**');
      expect(weakened).toBeGreaterThan(-1);
      expect(weakened).toBeLessThan(tenants);
      expect(tenants).toBeLessThan(other);
    });
  });
});
