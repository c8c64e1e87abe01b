import { MCP_AUD_2 } from '../../../../lib/checks/rules/audit/mcp-aud-2';
import type { JsonObject } from '../../../../lib/model/stack';
import { withProviders, newStack, rawJson } from '../../../helpers';
import { addTenant } from '../../../audit/fixtures';
import { addResource, auditJson, notCompliant, run } from './tamper';
import { only, s3Json } from './s3-fixture';

describe('MCP-AUD-2', () => {
  test('compliant: every audit bucket and lock of the audit layer has prevent_destroy', () => {
    const results = run(MCP_AUD_2, auditJson(['acme', 'globex']));
    expect(results).toHaveLength(6);
    expect(notCompliant(results)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(run(MCP_AUD_2, {})).toEqual([]);
  });

  test('non-compliant: a tenant bucket whose prevent_destroy is overridden to false', () => {
    const stack = withProviders(newStack());
    const trail = addTenant(stack, 'acme');
    trail.bucket!.bucket.addOverride('lifecycle.prevent_destroy', false);
    const bad = notCompliant(run(MCP_AUD_2, rawJson(stack)));
    expect(bad).toEqual([
      {
        address: `cloudflare_r2_bucket.${trail.bucket!.bucket.friendlyUniqueId}`,
        status: 'non-compliant',
        detail: 'the audit bucket has lifecycle.prevent_destroy false',
      },
    ]);
  });

  test('non-compliant: a lock without a lifecycle block', () => {
    const json = auditJson();
    const locks = (json.resource as Record<string, Record<string, JsonObject>>).cloudflare_r2_bucket_lock;
    const [name, lock] = Object.entries(locks)[0];
    delete lock.lifecycle;
    expect(notCompliant(run(MCP_AUD_2, json))).toEqual([
      {
        address: `cloudflare_r2_bucket_lock.${name}`,
        status: 'non-compliant',
        detail: 'cloudflare_r2_bucket_lock has lifecycle.prevent_destroy null',
      },
    ]);
  });

  test('judges every Vault mount and Okta auth server, with or without prevent_destroy', () => {
    const json: JsonObject = {};
    addResource(json, 'vault_mount', 'kv', {
      path: 'tenants/acme/kv',
      type: 'kv',
      lifecycle: { prevent_destroy: true },
    });
    addResource(json, 'vault_mount', 'transit', { path: 'tenants/acme/transit', type: 'transit' });
    addResource(json, 'okta_auth_server', 'acme', {
      name: 'acme',
      audiences: ['a'],
      lifecycle: [{ prevent_destroy: true }],
    });
    expect(run(MCP_AUD_2, json)).toEqual([
      { address: 'vault_mount.kv', status: 'compliant' },
      {
        address: 'vault_mount.transit',
        status: 'non-compliant',
        detail: 'vault_mount has lifecycle.prevent_destroy null',
      },
      { address: 'okta_auth_server.acme', status: 'compliant' },
    ]);
  });
});

describe('MCP-AUD-2 on the S3 backend', () => {
  test('compliant: bucket, versioning and Object Lock configuration all keep prevent_destroy', () => {
    const results = run(MCP_AUD_2, s3Json());
    expect(results).toHaveLength(3);
    expect(notCompliant(results)).toEqual([]);
  });

  test('non-compliant: the Object Lock configuration may be destroyed', () => {
    const json = s3Json();
    const [name, lock] = only(json, 'aws_s3_bucket_object_lock_configuration');
    delete lock.lifecycle;
    expect(notCompliant(run(MCP_AUD_2, json))).toEqual([
      {
        address: `aws_s3_bucket_object_lock_configuration.${name}`,
        status: 'non-compliant',
        detail: 'aws_s3_bucket_object_lock_configuration has lifecycle.prevent_destroy null',
      },
    ]);
  });
});
