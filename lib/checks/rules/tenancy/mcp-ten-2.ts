import { namedTenant } from '../../../model/tenancy';
import type { SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, nonCompliant, type Rule } from '../../rule';

/** MCP-TEN-2: the tenant metadata agrees with the tenants the resources name. */
export const MCP_TEN_2: Rule = {
  id: 'MCP-TEN-2',
  level: 'error',
  layer: 'tenancy',
  cause: "a resource names a tenant that the stack's tenant metadata does not give it",
  explanation:
    "The library records which construct paths form each tenant's cell in the stack's `//` comment block, and the review groups its report by it; but that block is a hint anyone can edit, so the rules judge resources by their own names (a namespace `mcp-<t>`, an auth server `mcp-<t>`, a scope `mcp:<t>:use`, a Vault path `tenants/<t>/...`, a bucket `mcp-audit-<t>`, ...). Where the two disagree, a resource would be reviewed and judged as another tenant's, or as shared: every resource that names a tenant must sit in that tenant's recorded cell. Build tenant resources inside the tenant's cell (`SecureMcpCell`, or a layer construct given the tenant id), and do not edit the metadata by hand.",
  requires: [
    "every resource that names tenant <t> (by its name, path or namespace) lies under a construct path the stack's metadata records for <t>",
  ],
  fix: 'build the resource inside its tenant\'s cell (SecureMcpCell or a layer construct given that tenant id); never edit `"//".mcp_access` by hand',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const entry of stack.all()) {
      const named = namedTenant(stack, entry);
      if (named === undefined) continue;
      if (entry.tenant === named) results.push(compliant(entry.address));
      else if (entry.tenant === undefined) {
        results.push(
          nonCompliant(
            entry.address,
            `it names tenant '${named}', but the stack metadata records it in no tenant's cell${entry.path ? ` (path ${entry.path})` : ' (no construct path)'}`,
          ),
        );
      } else {
        results.push(
          nonCompliant(
            entry.address,
            `it names tenant '${named}', but the stack metadata records it in tenant '${entry.tenant}'s cell`,
          ),
        );
      }
    }
    return results;
  },
};
