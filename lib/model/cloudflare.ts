/** Readers of Cloudflare tunnel and Access resources in synthesized JSON, shared by the MCP-NET rules. */
import { blocks, isExpression, isObject } from './json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from './stack';

export const TUNNEL_TYPE = 'cloudflare_zero_trust_tunnel_cloudflared';
export const TUNNEL_CONFIG_TYPE = 'cloudflare_zero_trust_tunnel_cloudflared_config';
export const TUNNEL_ROUTE_TYPE = 'cloudflare_zero_trust_tunnel_cloudflared_route';
export const DNS_RECORD_TYPE = 'cloudflare_dns_record';
export const ACCESS_APPLICATION_TYPE_NAME = 'cloudflare_zero_trust_access_application';
export const ACCESS_POLICY_TYPE = 'cloudflare_zero_trust_access_policy';
export const ACCESS_IDP_TYPE_NAME = 'cloudflare_zero_trust_access_identity_provider';

/**
 * A string value as far as the model can read it: `literal` when every part is known (references
 * followed with `stack.resolve`), else `partial` with the literal text before the first part it
 * cannot read (`acme.` of `acme.${var.domain}`) and why that part cannot be read.
 */
export type TextValue =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'partial'; readonly known: string; readonly why: string };

const INTERPOLATION = /\$\{([^{}]*)\}/g;
const ONE_INTERPOLATION = /^\$\{[^{}]*\}$/;

type Resolved = ReturnType<SynthesizedStack['resolve']>;
const resolvedByStack = new WeakMap<SynthesizedStack, Map<string, Resolved>>();

/**
 * `stack.resolve(value)`, remembered per stack for expressions: a fleet's cells name the same
 * provider, tunnel or group reference many times, and each rule reads it again.
 */
export function resolveIn(stack: SynthesizedStack, value: unknown): Resolved {
  if (typeof value !== 'string' || !value.includes('${')) return stack.resolve(value);
  let memo = resolvedByStack.get(stack);
  if (!memo) {
    memo = new Map();
    resolvedByStack.set(stack, memo);
  }
  let resolved = memo.get(value);
  if (!resolved) {
    resolved = stack.resolve(value);
    memo.set(value, resolved);
  }
  return resolved;
}

/** Why a resolved value is not a literal the rules can read as text. */
function notText(expression: string, resolved: Resolved): string {
  if (resolved.kind === 'unknown') return resolved.why;
  if (resolved.kind === 'reference') {
    return `'${expression}' is ${resolved.entry.address}${resolved.attribute ? `.${resolved.attribute}` : ''}, known only at apply`;
  }
  return `'${expression}' is not a string`;
}

/**
 * Reads a string (or number) value: a whole reference is followed with `stack.resolve` (variables
 * with a literal default, locals, attributes, remote-state outputs); a template such as
 * `tcp://127.0.0.1:${var.port}` has each of its `${...}` parts followed the same way.
 */
export function readText(stack: SynthesizedStack, value: unknown): TextValue | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'literal', text: String(value) };
  if (typeof value !== 'string') return undefined;
  if (!value.includes('${')) return { kind: 'literal', text: value };
  const whole = resolveIn(stack, value);
  if (whole.kind === 'literal' && (typeof whole.value === 'string' || typeof whole.value === 'number')) {
    return readText(stack, whole.value);
  }
  if (ONE_INTERPOLATION.test(value)) return { kind: 'partial', known: '', why: notText(value, whole) };
  let text = '';
  let last = 0;
  for (const m of value.matchAll(INTERPOLATION)) {
    text += value.slice(last, m.index);
    const part = resolveIn(stack, m[0]);
    if (part.kind !== 'literal' || (typeof part.value !== 'string' && typeof part.value !== 'number')) {
      return { kind: 'partial', known: text, why: notText(m[0], part) };
    }
    const inner = readText(stack, part.value);
    if (!inner || inner.kind === 'partial') {
      return { kind: 'partial', known: text + (inner?.known ?? ''), why: inner?.why ?? `'${m[0]}' is empty` };
    }
    text += inner.text;
    last = (m.index ?? 0) + m[0].length;
  }
  if (value.slice(last).includes('${')) {
    return { kind: 'partial', known: text, why: `'${value}' is an expression the rules cannot evaluate` };
  }
  return { kind: 'literal', text: text + value.slice(last) };
}

