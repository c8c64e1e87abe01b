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
    const tenantOfPath = (path: string | undefined): string | undefined => {
      if (path === undefined || tenantByPath.size === 0) return undefined;
      let p = path;
      for (;;) {
        const tenant = tenantByPath.get(p);
        if (tenant !== undefined) return tenant;
        const cut = p.lastIndexOf('/');
        if (cut < 0) return undefined;
        p = p.slice(0, cut);
      }
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
}
