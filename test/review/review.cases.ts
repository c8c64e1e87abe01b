/**
 * The review report: its model and its Markdown, on the real constructs' JSON. One synth per
 * distinct app (fixture.ts caches them); every change is an edit of a copy.
 */
import type { JsonObject } from '../../lib/model/json';
import { SynthesizedApp } from '../../lib/model/stack';
import { withoutTenant } from '../../lib/review/build';
import {
  buildReview,
  LAYER_TITLES,
  renderJson,
  renderMarkdown,
  REVIEW_EXIT,
  REVIEW_LAYERS,
  type Review,
  type StackChanges,
} from '../../lib/review';
import { clone } from '../helpers';
import { addressOf, fixtureJson, only, ofTenant, resourcesOf, reviewOf } from './fixture';

type Body = Record<string, unknown>;

const TWO = ['acme', 'globex'];

function changesOf(review: Review, stack = 0): StackChanges {
  const changes = review.stacks[stack].changes;
  if (!changes) throw new Error('the review had no base');
  return changes;
}

/** The Markdown section of one scope (its `<details>` block). */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`<summary><b>${title}</b>`);
  if (start < 0) throw new Error(`no section ${title}`);
  return markdown.slice(start, markdown.indexOf('</details>', start));
}

const useRule = (json: JsonObject, tenant = 'acme'): Body =>
  only(json, 'okta_auth_server_policy_rule', tenant, `${tenant}/Identity/UseRule`);

describe('the review of one stack, without a base', () => {
  let two: JsonObject;
  let review: Review;
  let markdown: string;
  beforeAll(() => {
    two = fixtureJson({ tenants: TWO });
    review = reviewOf(two);
    markdown = renderMarkdown(review);
  });

  test('starts with a summary line of tenants, resources and findings by level, and exits 0', () => {
    const resources = Object.values(two.resource as Record<string, object>).reduce(
      (n, b) => n + Object.keys(b).length,
      0,
    );
    expect(resources).toBeGreaterThan(80);
    // Warnings of the test props: no alert webhook (MCP-AUD-4, per tenant), a local backend and no
    // Okta credentials (MCP-SEC-7, MCP-ID-9W).
    expect(review.totals).toMatchObject({ stacks: 1, tenants: 2, resources, errors: 0, warnings: 4 });
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '## mcp-access review',
      '',
      `**2 tenants · ${resources} resources · findings: 0 errors, 4 warnings, 0 suppressed**`,
    ]);
    expect(review.exitCode).toBe(REVIEW_EXIT.clean);
    expect(review.compared).toBe(false);
    expect(review.stacks[0].changes).toBeNull();
  });

  test('tenants that hold the default posture are listed in one line; the posture is shown once', () => {
    expect(review.stacks[0].defaultTenants).toEqual(['acme', 'globex']);
    expect(review.stacks[0].scopes.map((s) => s.tenant)).toEqual([null]);
    expect(markdown).toContain('2 tenants hold the default posture: `acme`, `globex`');
    expect(markdown).toContain(
      '<summary><b>Default posture</b>, held by 2 tenants of the stacks read, each with MCP-AUD-4 warning (`<t>`: the tenant)</summary>',
    );
    const posture = section(markdown, 'Default posture');
    expect(REVIEW_LAYERS).toHaveLength(5);
    for (const layer of REVIEW_LAYERS) expect(posture).toContain(`| ${LAYER_TITLES[layer]} |`);
    // Settings the posture table shows, each tenant id written <t>, with literal security numbers.
    for (const row of [
      '| access token lifetime (min) | 15 |',
      '| audience | https://&lt;t>.mcp.example.com/mcp |',
      '| Access session duration | 15m |',
      '| hardware key (Access policy requires amr, pop for admins) | mcp-&lt;t>-admins: pop |',
      '| bind address (MCP_BIND_ADDRESS) | mcp-server: 127.0.0.1 |',
      '| Pod Security enforce | restricted |',
      '| kubernetes role token_ttl (s) | 900 |',
      '| kubernetes role token_max_ttl (s) | 3600 |',
      '| transit key auto_rotate_period | 2592000 s (30 d) |',
      '| whole-bucket lock retention (days) | 365 |',
      '| audit shipper sidecar | audit-shipper (cr.fluentbit.io/fluent/fluent-bit) |',
    ]) {
      expect(posture).toContain(row);
    }
  });

  test('shared pieces have their own section: the Okta clients, the hardware-key rule, the account audit log', () => {
    const shared = section(markdown, 'Shared resources');
    expect(shared).toContain(
      '| hardware-key rule (admin sign-on) | phishing-resistant, hardware-protected, user verification |',
    );
    expect(shared).toContain('| re-authentication frequency (admin sign-on) | PT15M |');
    expect(shared).toContain('| factor mode (everyday sign-on) | 2FA |');
    expect(shared).toContain('| audit bucket | mcp-audit-access-requests |');
  });

  test('references print as what they point at, never as ${...}', () => {
    expect(markdown).not.toContain('${');
    expect(markdown).toContain("Okta identity provider 'Okta' (shared)");
  });

  test('one tenant alone is shown whole', () => {
    const one = renderMarkdown(reviewOf(fixtureJson({ tenants: ['acme'] })));
    const acme = section(one, 'Tenant acme');
    expect(REVIEW_LAYERS).toHaveLength(5);
    for (const layer of REVIEW_LAYERS) expect(acme).toContain(`| ${LAYER_TITLES[layer]} |`);
    expect(acme).toContain('- **warning** `MCP-AUD-4`');
  });

  test('a tenant with an error finding is listed, its section open, and the review exits 1', () => {
    const head = clone(two);
    useRule(head, 'globex').access_token_lifetime_minutes = 60;
    const r = reviewOf(head);
    expect(r.exitCode).toBe(REVIEW_EXIT.blocking);
    expect(r.blocking).toEqual(['stack fleet: 1 error finding']);
    expect(r.stacks[0].defaultTenants).toEqual(['acme']);
    const md = renderMarkdown(r);
    expect(md).toContain('<details open><summary><b>Tenant globex</b>');
    expect(section(md, 'Tenant globex')).toContain('**error** `MCP-ID-5`');
    expect(section(md, 'Tenant globex')).toContain('- access token lifetime (min): 60; 15 (default: 15; 15)');
  });
});

