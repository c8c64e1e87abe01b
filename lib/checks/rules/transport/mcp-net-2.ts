import { ACCESS_SESSION_MINUTES } from '../../../core/defaults';
import { ACCESS_IDP_TYPE, durationMinutes, TUNNEL_CNAME_DOMAIN } from '../../../core/transport-defaults';
import { isExpression, referencesIn } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import {
  ACCESS_APPLICATION_TYPE_NAME,
  ACCESS_IDP_TYPE_NAME,
  ACCESS_POLICY_TYPE,
  applicationHosts,
  DNS_RECORD_TYPE,
  hasExpression,
  ingressRules,
  isSelfHostedApplication,
  TUNNEL_CONFIG_TYPE,
} from '../../../model/cloudflare';

/** The hostnames Access applications of the stack cover as a whole: exact names and `*.` wildcards. */
function coveredHostnames(stack: SynthesizedStack): Set<string> {
  const covered = new Set<string>();
  for (const entry of stack.ofType(ACCESS_APPLICATION_TYPE_NAME)) {
    if (!isSelfHostedApplication(entry.body)) continue;
    for (const h of applicationHosts(entry.body)) if (h.wholeHost) covered.add(h.host);
  }
  return covered;
}

/** True when `hostname` is covered exactly, or by a wildcard one label up (`*.example.com`). */
function isCovered(covered: Set<string>, hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (covered.has(host)) return true;
  const dot = host.indexOf('.');
  return dot > 0 && covered.has(`*${host.slice(dot)}`);
}

function judgeHostname(a: Verdict, covered: Set<string>, hostname: string, where: string): void {
  if (isCovered(covered, hostname)) return;
  if (hasExpression(hostname))
    a.undecided(`${where} '${hostname}' is an unresolved expression no Access application names`);
  else a.fail(`${where} '${hostname}' has no Access application`);
}

/** Judges a session duration: at most ACCESS_SESSION_MINUTES; `missing` says what an unset value means. */
function judgeSession(a: Verdict, value: unknown, missing: string | undefined): void {
  if (value === undefined) {
    if (missing) a.fail(missing);
    return;
  }
  if (isExpression(value)) {
    a.unknown('session_duration');
    return;
  }
  const minutes = typeof value === 'string' ? durationMinutes(value) : undefined;
  if (minutes === undefined) a.fail(`session_duration '${String(value)}' is not a duration`);
  else if (minutes > ACCESS_SESSION_MINUTES) {
    a.fail(`session_duration is ${String(value)} (at most ${ACCESS_SESSION_MINUTES}m)`);
  }
}

function judgeAllowedIdps(a: Verdict, stack: SynthesizedStack, value: unknown): void {
  if (isExpression(value)) {
    a.unknown('allowed_idps');
    return;
  }
  const ids = Array.isArray(value) ? value : [];
  if (ids.length === 0) {
    a.fail('allowed_idps is empty: every identity provider of the account may sign in');
    return;
  }
  ids.forEach((id, i) => {
    const where = `allowed_idps[${i}]`;
    const idp = referencesIn(id)
      .map((ref) => stack.find(ref))
      .find((e) => e?.type === ACCESS_IDP_TYPE_NAME && e.mode === 'resource');
    if (!idp) {
      a.undecided(`${where} is not an identity provider of this stack, so its type is unknown`);
    } else if (isExpression(idp.body.type)) {
      a.unknown(`the type of ${idp.address}`);
    } else if (idp.body.type !== ACCESS_IDP_TYPE) {
      a.fail(`${where} is ${idp.address} of type '${String(idp.body.type)}', not '${ACCESS_IDP_TYPE}'`);
    }
  });
}

/** DNS records that publish a tunnel: CNAMEs to `<tunnel id>.cfargotunnel.com`. */
function isTunnelRecord(body: JsonObject): boolean {
  const target = typeof body.content === 'string' ? body.content : body.value;
  return (
    body.type === 'CNAME' &&
    typeof target === 'string' &&
    target.toLowerCase().replace(/\.$/, '').endsWith(`.${TUNNEL_CNAME_DOMAIN}`)
  );
}

/** MCP-NET-2: every tunnel hostname sits behind Access, with short sessions and Okta as the only login. */
export const MCP_NET_2: Rule = {
  id: 'MCP-NET-2',
  level: 'error',
  layer: 'transport',
  cause:
    'a tunnel hostname has no Access application, or an Access session is longer than 15m, or an IdP other than Okta may sign in',
  explanation:
    "A tunnel hostname without an Access application in front of it is open to anyone who can reach Cloudflare. Every hostname a tunnel ingress rule serves, and every DNS record that points at `<id>.cfargotunnel.com`, must be covered as a whole (no path) by a self-hosted `cloudflare_zero_trust_access_application` of the same stack (in `destinations`, `domain` or `self_hosted_domains`; a `*.` wildcard covers one label). Each self-hosted application must set `session_duration` to 15m or less (Cloudflare's default is 24h; durations like `15m`, `1h` or `30m0s` are parsed), and so must a reusable `cloudflare_zero_trust_access_policy` that sets one. Its `allowed_idps` must list only identity providers of type `okta`, judged by the `cloudflare_zero_trust_access_identity_provider` resources of the same stack; an id that is not one of them (a literal id, a variable, another stack's output) is undecided. A DNS record with a relative name (no dot, or `@`) cannot be matched and is undecided.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    const covered = coveredHostnames(stack);

    for (const entry of stack.ofType(TUNNEL_CONFIG_TYPE)) {
      const rules = ingressRules(entry.body);
      const a = new Verdict(entry.address);
      if (rules === 'expression') a.unknown('config.ingress');
      else {
        rules.forEach((rule, i) => {
          if (typeof rule.hostname === 'string') {
            judgeHostname(a, covered, rule.hostname, `config.ingress[${i}].hostname`);
          }
        });
      }
      results.push(a.result());
    }

    for (const entry of stack.ofType(DNS_RECORD_TYPE)) {
      if (!isTunnelRecord(entry.body)) continue;
      const a = new Verdict(entry.address);
      const name = entry.body.name;
      if (typeof name !== 'string') a.fail('name is not set');
      else if (!hasExpression(name) && (name === '@' || !name.includes('.')) && !isCovered(covered, name)) {
        a.undecided(`name '${name}' is relative to a zone this rule cannot see`);
      } else judgeHostname(a, covered, name.replace(/\.$/, ''), 'name');
      results.push(a.result());
    }

    for (const entry of stack.ofType(ACCESS_APPLICATION_TYPE_NAME)) {
      if (!isSelfHostedApplication(entry.body)) continue;
      const a = new Verdict(entry.address);
      judgeSession(a, entry.body.session_duration, "session_duration is not set (Cloudflare's default is 24h)");
      judgeAllowedIdps(a, stack, entry.body.allowed_idps);
      results.push(a.result());
    }

    for (const entry of stack.ofType(ACCESS_POLICY_TYPE)) {
      if (entry.body.session_duration === undefined) continue;
      const a = new Verdict(entry.address);
      judgeSession(a, entry.body.session_duration, undefined);
      results.push(a.result());
    }
    return results;
  },
};
