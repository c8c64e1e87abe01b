import { isHttpsUrl } from '../../../core/formats';
import { MCP_ENV } from '../../../core/ports-defaults';
import { blocks } from '../../../model/json';
import { isMcpContainer, mcpScope, type ContainerView, type WorkloadView } from '../../../model/pods';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { readString } from './values';

const VAULT_ADDR = MCP_ENV.vaultAddress;

/**
 * One container's `VAULT_ADDR` (the model has followed its references already): every entry an https
 * URL; the MCP container must set one.
 */
function judgeContainer(verdict: Verdict, stack: SynthesizedStack, container: ContainerView): void {
  const entries = blocks(container.body.env).filter((e) => e.name === VAULT_ADDR);
  const mcp = isMcpContainer(container);
  if (entries.length === 0) {
    if (!mcp) return;
    if (blocks(container.body.env_from).length > 0) {
      verdict.undecided(
        `${container.label} sets no ${VAULT_ADDR} in env, and env_from may set it: the rule cannot read it`,
      );
    } else {
      verdict.fail(`${container.label} sets no ${VAULT_ADDR} (Vault's https address)`);
    }
    return;
  }
  for (const env of entries) {
    if (env.value === undefined && env.value_from !== undefined) {
      verdict.undecided(`${VAULT_ADDR} of ${container.label} comes from value_from, which the rule cannot read`);
      continue;
    }
    const address = readString(verdict, stack, `${VAULT_ADDR} of ${container.label}`, env.value);
    if (address === null) continue;
    if (address === undefined || !isHttpsUrl(address)) {
      verdict.fail(
        `${VAULT_ADDR} of ${container.label} is ${address === undefined ? 'empty' : `'${address}'`} (an https URL without credentials)`,
      );
    }
  }
}

function judgeWorkload(stack: SynthesizedStack, workload: WorkloadView): Evaluation {
  const verdict = new Verdict(workload.entry.address);
  for (const container of workload.containers) judgeContainer(verdict, stack, container);
  for (const why of workload.unreadable) verdict.undecided(why);
  return verdict.result();
}

/** MCP-SEC-9: the MCP server reaches Vault over https only. */
export const MCP_SEC_9: Rule = {
  id: 'MCP-SEC-9',
  level: 'error',
  layer: 'secrets',
  cause: 'an MCP container reaches Vault at an address that is not an https URL (VAULT_ADDR)',
  explanation:
    "The MCP server sends its Kubernetes login token to Vault and receives its tenant's secrets from it: over http, anyone on the path (another pod's node, a compromised CNI, a mirror port) reads both. `VAULT_ADDR` of every MCP container (and of any container of an MCP pod that sets it) must be an https URL without credentials. A loopback http address is refused too: the library runs no Vault or Vault Agent inside the MCP pod (only the MCP server, cloudflared and the audit shipper), so an http loopback address would reach nothing the library declares, or whatever else listens there. The value is read through variables (their literal default), locals and references to other stacks of the app; `value_from` or an `env_from` that may set it cannot be read, and is an error.",
  requires: [
    `every MCP container sets ${VAULT_ADDR} in env, to a literal (or a reference the rule can follow to a literal) https URL without user or password`,
    `every other container of an MCP pod that sets ${VAULT_ADDR} sets an https URL`,
  ],
  fix: "set vault.address (SecureMcpAccess, SecureMcpCell or LoopbackMcpDeployment) to Vault's https URL, e.g. https://vault.vault.svc:8200",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return mcpScope(stack).mcpWorkloads.map((workload) => judgeWorkload(stack, workload));
  },
};
