/**
 * The library's metadata in a synthesized stack, in one place: its format (read by the JSON model,
 * the rule pack and the review) and how constructs record it. It lives in the stack's Terraform
 * comment block (`"//".mcp_access`), which Terraform ignores, so that the rule pack can run from the
 * command line too. It is a hint: rules judge resources by their own names, never by it alone.
 */
import { type Construct, type IConstruct, TerraformStack } from './cdktf';

/** Key of the library's metadata in the stack's Terraform comment block (`"//"`). */
export const STACK_METADATA_KEY = 'mcp_access';

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
  readonly tenants?: Readonly<Record<string, readonly string[]>>;
  readonly suppressions?: readonly SuppressionRecord[];
  /**
   * Tenants decommissioned in this stack: every way in is gone, their data-bearing resources stay
   * until retention ends (rule MCP-TEN-3 holds them to it; the review reports a decommission).
   */
  readonly decommissioned?: readonly string[];
}

interface MutableMetadata {
  tenants: Record<string, string[]>;
  suppressions: SuppressionRecord[];
  decommissioned?: string[];
}

const metadataByStack = new WeakMap<TerraformStack, MutableMetadata>();

function metadataOf(stack: TerraformStack): MutableMetadata {
  let meta = metadataByStack.get(stack);
  if (!meta) {
    meta = { tenants: {}, suppressions: [] };
    metadataByStack.set(stack, meta);
    stack.addOverride(`//.${STACK_METADATA_KEY}`, meta);
  }
  return meta;
}

/**
 * Marks `scope` as (part of) the cell of `tenantId`: every resource under it belongs to that tenant.
 * Rules use this to keep tenants apart (MCP-TEN-1) and the review groups its report by it.
 */
export function recordTenantScope(scope: IConstruct, tenantId: string): void {
  const meta = metadataOf(TerraformStack.of(scope));
  const paths = meta.tenants[tenantId] ?? (meta.tenants[tenantId] = []);
  const path = scope.node.path;
  // A scope inside one already recorded (a layer inside its tenant's cell) adds nothing.
  if (!paths.some((p) => path === p || path.startsWith(`${p}/`))) paths.push(path);
}

/**
 * Marks `tenantId` as decommissioned in the stack of `scope` (and `scope` as part of its cell): the
 * rule pack then refuses any way into the tenant that is still declared anywhere in the app.
 */
export function recordDecommissioned(scope: IConstruct, tenantId: string): void {
  recordTenantScope(scope, tenantId);
  const meta = metadataOf(TerraformStack.of(scope));
  const list = meta.decommissioned ?? (meta.decommissioned = []);
  if (!list.includes(tenantId)) {
    list.push(tenantId);
    list.sort();
  }
}

/**
 * Records a suppression of `ruleId` for the resources under `scope` (the whole stack for a stack);
 * `undecidedOnly` limits it to the findings the rule could not decide. The rule pack decides whether
 * it is honoured (warning-level rules only, a reason of 10+ characters): this is the public
 * suppression path for constructs, which never import the rule pack.
 */
export function recordSuppression(scope: Construct, ruleId: string, reason: string, undecidedOnly = false): void {
  const stack = TerraformStack.of(scope);
  const meta = metadataOf(stack);
  meta.suppressions.push({
    ruleId,
    reason,
    ...(scope === stack ? {} : { path: scope.node.path }),
    ...(undecidedOnly ? { undecidedOnly: true } : {}),
  });
}

/** Shortest reason a suppression must give. */
export const SUPPRESSION_REASON_MIN_LENGTH = 10;
