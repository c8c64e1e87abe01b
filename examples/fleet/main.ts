/**
 * A fleet: tenants described in `fleet.json` (or the file `MCP_FLEET_FILE` names), placed once on
 * edges (Cloudflare accounts) and cell stacks and recorded in `fleet.lock.jsonl` next to it (review
 * it like a package lock), synthesized as an Okta stack per org, a shared stack, a foundation stack
 * per edge and cell stacks of at most `cellSize` tenants. `MCP_FLEET_SHARDS=cells-eu-1-001,...`
 * synthesizes only those cell stacks and the stacks they read. See docs/fleets.md.
 *
 *   npx cdktf synth --app "node -r ./scripts/ts-register.js examples/fleet/main.ts"
 *   MCP_FLEET_SHARDS=cells-eu-1-001 npx cdktf synth --app "node -r ./scripts/ts-register.js examples/fleet/main.ts"
 *
 * In your own project, import from the package instead: `import { synthesizeFleet, ... } from 'cdktf-mcp-access';`
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  enableFastSynth,
  type FleetStackKind,
  placeFleet,
  readFleetDescription,
  readLock,
  renderLock,
  synthesize,
  synthesizeFleet,
  type FleetSynthResult,
} from '../../lib';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { OktaProvider } from '@cdktf/provider-okta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { S3Backend, type TerraformStack, TerraformVariable } from 'cdktf';

/** Each stack's providers (credentials from the environment only) and its encrypted remote state. */
export function configureStack(stack: TerraformStack, kind: FleetStackKind): void {
  // The okta provider authenticates with an API token (OAuth 2.0 credentials drop the groups claim
  // Cloudflare Access needs; rule MCP-ID-9), given as the sensitive TF_VAR_okta_api_token.
  const oktaApiToken = new TerraformVariable(stack, 'okta_api_token', {
    type: 'string',
    sensitive: true,
    description: 'Okta API token of the provider.',
  });
  new OktaProvider(stack, 'okta', { apiToken: oktaApiToken.stringValue, backoff: true, maxApiCapacity: 50 });
  if (kind !== 'okta') new CloudflareProvider(stack, 'cloudflare', {});
  if (kind === 'cells') new KubernetesProvider(stack, 'kubernetes', {});
  if (kind === 'shared' || kind === 'cells') new VaultProvider(stack, 'vault', {});
  // hashicorp/time rotates the audit writer tokens (foundation and cells).
  if (kind === 'foundation' || kind === 'cells') new TimeProvider(stack, 'time', {});
  // State holds the tunnel tokens and writer credentials: an encrypted bucket with locking, one key per stack.
  new S3Backend(stack, {
    bucket: 'example-mcp-fleet-state',
    key: `mcp-fleet/${stack.node.id}.tfstate`,
    region: 'eu-west-1',
    encrypt: true,
    kmsKeyId: 'alias/mcp-fleet-state',
    dynamodbTable: 'mcp-fleet-state-lock',
  });
}

/** Options of {@link runFleet}. */
export interface RunFleetOptions {
  readonly fleetFile: string;
  readonly outdir: string;
  readonly shards?: readonly string[];
}

/** Places the fleet (writing the lock file when a tenant was placed) and synthesizes it. */
export function runFleet(options: RunFleetOptions): FleetSynthResult {
  const fleet = readFleetDescription(options.fleetFile);
  const lockFile = options.fleetFile.replace(/\.json$/, '') + '.lock.jsonl';
  const placements = placeFleet(fleet, readLock(lockFile), path.basename(lockFile));
  const lock = renderLock(placements);
  if (!fs.existsSync(lockFile) || fs.readFileSync(lockFile, 'utf8') !== lock) fs.writeFileSync(lockFile, lock);
  return synthesizeFleet({
    fleet,
    placements,
    outdir: options.outdir,
    shards: options.shards,
    configureStack,
    onApp: (app) => enableFastSynth(app),
  });
}

if (require.main === module) {
  const shards = process.env.MCP_FLEET_SHARDS?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // A refusal (an invalid fleet.json, a tenant that does not fit, a rule pack error) prints once, plainly.
  synthesize(() => {
    runFleet({
      fleetFile: process.env.MCP_FLEET_FILE ?? path.join(__dirname, 'fleet.json'),
      outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out',
      shards,
    });
  });
}
