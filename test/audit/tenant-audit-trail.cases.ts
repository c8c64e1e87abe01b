import { Pod } from 'kubernetes-models/v1/Pod';
import { parse as parseYaml } from 'yaml';
import { TenantAuditTrail, type TenantAuditTrailProps } from '../../lib/audit/tenant-audit-trail';
import {
  auditRecordsLua,
  crossTenantOnlyLua,
  deliveryWatchdogLua,
  FLUENT_BIT_IMAGE,
} from '../../lib/core/audit-defaults';
import { TerraformVariable, Testing } from '../../lib/core/cdktf';
import type { ValidationError } from '../../lib/core/validation';
import { SynthesizedStack, type JsonObject } from '../../lib/model/stack';
import { McpAccessChecks } from '../../lib/checks/pack';
import { MCP_SEC_5 } from '../../lib/checks/rules/secrets/mcp-sec-5';
import { bodiesOf, DIGEST, newStack, rawJson, resourcesOf, withProviders } from '../helpers';
import {
  ACCOUNT,
  addTenant,
  auditStack,
  pluginsOf,
  shipperConfigs,
  toKubernetesContainer,
  toKubernetesVolume,
  warningsOf,
} from './fixtures';

const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

function tenantStack(props: Partial<TenantAuditTrailProps> = {}) {
  const stack = withProviders(newStack());
  const trail = addTenant(stack, 'acme', props);
  const json = rawJson(stack);
  return { stack, trail, json, config: shipperConfigs(json)[0] };
}

const entryOf = (json: JsonObject, type: string): [string, JsonObject] => {
  const entries = Object.entries(resourcesOf(json, type));
  expect(entries).toHaveLength(1);
  return entries[0];
};

