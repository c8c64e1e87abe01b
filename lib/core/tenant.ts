import { describeValue, isUnresolved, type PropsValidator } from './validation';

import { TENANT_ID_PATTERN, tenantIdProblem } from './formats';

export { RESERVED_TENANT_IDS, TENANT_ID_PATTERN, tenantIdProblem } from './formats';

/** One tenant of the MCP server: a cell of its own in every layer. */
export interface TenantSpec {
  /**
   * The tenant id. It names the tenant's construct scope, hostname, namespace, Vault paths and Okta
   * auth server, so it must never change: a new id is a new tenant.
   * Matches `^[a-z][a-z0-9-]{1,30}$`.
   */
  readonly id: string;
}

/** Records a problem for every invalid or duplicate tenant id; `prop` names the list. */
export function validateTenants(v: PropsValidator, tenants: readonly TenantSpec[] | undefined, prop = 'tenants'): void {
  if (tenants === undefined || isUnresolved(tenants) || tenants.length === 0) {
    v.fail(`${prop} must list at least one tenant, but ${describeValue(tenants ?? [])} was provided`);
    return;
  }
  const seen = new Set<string>();
  tenants.forEach((tenant, i) => {
    const id = tenant?.id;
    if (isUnresolved(id)) {
      v.fail(`${prop}[${i}].id must be a literal string (it names construct ids), but a token was provided`);
      return;
    }
    v.matches(`${prop}[${i}].id`, id, TENANT_ID_PATTERN, 'a tenant id matching ^[a-z][a-z0-9-]{1,30}$');
    const problem = typeof id === 'string' && TENANT_ID_PATTERN.test(id) ? tenantIdProblem(id) : undefined;
    if (problem) v.fail(`${prop}[${i}].id must not be '${id}': it ${problem}`);
    if (typeof id === 'string') {
      if (seen.has(id)) v.fail(`${prop}[${i}].id must be unique, but '${id}' was provided more than once`);
      seen.add(id);
    }
  });
}
