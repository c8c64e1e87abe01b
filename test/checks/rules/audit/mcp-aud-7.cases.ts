import { MCP_AUD_7 } from '../../../../lib/checks/rules/audit/mcp-aud-7';
import type { JsonObject } from '../../../../lib/model/stack';
import { ACCOUNT } from '../../../audit/fixtures';
import { addResource, auditJson, notCompliant, resource, run } from './tamper';

const TOKEN = 'cloudflare_account_token';
const acmeToken = (json: JsonObject) => resource(json, TOKEN, (t) => t.name === 'mcp-audit-acme-writer');

/** acme's token after `edit`, judged. */
function judged(edit: (token: JsonObject, json: JsonObject) => void) {
  const json = auditJson();
  const [name, token] = acmeToken(json);
  edit(token, json);
  return run(MCP_AUD_7, json).find((r) => r.address === `${TOKEN}.${name}`)!;
}

describe('MCP-AUD-7', () => {
  test('declares what it requires and its fix', () => {
    expect(MCP_AUD_7.requires?.length).toBeGreaterThanOrEqual(3);
    expect(MCP_AUD_7.fix).toContain('writerRotationDays');
  });

  test('compliant: every writer token of the layer (account log and tenants) is scoped, rotated and expiring', () => {
    const results = run(MCP_AUD_7, auditJson(['acme', 'globex']));
    expect(results).toHaveLength(3);
    expect(notCompliant(results)).toEqual([]);
  });

  test('not applicable: a stack without R2 tokens or writer roles', () => {
    expect(run(MCP_AUD_7, {})).toEqual([]);
  });

  test('non-compliant: widened to the account', () => {
    const r = judged((t) => {
      (t.policies as JsonObject[])[0].resources = JSON.stringify({ [`com.cloudflare.api.account.${ACCOUNT}`]: '*' });
    });
    expect(r.detail).toBe(
      `policies[0] is scoped to ["com.cloudflare.api.account.${ACCOUNT}"], not exactly one R2 bucket`,
    );
  });

  test('non-compliant: the account-wide R2 admin group, and a second policy', () => {
    const r = judged((t) => {
      const policies = t.policies as JsonObject[];
      (policies[0].permission_groups as JsonObject[])[0].id = 'bf7481a1826f439697cb59a20b22293e';
      policies.push({ ...policies[0] });
    });
    expect(r.detail).toContain('it has 2 policies, not exactly one');
    expect(r.detail).toContain('grants ["Workers R2 Storage Write"], not only Workers R2 Storage Bucket Item Write');
  });

  test('a policy or permission group written as an expression is counted, not skipped', () => {
    // `${var.extra}` may hold a policy granting the whole account: the token no longer has exactly one policy.
    const extraPolicy = judged((t) => (t.policies as unknown[]).push('${var.extra}'));
    expect(extraPolicy).toMatchObject({ status: 'non-compliant' });
    expect(extraPolicy.detail).toBe('it has 2 policies, not exactly one');
    const extraGroup = judged((t) => {
      const groups = (t.policies as JsonObject[])[0].permission_groups as unknown[];
      expect(groups).toHaveLength(1);
      groups.push('${var.group}');
    });
    expect(extraGroup.detail).toBe(
      'policies[0] grants ["2efd5506f9c8494dacb1fa10a3e7d5b6","${var.group}"], not only Workers R2 Storage Bucket Item Write',
    );
    const onlyExpression = judged((t) => {
      t.policies = ['${var.policy}'];
    });
    expect(onlyExpression).toMatchObject({ status: 'undecided' });
    expect(onlyExpression.detail).toContain('policies[0] is an unresolved expression');
    const notAPolicy = judged((t) => {
      t.policies = [7];
    });
    expect(notAPolicy.detail).toContain('policies[0] 7 is not a policy');
  });

  test("non-compliant: acme's writer scoped to globex's bucket", () => {
    const json = auditJson(['acme', 'globex']);
    const [globexBucket] = resource(json, 'cloudflare_r2_bucket', (b) => b.name === 'mcp-audit-globex');
    const [name, token] = acmeToken(json);
    (token.policies as JsonObject[])[0].resources = JSON.stringify({
      [`com.cloudflare.edge.r2.bucket.${ACCOUNT}_default_\${cloudflare_r2_bucket.${globexBucket}.name}`]: '*',
    });
    const r = run(MCP_AUD_7, json).find((e) => e.address === `${TOKEN}.${name}`)!;
    expect(r.detail).toBe("policies[0] is scoped to bucket 'mcp-audit-globex', not mcp-audit-acme");
  });

  test('non-compliant: no expiry, a fixed expiry, no replacement', () => {
    expect(judged((t) => delete t.expires_on).detail).toBe(
      'it has no expires_on (a token that can read the bucket must expire)',
    );
    expect(judged((t) => (t.expires_on = '2099-01-01T00:00:00Z')).detail).toBe(
      'expires_on is the fixed date 2099-01-01T00:00:00Z: nothing renews it; derive it from a time_rotating resource',
    );
    expect(judged((t) => delete t.lifecycle).detail).toMatch(
      /^lifecycle\.replace_triggered_by does not name time_rotating\.\S+, so the token is never replaced$/,
    );
  });

  test.each([
    ['720h', 90, 'compliant'],
    ['721h', 90, 'non-compliant'],
    ['360h', 91, 'non-compliant'],
  ] as const)('an expiry margin of %s after a rotation of %s days is %s', (margin, days, status) => {
    const r = judged((t, json) => {
      t.expires_on = String(t.expires_on).replace(/"\d+h"/, `"${margin}"`);
      for (const [, b] of Object.entries((json.resource as Record<string, Record<string, JsonObject>>).time_rotating)) {
        b.rotation_days = days;
      }
    });
    expect(r.status).toBe(status);
  });

  /** acme's token with its time_rotating period replaced by `period` and its expires_on margin by `expires`. */
  function judgedLifetime(period: JsonObject, expires?: (current: string) => string) {
    let rotating = '';
    const r = judged((t, json) => {
      const all = Object.entries((json.resource as Record<string, Record<string, JsonObject>>).time_rotating);
      const mine = all.filter(([name]) => String(t.expires_on).includes(`time_rotating.${name}.`));
      expect(mine).toHaveLength(1);
      const [name, body] = mine[0];
      rotating = `time_rotating.${name}`;
      for (const key of ['rotation_minutes', 'rotation_hours', 'rotation_days', 'rotation_months', 'rotation_years'])
        delete body[key];
      Object.assign(body, period);
      if (expires) t.expires_on = expires(String(t.expires_on));
    });
    return { r, rotating };
  }

  test.each<[string, JsonObject, string | undefined]>([
    ['rotation_days 90 (the limit)', { rotation_days: 90 }, undefined],
    ['rotation_days "90" (a numeric string)', { rotation_days: '90' }, undefined],
    ['rotation_days 91', { rotation_days: 91 }, 'rotates every 91 days (at most 90)'],
    ['rotation_hours 2160 (90 days)', { rotation_hours: 2160 }, undefined],
    ['rotation_hours 2161', { rotation_hours: 2161 }, 'rotates every 90.04166666666666 days (at most 90)'],
    ['rotation_minutes 129600 (90 days)', { rotation_minutes: 129600 }, undefined],
    [
      'rotation_minutes 129601 (one minute past)',
      { rotation_minutes: 129601 },
      'rotates every 90.00069444444445 days (at most 90)',
    ],
    [
      'rotation_minutes 129660 (90 days and an hour)',
      { rotation_minutes: 129660 },
      'rotates every 90.04166666666667 days (at most 90)',
    ],
    ['rotation_days 89 and rotation_hours 24 (90 days in all)', { rotation_days: 89, rotation_hours: 24 }, undefined],
    [
      'rotation_days 90 and rotation_hours 1',
      { rotation_days: 90, rotation_hours: 1 },
      'rotates every 90.04166666666667 days (at most 90)',
    ],
    ['rotation_months 2 (counted as 62 days)', { rotation_months: 2 }, undefined],
    ['rotation_months 3 (counted as 93 days)', { rotation_months: 3 }, 'rotates every 93 days (at most 90)'],
    ['rotation_years 1 (counted as 366 days)', { rotation_years: 1 }, 'rotates every 366 days (at most 90)'],
  ])('the writer token rotation: %s, exact finding', (_name, period, problem) => {
    const { r, rotating } = judgedLifetime(period);
    expect(r.status).toBe(problem === undefined ? 'compliant' : 'non-compliant');
    expect(r.detail).toBe(problem === undefined ? undefined : `${rotating} ${problem}`);
  });

  test.each<[string, string, string, number, string | undefined]>([
    ['rotation_rfc3339 + 720h (30 days, the limit)', 'rotation_rfc3339', '720h', 30, undefined],
    [
      'rotation_rfc3339 + 721h',
      'rotation_rfc3339',
      '721h',
      30,
      'the token stays valid 30.041666666666668 days past its rotation (at most 30)',
    ],
    [
      'rotation_rfc3339 + 744h (31 days)',
      'rotation_rfc3339',
      '744h',
      30,
      'the token stays valid 31 days past its rotation (at most 30)',
    ],
    ['rfc3339 + 1440h after a 30-day rotation (30 days of margin)', 'rfc3339', '1440h', 30, undefined],
    [
      'rfc3339 + 1464h after a 30-day rotation (31 days of margin)',
      'rfc3339',
      '1464h',
      30,
      'the token stays valid 31 days past its rotation (at most 30)',
    ],
  ])('the writer token expiry: %s, exact finding', (_name, attribute, hours, days, problem) => {
    const { r } = judgedLifetime({ rotation_days: days }, (current) => {
      expect(current).toMatch(/\.rotation_rfc3339, "\d+h"\)\}$/);
      return current.replace(/\.rotation_rfc3339, "\d+h"\)\}$/, `.${attribute}, "${hours}")}`);
    });
    expect(r.status).toBe(problem === undefined ? 'compliant' : 'non-compliant');
    expect(r.detail).toBe(problem);
  });

  test('undecided: the expiry is an expression the rule cannot read', () => {
    const r = judged((t) => (t.expires_on = '${var.token_expiry}'));
    expect(r).toMatchObject({
      status: 'undecided',
      detail: 'expires_on "${var.token_expiry}" is not timeadd(time_rotating.<name>.rotation_rfc3339, "<hours>h")',
    });
  });

  test('non-compliant: a long-lived AWS access key beside audit buckets', () => {
    const json = auditJson();
    addResource(json, 'aws_iam_access_key', 'writer', { user: 'audit-writer' });
    expect(notCompliant(run(MCP_AUD_7, json))).toEqual([
      {
        address: 'aws_iam_access_key.writer',
        status: 'non-compliant',
        detail: 'a long-lived AWS access key in a stack with audit buckets',
      },
    ]);
  });

  describe('S3 writer roles', () => {
    /** An S3 audit bucket and a writer role for acme, as the S3 backend writes them. */
    function s3(): JsonObject {
      const json: JsonObject = {};
      addResource(json, 'aws_s3_bucket', 'acme', { bucket: 'org-mcp-audit-acme', object_lock_enabled: true });
      addResource(json, 'aws_iam_role', 'writer', {
        name: 'org-mcp-audit-acme-writer',
        assume_role_policy: JSON.stringify({
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: 'arn:aws:iam::1:oidc-provider/x' },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: { 'x:sub': 'system:serviceaccount:mcp-acme:mcp-server', 'x:aud': 'sts.amazonaws.com' },
              },
            },
          ],
        }),
      });
      addResource(json, 'aws_iam_role_policy', 'writer', {
        role: '${aws_iam_role.writer.id}',
        policy: JSON.stringify({
          Statement: [
            { Effect: 'Allow', Action: ['s3:PutObject'], Resource: '${aws_s3_bucket.acme.arn}/tenant=acme/*' },
          ],
        }),
      });
      return json;
    }
    const policyOf = (json: JsonObject) =>
      (json.resource as Record<string, Record<string, JsonObject>>).aws_iam_role_policy.writer;

    test('compliant: trusted by one shipper, allowed only s3:PutObject into one audit bucket', () => {
      expect(run(MCP_AUD_7, s3())).toEqual([{ address: 'aws_iam_role.writer', status: 'compliant' }]);
    });

    test('non-compliant: the writer may also delete, on every bucket', () => {
      const json = s3();
      policyOf(json).policy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: '*' }],
      });
      const [r] = run(MCP_AUD_7, json);
      expect(r.detail).toBe(
        'aws_iam_role_policy.writer allows ["s3:PutObject","s3:DeleteObject"], not only s3:PutObject; aws_iam_role_policy.writer allows "*", not objects of one audit bucket',
      );
    });

    test('non-compliant: the role trusts a whole account', () => {
      const json = s3();
      (json.resource as Record<string, Record<string, JsonObject>>).aws_iam_role.writer.assume_role_policy =
        JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'sts:AssumeRole' }],
        });
      const [r] = run(MCP_AUD_7, json);
      expect(r.detail).toBe('the role trusts {"AWS":"arn:aws:iam::1:root"}, not a tenant\'s shipper');
    });

    test('undecided: the trust policy is an expression', () => {
      const json = s3();
      (json.resource as Record<string, Record<string, JsonObject>>).aws_iam_role.writer.assume_role_policy =
        '${data.aws_iam_policy_document.trust.json}';
      expect(run(MCP_AUD_7, json)).toEqual([
        {
          address: 'aws_iam_role.writer',
          status: 'undecided',
          detail: 'assume_role_policy is not a JSON policy the rule can read',
        },
      ]);
    });
  });
});
