import {
  CROSS_TENANT_OUTCOME,
  crossTenantOnlyLua,
  SHIPPER_LUA_CALLS,
  SHIPPER_TAGS,
} from '../../../core/audit-defaults';
import { blocks, isExpression, isObject } from '../../../model/json';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, nonCompliant, type Rule, undecided } from '../../rule';
import {
  auditView,
  configOf,
  isFluentBitEnvReference,
  pipelinePlugins,
  pluginName,
  receives,
  unreadable,
} from '../../../model/audit';

/** True when an http output keeps only cross-tenant records (the library's processor, exactly). */
function keepsCrossTenantOnly(output: JsonObject): boolean {
  const processors = isObject(output.processors) ? blocks(output.processors.logs) : [];
  return processors.some(
    (p) => pluginName(p) === 'lua' && p.call === SHIPPER_LUA_CALLS.crossTenantOnly && p.code === crossTenantOnlyLua(),
  );
}

/** Why an http output's destination is not usable, or undefined when it is. */
function destinationProblem(output: JsonObject): string | undefined {
  const host = output.host;
  if (typeof host !== 'string' || host.trim() === '') return 'has no host';
  if (!(output.tls === 'on' || output.tls === 'true' || output.tls === true)) return 'does not use TLS';
  if (isFluentBitEnvReference(host) || isExpression(host) || /^[a-z0-9.-]+$/i.test(host)) return undefined;
  return `sends to '${host}', which is not a host name`;
}

/** Judges one shipper: an http output that receives the audit records and keeps the cross-tenant ones. */
function judgeShipper(address: string, config: JsonObject): Evaluation {
  const outputs = pipelinePlugins(config, 'outputs').filter(
    (o) => pluginName(o) === 'http' && receives(o, SHIPPER_TAGS.records),
  );
  if (outputs.length === 0)
    return nonCompliant(address, 'the audit shipper has no http output for cross-tenant alerts');
  const problems: string[] = [];
  for (const o of outputs) {
    const name = typeof o.alias === 'string' ? o.alias : 'http';
    const problem = destinationProblem(o);
    if (problem) problems.push(`output ${name} ${problem}`);
    else if (!keepsCrossTenantOnly(o)) problems.push(`output ${name} lacks the cross-tenant processor`);
    else return compliant(address);
  }
  return nonCompliant(address, problems.join('; '));
}

/** MCP-AUD-4: a tenant's audit shipper sends cross-tenant records somewhere a human sees them. */
export const MCP_AUD_4: Rule = {
  id: 'MCP-AUD-4',
  level: 'warning',
  layer: 'audit',
  cause: 'an audit shipper has no cross-tenant alert destination',
  explanation: `A cross-tenant attempt (a token, argument or route naming another tenant, recorded with outcome ${CROSS_TENANT_OUTCOME}, or a record that claims another tenant) is the incident this library exists to prevent; a record in a bucket is evidence, not an alert. The rule reads every audit shipper (a config map holding a Fluent Bit configuration with an s3 output) and expects an http output that receives the audit records over TLS, with the library's cross_tenant_only Lua processor, so that each cross-tenant record is posted on its own. The same webhook receives the shipper's delivery alerts (MCP-AUD-6). Suppress with a reason when alerts are raised elsewhere, for example from the bucket or the cluster's logs.`,
  requires: [
    `an http output matching ${SHIPPER_TAGS.records}, with tls on and a host (a literal, or \${ALERT_WEBHOOK_HOST} from the shipper's secret)`,
    `with the Lua processor ${SHIPPER_LUA_CALLS.crossTenantOnly}, exactly as the library writes it`,
  ],
  fix: 'set audit.alertWebhookUrl (SecureMcpAccess) or alertWebhookUrl (TenantAuditTrail), ideally a sensitive TerraformVariable value; or suppress MCP-AUD-4 with the reason alerts are raised elsewhere',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return auditView(stack).shippers.map((s) => {
      const config = configOf(s);
      return config === undefined
        ? undecided(s.entry.address, unreadable(s) ?? 'the shipper config cannot be read')
        : judgeShipper(s.entry.address, config);
    });
  },
};
