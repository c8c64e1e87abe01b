import { SynthesizedStack, type JsonObject } from '../../lib/model/stack';
import { KEY_ROTATION_SECONDS, TOKEN_TTL_MINUTES } from '../../lib/core/defaults';
import {
  buildReview,
  LAYER_TITLES,
  MISSING,
  renderJson,
  renderMarkdown,
  REVIEW_LAYERS,
  type Review,
  type ScopeReview,
  type StackChanges,
} from '../../lib/review';
import { clone } from '../helpers';
import { addressOf, fixtureJson, fixtureStack, resourceBody } from './fixture';

const TENANTS = ['acme', 'globex', 'initech'];

function scopeOf(review: Review, tenant: string | null, stack = 0): ScopeReview {
  const scope = review.stacks[stack].scopes.find((s) => s.tenant === tenant);
  if (!scope) throw new Error(`no scope ${tenant}`);
  return scope;
}

/** Displays of one setting in a scope, in table order. */
function shown(scope: ScopeReview, setting: string): string[] {
  return scope.settings.filter((s) => s.setting === setting).map((s) => s.display);
}

/** The Markdown section of one tenant (its `<details>` block). */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`<summary><b>${title}</b>`);
  if (start < 0) throw new Error(`no section ${title}`);
  return markdown.slice(start, markdown.indexOf('</details>', start));
}

function resourceCount(json: JsonObject): number {
  return Object.values(json.resource as Record<string, object>).reduce(
    (n, byName) => n + Object.keys(byName).length,
    0,
  );
}

function review(head: JsonObject, base?: JsonObject): Review {
  return buildReview(
    [new SynthesizedStack(head, 'fleet')],
    base === undefined ? undefined : [new SynthesizedStack(base, 'fleet')],
  );
}

