import { Pod } from 'kubernetes-models/v1/Pod';
import { TenantAuditTrail, type TenantAuditTrailProps } from '../../lib/audit/tenant-audit-trail';
import { VECTOR_IMAGE } from '../../lib/core/audit-defaults';
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
  const bucketRef = `\${cloudflare_r2_bucket.${bucketName}.name}`;

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

  test("records its scope as the tenant's, so the rules know the bucket, lock and token are acme's", () => {
    const synthesized = new SynthesizedStack(json);
    const tenants = ['cloudflare_r2_bucket', 'cloudflare_r2_bucket_lock', 'cloudflare_account_token'].flatMap((t) =>
      synthesized.ofType(t).map((e) => e.tenant),
    );
    expect(tenants).toEqual(['acme', 'acme', 'acme']);
    const standalone = newStack();
    new TenantAuditTrail(standalone, 'Audit', { tenantId: 'acme', accountId: ACCOUNT });
    expect((rawJson(standalone)['//'] as JsonObject).mcp_access).toMatchObject({ tenants: { acme: ['test/Audit'] } });
  });

  test('the R2 keys reach the shipper secret by reference only: token id and sha256 of the token value', () => {
    const [, secret] = entryOf(json, 'kubernetes_secret_v1');
    expect(secret.data_wo).toEqual({
      AWS_ACCESS_KEY_ID: `\${cloudflare_account_token.${tokenName}.id}`,
      AWS_SECRET_ACCESS_KEY: `\${sha256(cloudflare_account_token.${tokenName}.value)}`,
    });
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
      { name: 'audit-shipper-data', emptyDir: { sizeLimit: '256Mi' } },
    ]);
    expect(Object.keys(addon.configMaps ?? {})).toEqual(['audit-shipper-config']);
    expect(Object.keys(addon.configMaps?.['audit-shipper-config'] ?? {})).toEqual(['vector.json']);
    expect(Object.keys(addon.secrets?.['audit-shipper-credentials'] ?? {})).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    expect(addon.secretRevision).toBe(1);
    expect(addon.egressHttpsPublic).toBe(true);
  });

  test('the shipper runs the digest-pinned Vector image with its JSON config and R2 keys from the secret', () => {
    const c = trail.podAddon.containers[0];
    expect(c.image).toBe(VECTOR_IMAGE);
    expect(c.image).toMatch(/^timberio\/vector:0\.57\.0-distroless-static@sha256:[0-9a-f]{64}$/);
    expect(c.command).toEqual(['/usr/local/bin/vector']);
    expect(c.args).toEqual(['--config-json', '/etc/vector/vector.json']);
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
      { name: 'audit-shipper-config', mountPath: '/etc/vector', readOnly: true },
      { name: 'audit-log', mountPath: '/var/run/mcp-audit', readOnly: true },
      { name: 'audit-shipper-data', mountPath: '/var/lib/vector' },
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  });

  test('probes are exec probes that validate the mounted config offline (no shell, no HTTP, no TCP)', () => {
    const c = trail.podAddon.containers[0];
    const command = [
      '/usr/local/bin/vector',
      'validate',
      '--no-environment',
      '--config-json',
      '/etc/vector/vector.json',
    ];
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      expect(probe?.exec?.command).toEqual(command);
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
    for (const v of trail.podAddon.volumes ?? []) {
      const types = Object.keys(v).filter((k) => k !== 'name');
      expect(types.every((t) => RESTRICTED_VOLUME_TYPES.includes(t))).toBe(true);
    }
    const pod = new Pod({
      metadata: { name: 'mcp-server', namespace: 'mcp-acme' },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [toKubernetesContainer(c) as never],
        volumes: (trail.podAddon.volumes ?? []).map((v) => toKubernetesVolume(v) as never),
      },
    });
    expect(() => pod.validate()).not.toThrow();
  });

  test('the parsed config tails the file the MCP server is told to write, from the beginning', () => {
    expect(config.data_dir).toBe('/var/lib/vector');
    expect(config.api).toEqual({ enabled: false });
    expect(config.sources).toEqual({
      audit_log: { type: 'file', include: ['/var/run/mcp-audit/audit.jsonl*'], read_from: 'beginning' },
    });
    expect(config.secret).toBeUndefined();
  });

  test('the parsed config parses each line and stamps the tenant, flagging another or missing tenant', () => {
    const transforms = config.transforms as Record<string, JsonObject>;
    expect(Object.keys(transforms)).toEqual(['audit_records']);
    const records = transforms.audit_records;
    expect(records).toMatchObject({ type: 'remap', inputs: ['audit_log'] });
    const vrl = String(records.source);
    expect(vrl).toContain('parsed, err = parse_json(raw)');
    expect(vrl).toContain('.timestamp = read_at');
    expect(vrl).toContain('"outcome": "malformed"');
    expect(vrl).toContain('if .tenant_id != "acme" {');
    expect(vrl).toContain('.claimed_tenant_id = .tenant_id');
    expect(vrl).toContain('.tenant_id = "acme"');
    expect(vrl).toContain('.cross_tenant = .outcome == "cross_tenant_denied"');
    expect(vrl).not.toMatch(/[$%]\{/);
  });

  test("the parsed config writes every record as NDJSON to the tenant's bucket through R2's S3 API", () => {
    const sinks = config.sinks as Record<string, JsonObject>;
    expect(Object.keys(sinks).sort()).toEqual(['audit_bucket', 'audit_stdout']);
    expect(sinks.audit_bucket).toEqual({
      type: 'aws_s3',
      inputs: ['audit_records'],
      bucket: bucketRef,
      endpoint: `https://${ACCOUNT}.r2.cloudflarestorage.com`,
      region: 'auto',
      force_path_style: true,
      key_prefix: 'tenant=acme/date=%F/',
      filename_append_uuid: true,
      filename_extension: 'jsonl.gz',
      compression: 'gzip',
      content_type: 'application/x-ndjson',
      encoding: { codec: 'json' },
      framing: { method: 'newline_delimited' },
      batch: { timeout_secs: 60 },
      acknowledgements: { enabled: true },
      healthcheck: { enabled: false },
    });
    expect(sinks.audit_stdout).toEqual({
      type: 'console',
      inputs: ['audit_records'],
      target: 'stdout',
      encoding: { codec: 'json' },
    });
  });

  test('without a webhook there is no alert route or sink, and no warning from the construct', () => {
    expect(trail.alertsConfigured).toBe(false);
    expect(JSON.stringify(config)).not.toContain('"http"');
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

  test('each tenant gets its own bucket, lock, writer token and shipper config', () => {
    expect(bodiesOf(json, 'cloudflare_r2_bucket').map((b) => b.name)).toEqual([
      'mcp-audit-access-requests',
      'mcp-audit-acme',
      'mcp-audit-globex',
      'mcp-audit-initech',
    ]);
    expect(bodiesOf(json, 'cloudflare_r2_bucket_lock')).toHaveLength(4);
    expect(bodiesOf(json, 'cloudflare_account_token').map((t) => t.name)).toEqual([
      'mcp-audit-access-requests-writer',
      'mcp-audit-acme-writer',
      'mcp-audit-globex-writer',
      'mcp-audit-initech-writer',
    ]);
    expect(bodiesOf(json, 'cloudflare_logpush_job')).toHaveLength(1);
    const prefixes = shipperConfigs(json).map((c) => (c.sinks as Record<string, JsonObject>).audit_bucket.key_prefix);
    expect(prefixes).toEqual(['tenant=acme/date=%F/', 'tenant=globex/date=%F/', 'tenant=initech/date=%F/']);
  });

  test("each writer token and each shipper reach only their own tenant's bucket", () => {
    const buckets = resourcesOf(json, 'cloudflare_r2_bucket');
    const tokens = bodiesOf(json, 'cloudflare_account_token').slice(1);
    const configs = shipperConfigs(json);
    ['acme', 'globex', 'initech'].forEach((tenant, i) => {
      const address = Object.keys(buckets).find((k) => buckets[k].name === `mcp-audit-${tenant}`);
      const ref = `\${cloudflare_r2_bucket.${address}.name}`;
      expect(String((tokens[i].policies as JsonObject[])[0].resources)).toContain(ref);
      expect((configs[i].sinks as Record<string, JsonObject>).audit_bucket.bucket).toBe(ref);
    });
  });

  test("adding tenants leaves acme's resources' addresses and bodies unchanged", () => {
    for (const type of [
      'cloudflare_r2_bucket',
      'cloudflare_r2_bucket_lock',
      'cloudflare_account_token',
      'kubernetes_config_map_v1',
    ]) {
      const alone = resourcesOf(one, type);
      const among = resourcesOf(json, type);
      for (const [address, body] of Object.entries(alone)) expect(among[address]).toEqual(body);
    }
  });
});

describe('TenantAuditTrail alerts', () => {
  test('a sensitive variable webhook travels only by reference into the secret, read by the directory backend', () => {
    const stack = withProviders(newStack());
    const url = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
    const trail = addTenant(stack, 'acme', { alertWebhookUrl: url.stringValue });
    const json = rawJson(stack);
    const config = shipperConfigs(json)[0];

    expect(trail.alertsConfigured).toBe(true);
    expect(bodiesOf(json, 'kubernetes_secret_v1')[0].data_wo).toMatchObject({
      alert_webhook_url: '${var.alert_webhook_url}',
    });
    expect(JSON.stringify(bodiesOf(json, 'kubernetes_config_map_v1'))).not.toContain('var.alert_webhook_url');
    expect(config.secret).toEqual({
      alert: { type: 'directory', path: '/etc/vector-secrets', remove_trailing_whitespace: true },
    });
    expect((config.transforms as Record<string, JsonObject>).audit_alerts).toEqual({
      type: 'route',
      inputs: ['audit_records'],
      route: { cross_tenant: '.cross_tenant == true' },
    });
    expect((config.sinks as Record<string, JsonObject>).cross_tenant_alert).toEqual({
      type: 'http',
      inputs: ['audit_alerts.cross_tenant'],
      uri: 'SECRET[alert.alert_webhook_url]',
      method: 'post',
      encoding: { codec: 'json' },
      framing: { method: 'newline_delimited' },
      batch: { max_events: 1 },
      healthcheck: { enabled: false },
    });
    const c = trail.podAddon.containers[0];
    expect(c.volumeMount).toContainEqual({
      name: 'audit-shipper-secrets',
      mountPath: '/etc/vector-secrets',
      readOnly: true,
    });
    expect(trail.podAddon.volumes).toContainEqual({
      name: 'audit-shipper-secrets',
      secret: {
        secretName: 'audit-shipper-credentials',
        items: [{ key: 'alert_webhook_url', path: 'alert_webhook_url' }],
      },
    });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('a literal https webhook goes into the config as is, with a warning', () => {
    const { stack, trail, json, config } = tenantStack({ alertWebhookUrl: 'https://alerts.example.com/mcp' });
    expect((config.sinks as Record<string, JsonObject>).cross_tenant_alert.uri).toBe('https://alerts.example.com/mcp');
    expect(config.secret).toBeUndefined();
    expect(Object.keys(bodiesOf(json, 'kubernetes_secret_v1')[0].data_wo as JsonObject)).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    expect(trail.podAddon.volumes?.map((v) => v.name)).not.toContain('audit-shipper-secrets');
    expect(warningsOf(stack)).toEqual([
      'alertWebhookUrl is a literal: it is written in clear into the synthesized JSON and the shipper config map; the default is no literal (pass a sensitive TerraformVariable value if the URL carries a credential)',
    ]);
  });
});

describe('TenantAuditTrail props', () => {
  test('secretRevision is passed to the addon, so a rotated token is sent to the write-only secret again', () => {
    const { trail, json } = tenantStack({ secretRevision: 3 });
    expect(trail.podAddon.secretRevision).toBe(3);
    expect(bodiesOf(json, 'kubernetes_secret_v1')[0].data_wo_revision).toBe(3);
  });

  test('tailToStdout false drops the console sink', () => {
    const { config } = tenantStack({ tailToStdout: false });
    expect(Object.keys(config.sinks as JsonObject)).toEqual(['audit_bucket']);
  });

  test('jurisdiction eu moves the endpoint and the token scope to the eu host', () => {
    const { json, config } = tenantStack({ jurisdiction: 'eu' });
    expect((config.sinks as Record<string, JsonObject>).audit_bucket.endpoint).toBe(
      `https://${ACCOUNT}.eu.r2.cloudflarestorage.com`,
    );
    expect(String((bodiesOf(json, 'cloudflare_account_token')[0].policies as JsonObject[])[0].resources)).toContain(
      `${ACCOUNT}_eu_`,
    );
  });

  test('retentionDays and indefinite shape the lock', () => {
    expect(bodiesOf(tenantStack({ retentionDays: 90 }).json, 'cloudflare_r2_bucket_lock')[0].rules).toEqual([
      expect.objectContaining({ condition: { type: 'Age', max_age_seconds: 90 * 86400 } }),
    ]);
    expect(bodiesOf(tenantStack({ indefinite: true }).json, 'cloudflare_r2_bucket_lock')[0].rules).toEqual([
      expect.objectContaining({ condition: { type: 'Indefinite' } }),
    ]);
  });

  test('shipperImage replaces the image; a tag-only pin draws a warning naming the default', () => {
    const pinned = `registry.example.com/vector@${DIGEST}`;
    const a = tenantStack({ shipperImage: pinned });
    expect(a.trail.podAddon.containers[0].image).toBe(pinned);
    expect(warningsOf(a.stack)).toEqual([]);
    const b = tenantStack({ shipperImage: 'timberio/vector:0.57.0-distroless-static' });
    expect(warningsOf(b.stack)).toEqual([
      `shipperImage 'timberio/vector:0.57.0-distroless-static' is pinned by tag only; the default pins by digest ('${VECTOR_IMAGE}')`,
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
    expect(problemsOf({ shipperImage: 'timberio/vector:latest' })).toEqual([
      "shipperImage must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but 'timberio/vector:latest' was provided",
    ]);
    expect(problemsOf({ shipperImage: 'timberio/vector' })).toHaveLength(1);
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
    expect(report.applied).toEqual(expect.arrayContaining(['MCP-AUD-1', 'MCP-AUD-2', 'MCP-AUD-4']));
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
