/**
 * A fleet of tenant cells across several Cloudflare accounts ("edges"), as stacks Terraform can plan
 * and apply one by one, in parallel: per Okta org a stack of the shared Okta clients, one `shared`
 * stack of the Vault pieces every cell uses, per edge a foundation stack (its Access identity
 * provider, its `access_requests` Logpush job and account audit bucket), and cell stacks of at most
 * `cellSize` tenants each, placed once and recorded in the lock file (lib/fleet/assignment.ts).
 *
 * Cells read the shared and foundation stacks through cdktf's cross-stack references (remote state),
 * so one shard can be synthesized, checked and planned alone: it needs only the stacks it reads.
 * Each edge is synthesized as an App of its own (with the shared stacks it reads), which keeps memory
 * bounded whatever the fleet's size when the Apps opt in to `enableFastSynth` (through `onApp`): each
 * written edge's tokens then leave cdktf's process-wide token map, which would otherwise keep every
 * edge's tree alive. The manifests are merged into one at the end.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AccessRequestsAuditLog } from '../audit/access-requests-audit-log';
import { McpAccessChecks } from '../checks/pack';
import type { CheckReport } from '../checks/engine';
import { App, Construct, TerraformStack, TerraformVariable } from '../core/cdktf';
import { AUDIT_RETENTION_DAYS } from '../core/defaults';
import type { FleetDescription, FleetEdge } from '../fleet/description';
import type { Placement } from '../fleet/assignment';
import { OktaMcpClients } from '../identity/okta-mcp-clients';
import type { VaultEgress, WorkloadResources } from '../ports/loopback-mcp-deployment-props';
import { VaultAuditDevice, type VaultAuditDeviceProps } from '../secrets/vault-audit-device';
import { VaultKubernetesAuth, type VaultKubernetesAuthProps } from '../secrets/vault-kubernetes-auth';
import { CloudflareOktaIdentityProvider } from '../transport/cloudflare-okta-identity-provider';
import { releaseAppTokens } from '../fast-synth/fast-synth';
import { DecommissionedMcpCell, DEFAULT_KUBERNETES_HOST, SecureMcpCell } from './secure-mcp-access';

/** What a stack of the fleet is for. */
export type FleetStackKind = 'okta' | 'shared' | 'foundation' | 'cells';

/** Options of {@link synthesizeFleet}. */
export interface FleetSynthOptions {
  readonly fleet: FleetDescription;
  /** Every tenant's place (from `placeFleet`). */
  readonly placements: readonly Placement[];
  /** Where to write `stacks/<name>/cdk.tf.json` and `manifest.json` (cdktf's layout). */
  readonly outdir: string;
  /**
   * Only these cell stacks, with the Okta, shared and foundation stacks they read.
   * @default every stack of the fleet
   */
  readonly shards?: readonly string[];
  /** Adds each stack's providers and backend (credentials from the environment, never a file). */
  readonly configureStack: (stack: TerraformStack, kind: FleetStackKind) => void;
  /**
   * Called with each App before any stack is added, e.g. to opt in to the faster synth
   * (`enableFastSynth(app)`), with which each edge's tokens are released once it is written.
   */
  readonly onApp?: (app: App) => void;
}

/** What {@link synthesizeFleet} wrote and what the rule pack found. */
export interface FleetSynthResult {
  /** Stack names written, in manifest order. */
  readonly stacks: readonly string[];
  /** The rule pack's report of every cell stack written. */
  readonly reports: readonly CheckReport[];
}

/** Name of the stack of an Okta org's shared clients: `okta-<first label of the org host>`. */
export function oktaStackName(orgUrl: string): string {
  const label = new URL(orgUrl).hostname
    .split('.')[0]
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
  return `okta-${label}`;
}

/** Name of an edge's foundation stack. */
export function foundationStackName(edge: string): string {
  return `foundation-${edge}`;
}

/** The stack every cell reads its Vault pieces from. */
export const SHARED_STACK_NAME = 'shared';