describe('review of one stack', () => {
  let json: JsonObject;
  let result: Review;
  let markdown: string;
  beforeAll(() => {
    json = fixtureJson({ tenants: TENANTS });
    result = review(json);
    markdown = renderMarkdown(result);
  });

  test('starts with a summary line of tenants, resources and findings by level', () => {
    const resources = resourceCount(json);
    expect(result.totals).toMatchObject({ stacks: 1, tenants: 3, resources, errors: 0, warnings: 0 });
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '## mcp-access review',
      '',
      `**3 tenants · ${resources} resources · findings: 0 errors, 0 warnings, 0 suppressed**`,
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.compared).toBe(false);
    expect(result.stacks[0].changes).toBeNull();
  });

  test('names every tenant and, in each tenant section, every layer', () => {
    expect(result.stacks[0].scopes.map((s) => s.tenant)).toEqual([...TENANTS, null]);
    for (const tenant of TENANTS) {
      expect(new Set(scopeOf(result, tenant).settings.map((s) => s.layer))).toEqual(new Set(REVIEW_LAYERS));
      const text = section(markdown, `Tenant ${tenant}`);
      for (const layer of REVIEW_LAYERS) expect(text).toContain(`| ${LAYER_TITLES[layer]} |`);
      expect(text).toContain('Findings: none.');
    }
    expect(markdown).toContain('<summary><b>Shared resources</b>');
  });

  test("reads each layer's security-relevant settings of a tenant from the JSON", () => {
    const acme = scopeOf(result, 'acme');
    expect(shown(acme, 'identity.access-token-lifetime')).toEqual([String(TOKEN_TTL_MINUTES)]);
    expect(shown(acme, 'identity.audience')).toEqual(['https://acme.mcp.example.com/mcp']);
    expect(shown(acme, 'identity.policy-grant-types')).toEqual(['authorization_code, refresh_token']);
    expect(shown(acme, 'transport.access-session')).toEqual(['15m']);
    expect(shown(acme, 'transport.ingress-services')).toEqual(['tcp://127.0.0.1:8080, http_status:404']);
    expect(shown(acme, 'transport.hardware-key-policies')).toEqual(['admins']);
    expect(shown(acme, 'ports.bind-address')).toEqual(['mcp-server: 127.0.0.1']);
    expect(shown(acme, 'ports.pod-security')).toEqual(['restricted']);
    expect(shown(acme, 'ports.run-as-non-root')).toEqual(['true']);
    expect(shown(acme, 'ports.read-only-root-filesystem')).toEqual(['cloudflared: true, mcp-server: true']);
    expect(shown(acme, 'ports.allow-privilege-escalation')).toEqual(['cloudflared: false, mcp-server: false']);
    expect(shown(acme, 'ports.capabilities-drop')).toEqual(['cloudflared: ALL, mcp-server: ALL']);
    expect(shown(acme, 'ports.declared-ports')).toEqual(['none']);
    expect(shown(acme, 'ports.default-deny')).toEqual(['Egress, Ingress', 'no (allow rules)']);
    expect(shown(acme, 'ports.services-quota')).toEqual([
      'services: 0, services.loadbalancers: 0, services.nodeports: 0',
    ]);
    expect(shown(acme, 'secrets.mount')).toEqual(['tenants/acme/kv (kv v2)', 'tenants/acme/transit (transit)']);
    expect(shown(acme, 'secrets.kubernetes-token-ttl')).toEqual(['900']);
    expect(shown(acme, 'secrets.kubernetes-token-max-ttl')).toEqual(['3600']);
    expect(shown(acme, 'secrets.kubernetes-token-period')).toEqual(['not set']);
    expect(shown(acme, 'secrets.bound-service-accounts')).toEqual(['mcp-server']);
    expect(shown(acme, 'secrets.bound-namespaces')).toEqual(['mcp-acme']);
    expect(shown(acme, 'secrets.jwt-bound-claims')).toEqual(['tid: acme']);
    expect(shown(acme, 'secrets.key-rotation')).toEqual([`${KEY_ROTATION_SECONDS} s (30 d)`]);
    expect(shown(acme, 'secrets.key-exportable')).toEqual(['false']);
    expect(shown(acme, 'secrets.key-deletion-allowed')).toEqual(['false']);
    expect(shown(acme, 'audit.lock-rules')).toEqual(['audit-retention: enabled, prefix "", Age 365 d']);
    expect(shown(acme, 'audit.lock-retention')).toEqual(['365']);
    expect(shown(acme, 'audit.prevent-destroy')).toEqual(['true', 'true', 'true', 'true', 'true']);
    expect(acme.settings.find((s) => s.setting === 'identity.access-token-lifetime')?.address).toBe(
      addressOf(json, 'okta_auth_server_policy_rule', 'acme/Identity/UseRule'),
    );
  });

  test('puts tenant-less resources in their own section: clients, sign-on rule, shared audit log', () => {
    const shared = scopeOf(result, null);
    // The MCP client rotates; the Access IdP app and the admin client have no refresh grant.
    expect(shown(shared, 'identity.refresh-token-rotation')).toEqual(['ROTATE', 'not set', 'not set']);
    expect(shown(shared, 'identity.hardware-key')).toEqual([
      'phishing-resistant, hardware-protected, user verification',
    ]);
    expect(shown(shared, 'identity.re-authentication')).toEqual(['PT15M']);
    expect(shown(shared, 'audit.bucket')).toEqual(['mcp-audit-access-requests']);
    // Shared tables list what exists: no placeholder rows for the layers they lack.
    expect(shared.settings.some((s) => s.address === null)).toBe(false);
  });

  test('shows "not set" for an absent attribute and "—" for a resource type a tenant lacks', () => {
    const tampered = clone(json);
    delete resourceBody(tampered, 'okta_auth_server_policy_rule', 'acme/Identity/UseRule')
      .access_token_lifetime_minutes;
    const quotas = (tampered.resource as Record<string, Record<string, unknown>>).kubernetes_resource_quota_v1;
    delete quotas[addressOf(tampered, 'kubernetes_resource_quota_v1', 'globex/Workload/Quota').split('.')[1]];
    const r = review(tampered, undefined);
    expect(shown(scopeOf(r, 'acme'), 'identity.access-token-lifetime')).toEqual(['not set']);
    const missing = scopeOf(r, 'globex').settings.find((s) => s.setting === 'ports.services-quota');
    expect(missing).toMatchObject({ address: null, value: null, display: MISSING });
    expect(shown(scopeOf(r, 'acme'), 'ports.services-quota')).toHaveLength(1);
  });

  test('names a layer even when a tenant has none of its resources', () => {
    const tampered = clone(json);
    const resource = tampered.resource as Record<string, Record<string, unknown>>;
    for (const [type, suffix] of [
      ['cloudflare_r2_bucket', 'acme/Audit/Bucket/Bucket'],
      ['cloudflare_r2_bucket_lock', 'acme/Audit/Bucket/Lock'],
    ]) {
      delete resource[type][addressOf(tampered, type, suffix).split('.')[1]];
    }
    const audit = scopeOf(review(tampered), 'acme').settings.filter((s) => s.layer === 'audit');
    expect(audit.map((s) => s.display)).toEqual([MISSING, MISSING, MISSING, 'true', 'true', 'true']);
  });

  test('reads nested blocks written as lists as it reads them written as objects', () => {
    const listed = clone(json);
    const deployment = resourceBody(listed, 'kubernetes_deployment_v1', 'acme/Workload/Deployment');
    const spec = deployment.spec as { template: { spec: Record<string, unknown> } };
    deployment.spec = [{ ...spec, template: [{ ...spec.template, spec: [spec.template.spec] }] }];
    const config = resourceBody(
      listed,
      'cloudflare_zero_trust_tunnel_cloudflared_config',
      'acme/Transport/TunnelConfig',
    );
    config.config = [config.config];
    const lock = resourceBody(listed, 'cloudflare_r2_bucket_lock', 'acme/Audit/Bucket/Lock');
    lock.lifecycle = [lock.lifecycle];
    for (const rule of lock.rules as Record<string, unknown>[]) rule.condition = [rule.condition];
    const displays = (r: Review) => scopeOf(r, 'acme').settings.map((s) => `${s.setting}=${s.display}`);
    expect(displays(review(listed))).toEqual(displays(result));
  });

  test('lists findings under the tenant they belong to, and exits 1 on an error finding', () => {
    const tampered = clone(json);
    resourceBody(tampered, 'okta_auth_server_policy_rule', 'globex/Identity/UseRule').access_token_lifetime_minutes =
      60;
    const r = review(tampered);
    const globex = scopeOf(r, 'globex');
    expect(globex.findings.map((f) => f.ruleId)).toEqual(['MCP-ID-5']);
    expect(globex.counts).toEqual({ errors: 1, warnings: 0, suppressed: 0 });
    expect(scopeOf(r, 'acme').findings).toEqual([]);
    expect(r.exitCode).toBe(1);
    expect(r.blocking).toEqual(['stack fleet: 1 error finding']);
    const md = renderMarkdown(r);
    expect(section(md, 'Tenant globex')).toMatch(/- \*\*error\*\* `MCP-ID-5` `okta_auth_server_policy_rule\.[^`]+`: /);
    expect(md).toContain('<details open><summary><b>Tenant globex</b>');
  });
});

describe('review of a stack the library did not build', () => {
  test('puts everything in the shared section and reads what it knows', () => {
    const json: JsonObject = {
      resource: {
        random_pet: { name: {} },
        vault_mount: { secrets: { path: 'secret', type: 'kv' } },
      },
    };
    const r = review(json);
    expect(r.stacks[0].tenants).toEqual([]);
    expect(r.stacks[0].scopes.map((s) => [s.tenant, s.resources])).toEqual([[null, 2]]);
    expect(shown(scopeOf(r, null), 'secrets.mount')).toEqual(['secret (kv)']);
    expect(shown(scopeOf(r, null), 'audit.prevent-destroy')).toEqual(['not set']);
    const bare = review({ resource: { random_pet: { name: {} } } });
    expect(renderMarkdown(bare)).toContain(
      'resources</b>: 1 resource, 0 errors, 0 warnings, 0 suppressed</summary>\n\nNo security-relevant settings.',
    );
  });
});

describe('review against a base', () => {
  let base: JsonObject;
  let head: JsonObject;
  let result: Review;
  let changes: StackChanges;
  let markdown: string;
  beforeAll(() => {
    base = fixtureJson({ tenants: TENANTS });
    // initech's cell moves in the construct tree: all its addresses change; hooli is new.
    head = fixtureJson({
      tenants: [...TENANTS, 'hooli'],
      scopeOf: (t) => (t === 'initech' ? 'fleet/Mcp/cells/initech' : `fleet/Mcp/${t}`),
    });
    resourceBody(head, 'okta_auth_server_policy_rule', 'acme/Identity/UseRule').access_token_lifetime_minutes = 60;
    resourceBody(
      head,
      'vault_kubernetes_auth_backend_role',
      'globex/Secrets/KubernetesRole',
    ).bound_service_account_namespaces = ['*'];
    const locks = (head.resource as Record<string, Record<string, unknown>>).cloudflare_r2_bucket_lock;
    delete locks[addressOf(head, 'cloudflare_r2_bucket_lock', 'acme/Audit/Bucket/Lock').split('.')[1]];
    result = review(head, base);
    changes = result.stacks[0].changes as StackChanges;
    markdown = renderMarkdown(result);
  });

  test('reports a weakened token lifetime with its old and new value', () => {
    expect(changes.weakened).toContainEqual(
      expect.objectContaining({
        tenant: 'acme',
        setting: 'identity.access-token-lifetime',
        before: 15,
        after: 60,
        address: addressOf(head, 'okta_auth_server_policy_rule', 'acme/Identity/UseRule'),
        baseAddress: null,
        weakened: true,
      }),
    );
    expect(markdown).toMatch(
      /\| `acme` \| identity \(Okta\) \| access token lifetime \(min\) \| 15 -> 60 \| `okta_auth_server_policy_rule\./,
    );
  });

  test('reports a widened Vault role (bound namespace -> *) with its old and new value', () => {
    expect(changes.weakened).toContainEqual(
      expect.objectContaining({
        tenant: 'globex',
        setting: 'secrets.bound-namespaces',
        before: ['mcp-globex'],
        after: ['*'],
        beforeDisplay: 'mcp-globex',
        afterDisplay: '*',
      }),
    );
    expect(markdown).toContain('| kubernetes role bound namespaces | mcp-globex -> * |');
  });

  test('reports a removed bucket lock as a destroyed data-bearing resource, and exits 1', () => {
    const address = addressOf(base, 'cloudflare_r2_bucket_lock', 'acme/Audit/Bucket/Lock');
    expect(changes.dataBearing).toContainEqual(
      expect.objectContaining({
        kind: 'removed',
        type: 'cloudflare_r2_bucket_lock',
        tenant: 'acme',
        address,
        destroys: true,
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.blocking).toContain(`stack fleet: removed data-bearing resource ${address}`);
    expect(markdown).toContain(`- **removed** \`${address}\` (tenant \`acme\`): removed from the configuration`);
  });

  test('reports a renamed tenant scope: the scope paths, and each data-bearing resource with old and new address', () => {
    expect(changes.tenants.scopesChanged).toEqual([
      { tenant: 'initech', before: ['fleet/Mcp/initech'], after: ['fleet/Mcp/cells/initech'] },
    ]);
    const renamed = changes.dataBearing.filter((c) => c.kind === 'renamed');
    expect(renamed.map((c) => c.type).sort()).toEqual([
      'cloudflare_r2_bucket',
      'cloudflare_r2_bucket_lock',
      'okta_auth_server',
      'vault_mount',
      'vault_mount',
    ]);
    const before = addressOf(base, 'okta_auth_server', 'initech/Identity/AuthServer');
    const after = addressOf(head, 'okta_auth_server', 'cells/initech/Identity/AuthServer');
    expect(renamed).toContainEqual(
      expect.objectContaining({
        tenant: 'initech',
        address: before,
        newAddress: after,
        destroys: true,
        attributes: [],
      }),
    );
    expect(markdown).toContain(
      `- **renamed** \`${before}\` -> \`${after}\` (tenant \`initech\`): new address without a moved block`,
    );
    expect(markdown).toContain('- scope of `initech` renamed: `fleet/Mcp/initech` -> `fleet/Mcp/cells/initech`');
    // Nothing else of initech changed: no setting change is reported for its renamed resources.
    expect([...changes.weakened, ...changes.otherSettings].filter((c) => c.tenant === 'initech')).toEqual([]);
  });

  test('orders the report by risk: weakened settings and data loss, then tenants, then other changes', () => {
    const at = (text: string) => {
      const i = markdown.indexOf(text);
      if (i < 0) throw new Error(`missing ${text}`);
      return i;
    };
    const order = [
      '**1. Weakened security settings and data-bearing resources**',
      '| 15 -> 60 |',
      '| mcp-globex -> * |',
      '- **removed** `cloudflare_r2_bucket_lock.',
      '- **renamed** `cloudflare_r2_bucket.',
      '**2. Tenants**',
      '- new: `hooli`',
      '**3. Other changes**',
      '| resource type | added | removed | renamed | changed |',
      '<summary><b>Tenant acme</b>',
    ].map(at);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(changes.tenants).toMatchObject({ added: ['hooli'], removed: [] });
  });

  test('summarizes other changes by resource type', () => {
    const counts = new Map(changes.byType.map((c) => [c.type, c]));
    // hooli's cell is new (two of them), initech's moved, acme's lock is gone.
    expect(counts.get('vault_mount')).toEqual({ type: 'vault_mount', added: 2, removed: 0, renamed: 2, changed: 0 });
    expect(counts.get('cloudflare_r2_bucket_lock')).toEqual({
      type: 'cloudflare_r2_bucket_lock',
      added: 1,
      removed: 1,
      renamed: 1,
      changed: 0,
    });
    expect(counts.get('okta_auth_server_policy_rule')).toMatchObject({ added: 1, renamed: 1, changed: 1 });
    expect(result.totals).toMatchObject({ weakened: 2, destroyed: 6 });
  });

  test('a moved block keeps renamed resources: nothing is destroyed, the exit code stays 0', () => {
    const before = fixtureJson({ tenants: ['acme'] });
    const after = fixtureJson({ tenants: ['acme'], scopeOf: () => 'fleet/Mcp/cells/acme' });
    const moved: { from: string; to: string }[] = [];
    for (const [type, byName] of Object.entries(before.resource as Record<string, Record<string, unknown>>)) {
      for (const name of Object.keys(byName)) {
        const path = ((byName[name] as JsonObject)['//'] as { metadata: { path: string } }).metadata.path;
        if (!path.includes('/acme/')) continue;
        moved.push({
          from: `${type}.${name}`,
          to: addressOf(after, type, path.replace('fleet/Mcp/acme/', 'cells/acme/')),
        });
      }
    }
    after.moved = moved;
    const r = review(after, before);
    const c = r.stacks[0].changes as StackChanges;
    expect(c.dataBearing.map((d) => [d.kind, d.destroys])).toEqual(Array(5).fill(['moved', false]));
    expect(r.exitCode).toBe(0);
    expect(renderMarkdown(r)).toContain('moved block: the state moves to');
  });

  test('a change of an attribute that forces replacement is a replacement; a new Vault mount path is a remount', () => {
    const after = clone(base);
    resourceBody(after, 'cloudflare_r2_bucket', 'acme/Audit/Bucket/Bucket').name = 'mcp-audit-acme-2';
    resourceBody(after, 'vault_mount', 'globex/Secrets/KvMount').path = 'tenants/globex/kv2';
    const r = review(after, base);
    const c = r.stacks[0].changes as StackChanges;
    expect(c.dataBearing).toEqual([
      expect.objectContaining({
        kind: 'replaced',
        type: 'cloudflare_r2_bucket',
        destroys: true,
        attributes: [{ attribute: 'name', before: 'mcp-audit-acme', after: 'mcp-audit-acme-2' }],
        detail:
          'name "mcp-audit-acme" -> "mcp-audit-acme-2" forces replacement: Terraform destroys and recreates it; prevent_destroy is set, so the plan fails until it is lifted',
      }),
      expect.objectContaining({
        kind: 'remounted',
        type: 'vault_mount',
        destroys: false,
        attributes: [{ attribute: 'path', before: 'tenants/globex/kv', after: 'tenants/globex/kv2' }],
      }),
    ]);
    expect(r.exitCode).toBe(1);
    expect(c.otherSettings).toContainEqual(
      expect.objectContaining({
        setting: 'audit.bucket',
        beforeDisplay: 'mcp-audit-acme',
        afterDisplay: 'mcp-audit-acme-2',
      }),
    );
  });

  test('a removed tenant is a decommission: its data-bearing resources are reported destroyed', () => {
    const r = review(fixtureJson({ tenants: ['acme', 'initech'] }), base);
    const c = r.stacks[0].changes as StackChanges;
    expect(c.tenants).toEqual({ added: [], removed: ['globex'], scopesChanged: [] });
    const removed = c.dataBearing.filter((d) => d.tenant === 'globex');
    expect(removed).toHaveLength(5);
    expect(
      removed.every((d) => d.kind === 'removed' && d.destroys && d.detail.includes("tenant 'globex' was removed")),
    ).toBe(true);
    expect(r.exitCode).toBe(1);
  });

  test('an unchanged head has no changes and exits 0', () => {
    const r = review(clone(base), base);
    expect(r.stacks[0].changes).toEqual({
      baseStack: 'fleet',
      weakened: [],
      dataBearing: [],
      tenants: { added: [], removed: [], scopesChanged: [] },
      otherSettings: [],
      byType: [],
    });
    expect(r.exitCode).toBe(0);
    expect(renderMarkdown(r)).toContain('**1. Weakened security settings and data-bearing resources**\n\nNone.');
  });

  test('an unresolved expression is shown as written and never judged a weakening', () => {
    const after = clone(base);
    resourceBody(after, 'okta_auth_server_policy_rule', 'acme/Identity/UseRule').access_token_lifetime_minutes =
      '${var.token_ttl}';
    const c = review(after, base).stacks[0].changes as StackChanges;
    expect(c.weakened).toEqual([]);
    expect(c.otherSettings).toContainEqual(
      expect.objectContaining({ setting: 'identity.access-token-lifetime', afterDisplay: '${var.token_ttl}' }),
    );
  });

  test('renderJson carries the same facts as the model', () => {
    const parsed = JSON.parse(renderJson(result));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(result)));
    expect(parsed.exitCode).toBe(1);
    expect(parsed.stacks[0].changes.weakened).toContainEqual(
      expect.objectContaining({ tenant: 'acme', label: 'access token lifetime (min)', before: 15, after: 60 }),
    );
    expect(parsed.stacks[0].scopes.map((s: { tenant: string | null }) => s.tenant)).toEqual([
      'acme',
      'globex',
      'hooli',
      'initech',
      null,
    ]);
  });
});

