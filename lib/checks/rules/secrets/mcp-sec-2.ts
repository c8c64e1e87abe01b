import { VAULT_TOKEN_AUDIENCE } from '../../../core/defaults';
import { tenantNamespaceName } from '../../../core/naming';
import { VAULT_GLOB_CHARS } from '../../../core/secrets-defaults';
import { ownerTenant, tenantInName } from '../../../model/tenancy';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { judgeTokenLifetime, judgeTokenPolicies, TOKEN_REQUIREMENTS } from './ttl';
import { known, readString, readStringList } from './values';

/** Judges a binding list: exactly one entry, no wildcard, read through references. Returns the entry when known. */
function judgeBinding(verdict: Verdict, stack: SynthesizedStack, name: string, value: unknown): string | undefined {
  const all = readStringList(verdict, stack, name, value);
  if (all === null) return undefined;
  const list = known(all);
  if (all.length !== 1) {
    verdict.fail(`${name} has ${all.length} entries${list.length > 0 ? ` (${list.join(', ')})` : ''} (exactly one)`);
  }
  for (const entry of list) {
    if (entry === '' || VAULT_GLOB_CHARS.test(entry)) {
      verdict.fail(`${name} includes '${entry}' (one exact name, no wildcard)`);
    }
  }
  const [only] = all;
  return all.length === 1 && typeof only === 'string' && only !== '' && !VAULT_GLOB_CHARS.test(only) ? only : undefined;
}

function judgeRole(stack: SynthesizedStack, entry: ResourceEntry): Evaluation {
  const verdict = new Verdict(entry.address);
  const body = entry.body;
  judgeBinding(verdict, stack, 'bound_service_account_names', body.bound_service_account_names);
  const namespace = judgeBinding(
    verdict,
    stack,
    'bound_service_account_namespaces',
    body.bound_service_account_namespaces,
  );
  const selector = readString(
    verdict,
    stack,
    'bound_service_account_namespace_selector',
    body.bound_service_account_namespace_selector,
  );
  if (selector !== undefined && selector !== null && selector !== '') {
    verdict.fail(
      `bound_service_account_namespace_selector is '${selector}' (it admits every namespace its labels match)`,
    );
  }
  const audience = readString(verdict, stack, 'audience', body.audience);
  if (audience === undefined) {
    verdict.fail(
      `audience is not set (Vault then accepts a service-account token of any audience; it must be '${VAULT_TOKEN_AUDIENCE}')`,
    );
  } else if (audience !== null && audience !== VAULT_TOKEN_AUDIENCE) {
    verdict.fail(`audience is '${audience}' (it must be '${VAULT_TOKEN_AUDIENCE}', the projected token's audience)`);
  }
  // The role's tenant: its name (`mcp-<t>`) or cell, else the tenant namespace it binds.
  const tenant =
    ownerTenant(stack, entry) ?? (namespace === undefined ? undefined : tenantInName('namespace', namespace));
  if (namespace !== undefined && tenant !== undefined && namespace !== tenantNamespaceName(tenant)) {
    verdict.fail(`bound_service_account_namespaces is '${namespace}', not tenant ${tenant}'s namespace`);
  }
  if (tenant === undefined && namespace !== undefined) {
    verdict.fail(`bound_service_account_namespaces is '${namespace}', which is no tenant's namespace (mcp-<t>)`);
  }
  judgeTokenLifetime(verdict, stack, entry);
  judgeTokenPolicies(verdict, stack, entry, tenant);
  return verdict.result();
}

/** MCP-SEC-2: a Kubernetes auth role admits one exact service account, for short-lived tokens of its tenant's policies. */
export const MCP_SEC_2: Rule = {
  id: 'MCP-SEC-2',
  level: 'error',
  layer: 'secrets',
  cause:
    "a Kubernetes auth role does not bind one exact service account in its tenant's namespace with audience vault, or its tokens live longer than 900 s (max 3600 s), are periodic, or carry a policy other than its tenant's",
  explanation:
    "A Kubernetes auth role turns a pod's service-account token into a Vault token with the role's policies. Bound to `*`, to several names, to a namespace label selector or to a namespace other than `mcp-<t>`, it admits pods of other tenants; without `audience = \"vault\"` it accepts any service-account token of the pod (the API server's audience included); long or periodic tokens outlive the pod and the 15-minute budget; and a policy other than the tenant's own (Vault's `default` policy, a shared or another tenant's policy) gives the MCP server more than its tenant. Bind exactly one service account (`mcp-server`) in exactly one namespace (`mcp-<t>`), set `token_ttl` <= 900 and `token_max_ttl` <= 3600, never set `token_period`, and name only the tenant's policies with `token_no_default_policy = true`. Values are read through variables (their literal default), locals, references to resources and outputs of other stacks of the app; a value that cannot be read is an error.",
  requires: [
    'bound_service_account_names: exactly one name, no wildcard',
    "bound_service_account_namespaces: exactly one name, mcp-<t> of the role's tenant (role_name mcp-<t>), no wildcard; no bound_service_account_namespace_selector",
    `audience = "${VAULT_TOKEN_AUDIENCE}"`,
    ...TOKEN_REQUIREMENTS,
  ],
  fix: "use TenantVaultSecrets' Kubernetes role (workload.namespace and workload.serviceAccountName; tokenTtlSeconds 60-900, tokenMaxTtlSeconds up to 3600) and remove overrides of its bindings, audience, token_period or token_policies",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack.ofType('vault_kubernetes_auth_backend_role').map((entry) => judgeRole(stack, entry));
  },
};
