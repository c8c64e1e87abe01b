/**
 * `enableFastSynth(app)`: the explicit opt-in that makes a large synth affordable on cdktf 0.21.0.
 * Importing the library changes nothing in the framework; this call does, and says so. It removes
 * three costs of cdktf 0.21.0 without changing a byte of output (tests compare with cdktf's own code
 * paths):
 * - every token and nested-attribute reference captures a formatted stack trace (60 % of
 *   construction at 100 tenants), read only by the rare error about a misused token: no creation
 *   stack is kept (process-wide; set `MCP_ACCESS_TOKEN_STACKS=1` to keep them while debugging);
 * - the token resolver builds the key path of every node it visits (half of synth at 100 tenants):
 *   for the opted-in app, a line-for-line copy joins the path only for an error message;
 * - `app.synth()` resolves every element once only to find cross-stack references: for the opted-in
 *   app, when it holds a single stack, that pass is skipped;
 * - the rule pack would read each written stack back from disk and parse it: for the opted-in app,
 *   the JSON object cdktf wrote is handed to it instead (lib/core/synthesized-json.ts);
 * - cdktf keeps every token it ever registered in one process-wide map, so an App that was written
 *   and dropped is never collected (its tokens point into its constructs): {@link releaseAppTokens}
 *   lets the one who owns an opted-in App's whole life (synthesizeFleet, one App per edge) drop the
 *   tokens registered since the opt-in once the App is written. At 10,000 tenants that is the
 *   difference between a heap that grows by each edge's tree and one that stays flat.
 * cdktf 0.21.0 is the final release (the framework is archived), so the internals touched here no
 * longer move; any other version is refused rather than patched blind.
 */
import { App, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { rememberSynthesizedJson } from '../core/synthesized-json';

/** The only cdktf version these patches were measured and tested against. */
export const PATCHED_CDKTF_VERSION = '0.21.0';

/** The environment variable that keeps cdktf's token creation stacks. */
export const TOKEN_STACKS_ENV = 'MCP_ACCESS_TOKEN_STACKS';

/** The installed cdktf version. */
export function installedCdktfVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('cdktf/package.json') as { version: string }).version;
}

/** Apps that opted in. */
const enabledApps = new WeakSet<IConstruct>();

/** cdktf 0.21.0's process-wide token map (`global.__cdktfTokenMap`, lib/tokens/private/token-map.js). */
interface CdktfTokenMap {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

/** How many tokens each map held when an app opted in: what was registered after belongs to the app's build. */
const tokenMarks = new WeakMap<IConstruct, { readonly strings: number; readonly numbers: number }>();

/** The token map, when it has the shape this module was tested against; else undefined (nothing is released). */
function cdktfTokenMap(): CdktfTokenMap | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TokenMap } = require('cdktf/lib/tokens/private/token-map') as { TokenMap: { instance(): unknown } };
  const map = TokenMap.instance() as Partial<CdktfTokenMap>;
  return map.stringTokenMap instanceof Map && map.numberTokenMap instanceof Map ? (map as CdktfTokenMap) : undefined;
}

/** What {@link enableFastSynth} changed, for tests and the bench. */
export interface FastSynthState {
  /** Token creation stacks are off (process-wide). */
  readonly noCreationStacks: boolean;
  /** The faster resolver is installed (it acts for opted-in apps only). */
  readonly fastResolve: boolean;
  /** The preparing pass is skipped for opted-in single-stack apps. */
  readonly skipLonePreparation: boolean;
  /** The JSON each written stack was computed as is handed to the rule pack. */
  readonly handOverJson: boolean;
}

type CaptureStackTrace = (below?: (...args: never[]) => unknown) => string[];
const noCreationStack: CaptureStackTrace = () => [];

let originalCaptureStackTrace: CaptureStackTrace | undefined;
let originalResolve: unknown;
let originalPrepareStack: (() => void) | undefined;
let originalToTerraform: (() => Record<string, unknown>) | undefined;

/**
 * Makes `app` synthesize faster (see the module comment); returns what is in effect. Idempotent.
 * Throws on a cdktf version other than 0.21.0, naming both versions.
 */
