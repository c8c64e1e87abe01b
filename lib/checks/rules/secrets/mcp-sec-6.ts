import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { booleanValue } from '../../../model/vault';
import { namesTenantsRoot } from '../../../core/vault-paths';

/** A tenant mount: in a tenant's cell, or at a `tenants/` path. */
function isTenantMount(entry: ResourceEntry): boolean {
  const path = entry.body.path;
  return entry.tenant !== undefined || (typeof path === 'string' && namesTenantsRoot(path));
}

/** An audit device must not log secrets in the clear nor token accessors unhashed. */
function judgeDevice(entry: ResourceEntry): Evaluation {
  const verdict = new Verdict(entry.address);
  const options = (entry.body.options ?? {}) as Record<string, unknown>;
  const logRaw = booleanValue(options.log_raw);
  if (logRaw === 'expression') verdict.unknown('options.log_raw');
  else verdict.expect(logRaw !== true, 'options.log_raw is true (secrets are written to the log in the clear)');
  const hmacAccessor = booleanValue(options.hmac_accessor);
  if (hmacAccessor === 'expression') verdict.unknown('options.hmac_accessor');
  else
    verdict.expect(hmacAccessor !== false, 'options.hmac_accessor is false (token accessors are logged in the clear)');
  return verdict.result();
}

/**
 * MCP-SEC-6: a stack with tenant mounts declares a Vault audit device, or records (as a reasoned
 * suppression) that the Vault it deploys to already has one.
 */
export const MCP_SEC_6: Rule = {
  id: 'MCP-SEC-6',
  level: 'warning',
  layer: 'secrets',
  cause:
    'tenant Vault mounts exist but no Vault audit device is declared, or an audit device logs secrets in the clear',
  explanation:
    "Vault answers a request only after an enabled audit device has logged it, so an audit device is what records every read of a tenant's secrets and every use of its key. A stack that creates tenant mounts should declare one (`VaultAuditDevice`, a `vault_audit` resource) with `log_raw` off and `hmac_accessor` on. Where the Vault cluster already has an audit device managed elsewhere, record that: `new VaultAuditDevice(scope, id, { assumeAuditDevice: { reason } })` or `McpAccessChecks.suppress(stack, 'MCP-SEC-6', reason)`, with a reason of 10 or more characters. The finding is reported once per stack, on its first tenant mount.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const devices = stack.ofType('vault_audit');
    const results = devices.map(judgeDevice);
    const mounts = stack
      .ofType('vault_mount')
      .filter(isTenantMount)
      .map((m) => m.address)
      .sort();
    if (mounts.length > 0) {
      const verdict = new Verdict(mounts[0]);
      verdict.expect(devices.length > 0, `${mounts.length} tenant mounts and no vault_audit device`);
      results.push(verdict.result());
    }
    return results;
  },
};
