import { ACCESS_REQUESTS_DATASET, ACCESS_REQUESTS_REQUIRED_FIELDS } from '../../../core/audit-defaults';
import { block, isExpression, referencesIn, stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, nonCompliant, type Rule, undecided } from '../../rule';
import {
  ACCESS_APPLICATION_TYPES,
  ACCESS_IDENTITY_PROVIDER_TYPES,
  auditView,
  bucketsNamed,
  LOGPUSH_JOB_TYPE,
  logpushDestination,
  R2_BUCKET_TYPE,
  resolvedString,
  S3_BUCKET_TYPE,
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

/**
 * Judges one `access_requests` job of `stack`: enabled, account-level (for `accounts`, the literal
 * account ids of the Access pieces it must cover, when known), into a locked bucket of its stack,
 * NDJSON with the required fields.
 */
function judgeJob(stack: SynthesizedStack, job: ResourceEntry, accounts: readonly string[]): Evaluation {
  const v = new Verdict(job.address);
  const body = job.body;
  const account = body.account_id;
  if (typeof account !== 'string' || account === '') v.fail('it is not an account-level job');
  else {
    const literal = resolvedString(stack, account);
    const others = accounts.filter((a) => a !== literal);
    if (literal !== undefined && others.length > 0) {
      v.fail(`it pushes account ${literal}, but the Access pieces it must cover are in ${others.join(', ')}`);
    }
  }
  if (isExpression(body.enabled)) v.unknown('enabled');
  else
    v.expect(
      body.enabled === true,
      `enabled is ${JSON.stringify(body.enabled ?? null)} (Logpush jobs default to disabled)`,
    );

  const destination = logpushDestination(body.destination_conf);
  if (!destination) v.fail('its destination is neither an R2 bucket nor an AWS S3 bucket');
  else {
    const types = destination.store === 'r2' ? [R2_BUCKET_TYPE] : [S3_BUCKET_TYPE];
    const [target] = bucketsNamed(stack, destination.bucket, types);
    if (target === undefined && isExpression(destination.bucket) && referencesIn(destination.bucket).length === 0) {
      v.unknown('the destination bucket');
    } else if (target === undefined) {
      v.fail(
        `its destination bucket '${destination.bucket}' is not an ${destination.store === 'r2' ? 'R2' : 'S3'} bucket of this stack`,
      );
    } else {
      v.expect(
        (auditView(stack).locksByBucket.get(target.address) ?? []).length > 0,
        `its bucket ${target.address} has no lock`,
      );
    }
  }

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

const accessJobs = (stack: SynthesizedStack): ResourceEntry[] =>
  stack.ofType(LOGPUSH_JOB_TYPE).filter((j) => j.body.dataset === ACCESS_REQUESTS_DATASET);

/** The stacks of the app that the Access pieces of `stack` reference (a fleet cell's foundation). */
function referencedStacks(stack: SynthesizedStack, access: readonly ResourceEntry[]): SynthesizedStack[] {
  const found = new Set<SynthesizedStack>();
  for (const entry of access) {
    for (const ref of referencesIn(entry.body)) {
      if (!ref.startsWith('data.terraform_remote_state.')) continue;
      const texts: string[] = [];
      const walk = (value: unknown): void => {
        if (typeof value === 'string' && value.includes(ref)) texts.push(value);
        else if (Array.isArray(value)) value.forEach(walk);
        else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
      };
      walk(entry.body);
      for (const text of texts) {
        const resolved = stack.resolve(text);
        if (resolved.kind === 'reference' && resolved.stack !== stack) found.add(resolved.stack);
        else if (resolved.kind === 'literal') {
          const producer = stack.app.producerOf(stack.find(ref) as ResourceEntry);
          if (producer && producer !== stack) found.add(producer);
        }
      }
    }
  }
  return [...found];
}

/** MCP-AUD-3: Cloudflare Access requests are pushed into a locked audit bucket, judged across the app. */
export const MCP_AUD_3: Rule = {
  id: 'MCP-AUD-3',
  level: 'error',
  layer: 'audit',
  cause: 'Cloudflare Access requests are not pushed into a locked audit bucket',
  explanation: `Every login to a tenant's Access application (who, when, which application, allowed or not) is the edge half of the audit trail. In a stack with Cloudflare Access applications or an Access identity provider, an enabled account-level Logpush job with dataset ${ACCESS_REQUESTS_DATASET} must write (r2://, an s3:// destination on an R2 endpoint, or an s3:// destination on AWS) into a locked bucket of its stack, as NDJSON with at least the fields ${ACCESS_REQUESTS_REQUIRED_FIELDS.join(', ')}, for the account of those Access pieces. One job serves every application of the account (Cloudflare allows 5 such jobs per account): AccessRequestsAuditLog provisions it. A fleet's cell stack has Access applications but neither the identity provider nor the job: the rule follows the cell's references into the foundation stack of the same app and judges the foundation's job; checked without its foundation, the cell is undecided.`,
  requires: [
    `an enabled, account-level cloudflare_logpush_job with dataset ${ACCESS_REQUESTS_DATASET} for the account of the stack's Access applications and identity provider`,
    'in this stack, or in the stack of the app that its Access applications reference (a fleet foundation)',
    'its destination: a bucket of its own stack (R2, or AWS S3) that MCP-AUD-1 finds locked',
    `output_type ndjson with at least the fields ${ACCESS_REQUESTS_REQUIRED_FIELDS.join(', ')}`,
  ],
  fix: 'keep the AccessRequestsAuditLog of SecureMcpAccess / SecureMcpFoundation (its Logpush job enabled, into its locked bucket); synthesize or check a fleet cell stack together with its foundation stack',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const access = [...ACCESS_IDENTITY_PROVIDER_TYPES, ...ACCESS_APPLICATION_TYPES].flatMap((t) => stack.ofType(t));
    if (access.length === 0) return [];
    const accounts = [
      ...new Set(
        access.map((e) => resolvedString(stack, e.body.account_id)).filter((a): a is string => a !== undefined),
      ),
    ];
    const own = accessJobs(stack);
    if (own.length > 0) return own.map((job) => judgeJob(stack, job, accounts));

    const anchor = access[0].address;
    const hasIdentityProvider = ACCESS_IDENTITY_PROVIDER_TYPES.some((t) => stack.ofType(t).length > 0);
    if (hasIdentityProvider) {
      return [nonCompliant(anchor, `no ${ACCESS_REQUESTS_DATASET} Logpush job of this stack writes into a bucket`)];
    }
    // A fleet cell: judge the job of the stack its Access pieces reference (the foundation).
    const foundations = referencedStacks(stack, access);
    const candidates = foundations.flatMap((s) => accessJobs(s).map((job) => ({ s, job })));
    if (candidates.length === 0) {
      if (foundations.length > 0) {
        return [
          nonCompliant(
            anchor,
            `stack ${foundations.map((s) => s.name).join(', ')}, which this stack's Access pieces reference, has no ${ACCESS_REQUESTS_DATASET} Logpush job`,
          ),
        ];
      }
      return [
        undecided(
          anchor,
          `the stack has Access applications but neither the Access identity provider nor a ${ACCESS_REQUESTS_DATASET} Logpush job, and references no stack of this app that has them: check it together with the stack that holds the job`,
        ),
      ];
    }
    const judged = candidates.map(({ s, job }) => ({ s, job, e: judgeJob(s, job, accounts) }));
    if (judged.some(({ e }) => e.status === 'compliant')) return [compliant(anchor)];
    const worst = judged.find(({ e }) => e.status === 'non-compliant') ?? judged[0];
    const detail = `the ${ACCESS_REQUESTS_DATASET} job ${worst.job.address} of stack ${worst.s.name}: ${worst.e.detail ?? ''}`;
    return [worst.e.status === 'undecided' ? undecided(anchor, detail) : nonCompliant(anchor, detail)];
  },
};