export function enableFastSynth(app: App): FastSynthState {
  const version = installedCdktfVersion();
  if (version !== PATCHED_CDKTF_VERSION) {
    throw new Error(
      `enableFastSynth supports cdktf ${PATCHED_CDKTF_VERSION} only, but cdktf ${version} is installed: synthesize without it`,
    );
  }
  if (!App.isApp(app)) throw new Error('enableFastSynth takes the App (new App()), not another construct');
  if (!enabledApps.has(app)) {
    const tokens = cdktfTokenMap();
    if (tokens) tokenMarks.set(app, { strings: tokens.stringTokenMap.size, numbers: tokens.numberTokenMap.size });
  }
  enabledApps.add(app);
  installFastResolve();
  installLonePreparationSkip();
  installJsonHandOver();
  return {
    noCreationStacks: installNoCreationStacks(),
    fastResolve: originalResolve !== undefined,
    skipLonePreparation: originalPrepareStack !== undefined,
    handOverJson: originalToTerraform !== undefined,
  };
}

/**
 * Drops the tokens registered since `app` opted in from cdktf's process-wide token map, so that the
 * written App can be collected; returns how many were dropped (0 for an app that did not opt in).
 * Only for the owner of the App's whole life, once it is written and nothing built since the opt-in
 * is used again: a token string made in that time no longer resolves afterwards. Maps keep their
 * insertion order, so the app's tokens are exactly the entries after the mark.
 */
export function releaseAppTokens(app: App): number {
  const mark = tokenMarks.get(app);
  const tokens = cdktfTokenMap();
  if (!mark || !tokens) return 0;
  tokenMarks.delete(app);
  let released = 0;
  const dropAfter = <K>(map: Map<K, unknown>, keep: number): void => {
    let seen = 0;
    for (const key of map.keys()) {
      if (seen++ >= keep && map.delete(key)) released++;
    }
  };
  dropAfter(tokens.stringTokenMap, mark.strings);
  dropAfter(tokens.numberTokenMap, mark.numbers);
  return released;
}

/** True when `scope`'s app opted in. */
export function fastSynthEnabled(scope: IConstruct): boolean {
  return enabledApps.has(scope.node.root);
}

/** Stops keeping token creation stacks (once per process), unless MCP_ACCESS_TOKEN_STACKS=1. */
function installNoCreationStacks(): boolean {
  if (originalCaptureStackTrace) return true;
  if (process.env[TOKEN_STACKS_ENV] === '1') return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module: { captureStackTrace: CaptureStackTrace } = require('cdktf/lib/tokens/private/stack-trace');
  originalCaptureStackTrace = module.captureStackTrace;
  module.captureStackTrace = noCreationStack;
  return true;
}

/** Skips the preparing pass of an opted-in app that holds a single stack: it has no other stack to reference. */
function installLonePreparationSkip(): void {
  if (originalPrepareStack) return;
  const prototype = TerraformStack.prototype as unknown as { prepareStack(): void; ensureBackendExists(): void };
  const prepare = prototype.prepareStack;
  originalPrepareStack = prepare;
  prototype.prepareStack = function prepareStack(this: TerraformStack) {
    if (enabledApps.has(this.node.root) && countStacks(this.node.root, 2) === 1) this.ensureBackendExists();
    else prepare.call(this);
  };
}

/**
 * Remembers what a stack of an opted-in app computed last: cdktf writes exactly that object, right
 * after the preparing pass, and the App validations (the rule pack) run after every stack is written.
 */
function installJsonHandOver(): void {
  if (originalToTerraform) return;
  const prototype = TerraformStack.prototype as unknown as { toTerraform(): Record<string, unknown> };
  const compute = prototype.toTerraform;
  originalToTerraform = compute;
  prototype.toTerraform = function toTerraform(this: TerraformStack) {
    const json = compute.call(this);
    if (enabledApps.has(this.node.root)) rememberSynthesizedJson(this, json);
    return json;
  };
}

/** Stacks in the tree under `root`, counting no further than `enough`. */
function countStacks(root: IConstruct, enough: number): number {
  let found = 0;
  const pending: IConstruct[] = [root];
  while (pending.length > 0 && found < enough) {
    const node = pending.pop() as IConstruct;
    if (TerraformStack.isStack(node)) found++;
    pending.push(...node.node.children);
  }
  return found;
}