/** A value followed through references: a literal, or undefined with why it cannot be read. */
export function readValue(stack: SynthesizedStack, value: unknown): { value?: unknown; why?: string } {
  const resolved = resolveIn(stack, value);
  if (resolved.kind === 'literal') return { value: resolved.value };
  return { why: notText(String(value), resolved) };
}

/** A list value (a block list or an attribute list), following a whole reference to it. */
export function readList(stack: SynthesizedStack, value: unknown): { list?: unknown[]; why?: string } {
  if (value === undefined || value === null) return { list: [] };
  if (isExpression(value)) {
    const read = readValue(stack, value);
    if (read.why !== undefined) return { why: read.why };
    return readList(stack, read.value);
  }
  return { list: Array.isArray(value) ? value : [value] };
}

/**
 * Reads one entry of a list attribute as an object: an entry written as an expression (`"${var.rule}"`,
 * whose value may be a whole rule or policy) is followed, never skipped; `why` says why any other
 * entry is none (`what` names the kind, e.g. `a policy`).
 */
export function readEntry(
  stack: SynthesizedStack,
  written: unknown,
  what: string,
): { body: JsonObject; why?: undefined } | { body?: undefined; why: string } {
  const read = readValue(stack, written);
  if (isObject(read.value)) return { body: read.value };
  return { why: read.why ?? `${JSON.stringify(read.value)} is not ${what}` };
}

/** The ingress rules of a tunnel config, following references to the config block or the list. */
export function ingressRules(stack: SynthesizedStack, body: JsonObject): { rules?: JsonObject[]; why?: string } {
  const config = readList(stack, body.config);
  if (config.why !== undefined) return { why: `config: ${config.why}` };
  const first = config.list?.find(isObject) ?? {};
  const ingress = readList(stack, first.ingress);
  if (ingress.why !== undefined) return { why: `config.ingress: ${ingress.why}` };
  // A rule that reads as no rule (it may route anywhere) makes the whole list unreadable.
  const rules: JsonObject[] = [];
  for (const [i, written] of (ingress.list ?? []).entries()) {
    const read = readEntry(stack, written, 'an ingress rule');
    if (read.why !== undefined) return { why: `config.ingress[${i}]: ${read.why}` };
    rules.push(read.body);
  }
  return { rules };
}

/** The `origin_request` blocks of a tunnel config: the config's own and each ingress rule's. */
export function originRequests(body: JsonObject, rules: readonly JsonObject[]): [string, unknown][] {
  const found: [string, unknown][] = [];
  const config = blocks(body.config)[0] ?? {};
  if (config.origin_request !== undefined) found.push(['config.origin_request', config.origin_request]);
  rules.forEach((rule, i) => {
    if (rule.origin_request !== undefined) found.push([`config.ingress[${i}].origin_request`, rule.origin_request]);
  });
  return found;
}

/** What an ingress `service` points at. */
export type IngressService =
  | { readonly kind: 'status' }
  | { readonly kind: 'url'; readonly scheme: string; readonly host: string; readonly port?: string }
  | { readonly kind: 'other' };

/** Parses an ingress service: `http_status:<code>`, `<scheme>://<host>[:<port>][/...]`, or something else. */
export function parseIngressService(service: string): IngressService {
  if (/^http_status:\d{3}$/.test(service)) return { kind: 'status' };
  const url = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?/i.exec(service);
  if (!url) return { kind: 'other' };
  return { kind: 'url', scheme: url[1].toLowerCase(), host: url[2].toLowerCase(), port: url[3] };
}

/** One Access policy as a rule judges it, with a label for findings and the stack that declares it. */
export interface PolicyView {
  readonly label: string;
  readonly body: JsonObject;
  /** The stack whose references the policy's values use. */
  readonly stack: SynthesizedStack;
  /** The reusable policy resource, when the policy is one. */
  readonly entry?: ResourceEntry;
}

function policyLabel(body: JsonObject, fallback: string): string {
  return typeof body.name === 'string' && !isExpression(body.name) ? `policy '${body.name}'` : fallback;
}

/** An inline entry that only points at a reusable policy (by `id`). */
function isPolicyReference(body: JsonObject): boolean {
  return body.id !== undefined && body.decision === undefined && body.include === undefined;
}

