import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import { LogpushJob } from '@cdktf/provider-cloudflare/lib/logpush-job';
import { ZeroTrustTunnelCloudflared } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared';
import { SynthesizedApp, SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_LIM_1 } from '../../../../lib/checks/rules/limits/mcp-lim-1';
import { newStack, rawJson } from '../../../helpers';

const A = '0123456789abcdef0123456789abcdef';
const B = 'fedcba9876543210fedcba9876543210';

describe('MCP-LIM-1', () => {
  test('compliant: counts within the limits, per account', () => {
    const stack = newStack();
    for (let i = 0; i < 5; i++) {
      new LogpushJob(stack, `a${i}`, { accountId: A, dataset: 'access_requests', destinationConf: 'r2://b/p' });
      new LogpushJob(stack, `b${i}`, { accountId: B, dataset: 'access_requests', destinationConf: 'r2://b/p' });
    }
    new LogpushJob(stack, 'http', { accountId: A, dataset: 'http_requests', destinationConf: 'r2://b/p' });
    const results = MCP_LIM_1.evaluate(new SynthesizedStack(rawJson(stack)));
    expect(results.map((r) => `${r.address} ${r.status}`)).toEqual([
      `cloudflare_logpush_job[account_id=${A}] compliant`,
      `cloudflare_logpush_job[account_id=${B}] compliant`,
    ]);
  });

  /** Raw JSON holding `count` resources of `type`, each with `body` (built without synthesis: a thousand constructs are slow). */
  function many(type: string, count: number, body: (i: number) => JsonObject): JsonObject {
    const resources: Record<string, JsonObject> = {};
    for (let i = 0; i < count; i++) resources[`r${i}`] = body(i);
    return { resource: { [type]: resources } };
  }

  /** [type, scope attribute, the limit, a resource body, the exact finding one past the limit]. */
  const LIMITS: [string, string, number, (i: number) => JsonObject, string][] = [
    [
      'cloudflare_zero_trust_access_application',
      'account_id',
      500,
      (i) => ({ account_id: A, name: `a${i}`, type: 'self_hosted', domain: `t${i}.example.com` }),
      '501 Access applications per account, above the default limit of 500',
    ],
    [
      'cloudflare_zero_trust_access_policy',
      'account_id',
      500,
      (i) => ({ account_id: A, name: `p${i}`, decision: 'allow' }),
      '501 reusable Access policies per account, above the default limit of 500',
    ],
    [
      'cloudflare_zero_trust_tunnel_cloudflared',
      'account_id',
      1000,
      (i) => ({ account_id: A, name: `t${i}` }),
      '1001 tunnels per account, above the default limit of 1000',
    ],
    [
      'cloudflare_logpush_job',
      'account_id',
      5,
      () => ({ account_id: A, dataset: 'access_requests', destination_conf: 'r2://b/p' }),
      '6 access_requests Logpush jobs per account, above the default limit of 5',
    ],
    [
      'cloudflare_dns_record',
      'zone_id',
      200,
      (i) => ({ zone_id: A, name: `t${i}.example.com`, type: 'CNAME', content: 'x.cfargotunnel.com', ttl: 1 }),
      '201 DNS records per zone (Free zones created since 2024-09), above the default limit of 200',
    ],
  ];

  test.each(LIMITS)('compliant: exactly at the limit, %s (%s) x %d', (type, scope, max, body) => {
    const json = many(type, max, body);
    expect(Object.keys((json.resource as Record<string, JsonObject>)[type])).toHaveLength(max);
    expect(MCP_LIM_1.evaluate(new SynthesizedStack(json))).toEqual([
      { address: `${type}[${scope}=${A}]`, status: 'compliant' },
    ]);
  });

  test.each(LIMITS)('non-compliant: one past the limit, %s (%s) x %d + 1', (type, scope, max, body, detail) => {
    const json = many(type, max + 1, body);
    expect(Object.keys((json.resource as Record<string, JsonObject>)[type])).toHaveLength(max + 1);
    expect(MCP_LIM_1.evaluate(new SynthesizedStack(json))).toEqual([
      { address: `${type}[${scope}=${A}]`, status: 'non-compliant', detail },
    ]);
  });

  test('non-compliant: six access_requests Logpush jobs in one account', () => {
    const stack = newStack();
    for (let i = 0; i < 6; i++) {
      new LogpushJob(stack, `a${i}`, { accountId: A, dataset: 'access_requests', destinationConf: 'r2://b/p' });
    }
    expect(MCP_LIM_1.evaluate(new SynthesizedStack(rawJson(stack)))).toEqual([
      {
        address: `cloudflare_logpush_job[account_id=${A}]`,
        status: 'non-compliant',
        detail: '6 access_requests Logpush jobs per account, above the default limit of 5',
      },
    ]);
  });

  test('non-compliant: 201 DNS records in one zone', () => {
    const stack = newStack();
    for (let i = 0; i < 201; i++) {
      new DnsRecord(stack, `r${i}`, {
        zoneId: A,
        name: `t${i}.example.com`,
        type: 'CNAME',
        content: 'x.cfargotunnel.com',
        ttl: 1,
      });
    }
    const [result] = MCP_LIM_1.evaluate(new SynthesizedStack(rawJson(stack)));
    expect(result.status).toBe('non-compliant');
    expect(result.detail).toBe(
      '201 DNS records per zone (Free zones created since 2024-09), above the default limit of 200',
    );
  });

  test('groups by the account expression, per stack, when the account cannot be read', () => {
    const stack = newStack();
    new ZeroTrustTunnelCloudflared(stack, 't', { accountId: '${var.account}', name: 't' });
    expect(MCP_LIM_1.evaluate(new SynthesizedStack(rawJson(stack), 'cells'))).toEqual([
      { address: 'cloudflare_zero_trust_tunnel_cloudflared[account_id=${var.account} in cells]', status: 'compliant' },
    ]);
  });

  test('counts across every stack of the app: 3 + 3 Logpush jobs in one account are 6', () => {
    const jobs = (prefix: string, accountId: string) => {
      const stack = newStack();
      for (let i = 0; i < 3; i++) {
        new LogpushJob(stack, `${prefix}${i}`, { accountId, dataset: 'access_requests', destinationConf: 'r2://b/p' });
      }
      return rawJson(stack);
    };
    const app = new SynthesizedApp([
      { name: 'one', json: jobs('a', A) },
      { name: 'two', json: { ...jobs('b', '${var.account}'), variable: { account: { type: 'string', default: A } } } },
    ]);
    expect(app.stacks).toHaveLength(2);
    for (const stack of app.stacks) {
      expect(MCP_LIM_1.evaluate(stack)).toEqual([
        {
          address: `cloudflare_logpush_job[account_id=${A}]`,
          status: 'non-compliant',
          detail: '6 access_requests Logpush jobs per account, above the default limit of 5',
        },
      ]);
    }
  });

  test('compliant: an unset or non-string account grouped per stack; each stack reports only its own groups, sorted', () => {
    const tunnels = (accounts: Record<string, unknown>): JsonObject => ({
      resource: {
        cloudflare_zero_trust_tunnel_cloudflared: Object.fromEntries(
          Object.entries(accounts).map(([name, account]) => [
            name,
            account === undefined ? { name } : { account_id: account, name },
          ]),
        ),
      },
    });
    const app = new SynthesizedApp([
      { name: 'cells', json: tunnels({ b: B, a: A, n: 42, u: undefined }) },
      { name: 'other', json: tunnels({ c: '0000000000000000000000000000000c' }) },
    ]);
    expect(app.stacks).toHaveLength(2);
    expect(MCP_LIM_1.evaluate(app.stacks[0]).map((r) => `${r.address} ${r.status}`)).toEqual([
      'cloudflare_zero_trust_tunnel_cloudflared[account_id=(unset) in cells] compliant',
      `cloudflare_zero_trust_tunnel_cloudflared[account_id=${A}] compliant`,
      'cloudflare_zero_trust_tunnel_cloudflared[account_id=42 in cells] compliant',
      `cloudflare_zero_trust_tunnel_cloudflared[account_id=${B}] compliant`,
    ]);
  });

  test('not applicable: no Cloudflare resources', () => {
    expect(MCP_LIM_1.evaluate(new SynthesizedStack(rawJson(newStack())))).toEqual([]);
  });
});
