/**
 * A V8 code cache for the CommonJS modules a synth loads, part of the load-time opt-in
 * (`node -r cdktf-mcp-access/preload`). A synth runs most of its code once: at one tenant, parsing
 * and compiling the functions cdktf, the providers and the rule pack run takes about a third of the
 * synth. V8 can serialize what it compiled; this keeps that, per module, after a run, and hands it
 * back to V8 on the next run, so that a second synth skips the compiling.
 *
 * Written by hand because no maintained package does it on Node 20: Node's own module compile cache
 * (`module.enableCompileCache()`) arrived in Node 22.1, and is used instead where it exists;
 * `v8-compile-cache` serializes each module right after compiling it, before any of its functions
 * ran, which keeps only the top level (measured here: no gain at one tenant).
 *
 * Safety: a cached entry is used only for the same file, unchanged (path, size, modification and
 * change times, inode: any rewrite of the file, an `npm ci` included, changes its change time) and
 * the same source text (its byte length equals the file's, else the text's hash is part of the key,
 * as for TypeScript a require hook transpiled); V8 itself refuses data of another V8 version or
 * other flags, and then the module compiles as usual. Modules with a source map in use
 * (`--enable-source-maps`), a policy or a debugger waiting on the first line, and modules that call
 * `import()`, are left to Node.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const NodeModule = require('module') as {
  prototype: { _compile(content: string, filename: string): unknown };
  wrap(script: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _extensions: unknown;
  _cache: unknown;
  enableCompileCache?: (dir?: string) => unknown;
};

/** The environment variable that sets the cache folder, or turns the cache off with `0`. */
export const COMPILE_CACHE_ENV = 'MCP_ACCESS_COMPILE_CACHE';

/** What {@link enableCompileCache} did. */
export type CompileCacheState =
  | { readonly enabled: false; readonly why: string }
  | { readonly enabled: true; readonly dir: string; readonly by: 'node' | 'preload' };

interface LoadedModule {
  exports: unknown;
  require(id: string): unknown;
}

/** The cache file of this V8 and architecture: an index line of JSON, then the entries' bytes. */
function cacheFile(dir: string): string {
  return path.join(dir, `v8-${process.versions.v8}-${process.arch}.bin`);
}

function readCache(file: string): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return entries;
  }
  const newline = data.indexOf(10);
  if (newline < 0) return entries;
  try {
    const index = JSON.parse(data.subarray(0, newline).toString('utf8')) as [string, number][];
    let offset = newline + 1;
    for (const [key, length] of index) {
      if (offset + length > data.length) break;
      entries.set(key, data.subarray(offset, offset + length));
      offset += length;
    }
  } catch {
    entries.clear();
  }
  return entries;
}

function writeCache(file: string, entries: ReadonlyMap<string, Buffer>): void {
  const index = JSON.stringify([...entries].map(([key, buffer]) => [key, buffer.length]));
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, Buffer.concat([Buffer.from(`${index}\n`), ...entries.values()]));
    fs.renameSync(temporary, file);
  } catch {
    // A cache that cannot be written costs the next run its speed, nothing else.
    fs.rmSync(temporary, { force: true });
  }
}

/** The key of a module's compiled code: the file as it is on disk, and its text. */
function cacheKey(filename: string, content: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filename);
  } catch {
    return undefined;
  }
  const file = `${filename}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}`;
  // A require hook (a TypeScript transpiler) compiles other text than the file holds: key it by that text.
  const text =
    Buffer.byteLength(content) === stat.size ? '' : crypto.createHash('sha256').update(content).digest('base64');
  return `${file}\0${text}`;
}

/** Why the cache must stay off in this process, if it must. */
function reasonToStayOff(): string | undefined {
  if (process.env[COMPILE_CACHE_ENV] === '0') return `${COMPILE_CACHE_ENV}=0`;
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) return 'source maps are enabled';
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (flags.some((f) => /^--(inspect-brk|experimental-policy|policy-integrity)/.test(f))) {
    return 'a debugger or a policy is in use';
  }
  return undefined;
}