interface ManifestStack {
  readonly name: string;
  readonly [key: string]: unknown;
}

/**
 * Synthesizes a fleet (or the shards named) into `outdir`, one App per edge, running the rule pack on
 * each; throws the pack's errors like `app.synth()` does. Writes one merged `manifest.json`.
 */
export function synthesizeFleet(options: FleetSynthOptions): FleetSynthResult {
  const { fleet, placements } = options;
  const wanted = options.shards ? new Set(options.shards) : undefined;
  const cellsByEdge = new Map<string, Map<string, Placement[]>>();
  for (const p of placements) {
    if (wanted && !wanted.has(p.cell)) continue;
    const cells = cellsByEdge.get(p.edge) ?? new Map<string, Placement[]>();
    cells.set(p.cell, [...(cells.get(p.cell) ?? []), p]);
    cellsByEdge.set(p.edge, cells);
  }
  if (wanted) {
    const known = new Set(placements.map((p) => p.cell));
    const unknown = [...wanted].filter((s) => !known.has(s));
    if (unknown.length > 0) {
      throw new Error(
        `MCP_FLEET_SHARDS names cell stacks the fleet does not have: ${unknown.join(', ')} (known: ${[...known].sort().join(', ')})`,
      );
    }
  }
  const edges = [...fleet.edges]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .filter((e) => !wanted || cellsByEdge.has(e.name));
  const manifest = new Map<string, ManifestStack>();
  const reports: CheckReport[] = [];
  let version = '';
  for (const edge of edges) {
    const app = new App({ outdir: options.outdir });
    options.onApp?.(app);
    const cells = buildEdge(app, fleet, edge, cellsByEdge.get(edge.name) ?? new Map(), options.configureStack);
    app.synth();
    const built = app.manifest.buildManifest() as unknown as { version: string; stacks: Record<string, ManifestStack> };
    version = built.version;
    for (const [name, entry] of Object.entries(built.stacks)) manifest.set(name, entry);
    for (const cell of cells) {
      const report = McpAccessChecks.of(cell).lastReport;
      if (report) reports.push(report);
    }
    // The edge's App is written and dropped: with the opt-in, its tokens leave cdktf's process-wide
    // map too, so that the next edge does not keep this one's tree alive (a flat heap over 25 edges).
    releaseAppTokens(app);
  }
  const stacks = Object.fromEntries([...manifest.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  fs.writeFileSync(path.join(options.outdir, 'manifest.json'), JSON.stringify({ version, stacks }, null, 2));
  return { stacks: Object.keys(stacks), reports };
}

/** The Okta org an edge's Access signs in with. */
function edgeOrgUrl(fleet: FleetDescription, edge: FleetEdge): string {
  return edge.okta?.orgUrl ?? fleet.okta.orgUrl;
}

/** One edge's App: the Okta stack of its org, the shared stack, its foundation and its cell stacks. */
function buildEdge(
  app: App,
  fleet: FleetDescription,
  edge: FleetEdge,
  cells: ReadonlyMap<string, readonly Placement[]>,
  configure: FleetSynthOptions['configureStack'],
): TerraformStack[] {
  const orgUrl = edgeOrgUrl(fleet, edge);
  const okta = new TerraformStack(app, oktaStackName(orgUrl));
  configure(okta, 'okta');
  McpAccessChecks.of(okta);
  // The Okta stack is the same whichever edge's App writes it: every edge of the org, sorted by
  // name, is a redirect of its Access web app (the first is the primary callback).
  const callbacks = [...fleet.edges]
    .filter((e) => edgeOrgUrl(fleet, e) === orgUrl)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((e) => `https://${e.teamDomain}/cdn-cgi/access/callback`)
    .filter((url, i, all) => all.indexOf(url) === i);
  const oktaClients = new OktaMcpClients(new Construct(okta, 'Shared'), 'OktaClients', {
    orgUrl,
    accessCallbackUrl: callbacks[0],
    additionalAccessCallbackUrls: callbacks.length > 1 ? callbacks.slice(1) : undefined,
    loopbackRedirectUris: fleet.okta.loopbackRedirectUris,
  });

  const shared = new TerraformStack(app, SHARED_STACK_NAME);
  configure(shared, 'shared');
  McpAccessChecks.of(shared);
  const sharedScope = new Construct(shared, 'Shared');
  const vaultKubernetesAuth = new VaultKubernetesAuth(
    sharedScope,
    'VaultKubernetesAuth',
    (fleet.vault?.kubernetesAuth as VaultKubernetesAuthProps | undefined) ?? {
      kubernetesHost: DEFAULT_KUBERNETES_HOST,
    },
  );
  new VaultAuditDevice(
    sharedScope,
    'VaultAuditDevice',
    (fleet.vault?.auditDevice as VaultAuditDeviceProps | undefined) ?? {},
  );

  const foundation = new TerraformStack(app, foundationStackName(edge.name));
  configure(foundation, 'foundation');
  McpAccessChecks.of(foundation);
  const foundationScope = new Construct(foundation, 'Shared');
  const accessIdentityProvider = new CloudflareOktaIdentityProvider(foundationScope, 'AccessIdentityProvider', {
    accountId: edge.accountId,
    clients: oktaClients,
  });
  new AccessRequestsAuditLog(foundationScope, 'AccessAuditLog', {
    accountId: edge.accountId,
    retentionDays: fleet.audit?.retentionDays ?? AUDIT_RETENTION_DAYS,
    jurisdiction: fleet.audit?.jurisdiction,
  });

  const tenants = new Map(fleet.tenants.map((t) => [t.id, t]));
  const built: TerraformStack[] = [];
  for (const [name, members] of [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const stack = new TerraformStack(app, name);
    configure(stack, 'cells');
    McpAccessChecks.of(stack);
    const alertWebhook = new TerraformVariable(stack, 'audit_alert_webhook_url', {
      type: 'string',
      sensitive: true,
      description: 'https webhook that receives every cross-tenant denial of the tenants of this stack.',
    });
    for (const placement of [...members].sort((a, b) => (a.tenant < b.tenant ? -1 : 1))) {
      const tenant = tenants.get(placement.tenant);
      if (!tenant) throw new Error(`tenant ${placement.tenant} is placed but not described`);
      if (tenant.decommissioned === true) {
        new DecommissionedMcpCell(stack, tenant.id, {
          tenantId: tenant.id,
          domain: fleet.domain,
          cloudflare: { accountId: edge.accountId },
          audit: { retentionDays: fleet.audit?.retentionDays, jurisdiction: fleet.audit?.jurisdiction },
          tokenTtlMinutes: fleet.tokenTtlMinutes,
        });
        continue;
      }
      new SecureMcpCell(stack, tenant.id, {
        tenant: {
          id: tenant.id,
          localPort: placement.localPort,
          replicas: tenant.replicas,
          existingGroups: tenant.existingGroups,
          serviceAccounts: tenant.serviceAccounts,
        },
        domain: fleet.domain,
        foundation: { oktaClients, accessIdentityProvider, vaultKubernetesAuth },
        cloudflare: { accountId: edge.accountId, zoneId: edge.zoneId },
        workload: {
          image: fleet.workload.image,
          port: fleet.workload.port,
          healthCommand: fleet.workload.healthCommand,
          resources: fleet.workload.resources as WorkloadResources | undefined,
        },
        vault: { address: fleet.vault?.address, egress: fleet.vault?.egress as VaultEgress | undefined },
        audit: {
          retentionDays: fleet.audit?.retentionDays,
          jurisdiction: fleet.audit?.jurisdiction,
          alertWebhookUrl: alertWebhook.stringValue,
        },
        tokenTtlMinutes: fleet.tokenTtlMinutes,
      });
    }
    built.push(stack);
  }
  return built;
}
