import { block } from '../../../model/json';
import type { SynthesizedStack } from '../../../model/stack';
import { isFalse, kubeObjects, mcpScope, SERVICE_ACCOUNT_TYPES, workloads } from '../../../model/pods';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { literal, shown, UNREADABLE, workloadVerdict } from './read';

const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/** MCP-K8S-5: no Kubernetes API token is mounted anywhere, and none is minted for an MCP service account. */
export const MCP_K8S_5: Rule = {
  id: 'MCP-K8S-5',
  level: 'error',
  layer: 'ports',
  cause:
    'a pod or service account mounts the Kubernetes API token automatically, or a token is minted for a service account of an MCP namespace',
  explanation:
    'The MCP server needs no Kubernetes API access; an automatically mounted service-account token is a credential for the cluster API sitting in every container. Kubernetes mounts it unless told not to, so set `automount_service_account_token = false` on every pod and every service account (typed, or declared through `kubernetes_manifest`). The Vault login uses a separate projected token with audience `vault` and a short expiry, which this setting does not affect. A token minted outside the pod for a service account of an MCP namespace (`kubernetes_token_request_v1`, or a secret of type `kubernetes.io/service-account-token`) is a credential that can log in to Vault as the tenant, so none may be declared.',
  requires: [
    'automount_service_account_token = false on every pod and every service account',
    'no kubernetes_token_request_v1 and no secret of type kubernetes.io/service-account-token in an MCP namespace',
  ],
  fix: 'do not override automount_service_account_token (LoopbackMcpDeployment sets false on the pod and the service account), and mint no token for a service account of an MCP namespace',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const workload of workloads(stack)) {
      const verdict = workloadVerdict(workload);
      const automount = literal(
        stack,
        verdict,
        'automount_service_account_token',
        workload.pod.automount_service_account_token,
      );
      if (automount !== UNREADABLE) {
        verdict.expect(isFalse(automount), 'the pod does not set automount_service_account_token = false');
      }
      results.push(verdict.result());
    }
    for (const account of kubeObjects(stack, SERVICE_ACCOUNT_TYPES, ['ServiceAccount'])) {
      const verdict = new Verdict(account.entry.address);
      const automount = literal(
        stack,
        verdict,
        'automount_service_account_token',
        account.body.automount_service_account_token,
      );
      if (automount !== UNREADABLE) {
        verdict.expect(isFalse(automount), 'the service account does not set automount_service_account_token = false');
      }
      results.push(verdict.result());
    }
    const { namespaces, isMcpNamespace } = mcpScope(stack);
    for (const request of kubeObjects(stack, ['kubernetes_token_request_v1'], [])) {
      const verdict = new Verdict(request.entry.address);
      const key = namespaces.keyOf(request.metadata.namespace);
      if (literal(stack, verdict, 'metadata.namespace', key) !== UNREADABLE && isMcpNamespace(key)) {
        verdict.fail(
          `it requests a token for service account ${shown(request.metadata.name)} of MCP namespace '${key}'`,
        );
      }
      results.push(verdict.result());
    }
    for (const secret of kubeObjects(stack, ['kubernetes_secret', 'kubernetes_secret_v1'], ['Secret'])) {
      const verdict = new Verdict(secret.entry.address);
      const type = literal(stack, verdict, 'type', secret.body.type);
      if (type !== SERVICE_ACCOUNT_TOKEN_TYPE) {
        if (type === UNREADABLE) results.push(verdict.result());
        continue;
      }
      const key = namespaces.keyOf(secret.metadata.namespace);
      if (literal(stack, verdict, 'metadata.namespace', key) !== UNREADABLE && isMcpNamespace(key)) {
        const account = block(secret.metadata.annotations)[SERVICE_ACCOUNT_NAME_ANNOTATION];
        verdict.fail(`it is a service-account token for ${shown(account ?? '(unnamed)')} in MCP namespace '${key}'`);
      }
      results.push(verdict.result());
    }
    return results;
  },
};
