/**
 * Loaded before the framework. cdktf 0.21.0's root module loads `archiver` (to zip module assets)
 * and `semver` (to check a terraform version when a stack moves resources) at once, about 130 ms
 * of its 250 ms load, though most apps never use either. Both are registered here as stand-ins
 * that load the real module on first use, so the same code runs, later. Only for cdktf 0.21.0
 * (the final release), and only when the framework is not loaded yet.
 */
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const NodeModule: { new (id: string): NodeJS.Module } = require('module');

/** Registers a stand-in for `request` as cdktf resolves it from `fromModule`; returns whether it did. */
function deferModule(request: string, fromModule: string, callable: boolean): boolean {
  let resolved: string;
  try {
    resolved = require.resolve(request, { paths: [path.dirname(require.resolve(fromModule))] });
  } catch {
    return false;
  }
  if (require.cache[resolved]) return false;
  let real: unknown;
  const load = (): Record<string | symbol, unknown> & ((...args: unknown[]) => unknown) => {
    if (real === undefined) {
      delete require.cache[resolved];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require(resolved);
    }
    return real as Record<string | symbol, unknown> & ((...args: unknown[]) => unknown);
  };
  const standIn = callable
    ? (...args: unknown[]): unknown => load()(...args)
    : new Proxy({}, { get: (_target, key) => load()[key], has: (_target, key) => key in load() });
  const module = new NodeModule(resolved);
  module.filename = resolved;
  module.loaded = true;
  module.exports = standIn;
  require.cache[resolved] = module;
  return true;
}

/** True when cdktf 0.21.0 is installed and not loaded yet. */
function frameworkNotLoaded(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const version: string = require('cdktf/package.json').version;
    return version === '0.21.0' && require.cache[require.resolve('cdktf')] === undefined;
  } catch {
    return false;
  }
}

/** Which stand-ins were registered in this process (for tests). */
export const deferredFrameworkModules: readonly string[] = frameworkNotLoaded()
  ? [
      deferModule('archiver', 'cdktf/lib/private/fs', true) ? 'archiver' : undefined,
      deferModule('semver', 'cdktf/lib/validations/validate-binary-version', false) ? 'semver' : undefined,
    ].filter((m): m is string => m !== undefined)
  : [];