/** The default folder: `node_modules/.cache/cdktf-mcp-access` of the working directory, when it has node_modules. */
function defaultDir(): string | undefined {
  const modules = path.join(process.cwd(), 'node_modules');
  return fs.existsSync(modules) ? path.join(modules, '.cache', 'cdktf-mcp-access') : undefined;
}

let state: CompileCacheState | undefined;

/** Modules of this process whose compiled code came from the cache, and modules compiled anew. */
const stats = { reused: 0, compiled: 0 };

/** How many modules reused cached code and how many were compiled (this module's cache only). */
export function compileCacheStats(): { readonly reused: number; readonly compiled: number } {
  return { ...stats };
}

/**
 * Turns the cache on for every CommonJS module loaded from now on (once per process): Node's own
 * where it has one, else this module's. Off with `MCP_ACCESS_COMPILE_CACHE=0`; another folder with
 * `MCP_ACCESS_COMPILE_CACHE=<dir>`.
 */
export function enableCompileCache(): CompileCacheState {
  if (state) return state;
  const why = reasonToStayOff();
  const configured = process.env[COMPILE_CACHE_ENV];
  const dir = configured !== undefined && configured !== '' ? path.resolve(configured) : defaultDir();
  if (why) return (state = { enabled: false, why });
  if (dir === undefined) return (state = { enabled: false, why: 'the working directory has no node_modules' });
  if (typeof NodeModule.enableCompileCache === 'function') {
    NodeModule.enableCompileCache(dir);
    return (state = { enabled: true, dir, by: 'node' });
  }
  installHook(cacheFile(dir));
  return (state = { enabled: true, dir, by: 'preload' });
}

function installHook(file: string): void {
  const cached = readCache(file);
  /** The modules of this run, serialized at exit when the cache changes. */
  const used = new Map<string, vm.Script>();
  let changed = false;
  const original = NodeModule.prototype._compile;

  NodeModule.prototype._compile = function compileWithCache(this: LoadedModule, content: string, filename: string) {
    return compileModule(this, content, filename);
  };

  function compileModule(module: LoadedModule, content: string, filename: string): unknown {
    // `import()` needs the loader's callback, which Node 20 gives only the modules it compiles itself.
    const key = path.isAbsolute(filename) && !content.includes('import(') ? cacheKey(filename, content) : undefined;
    if (key === undefined) return original.call(module, content, filename);
    const cachedData = cached.get(key);
    const script = new vm.Script(NodeModule.wrap(content), { filename, cachedData });
    used.set(key, script);
    if (cachedData && !script.cachedDataRejected) stats.reused++;
    else {
      stats.compiled++;
      changed = true;
    }
    // What Node's own `_compile` does once the wrapper is compiled (lib/internal/modules/cjs/loader.js).
    const require = (id: string): unknown => module.require(id);
    const resolve = (request: string, options?: unknown): string =>
      NodeModule._resolveFilename(request, module, false, options);
    resolve.paths = (request: string) => NodeModule._resolveLookupPaths(request, module);
    Object.assign(require, {
      resolve,
      main: process.mainModule,
      extensions: NodeModule._extensions,
      cache: NodeModule._cache,
    });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
  }

  process.once('exit', () => {
    if (!changed) return;
    const entries = new Map<string, Buffer>();
    const files = new Set<string>();
    for (const [key, entry] of used) {
      // Serialized anew, a reused module also keeps the functions this run compiled for the first time.
      entries.set(key, entry.createCachedData());
      files.add(key.slice(0, key.indexOf('\0')));
    }
    // Modules this run did not load keep their entries; a file this run compiled anew keeps only its new one.
    for (const [key, buffer] of cached) if (!files.has(key.slice(0, key.indexOf('\0')))) entries.set(key, buffer);
    writeCache(file, entries);
  });
}
