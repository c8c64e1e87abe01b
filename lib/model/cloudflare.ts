/** Readers of Cloudflare tunnel and Access resources in synthesized JSON, shared by the MCP-NET rules. */
import { blocks, isExpression } from './json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from './stack';

export const TUNNEL_TYPE = 'cloudflare_zero_trust_tunnel_cloudflared';
export const TUNNEL_CONFIG_TYPE = 'cloudflare_zero_trust_tunnel_cloudflared_config';
export const DNS_RECORD_TYPE = 'cloudflare_dns_record';
export const ACCESS_APPLICATION_TYPE_NAME = 'cloudflare_zero_trust_access_application';
export const ACCESS_POLICY_TYPE = 'cloudflare_zero_trust_access_policy';
export const ACCESS_IDP_TYPE_NAME = 'cloudflare_zero_trust_access_identity_provider';

/** True when a string holds a Terraform expression (a non-narrowing `isExpression` for known strings). */
export function hasExpression(text: string): boolean {
  return isExpression(text);
}

/** The ingress rules of a tunnel config; `expression` when the list (or its block) is unresolved. */
export function ingressRules(body: JsonObject): JsonObject[] | 'expression' {
  if (isExpression(body.config)) return 'expression';
  const config = blocks(body.config)[0] ?? {};
  if (isExpression(config.ingress)) return 'expression';
  return blocks(config.ingress);
}

/** What an ingress `service` points at. */
export type IngressService =
  | { readonly kind: 'status' }
  | { readonly kind: 'url'; readonly scheme: string; readonly host: string }
  | { readonly kind: 'other' };

/** Parses an ingress service: `http_status:<code>`, `<scheme>://<host>[:<port>][/...]`, or something else. */
export function parseIngressService(service: string): IngressService {
  if (/^http_status:\d{3}$/.test(service)) return { kind: 'status' };
  const url = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(service);
  if (!url) return { kind: 'other' };
  return { kind: 'url', scheme: url[1].toLowerCase(), host: url[2].toLowerCase() };
}

/** One Access policy as a rule judges it, with a label for findings. */
export interface PolicyView {
  readonly label: string;
  readonly body: JsonObject;
}

function policyLabel(body: JsonObject, fallback: string): string {
  return typeof body.name === 'string' ? `policy '${body.name}'` : fallback;
}

/** An inline entry that only points at a reusable policy (judged on that policy's own resource). */
function isPolicyReference(body: JsonObject): boolean {
  return body.id !== undefined && body.decision === undefined && body.include === undefined;
}

/**
 * Every Access policy defined in the stack, grouped by the resource that holds it: the inline
 * policies of each Access application and each reusable `cloudflare_zero_trust_access_policy`.
 * `expression` when an application's policy list is unresolved.
 */
export function policyHolders(
  stack: SynthesizedStack,
): { readonly entry: ResourceEntry; readonly policies: PolicyView[] | 'expression' }[] {
  const holders: { entry: ResourceEntry; policies: PolicyView[] | 'expression' }[] = [];
  for (const entry of stack.ofType(ACCESS_APPLICATION_TYPE_NAME)) {
    if (isExpression(entry.body.policies)) {
      holders.push({ entry, policies: 'expression' });
      continue;
    }
    const policies = blocks(entry.body.policies)
      .map((body, i) => ({ label: policyLabel(body, `policies[${i}]`), body }))
      .filter((p) => !isPolicyReference(p.body));
    holders.push({ entry, policies });
  }
  for (const entry of stack.ofType(ACCESS_POLICY_TYPE)) {
    holders.push({ entry, policies: [{ label: policyLabel(entry.body, 'the policy'), body: entry.body }] });
  }
  return holders;
}

/** The selectors (`okta`, `everyone`, `auth_method`, ...) set in a policy's `include`, `require` or `exclude`. */
export function selectors(policy: JsonObject, part: 'include' | 'require' | 'exclude'): [string, unknown][] {
  const found: [string, unknown][] = [];
  for (const rule of blocks(policy[part])) {
    for (const [name, value] of Object.entries(rule)) {
      if (name !== '//' && value !== null && value !== undefined && value !== false) found.push([name, value]);
    }
  }
  return found;
}

/** A hostname an Access application covers, and whether it covers the whole host (no path). */
export interface CoveredHost {
  readonly host: string;
  readonly wholeHost: boolean;
}

/** Splits `host/path` into the host and whether the path leaves part of the host uncovered. */
function coveredHost(uri: string): CoveredHost {
  const cut = uri.indexOf('/');
  if (cut < 0) return { host: uri.toLowerCase(), wholeHost: true };
  const path = uri.slice(cut);
  return { host: uri.slice(0, cut).toLowerCase(), wholeHost: path === '/' || path === '/*' };
}

/** The public hostnames an Access application covers: `destinations`, `domain` and `self_hosted_domains`. */
export function applicationHosts(body: JsonObject): CoveredHost[] {
  const hosts: CoveredHost[] = [];
  for (const destination of blocks(body.destinations)) {
    const type = destination.type;
    if ((type === undefined || type === 'public') && typeof destination.uri === 'string') {
      hosts.push(coveredHost(destination.uri));
    }
  }
  if (typeof body.domain === 'string') hosts.push(coveredHost(body.domain));
  if (Array.isArray(body.self_hosted_domains)) {
    for (const d of body.self_hosted_domains) if (typeof d === 'string') hosts.push(coveredHost(d));
  }
  return hosts;
}

/** Access application types that put Access in front of a public hostname. */
export function isSelfHostedApplication(body: JsonObject): boolean {
  return body.type === undefined || body.type === 'self_hosted';
}
