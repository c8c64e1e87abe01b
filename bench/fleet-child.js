// One fleet measurement in a fresh process, on the built library (dist/): generates a fleet of N
// tenants over E edges (Cloudflare accounts), places it, and synthesizes and checks it with
// synthesizeFleet, as examples/fleet does; with `shard`, only the first cell stack and the stacks it
// reads (what a CI job of one shard does). Prints one JSON line of figures.
//   node bench/fleet-child.js <tenants> <edges> [all|shard]
'use strict';
const started = process.hrtime.bigint();
const fs = require('fs');
const os = require('os');
const path = require('path');

const tenants = Number(process.argv[2] || '1000');
const edges = Number(process.argv[3] || '5');
const scope = process.argv[4] || 'all';
if (process.env.BENCH_PRELOAD !== '0') require('../preload');
const lib = require('../dist');
const { CloudflareProvider } = require('@cdktf/provider-cloudflare/lib/provider');
const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider');
const { OktaProvider } = require('@cdktf/provider-okta/lib/provider');
const { TimeProvider } = require('@cdktf/provider-time/lib/provider');
const { VaultProvider } = require('@cdktf/provider-vault/lib/provider');
const { S3Backend, TerraformVariable } = require('cdktf');
const loadedMs = Number(process.hrtime.bigint() - started) / 1e6;

const hex = (n, seed) => (seed.repeat(32) + n.toString(16)).slice(-32);
const fleet = {
  domain: 'mcp.example.com',
  okta: { orgUrl: 'https://example.okta.com' },
  workload: { image: `ghcr.io/acme/mcp@sha256:${'ab12'.repeat(16)}`, port: 8080, healthCommand: ['/mcp', 'health'] },
  audit: { retentionDays: 365 },
  edges: Array.from({ length: edges }, (_, i) => ({
    name: `edge-${String(i + 1).padStart(2, '0')}`,
    accountId: hex(i + 1, 'a'),
    zoneId: hex(i + 1, 'b'),
    teamDomain: `edge-${i + 1}.cloudflareaccess.com`,
    limits: { dnsRecords: 3500 },
  })),
  tenants: Array.from({ length: tenants }, (_, i) => ({ id: `t${String(i + 1).padStart(5, '0')}` })),
};

/** As examples/fleet configures each stack: providers (credentials from the environment) and encrypted state. */
function configureStack(stack, kind) {
  const token = new TerraformVariable(stack, 'okta_api_token', { type: 'string', sensitive: true });
  new OktaProvider(stack, 'okta', { apiToken: token.stringValue, backoff: true, maxApiCapacity: 50 });
  if (kind !== 'okta') new CloudflareProvider(stack, 'cloudflare', {});
  if (kind === 'cells') new KubernetesProvider(stack, 'kubernetes', {});
  if (kind === 'shared' || kind === 'cells') new VaultProvider(stack, 'vault', {});
  if (kind === 'foundation' || kind === 'cells') new TimeProvider(stack, 'time', {});
  new S3Backend(stack, {
    bucket: 'example-mcp-fleet-state',
    key: `mcp-fleet/${stack.node.id}.tfstate`,
    region: 'eu-west-1',
    encrypt: true,
    kmsKeyId: 'alias/mcp-fleet-state',
    dynamodbTable: 'mcp-fleet-state-lock',
  });
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-fleet-'));
// The first placement writes the lock file; every later synth (a CI job) reads it back and places
// only new tenants, which is what is timed.
const firstStart = process.hrtime.bigint();
const lock = lib.renderLock(lib.placeFleet(fleet, [], 'fleet.lock.jsonl'));
const firstPlacementMs = Number(process.hrtime.bigint() - firstStart) / 1e6;
const synthStart = process.hrtime.bigint();
const placements = lib.placeFleet(fleet, lib.parseLock(lock, 'fleet.lock.jsonl'), 'fleet.lock.jsonl');
const placedMs = Number(process.hrtime.bigint() - synthStart) / 1e6;
const shards = scope === 'shard' ? [placements[0].cell] : undefined;
const result = lib.synthesizeFleet({
  fleet,
  placements,
  outdir,
  shards,
  configureStack,
  onApp: (app) => lib.enableFastSynth(app),
});
const synthMs = Number(process.hrtime.bigint() - synthStart) / 1e6;
let shardTenants = 0;
if (shards) shardTenants = placements.filter((p) => p.cell === shards[0]).length;
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    tenants,
    edges,
    scope,
    stacks: result.stacks.length,
    shardTenants,
    loadedMs,
    firstPlacementMs,
    placedMs,
    synthMs,
    errors: result.reports.reduce((n, r) => n + r.findings.filter((f) => f.level === 'error').length, 0),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
