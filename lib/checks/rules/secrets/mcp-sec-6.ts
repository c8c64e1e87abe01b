import { namesTenantsRoot } from '../../../core/vault-paths';
import { ownerTenant } from '../../../model/tenancy';
import { appHasAuditDevice, readValue } from '../../../model/vault';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';

/** A tenant mount: its path names `tenants/`, or it sits in a tenant's cell. */
function isTenantMount(stack: SynthesizedStack, entry: ResourceEntry): boolean {
  if (ownerTenant(stack, entry) !== undefined) return true;
  const path = readValue(stack, entry.body.path);
  return path.ok && typeof path.value === 'string' && namesTenantsRoot(path.value);
}

/**
 * MCP-SEC-6: an app with tenant mounts declares a Vault audit device in one of its stacks, or records
 * (as a reasoned suppression) that the Vault it deploys to already has one.
 */
export const MCP_SEC_6: Rule = {
  id: 'MCP-SEC-6',
  level: 'warning',
  layer: 'secrets',
  cause: 'tenant Vault mounts exist but no stack of the app declares a Vault audit device',
  explanation:
    "Vault answers a request only after an enabled audit device has logged it, so an audit device is what records every read of a tenant's secrets and every use of its key. An app that creates tenant mounts should declare one (`VaultAuditDevice`, a `vault_audit` resource) in any of its stacks: a fleet's foundation stack declares it once for every cell stack. How the device logs is judged by MCP-SEC-8. Where the Vault cluster already has an audit device managed elsewhere, record that: `vault.auditDevice = { assumeAuditDevice: { reason } }` (SecureMcpAccess, SecureMcpFoundation), `new VaultAuditDevice(scope, id, { assumeAuditDevice: { reason } })` or `McpAccessChecks.suppress(stack, 'MCP-SEC-6', reason)`, with a reason of 10 or more characters. The finding is reported once per stack, on its first tenant mount.",
  requires: [
    'a vault_audit device in some stack of the app, when any stack has tenant mounts',
    'or a suppression recording, with its reason, that the Vault already has an audit device managed elsewhere',
  ],
  fix: "set vault.auditDevice (SecureMcpAccess or SecureMcpFoundation) or add a VaultAuditDevice to any stack of the app; where Vault's audit device is managed elsewhere, vault.auditDevice = { assumeAuditDevice: { reason } }",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const mounts = stack
      .ofType('vault_mount')
      .filter((m) => isTenantMount(stack, m))
      .map((m) => m.address)
      .sort();
    if (mounts.length === 0) return [];
    const verdict = new Verdict(mounts[0]);
    verdict.expect(
      appHasAuditDevice(stack.app),
      `${mounts.length} tenant mounts in this stack and no vault_audit device in any of the app's ${stack.app.stacks.length} stacks`,
    );
    return [verdict.result()];
  },
};
