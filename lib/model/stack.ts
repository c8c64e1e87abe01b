/**
 * The one model of synthesized Terraform JSON, read by the rule pack and the review alike: an app of
 * stacks, each indexed once (resources by type and address, variables, outputs, tenants, every
 * string), with the library's metadata read from the stack's comment block.
 */
import { STACK_METADATA_KEY, type StackMetadata, type SuppressionRecord } from '../core/stack-metadata';
import { isObject, type JsonObject, joinPath, walkStrings } from './json';

export type { JsonObject } from './json';
export type { StackMetadata, SuppressionRecord } from '../core/stack-metadata';

/** Where the library keeps its own metadata inside the synthesized JSON (a Terraform comment key). */
export const METADATA_KEY = STACK_METADATA_KEY;

/** One resource or data source of the stack. */
export interface ResourceEntry {
  /** `resource` or `data`. */
  readonly mode: 'resource' | 'data';
  /** Terraform type, e.g. `okta_auth_server`. */
  readonly type: string;
  /** Terraform name (the logical id). */
  readonly name: string;
  /** Terraform address: `type.name`, or `data.type.name`. */
  readonly address: string;
  /** The resource's configuration as synthesized (overrides included). */
  readonly body: JsonObject;
  /** Construct path, when the JSON carries cdktf metadata. */
  readonly path?: string;
  /** The tenant whose cell holds this resource; undefined for shared pieces. */
  readonly tenant?: string;
}

/**
 * What a value of the JSON is, once references are followed (variables with a literal default,
 * locals, attributes other resources set, outputs of other stacks read through remote state):
 * - `literal`: a value known at synth;
 * - `reference`: a computed attribute of a resource of the app (an `id`, a `client_id`), known to
 *   be that resource's, though its value comes at apply;
 * - `unknown`: an expression the model cannot follow, with why.
 */
export type Resolved =
  | { readonly kind: 'literal'; readonly value: unknown }
  | {
      readonly kind: 'reference';
      readonly stack: SynthesizedStack;
      readonly entry: ResourceEntry;
      /** The attribute path after the address, e.g. `id` or `metadata[0].name`. */
      readonly attribute: string;
    }
  | { readonly kind: 'unknown'; readonly why: string };

/** `${...}` holding one traversal and nothing else. */
const WHOLE_TRAVERSAL = /^\$\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\["[^"]*"\])*)\}$/;
const STEP = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\["([^"]*)"\]/g;

/** The steps of a traversal after its first segment. */
function stepsOf(rest: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const m of rest.matchAll(STEP)) steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] as string)));
  return steps;
}

/** Follows steps through a JSON value; a block written as an object answers `[0]` itself. */
function walkSteps(value: unknown, steps: readonly (string | number)[]): { found: boolean; value: unknown } {
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (Array.isArray(current)) current = current[step];
      else if (step !== 0 || !isObject(current)) return { found: false, value: undefined };
    } else {
      if (Array.isArray(current) && current.length === 1) current = current[0];
      if (!isObject(current) || !(step in current)) return { found: false, value: undefined };
      current = current[step];
    }
    if (current === undefined) return { found: false, value: undefined };
  }
  return { found: true, value: current };
}

/** How deep the model follows references before it gives up (a cycle, or a very long chain). */
const RESOLVE_DEPTH = 8;

/** Every string of one resource, flat, in the order a walk meets them. */
export interface StringLeaves {
  readonly texts: readonly string[];
  /** The attribute that holds each string (list positions skipped). */
  readonly keys: readonly string[];
  /** The dotted path of string `i`, e.g. `spec.template.spec.container[0].args[2]` (computed on demand). */
  pathOf(i: number): string;
}

/** A synthesized stack, as the rules see it. */
export class SynthesizedStack {
  /** Stack name (the folder under `cdktf.out/stacks`, or the stack id). */
  public readonly name: string;
  public readonly json: JsonObject;
  public readonly metadata: StackMetadata;
  private readonly entries: ResourceEntry[] = [];
  private readonly byType = new Map<string, ResourceEntry[]>();
  private readonly byAddress = new Map<string, ResourceEntry>();
  private readonly leaves = new WeakMap<ResourceEntry, StringLeaves>();

  private ownerApp?: SynthesizedApp;

