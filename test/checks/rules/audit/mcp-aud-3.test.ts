import { MCP_AUD_3 } from '../../../../lib/checks/rules/audit/mcp-aud-3';
import type { JsonObject } from '../../../../lib/model/stack';
import { addResource, auditJson, notCompliant, removeResources, resource, run } from './tamper';

const APP = 'cloudflare_zero_trust_access_application';
const IDP = 'cloudflare_zero_trust_access_identity_provider';

/** The audit layer's JSON plus the Access pieces of the transport layer (an application and the IdP). */
function withAccess(idp = true): JsonObject {
  const json = auditJson();
  addResource(json, APP, 'acme_app', { account_id: 'a', name: 'mcp-acme', type: 'self_hosted' });
  if (idp) addResource(json, IDP, 'okta', { account_id: 'a', name: 'okta', type: 'okta' });
  return json;
}

const job = (json: JsonObject) => resource(json, 'cloudflare_logpush_job');

describe('MCP-AUD-3', () => {
  test('compliant: the enabled access_requests job writes NDJSON with the required fields into the locked account bucket', () => {
    const json = withAccess();
    expect(run(MCP_AUD_3, json)).toEqual([{ address: `cloudflare_logpush_job.${job(json)[0]}`, status: 'compliant' }]);
  });

  test('not applicable: a stack without Cloudflare Access', () => {
    expect(run(MCP_AUD_3, auditJson())).toEqual([]);
    expect(run(MCP_AUD_3, {})).toEqual([]);
  });

  test('non-compliant: the job removed from a stack with Access applications and the identity provider', () => {
    const json = withAccess();
    removeResources(json, 'cloudflare_logpush_job', () => true);
    expect(run(MCP_AUD_3, json)).toEqual([
      {
        address: `${IDP}.okta`,
        status: 'non-compliant',
        detail: 'no access_requests Logpush job of this stack writes into an R2 bucket',
      },
    ]);
  });

  test('non-compliant: the job disabled, its fields cut, its bucket unlocked', () => {
    const json = withAccess();
    const [name, body] = job(json);
    body.enabled = false;
    (body.output_options as JsonObject).field_names = ['CreatedAt', 'RayID'];
    removeResources(json, 'cloudflare_r2_bucket_lock', (l) => String(l.bucket_name).includes('Edge_Bucket'));
    const [bad] = run(MCP_AUD_3, json);
    expect(bad.address).toBe(`cloudflare_logpush_job.${name}`);
    expect(bad.status).toBe('non-compliant');
    expect(bad.detail).toContain('enabled is false (Logpush jobs default to disabled)');
    expect(bad.detail).toContain('it drops Email, UserUID, AppUUID, AppDomain, Allowed');
    expect(bad.detail).toMatch(/its bucket cloudflare_r2_bucket\.Edge_Bucket_[0-9A-F]{8} has no lock/);
  });

  test('non-compliant: the job writes CSV into a bucket outside the stack', () => {
    const json = withAccess();
    const [, body] = job(json);
    body.destination_conf = 'r2://elsewhere/x/{DATE}?account-id=a';
    (body.output_options as JsonObject).output_type = 'csv';
    const [bad] = notCompliant(run(MCP_AUD_3, json));
    expect(bad.detail).toBe(
      'its destination bucket \'elsewhere\' is not an R2 bucket of this stack; output_type is "csv", not ndjson',
    );
  });

  test('undecided: a cell stack with Access applications but neither the identity provider nor a job', () => {
    const json = withAccess(false);
    removeResources(json, 'cloudflare_logpush_job', () => true);
    const [result] = run(MCP_AUD_3, json);
    expect(result.status).toBe('undecided');
    expect(result.address).toBe(`${APP}.acme_app`);
  });

  test('undecided: enabled is an unresolved expression', () => {
    const json = withAccess();
    job(json)[1].enabled = '${var.logpush_enabled}';
    expect(notCompliant(run(MCP_AUD_3, json))).toEqual([
      expect.objectContaining({ status: 'undecided', detail: 'enabled is an unresolved expression' }),
    ]);
  });
});
