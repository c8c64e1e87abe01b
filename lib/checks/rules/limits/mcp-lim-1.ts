import { CLOUDFLARE_LIMITS } from '../../../core/defaults';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { compliant, nonCompliant } from '../../rule';

interface Limit {
  readonly type: string;
  readonly what: string;
  readonly max: number;
  /** The attribute that names the account (or zone) the limit applies to. */
  readonly scope: 'account_id' | 'zone_id';
  /** Only these resources count. */
  readonly counts?: (e: ResourceEntry) => boolean;
}

const LIMITS: readonly Limit[] = [
  {
    type: 'cloudflare_zero_trust_access_application',
    what: 'Access applications per account',
    max: CLOUDFLARE_LIMITS.accessApplications,
    scope: 'account_id',
  },
  {
    type: 'cloudflare_zero_trust_access_policy',
    what: 'reusable Access policies per account',
    max: CLOUDFLARE_LIMITS.reusableAccessPolicies,
    scope: 'account_id',
  },
  {
    type: 'cloudflare_zero_trust_tunnel_cloudflared',
    what: 'tunnels per account',
    max: CLOUDFLARE_LIMITS.tunnels,
    scope: 'account_id',
  },
  {
    type: 'cloudflare_logpush_job',
    what: 'access_requests Logpush jobs per account',
    max: CLOUDFLARE_LIMITS.accessRequestsLogpushJobs,
    scope: 'account_id',
    counts: (e) => e.body.dataset === 'access_requests',
  },
  {
    type: 'cloudflare_dns_record',
    what: 'DNS records per zone (Free zones created since 2024-09)',
    max: CLOUDFLARE_LIMITS.dnsRecordsFreeZone,
    scope: 'zone_id',
  },
];

/** The account (or zone) a resource counts against: its resolved literal id, else its expression in its stack. */
function scopeKey(stack: SynthesizedStack, entry: ResourceEntry, attribute: string): string {
  const resolved = stack.resolve(entry.body[attribute]);
  if (resolved.kind === 'literal' && typeof resolved.value === 'string') return resolved.value;
  return `${String(entry.body[attribute] ?? '(unset)')} in ${stack.name}`;
}

/** MCP-LIM-1: the app stays within each Cloudflare account's documented limits, counted across every stack. */
export const MCP_LIM_1: Rule = {
  id: 'MCP-LIM-1',
  level: 'warning',
  layer: 'limits',
  cause: "the app exceeds a Cloudflare account's documented default limits",
  explanation:
    'Cloudflare allows 500 Access applications, 500 reusable Access policies and 1000 tunnels per account, 5 Logpush jobs for access_requests, and 200 DNS records on a Free zone created since 2024-09. An app past one of these fails at apply, part-way through. Resources are counted per account (or zone) across every stack of the app, by the literal id they resolve to (a variable with a default counts as its default; an id the rule cannot read is counted per stack). Each stack reports the groups it contributes to. Shard tenants across accounts (about 450 tenants per account by default), or, when the account limits were raised, suppress this rule with that reason.',
  requires: [
    'at most 500 cloudflare_zero_trust_access_application per account',
    'at most 500 cloudflare_zero_trust_access_policy (reusable policies) per account',
    'at most 1000 cloudflare_zero_trust_tunnel_cloudflared per account',
    'at most 5 cloudflare_logpush_job with dataset access_requests per account',
    'at most 200 cloudflare_dns_record per zone (the Free zone limit)',
  ],
  fix: 'shard tenants across Cloudflare accounts (about 450 per account), or suppress MCP-LIM-1 with the reason when Cloudflare raised the limits',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const limit of LIMITS) {
      const appCounts = new Map<string, number>();
      const own = new Set<string>();
      for (const member of stack.app.stacks) {
        for (const entry of member.ofType(limit.type)) {
          if (limit.counts && !limit.counts(entry)) continue;
          const key = scopeKey(member, entry, limit.scope);
          appCounts.set(key, (appCounts.get(key) ?? 0) + 1);
          if (member === stack) own.add(key);
        }
      }
      for (const key of [...own].sort()) {
        const count = appCounts.get(key) ?? 0;
        const address = `${limit.type}[${limit.scope}=${key}]`;
        results.push(
          count > limit.max
            ? nonCompliant(address, `${count} ${limit.what}, above the default limit of ${limit.max}`)
            : compliant(address),
        );
      }
    }
    return results;
  },
};
