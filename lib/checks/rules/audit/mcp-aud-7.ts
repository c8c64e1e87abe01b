import {
  AWS_WEB_IDENTITY_AUDIENCE,
  EKS_POD_IDENTITY_PRINCIPAL,
  HOURS_PER_DAY,
  R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID,
  R2_BUCKET_RESOURCE_PREFIX,
  R2_OTHER_PERMISSION_GROUP_IDS,
  S3_WRITER_ACTION,
  WRITER_EXPIRY_MARGIN_DAYS_MAX,
  WRITER_ROTATION_DAYS_MAX,
} from '../../../core/audit-defaults';
import { MCP_SERVICE_ACCOUNT_NAME } from '../../../core/naming';
import { blocks, isExpression, isObject, numberValue, referencesIn, stringList } from '../../../model/json';
import {
  ACCOUNT_TOKEN_TYPES,
  auditView,
  bucketName,
  bucketsNamed,
  IAM_ACCESS_KEY_TYPE,
  IAM_ROLE_POLICY_TYPE,
  IAM_ROLE_TYPE,
  lifecycleOf,
  LOGPUSH_JOB_TYPE,
  R2_BUCKET_TYPE,
  resolvedString,
  S3_BUCKET_TYPE,
  TIME_ROTATING_TYPE,
} from '../../../model/audit';
import type { JsonObject, ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { tenantInName } from '../../../model/tenancy';
import { type Evaluation, nonCompliant, type Rule } from '../../rule';
import { Verdict } from '../../verdict';

const R2_GROUPS = new Set([R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID, ...Object.keys(R2_OTHER_PERMISSION_GROUP_IDS)]);
const EXPIRY = /^\$\{timeadd\(time_rotating\.([A-Za-z0-9_-]+)\.(rotation_rfc3339|rfc3339), "(\d+)h"\)\}$/;

/** Longest rotation a `time_rotating` body sets, in days (undefined: none; NaN: an expression). */
function rotationDays(body: JsonObject): number | undefined {
  const units: [string, number][] = [
    ['rotation_minutes', 1 / (24 * 60)],
    ['rotation_hours', 1 / 24],
    ['rotation_days', 1],
    ['rotation_months', 31],
    ['rotation_years', 366],
  ];
  let total: number | undefined;
  for (const [key, factor] of units) {
    const n = numberValue(body[key]);
    if (n === 'expression') return Number.NaN;
    if (n !== undefined) total = (total ?? 0) + n * factor;
  }
  return total;
}

/** Judges a writer token's lifetime: an expiry a bounded margin after a bounded rotation, and the rotation replaces it. */
function judgeLifetime(stack: SynthesizedStack, v: Verdict, token: ResourceEntry): void {
  const expires = token.body.expires_on;
  if (expires === undefined || expires === null || expires === '') {
    v.fail('it has no expires_on (a token that can read the bucket must expire)');
    return;
  }
  const m = typeof expires === 'string' ? EXPIRY.exec(expires) : null;
  if (!m) {
    if (typeof expires === 'string' && !isExpression(expires)) {
      v.fail(`expires_on is the fixed date ${expires}: nothing renews it; derive it from a time_rotating resource`);
    } else
      v.undecided(
        `expires_on ${JSON.stringify(expires)} is not timeadd(time_rotating.<name>.rotation_rfc3339, "<hours>h")`,
      );
    return;
  }
  const [, name, attribute, hours] = m;
  const rotating = stack.find(`${TIME_ROTATING_TYPE}.${name}`);
  if (!rotating) {
    v.fail(`expires_on names ${TIME_ROTATING_TYPE}.${name}, which this stack does not declare`);
    return;
  }
  const period = rotationDays(rotating.body);
  if (period === undefined) v.fail(`${rotating.address} sets no rotation period`);
  else if (Number.isNaN(period)) v.unknown(`${rotating.address} rotation period`);
  else
    v.expect(
      period <= WRITER_ROTATION_DAYS_MAX,
      `${rotating.address} rotates every ${period} days (at most ${WRITER_ROTATION_DAYS_MAX})`,
    );
  // Counted from the base time (rfc3339), the margin must also cover the rotation period.
  const margin = Number(hours) / HOURS_PER_DAY - (attribute === 'rfc3339' && period !== undefined ? period : 0);
  v.expect(
    margin <= WRITER_EXPIRY_MARGIN_DAYS_MAX,
    `the token stays valid ${margin} days past its rotation (at most ${WRITER_EXPIRY_MARGIN_DAYS_MAX})`,
  );
  const triggers = stringList(lifecycleOf(token.body).replace_triggered_by);
  v.expect(
    triggers !== 'expression' &&
      triggers
        .map((t) => t.replace(/^\$\{(.*)\}$/, '$1'))
        .some((t) => t === rotating.address || t.startsWith(`${rotating.address}.`)),
    `lifecycle.replace_triggered_by does not name ${rotating.address}, so the token is never replaced`,
  );
}

/** A list attribute's entries as written (an object alone counts as one), expressions included. */
function writtenList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** Judges one R2 writer token: one policy, Bucket Item Write only, on exactly one audit bucket, bounded in time. */
function judgeR2Token(stack: SynthesizedStack, token: ResourceEntry): Evaluation {
  const v = new Verdict(token.address);
  const policies = token.body.policies;
  if (isExpression(policies)) return v.unknown('policies').result();
  // Entries are counted as written: one written as an expression (`"${var.extra}"`) may grant anything.
  const list = writtenList(policies);
  if (list.length !== 1) v.fail(`it has ${list.length} policies, not exactly one`);
  for (const [i, policy] of list.entries()) {
    const where = `policies[${i}]`;
    if (!isObject(policy)) {
      if (isExpression(policy)) v.unknown(where);
      else v.fail(`${where} ${JSON.stringify(policy)} is not a policy`);
      continue;
    }
    v.expect(policy.effect === 'allow', `${where}.effect is ${JSON.stringify(policy.effect ?? null)}`);
    const groups = writtenList(policy.permission_groups).map((g) => (isObject(g) ? g.id : g));
    v.expect(
      groups.length === 1 && groups[0] === R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID,
      `${where} grants ${JSON.stringify(groups.map((g) => (typeof g === 'string' ? (R2_OTHER_PERMISSION_GROUP_IDS[g] ?? g) : g)))}, not only Workers R2 Storage Bucket Item Write`,
    );
    let resources: unknown;
    try {
      resources = typeof policy.resources === 'string' ? JSON.parse(policy.resources) : policy.resources;
    } catch {
      v.fail(`${where}.resources is not JSON`);
      continue;
    }
    const keys = isObject(resources) ? Object.keys(resources) : [];
    if (keys.length !== 1 || !keys[0].startsWith(R2_BUCKET_RESOURCE_PREFIX)) {
      v.fail(`${where} is scoped to ${JSON.stringify(keys)}, not exactly one R2 bucket`);
      continue;
    }
    const ref = keys[0].slice(R2_BUCKET_RESOURCE_PREFIX.length);
    const bucketPart = /_(?:default|eu|fedramp)_(.+)$/.exec(ref)?.[1] ?? '';
    const [bucket] = bucketsNamed(stack, bucketPart, [R2_BUCKET_TYPE]);
    if (!bucket) {
      v.fail(`${where} is scoped to '${bucketPart}', which is no R2 bucket of this stack`);
      continue;
    }
    const name = bucketName(stack, bucket);
    const tenant = tenantInName('writerToken', resolvedString(stack, token.body.name) ?? '');
    if (tenant !== undefined && name !== undefined) {
      v.expect(name === `mcp-audit-${tenant}`, `${where} is scoped to bucket '${name}', not mcp-audit-${tenant}`);
    }
  }
  judgeLifetime(stack, v, token);
  return v.result();
}

/** The R2 writer tokens of a stack: R2 permission groups, a writer's name, or used by a Logpush destination. */
function r2WriterTokens(stack: SynthesizedStack): ResourceEntry[] {
  const used = new Set(stack.ofType(LOGPUSH_JOB_TYPE).flatMap((j) => referencesIn(j.body.destination_conf)));
  return ACCOUNT_TOKEN_TYPES.flatMap((t) => stack.ofType(t)).filter((token) => {
    const groups = blocks(token.body.policies).flatMap((p) => blocks(p.permission_groups).map((g) => g.id));
    const name = resolvedString(stack, token.body.name) ?? '';
    return (
      groups.some((g) => typeof g === 'string' && R2_GROUPS.has(g)) ||
      /^mcp-audit-.+-writer$/.test(name) ||
      used.has(token.address)
    );
  });
}

/** Statements of a policy document (JSON text). */
function statements(text: unknown): JsonObject[] | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const doc: unknown = JSON.parse(text);
    return isObject(doc) ? blocks(doc.Statement) : undefined;
  } catch {
    return undefined;
  }
}

