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
  audit: 'audit (buckets, locks, shipper)',
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

/**
 * How a change moves security: `weakened` (a wider allow-list, a longer lifetime, a lost
 * requirement), `strengthened`, `neutral`, or `unclassified` when the review has no comparator for
 * it (or cannot read a side): a person decides. Weakened and unclassified changes need a security
 * reviewer.
 */
export type ChangeClass = 'weakened' | 'strengthened' | 'neutral' | 'unclassified';

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
  /** The comparator's judgement. */
  readonly classification: ChangeClass;
  /** True when the change weakens security (`classification` is `weakened`). */
  readonly weakened: boolean;
  /** The rule that judges this setting, when one does. */
  readonly rule: string | null;
}

/**
 * A change the setting table does not describe: a resource added to or removed from a tenant's cell
 * (or the shared pieces), or attributes of a resource that no setting covers.
 */
export interface ResourceChange {
  readonly tenant: string | null;
  /** The layer of the resource; `stack` for a stack's own blocks (variables, outputs, providers, backend). */
  readonly layer: ReviewLayer | 'stack';
  readonly kind: 'added' | 'removed' | 'attributes';
  readonly type: string;
  /** Address in the head (in the base for a removal). */
  readonly address: string;
  /** The attributes that changed (for `attributes`), as dotted paths. */
  readonly attributes: readonly string[];
  readonly classification: ChangeClass;
  /** Why it is classified so, in one line. */
  readonly detail: string;
  readonly rule: string | null;
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

/** A tenant added by the change whose cell does not hold the default posture (or has findings). */
export interface DeviatingTenant {
  readonly tenant: string;
  /** What differs from the default posture, one line each (`label: value (default: value)`), or its findings. */
  readonly differences: readonly string[];
}

/** Tenants added and removed, and tenants whose scope paths changed. */
export interface TenantChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly scopesChanged: readonly TenantScopeChange[];
  /**
   * Added tenants whose cell deviates from the default posture: a person decides (unclassified).
   * An added tenant that holds the default posture with no finding is a neutral addition.
   */
  readonly addedDeviating: readonly DeviatingTenant[];
  /**
   * Tenants decommissioned by the change: the stack's metadata says so and the head keeps nothing
   * of them but data-bearing resources (and their transit key and KV configuration). The ways in
   * they lost are listed as this one line, not one by one; their data-bearing resources are judged
   * as always.
   */
  readonly decommissioned: readonly string[];
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
  /** 1. Resources added or removed, and uncovered attribute changes, that weaken security. */
  readonly weakenedResources: readonly ResourceChange[];
  /** 1. Changes the review cannot classify (settings and resources): a person decides. */
  readonly unclassified: readonly (SettingChange | ResourceChange)[];
  /** 3. Resource changes that strengthen security or are neutral. */
  readonly otherResources: readonly ResourceChange[];
  /** 1. Data-bearing resources removed, renamed, replaced (destroying), moved or remounted (keeping data). */
  readonly dataBearing: readonly DataBearingChange[];
  /** 2. New and removed tenants. */
  readonly tenants: TenantChanges;
  /** 3. Setting changes that are not weakenings. */
  readonly otherSettings: readonly SettingChange[];
  /** 3. Other changes, summarized per resource type (types without changes left out). */
  readonly byType: readonly TypeChangeCount[];
}

/**
 * The posture most tenants hold: their settings (the tenant id written `<t>`, per-tenant values such
 * as the local port folded away). A fleet's review lists the tenants that hold it in one line per
 * stack and shows only the ones that deviate or that a change touches.
 */
export interface CommonPosture {
  /** How many tenants of the stacks read hold it. */
  readonly tenants: number;
  /** Its settings, as the tenants' tables would show them. */
  readonly settings: readonly SettingReading[];
  /** Warnings every tenant holding it has (rule ids), and how many suppressed; never an error. */
  readonly warnings: readonly string[];
}

/** The review of one synthesized stack. */
export interface StackReview {
  readonly stack: string;
  readonly tenants: readonly string[];
  readonly resources: number;
  readonly counts: FindingCounts;
  /**
   * One scope per tenant that deviates from the default posture, has findings, or is touched by the
   * change (sorted), then the shared resources when there are any.
   */
  readonly scopes: readonly ScopeReview[];
  /** Tenants of the stack that hold the default posture (no error, the posture's warnings only) and no change: listed in one line. */
  readonly defaultTenants: readonly string[];
  /** Tenants decommissioned before this change (only their data is left), no error and untouched: one line. */
  readonly decommissionedTenants: readonly string[];
  /** Suppressions in the JSON that the rule pack refused, with why. */
  readonly refusedSuppressions: readonly string[];
  /** Present when a base was given. */
  readonly changes: StackChanges | null;
  /**
   * True when the report can say it all in one line: a base was given and nothing changed, no
   * error, no refused suppression, no warning beyond the default posture's, and every tenant holds
   * the default posture.
   */
  readonly quiet: boolean;
}

/**
 * A stack of the head that is byte-identical to its base, as are the stacks it reads: it was not
 * read again (its findings are the base's; `mcp-access check` judges every stack).
 */
export interface UnchangedStack {
  readonly stack: string;
  /** Its tenants, from its metadata; `null` when they could not be read without parsing it. */
  readonly tenants: number | null;
}

/** Totals over every stack. */
export interface ReviewTotals {
  readonly stacks: number;
  readonly tenants: number;
  readonly resources: number;
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
  /** Weakened settings and resources. */
  readonly weakened: number;
  /** Changes the review could not classify. */
  readonly unclassified: number;
  readonly strengthened: number;
  /** Data-bearing resources the head would destroy. */
  readonly destroyed: number;
}

/** The review's exit codes (documented in the README and `mcp-access review --help`). */
export const REVIEW_EXIT = {
  /** Nothing blocks and nothing needs a security reviewer. */
  clean: 0,
  /** Error findings, or a data-bearing resource would be destroyed: the change must not merge. */
  blocking: 1,
  /** Usage error (the command line's own code). */
  usage: 2,
  /** A weakened or unclassified change: a security reviewer must approve. */
  needsSecurityReview: 3,
} as const;

/** The whole review. */
export interface Review {
  /** True when a base was given. */
  readonly compared: boolean;
  readonly stacks: readonly StackReview[];
  /** Stacks identical to the base (and whose inputs are), summarized in one line each, not re-read. */
  readonly unchangedStacks: readonly UnchangedStack[];
  /** The posture most tenants hold; `null` when no stack read has tenants. */
  readonly defaultPosture: CommonPosture | null;
  /** Stacks of the base that the head no longer has (their resources are no longer managed here). */
  readonly removedStacks: readonly string[];
  readonly totals: ReviewTotals;
  /** {@link REVIEW_EXIT}: 1 blocking, 3 needs a security reviewer, 0 clean. */
  readonly exitCode: 0 | 1 | 3;
  /** Why the exit code is 1, one line each. */
  readonly blocking: readonly string[];
  /** Why a security reviewer must approve (exit code 3, or 1 with these too), one line per change. */
  readonly needsReview: readonly string[];
}
