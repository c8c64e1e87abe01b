import { ACCESS_SESSION_MINUTES } from '../../../core/defaults';
import {
  ACCESS_APPLICATION_TYPE,
  ACCESS_AUTHENTICATE_VIA_WARP,
  ACCESS_IDP_TYPE,
  durationMinutes,
  TUNNEL_CNAME_DOMAIN,
} from '../../../core/transport-defaults';
import type { JsonObject, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import {
  ACCESS_APPLICATION_TYPE_NAME,
  ACCESS_IDP_TYPE_NAME,
  ACCESS_POLICY_TYPE,
  applicationHosts,
  DNS_RECORD_TYPE,
  ingressRules,
  readList,
  readText,
  readValue,
  referencedResource,
  TUNNEL_CONFIG_TYPE,
} from '../../../model/cloudflare';
import type { Evaluation, Rule } from '../../rule';
import { Verdict } from '../../verdict';

/**
 * The hostnames self-hosted Access applications of the app cover as a whole: exact names and `*.`
 * wildcards readable as text (from any stack), and, per stack, hostnames written as the same
 * expression (`acme.${var.domain}` covers `acme.${var.domain}` of the same stack only).
 */
interface Coverage {
  readonly hosts: ReadonlySet<string>;
  readonly written: ReadonlyMap<SynthesizedStack, ReadonlySet<string>>;
}

const coverageCache = new WeakMap<SynthesizedApp, Coverage>();

function coverageOf(stack: SynthesizedStack): Coverage {
  const app = stack.app;
  let coverage = coverageCache.get(app);
  if (coverage) return coverage;
  const hosts = new Set<string>();
  const written = new Map<SynthesizedStack, Set<string>>();
  for (const s of app.stacks) {
    for (const entry of s.ofType(ACCESS_APPLICATION_TYPE_NAME)) {
      if (readText(s, entry.body.type)?.kind === 'partial') continue;
      if (!isSelfHosted(s, entry.body)) continue;
      for (const h of applicationHosts(s, entry.body)) {
        if (h.wholeHost) hosts.add(h.host);
        else if (h.why !== undefined && !h.written.includes('/')) {
          const set = written.get(s) ?? new Set<string>();
          set.add(h.written);
          written.set(s, set);
        }
      }
    }
  }
  coverage = { hosts, written };
  coverageCache.set(app, coverage);
  return coverage;
}

function isSelfHosted(stack: SynthesizedStack, body: JsonObject): boolean {
  const type = readText(stack, body.type);
  return type === undefined || (type.kind === 'literal' && type.text === ACCESS_APPLICATION_TYPE);
}

/** True when `hostname` is covered exactly, or by a wildcard one label up (`*.example.com`). */
function isCovered(hosts: ReadonlySet<string>, hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (hosts.has(host)) return true;
  const dot = host.indexOf('.');
  return dot > 0 && hosts.has(`*${host.slice(dot)}`);
}

function judgeHostname(a: Verdict, stack: SynthesizedStack, value: unknown, where: string): void {
  const coverage = coverageOf(stack);
  const text = readText(stack, value);
  if (!text) return;
  if (text.kind === 'literal') {
    const host = text.text.replace(/\.$/, '');
    if (host === '@' || !host.includes('.')) {
      if (!isCovered(coverage.hosts, host))
        a.undecided(`${where} '${host}' is relative to a zone this rule cannot see`);
    } else if (!isCovered(coverage.hosts, host)) a.fail(`${where} '${host}' has no Access application`);
    return;
  }
  if (coverage.written.get(stack)?.has(String(value))) return;
  a.undecided(`${where} '${String(value)}' no Access application names: ${text.why}`);
}

/** Judges a session duration: at most ACCESS_SESSION_MINUTES; `missing` says what an unset value means. */
function judgeSession(a: Verdict, stack: SynthesizedStack, value: unknown, missing: string | undefined): void {
  if (value === undefined) {
    if (missing) a.fail(missing);
    return;
  }
  const text = readText(stack, value);
  if (text?.kind !== 'literal') {
    a.undecided(`session_duration: ${text?.why ?? 'not a string'}`);
    return;
  }
  const minutes = durationMinutes(text.text);
  if (minutes === undefined) a.fail(`session_duration '${text.text}' is not a duration`);
  else if (minutes > ACCESS_SESSION_MINUTES) {
    a.fail(`session_duration is ${text.text} (at most ${ACCESS_SESSION_MINUTES}m)`);
  }
}

/** Judges `allowed_idps`: exactly one identity provider, of type okta, found in any stack of the app. */
function judgeAllowedIdps(a: Verdict, stack: SynthesizedStack, value: unknown): void {
  const { list, why } = readList(stack, value);
  if (why !== undefined || !list) {
    a.undecided(`allowed_idps: ${why ?? 'unreadable'}`);
    return;
  }
  if (list.length === 0) {
    a.fail('allowed_idps is empty: every identity provider of the account may sign in');
    return;
  }
  if (list.length > 1) a.fail(`allowed_idps lists ${list.length} identity providers (only the one Okta provider)`);
  list.forEach((id, i) => {
    const where = `allowed_idps[${i}]`;
    const idp = referencedResource(stack, id, ACCESS_IDP_TYPE_NAME);
    if (idp.why !== undefined) {
      a.undecided(`${where}: ${idp.why}, so its type is unknown`);
      return;
    }
    if (idp.entry.mode !== 'resource') {
      a.undecided(`${where} is ${idp.entry.address}, a data source whose type is known only at apply`);
      return;
    }
    const type = readText(idp.stack, idp.entry.body.type);
    if (type?.kind !== 'literal') a.undecided(`the type of ${idp.entry.address}: ${type?.why ?? 'not set'}`);
    else if (type.text !== ACCESS_IDP_TYPE) {
      a.fail(`${where} is ${idp.entry.address} of type '${type.text}', not '${ACCESS_IDP_TYPE}'`);
    }
  });
}

/** Judges a boolean setting that must be `expected` (`required`: it must also be written). */
function judgeFlag(
  a: Verdict,
  stack: SynthesizedStack,
  body: JsonObject,
  name: string,
  expected: boolean,
  required: boolean,
): void {
  const value = body[name];
  if (value === undefined) {
    if (required) a.fail(`${name} is not set (the organization's setting applies; it must be ${expected})`);
    return;
  }
  const read = readValue(stack, value);
  if (read.why !== undefined) a.undecided(`${name}: ${read.why}`);
  else if (read.value !== expected && String(read.value) !== String(expected)) {
    a.fail(`${name} is ${JSON.stringify(read.value)} (only ${expected})`);
  }
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

/** MCP-NET-2: every tunnel hostname sits behind Access, with short sessions and the Okta provider as the only login. */
export const MCP_NET_2: Rule = {
  id: 'MCP-NET-2',
  level: 'error',
  layer: 'transport',
  cause:
    'a tunnel hostname has no Access application, or an Access session is longer than 15m, or a login other than the one Okta identity provider is accepted',
  explanation:
    "A tunnel hostname without an Access application in front of it is open to anyone who can reach Cloudflare. Every hostname a tunnel ingress rule serves, and every DNS record that points at `<id>.cfargotunnel.com`, must be covered as a whole (no path) by a self-hosted `cloudflare_zero_trust_access_application` of the app (in `destinations`, `domain` or `self_hosted_domains`, in any stack; a `*.` wildcard covers one label; a hostname written as an expression is covered only by the same expression in the same stack). Each self-hosted application sets `session_duration` to 15m or less (Cloudflare's default is 24h; durations like `15m`, `900s` or `30m0s` are parsed, variables with a literal default are read), and so must a reusable `cloudflare_zero_trust_access_policy` that sets one. Its `allowed_idps` lists exactly one identity provider: a `cloudflare_zero_trust_access_identity_provider` resource of type `okta`, followed into whichever stack of the app declares it (a fleet's cells read the foundation's provider through remote state); a literal id, a variable without a default or a data source cannot be shown to be that provider and is undecided. `allow_authenticate_via_warp` is written and false (unset, the organization's setting applies, and a WARP session would stand in for the Okta sign-in), and `options_preflight_bypass` is not true.",
  requires: [
    'every tunnel ingress hostname and every DNS record to `<id>.cfargotunnel.com`: covered as a whole by a self-hosted Access application of the app',
    'every self-hosted Access application: `session_duration` at most 15m',
    'every self-hosted Access application: `allowed_idps` = exactly one `cloudflare_zero_trust_access_identity_provider` of the app, of type `okta`',
    'every self-hosted Access application: `allow_authenticate_via_warp = false`, `options_preflight_bypass` unset or false',
    'every reusable Access policy that sets `session_duration`: at most 15m',
  ],
  fix: "set sessionDurationMinutes (1 to 15) on CloudflareAccessTunnel, and do not override the Access application's allowed_idps, session or WARP settings: SecureMcpAccess puts every tenant hostname behind its application with the shared Okta identity provider (cloudflare.* of SecureMcpAccess / SecureMcpFoundation)",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];

    for (const entry of stack.ofType(TUNNEL_CONFIG_TYPE)) {
      const a = new Verdict(entry.address);
      const { rules, why } = ingressRules(stack, entry.body);
      if (why !== undefined || !rules) a.undecided(why ?? 'config.ingress cannot be read');
      else {
        rules.forEach((rule, i) => {
          if (rule.hostname !== undefined) judgeHostname(a, stack, rule.hostname, `config.ingress[${i}].hostname`);
        });
      }
      results.push(a.result());
    }

    for (const entry of stack.ofType(DNS_RECORD_TYPE)) {
      if (!isTunnelRecord(entry.body)) continue;
      const a = new Verdict(entry.address);
      if (entry.body.name === undefined) a.fail('name is not set');
      else judgeHostname(a, stack, entry.body.name, 'name');
      results.push(a.result());
    }

    for (const entry of stack.ofType(ACCESS_APPLICATION_TYPE_NAME)) {
      const type = readText(stack, entry.body.type);
      if (type?.kind === 'partial') {
        results.push(new Verdict(entry.address).undecided(`type: ${type.why}`).result());
        continue;
      }
      if (!isSelfHosted(stack, entry.body)) continue;
      const a = new Verdict(entry.address);
      judgeSession(a, stack, entry.body.session_duration, "session_duration is not set (Cloudflare's default is 24h)");
      judgeAllowedIdps(a, stack, entry.body.allowed_idps);
      judgeFlag(a, stack, entry.body, 'allow_authenticate_via_warp', ACCESS_AUTHENTICATE_VIA_WARP, true);
      judgeFlag(a, stack, entry.body, 'options_preflight_bypass', false, false);
      results.push(a.result());
    }

    for (const entry of stack.ofType(ACCESS_POLICY_TYPE)) {
      if (entry.body.session_duration === undefined) continue;
      const a = new Verdict(entry.address);
      judgeSession(a, stack, entry.body.session_duration, undefined);
      results.push(a.result());
    }
    return results;
  },
};
