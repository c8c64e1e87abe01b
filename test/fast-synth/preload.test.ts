import { execFileSync } from 'child_process';
import * as path from 'path';
import { fastStableStringify } from '../../lib/fast-synth/preload';
import { baseProps, newStack, rawJson, withProviders } from '../helpers';
import { SecureMcpAccess } from '../../lib/patterns/secure-mcp-access';
import { TerraformVariable } from '../../lib/core/cdktf';

const ROOT = path.join(__dirname, '../..');

/** Runs `script` in a fresh Node process (the preload only acts before the framework loads). */
function inFreshProcess(script: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['-r', './scripts/ts-register.js', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, unknown>;
}

describe('framework preload', () => {
  jest.setTimeout(60_000);

  test('defers archiver and semver until cdktf uses them, and then they work', () => {
    const result = inFreshProcess(`
      const path = require('path');
      const pre = require('./lib/fast-synth/preload');
      require('cdktf');
      const from = (m) => ({ paths: [path.dirname(require.resolve(m))] });
      const archiverCore = require.resolve('archiver/lib/core', from('cdktf/lib/private/fs'));
      const semverPath = require.resolve('semver', from('cdktf/lib/validations/validate-binary-version'));
      const archiverPath = require.resolve('archiver', from('cdktf/lib/private/fs'));
      const before = archiverCore in require.cache;
      const archive = require(archiverPath)('zip');
      const satisfies = require(semverPath).satisfies('1.11.2', '>=1.5');
      process.stdout.write(JSON.stringify({
        deferred: pre.deferredFrameworkModules,
        archiverLoadedWithCdktf: before,
        archiverLoadedOnUse: archiverCore in require.cache,
        archiveHasPipe: typeof archive.pipe === 'function',
        satisfies,
      }));
    `);
    expect(result).toEqual({
      deferred: ['archiver', 'semver', 'json-stable-stringify'],
      archiverLoadedWithCdktf: false,
      archiverLoadedOnUse: true,
      archiveHasPipe: true,
      satisfies: true,
    });
  });

  test('does nothing when the framework is already loaded', () => {
    const result = inFreshProcess(`
      require('cdktf');
      process.stdout.write(JSON.stringify({ deferred: require('./lib/fast-synth/preload').deferredFrameworkModules }));
    `);
    expect(result).toEqual({ deferred: [] });
  });
});

describe('fast stable stringify', () => {
  // The module cdktf itself uses (jest's registry loads the real one).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const real = require(
    require.resolve('json-stable-stringify', {
      paths: [path.dirname(require.resolve('cdktf/lib/synthesize/synthesizer'))],
    }),
  ) as (value: unknown, options?: unknown) => string;
  const fast = fastStableStringify(real as (...args: unknown[]) => unknown);

  test('writes a synthesized stack byte for byte as cdktf does', () => {
    const stack = withProviders(newStack());
    const webhook = new TerraformVariable(stack, 'webhook', { type: 'string', sensitive: true });
    new SecureMcpAccess(stack, 'Mcp', {
      ...baseProps(['acme', 'globex']),
      audit: { alertWebhookUrl: webhook.stringValue },
    });
    const json = rawJson(stack);
    expect(fast(json, { space: 2 })).toBe(real(json, { space: 2 }));
  });

  test('matches on the corners: empty containers, undefined members, toJSON, unicode keys, numbers', () => {
    const value = {
      b: [],
      a: {},
      ä: [undefined, null, 0, -1.5e300, '', 'x"y\\z', { toJSON: () => 'from toJSON' }],
      c: { d: undefined, e: [[], [{}]], f: true },
      '10': 'ten',
      '9': 'nine',
      date: new Date(0),
    };
    for (const space of [2, 0, 4]) expect(fast(value, { space })).toBe(real(value, { space }));
    expect(fast([], { space: 2 })).toBe(real([], { space: 2 }));
    expect(fast('text', { space: 2 })).toBe(real('text', { space: 2 }));
  });

  test('refuses cycles as the original does, and hands other options to it', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => fast(cyclic, { space: 2 })).toThrow('Converting circular structure to JSON');
    const value = { b: 1, a: 2 };
    const cmp = (x: { key: string }, y: { key: string }) => (x.key < y.key ? 1 : -1);
    expect(fast(value, { cmp })).toBe(real(value, { cmp }));
    expect(fast(value)).toBe(real(value));
  });
});
