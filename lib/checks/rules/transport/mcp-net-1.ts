import { LOOPBACK_HOSTS } from '../../../core/defaults';
import { isLoopbackAddress } from '../../../core/formats';
import { MCP_ENV } from '../../../core/ports-defaults';
import {
  TUNNEL_CATCH_ALL_SERVICE,
  TUNNEL_CNAME_DOMAIN,
  TUNNEL_CONFIG_SOURCE,
  TUNNEL_ORIGIN_REQUEST_SETTINGS,
  TUNNEL_ORIGIN_SCHEMES,
} from '../../../core/transport-defaults';
import { isObject } from '../../../model/json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { namedTenant } from '../../../model/tenancy';
import {
  DNS_RECORD_TYPE,
  firstLabel,
  ingressRules,
  originRequests,
  parseIngressService,
  readText,
  referencedResource,
  TUNNEL_CONFIG_TYPE,
  TUNNEL_ROUTE_TYPE,
  TUNNEL_TYPE,
} from '../../../model/cloudflare';
import type { Evaluation, Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { evidenceOf, sameValue } from './tenant-evidence';

const ORIGIN_SCHEMES = new Set(TUNNEL_ORIGIN_SCHEMES);
const ORIGIN_REQUEST_SETTINGS = new Set(TUNNEL_ORIGIN_REQUEST_SETTINGS);

/** The tunnel a config, record or route belongs to, and its tenant (by the tunnel's name `mcp-<t>`). */
interface TunnelOfTenant {
  readonly tunnel: ResourceEntry;
  readonly tenant: string;
}

/** Judges `tunnel_id`: it must be a tunnel of the app whose name `mcp-<t>` names its tenant. */
function tunnelTenant(a: Verdict, stack: SynthesizedStack, value: unknown): TunnelOfTenant | undefined {
  const found = referencedResource(stack, value, TUNNEL_TYPE);
  if (found.why !== undefined) {
    a.undecided(`tunnel_id: ${found.why}`);
    return undefined;
  }
  const tenant = namedTenant(found.stack, found.entry);
  if (tenant !== undefined) return { tunnel: found.entry, tenant };
  const name = readText(found.stack, found.entry.body.name);
  if (name?.kind === 'literal') {
    a.fail(`its tunnel ${found.entry.address} is named '${name.text}', which names no tenant (mcp-<tenant>)`);
  } else a.undecided(`the name of its tunnel ${found.entry.address}: ${name?.why ?? 'not set'}`);
  return undefined;
}

/** Judges an ingress hostname: `<t>.<domain>` of the tunnel's own tenant, never a wildcard. */
function judgeHostname(a: Verdict, stack: SynthesizedStack, rule: JsonObject, where: string, tenant: string): void {
  if (rule.hostname === undefined) {
    a.fail(`${where} has no hostname, so it sends every hostname of the tunnel to its origin`);
    return;
  }
  const text = readText(stack, rule.hostname);
  const known = text?.kind === 'literal' ? text.text : (text?.known ?? '');
  const label = firstLabel(known);
  if (known.includes('*')) a.fail(`${where}.hostname '${known}' is a wildcard, not tenant ${tenant}'s own host`);
  else if (label === undefined) {
    a.undecided(`${where}.hostname: ${text?.kind === 'partial' ? text.why : `'${known}' is not a hostname`}`);
  } else if (label !== tenant) {
    a.fail(
      `${where}.hostname '${known}${text?.kind === 'partial' ? '...' : ''}' is not ${tenant}.<domain>, the host of the tunnel's tenant ${tenant}`,
    );
  }
}

/** Judges an origin's port: the MCP port of the tenant's deployment (`MCP_PORT` of its MCP container). */
function judgePort(
  a: Verdict,
  stack: SynthesizedStack,
  port: string,
  service: string,
  where: string,
  tenant: string,
): void {
  const ports = evidenceOf(stack).mcpPorts.get(tenant) ?? [];
  if (ports.length === 0) {
    a.undecided(
      `${where}.service '${service}': no MCP deployment of tenant ${tenant} in this app declares ${MCP_ENV.port}, so its port cannot be shown to be the MCP server's`,
    );
    return;
  }
  const same = ports.map((p) => sameValue({ stack, value: port }, p));
  if (same.includes(true)) return;
  const mcp = ports.map((p) => {
    const text = readText(p.stack, p.value);
    return text?.kind === 'literal' ? text.text : String(p.value);
  });
  if (same.every((s) => s === false)) {
    a.fail(
      `${where}.service '${service}' reaches port ${port}, not tenant ${tenant}'s MCP port ${[...new Set(mcp)].join(' / ')}`,
    );
  } else {
    a.undecided(
      `${where}.service '${service}': its port ${port} cannot be compared with tenant ${tenant}'s MCP port ${mcp.join(' / ')}`,
    );
  }
}

/** Judges one ingress rule that is not the last: it reaches only the MCP port on the pod's loopback. */
function judgeOriginRule(
  a: Verdict,
  stack: SynthesizedStack,
  rule: JsonObject,
  where: string,
  tenant: string | undefined,
): void {
  const read = readText(stack, rule.service);
  if (!read) {
    a.fail(`${where}.service is not set`);
    return;
  }
  // The host and scheme may be readable even when the port is an expression: judge what can be read.
  const service = read.kind === 'literal' ? read.text : String(rule.service);
  const parsed = parseIngressService(service);
  if (parsed.kind === 'status') {
    if (read.kind === 'partial') a.undecided(`${where}.service: ${read.why}`);
    return;
  }
  if (parsed.kind === 'other') {
    if (read.kind === 'partial') a.undecided(`${where}.service: ${read.why}`);
    else a.fail(`${where}.service '${service}' is not a loopback origin`);
    return;
  }
  if (parsed.host.includes('${')) {
    a.undecided(`${where}.service host: ${read.kind === 'partial' ? read.why : 'an unresolved expression'}`);
    return;
  }
  if (!ORIGIN_SCHEMES.has(parsed.scheme)) {
    a.fail(`${where}.service '${service}' uses ${parsed.scheme}:// (allowed: ${TUNNEL_ORIGIN_SCHEMES.join(', ')})`);
  }
  if (!isLoopbackAddress(parsed.host)) {
    a.fail(`${where}.service '${service}' is not a loopback origin (${LOOPBACK_HOSTS.join(', ')})`);
    return;
  }
  if (tenant === undefined) return;
  judgeHostname(a, stack, rule, where, tenant);
  if (parsed.port === undefined || parsed.port === '') {
    a.fail(`${where}.service '${service}' names no port (the MCP port of tenant ${tenant} is required)`);
  } else judgePort(a, stack, parsed.port, service, where, tenant);
}

/** Judges the last ingress rule: a catch-all (no hostname or path) answering `http_status:404`. */
function judgeCatchAll(a: Verdict, stack: SynthesizedStack, rule: JsonObject, where: string): void {
  const service = readText(stack, rule.service);
  if (service?.kind === 'partial') a.undecided(`${where}.service: ${service.why}`);
  else if (service?.text !== TUNNEL_CATCH_ALL_SERVICE) {
    a.fail(`the last ingress rule (${where}) is '${String(service?.text)}', not '${TUNNEL_CATCH_ALL_SERVICE}'`);
  }
  if (rule.hostname !== undefined || rule.path !== undefined) {
    a.fail(`the last ingress rule (${where}) has a hostname or path, so it is not a catch-all`);
  }
}

/** Judges `origin_request` settings against the allow-list. */
function judgeOriginRequests(a: Verdict, body: JsonObject, rules: readonly JsonObject[]): void {
  for (const [where, value] of originRequests(body, rules)) {
    for (const settings of Array.isArray(value) ? value : [value]) {
      if (!isObject(settings)) {
        a.undecided(`${where}: ${JSON.stringify(settings)} is an expression the rules cannot evaluate`);
        continue;
      }
      for (const [key, setting] of Object.entries(settings)) {
        if (key === '//' || setting === undefined || setting === null || ORIGIN_REQUEST_SETTINGS.has(key)) continue;
        a.fail(
          `${where}.${key} is ${JSON.stringify(setting)} (allowed settings: timeouts, keep-alives, TLS and access)`,
        );
      }
    }
  }
}

function judgeTunnelConfig(stack: SynthesizedStack, entry: ResourceEntry, a: Verdict): void {
  const source = readText(stack, entry.body.source);
  if (source?.kind === 'partial') a.undecided(`source: ${source.why}`);
  else if (source?.text !== TUNNEL_CONFIG_SOURCE) {
    a.fail(
      `source is ${source === undefined ? 'not set' : `'${source.text}'`} (only '${TUNNEL_CONFIG_SOURCE}': the ingress is reviewed in Terraform)`,
    );
  }
  const owner = tunnelTenant(a, stack, entry.body.tunnel_id);
  const { rules, why } = ingressRules(stack, entry.body);
  if (why !== undefined || !rules) {
    a.undecided(why ?? 'config.ingress cannot be read');
    return;
  }
  if (rules.length === 0) {
    a.fail('config.ingress has no rules');
    return;
  }
  rules.forEach((rule, i) => {
    const where = `config.ingress[${i}]`;
    if (i === rules.length - 1) judgeCatchAll(a, stack, rule, where);
    else judgeOriginRule(a, stack, rule, where, owner?.tenant);
  });
  judgeOriginRequests(a, entry.body, rules);
}

/** The tunnel a DNS record publishes (`<tunnel id>.cfargotunnel.com`), or undefined for another record. */
function publishedTunnel(body: JsonObject): { value: string } | undefined {
  const target = typeof body.content === 'string' ? body.content : body.value;
  if (body.type !== 'CNAME' || typeof target !== 'string') return undefined;
  const suffix = `.${TUNNEL_CNAME_DOMAIN}`;
  const text = target.toLowerCase().replace(/\.$/, '');
  if (!text.endsWith(suffix)) return undefined;
  return { value: target.replace(/\.$/, '').slice(0, -suffix.length) };
}

function judgeTunnelRecord(stack: SynthesizedStack, entry: ResourceEntry, tunnelId: string, a: Verdict): void {
  const literal = readText(stack, tunnelId);
  if (literal?.kind === 'literal') {
    a.undecided(`content names tunnel id '${literal.text}', not a tunnel of this app`);
    return;
  }
  const owner = tunnelTenant(a, stack, tunnelId);
  if (!owner) return;
  const name = readText(stack, entry.body.name);
  const known = name?.kind === 'literal' ? name.text : (name?.known ?? '');
  const label = firstLabel(known);
  if (label === undefined) {
    a.undecided(`name: ${name?.kind === 'partial' ? name.why : `'${known}' is not a full hostname`}`);
  } else if (label !== owner.tenant) {
    a.fail(
      `name '${known}' publishes tunnel ${owner.tunnel.address} of tenant ${owner.tenant} under another host than ${owner.tenant}.<domain>`,
    );
  }
}

/** MCP-NET-1: a tenant's tunnel reaches only its MCP port on the pod's loopback, under its own hostname. */
export const MCP_NET_1: Rule = {
  id: 'MCP-NET-1',
  level: 'error',
  layer: 'transport',
  cause:
    "a tunnel reaches beyond its tenant's MCP port on 127.0.0.1, serves another host than its tenant's, or does not end in http_status:404",
  explanation:
    "The MCP server listens on 127.0.0.1 inside its pod and the cloudflared sidecar shares that loopback, so a tunnel never needs another origin. An ingress service pointing at a pod IP, a service name, 0.0.0.0 or another host turns the tunnel into a path into the cluster network; another port on the pod's loopback reaches cloudflared's metrics or a sidecar's API; a rule without a hostname, or a hostname of another tenant, sends traffic meant for one tenant's Access application to this tenant's pod; and a missing final `http_status:404` rule lets unmatched hostnames reach an origin. The tenant of a tunnel is read from its own name (`mcp-<t>`, the tunnel a config's `tunnel_id` references, followed into any stack of the app), and the MCP port from `MCP_PORT` of the MCP container in the tenant's namespace `mcp-<t>`, in any stack of the app; a port that cannot be compared with it, or a tenant whose deployment is not in the app, is undecided, because the pod's loopback carries other listeners. Tunnels are remotely managed (`config_src` and `source` = `cloudflare`) so their ingress is in the reviewed JSON. Only timeouts, keep-alives, TLS and `access` settings may appear in `origin_request` (a `proxy_type` of `socks` makes the tunnel a SOCKS proxy to any address). A DNS record that publishes a tunnel names that tunnel's tenant host, and no private-network route (`cloudflare_zero_trust_tunnel_cloudflared_route`) goes through a tunnel of the app.",
  requires: [
    'every tunnel: `config_src = "cloudflare"`, named `mcp-<t>`, with a `cloudflare_zero_trust_tunnel_cloudflared_config` of the app (`source = "cloudflare"`) setting its ingress',
    "every ingress rule but the last: `hostname` = `<t>.<domain>` of the tunnel's tenant, and `service` = `tcp://`, `http://` or `https://` on 127.0.0.1, localhost or [::1] at the MCP port (`MCP_PORT`) of tenant <t>'s deployment, or an `http_status:<code>` answer",
    'the last ingress rule: no hostname, no path, `service = "http_status:404"`',
    '`origin_request` only with: ' + TUNNEL_ORIGIN_REQUEST_SETTINGS.join(', '),
    "every DNS record to `<tunnel id>.cfargotunnel.com`: the name `<t>.<domain>` of that tunnel's tenant",
    'no `cloudflare_zero_trust_tunnel_cloudflared_route` through a tunnel of the app',
  ],
  fix: 'do not override the tunnel, its config or its DNS record: CloudflareAccessTunnel routes `<t>.<domain>` to tcp://127.0.0.1:<port> with originPort = workload.port (SecureMcpAccess), then http_status:404; remove private-network routes through tenant tunnels',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const entry of stack.ofType(TUNNEL_CONFIG_TYPE)) {
      const a = new Verdict(entry.address);
      judgeTunnelConfig(stack, entry, a);
      results.push(a.result());
    }
    const configured = new Set<ResourceEntry>();
    for (const other of stack.app.stacks) {
      for (const config of other.ofType(TUNNEL_CONFIG_TYPE)) {
        const tunnel = referencedResource(other, config.body.tunnel_id, TUNNEL_TYPE);
        if (tunnel.entry) configured.add(tunnel.entry);
      }
    }
    for (const entry of stack.ofType(TUNNEL_TYPE)) {
      const a = new Verdict(entry.address);
      const source = readText(stack, entry.body.config_src);
      if (source?.kind === 'partial') a.undecided(`config_src: ${source.why}`);
      else if (source?.text !== TUNNEL_CONFIG_SOURCE) {
        a.fail(
          `config_src is ${source === undefined ? 'unset (local)' : `'${source.text}'`}: its ingress lives on the host, out of review`,
        );
      } else if (!configured.has(entry)) {
        a.undecided('no cloudflare_zero_trust_tunnel_cloudflared_config of this app sets its ingress');
      }
      results.push(a.result());
    }
    for (const entry of stack.ofType(DNS_RECORD_TYPE)) {
      const published = publishedTunnel(entry.body);
      if (!published) continue;
      const a = new Verdict(entry.address);
      judgeTunnelRecord(stack, entry, published.value, a);
      results.push(a.result());
    }
    for (const entry of stack.ofType(TUNNEL_ROUTE_TYPE)) {
      const a = new Verdict(entry.address);
      const tunnel = referencedResource(stack, entry.body.tunnel_id, TUNNEL_TYPE);
      const network = readText(stack, entry.body.network);
      const what = network?.kind === 'literal' ? `'${network.text}'` : 'a private network';
      if (tunnel.entry)
        a.fail(
          `it routes ${what} through tunnel ${tunnel.entry.address}, a path from WARP clients into the pod's network`,
        );
      else a.undecided(`it routes ${what} through tunnel_id that may be a tenant's tunnel: ${tunnel.why}`);
      results.push(a.result());
    }
    return results;
  },
};
