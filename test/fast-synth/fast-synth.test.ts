import { R2Bucket } from '@cdktf/provider-cloudflare/lib/r2-bucket';
import { ZeroTrustTunnelCloudflared } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { McpAccessChecks } from '../../lib/checks/pack';
import { App, Lazy, Testing, TerraformOutput, TerraformStack, TerraformVariable, Token } from '../../lib/core/cdktf';
import {
  enableFastSynth,
  fastSynthEnabled,
  releaseAppTokens,
  TOKEN_STACKS_ENV,
  withUnpatchedFramework,
} from '../../lib/fast-synth/fast-synth';
import { SecureMcpAccess } from '../../lib/patterns/secure-mcp-access';
import { baseProps, newStack, withProviders } from '../helpers';

/** A stack in an opted-in app. */
function fastStack(): TerraformStack {
  const stack = newStack();
  enableFastSynth(stack.node.root as App);
  return stack;
}

/** A stack with tokens of every kind: variables, references, lists, numbers, Lazy values, Fn calls. */
function richStack(): TerraformStack {
  const stack = withProviders(fastStack());
  const webhook = new TerraformVariable(stack, 'webhook', { type: 'string', sensitive: true });
  const retention = new TerraformVariable(stack, 'retention', { type: 'number' });
  new SecureMcpAccess(stack, 'Mcp', {
    ...baseProps(['acme', 'globex', 'initech']),
    audit: { alertWebhookUrl: webhook.stringValue, retentionDays: retention.numberValue },
  });
  new TerraformOutput(stack, 'lazy', { value: Lazy.stringValue({ produce: () => 'produced' }) });
  new TerraformOutput(stack, 'list', { value: Token.asList('${var.webhook}') });
  return stack;
}

const ROOT = path.join(__dirname, '../..');

/** Runs `script` in a fresh Node process and parses the JSON it prints. */
function inFreshProcess(script: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['-r', './scripts/ts-register.js', '-e', script], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, unknown>;
}