/**
 * The policies an Access application applies: its inline policies, and each reusable
 * `cloudflare_zero_trust_access_policy` its `policies[].id` references (followed into whichever
 * stack of the app declares it). `why` lists what cannot be read (the list, or a referenced id).
 */
export function applicationPolicies(
  stack: SynthesizedStack,
  application: ResourceEntry,
): { policies: PolicyView[]; unreadable: string[] } {
  const list = readList(stack, application.body.policies);
  if (list.why !== undefined) return { policies: [], unreadable: [`policies: ${list.why}`] };
  const policies: PolicyView[] = [];
  const unreadable: string[] = [];
  (list.list ?? []).forEach((written, i) => {
    const where = `policies[${i}]`;
    const { body, why } = readEntry(stack, written, 'a policy');
    if (why !== undefined) {
      unreadable.push(`${where}: ${why}`);
      return;
    }
    if (body.id !== undefined) {
      const ref = resolveIn(stack, body.id);
      if (ref.kind === 'reference' && ref.entry.type === ACCESS_POLICY_TYPE && ref.entry.mode === 'resource') {
        policies.push({
          label: policyLabel(ref.entry.body, `policy ${ref.entry.address}`),
          body: ref.entry.body,
          stack: ref.stack,
          entry: ref.entry,
        });
      } else {
        unreadable.push(
          `${where}.id ${JSON.stringify(body.id)} is not a cloudflare_zero_trust_access_policy of this app${ref.kind === 'unknown' ? ` (${ref.why})` : ''}`,
        );
      }
    }
    if (!isPolicyReference(body)) policies.push({ label: policyLabel(body, where), body, stack });
  });
  return { policies, unreadable };
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

/** The method of an `auth_method` selector: `{ auth_method = "pop" }` (provider v5) or `"pop"` (v4). */
export function authMethodOf(value: unknown): unknown {
  return isObject(value) ? value.auth_method : Array.isArray(value) ? authMethodOf(value[0]) : value;
}

/**
 * Whether an Access policy admits a person who signed in through its identity provider, belongs to
 * the group(s) it includes, and carries an ID token whose `amr` claim holds `amr`, judged on the
 * token's authentication methods only:
 * - the decision is `allow`;
 * - its `include` (OR) is met: an `auth_method` selector when its method is in `amr`, any other
 *   selector by the premise (the person is in the included group);
 * - every `auth_method` it requires (AND) is in `amr`, as Cloudflare matches the RFC 8176 values the
 *   IdP sends ("If the user fails to present the required MFA method, Cloudflare Access rejects the
 *   user", https://developers.cloudflare.com/cloudflare-one/access-controls/policies/mfa-requirements/);
 *   other required conditions (network, device) do not depend on the token and count as met;
 * - no `auth_method` it excludes is in `amr`.
 * Undefined when a method is not a literal string (an unresolved expression).
 */
export function accessAdmits(policy: JsonObject, amr: readonly string[]): boolean | undefined {
  return admission(policy)(amr);
}

/** {@link accessAdmits} for one policy, read once and asked for many `amr` sets. */
export function admission(policy: JsonObject): (amr: readonly string[]) => boolean | undefined {
  if (isExpression(policy.decision)) return () => undefined;
  if (policy.decision !== 'allow') return () => false;
  /** Each selector as the method it needs (`null`: met regardless of the token), `undefined` when unread. */
  const methods = (part: 'include' | 'require' | 'exclude'): (string | null | undefined)[] =>
    selectors(policy, part).map(([name, value]) => {
      if (name !== 'auth_method') return null;
      const method = authMethodOf(value);
      return typeof method === 'string' && !isExpression(method) ? method : undefined;
    });
  const include = methods('include');
  const require = methods('require');
  const exclude = methods('exclude').filter((m) => m !== null);
  // Three-valued: undefined where a method cannot be read, so that only a decided answer is returned.
  const any = (values: (boolean | undefined)[]): boolean | undefined =>
    values.includes(true) ? true : values.includes(undefined) ? undefined : false;
  const all = (values: (boolean | undefined)[]): boolean | undefined =>
    values.includes(false) ? false : values.includes(undefined) ? undefined : true;
  return (amr) => {
    const met = (m: string | null | undefined): boolean | undefined =>
      m === null ? true : m === undefined ? undefined : amr.includes(m);
    const excluded = any(exclude.map(met));
    return all([any(include.map(met)), all(require.map(met)), excluded === undefined ? undefined : !excluded]);
  };
}

/**
 * A copy of a policy with its decision and every `auth_method` followed through references
 * (variables with a literal default, locals, remote-state outputs), for {@link accessAdmits}.
 */
export function withResolvedMethods(policy: PolicyView): JsonObject {
  const literal = (value: unknown): unknown => {
    const resolved = resolveIn(policy.stack, value);
    return resolved.kind === 'literal' ? resolved.value : value;
  };
  const part = (value: unknown): JsonObject[] =>
    blocks(value).map((rule) =>
      rule.auth_method === undefined
        ? rule
        : { ...rule, auth_method: { auth_method: literal(authMethodOf(rule.auth_method)) } },
    );
  return {
    ...policy.body,
    decision: literal(policy.body.decision),
    include: part(policy.body.include),
    require: part(policy.body.require),
    exclude: part(policy.body.exclude),
  };
}

/** A hostname an Access application covers, and whether it covers the whole host (no path). */
export interface CoveredHost {
  /** The host (lower case) when it can be read, else the literal text before the unreadable part. */
  readonly host: string;
  readonly wholeHost: boolean;
  /** Why the host cannot be read in full, when it cannot. */
  readonly why?: string;
  /** The value as written, for matching an unreadable host to the same expression elsewhere. */
  readonly written: string;
}

/** Splits `host/path` into the host and whether the path leaves part of the host uncovered. */
function coveredHost(uri: string, written: string, why?: string): CoveredHost {
  const cut = uri.indexOf('/');
  if (cut < 0) return { host: uri.toLowerCase(), wholeHost: why === undefined, why, written };
  const path = uri.slice(cut);
  return { host: uri.slice(0, cut).toLowerCase(), wholeHost: path === '/' || path === '/*', why, written };
}

/** The public hostnames an Access application covers: `destinations`, `domain` and `self_hosted_domains`. */
export function applicationHosts(stack: SynthesizedStack, body: JsonObject): CoveredHost[] {
  const hosts: CoveredHost[] = [];
  const add = (value: unknown): void => {
    const text = readText(stack, value);
    if (!text) return;
    if (text.kind === 'literal') hosts.push(coveredHost(text.text, String(value)));
    else hosts.push(coveredHost(text.known, String(value), text.why));
  };
  const destinations = readList(stack, body.destinations).list ?? [];
  for (const [i, written] of destinations.entries()) {
    // A destination that reads as none may cover any host: an unreadable host.
    const { body: destination, why } = readEntry(stack, written, 'a destination');
    if (why !== undefined) {
      hosts.push({ host: '', wholeHost: false, why: `destinations[${i}]: ${why}`, written: String(written) });
      continue;
    }
    const type = destination.type;
    if (type === undefined || type === 'public') add(destination.uri);
  }
  add(body.domain);
  for (const d of readList(stack, body.self_hosted_domains).list ?? []) add(d);
  return hosts;
}

/** The first DNS label of a hostname (`acme` of `acme.mcp.example.com`), when it is followed by a dot. */
export function firstLabel(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot > 0 ? host.slice(0, dot).toLowerCase() : undefined;
}

/** A resource a value refers to, in whichever stack of the app declares it, or why it cannot be found. */
export type Referenced =
  | { readonly stack: SynthesizedStack; readonly entry: ResourceEntry; readonly why?: undefined }
  | { readonly why: string; readonly stack?: undefined; readonly entry?: undefined };

/** The resource of `type` a value refers to (its `id`), followed through variables, locals and remote state. */
export function referencedResource(stack: SynthesizedStack, value: unknown, type: string): Referenced {
  const resolved = resolveIn(stack, value);
  if (resolved.kind === 'reference' && resolved.entry.type === type) {
    return { stack: resolved.stack, entry: resolved.entry };
  }
  if (resolved.kind === 'unknown') return { why: resolved.why };
  if (resolved.kind === 'reference') {
    return { why: `${JSON.stringify(value)} is ${resolved.entry.address}, not a ${type}` };
  }
  return { why: `${JSON.stringify(resolved.value)} is a literal id, not a ${type} of this app` };
}
