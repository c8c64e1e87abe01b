import { TENANT_ID_SOURCE } from '../../../core/formats';
import { referencesInString } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, type Rule } from '../../rule';

const VAULT_PATH = new RegExp(`(?:^|[^a-z0-9-])tenants/(${TENANT_ID_SOURCE})(?=/|$)`, 'g');
const NAMESPACE = new RegExp(`^mcp-(${TENANT_ID_SOURCE})$`);

/**
 * Tenant ids a literal names through a Vault path (`tenants/<t>/...`) or, in a namespace attribute,
 * a tenant namespace (`mcp-<t>`). Other names that start with `mcp-` (groups `mcp-<t>-users`, policies
 * `mcp-<t>-server`) are not read as namespaces: with tenants `acme` and `acme-server` they would clash.
 */
function tenantsNamedIn(text: string, key: string): string[] {
  const named: string[] = [];
  if (text.includes('tenants/')) for (const m of text.matchAll(VAULT_PATH)) named.push(m[1]);
  if (key.endsWith('namespace') || key.endsWith('namespaces')) {
    const ns = NAMESPACE.exec(text);
    if (ns) named.push(ns[1]);
  }
  return named;
}

/** MCP-TEN-1: a tenant's resources never reach into another tenant's cell. */
export const MCP_TEN_1: Rule = {
  id: 'MCP-TEN-1',
  level: 'error',
  layer: 'tenancy',
  cause: "a resource of one tenant references another tenant's resources",
  explanation:
    "Each tenant is a cell: its auth server, tunnel, namespace, Vault paths and audit bucket serve that tenant alone. A reference from one tenant's resource to another tenant's resource (or a literal naming the other tenant's Vault paths or namespace) opens a path across the tenant boundary, the worst incident this library guards against. Build every tenant's resources from that tenant's own references.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const tenants = stack.tenants;
    if (tenants.length === 0) return [];
    const known = new Set(tenants);
    const results: Evaluation[] = [];
    for (const entry of stack.all()) {
      const own = entry.tenant;
      if (own === undefined) continue;
      // A lone tenant has no other tenant to reach in this stack: nothing to look for.
      if (tenants.length === 1) {
        results.push(compliant(entry.address));
        continue;
      }
      const verdict = new Verdict(entry.address);
      const references = new Set<string>();
      const { texts, keys, pathOf } = stack.strings(entry);
      for (let i = 0; i < texts.length; i++) {
        referencesInString(texts[i], references);
        for (const other of tenantsNamedIn(texts[i], keys[i])) {
          if (other !== own && known.has(other)) verdict.fail(`${pathOf(i)} names tenant '${other}'`);
        }
      }
      for (const ref of references) {
        const target = stack.find(ref);
        if (target?.tenant !== undefined && target.tenant !== own) {
          verdict.fail(`references ${ref} of tenant '${target.tenant}'`);
        }
      }
      results.push(verdict.result());
    }
    return results;
  },
};
