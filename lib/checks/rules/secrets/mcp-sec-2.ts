import { tenantNamespaceName } from '../../../core/naming';
import { VAULT_GLOB_CHARS } from '../../../core/secrets-defaults';
import { stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { judgeTokenLifetime } from './ttl';
import { resolvedString } from '../../../model/vault';

/** Judges a binding list: exactly one entry, no wildcard. Returns the entry when it is known. */
function judgeBinding(verdict: Verdict, stack: SynthesizedStack, name: string, value: unknown): string | undefined {
  const list = stringList(value);
  if (list === 'expression') {
    verdict.unknown(name);
    return undefined;
  }
  if (list.length !== 1) verdict.fail(`${name} has ${list.length} entries (exactly one)`);
  const entries = list.map((e) => resolvedString(stack, e));
  for (const entry of entries) {
    if (entry === '' || (typeof entry === 'string' && VAULT_GLOB_CHARS.test(entry))) {
      verdict.fail(`${name} includes '${entry}' (one exact name, no wildcard)`);
    }
  }
  const [only] = entries;
  if (list.length !== 1 || only === '' || (only !== undefined && VAULT_GLOB_CHARS.test(only))) return undefined;
  if (only === 'expression' || only === undefined) {
    verdict.unknown(name);
    return undefined;
  }
  return only;
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
  const selector = body.bound_service_account_namespace_selector;
  verdict.expect(
    selector === undefined || selector === null || selector === '',
    'bound_service_account_namespace_selector is set (it admits every namespace its labels match)',
  );
  if (namespace !== undefined && entry.tenant !== undefined && namespace !== tenantNamespaceName(entry.tenant)) {
    verdict.fail(`bound_service_account_namespaces is '${namespace}', not tenant ${entry.tenant}'s namespace`);
  }
  judgeTokenLifetime(verdict, body);
  return verdict.result();
}

/** MCP-SEC-2: a Kubernetes auth role admits one exact service account, for short-lived tokens. */
export const MCP_SEC_2: Rule = {
  id: 'MCP-SEC-2',
  level: 'error',
  layer: 'secrets',
  cause:
    'a Kubernetes auth role does not bind one exact service account and namespace, or its tokens live longer than 900 s (max 3600 s) or are periodic',
  explanation:
    "A Kubernetes auth role turns a pod's service-account token into a Vault token with the role's policies. Bound to `*`, to several names, or to a namespace label selector, it admits pods of other tenants; long or periodic tokens outlive the pod and the 15-minute budget. Bind exactly one service account (`mcp-server`) in exactly one namespace (`mcp-<t>`), set `token_ttl` <= 900 and `token_max_ttl` <= 3600, and never set `token_period` (periodic tokens never expire while renewed). References to a namespace or service account in the same stack are followed to their names.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack.ofType('vault_kubernetes_auth_backend_role').map((entry) => judgeRole(stack, entry));
  },
};
