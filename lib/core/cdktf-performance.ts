/**
 * Two costs of cdktf 0.21.0 that the synth budget cannot carry, removed without changing output.
 * cdktf 0.21.0 is the final release (the framework is archived), so the internals touched here no
 * longer move; each patch still checks the version and leaves any other version alone.
 */
import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/** The only cdktf version these patches were measured and tested against. */
export const PATCHED_CDKTF_VERSION = '0.21.0';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktfVersion: string = require('cdktf/package.json').version;

/** True when the installed cdktf is the one these patches know. */
export function cdktfIsPatchable(): boolean {
  return cdktfVersion === PATCHED_CDKTF_VERSION;
}

type CaptureStackTrace = (below?: (...args: never[]) => unknown) => string[];

/**
 * Every token and every nested-attribute reference cdktf creates captures and formats a full stack
 * trace (60 % of construction time at 100 tenants, 15 % of all synth time at 1000), read only by
 * the rare error message about a misused token. So no creation stack is kept; set
 * `MCP_ACCESS_TOKEN_STACKS=1` to keep cdktf's own behaviour while debugging such an error.
 */
const noCreationStack: CaptureStackTrace = () => [];

/** The environment variable that keeps cdktf's token creation stacks. */
export const TOKEN_STACKS_ENV = 'MCP_ACCESS_TOKEN_STACKS';

let originalCaptureStackTrace: CaptureStackTrace | undefined;

/** Stops keeping token creation stacks (once per process; a no-op on another cdktf version). */
export function installNoCreationStacks(): boolean {
  if (originalCaptureStackTrace) return true;
  if (!cdktfIsPatchable() || process.env[TOKEN_STACKS_ENV] === '1') return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module: { captureStackTrace: CaptureStackTrace } = require('cdktf/lib/tokens/private/stack-trace');
  originalCaptureStackTrace = module.captureStackTrace;
  module.captureStackTrace = noCreationStack;
  return true;
}

/**
 * `app.synth()` first resolves every element of every stack once just to find cross-stack
 * references (about 40 % of synth), then resolves them all again to write the JSON. An app with a
 * single stack has no other stack to reference, so that first pass finds nothing: skip it.
 */
export function skipPreparationWhenAlone(stack: TerraformStack): void {
  if (!cdktfIsPatchable()) return;
  const prepare = stack.prepareStack.bind(stack);
  stack.prepareStack = () => {
    if (countStacks(stack.node.root, 2) === 1) stack.ensureBackendExists();
    else prepare();
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

let originalResolve: unknown;

/** Installs the faster resolver (once per process; a no-op on another cdktf version). */
export function installFastResolve(): boolean {
  if (originalResolve) return true;
  if (!cdktfIsPatchable()) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module: { resolve: unknown } = require('cdktf/lib/tokens/private/resolve');
  originalResolve = module.resolve;
  module.resolve = makeFastResolve();
  return true;
}

/**
 * Runs `fn` with cdktf's own resolver and stack traces, then puts the faster ones back: tests use
 * it to prove that the patches change no byte of output.
 */
export function withUnpatchedFramework<T>(fn: () => T): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const resolveModule: { resolve: unknown } = require('cdktf/lib/tokens/private/resolve');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const traceModule: { captureStackTrace: unknown } = require('cdktf/lib/tokens/private/stack-trace');
  const [fastResolve, lazyTrace] = [resolveModule.resolve, traceModule.captureStackTrace];
  if (originalResolve) resolveModule.resolve = originalResolve;
  if (originalCaptureStackTrace) traceModule.captureStackTrace = originalCaptureStackTrace;
  try {
    return fn();
  } finally {
    resolveModule.resolve = fastResolve;
    traceModule.captureStackTrace = lazyTrace;
  }
}