describe('enableFastSynth', () => {
  jest.setTimeout(60_000);

  test('importing the library leaves cdktf untouched; only the opt-in call changes it, for the opted-in app', () => {
    const result = inFreshProcess(`
      const cdktf = require('cdktf');
      const resolveModule = require('cdktf/lib/tokens/private/resolve');
      const traceModule = require('cdktf/lib/tokens/private/stack-trace');
      const frameworkDeps = () => Object.keys(require.cache).filter((m) => /node_modules[/](archiver|semver|json-stable-stringify)[/]/.test(m));
      const snapshot = () => ({
        resolve: resolveModule.resolve,
        trace: traceModule.captureStackTrace,
        prepare: cdktf.TerraformStack.prototype.prepareStack,
        toTerraform: cdktf.TerraformStack.prototype.toTerraform,
        deps: new Map(frameworkDeps().map((m) => [m, require.cache[m].exports])),
      });
      const before = snapshot();
      const lib = require('./lib');
      const app = new cdktf.App({ outdir: require('os').tmpdir() });
      const stack = new cdktf.TerraformStack(app, 'probe');
      lib.McpAccessChecks.of(stack);
      const afterImport = snapshot();
      const untouched = ['resolve', 'trace', 'prepare', 'toTerraform'].filter((k) => before[k] !== afterImport[k]);
      const stackOwn = Object.keys(stack).filter((k) => ['toTerraform', 'prepareStack'].includes(k));
      const swapped = [...afterImport.deps].filter(([m, exports]) => before.deps.get(m) !== exports).length;
      const state = lib.enableFastSynth(app);
      const afterOptIn = snapshot();
      process.stdout.write(JSON.stringify({
        changedByImport: untouched,
        replacedOnStack: stackOwn,
        standInsRegistered: swapped,
        frameworkDepsLoaded: before.deps.size > 0,
        changedByOptIn: ['resolve', 'trace', 'prepare', 'toTerraform'].filter((k) => before[k] !== afterOptIn[k]),
        state,
        enabled: require('./lib/fast-synth/fast-synth').fastSynthEnabled(stack),
      }));
    `);
    expect(result).toEqual({
      changedByImport: [],
      replacedOnStack: [],
      standInsRegistered: 0,
      frameworkDepsLoaded: true,
      changedByOptIn: ['resolve', 'trace', 'prepare', 'toTerraform'],
      state: { noCreationStacks: true, fastResolve: true, skipLonePreparation: true, handOverJson: true },
      enabled: true,
    });
  });

  test('refuses an App-less construct and names the supported version', () => {
    const stack = newStack();
    expect(() => enableFastSynth(stack as unknown as App)).toThrow(
      'enableFastSynth takes the App (new App()), not another construct',
    );
  });

  test("an app that did not opt in keeps cdktf's own behaviour", () => {
    fastStack();
    const plain = newStack();
    expect(fastSynthEnabled(plain)).toBe(false);
    const tunnel = new ZeroTrustTunnelCloudflared(plain, 'Tunnel', { accountId: 'a', name: 't' });
    expect(Testing.synth(plain)).toBe(withUnpatchedFramework(() => Testing.synth(plain)));
    expect(tunnel.id).toContain('TfToken');
  });

  test('the faster resolver writes byte-identical JSON', () => {
    const stack = richStack();
    const fast = JSON.stringify(stack.toTerraform());
    const original = withUnpatchedFramework(() => JSON.stringify(stack.toTerraform()));
    expect(fast.length).toBeGreaterThan(50_000);
    expect(fast).toBe(original);
    expect(Testing.synth(stack)).toBe(withUnpatchedFramework(() => Testing.synth(stack)));
  });

  test('resolution errors still name the path of the bad value', () => {
    const stack = fastStack();
    new R2Bucket(stack, 'Bucket', { accountId: 'a', name: 'b' }).addOverride('outer', { inner: [1, () => 2] });
    const message = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    const fast = message(() => stack.toTerraform());
    expect(fast).toContain('/outer/inner/1');
    expect(fast).toBe(withUnpatchedFramework(() => message(() => stack.toTerraform())));
  });

  test('keeps no token creation stack, unless asked to', () => {
    const stack = fastStack();
    const tunnel = new ZeroTrustTunnelCloudflared(stack, 'Tunnel', { accountId: 'a', name: 't' });
    const token = Token.asAny(tunnel.id) as unknown as { creationStack: string[] };
    expect(token.creationStack).toEqual([]);
    const kept = withUnpatchedFramework(() => Token.asAny(tunnel.id) as unknown as { creationStack: string[] });
    expect(kept.creationStack.join('\n')).toContain('fast-synth.test.ts');
    const withEnv = inFreshProcess(
      `const { App } = require('cdktf'); const state = require('./lib').enableFastSynth(new App({ outdir: require('os').tmpdir() }));
       const t = require('cdktf/lib/tokens/private/stack-trace');
       process.stdout.write(JSON.stringify({ state, kept: t.captureStackTrace().length > 0 }))`,
      { ...process.env, [TOKEN_STACKS_ENV]: '1' },
    );
    expect(withEnv).toEqual({
      state: { noCreationStacks: false, fastResolve: true, skipLonePreparation: true, handOverJson: true },
      kept: true,
    });
  });

  test('a lone stack skips the preparing pass; an app with two stacks keeps it for cross-stack references', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-perf-'));
    try {
      const app = new App({ outdir });
      enableFastSynth(app);
      const foundation = withProviders(new TerraformStack(app, 'foundation'));
      const cell = withProviders(new TerraformStack(app, 'cell'));
      McpAccessChecks.of(foundation);
      McpAccessChecks.of(cell);
      const bucket = new R2Bucket(foundation, 'Bucket', {
        accountId: '0123456789abcdef0123456789abcdef',
        name: 'plain-b',
      });
      new R2Bucket(cell, 'Other', { accountId: '0123456789abcdef0123456789abcdef', name: bucket.name });
      app.synth();
      const cellJson = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/cell/cdk.tf.json'), 'utf8'));
      expect(JSON.stringify(cellJson.resource.cloudflare_r2_bucket.Other.name)).toMatch(/terraform_remote_state/);
      const foundationJson = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/foundation/cdk.tf.json'), 'utf8'));
      expect(Object.keys(foundationJson.output)).toHaveLength(1);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the rule pack judges the same JSON with and without the opt-in: the handed-over object is what was written', () => {
    const reports = (fast: boolean): { text: string; findings: string[] } => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-handover-'));
      try {
        const app = new App({ outdir });
        if (fast) enableFastSynth(app);
        const stack = withProviders(new TerraformStack(app, 'one'));
        const webhook = new TerraformVariable(stack, 'webhook', { type: 'string', sensitive: true });
        const mcp = new SecureMcpAccess(stack, 'Mcp', {
          ...baseProps(['acme', 'globex']),
          audit: { alertWebhookUrl: webhook.stringValue },
        });
        mcp.cell('acme').workload.deployment.addOverride('spec.template.spec.container.0.args', ['--verbose']);
        new R2Bucket(stack, 'Plain', { accountId: '0123456789abcdef0123456789abcdef', name: 'plain' });
        app.synth();
        const text = fs.readFileSync(path.join(outdir, 'stacks/one/cdk.tf.json'), 'utf8');
        return { text, findings: (mcp.checks.lastReport?.findings ?? []).map((f) => `${f.ruleId} ${f.address}`) };
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    };
    const plain = reports(false);
    const fast = reports(true);
    expect(fast.text).toBe(plain.text);
    expect(fast.findings).toEqual(plain.findings);
  });

  describe('releaseAppTokens (for the owner of a written App, as synthesizeFleet is of each edge)', () => {
    /** cdktf's process-wide token map: how many tokens it holds. */
    const heldTokens = (): number => {
      const map = (
        global as unknown as {
          __cdktfTokenMap: { stringTokenMap: Map<string, unknown>; numberTokenMap: Map<number, unknown> };
        }
      ).__cdktfTokenMap;
      return map.stringTokenMap.size + map.numberTokenMap.size;
    };
    // A full garbage collection from inside jest (the flag is process-wide and harmless).
    v8.setFlagsFromString('--expose-gc');
    const collectGarbage = vm.runInNewContext('gc') as () => void;

    /** Builds, opts in (or not) and synthesizes an app of three tenants; returns a weak reference to it. */
    const writtenApp = (optIn: boolean, release: boolean): { app: WeakRef<App>; released: number } => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-release-'));
      try {
        const app = new App({ outdir });
        if (optIn) enableFastSynth(app);
        const stack = withProviders(new TerraformStack(app, 'one'));
        new SecureMcpAccess(stack, 'Mcp', baseProps(['acme', 'globex', 'initech']));
        app.synth();
        return { app: new WeakRef(app), released: release ? releaseAppTokens(app) : 0 };
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    };

    test('drops exactly the tokens registered since the opt-in, once; tokens made before still resolve', () => {
      const before = new TerraformStack(Testing.app(), 'before');
      const earlier = Lazy.stringValue({ produce: () => 'made before the opt-in' });
      const held = heldTokens();
      const { released } = writtenApp(true, true);
      expect(released).toBeGreaterThan(100);
      expect(heldTokens()).toBe(held);
      expect(Testing.synthScope((scope) => new TerraformOutput(scope, 'o', { value: earlier }))).toContain(
        'made before the opt-in',
      );
      expect(before.node.id).toBe('before');
    });

    test('the written app can then be collected; without the release cdktf keeps it alive', async () => {
      const released = writtenApp(true, true);
      const kept = writtenApp(true, false);
      // A WeakRef's target lives to the end of the job that made it: collect in a later one.
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();
      expect(released.released).toBeGreaterThan(100);
      expect(released.app.deref()).toBeUndefined();
      expect(kept.app.deref()).toBeDefined();
    });

    test('an app that did not opt in releases nothing, and a second release of an opted-in app nothing more', () => {
      const held = heldTokens();
      const plain = writtenApp(false, true);
      expect(plain.released).toBe(0);
      expect(heldTokens()).toBeGreaterThan(held);
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-release-')) });
      try {
        enableFastSynth(app);
        const token = new TerraformVariable(new TerraformStack(app, 'one'), 'v', { type: 'string' }).stringValue;
        expect(token).toContain('TfToken');
        expect(releaseAppTokens(app)).toBeGreaterThan(0);
        expect(releaseAppTokens(app)).toBe(0);
      } finally {
        fs.rmSync(app.outdir, { recursive: true, force: true });
      }
    });
  });
});
