/**
 * The typed model of `mcp-access review`: what one or more synthesized stacks say about the five
 * layers, and (with a base) what changed. Plain data only, so `renderJson` is `JSON.stringify`.
 */
import type { Finding } from '../checks/engine';

/** The five layers, in order (docs/architecture.md). */
export type ReviewLayer = 'identity' | 'transport' | 'ports' | 'secrets' | 'audit';

/** The layers in report order. */
export const REVIEW_LAYERS: readonly ReviewLayer[] = ['identity', 'transport', 'ports', 'secrets', 'audit'];

/** How the report titles each layer. */
export const LAYER_TITLES: Readonly<Record<ReviewLayer, string>> = {
  identity: 'identity (Okta)',
  transport: 'transport (Cloudflare)',
  ports: 'ports (Kubernetes)',
  secrets: 'secrets (Vault)',
  audit: 'audit (R2, prevent_destroy)',
};

/**
 * A setting as read from the JSON: `null` when the attribute is absent; a string holding `${...}`
 * when it is an unresolved Terraform expression; lists keep their members as strings.
 */
export type SettingValue = string | number | boolean | string[] | null;

/** One security-relevant setting of one resource (or of a resource the scope lacks). */
export interface SettingReading {
  /** Id of the extractor that read it, e.g. `identity.access-token-lifetime`. */
  readonly setting: string;
  readonly layer: ReviewLayer;
  readonly label: string;
  /** The resource read; `null` when the scope has no resource of the setting's type. */
  readonly address: string | null;
  readonly value: SettingValue;
  /** The value as the report prints it (`not set`, `—` for a missing resource). */
  readonly display: string;
}

/** Finding counts by level. */
export interface FindingCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
}

/** One tenant's cell, or the shared (tenant-less) resources of a stack. */
export interface ScopeReview {
  /** The tenant id; `null` for the shared resources. */
  readonly tenant: string | null;
  readonly resources: number;
  /** Settings in layer order, then in the order of the extractor table. */
  readonly settings: readonly SettingReading[];
  readonly findings: readonly Finding[];
  readonly counts: FindingCounts;
}

/** A setting whose value differs between the base and the head. */
export interface SettingChange {
  readonly tenant: string | null;
  readonly setting: string;
  readonly layer: ReviewLayer;
  readonly label: string;
  /** Address in the head. */
  readonly address: string;
  /** Address in the base, when the resource was renamed or moved. */
  readonly baseAddress: string | null;
  readonly before: SettingValue;
  readonly after: SettingValue;
  readonly beforeDisplay: string;
  readonly afterDisplay: string;
  /** The extractor's comparator judged the change a weakening. */
  readonly weakened: boolean;
}

/**
 * What happens to a data-bearing resource (auth server, Vault mount, audit bucket or lock):
 * `removed`, `renamed` (a new address without a `moved` block) and `replaced` (an attribute that forces
 * replacement changed) destroy it; `moved` (a `moved` block) and `remounted` (a Vault mount's new
 * path, which the provider applies as a remount) keep its data.
 */
export type DataBearingChangeKind = 'removed' | 'renamed' | 'replaced' | 'moved' | 'remounted';

/** An attribute that differs between base and head. */
export interface AttributeChange {
  readonly attribute: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** A change of one data-bearing resource. */
export interface DataBearingChange {
  readonly kind: DataBearingChangeKind;
  readonly type: string;
  readonly tenant: string | null;
  /** Address in the base. */
  readonly address: string;
  /** Address in the head (renamed, moved, replaced, remounted); `null` when removed. */
  readonly newAddress: string | null;
  /** Replacement-forcing or remounting attributes that changed. */
  readonly attributes: readonly AttributeChange[];
  /** True when applying the head destroys the resource (and its data). */
  readonly destroys: boolean;
  /** One line for the reviewer. */
  readonly detail: string;
}

/** A tenant whose cell scope moved in the construct tree (its resources get new addresses). */
export interface TenantScopeChange {
  readonly tenant: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** Tenants added and removed, and tenants whose scope paths changed. */
export interface TenantChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly scopesChanged: readonly TenantScopeChange[];
}

/** Counts of changes of one resource type. */
export interface TypeChangeCount {
  readonly type: string;
  readonly added: number;
  readonly removed: number;
  /** Address changed (renamed or moved). */
  readonly renamed: number;
  /** Same resource, different body. */
  readonly changed: number;
}

/** What changed in one stack between the base and the head, in risk order. */
export interface StackChanges {
  /** The base stack compared against; `null` when the stack is new in the head. */
  readonly baseStack: string | null;
  /** 1. Weakened security settings. */
  readonly weakened: readonly SettingChange[];
  /** 1. Data-bearing resources removed, renamed, replaced (destroying), moved or remounted (keeping data). */
  readonly dataBearing: readonly DataBearingChange[];
  /** 2. New and removed tenants. */
  readonly tenants: TenantChanges;
  /** 3. Setting changes that are not weakenings. */
  readonly otherSettings: readonly SettingChange[];
  /** 3. Other changes, summarized per resource type (types without changes left out). */
  readonly byType: readonly TypeChangeCount[];
}

/** The review of one synthesized stack. */
export interface StackReview {
  readonly stack: string;
  readonly tenants: readonly string[];
  readonly resources: number;
  readonly counts: FindingCounts;
  /** One scope per tenant (sorted), then the shared resources when there are any. */
  readonly scopes: readonly ScopeReview[];
  /** Suppressions in the JSON that the rule pack refused, with why. */
  readonly refusedSuppressions: readonly string[];
  /** Present when a base was given. */
  readonly changes: StackChanges | null;
}

/** Totals over every stack. */
export interface ReviewTotals {
  readonly stacks: number;
  readonly tenants: number;
  readonly resources: number;
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
  readonly weakened: number;
  /** Data-bearing resources the head would destroy. */
  readonly destroyed: number;
}

/** The whole review. */
export interface Review {
  /** True when a base was given. */
  readonly compared: boolean;
  readonly stacks: readonly StackReview[];
  /** Stacks of the base that the head no longer has (their resources are no longer managed here). */
  readonly removedStacks: readonly string[];
  readonly totals: ReviewTotals;
  /** 1 when the head has error findings or would destroy a data-bearing resource, else 0. */
  readonly exitCode: 0 | 1;
  /** Why the exit code is 1, one line each. */
  readonly blocking: readonly string[];
}
