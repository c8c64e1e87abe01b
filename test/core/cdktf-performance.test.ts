import { R2Bucket } from '@cdktf/provider-cloudflare/lib/r2-bucket';
import { ZeroTrustTunnelCloudflared } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { McpAccessChecks } from '../../lib/checks/pack';
import { App, Lazy, Testing, TerraformOutput, TerraformStack, TerraformVariable, Token } from '../../lib/core/cdktf';
import {
  cdktfIsPatchable,
  installFastResolve,
  installNoCreationStacks,
  TOKEN_STACKS_ENV,
  withUnpatchedFramework,
} from '../../lib/core/cdktf-performance';
import { SecureMcpAccess } from '../../lib/patterns/secure-mcp-access';
import { baseProps, newStack, withProviders } from '../helpers';

/** A stack with tokens of every kind: variables, references, lists, numbers, Lazy values, Fn calls. */
function richStack(): TerraformStack {
  const stack = withProviders(newStack());
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

describe('cdktf performance patches', () => {
  test('apply to the pinned cdktf and are installed once', () => {
    expect(cdktfIsPatchable()).toBe(true);
    expect(installNoCreationStacks()).toBe(true);
    expect(installFastResolve()).toBe(true);
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
    const stack = newStack();
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
    const stack = newStack();
    const tunnel = new ZeroTrustTunnelCloudflared(stack, 'Tunnel', { accountId: 'a', name: 't' });
    const token = Token.asAny(tunnel.id) as unknown as { creationStack: string[] };
    expect(token.creationStack).toEqual([]);
    const kept = withUnpatchedFramework(() => Token.asAny(tunnel.id) as unknown as { creationStack: string[] });
    expect(kept.creationStack.join('\n')).toContain('cdktf-performance.test.ts');
    const script =
      "require('./lib/core/cdktf'); const t = require('cdktf/lib/tokens/private/stack-trace'); process.stdout.write(String(t.captureStackTrace().length > 0))";
    const withEnv = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.join(__dirname, '../..'),
      env: { ...process.env, [TOKEN_STACKS_ENV]: '1' },
      encoding: 'utf8',
    });
    expect(withEnv).toBe('true');
  });

  test('a lone stack skips the preparing pass; an app with two stacks keeps it for cross-stack references', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-perf-'));
    try {
      const app = new App({ outdir });
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
});
