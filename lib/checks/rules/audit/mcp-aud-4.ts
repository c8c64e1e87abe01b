import { CROSS_TENANT_OUTCOME, VECTOR_ALERT_SINK_TYPE } from '../../../core/audit-defaults';
import { stringList } from '../../../model/json';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, nonCompliant, type Rule, undecided } from '../../rule';
import { auditView } from '../../../model/audit';

/** Why an alert sink's destination is not usable, or undefined when it is. */
function alertUriProblem(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || uri.trim() === '') return 'has no uri';
  // A Vector secret reference or a Terraform reference resolves at run or plan time.
  const byReference = uri.startsWith('SECRET[') || uri.includes('${');
  if (byReference || uri.startsWith('https://')) return undefined;
  return `sends to '${uri}', which is not https`;
}

/** Judges one Vector shipper: at least one http sink with a usable destination and inputs. */
function judgeShipper(address: string, config: JsonObject): Evaluation {
  const sinks = Object.entries(config.sinks as JsonObject).filter(
    ([, s]) => typeof s === 'object' && s !== null && (s as JsonObject).type === VECTOR_ALERT_SINK_TYPE,
  ) as [string, JsonObject][];
  if (sinks.length === 0) return nonCompliant(address, 'the audit shipper has no http sink for cross-tenant alerts');
  const problems: string[] = [];
  for (const [name, sink] of sinks) {
    const inputs = stringList(sink.inputs);
    const uriProblem = alertUriProblem(sink.uri);
    if (uriProblem) problems.push(`sink ${name} ${uriProblem}`);
    else if (inputs !== 'expression' && inputs.length === 0) problems.push(`sink ${name} has no inputs`);
    else return compliant(address);
  }
  return nonCompliant(address, problems.join('; '));
}

/** MCP-AUD-4: a tenant's audit shipper sends cross-tenant denials somewhere a human sees them. */
export const MCP_AUD_4: Rule = {
  id: 'MCP-AUD-4',
  level: 'warning',
  layer: 'audit',
  cause: 'an audit shipper has no cross-tenant alert destination',
  explanation: `A cross-tenant attempt (a token, argument or route naming another tenant, recorded with outcome ${CROSS_TENANT_OUTCOME}, or a record that claims another tenant) is the incident this library exists to prevent; a record in a bucket is evidence, not an alert. The rule reads every audit shipper, i.e. a config map holding a JSON Vector configuration with an aws_s3 sink on an R2 endpoint, and expects an http sink with an https uri (or a SECRET[...] or Terraform reference) fed by the cross-tenant route. Comply by giving TenantAuditTrail (or SecureMcpAccess) an alertWebhookUrl, ideally a sensitive variable's value; suppress with a reason when alerts are raised elsewhere, for example from the bucket.`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return auditView(stack).shippers.map((s) =>
      s.config === 'expression'
        ? undecided(s.entry.address, `data.${s.key} is an unresolved expression`)
        : judgeShipper(s.entry.address, s.config),
    );
  },
};
