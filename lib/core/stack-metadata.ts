import { type Construct, type IConstruct, TerraformStack } from './cdktf';

/** Key of the library's metadata in the stack's Terraform comment block (`"//"`). */
export const STACK_METADATA_KEY = 'mcp_access';

interface MutableMetadata {
  tenants: Record<string, string[]>;
  suppressions: { ruleId: string; reason: string; path?: string; undecidedOnly?: boolean }[];
}

const metadataByStack = new WeakMap<TerraformStack, MutableMetadata>();

/**
 * The library's metadata of a stack, written into `"//".mcp_access` of its synthesized JSON (a
 * comment that Terraform ignores), so that the rule pack can run from the command line too.
 */
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
 * Records a suppression of `ruleId` for the resources under `scope` (the whole stack for a stack);
 * `undecidedOnly` limits it to the findings the rule could not decide.
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
