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

/** MCP-LIM-1: one stack stays within one Cloudflare account's documented limits. */
export const MCP_LIM_1: Rule = {
  id: 'MCP-LIM-1',
  level: 'warning',
  layer: 'limits',
  cause: "the stack exceeds a Cloudflare account's documented default limits",
  explanation:
    'Cloudflare allows 500 Access applications, 500 reusable Access policies and 1000 tunnels per account, 5 Logpush jobs for access_requests, and 200 DNS records on a Free zone created since 2024-09. A stack past one of these fails at apply, part-way through. Shard tenants across accounts (about 450 tenants per account by default), or, when the account limits were raised, suppress this rule with that reason. Resources are grouped by the account or zone expression they use.',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const limit of LIMITS) {
      const groups = new Map<string, number>();
      for (const entry of stack.ofType(limit.type)) {
        if (limit.counts && !limit.counts(entry)) continue;
        const scope = String(entry.body[limit.scope] ?? '(unset)');
        groups.set(scope, (groups.get(scope) ?? 0) + 1);
      }
      for (const [scope, count] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        const address = `${limit.type}[${limit.scope}=${scope}]`;
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