describe('TenantAuditTrail for one tenant, defaults', () => {
  const { stack, trail, json, config } = tenantStack();
  const [bucketName, bucket] = entryOf(json, 'cloudflare_r2_bucket');
  const [tokenName, token] = entryOf(json, 'cloudflare_account_token');
  const [rotationName, rotation] = entryOf(json, 'time_rotating');
  const bucketRef = `\${cloudflare_r2_bucket.${bucketName}.name}`;
  const configText = (bodiesOf(json, 'kubernetes_config_map_v1')[0].data as Record<string, string>)['fluent-bit.yaml'];

  test("provisions the tenant's own locked bucket, with prevent_destroy on bucket and lock", () => {
    expect(bucket).toMatchObject({ name: 'mcp-audit-acme', lifecycle: { prevent_destroy: true } });
    const [, lock] = entryOf(json, 'cloudflare_r2_bucket_lock');
    expect(lock).toMatchObject({
      bucket_name: bucketRef,
      lifecycle: { prevent_destroy: true },
      rules: [
        { id: 'audit-retention', enabled: true, prefix: '', condition: { type: 'Age', max_age_seconds: 31536000 } },
      ],
    });
    expect(resourcesOf(json, 'cloudflare_logpush_job')).toEqual({});
  });

  test('records the configured retention of the lock, by its construct path, for MCP-AUD-1', () => {
    expect((json['//'] as JsonObject).mcp_access_audit).toEqual({ retention: { 'test/acme/Audit/Bucket/Lock': 365 } });
  });

  test('the write credential allows only object writes, on this bucket only', () => {
    expect(token).toMatchObject({ name: 'mcp-audit-acme-writer', account_id: ACCOUNT });
    expect(token.policies).toEqual([
      {
        effect: 'allow',
        permission_groups: [{ id: '2efd5506f9c8494dacb1fa10a3e7d5b6' }],
        resources: JSON.stringify({ [`com.cloudflare.edge.r2.bucket.${ACCOUNT}_default_${bucketRef}`]: '*' }),
      },
    ]);
  });

  test('the write token rotates every 30 days and expires 15 days (360 h) after its rotation is due', () => {
    expect(rotation).toMatchObject({ rotation_days: 30 });
    expect(token.expires_on).toBe(`\${timeadd(time_rotating.${rotationName}.rotation_rfc3339, "360h")}`);
    expect(token.lifecycle).toEqual({
      create_before_destroy: true,
      replace_triggered_by: [`\${time_rotating.${rotationName}}`],
    });
    expect(trail.writerRotation).toBeDefined();
  });

  test("records its scope as the tenant's, so the rules know the bucket, lock and token are acme's", () => {
    const synthesized = new SynthesizedStack(json);
    const tenants = ['cloudflare_r2_bucket', 'cloudflare_r2_bucket_lock', 'cloudflare_account_token'].flatMap((t) =>
      synthesized.ofType(t).map((e) => e.tenant),
    );
    expect(tenants).toEqual(['acme', 'acme', 'acme']);
  });

  test('the R2 keys reach the shipper secret by reference only; its revision changes with every rotation', () => {
    const [, secret] = entryOf(json, 'kubernetes_secret_v1');
    expect(secret.data_wo).toEqual({
      AWS_ACCESS_KEY_ID: `\${cloudflare_account_token.${tokenName}.id}`,
      AWS_SECRET_ACCESS_KEY: `\${sha256(cloudflare_account_token.${tokenName}.value)}`,
    });
    expect(secret.data_wo_revision).toBe(`\${((time_rotating.${rotationName}.unix * 1000) + 1)}`);
    expect(MCP_SEC_5.evaluate(new SynthesizedStack(json)).filter((e) => e.status !== 'compliant')).toEqual([]);
  });

  test('the addon adds the shipper container, its volumes, the MCP env and the shared mount', () => {
    const addon = trail.podAddon;
    expect(addon.name).toBe('audit');
    expect(addon.containers.map((c) => c.name)).toEqual(['audit-shipper']);
    expect(addon.mcpEnv).toEqual({ MCP_AUDIT_LOG_PATH: '/var/run/mcp-audit/audit.jsonl' });
    expect(addon.mcpVolumeMounts).toEqual([{ name: 'audit-log', mountPath: '/var/run/mcp-audit' }]);
    expect(addon.volumes).toEqual([
      { name: 'audit-log', emptyDir: { medium: 'Memory', sizeLimit: '32Mi' } },
      { name: 'audit-shipper-config', configMap: { name: 'audit-shipper-config' } },
      { name: 'audit-shipper-data', emptyDir: { sizeLimit: '1Gi' } },
    ]);
    expect(Object.keys(addon.configMaps ?? {})).toEqual(['audit-shipper-config']);
    expect(Object.keys(addon.configMaps?.['audit-shipper-config'] ?? {})).toEqual(['fluent-bit.yaml']);
    expect(Object.keys(addon.secrets?.['audit-shipper-credentials'] ?? {})).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    expect(addon.egressHttpsPublic).toBe(true);
  });

  test('the shipper runs the Fluent Bit 5.0.9 image with its config and the R2 keys from the secret', () => {
    const c = trail.podAddon.containers[0];
    expect(c.image).toBe(FLUENT_BIT_IMAGE);
    expect(c.image).toMatch(/^cr\.fluentbit\.io\/fluent\/fluent-bit:5\.0\.9@sha256:[0-9a-f]{64}$/);
    expect(c.command).toEqual(['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/mcp/fluent-bit.yaml']);
    expect(c.args).toBeUndefined();
    expect(c.env).toEqual([
      {
        name: 'AWS_ACCESS_KEY_ID',
        valueFrom: { secretKeyRef: { name: 'audit-shipper-credentials', key: 'AWS_ACCESS_KEY_ID' } },
      },
      {
        name: 'AWS_SECRET_ACCESS_KEY',
        valueFrom: { secretKeyRef: { name: 'audit-shipper-credentials', key: 'AWS_SECRET_ACCESS_KEY' } },
      },
    ]);
    expect(c.volumeMount).toEqual([
      { name: 'audit-shipper-config', mountPath: '/fluent-bit/etc/mcp', readOnly: true },
      { name: 'audit-log', mountPath: '/var/run/mcp-audit', readOnly: true },
      { name: 'audit-shipper-data', mountPath: '/var/lib/fluent-bit' },
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  });

  test('probes are exec probes that load the mounted config offline (no shell, no HTTP, no TCP)', () => {
    const c = trail.podAddon.containers[0];
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      expect(probe?.exec?.command).toEqual([
        '/fluent-bit/bin/fluent-bit',
        '--dry-run',
        '-c',
        '/fluent-bit/etc/mcp/fluent-bit.yaml',
      ]);
      expect(probe?.httpGet).toBeUndefined();
      expect(probe?.tcpSocket).toBeUndefined();
      expect(probe?.grpc).toBeUndefined();
    }
  });

  test('the container meets the restricted Pod Security profile and the official Pod schema', () => {
    const c = trail.podAddon.containers[0];
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: '65532',
      runAsGroup: '65532',
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.port).toBeUndefined();
    const volumes = trail.podAddon.volumes ?? [];
    expect(volumes).toHaveLength(3);
    for (const v of volumes) {
      const types = Object.keys(v).filter((k) => k !== 'name');
      expect(types.every((t) => RESTRICTED_VOLUME_TYPES.includes(t))).toBe(true);
    }
    const pod = new Pod({
      metadata: { name: 'mcp-server', namespace: 'mcp-acme' },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [toKubernetesContainer(c) as never],
        volumes: volumes.map((v) => toKubernetesVolume(v) as never),
      },
    });
    expect(() => pod.validate()).not.toThrow();
  });

  test('the config file is YAML (read as YAML 1.1, as libyaml does) and says what the JSON says', () => {
    expect(parseYaml(configText, { version: '1.1' })).toEqual(JSON.parse(configText));
    // Terraform interpolates the data: the only ${...} is the bucket reference, and no %{ directive.
    expect([...configText.matchAll(/(?<!\$)\$\{/g)]).toHaveLength(1);
    expect(configText).toContain(`"bucket": "${bucketRef}"`);
    expect(configText).not.toContain('%{');
  });

  test('service: filesystem buffering, retries at least once a minute, the health check on loopback', () => {
    expect(config.service).toEqual({
      flush: '1',
      log_level: 'info',
      http_server: 'on',
      http_listen: '127.0.0.1',
      http_port: '2020',
      health_check: 'on',
      hc_errors_count: '5',
      hc_retry_failure_count: '5',
      hc_period: '60',
      'storage.path': '/var/lib/fluent-bit/storage',
      'storage.sync': 'full',
      'storage.checksum': 'on',
      'storage.metrics': 'on',
      'storage.max_chunks_up': '16',
      'storage.backlog.mem_limit': '16M',
      'scheduler.base': '5',
      'scheduler.cap': '60',
    });
    expect(config.parsers).toEqual([{ name: 'mcp_audit_json', format: 'json' }]);
  });

  test('inputs: the audit file from the beginning on disk, Fluent Bit own logs and a 15 s tick for the watchdog', () => {
    expect(pluginsOf(config, 'inputs')).toEqual({
      audit_log: {
        name: 'tail',
        alias: 'audit_log',
        tag: 'audit.records',
        path: '/var/run/mcp-audit/audit.jsonl*',
        read_from_head: 'true',
        db: '/var/lib/fluent-bit/tail.db',
        'db.locking': 'true',
        parser: 'mcp_audit_json',
        key: 'mcp_audit_raw_line',
        buffer_max_size: '8M',
        skip_long_lines: 'on',
        'storage.type': 'filesystem',
        'storage.pause_on_chunks_overlimit': 'off',
      },
      shipper_logs: { name: 'fluentbit_logs', alias: 'shipper_logs', tag: 'shipper.health' },
      shipper_tick: {
        name: 'dummy',
        alias: 'shipper_tick',
        tag: 'shipper.health',
        dummy: '{"tick":true}',
        interval_sec: '15',
      },
    });
  });

  test("filters: the tenant's record script (nulls kept) and the watchdog, exactly as written for acme", () => {
    expect(pluginsOf(config, 'filters')).toEqual({
      audit_records: {
        name: 'lua',
        alias: 'audit_records',
        match: 'audit.records',
        call: 'mcp_audit_record',
        code: auditRecordsLua('acme'),
        enable_flb_null: 'true',
      },
      delivery_watchdog: {
        name: 'lua',
        alias: 'delivery_watchdog',
        match_regex: '^(audit\\.records|shipper\\.health)$',
        call: 'mcp_delivery_watchdog',
        code: deliveryWatchdogLua('acme'),
      },
    });
    expect(auditRecordsLua('acme')).toContain('local TENANT = "acme"');
  });

  test("outputs: every record to the tenant's R2 bucket with Content-MD5, buffered, never given up", () => {
    const outputs = pluginsOf(config, 'outputs');
    expect(Object.keys(outputs)).toEqual(['audit_bucket', 'audit_stdout', 'delivery_alert_stdout']);
    expect(outputs.audit_bucket).toEqual({
      name: 's3',
      alias: 'audit_bucket',
      match: 'audit.records',
      bucket: bucketRef,
      region: 'auto',
      endpoint: `https://${ACCOUNT}.r2.cloudflarestorage.com`,
      s3_key_format: '/tenant=acme/date=%Y-%m-%d/%H%M%S-$UUID.jsonl.gz',
      compression: 'gzip',
      content_type: 'application/x-ndjson',
      json_date_key: 'false',
      use_put_object: 'on',
      send_content_md5: 'on',
      total_file_size: '8M',
      upload_timeout: '60s',
      preserve_data_ordering: 'on',
      store_dir: '/var/lib/fluent-bit/s3',
      store_dir_limit_size: '512M',
      'storage.total_limit_size': '256M',
      retry_limit: '2147483647',
      file_delivery_attempt_limit: '2147483647',
      part_delivery_attempt_limit: '2147483647',
    });
    expect(outputs.audit_stdout).toEqual({
      name: 'stdout',
      alias: 'audit_stdout',
      match: 'audit.records',
      format: 'json_lines',
      json_date_key: 'false',
    });
    expect(outputs.delivery_alert_stdout).toEqual({
      name: 'stdout',
      alias: 'delivery_alert_stdout',
      match: 'shipper.health',
      format: 'json_lines',
      json_date_key: 'false',
    });
  });

  test('without a webhook there is no http output, and no warning from the construct', () => {
    expect(trail.alertsConfigured).toBe(false);
    expect(configText).not.toContain('"http"');
    expect(warningsOf(stack)).toEqual([]);
  });

  test('snapshot of one tenant layer', () => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});

describe('TenantAuditTrail for three tenants', () => {
  const one = rawJson(tenantStack().stack);
  const { stack } = auditStack(['acme', 'globex', 'initech']);
  const json = rawJson(stack);

  test('each tenant gets its own bucket, lock, rotating writer token and shipper config', () => {
    expect(bodiesOf(json, 'cloudflare_r2_bucket').map((b) => b.name)).toEqual([
      'mcp-audit-access-requests',
      'mcp-audit-acme',
      'mcp-audit-globex',
      'mcp-audit-initech',
    ]);
    expect(bodiesOf(json, 'cloudflare_r2_bucket_lock')).toHaveLength(4);
    expect(bodiesOf(json, 'time_rotating')).toHaveLength(4);
    expect(bodiesOf(json, 'cloudflare_account_token').map((t) => t.name)).toEqual([
      'mcp-audit-access-requests-writer',
      'mcp-audit-acme-writer',
      'mcp-audit-globex-writer',
      'mcp-audit-initech-writer',
    ]);
    expect(bodiesOf(json, 'cloudflare_logpush_job')).toHaveLength(1);
    const keys = shipperConfigs(json).map((c) => pluginsOf(c, 'outputs').audit_bucket.s3_key_format);
    expect(keys).toEqual([
      '/tenant=acme/date=%Y-%m-%d/%H%M%S-$UUID.jsonl.gz',
      '/tenant=globex/date=%Y-%m-%d/%H%M%S-$UUID.jsonl.gz',
      '/tenant=initech/date=%Y-%m-%d/%H%M%S-$UUID.jsonl.gz',
    ]);
  });

  test("each writer token and each shipper reach only their own tenant's bucket", () => {
    const buckets = resourcesOf(json, 'cloudflare_r2_bucket');
    const tokens = bodiesOf(json, 'cloudflare_account_token').slice(1);
    const configs = shipperConfigs(json);
    expect(tokens).toHaveLength(3);
    ['acme', 'globex', 'initech'].forEach((tenant, i) => {
      const address = Object.keys(buckets).find((k) => buckets[k].name === `mcp-audit-${tenant}`);
      const ref = `\${cloudflare_r2_bucket.${address}.name}`;
      expect(String((tokens[i].policies as JsonObject[])[0].resources)).toContain(ref);
      expect(pluginsOf(configs[i], 'outputs').audit_bucket.bucket).toBe(ref);
      expect(pluginsOf(configs[i], 'filters').audit_records.code as string).toContain(`local TENANT = "${tenant}"`);
    });
  });

  test("adding tenants leaves acme's resources' addresses and bodies unchanged", () => {
    for (const type of [
      'cloudflare_r2_bucket',
      'cloudflare_r2_bucket_lock',
      'cloudflare_account_token',
      'time_rotating',
      'kubernetes_config_map_v1',
    ]) {
      const alone = resourcesOf(one, type);
      const among = resourcesOf(json, type);
      expect(Object.keys(alone).length).toBeGreaterThan(0);
      for (const [address, body] of Object.entries(alone)) expect(among[address]).toEqual(body);
    }
  });
});

describe('TenantAuditTrail alerts', () => {
  test('a sensitive variable webhook travels only by reference, split by Terraform into the secret', () => {
    const stack = withProviders(newStack());
    const url = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
    const trail = addTenant(stack, 'acme', { alertWebhookUrl: url.stringValue });
    const json = rawJson(stack);
    const config = shipperConfigs(json)[0];

    expect(trail.alertsConfigured).toBe(true);
    expect(bodiesOf(json, 'kubernetes_secret_v1')[0].data_wo).toMatchObject({
      ALERT_WEBHOOK_HOST: '${element(split(":", element(regex("^https://([^/?#]+)", var.alert_webhook_url), 0)), 0)}',
      ALERT_WEBHOOK_PORT: '${try(element(regex("^https://[^/?#:]+:([0-9]+)", var.alert_webhook_url), 0), "443")}',
      ALERT_WEBHOOK_URI:
        '${replace(try(element(regex("^https://[^/?#]+([/?][^#]*)", var.alert_webhook_url), 0), "/"), "/^[?]/", "/?")}',
    });
    expect(JSON.stringify(bodiesOf(json, 'kubernetes_config_map_v1'))).not.toContain('var.alert_webhook_url');
    const outputs = pluginsOf(config, 'outputs');
    expect(Object.keys(outputs)).toEqual([
      'audit_bucket',
      'audit_stdout',
      'cross_tenant_alert',
      'delivery_alert',
      'delivery_alert_stdout',
    ]);
    const http = {
      name: 'http',
      host: '$${ALERT_WEBHOOK_HOST}',
      port: '$${ALERT_WEBHOOK_PORT}',
      uri: '$${ALERT_WEBHOOK_URI}',
      tls: 'on',
      'tls.verify': 'on',
      format: 'json_lines',
      json_date_key: 'false',
      header: 'Content-Type application/x-ndjson',
      retry_limit: 'no_limits',
      'storage.total_limit_size': '32M',
    };
    expect(outputs.cross_tenant_alert).toEqual({
      ...http,
      alias: 'cross_tenant_alert',
      match: 'audit.records',
      processors: {
        logs: [{ name: 'lua', alias: 'cross_tenant_only', call: 'mcp_cross_tenant_only', code: crossTenantOnlyLua() }],
      },
    });
    expect(outputs.delivery_alert).toEqual({ ...http, alias: 'delivery_alert', match: 'shipper.health' });
    const names = (trail.podAddon.containers[0].env as { name: string }[]).map((e) => e.name);
    expect(names).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'ALERT_WEBHOOK_HOST',
      'ALERT_WEBHOOK_PORT',
      'ALERT_WEBHOOK_URI',
    ]);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('a literal https webhook is split into the config, with a warning', () => {
    const { stack, json, config } = tenantStack({ alertWebhookUrl: 'https://alerts.example.com:8443/hooks/mcp?key=1' });
    expect(pluginsOf(config, 'outputs').cross_tenant_alert).toMatchObject({
      host: 'alerts.example.com',
      port: '8443',
      uri: '/hooks/mcp?key=1',
    });
    expect(Object.keys(bodiesOf(json, 'kubernetes_secret_v1')[0].data_wo as JsonObject)).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    expect(warningsOf(stack)).toEqual([
      'alertWebhookUrl is a literal: it is written in clear into the synthesized JSON and the shipper config map; the default is no literal (pass a sensitive TerraformVariable value if the URL carries a credential)',
    ]);
  });

  test('a literal webhook without a port or path posts to port 443 and /', () => {
    const { config } = tenantStack({ alertWebhookUrl: 'https://alerts.example.com' });
    expect(pluginsOf(config, 'outputs').delivery_alert).toMatchObject({
      host: 'alerts.example.com',
      port: '443',
      uri: '/',
    });
  });
});

describe('TenantAuditTrail props', () => {
  test('secretRevision is added to the rotation, so a bump re-sends the write-only secret too', () => {
    const { json } = tenantStack({ secretRevision: 3 });
    const [rotation] = Object.keys(resourcesOf(json, 'time_rotating'));
    expect(bodiesOf(json, 'kubernetes_secret_v1')[0].data_wo_revision).toBe(
      `\${((time_rotating.${rotation}.unix * 1000) + 3)}`,
    );
  });

  test('writerRotationDays and writerExpiryMarginDays shape the rotation and the expiry', () => {
    const { json } = tenantStack({ writerRotationDays: 90, writerExpiryMarginDays: 30 });
    expect(bodiesOf(json, 'time_rotating')[0].rotation_days).toBe(90);
    expect(bodiesOf(json, 'cloudflare_account_token')[0].expires_on).toMatch(/\.rotation_rfc3339, "720h"\)\}$/);
  });

  test('tailToStdout false drops the record stdout output, never the delivery alerts on stdout', () => {
    const { config } = tenantStack({ tailToStdout: false });
    expect(Object.keys(pluginsOf(config, 'outputs'))).toEqual(['audit_bucket', 'delivery_alert_stdout']);
  });

  test('jurisdiction eu moves the endpoint and the token scope to the eu host', () => {
    const { json, config } = tenantStack({ jurisdiction: 'eu' });
    expect(pluginsOf(config, 'outputs').audit_bucket.endpoint).toBe(`https://${ACCOUNT}.eu.r2.cloudflarestorage.com`);
    expect(String((bodiesOf(json, 'cloudflare_account_token')[0].policies as JsonObject[])[0].resources)).toContain(
      `${ACCOUNT}_eu_`,
    );
  });

  test('retentionDays and indefinite shape the lock and the recorded retention', () => {
    const days = tenantStack({ retentionDays: 90 }).json;
    expect(bodiesOf(days, 'cloudflare_r2_bucket_lock')[0].rules).toEqual([
      expect.objectContaining({ condition: { type: 'Age', max_age_seconds: 90 * 86400 } }),
    ]);
    expect((days['//'] as JsonObject).mcp_access_audit).toEqual({ retention: { 'test/acme/Audit/Bucket/Lock': 90 } });
    const ever = tenantStack({ indefinite: true }).json;
    expect(bodiesOf(ever, 'cloudflare_r2_bucket_lock')[0].rules).toEqual([
      expect.objectContaining({ condition: { type: 'Indefinite' } }),
    ]);
    expect((ever['//'] as JsonObject).mcp_access_audit).toEqual({
      retention: { 'test/acme/Audit/Bucket/Lock': 'indefinite' },
    });
  });

  test('shipperImage replaces the image; a tag-only pin draws a warning naming the default', () => {
    const pinned = `registry.example.com/fluent-bit@${DIGEST}`;
    const a = tenantStack({ shipperImage: pinned });
    expect(a.trail.podAddon.containers[0].image).toBe(pinned);
    expect(warningsOf(a.stack)).toEqual([]);
    const b = tenantStack({ shipperImage: 'cr.fluentbit.io/fluent/fluent-bit:5.0.9' });
    expect(warningsOf(b.stack)).toEqual([
      `shipperImage 'cr.fluentbit.io/fluent/fluent-bit:5.0.9' is pinned by tag only; the default pins by digest ('${FLUENT_BIT_IMAGE}')`,
    ]);
  });
});

