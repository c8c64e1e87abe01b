import { isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { isFalse, ofTypes, SERVICE_ACCOUNT_TYPES, workloads } from '../../../model/pods';

/** MCP-K8S-5: no Kubernetes API token is mounted anywhere. */
export const MCP_K8S_5: Rule = {
  id: 'MCP-K8S-5',
  level: 'error',
  layer: 'ports',
  cause: 'a pod or service account mounts the Kubernetes API token automatically',
  explanation:
    'The MCP server needs no Kubernetes API access; an automatically mounted service-account token is a credential for the cluster API sitting in every container. Kubernetes mounts it unless told not to, so set `automount_service_account_token = false` on every pod and every service account. The Vault login uses a separate projected token with audience `vault` and a short expiry, which this setting does not affect.',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const { entry, pod } of workloads(stack)) {
      const verdict = new Verdict(entry.address);
      const automount = pod.automount_service_account_token;
      if (isExpression(automount)) verdict.unknown('automount_service_account_token');
      else verdict.expect(isFalse(automount), 'the pod does not set automount_service_account_token = false');
      results.push(verdict.result());
    }
    for (const entry of ofTypes(stack, SERVICE_ACCOUNT_TYPES)) {
      const verdict = new Verdict(entry.address);
      const automount = entry.body.automount_service_account_token;
      if (isExpression(automount)) verdict.unknown('automount_service_account_token');
      else
        verdict.expect(isFalse(automount), 'the service account does not set automount_service_account_token = false');
      results.push(verdict.result());
    }
    return results;
  },
};
