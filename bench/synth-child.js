// One measurement in a fresh process: synthesizes SecureMcpAccess for N tenants with the built
// library (dist/), in-process (app.synth(), not the CLI), and prints one JSON line of figures.
'use strict';
const started = process.hrtime.bigint();
const fs = require('fs');
const os = require('os');
const path = require('path');

const tenants = Number(process.argv[2] || '1');
// `fast` (the default) opts in with enableFastSynth(app), as the examples do; `plain` does not.
const mode = process.argv[3] || 'fast';
if (mode === 'fast' && process.env.BENCH_PRELOAD !== '0') require('../preload');
const lib = require('../dist');
const { CloudflareProvider } = require('@cdktf/provider-cloudflare/lib/provider');
const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider');
const { OktaProvider } = require('@cdktf/provider-okta/lib/provider');
const { TimeProvider } = require('@cdktf/provider-time/lib/provider');
const { VaultProvider } = require('@cdktf/provider-vault/lib/provider');
const { App, TerraformStack } = require('cdktf');
const loadedMs = Number(process.hrtime.bigint() - started) / 1e6;

const outdir = process.env.BENCH_KEEP_OUT || fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-'));
const synthStart = process.hrtime.bigint();
const app = new App({ outdir });
if (mode === 'fast') lib.enableFastSynth(app);
const stack = new TerraformStack(app, 'bench');
new OktaProvider(stack, 'okta', {});
new CloudflareProvider(stack, 'cloudflare', {});
new KubernetesProvider(stack, 'kubernetes', {});
new VaultProvider(stack, 'vault', {});
new TimeProvider(stack, 'time', {});
const mcp = new lib.SecureMcpAccess(stack, 'Mcp', {
  domain: 'mcp.example.com',
  // Explicit local ports: the defaults (a hash of the id) of 1,000 tenants collide, which the pattern refuses.
  tenants: Array.from({ length: tenants }, (_, i) => ({
    id: `t${String(i + 1).padStart(4, '0')}`,
    localPort: 10000 + i,
  })),
  okta: { orgUrl: 'https://example.okta.com' },
  cloudflare: { accountId: '0123456789abcdef0123456789abcdef', zoneId: 'fedcba9876543210fedcba9876543210' },
  workload: { image: `ghcr.io/acme/mcp@sha256:${'ab12'.repeat(16)}`, port: 8080, healthCommand: ['/mcp', 'health'] },
});
app.synth();
const synthMs = Number(process.hrtime.bigint() - synthStart) / 1e6;

const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/bench/cdk.tf.json'), 'utf8'));
let resources = 0;
for (const block of [json.resource || {}, json.data || {}]) {
  for (const instances of Object.values(block)) resources += Object.keys(instances).length;
}
if (!process.env.BENCH_KEEP_OUT) fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    tenants,
    loadedMs,
    synthMs,
    checksMs: mcp.checks.lastDurationMs,
    resources,
    errors: mcp.checks.lastReport.findings.filter((f) => f.level === 'error').length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