describe('the review against a base', () => {
  let base: JsonObject;
  beforeAll(() => {
    base = fixtureJson({ tenants: TWO });
  });

  test('an identical head has no change and exits 0; its shared warnings keep the stack in view', () => {
    const r = reviewOf(clone(base), base);
    expect(r.exitCode).toBe(0);
    expect(r.stacks[0].quiet).toBe(false);
    const md = renderMarkdown(r);
    expect(md).toContain(
      'against the base: 0 weakened changes, 0 unclassified changes, 0 strengthened, 0 data-bearing resources destroyed',
    );
    expect(md).toContain('No tenant added or removed.');
    expect(section(md, 'Shared resources')).toContain('**warning** `MCP-SEC-7`');
  });

  test('a weakening needs a security reviewer: one line with tenant, layer, setting, before -> after, address and rule', () => {
    const head = clone(base);
    const app = only(head, 'cloudflare_zero_trust_access_application', 'acme');
    const policy = (app.policies as Body[]).find((p) => p.name === 'mcp-acme-users') as Body;
    policy.include = [...(policy.include as Body[]), { email: { email: 'contractor@example.net' } }];
    const r = reviewOf(head, base);
    const address = addressOf(head, 'cloudflare_zero_trust_access_application', 'acme/Transport/AccessApplication');
    expect(r.needsReview).toEqual([
      `stack fleet: weakened: acme · transport · Access policy conditions: … (7 unchanged) -> mcp-acme-users: include email=email=contractor@example.net (7 unchanged) · ${address} · MCP-NET-3`,
    ]);
    const md = renderMarkdown(r);
    expect(md).toContain('**Needs a security reviewer**: 1 change weaken security or could not be classified.');
    expect(md).toContain(
      `| weakened | \`acme\` | ${LAYER_TITLES.transport} | Access policy conditions | … (7 unchanged) -> mcp-acme-users: include email=email=contractor@example.net (7 unchanged) | \`${address}\` | \`MCP-NET-3\` |`,
    );
    // It weakens and an error rule refuses it too: blocking wins.
    expect(r.exitCode).toBe(REVIEW_EXIT.blocking);
  });

  test('a weakening no rule refuses exits 3; a shortened retention too', () => {
    const head = fixtureJson({ tenants: TWO, props: { audit: { retentionDays: 364 } } });
    const r = reviewOf(head, base);
    expect(r.exitCode).toBe(REVIEW_EXIT.needsSecurityReview);
    expect(r.totals.weakened).toBe(3);
    expect(r.needsReview.every((l) => l.includes('whole-bucket lock retention (days): 365 -> 364'))).toBe(true);
    expect(renderMarkdown(r)).toContain(
      '**Needs a security reviewer** (exit 3): 3 changes weaken security or could not be classified.',
    );
  });

  test('references in changes print as what they point at, inside expressions too', () => {
    const head = clone(base);
    const token = only(head, 'cloudflare_account_token', 'acme');
    token.expires_on = (token.expires_on as string).replace('"360h"', '"720h"');
    const r = reviewOf(head, base);
    const [change] = changesOf(r).weakened;
    expect(change.beforeDisplay).toBe('timeadd(rotation_rfc3339 of rotation schedule (tenant acme), "360h")');
    expect(change.afterDisplay).toBe('timeadd(rotation_rfc3339 of rotation schedule (tenant acme), "720h")');
    expect(renderMarkdown(r)).not.toContain('${');
  });

  test('an expression the review cannot evaluate is unclassified, never weaker or stronger', () => {
    const head = clone(base);
    head.variable = { ...(head.variable as Record<string, Body>), ttl: { type: 'number' } };
    useRule(head).access_token_lifetime_minutes = '${var.ttl}';
    const r = reviewOf(head, base);
    const change = changesOf(r).unclassified.find(
      (c) => 'setting' in c && c.setting === 'identity.access-token-lifetime',
    );
    expect(change).toMatchObject({ classification: 'unclassified', beforeDisplay: '15', afterDisplay: 'var.ttl' });
  });

  test('a tenant added with the default posture and no finding is a neutral addition (exit 0), listed alone', () => {
    const head = fixtureJson({ tenants: [...TWO, 'initech'] });
    const r = reviewOf(head, base);
    const c = changesOf(r);
    expect(c.tenants.added).toEqual(['initech']);
    expect(c.tenants.addedDeviating).toEqual([]);
    expect([...c.weakened, ...c.weakenedResources, ...c.unclassified]).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.stacks[0].scopes.map((s) => s.tenant)).toEqual(['initech', null]);
    expect(r.stacks[0].defaultTenants).toEqual(['acme', 'globex']);
    expect(renderMarkdown(r)).toContain('- new, holding the default posture: `initech`');
  });

  test('a tenant added that deviates from the default posture needs a security reviewer (exit 3)', () => {
    const head = fixtureJson({ tenants: [...TWO, 'initech'] });
    only(head, 'cloudflare_zero_trust_access_application', 'initech').session_duration = '10m';
    const r = reviewOf(head, base);
    expect(changesOf(r).tenants.addedDeviating).toEqual([
      { tenant: 'initech', differences: ['Access session duration: 10m (default: 15m)'] },
    ]);
    expect(r.needsReview).toEqual([
      'stack fleet: unclassified: initech · tenancy · new tenant deviates from the default posture: Access session duration: 10m (default: 15m)',
    ]);
    expect(r.exitCode).toBe(REVIEW_EXIT.needsSecurityReview);
  });

  test('a removed tenant destroys its data-bearing resources: blocking, decommission it instead', () => {
    const r = reviewOf(fixtureJson({ tenants: ['acme'] }), base);
    const c = changesOf(r);
    expect(c.tenants.removed).toEqual(['globex']);
    const destroyed = c.dataBearing.filter((d) => d.destroys);
    expect(destroyed.map((d) => d.type).sort()).toEqual([
      'cloudflare_r2_bucket',
      'cloudflare_r2_bucket_lock',
      'okta_auth_server',
      'vault_mount',
      'vault_mount',
    ]);
    expect(destroyed.every((d) => d.tenant === 'globex' && d.detail.includes("tenant 'globex' was removed"))).toBe(
      true,
    );
    expect(r.exitCode).toBe(REVIEW_EXIT.blocking);
  });

  test('a decommission is one line: the ways in leave, the data stays, and nothing needs a reviewer', () => {
    const decommissioned = { tenants: [{ id: 'acme' }, { id: 'globex', decommissioned: true }] };
    const head = fixtureJson({ tenants: TWO, props: decommissioned });
    const r = reviewOf(head, base);
    const c = changesOf(r);
    expect(c.tenants).toMatchObject({ added: [], removed: [], decommissioned: ['globex'] });
    expect([...c.weakened, ...c.weakenedResources, ...c.unclassified, ...c.dataBearing]).toEqual([]);
    expect(c.otherSettings).toEqual([
      expect.objectContaining({
        tenant: 'globex',
        setting: 'identity.auth-server-status',
        before: 'ACTIVE',
        after: 'INACTIVE',
        classification: 'strengthened',
      }),
    ]);
    expect(c.otherResources.filter((x) => x.tenant === 'globex')).toEqual([]);
    expect(r.exitCode).toBe(REVIEW_EXIT.clean);
    expect(renderMarkdown(r)).toContain(
      '- decommissioned: `globex` (every way in removed; data-bearing resources kept, judged above)',
    );

    // Later pull requests show the decommissioned tenant in one line.
    const later = reviewOf(clone(head), head);
    expect(later.stacks[0].decommissionedTenants).toEqual(['globex']);
    expect(renderMarkdown(later)).toContain('1 decommissioned tenant (only their data is kept): `globex`');
  });

  test('a tenant marked decommissioned that keeps a way in is judged change by change', () => {
    const decommissioned = { tenants: [{ id: 'acme' }, { id: 'globex', decommissioned: true }] };
    const head = fixtureJson({ tenants: TWO, props: decommissioned });
    // The stack's metadata is a hint: a resource of globex beyond its data (here its tenant claim) breaks it.
    const claim = only(base, 'okta_auth_server_claim', 'globex');
    (head.resource as Record<string, Record<string, Body>>).okta_auth_server_claim.kept = clone(claim);
    const c = changesOf(reviewOf(head, base));
    expect(c.tenants.decommissioned).toEqual([]);
    expect(c.weakenedResources.some((x) => x.tenant === 'globex' && x.kind === 'removed')).toBe(true);
  });

  test('a rename without a moved block destroys; with a moved block it moves (a person looks, exit 3)', () => {
    const rename = (json: JsonObject) => {
      const locks = resourcesOf(json, 'cloudflare_r2_bucket_lock');
      const [name] = ofTenant(json, 'cloudflare_r2_bucket_lock', 'acme')[0];
      locks[`${name}_v2`] = locks[name];
      delete locks[name];
      return [`cloudflare_r2_bucket_lock.${name}`, `cloudflare_r2_bucket_lock.${name}_v2`];
    };
    const renamed = clone(base);
    const [from, to] = rename(renamed);
    const r = reviewOf(renamed, base);
    expect(changesOf(r).dataBearing).toEqual([
      expect.objectContaining({ kind: 'renamed', address: from, newAddress: to, destroys: true }),
    ]);
    expect(r.exitCode).toBe(REVIEW_EXIT.blocking);

    const moved = clone(base);
    rename(moved);
    moved.moved = [{ from, to }];
    const m = reviewOf(moved, base);
    expect(changesOf(m).dataBearing).toEqual([expect.objectContaining({ kind: 'moved', destroys: false })]);
    expect(m.needsReview).toContain(`stack fleet: moved data-bearing resource ${from}`);
    expect(m.exitCode).toBe(REVIEW_EXIT.needsSecurityReview);
  });

  test('a new Vault mount path is a remount (kept data); a new bucket name a replacement (destroyed)', () => {
    const head = clone(base);
    const [, kv] = ofTenant(head, 'vault_mount', 'acme').find(([, b]) => b.type === 'kv') as [string, Body];
    kv.path = 'tenants/acme/kv2';
    only(head, 'cloudflare_r2_bucket', 'globex').name = 'mcp-audit-globex-2';
    const c = changesOf(reviewOf(head, base));
    expect(c.dataBearing.map((d) => [d.kind, d.type, d.destroys])).toEqual([
      ['replaced', 'cloudflare_r2_bucket', true],
      ['remounted', 'vault_mount', false],
    ]);
  });

  test("changes of the stack's own blocks are judged: outputs, variables, providers, backend", () => {
    const head = clone(base);
    const outputs = head.output as Record<string, Body>;
    outputs.acme_issuer.value = 'https://elsewhere.example/oauth2/x';
    head.variable = { ...(head.variable as Record<string, Body>), secret: { type: 'string' } };
    (head.provider as Record<string, Body[]>).okta = [{ access_token: '${var.secret}' }];
    (head.terraform as Body).backend = { local: { path: 'state.tfstate' } };
    const base2 = clone(base);
    base2.variable = { ...(base2.variable as Record<string, Body>), secret: { type: 'string', sensitive: true } };
    const c = changesOf(reviewOf(head, base2));
    const stackChanges = [...c.weakenedResources, ...c.unclassified, ...c.otherResources].filter(
      (r) => !('setting' in r) && r.layer === 'stack',
    );
    expect(stackChanges.map((r) => [r.address, r.classification, r.tenant])).toEqual(
      expect.arrayContaining([
        ['output.acme_issuer', 'unclassified', 'acme'],
        ['var.secret', 'weakened', null],
        ['provider.okta', 'unclassified', null],
        ['terraform.backend', 'unclassified', null],
      ]),
    );
  });

  test('a data source added only reads (neutral); one that reads something else is for a person', () => {
    const head = clone(base);
    const data = head.data as Record<string, Record<string, Body>>;
    const [type, byName] = Object.entries(data).find(
      ([t]) => t === 'cloudflare_zero_trust_tunnel_cloudflared_token',
    ) as [string, Record<string, Body>];
    const [name, token] = Object.entries(byName).find(([n]) => n.includes('acme')) as [string, Body];
    token.tunnel_id = 'f00dbabe-0000-0000-0000-000000000000';
    data.aws_caller_identity = { current: {} };
    const c = changesOf(reviewOf(head, base));
    expect(c.unclassified).toEqual([
      expect.objectContaining({
        type: `data.${type}`,
        address: `data.${type}.${name}`,
        kind: 'attributes',
        tenant: 'acme',
      }),
    ]);
    expect(c.otherResources).toEqual([
      expect.objectContaining({ type: 'data.aws_caller_identity', kind: 'added', classification: 'neutral' }),
    ]);
  });

  test('renderJson carries the same facts as the model', () => {
    const head = clone(base);
    useRule(head).access_token_lifetime_minutes = 16;
    const r = reviewOf(head, base);
    const parsed = JSON.parse(renderJson(r)) as Review;
    expect(parsed).toEqual(JSON.parse(JSON.stringify(r)));
    expect(parsed.stacks[0].changes?.weakened[0]).toMatchObject({
      tenant: 'acme',
      setting: 'identity.access-token-lifetime',
      before: 15,
      after: 16,
      classification: 'weakened',
      rule: 'MCP-ID-5',
    });
  });
});