/** A key path kept as a linked list: joined into `/a/b/c` only when an error message needs it. */
interface KeyPath {
  readonly parent: KeyPath | undefined;
  readonly key: string;
  readonly depth: number;
}

function keyPathName(path: KeyPath | undefined): string {
  const keys: string[] = [];
  for (let p = path; p; p = p.parent) keys.push(p.key);
  return '/' + keys.reverse().join('/');
}

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
/**
 * cdktf's token resolver, line for line, except that it no longer builds the key path of every
 * node it visits (`'/' + prefix.join('/')` and a new context object per node: half of synth at 100
 * tenants). The path is kept as a linked list and joined only for an error message; contexts are
 * made only where a token is resolved. Tokens see the same context fields as before.
 */
function makeFastResolve(): (obj: any, options: any) => any {
  const { StringConcat } = require('cdktf/lib/tokens/resolvable');
  const encoding = require('cdktf/lib/tokens/private/encoding');
  const { TokenMap } = require('cdktf/lib/tokens/private/token-map');
  const { Token } = require('cdktf/lib/tokens/token');
  const errors = require('cdktf/lib/errors');
  const { TokenString } = encoding;
  const tokenMap = TokenMap.instance();
  const lookupToken = tokenMap.lookupToken.bind(tokenMap);
  // Cheap tests that say exactly when cdktf's token regexes can match, so that the common string,
  // list and map without any token costs no TokenString (a fresh object and regex run per test).
  const mayHoldListToken = (x: unknown): boolean => typeof x === 'string' && x.includes('#{TfToken[');
  const NUMBER_TOKEN_SHAPE = /[-|\d.+]e[-|\d.eE+]/;
  const containsStringListToken = (xs: any[]): boolean =>
    xs.some((x) => mayHoldListToken(x) && TokenString.forListToken(x).test());
  const containsMapToken = (obj: object): boolean =>
    Object.keys(obj).some((k) => k.includes('&{TfToken[') && TokenString.forMapToken(k).test());

  function inner(obj: any, options: any, path: KeyPath | undefined): any {
    const depth = path ? path.depth : 0;
    /** A resolution context as cdktf makes it, for a token at this node. */
    function makeContext(): [any, { postProcess(x: any): any }] {
      let postProcessor: any;
      const previous = options.previousContext;
      const context: any = {
        preparing: options.preparing,
        scope: options.scope,
        suppressBraces: previous?.suppressBraces,
        ignoreEscapes: previous?.ignoreEscapes,
        warnEscapes: previous?.warnEscapes,
        iteratorContext: previous?.iteratorContext,
        registerPostProcessor(pp: any) {
          postProcessor = pp;
        },
        resolve(x: any) {
          return inner(x, { ...options, previousContext: context }, path);
        },
      };
      return [context, { postProcess: (x: any) => (postProcessor ? postProcessor.postProcess(x, context) : x) }];
    }
    const child = (key: string): KeyPath => ({ parent: path, key, depth: depth + 1 });

    if (depth > 200) throw errors.unableToResolveCircularReference(keyPathName(path));
    if (typeof obj === 'undefined') return undefined;
    if (obj === null) return null;
    if (typeof obj === 'function') throw errors.cannotResolveFunction(keyPathName(path), obj);

    if (typeof obj === 'string') {
      if (mayHoldListToken(obj) && TokenString.forListToken(obj).test()) {
        throw errors.encodedListTokenInScalarStringContext();
      }
      if (obj === Token.STRING_MAP_TOKEN_VALUE || obj === Token.ANY_MAP_TOKEN_VALUE) {
        throw errors.encodedMapTokenInScalarStringContext();
      }
      let str: any = obj;
      const previous = options.previousContext;
      if (str.includes('${TfToken[')) {
        const tokenStr = TokenString.forString(str, !previous?.ignoreEscapes, previous?.warnEscapes);
        if (tokenStr.test()) {
          const fragments = tokenStr.split(lookupToken);
          str = options.resolver.resolveString(fragments, makeContext()[0]);
        }
      }
      // RegExp#test converts a non-string result as cdktf's own test does.
      const tokenNumberStr = NUMBER_TOKEN_SHAPE.test(str) ? TokenString.forNumbers(str) : undefined;
      if (tokenNumberStr?.test()) {
        const fragments = tokenNumberStr.split((id: string) => TokenMap.instance().lookupNumberToken(parseFloat(id)));
        str = fragments.mapTokens(makeContext()[0]).join(new StringConcat());
      }
      return str;
    }

    if (typeof obj === 'number') {
      if (obj === Token.NUMBER_MAP_TOKEN_VALUE) throw errors.encodedMapTokenInScalarNumberContext();
      const token = TokenMap.instance().lookupNumberToken(obj);
      return token === undefined ? obj : makeContext()[0].resolve(token);
    }

    if (typeof obj !== 'object' || obj instanceof Date) return obj;

    if (Array.isArray(obj)) {
      if (containsStringListToken(obj)) return options.resolver.resolveList(obj, makeContext()[0]);
      if (encoding.containsNumberListTokenElement(obj))
        return options.resolver.resolveNumberList(obj, makeContext()[0]);
      const childOptions = { ...options, previousContext: makeContext()[0] };
      const out: any[] = [];
      for (let i = 0; i < obj.length; i++) {
        const value = inner(obj[i], childOptions, child(`${i}`));
        if (typeof value !== 'undefined') out.push(value);
      }
      return out;
    }

    if (containsMapToken(obj)) return options.resolver.resolveMap(obj, makeContext()[0]);

    if (encoding.unresolved(obj)) {
      const [context, postProcessor] = makeContext();
      return options.resolver.resolveToken(obj, context, postProcessor);
    }

    if (obj._children !== undefined && obj._metadata !== undefined) {
      throw errors.constructsCannotBeResolved(keyPathName(path));
    }

    const childOptions = { ...options, previousContext: makeContext()[0] };
    const result: any = {};
    for (const key of Object.keys(obj)) {
      const resolvedKey = inner(key, childOptions, path);
      if (typeof resolvedKey !== 'string') throw errors.mapKeyMustResolveToString(keyPathName(path), key, resolvedKey);
      const value = inner(obj[key], childOptions, child(key));
      if (typeof value === 'undefined') continue;
      result[resolvedKey] = value;
    }
    return result;
  }

  return (obj: any, options: any) => {
    let path: KeyPath | undefined;
    for (const key of options.prefix ?? []) path = { parent: path, key, depth: (path?.depth ?? 0) + 1 };
    return inner(obj, options, path);
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */

/** Installs the faster resolver for opted-in apps (once per process). */
function installFastResolve(): void {
  if (originalResolve) return;
  type Resolve = (obj: unknown, options: { scope?: IConstruct }) => unknown;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module: { resolve: Resolve } = require('cdktf/lib/tokens/private/resolve');
  const original = module.resolve;
  const fast = makeFastResolve();
  originalResolve = original;
  module.resolve = (obj, options) =>
    options.scope !== undefined && enabledApps.has(options.scope.node.root)
      ? fast(obj, options)
      : original(obj, options);
}

/**
 * Runs `fn` with cdktf's own resolver and stack traces, then puts the faster ones back: tests use
 * it to prove that the opt-in changes no byte of output.
 */
export function withUnpatchedFramework<T>(fn: () => T): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const resolveModule: { resolve: unknown } = require('cdktf/lib/tokens/private/resolve');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const traceModule: { captureStackTrace: unknown } = require('cdktf/lib/tokens/private/stack-trace');
  const prototype = TerraformStack.prototype as unknown as { prepareStack: unknown; toTerraform: unknown };
  const [fastResolve, lazyTrace, prepare, compute] = [
    resolveModule.resolve,
    traceModule.captureStackTrace,
    prototype.prepareStack,
    prototype.toTerraform,
  ];
  if (originalResolve) resolveModule.resolve = originalResolve;
  if (originalCaptureStackTrace) traceModule.captureStackTrace = originalCaptureStackTrace;
  if (originalPrepareStack) prototype.prepareStack = originalPrepareStack;
  if (originalToTerraform) prototype.toTerraform = originalToTerraform;
  try {
    return fn();
  } finally {
    resolveModule.resolve = fastResolve;
    traceModule.captureStackTrace = lazyTrace;
    prototype.prepareStack = prepare;
    prototype.toTerraform = compute;
  }
}