/** Judges one S3 writer role: assumed by one tenant's shipper only, and allowed only s3:PutObject into one audit bucket. */
function judgeWriterRole(stack: SynthesizedStack, role: ResourceEntry): Evaluation {
  const v = new Verdict(role.address);
  const trust = statements(role.body.assume_role_policy);
  if (!trust) return v.undecided('assume_role_policy is not a JSON policy the rule can read').result();
  for (const s of trust) {
    const principal = isObject(s.Principal) ? s.Principal : {};
    const conditions = JSON.stringify(s.Condition ?? {});
    if (typeof principal.Federated === 'string') {
      v.expect(
        s.Action === 'sts:AssumeRoleWithWebIdentity',
        'a web-identity trust does not name sts:AssumeRoleWithWebIdentity',
      );
      v.expect(
        new RegExp(`system:serviceaccount:mcp-[a-z][a-z0-9-]{1,30}:${MCP_SERVICE_ACCOUNT_NAME}"`).test(conditions) &&
          conditions.includes(`"${AWS_WEB_IDENTITY_AUDIENCE}"`),
        'the web-identity trust is not bound to one tenant service account (sub) and the sts audience (aud)',
      );
    } else if (principal.Service === EKS_POD_IDENTITY_PRINCIPAL) {
      v.expect(
        /kubernetes-namespace":"mcp-[a-z][a-z0-9-]{1,30}"/.test(conditions) &&
          conditions.includes(`kubernetes-service-account":"${MCP_SERVICE_ACCOUNT_NAME}"`),
        'the Pod Identity trust is not bound to one tenant namespace and service account',
      );
    } else v.fail(`the role trusts ${JSON.stringify(s.Principal ?? null)}, not a tenant's shipper`);
  }
  v.expect(
    role.body.managed_policy_arns === undefined && role.body.inline_policy === undefined,
    'the role carries managed or inline policies besides its writer policy',
  );
  const audit = new Set(
    [...auditView(stack).auditBuckets.values()].filter((b) => b.store === 's3').map((b) => b.entry),
  );
  const policies = stack.ofType(IAM_ROLE_POLICY_TYPE).filter((p) => referencesIn(p.body.role).includes(role.address));
  if (policies.length === 0) v.fail('no aws_iam_role_policy gives the role its one permission');
  for (const policy of policies) {
    const list = statements(policy.body.policy);
    if (!list) {
      v.undecided(`${policy.address}.policy is not a JSON policy the rule can read`);
      continue;
    }
    for (const s of list) {
      const actions = typeof s.Action === 'string' ? [s.Action] : stringList(s.Action);
      const resources = typeof s.Resource === 'string' ? [s.Resource] : stringList(s.Resource);
      v.expect(
        s.Effect === 'Allow' && actions !== 'expression' && actions.length === 1 && actions[0] === S3_WRITER_ACTION,
        `${policy.address} allows ${JSON.stringify(s.Action)}, not only ${S3_WRITER_ACTION}`,
      );
      const ok =
        resources !== 'expression' &&
        resources.length > 0 &&
        resources.every((r) => {
          const [bucket] = bucketsNamed(stack, r.replace(/\/.*$/, '').replace(/^arn:aws:s3:::/, ''), [S3_BUCKET_TYPE]);
          const byRef = referencesIn(r)
            .map((a) => stack.find(a))
            .find((e) => e?.type === S3_BUCKET_TYPE);
          const target = byRef ?? bucket;
          return target !== undefined && audit.has(target) && /\/.+/.test(r.replace(/\$\{[^}]*\}/g, ''));
        });
      v.expect(ok, `${policy.address} allows ${JSON.stringify(s.Resource)}, not objects of one audit bucket`);
    }
  }
  return v.result();
}

