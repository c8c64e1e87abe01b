import { MCP_AUD_3 } from '../../../../lib/checks/rules/audit/mcp-aud-3';
import type { JsonObject } from '../../../../lib/model/stack';
import { SynthesizedApp } from '../../../../lib/model/stack';
import { ACCOUNT } from '../../../audit/fixtures';
import { addResource, auditJson, notCompliant, removeResources, resource, run } from './tamper';

const APP = 'cloudflare_zero_trust_access_application';
const IDP = 'cloudflare_zero_trust_access_identity_provider';

/** The audit layer's JSON plus the Access pieces of the transport layer (an application and the IdP). */
function withAccess(idp = true): JsonObject {
  const json = auditJson();
  addResource(json, APP, 'acme_app', { account_id: ACCOUNT, name: 'mcp-acme', type: 'self_hosted' });
  if (idp) addResource(json, IDP, 'okta', { account_id: ACCOUNT, name: 'okta', type: 'okta' });
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
        detail: 'no access_requests Logpush job of this stack writes into a bucket',
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

  test('compliant: an AWS S3 destination into a bucket with an Object Lock configuration', () => {
    const json = withAccess();
    addResource(json, 'aws_s3_bucket', 'edge', { bucket: 'org-mcp-audit-access-requests', object_lock_enabled: true });
    addResource(json, 'aws_s3_bucket_object_lock_configuration', 'edge', {
      bucket: '${aws_s3_bucket.edge.id}',
      rule: { default_retention: { mode: 'COMPLIANCE', days: 365 } },
    });
    job(json)[1].destination_conf = 's3://${aws_s3_bucket.edge.bucket}/access-requests/{DATE}?region=eu-central-1';
    expect(notCompliant(run(MCP_AUD_3, json))).toEqual([]);
  });

  test('undecided: a cell stack checked without the stack that holds the job', () => {
    const json = withAccess(false);
    removeResources(json, 'cloudflare_logpush_job', () => true);
    const [result] = run(MCP_AUD_3, json);
    expect(result.status).toBe('undecided');
    expect(result.address).toBe(`${APP}.acme_app`);
  });

  test('non-compliant: the job pushes another account than the Access pieces it must cover', () => {
    const json = withAccess();
    job(json)[1].account_id = 'fedcba9876543210fedcba9876543210';
    const [bad] = run(MCP_AUD_3, json);
    expect(bad.detail).toContain(
      `it pushes account fedcba9876543210fedcba9876543210, but the Access pieces it must cover are in ${ACCOUNT}`,
    );
  });

  describe('a fleet: the cell follows its reference into the foundation', () => {
    /** A foundation (IdP, job, bucket) and a cell whose application reads the IdP id through remote state. */
    function fleet(): { foundation: JsonObject; cell: JsonObject } {
      const foundation = withAccess();
      removeResources(foundation, APP, () => true);
      foundation.terraform = { backend: { local: { path: 'foundation.tfstate' } } };
      foundation.output = { idp_id: { value: `\${${IDP}.okta.id}` } };
      const cell: JsonObject = {
        terraform: { backend: { local: { path: 'cell.tfstate' } } },
        data: { terraform_remote_state: { foundation: { backend: 'local', config: { path: 'foundation.tfstate' } } } },
      };
      addResource(cell, APP, 'acme_app', {
        account_id: ACCOUNT,
        name: 'mcp-acme',
        allowed_idps: ['${data.terraform_remote_state.foundation.outputs.idp_id}'],
      });
      return { foundation, cell };
    }
    const judge = (f: { foundation: JsonObject; cell: JsonObject }) => {
      const app = new SynthesizedApp([
        { name: 'foundation', json: f.foundation },
        { name: 'cell', json: f.cell },
      ]);
      return MCP_AUD_3.evaluate(app.stack('cell')!);
    };

    test("compliant: the foundation's job is judged for the cell", () => {
      expect(judge(fleet())).toEqual([{ address: `${APP}.acme_app`, status: 'compliant' }]);
    });

    test("non-compliant: the foundation's job is disabled, named in the cell's finding", () => {
      const f = fleet();
      job(f.foundation)[1].enabled = false;
      const [bad] = judge(f);
      expect(bad.status).toBe('non-compliant');
      expect(bad.detail).toMatch(
        /^the access_requests job cloudflare_logpush_job\.\S+ of stack foundation: enabled is false/,
      );
    });

    test('non-compliant: the referenced foundation has no job at all', () => {
      const f = fleet();
      removeResources(f.foundation, 'cloudflare_logpush_job', () => true);
      expect(judge(f)).toEqual([
        {
          address: `${APP}.acme_app`,
          status: 'non-compliant',
          detail: "stack foundation, which this stack's Access pieces reference, has no access_requests Logpush job",
        },
      ]);
    });

    test("undecided: the foundation's job reads enabled from a variable without a default", () => {
      const f = fleet();
      job(f.foundation)[1].enabled = '${var.logpush_enabled}';
      const [result] = judge(f);
      expect(result.status).toBe('undecided');
      expect(result.detail).toContain('of stack foundation: enabled is an unresolved expression');
    });
  });

  test('undecided: enabled is an unresolved expression', () => {
    const json = withAccess();
    job(json)[1].enabled = '${var.logpush_enabled}';
    expect(notCompliant(run(MCP_AUD_3, json))).toEqual([
      expect.objectContaining({ status: 'undecided', detail: 'enabled is an unresolved expression' }),
    ]);
  });
});