describe('review of several stacks', () => {
  test('matches base stacks to head stacks by name; a new stack has no base; a dropped one is listed', () => {
    const a = fixtureStack({ stack: 'cell-a', tenants: ['acme'] });
    const b = fixtureStack({ stack: 'cell-b', tenants: ['globex'] });
    const bTighter = clone(b.json);
    resourceBody(bTighter, 'okta_auth_server_policy_rule', 'globex/Identity/UseRule').access_token_lifetime_minutes =
      10;
    const r = buildReview(
      [a, new SynthesizedStack(bTighter, 'cell-b'), fixtureStack({ stack: 'cell-c', tenants: ['hooli'] })],
      [b, fixtureStack({ stack: 'cell-z', tenants: ['umbrella'] }), a],
    );
    expect(r.stacks.map((s) => [s.stack, s.changes?.baseStack])).toEqual([
      ['cell-a', 'cell-a'],
      ['cell-b', 'cell-b'],
      ['cell-c', null],
    ]);
    expect(r.stacks[1].changes?.otherSettings.map((c) => `${c.beforeDisplay} -> ${c.afterDisplay}`)).toEqual([
      '15 -> 10',
    ]);
    expect(r.stacks[2].changes?.tenants.added).toEqual(['hooli']);
    expect(r.removedStacks).toEqual(['cell-z']);
    expect(r.exitCode).toBe(0);
    const md = renderMarkdown(r);
    for (const name of ['cell-a', 'cell-b', 'cell-c']) expect(md).toContain(`### Stack \`${name}\``);
    expect(md).toContain('- stack `cell-z` is in the base only');
    expect(md).toContain('**3 stacks · 3 tenants · ');
  });
});

describe('review of a 100-tenant fleet', () => {
  test('names every tenant and finds nothing to change against an identical base', () => {
    const tenants = Array.from({ length: 100 }, (_, i) => `tenant-${String(i).padStart(3, '0')}`);
    const json = fixtureJson({ tenants });
    const r = review(json, clone(json));
    expect(r.stacks[0].scopes.filter((s) => s.tenant !== null)).toHaveLength(100);
    expect(r.totals).toMatchObject({ tenants: 100, errors: 0, weakened: 0, destroyed: 0 });
    expect(r.stacks[0].changes?.byType).toEqual([]);
    const md = renderMarkdown(r);
    for (const t of tenants) expect(md).toContain(`<summary><b>Tenant ${t}</b>`);
  });
});