/** The S3 writer roles of a stack: roles a writer policy names an S3 audit bucket for, or named like a writer. */
function s3WriterRoles(stack: SynthesizedStack): ResourceEntry[] {
  const audit = [...auditView(stack).auditBuckets.values()].filter((b) => b.store === 's3').map((b) => b.entry.address);
  const byPolicy = stack
    .ofType(IAM_ROLE_POLICY_TYPE)
    .filter((p) => referencesIn(p.body.policy).some((r) => audit.includes(r)))
    .flatMap((p) => referencesIn(p.body.role).filter((r) => r.startsWith(`${IAM_ROLE_TYPE}.`)));
  return stack
    .ofType(IAM_ROLE_TYPE)
    .filter((r) => byPolicy.includes(r.address) || /mcp-audit-.+-writer$/.test(String(r.body.name ?? '')));
}

/** MCP-AUD-7: every audit writer credential reaches one bucket, can only write, and is bounded in time. */
export const MCP_AUD_7: Rule = {
  id: 'MCP-AUD-7',
  level: 'error',
  layer: 'audit',
  cause: 'an audit writer credential reaches more than one bucket, can do more than write, or never expires',
  explanation: `Cloudflare has no write-only R2 permission group: "Workers R2 Storage Bucket Item Write" reads, writes and lists objects of the buckets it is scoped to, and the account-level groups administer every bucket (developers.cloudflare.com/r2/api/tokens/). So an R2 writer token carries exactly that one group, scoped to exactly one audit bucket (its own tenant's for mcp-audit-<t>-writer), and is bounded in time: it expires a margin after a time_rotating resource's rotation time (at most ${WRITER_ROTATION_DAYS_MAX} days between rotations, at most ${WRITER_EXPIRY_MARGIN_DAYS_MAX} days of margin) and is replaced when the rotation is due (replace_triggered_by), so a leaked token reads one tenant's history for a bounded time. An S3 writer is an IAM role with no long-lived key, assumed only by one tenant's shipper (IRSA web identity bound to system:serviceaccount:mcp-<t>:mcp-server and the sts audience, or EKS Pod Identity bound to that namespace and service account), allowed only s3:PutObject on objects of one audit bucket. An aws_iam_access_key in a stack with audit buckets is refused.`,
  requires: [
    `R2: one policy, effect allow, permission group ${R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID} (Workers R2 Storage Bucket Item Write) only, resources exactly one ${R2_BUCKET_RESOURCE_PREFIX}<account>_<jurisdiction>_<bucket> of an audit bucket`,
    `R2: expires_on = timeadd(time_rotating.<n>.rotation_rfc3339, "<hours>h") with at most ${WRITER_EXPIRY_MARGIN_DAYS_MAX * HOURS_PER_DAY} h, the rotation at most ${WRITER_ROTATION_DAYS_MAX} days, and lifecycle.replace_triggered_by naming time_rotating.<n>`,
    'S3: an aws_iam_role trusted by one tenant shipper only (IRSA or EKS Pod Identity), with one aws_iam_role_policy allowing s3:PutObject on objects of one audit bucket, and no managed or inline policies',
    'no aws_iam_access_key in a stack with audit buckets',
  ],
  fix: 'keep the writer TenantAuditTrail / AccessRequestsAuditLog create (writerRotationDays and writerExpiryMarginDays set the lifetime; the S3 backend creates the role); never widen its scope or remove expires_on',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results = r2WriterTokens(stack).map((t) => judgeR2Token(stack, t));
    results.push(...s3WriterRoles(stack).map((r) => judgeWriterRole(stack, r)));
    if (auditView(stack).auditBuckets.size > 0) {
      for (const key of stack.ofType(IAM_ACCESS_KEY_TYPE)) {
        results.push(nonCompliant(key.address, 'a long-lived AWS access key in a stack with audit buckets'));
      }
    }
    return results;
  },
};
