/**
 * The explicit load-time opt-in, for `node -r cdktf-mcp-access/preload` (or `-r` this file): it acts
 * only when loaded before the framework, and importing the library never loads it. cdktf 0.21.0's root module loads `archiver` (to zip module assets)
 * and `semver` (to check a terraform version when a stack moves resources) at once, about 130 ms
 * of its 250 ms load, though most apps never use either. Both are registered here as stand-ins
 * that load the real module on first use, so the same code runs, later. And cdktf writes every
 * stack with `json-stable-stringify`, 2.5 times slower than the same sorted, indented output built
 * on the native `JSON.stringify` (8 % of a 1000-tenant synth): that call gets the faster writer.
 * Only for cdktf 0.21.0 (the final release), and only when the framework is not loaded yet.
 *
 * It also keeps a V8 code cache of the modules loaded after it (./compile-cache.ts), so that a second
 * synth skips compiling what the first compiled (`MCP_ACCESS_COMPILE_CACHE=0` turns that off).
 */
import * as path from 'path';
import { type CompileCacheState, enableCompileCache } from './compile-cache';

/** The code cache of this process (for tests and the bench). */
export const compileCache: CompileCacheState = enableCompileCache();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const NodeModule: { new (id: string): NodeJS.Module } = require('module');

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * `json-stable-stringify(value, { space: n })` for a whole n > 0 (keys sorted, `n`-space indent, empty containers
 * spread over two lines, `undefined` members dropped, `toJSON` honoured, cycles refused), built on
 * the native `JSON.stringify` for scalars and keys. Any other options go to the real module.
 */
export function fastStableStringify(real: AnyFunction): AnyFunction {
  return (value: unknown, options?: unknown): unknown => {
    const opts = options as { space?: unknown } | undefined;
    const plain =
      typeof opts === 'object' &&
      opts !== null &&
      Object.keys(opts).length === 1 &&
      Number.isInteger(opts.space) &&
      (opts.space as number) > 0;
    if (!plain) return real(value, options);
    const space = ' '.repeat(opts.space as number);
    const seen = new Set<object>();
    const write = (input: unknown, level: number): string | undefined => {
      let node = input;
      if (node && typeof (node as { toJSON?: unknown }).toJSON === 'function') {
        node = (node as { toJSON: () => unknown }).toJSON();
      }
      if (node === undefined) return undefined;
      if (typeof node !== 'object' || node === null) return JSON.stringify(node);
      const indent = '\n' + space.repeat(level);
      const item = indent + space;
      if (Array.isArray(node)) {
        let out = '[';
        for (let i = 0; i < node.length; i++) out += (i > 0 ? ',' : '') + item + (write(node[i], level + 1) || 'null');
        return out + indent + ']';
      }
      if (seen.has(node)) throw new TypeError('Converting circular structure to JSON');
      seen.add(node);
      let out = '{';
      let first = true;
      for (const key of Object.keys(node).sort()) {
        const written = write((node as Record<string, unknown>)[key], level + 1);
        if (!written) continue;
        out += (first ? '' : ',') + item + JSON.stringify(key) + ': ' + written;
        first = false;
      }
      seen.delete(node);
      return out + indent + '}';
    };
    return write(value, 0);
  };
}

/** Registers `makeStandIn(loadReal)` for `request` as cdktf resolves it from `fromModule`. */
function replaceModule(
  request: string,
  fromModule: string,
  makeStandIn: (load: () => AnyFunction) => unknown,
): boolean {
  let resolved: string;
  try {
    resolved = require.resolve(request, { paths: [path.dirname(require.resolve(fromModule))] });
  } catch {
    return false;
  }
  if (require.cache[resolved]) return false;
  let real: AnyFunction | undefined;
  const load = (): AnyFunction => {
    if (real === undefined) {
      delete require.cache[resolved];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require(resolved) as AnyFunction;
      require.cache[resolved] = standInModule;
    }
    return real;
  };
  const standInModule = new NodeModule(resolved);
  standInModule.filename = resolved;
  standInModule.loaded = true;
  standInModule.exports = makeStandIn(load);
  require.cache[resolved] = standInModule;
  return true;
}

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
      replaceModule('json-stable-stringify', 'cdktf/lib/synthesize/synthesizer', (load) =>
        fastStableStringify((value: unknown, options: unknown) => load()(value, options)),
      )
        ? 'json-stable-stringify'
        : undefined,
    ].filter((m): m is string => m !== undefined)
  : [];
