import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '../..');

/** Runs `script` in a fresh Node process (the preload only acts before the framework loads). */
function inFreshProcess(script: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as Record<string, unknown>;
}

describe('framework preload', () => {
  jest.setTimeout(60_000);

  test('defers archiver and semver until cdktf uses them, and then they work', () => {
    const result = inFreshProcess(`
      const path = require('path');
      const pre = require('./lib/core/framework-preload');
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
      deferred: ['archiver', 'semver'],
      archiverLoadedWithCdktf: false,
      archiverLoadedOnUse: true,
      archiveHasPipe: true,
      satisfies: true,
    });
  });

  test('does nothing when the framework is already loaded', () => {
    const result = inFreshProcess(`
      require('cdktf');
      process.stdout.write(JSON.stringify({ deferred: require('./lib/core/framework-preload').deferredFrameworkModules }));
    `);
    expect(result).toEqual({ deferred: [] });
  });
});
