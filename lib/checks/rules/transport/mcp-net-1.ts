import { LOOPBACK_HOSTS } from '../../../core/defaults';
import { isLoopbackAddress } from '../../../core/formats';
import {
  TUNNEL_CATCH_ALL_SERVICE,
  TUNNEL_CONFIG_SOURCE,
  TUNNEL_ORIGIN_SCHEMES,
} from '../../../core/transport-defaults';
import { isExpression, referencesIn } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { ingressRules, parseIngressService, TUNNEL_CONFIG_TYPE, TUNNEL_TYPE } from '../../../model/cloudflare';

const ORIGIN_SCHEMES = new Set(TUNNEL_ORIGIN_SCHEMES);

/** Judges one ingress rule that is not the last: its service must reach only the pod's loopback. */
function judgeOriginRule(a: Verdict, rule: JsonObject, where: string): void {
  const service = rule.service;
  if (typeof service !== 'string') {
    a.fail(`${where}.service is not set`);
    return;
  }
  const parsed = parseIngressService(service);
  if (parsed.kind === 'status') return;
  if (parsed.kind === 'other') {
    if (isExpression(service)) a.unknown(`${where}.service`);
    else a.fail(`${where}.service '${service}' is not a loopback origin`);
    return;
  }
  if (isExpression(parsed.host)) {
    a.unknown(`${where}.service host`);
    return;
  }
  if (!ORIGIN_SCHEMES.has(parsed.scheme)) {
    a.fail(`${where}.service '${service}' uses ${parsed.scheme}:// (allowed: ${TUNNEL_ORIGIN_SCHEMES.join(', ')})`);
  }
  if (!isLoopbackAddress(parsed.host)) {
    a.fail(`${where}.service '${service}' is not a loopback origin (${LOOPBACK_HOSTS.join(', ')})`);
  }
}

/** Judges the last ingress rule: a catch-all (no hostname or path) answering `http_status:404`. */
function judgeCatchAll(a: Verdict, rule: JsonObject, where: string): void {
  if (isExpression(rule.service)) {
    a.unknown(`${where}.service`);
  } else if (rule.service !== TUNNEL_CATCH_ALL_SERVICE) {
    a.fail(`the last ingress rule (${where}) is '${String(rule.service)}', not '${TUNNEL_CATCH_ALL_SERVICE}'`);
  }
  if (rule.hostname !== undefined || rule.path !== undefined) {
    a.fail(`the last ingress rule (${where}) has a hostname or path, so it is not a catch-all`);
  }
}

function judgeTunnelConfig(body: JsonObject, a: Verdict): void {
  if (body.source !== undefined && body.source !== TUNNEL_CONFIG_SOURCE) {
    if (isExpression(body.source)) a.unknown('source');
    else a.fail(`source is '${String(body.source)}': the ingress is managed on the host, out of review`);
  }
  const rules = ingressRules(body);
  if (rules === 'expression') {
    a.unknown('config.ingress');
    return;
  }
  if (rules.length === 0) {
    a.fail('config.ingress has no rules');
    return;
  }
  rules.forEach((rule, i) => {
    const where = `config.ingress[${i}]`;
    if (i === rules.length - 1) judgeCatchAll(a, rule, where);
    else judgeOriginRule(a, rule, where);
  });
}

/** MCP-NET-1: a tunnel reaches only the pod's loopback address, and ends in a 404 catch-all. */
export const MCP_NET_1: Rule = {
  id: 'MCP-NET-1',
  level: 'error',
  layer: 'transport',
  cause: 'a tunnel ingress reaches beyond 127.0.0.1 / localhost / [::1], or does not end in http_status:404',
  explanation:
    'The MCP server listens on 127.0.0.1 inside its pod and the cloudflared sidecar shares that loopback, so a tunnel never needs another origin. An ingress service pointing at a pod IP, a service name, 0.0.0.0 or another host turns the tunnel into a path into the cluster network, and a missing final `http_status:404` rule lets unmatched hostnames reach an origin. Comply by giving every ingress rule but the last a `tcp://`, `http://` or `https://` service on 127.0.0.1, localhost or [::1] (or an `http_status:` answer), and making the last rule a catch-all without hostname or path whose service is `http_status:404`. Tunnels must be remotely managed (`config_src = "cloudflare"`) so their ingress is in the reviewed JSON; a locally managed tunnel is non-compliant, and a remotely managed one whose `cloudflare_zero_trust_tunnel_cloudflared_config` is not in the stack is undecided.',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    const configured = new Set<string>();
    for (const entry of stack.ofType(TUNNEL_CONFIG_TYPE)) {
      for (const ref of referencesIn(entry.body.tunnel_id)) configured.add(ref);
      const a = new Verdict(entry.address);
      judgeTunnelConfig(entry.body, a);
      results.push(a.result());
    }
    for (const entry of stack.ofType(TUNNEL_TYPE)) {
      const a = new Verdict(entry.address);
      const source = entry.body.config_src;
      if (isExpression(source)) a.unknown('config_src');
      else if (source !== TUNNEL_CONFIG_SOURCE) {
        a.fail(
          `config_src is ${source === undefined ? 'unset (local)' : `'${String(source)}'`}: its ingress lives on the host, out of review`,
        );
      } else if (!configured.has(entry.address)) {
        a.undecided('no cloudflare_zero_trust_tunnel_cloudflared_config in this stack sets its ingress');
      }
      results.push(a.result());
    }
    return results;
  },
};
