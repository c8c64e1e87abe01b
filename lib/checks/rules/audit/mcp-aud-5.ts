import {
  AUDIT_LOG_DIR,
  AUDIT_LOG_FILE,
  AUDIT_LOG_GLOB,
  auditRecordsLua,
  crossTenantOnlyLua,
  deliveryWatchdogLua,
  MCP_AUDIT_LOG_PATH_ENV,
  SHIPPER_LUA_CALLS,
  tenantAuditBucketName,
} from '../../../core/audit-defaults';
import { blocks, isObject } from '../../../model/json';
import {
  bucketName,
  bucketsNamed,
  configOf,
  isOn,
  pipelinePlugins,
  pluginLabel,
  pluginName,
  R2_BUCKET_TYPE,
  receives,
  resolvedString,
  S3_BUCKET_TYPE,
  s3Outputs,
} from '../../../model/audit';
import { isMcpContainer } from '../../../model/pods';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import { type Evaluation, type Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { mountsOf, workloadShippers } from './shipper';

/** True when the bucket name is the tenant's own: `mcp-audit-<t>` (R2), or `<prefix>mcp-audit-<t>` (S3, global names). */
export function isTenantBucketName(name: string, tenant: string, store: 'r2' | 's3'): boolean {
  const own = tenantAuditBucketName(tenant);
  if (store === 'r2') return name === own;
  return name === own || (name.endsWith(`-${own}`) && /^[a-z0-9][a-z0-9.-]*$/.test(name));
}

/** Filters that may see audit records: the library's record stamping and its watchdog, exactly. */
function allowedFilter(filter: JsonObject, tenant: string): boolean {
  if (pluginName(filter) !== 'lua' || filter.processors !== undefined) return false;
  if (filter.call === SHIPPER_LUA_CALLS.records) {
    return filter.code === auditRecordsLua(tenant) && isOn(filter.enable_flb_null);
  }
  return filter.call === SHIPPER_LUA_CALLS.watchdog && filter.code === deliveryWatchdogLua(tenant);
}

/** Judges where one output that receives audit records sends them. */
function judgeOutput(stack: SynthesizedStack, v: Verdict, output: JsonObject, tenant: string): boolean | 'unknown' {
  const label = pluginLabel('output', output);
  const name = pluginName(output);
  if (name === 'stdout') return false;
  if (name === 'http') {
    const processors = isObject(output.processors) ? blocks(output.processors.logs) : [];
    const crossTenantOnly =
      processors.length === 1 &&
      processors[0].call === SHIPPER_LUA_CALLS.crossTenantOnly &&
      processors[0].code === crossTenantOnlyLua();
    v.expect(crossTenantOnly, `${label} sends audit records somewhere other than the tenant's bucket`);
    return false;
  }
  if (name !== 's3') {
    v.fail(`${label} is an output the library does not declare for audit records`);
    return false;
  }
  const [{ store }] = s3Outputs({ pipeline: { outputs: [output] } });
  if (store === 'elsewhere') {
    v.fail(`${label} writes to endpoint ${JSON.stringify(output.endpoint)}, neither R2 nor AWS S3`);
    return false;
  }
  const value = output.bucket;
  const [bucket] = bucketsNamed(stack, value, store === 'r2' ? [R2_BUCKET_TYPE] : [S3_BUCKET_TYPE]);
  const literal = bucket ? bucketName(stack, bucket) : resolvedString(stack, value);
  if (literal === undefined) {
    v.undecided(`${label}.bucket (${JSON.stringify(value ?? null)}) cannot be read as a bucket name`);
    return 'unknown';
  }
  const own = isTenantBucketName(literal, tenant, store);
  v.expect(own, `${label} writes to bucket '${literal}', not the tenant's own ${tenantAuditBucketName(tenant)}`);
  v.expect(output.processors === undefined, `${label} has processors, which could drop records`);
  v.expect(output.log_key === undefined, `${label} sets log_key, which keeps one field and drops the rest`);
  const key = output.s3_key_format;
  v.expect(
    typeof key === 'string' && key.startsWith(`/tenant=${tenant}/`),
    `${label} writes keys ${JSON.stringify(key ?? null)}, not under the tenant's own prefix /tenant=${tenant}/`,
  );
  return own;
}

/** MCP-AUD-5: every MCP pod ships every audit record to its own tenant's bucket. */
export const MCP_AUD_5: Rule = {
  id: 'MCP-AUD-5',
  level: 'error',
  layer: 'audit',
  cause:
    "an MCP pod does not ship every audit record, unchanged but for the shipper's fields, to its own tenant's bucket",
  explanation: `The MCP server writes one audit record per call to ${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}; the audit-shipper container of the same pod must read that file and write every record to the tenant's own bucket (mcp-audit-<tenant>), or the audit trail has a hole nobody sees. The rule follows every MCP pod (a Deployment or other workload in a namespace mcp-<tenant>, or holding the MCP server or cloudflared) to its audit-shipper container, the Fluent Bit config the container runs (through its config map volume, into the config map of the pod's namespace), and judges the pipeline: the tail input reads the audit path; the only filters that see the records are the library's own Lua filters, exactly as written for that tenant (they stamp the tenant and keep malformed lines, never drop); the outputs that receive the records are an s3 output to the tenant's own bucket under its own prefix, stdout, and the cross-tenant alert output. Removing the shipper, pointing it at another bucket, or adding a filter or output that could drop or divert records is refused.`,
  requires: [
    `a container audit-shipper in every MCP pod, running fluent-bit -c <file> from a config map of the pod's namespace`,
    `the MCP container told ${MCP_AUDIT_LOG_PATH_ENV}=${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}, and the shipper mounting the same volume at ${AUDIT_LOG_DIR}`,
    `a tail input with path ${AUDIT_LOG_GLOB}`,
    `filters on its tag: only the Lua filters ${SHIPPER_LUA_CALLS.records} (with enable_flb_null) and ${SHIPPER_LUA_CALLS.watchdog}, exactly as the library writes them for the tenant`,
    "outputs on its tag: an s3 output to the tenant's own bucket (R2 mcp-audit-<t>, or S3 <prefix>mcp-audit-<t>) with keys under /tenant=<t>/, without processors or log_key; stdout; the cross-tenant http output",
  ],
  fix: 'keep the audit addon of TenantAuditTrail in the pod (LoopbackMcpDeployment addons: SecureMcpAccess adds it for every tenant), and its config map as the library writes it',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloadShippers(stack).map((s) => {
      const v = new Verdict(s.workload.entry.address);
      if (s.tenant === undefined) {
        return v.fail(`the MCP pod's namespace '${s.namespaceKey}' names no tenant (mcp-<tenant>)`).result();
      }
      const tenant = s.tenant;
      const mcp = s.workload.containers.find(isMcpContainer);
      const env = mcp ? blocks(mcp.body.env).find((e) => e.name === MCP_AUDIT_LOG_PATH_ENV) : undefined;
      v.expect(
        env?.value === `${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}`,
        `the MCP container's ${MCP_AUDIT_LOG_PATH_ENV} is ${JSON.stringify(env?.value ?? null)}, not ${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}`,
      );
      if (s.problem?.kind === 'missing') return v.fail(s.problem.detail).result();
      if (s.problem?.kind === 'unknown') return v.undecided(s.problem.detail).result();
      const logVolume = mcp ? mountsOf(mcp.body).find((m) => m.path === AUDIT_LOG_DIR)?.volume : undefined;
      const shipperMount = mountsOf(s.container!.body).find((m) => m.path === AUDIT_LOG_DIR);
      v.expect(
        logVolume !== undefined && shipperMount?.volume === logVolume,
        `the shipper does not mount the MCP container's audit volume at ${AUDIT_LOG_DIR}`,
      );
      const config = configOf(s.config!)!;
      const tails = pipelinePlugins(config, 'inputs').filter(
        (i) =>
          pluginName(i) === 'tail' &&
          typeof i.path === 'string' &&
          i.path
            .split(',')
            .map((p) => p.trim())
            .includes(AUDIT_LOG_GLOB),
      );
      if (tails.length === 0) return v.fail(`no tail input reads ${AUDIT_LOG_GLOB}`).result();
      for (const tail of tails) {
        const tag = typeof tail.tag === 'string' ? tail.tag : '';
        v.expect(
          tail.processors === undefined,
          `${pluginLabel('input', tail)} has processors, which could drop records`,
        );
        const filters = pipelinePlugins(config, 'filters').filter((f) => receives(f, tag));
        for (const f of filters) {
          v.expect(
            allowedFilter(f, tenant),
            `${pluginLabel('filter', f)} sees the audit records and could drop or change them`,
          );
        }
        v.expect(
          filters.some((f) => f.call === SHIPPER_LUA_CALLS.records && allowedFilter(f, tenant)),
          `no ${SHIPPER_LUA_CALLS.records} filter stamps the tenant on the records`,
        );
        const outputs = pipelinePlugins(config, 'outputs').filter((o) => receives(o, tag));
        const judged = outputs.map((o) => judgeOutput(stack, v, o, tenant));
        v.expect(
          judged.some((ok) => ok !== false),
          `no s3 output writes the records of ${tag} to the tenant's own bucket`,
        );
      }
      return v.result();
    });
  },
};