describe('TenantAuditTrail validation', () => {
  const problemsOf = (props: Partial<TenantAuditTrailProps>): readonly string[] => {
    try {
      new TenantAuditTrail(newStack(), 'Audit', { tenantId: 'acme', accountId: ACCOUNT, ...props });
    } catch (e) {
      return (e as ValidationError).problems;
    }
    return [];
  };

  test('fails when tenantId is not a tenant id', () => {
    expect(problemsOf({ tenantId: 'Acme!' })).toEqual([
      "tenantId must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'Acme!' was provided",
    ]);
  });

  test('fails when tenantId is missing', () => {
    expect(problemsOf({ tenantId: '' })).toEqual(["tenantId is required, but '' was provided"]);
  });

  test('fails when secretRevision is below 1', () => {
    expect(problemsOf({ secretRevision: 0 })).toEqual(['secretRevision must be at least 1, but 0 was provided']);
  });

  test('fails when tenantId is a token', () => {
    const stack = newStack();
    const t = new TerraformVariable(stack, 'tenant', { type: 'string' });
    expect(() => new TenantAuditTrail(stack, 'Audit', { tenantId: t.stringValue, accountId: ACCOUNT })).toThrow(
      'tenantId must be a literal string (it names the bucket and construct ids), but a token was provided',
    );
  });

  test('fails when alertWebhookUrl is not https', () => {
    expect(problemsOf({ alertWebhookUrl: 'http://alerts.example.com/mcp' })).toEqual([
      "alertWebhookUrl must be an https URL without user info, but 'http://alerts.example.com/mcp' was provided",
    ]);
  });

  test('fails when shipperImage is latest or untagged', () => {
    expect(problemsOf({ shipperImage: 'fluent/fluent-bit:latest' })).toEqual([
      "shipperImage must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but 'fluent/fluent-bit:latest' was provided",
    ]);
    expect(problemsOf({ shipperImage: 'fluent/fluent-bit' })).toHaveLength(1);
  });

  test.each([
    [0, 'writerRotationDays must be between 1 and 90, but 0 was provided'],
    [91, 'writerRotationDays must be between 1 and 90, but 91 was provided'],
  ])('fails when writerRotationDays is %s', (days, message) => {
    expect(problemsOf({ writerRotationDays: days })).toEqual([message]);
  });

  test.each([1, 90])('accepts writerRotationDays %s', (days) => {
    expect(problemsOf({ writerRotationDays: days })).toEqual([]);
  });

  test.each([
    [0, 'writerExpiryMarginDays must be between 1 and 30, but 0 was provided'],
    [31, 'writerExpiryMarginDays must be between 1 and 30, but 31 was provided'],
  ])('fails when writerExpiryMarginDays is %s', (days, message) => {
    expect(problemsOf({ writerExpiryMarginDays: days })).toEqual([message]);
  });

  test.each([1, 30])('accepts writerExpiryMarginDays %s', (days) => {
    expect(problemsOf({ writerExpiryMarginDays: days })).toEqual([]);
  });

  test('fails when writerExpiryMarginDays is a token', () => {
    const stack = newStack();
    const days = new TerraformVariable(stack, 'margin', { type: 'number' });
    expect(
      () =>
        new TenantAuditTrail(stack, 'Audit', {
          tenantId: 'acme',
          accountId: ACCOUNT,
          writerExpiryMarginDays: days.numberValue,
        }),
    ).toThrow(
      'writerExpiryMarginDays must be a literal (it is written into the expiry expression the rules read), but a token was provided',
    );
  });

  test('fails when accountId, retentionDays or jurisdiction is invalid, all at once', () => {
    expect(problemsOf({ accountId: 'x', retentionDays: 1, jurisdiction: 'us' as never })).toEqual([
      "accountId must be 32 lower-case hex characters, but 'x' was provided",
      'retentionDays must be at least 30, but 1 was provided',
      "jurisdiction must be one of 'default', 'eu', 'fedramp', but 'us' was provided",
    ]);
  });

  test('accepts Terraform tokens for accountId, retentionDays, alertWebhookUrl and shipperImage', () => {
    const stack = newStack();
    const account = new TerraformVariable(stack, 'account', { type: 'string' });
    const days = new TerraformVariable(stack, 'days', { type: 'number' });
    const url = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
    const image = new TerraformVariable(stack, 'image', { type: 'string' });
    const trail = new TenantAuditTrail(stack, 'Audit', {
      tenantId: 'acme',
      accountId: account.stringValue,
      retentionDays: days.numberValue,
      alertWebhookUrl: url.stringValue,
      shipperImage: image.stringValue,
    });
    expect(trail.alertsConfigured).toBe(true);
    expect(warningsOf(stack)).toEqual([]);
    const json = rawJson(stack);
    expect(bodiesOf(json, 'cloudflare_r2_bucket')[0].account_id).toBe('${var.account}');
    // A token retention is not recorded as a hint.
    expect((json['//'] as JsonObject).mcp_access_audit).toBeUndefined();
  });
});

describe('the rule pack on the audit layer', () => {
  test('accepts the default output: no error findings; only the missing alert destination warns', () => {
    const { stack } = auditStack(['acme', 'globex']);
    const report = McpAccessChecks.check(rawJson(stack));
    expect(report.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId.startsWith('MCP-AUD')).map((f) => `${f.ruleId} ${f.level}`)).toEqual([
      'MCP-AUD-4 warning',
      'MCP-AUD-4 warning',
    ]);
    expect(report.applied).toEqual(expect.arrayContaining(['MCP-AUD-1', 'MCP-AUD-2', 'MCP-AUD-4', 'MCP-AUD-7']));
  });

  test('with an alert webhook the audit rules have nothing to report', () => {
    const stack = withProviders(newStack());
    const url = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
    addTenant(stack, 'acme', { alertWebhookUrl: url.stringValue });
    const report = McpAccessChecks.check(rawJson(stack));
    expect(report.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId.startsWith('MCP-AUD'))).toEqual([]);
  });
});