describe('the review of several stacks', () => {
  test('matches base stacks to head stacks by name; a new stack has no base; a dropped one is listed', () => {
    const app = (stacks: Record<string, JsonObject>) =>
      new SynthesizedApp(Object.entries(stacks).map(([name, json]) => ({ name, json }))).stacks;
    const a = fixtureJson({ tenants: ['acme'], stack: 'cell-a' });
    const b = fixtureJson({ tenants: ['globex'], stack: 'cell-b' });
    const c = fixtureJson({ tenants: ['initech'], stack: 'cell-c' });
    const r = buildReview(app({ 'cell-a': a, 'cell-c': c }), app({ 'cell-a': clone(a), 'cell-b': b }));
    expect(r.stacks.map((s) => [s.stack, s.changes?.baseStack ?? null])).toEqual([
      ['cell-a', 'cell-a'],
      ['cell-c', null],
    ]);
    expect(r.removedStacks).toEqual(['cell-b']);
    expect(r.stacks[0].changes?.byType).toEqual([]);
    const md = renderMarkdown(r);
    expect(md).toContain('- stack `cell-b` is in the base only: its resources are no longer managed by this app.');
    expect(md).toContain('The base has no such stack: every resource is new.');
  });
});

describe('a tenant id in a value is written <t> only where the library names things after it', () => {
  test.each([
    ['https://acme.mcp.example.com/mcp', 'https://<t>.mcp.example.com/mcp'],
    ['public acme.mcp.example.com', 'public <t>.mcp.example.com'],
    [
      'mcp-acme-users, mcp:acme:use, tenants/acme/kv/data/*: read',
      'mcp-<t>-users, mcp:<t>:use, tenants/<t>/kv/data/*: read',
    ],
    ['tid = "acme" (RESOURCE, EXPRESSION, always)', 'tid = "<t>" (RESOURCE, EXPRESSION, always)'],
    ["R2 bucket 'mcp-audit-acme' (tenant acme)", "R2 bucket 'mcp-audit-<t>' (tenant <t>)"],
    ['mcp-server MCP_TENANT_ID: acme', 'mcp-server MCP_TENANT_ID: <t>'],
    // Not the tenant's name: an image repository, another tenant whose id starts with it.
    ['ghcr.io/acme/mcp@sha256:ab', 'ghcr.io/acme/mcp@sha256:ab'],
    ['mcp-acme-eu-users, tenants/acme-eu/kv', 'mcp-acme-eu-users, tenants/acme-eu/kv'],
  ])('%s', (display, generic) => {
    expect(withoutTenant(display, 'acme')).toBe(generic);
  });
});
