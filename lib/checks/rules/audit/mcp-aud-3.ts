import { ACCESS_REQUESTS_DATASET, ACCESS_REQUESTS_REQUIRED_FIELDS } from '../../../core/audit-defaults';
import { block, isExpression, referencesIn, stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { type Evaluation, nonCompliant, type Rule, undecided } from '../../rule';
import {
  ACCESS_APPLICATION_TYPES,
  ACCESS_IDENTITY_PROVIDER_TYPES,
  auditView,
  type AuditView,
  LOGPUSH_JOB_TYPE,
  logpushDestinationBucket,
  R2_BUCKET_TYPE,
} from '../../../model/audit';

/** The fields a job pushes: `output_options.field_names`, else `fields=` of the legacy `logpull_options`. */
function pushedFields(job: ResourceEntry): string[] | 'expression' | undefined {
  const options = job.body.output_options;
  if (isExpression(options)) return 'expression';
  const names = block(options).field_names;
  if (names !== undefined) return stringList(names);
  const legacy = job.body.logpull_options;
  if (isExpression(legacy)) return 'expression';
  if (typeof legacy === 'string') {
    const m = /(?:^|[?&])fields=([^&]*)/.exec(legacy);
    if (m) return m[1].split(',').filter((f) => f !== '');
  }
  return undefined;
}

/** The bucket of the stack a destination names, by reference or literal name. */
function destinationBucket(stack: SynthesizedStack, bucket: string): ResourceEntry | 'expression' | undefined {
  if (isExpression(bucket)) {
    const ref = referencesIn(bucket).find((r) => r.startsWith(`${R2_BUCKET_TYPE}.`));
    return ref ? stack.find(ref) : 'expression';
  }
  return stack.ofType(R2_BUCKET_TYPE).find((b) => b.body.name === bucket);
}

/** Judges one `access_requests` job that writes into R2. */
function judgeJob(stack: SynthesizedStack, view: AuditView, job: ResourceEntry, bucket: string): Evaluation {
  const v = new Verdict(job.address);
  const body = job.body;
  // A reference to the account id is as good as a literal: the job is account-level either way.
  v.expect(typeof body.account_id === 'string' && body.account_id !== '', 'it is not an account-level job');
  if (isExpression(body.enabled)) v.unknown('enabled');
  else
    v.expect(
      body.enabled === true,
      `enabled is ${JSON.stringify(body.enabled ?? null)} (Logpush jobs default to disabled)`,
    );

  const target = destinationBucket(stack, bucket);
  if (target === 'expression') v.unknown('the destination bucket');
  else if (target === undefined) v.fail(`its destination bucket '${bucket}' is not an R2 bucket of this stack`);
  else v.expect((view.locksByBucket.get(target.address) ?? []).length > 0, `its bucket ${target.address} has no lock`);

  const fields = pushedFields(job);
  if (fields === 'expression') v.unknown('output_options.field_names');
  else if (fields === undefined) v.fail('it does not list its fields (output_options.field_names)');
  else {
    const missing = ACCESS_REQUESTS_REQUIRED_FIELDS.filter((f) => !fields.includes(f));
    v.expect(missing.length === 0, `it drops ${missing.join(', ')}`);
  }
  const outputType = block(body.output_options).output_type;
  if (isExpression(outputType)) v.unknown('output_options.output_type');
  else
    v.expect(
      outputType === undefined || outputType === 'ndjson',
      `output_type is ${JSON.stringify(outputType)}, not ndjson`,
    );
  return v.result();
}

/** MCP-AUD-3: Cloudflare Access requests are pushed into a locked audit bucket. */
export const MCP_AUD_3: Rule = {
  id: 'MCP-AUD-3',
  level: 'error',
  layer: 'audit',
  cause: 'Cloudflare Access requests are not pushed into a locked audit bucket',
  explanation: `Every login to a tenant's Access application (who, when, which application, allowed or not) is the edge half of the audit trail. In a stack with Cloudflare Access applications or an Access identity provider, an enabled account-level Logpush job with dataset ${ACCESS_REQUESTS_DATASET} must write (r2:// or an s3:// destination on an R2 endpoint) into an R2 bucket of the stack that has a bucket lock, as NDJSON with at least the fields ${ACCESS_REQUESTS_REQUIRED_FIELDS.join(', ')}. One job serves every application of the account (Cloudflare allows 5 such jobs per account): AccessRequestsAuditLog provisions it. A stack with Access applications but neither an identity provider nor a Logpush job (a fleet's cell stack, whose job lives in the foundation stack) is reported as undecided.`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const access = [...ACCESS_IDENTITY_PROVIDER_TYPES, ...ACCESS_APPLICATION_TYPES].flatMap((t) => stack.ofType(t));
    if (access.length === 0) return [];
    const view = auditView(stack);
    const jobs = stack.ofType(LOGPUSH_JOB_TYPE).filter((j) => j.body.dataset === ACCESS_REQUESTS_DATASET);
    const results: Evaluation[] = [];
    for (const job of jobs) {
      const bucket = logpushDestinationBucket(job.body.destination_conf);
      if (bucket !== undefined) results.push(judgeJob(stack, view, job, bucket));
    }
    if (results.length > 0) return results;

    const anchor = access[0].address;
    const hasIdentityProvider = ACCESS_IDENTITY_PROVIDER_TYPES.some((t) => stack.ofType(t).length > 0);
    if (!hasIdentityProvider && stack.ofType(LOGPUSH_JOB_TYPE).length === 0) {
      return [
        undecided(
          anchor,
          'the stack has Access applications but neither the Access identity provider nor a Logpush job: if the account-level access_requests job lives in another stack, check that stack',
        ),
      ];
    }
    return [nonCompliant(anchor, `no ${ACCESS_REQUESTS_DATASET} Logpush job of this stack writes into an R2 bucket`)];
  },
};
