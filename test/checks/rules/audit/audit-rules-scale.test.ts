import { buildShipperConfig, renderShipperConfig } from '../../../../lib/audit/fluent-bit-config';
import type { JsonObject } from '../../../../lib/model/stack';
import { SynthesizedStack } from '../../../../lib/model/stack';
import { AUDIT_RULES } from '../../../../lib/checks/rules/audit';
import { addResource } from './tamper';

/** Synthetic JSON of 1000 tenant audit cells (bucket, lock, config map) plus the account's Access log. */
function thousandTenants(): JsonObject {
  const json: JsonObject = {};
  const lock = (bucket: string) => ({
    account_id: 'a',
    bucket_name: `\${cloudflare_r2_bucket.${bucket}.name}`,
    rules: [
      { id: 'audit-retention', enabled: true, prefix: '', condition: { type: 'Age', max_age_seconds: 31536000 } },
    ],
    lifecycle: { prevent_destroy: true },
  });
  for (let i = 0; i < 1000; i++) {
    const t = `t${i}`;
    addResource(json, 'cloudflare_r2_bucket', t, {
      account_id: 'a',
      name: `mcp-audit-${t}`,
      lifecycle: { prevent_destroy: true },
    });
    addResource(json, 'cloudflare_r2_bucket_lock', t, lock(t));
    addResource(json, 'cloudflare_zero_trust_access_application', t, { account_id: 'a', name: t });
    const config = buildShipperConfig({
      tenantId: t,
      bucket: {
        bucket: `\${cloudflare_r2_bucket.${t}.name}`,
        region: 'auto',
        endpoint: 'https://a.r2.cloudflarestorage.com',
      },
      alert: { fromEnvironment: true },
      tailToStdout: true,
    });
    addResource(json, 'kubernetes_config_map_v1', t, { data: { 'fluent-bit.yaml': renderShipperConfig(config) } });
  }
  addResource(json, 'cloudflare_r2_bucket', 'edge', {
    account_id: 'a',
    name: 'edge',
    lifecycle: { prevent_destroy: true },
  });
  addResource(json, 'cloudflare_r2_bucket_lock', 'edge', lock('edge'));
  addResource(json, 'cloudflare_logpush_job', 'edge', {
    account_id: 'a',
    dataset: 'access_requests',
    enabled: true,
    destination_conf: 'r2://${cloudflare_r2_bucket.edge.name}/access-requests/{DATE}?account-id=a',
    output_options: {
      output_type: 'ndjson',
      field_names: ['CreatedAt', 'Email', 'UserUID', 'AppUUID', 'AppDomain', 'Allowed'],
    },
  });
  return json;
}

// How long this takes is measured by `npm run bench` (checks % of synth), not asserted here.
test('the audit rules judge 1000 tenant cells, each once, all compliant', () => {
  const stack = new SynthesizedStack(thousandTenants());
  const results = AUDIT_RULES.flatMap((r) => r.evaluate(stack));
  expect(results).toHaveLength(1001 + 2002 + 1 + 1000);
  expect(results.filter((r) => r.status !== 'compliant')).toEqual([]);
});
