import { walkStrings, joinPath } from './json';
/** A read-only view of one stack's synthesized Terraform JSON, indexed once for the rules. */

/** The JSON object of one resource, data source, variable or output. */
export type JsonObject = Record<string, unknown>;

/** Where the library keeps its own metadata inside the synthesized JSON (a Terraform comment key). */
export const METADATA_KEY = 'mcp_access';

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

/** A suppression as recorded in the synthesized JSON. */
export interface SuppressionRecord {
  readonly ruleId: string;
  readonly reason: string;
  /** Construct path the suppression covers; the whole stack when absent. */
  readonly path?: string;
  /**
   * Covers only findings the rule could not decide (an error-level rule may be accepted this way:
   * what it can see is still judged).
   */
  readonly undecidedOnly?: boolean;
}

/** The library's metadata inside the synthesized JSON. */
export interface StackMetadata {
  /** Tenant id -> construct paths of that tenant's cell scopes. */
  readonly tenants?: Record<string, string[]>;
  readonly suppressions?: SuppressionRecord[];
}

/** Every string of one resource, flat, in the order a walk meets them. */
export interface StringLeaves {
  readonly texts: readonly string[];
  /** The attribute that holds each string (list positions skipped). */
  readonly keys: readonly string[];
  /** The dotted path of string `i`, e.g. `spec.template.spec.container[0].args[2]` (computed on demand). */
  pathOf(i: number): string;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

  constructor(json: JsonObject, name = 'stack') {
    this.name = name;
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