  constructor(json: JsonObject, name = 'stack', app?: SynthesizedApp) {
    this.name = name;
    this.ownerApp = app;
    this.json = json;
    const comment = isObject(json['//']) ? json['//'] : {};
    this.metadata = isObject(comment[METADATA_KEY]) ? (comment[METADATA_KEY] as StackMetadata) : {};

    const tenantByPath = new Map<string, string>();
    for (const [tenant, paths] of Object.entries(this.metadata.tenants ?? {})) {
      for (const p of paths) tenantByPath.set(p, tenant);
    }
    // The tenant of a path is that of its nearest recorded ancestor. Resources share their parents'
    // paths, so each path's answer is kept (null for none): a resource costs one lookup of its parent.
    const tenantOfPrefix = new Map<string, string | null>();
    const tenantOfPrefixOf = (p: string): string | null => {
      const recorded = tenantByPath.get(p);
      if (recorded !== undefined) return recorded;
      let tenant = tenantOfPrefix.get(p);
      if (tenant === undefined) {
        const cut = p.lastIndexOf('/');
        tenant = cut < 0 ? null : tenantOfPrefixOf(p.slice(0, cut));
        tenantOfPrefix.set(p, tenant);
      }
      return tenant;
    };
    const tenantOfPath = (path: string | undefined): string | undefined => {
      if (path === undefined || tenantByPath.size === 0) return undefined;
      return tenantOfPrefixOf(path) ?? undefined;
    };

    const add = (mode: 'resource' | 'data', block: unknown): void => {
      if (!isObject(block)) return;
      for (const [type, instances] of Object.entries(block)) {
        if (!isObject(instances)) continue;
        for (const [name, body] of Object.entries(instances)) {
          if (!isObject(body)) continue;
          const meta = isObject(body['//']) && isObject(body['//'].metadata) ? body['//'].metadata : {};
          const path = typeof meta.path === 'string' ? meta.path : undefined;
          const entry: ResourceEntry = {
            mode,
            type,
            name,
            address: mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`,
            body,
            path,
            tenant: tenantOfPath(path),
          };
          this.entries.push(entry);
          const key = mode === 'data' ? `data.${type}` : type;
          const list = this.byType.get(key);
          if (list) list.push(entry);
          else this.byType.set(key, [entry]);
          this.byAddress.set(entry.address, entry);
        }
      }
    };
    add('resource', json.resource);
    add('data', json.data);
  }

  /**
   * Every string of a resource's body, walked once and shared by the rules that read every string
   * (MCP-SEC-5, MCP-TEN-1); paths are rebuilt only for the strings a rule reports.
   */
  public strings(entry: ResourceEntry): StringLeaves {
    let found = this.leaves.get(entry);
    if (!found) {
      const texts: string[] = [];
      const keys: string[] = [];
      walkStrings(entry.body, (text, key) => {
        texts.push(text);
        keys.push(key);
      });
      const body = entry.body;
      found = {
        texts,
        keys,
        pathOf: (i: number): string => {
          let n = -1;
          let path = '';
          walkStrings(body, (_text, _key, segments) => {
            if (++n === i) path = joinPath(segments);
          });
          return path;
        },
      };
      this.leaves.set(entry, found);
    }
    return found;
  }

  /** The app this stack belongs to (an app of one when it was read alone). */
  public get app(): SynthesizedApp {
    if (!this.ownerApp) this.ownerApp = SynthesizedApp.ofStack(this);
    return this.ownerApp;
  }

  /**
   * What `value` is, following references (see {@link Resolved}): a variable by its literal default, a
   * local by its value, an attribute a resource of the stack sets, and an output of another stack of
   * the app read through `terraform_remote_state`, into that stack.
   */
  public resolve(value: unknown, depth = RESOLVE_DEPTH): Resolved {
    if (typeof value !== 'string' || !value.includes('${')) return { kind: 'literal', value };
    // The JSON does not change once read: a reference resolves the same way every time it is asked.
    if (depth !== RESOLVE_DEPTH) return this.resolveExpression(value, depth);
    let resolved = this.resolved.get(value);
    if (resolved === undefined) {
      resolved = this.resolveExpression(value, depth);
      this.resolved.set(value, resolved);
    }
    return resolved;
  }

  private readonly resolved = new Map<string, Resolved>();

  private resolveExpression(value: string, depth: number): Resolved {
    const whole = WHOLE_TRAVERSAL.exec(value);
    if (!whole) return { kind: 'unknown', why: `'${value}' is an expression the rules cannot evaluate` };
    if (depth <= 0) return { kind: 'unknown', why: `'${value}' is a chain of references too long to follow` };
    const text = whole[1];
    const head = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text)![0];
    const steps = stepsOf(text.slice(head.length));
    const follow = (found: unknown, rest: readonly (string | number)[], where: string): Resolved => {
      const walked = walkSteps(found, rest);
      if (!walked.found) return { kind: 'unknown', why: `'${value}' names nothing ${where} sets` };
      return this.resolve(walked.value, depth - 1);
    };
    if (head === 'var') {
      const [name, ...rest] = steps;
      const variable = this.variables[String(name)];
      if (!variable) return { kind: 'unknown', why: `'${value}' names a variable this stack does not declare` };
      if (variable.default === undefined) {
        return { kind: 'unknown', why: `variable '${String(name)}' has no default: its value comes at plan time` };
      }
      return follow(variable.default, rest, `variable '${String(name)}'`);
    }
    if (head === 'local') {
      const [name, ...rest] = steps;
      const locals = isObject(this.json.locals) ? this.json.locals : {};
      if (!(String(name) in locals))
        return { kind: 'unknown', why: `'${value}' names a local this stack does not declare` };
      return follow(locals[String(name)], rest, `local '${String(name)}'`);
    }
    const isData = head === 'data';
    const [type, name, ...rest] = isData ? steps : [head, ...steps];
    const address = `${isData ? 'data.' : ''}${String(type)}.${String(name)}`;
    const entry = this.byAddress.get(address);
    if (!entry) return { kind: 'unknown', why: `'${value}' references ${address}, which no stack of the app declares` };
    if (isData && type === 'terraform_remote_state' && rest[0] === 'outputs') {
      return this.app.resolveRemoteOutput(this, entry, rest.slice(1), depth - 1, value);
    }
    const walked = walkSteps(entry.body, rest);
    if (rest.length > 0 && walked.found) return this.resolve(walked.value, depth - 1);
    return { kind: 'reference', stack: this, entry, attribute: joinPath(rest).replace(/^\./, '') };
  }

  /** The stack's backend: its type and configuration (`local` with no configuration when none is declared). */
  public get backend(): { readonly type: string; readonly config: JsonObject } {
    const terraform = isObject(this.json.terraform) ? this.json.terraform : {};
    const backends = isObject(terraform.backend) ? Object.entries(terraform.backend) : [];
    if (backends.length === 0) return { type: 'local', config: {} };
    const [type, config] = backends[0];
    return { type, config: isObject(config) ? config : {} };
  }

  /** Every resource and data source. */
  public all(): readonly ResourceEntry[] {
    return this.entries;
  }

  /** Resources of one Terraform type (`data.<type>` for data sources). */
  public ofType(type: string): readonly ResourceEntry[] {
    return this.byType.get(type) ?? [];
  }

  /** A resource or data source by address (`type.name` or `data.type.name`). */
  public find(address: string): ResourceEntry | undefined {
    return this.byAddress.get(address);
  }

  /** Declared variables by name. */
  public get variables(): Record<string, JsonObject> {
    return (isObject(this.json.variable) ? this.json.variable : {}) as Record<string, JsonObject>;
  }

  /** Declared outputs by name. */
  public get outputs(): Record<string, JsonObject> {
    return (isObject(this.json.output) ? this.json.output : {}) as Record<string, JsonObject>;
  }

  /** Tenant ids recorded in the stack's metadata. */
  public get tenants(): string[] {
    return Object.keys(this.metadata.tenants ?? {}).sort();
  }

  /** Tenants the stack's metadata records as decommissioned. */
  public get decommissioned(): readonly string[] {
    const list = this.metadata.decommissioned;
    return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
  }

  /** Suppressions recorded in the stack's metadata. */
  public get suppressions(): readonly SuppressionRecord[] {
    return this.metadata.suppressions ?? [];
  }
}

/** One stack's synthesized JSON and its name (the folder under `cdktf.out/stacks`, or the stack id). */
export interface StackSource {
  readonly name: string;
  readonly json: JsonObject;
}

/**
 * Where a stack keeps its state, as a `terraform_remote_state` data source names it: its backend, or
 * for a `cloud` block (HCP Terraform, Terraform Enterprise) the `remote` backend with the same
 * organization and workspace, which is how cdktf writes a cross-stack read of such a stack.
 */
function stateLocation(stack: SynthesizedStack): { readonly type: string; readonly config: JsonObject } {
  const terraform = isObject(stack.json.terraform) ? stack.json.terraform : {};
  if (isObject(terraform.cloud)) return { type: 'remote', config: terraform.cloud };
  return stack.backend;
}

/** The literal string leaves of a configuration, by dotted key (`workspaces.name` -> `cells-eu-1`). */
function literalLeaves(config: JsonObject, prefix = ''): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string' && !value.includes('${')) leaves.set(`${prefix}${key}`, value);
    else if (isObject(value)) for (const [k, v] of literalLeaves(value, `${prefix}${key}.`)) leaves.set(k, v);
  }
  return leaves;
}

/** Every stack of one app, so that references between stacks can be followed into the stack that declares them. */
export class SynthesizedApp {
  public readonly stacks: readonly SynthesizedStack[];
  private readonly byName = new Map<string, SynthesizedStack>();

  constructor(stacks: readonly StackSource[] = []) {
    this.stacks = stacks.map((s) => new SynthesizedStack(s.json, s.name, this));
    for (const stack of this.stacks) this.byName.set(stack.name, stack);
  }

  /** The app of a stack read alone. */
  public static ofStack(stack: SynthesizedStack): SynthesizedApp {
    const app = new SynthesizedApp();
    (app.stacks as SynthesizedStack[]).push(stack);
    app.byName.set(stack.name, stack);
    return app;
  }

  /** A stack by name. */
  public stack(name: string): SynthesizedStack | undefined {
    return this.byName.get(name);
  }

  /** Tenant id -> the stacks that record it as decommissioned, across the app. */
  public decommissionedTenants(): ReadonlyMap<string, readonly string[]> {
    if (!this.decommissionedCache) {
      const found = new Map<string, string[]>();
      for (const stack of this.stacks) {
        for (const tenant of stack.decommissioned) found.set(tenant, [...(found.get(tenant) ?? []), stack.name]);
      }
      this.decommissionedCache = found;
    }
    return this.decommissionedCache;
  }

  private decommissionedCache?: Map<string, string[]>;

  /**
   * The stack of the app whose state a `terraform_remote_state` data source reads: the one whose
   * backend has the same type and every configuration value the data source names (a local path, an
   * S3 bucket and key, ...).
   */
  public producerOf(remoteState: ResourceEntry): SynthesizedStack | undefined {
    const type = remoteState.body.backend;
    const config = isObject(remoteState.body.config) ? remoteState.body.config : {};
    const wanted = literalLeaves(config);
    if (typeof type !== 'string' || wanted.size === 0) return undefined;
    const matches = this.stacks.filter((s) => {
      const state = stateLocation(s);
      if (state.type !== type) return false;
      const have = literalLeaves(state.config);
      return [...wanted].every(([key, value]) => have.get(key) === value);
    });
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Follows `data.terraform_remote_state.<n>.outputs.<output>...` into the stack that declares the output. */
  public resolveRemoteOutput(
    from: SynthesizedStack,
    remoteState: ResourceEntry,
    steps: readonly (string | number)[],
    depth: number,
    text: string,
  ): Resolved {
    const producer = this.producerOf(remoteState);
    if (!producer) {
      return {
        kind: 'unknown',
        why: `'${text}' reads the state of a stack this app does not hold (${remoteState.address} in ${from.name}): synthesize that stack in the same app, or check it with the same command`,
      };
    }
    const [output, ...rest] = steps;
    const declared = producer.outputs[String(output)];
    if (!declared)
      return {
        kind: 'unknown',
        why: `'${text}' reads output '${String(output)}', which stack ${producer.name} does not declare`,
      };
    const walked = walkSteps(declared.value, rest);
    if (!walked.found)
      return {
        kind: 'unknown',
        why: `'${text}' names nothing output '${String(output)}' of stack ${producer.name} holds`,
      };
    return producer.resolve(walked.value, depth);
  }
}
