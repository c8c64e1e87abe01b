/**
 * Readers of Okta resources in synthesized JSON, shared by the MCP-ID rules. Every reader resolves
 * what it reads through {@link SynthesizedStack.resolve} first (a variable by its literal default, a
 * local, an attribute another resource sets, an output of another stack of the app), so that a
 * rule reports "could not decide" only for what no stack of the app declares.
 */
import { isExpression, isObject, type JsonObject } from './json';
import type { ResourceEntry, SynthesizedStack } from './stack';

/** Terraform types the identity rules read. */
export const OKTA_TYPES = {
  app: 'okta_app_oauth',
  redirectUri: 'okta_app_oauth_redirect_uri',
  postLogoutRedirectUri: 'okta_app_oauth_post_logout_redirect_uri',
  authServer: 'okta_auth_server',
  claim: 'okta_auth_server_claim',
  scope: 'okta_auth_server_scope',
  policy: 'okta_auth_server_policy',
  policyRule: 'okta_auth_server_policy_rule',
  signonPolicy: 'okta_app_signon_policy',
  signonRule: 'okta_app_signon_policy_rule',
} as const;

/** App types Okta treats as public clients (no secret can be kept). */
export const PUBLIC_APP_TYPES: readonly string[] = ['native', 'browser'];

/** App types the identity layer uses: public native or browser clients, and confidential web apps. */
export const ALLOWED_APP_TYPES: readonly string[] = ['native', 'browser', 'web'];

/** A resource of some stack of the app, with the stack that declares it. */
export interface Located {
  readonly stack: SynthesizedStack;
  readonly entry: ResourceEntry;
}

/**
 * What one value of the JSON is, once followed:
 * - `absent`: not set (or null);
 * - `literal`: known at synth;
 * - `reference`: a computed attribute of a resource of the app (an `id`, a `client_id`);
 * - `template`: a string mixing literals with such references, e.g. `https://${data.x.auth_domain}/cb`
 *   (`text` keeps each reference as `${...}` and every followed part as its literal);
 * - `unknown`: an expression no stack of the app decides, with why.
 */
export type Reading =
  | { readonly kind: 'absent' }
  | { readonly kind: 'literal'; readonly value: unknown }
  | ({ readonly kind: 'reference'; readonly attribute: string } & Located)
  | { readonly kind: 'template'; readonly text: string }
  | { readonly kind: 'unknown'; readonly why: string };

const INTERPOLATION = /(\$\{[^}]*\})/;
const ONE_INTERPOLATION = /^\$\{[^}]*\}$/;

/** Reads a string that mixes literals and `${...}` parts, following each part. */
function readTemplate(stack: SynthesizedStack, text: string): Reading {
  let out = '';
  let computed = false;
  for (const part of text.split(INTERPOLATION)) {
    if (!part.startsWith('${')) {
      out += part;
      continue;
    }
    const resolved = stack.resolve(part);
    if (resolved.kind === 'unknown') return { kind: 'unknown', why: resolved.why };
    if (resolved.kind === 'reference') {
      computed = true;
      out += part;
    } else if (['string', 'number', 'boolean'].includes(typeof resolved.value)) {
      out += String(resolved.value);
    } else {
      return { kind: 'unknown', why: `'${part}' in '${text}' is not a string` };
    }
  }
  return computed ? { kind: 'template', text: out } : { kind: 'literal', value: out };
}

/** `${type.name.attribute}`: the usual reference to a computed attribute, read without the general walk. */
const PLAIN_REFERENCE = /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*)\}$/;
const NOT_RESOURCES = new Set(['var', 'local', 'data', 'module', 'each', 'count', 'self', 'path', 'terraform']);

/** Follows a value of the JSON into what it is (see {@link Reading}). */
export function read(stack: SynthesizedStack, value: unknown): Reading {
  if (value === undefined || value === null) return { kind: 'absent' };
  if (!isExpression(value)) return { kind: 'literal', value };
  // Fast path: a fleet holds thousands of `${okta_x.name.id}`; an attribute the resource sets takes the general walk.
  const plain = PLAIN_REFERENCE.exec(value);
  if (plain && !NOT_RESOURCES.has(plain[1])) {
    const entry = stack.find(`${plain[1]}.${plain[2]}`);
    if (entry && !(plain[3] in entry.body)) return { kind: 'reference', stack, entry, attribute: plain[3] };
  }
  const resolved = stack.resolve(value);
  if (resolved.kind === 'literal') {
    if (resolved.value === undefined || resolved.value === null) return { kind: 'absent' };
    return { kind: 'literal', value: resolved.value };
  }
  if (resolved.kind === 'reference') {
    return { kind: 'reference', stack: resolved.stack, entry: resolved.entry, attribute: resolved.attribute };
  }
  // Not one whole traversal: maybe literals around followable parts (`https://acme.${var.domain}/mcp`).
  return ONE_INTERPOLATION.test(value) ? { kind: 'unknown', why: resolved.why } : readTemplate(stack, value);
}

/** What a reading shows, in words (for details). */
export function describeReading(reading: Reading): string {
  switch (reading.kind) {
    case 'absent':
      return 'not set';
    case 'literal':
      return typeof reading.value === 'string' ? `'${reading.value}'` : JSON.stringify(reading.value);
    case 'reference':
      return `a reference to ${reading.entry.address}.${reading.attribute}`;
    case 'template':
      return `'${reading.text}'`;
    case 'unknown':
      return `undecidable (${reading.why})`;
  }
}

/** A string attribute read: its literal, absent, unknown (with why), or `other` for a non-literal or non-string. */
export type StringReading =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly why: string }
  | { readonly kind: 'other'; readonly reading: Reading };

/** Reads a string attribute (booleans and numbers written as strings stay strings). */
export function readString(stack: SynthesizedStack, value: unknown): StringReading {
  const reading = read(stack, value);
  if (reading.kind === 'absent') return reading;
  if (reading.kind === 'unknown') return reading;
  if (reading.kind === 'literal' && typeof reading.value === 'string') return { kind: 'string', value: reading.value };
  return { kind: 'other', reading };
}

/** Reads a number attribute (a number or a numeric string). */
export function readNumber(
  stack: SynthesizedStack,
  value: unknown,
):
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly why: string }
  | { readonly kind: 'invalid'; readonly text: string } {
  const reading = read(stack, value);
  if (reading.kind === 'absent' || reading.kind === 'unknown') return reading;
  if (reading.kind === 'literal') {
    const v = reading.value;
    if (typeof v === 'number') return { kind: 'number', value: v };
    if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)))
      return { kind: 'number', value: Number(v) };
  }
  if (reading.kind === 'reference' || reading.kind === 'template') {
    return { kind: 'unknown', why: `${describeReading(reading)} is computed at apply` };
  }
  return { kind: 'invalid', text: describeReading(reading) };
}

/** Reads a boolean attribute (a boolean or `"true"` / `"false"`). */
export function readBoolean(
  stack: SynthesizedStack,
  value: unknown,
):
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly why: string }
  | { readonly kind: 'invalid'; readonly text: string } {
  const reading = read(stack, value);
  if (reading.kind === 'absent' || reading.kind === 'unknown') return reading;
  if (reading.kind === 'literal') {
    const v = reading.value;
    if (typeof v === 'boolean') return { kind: 'boolean', value: v };
    if (v === 'true' || v === 'false') return { kind: 'boolean', value: v === 'true' };
  }
  if (reading.kind === 'reference' || reading.kind === 'template') {
    return { kind: 'unknown', why: `${describeReading(reading)} is computed at apply` };
  }
  return { kind: 'invalid', text: describeReading(reading) };
}

/** A list attribute read member by member. */
export interface ListReading {
  /** The attribute is not set (or null). */
  readonly absent: boolean;
  /** Members that are literal strings (numbers and booleans as strings). */
  readonly values: readonly string[];
  /** The same members with their positions in the list. */
  readonly literals: readonly { readonly value: string; readonly at: number }[];
  /** Members that are references to computed attributes of resources of the app. */
  readonly references: readonly (Located & { readonly attribute: string; readonly at: number })[];
  /** Members (or the whole list) that are strings mixing literals and references. */
  readonly templates: readonly { readonly text: string; readonly at: number }[];
  /** Why members (or the whole list) could not be read. */
  readonly unknowns: readonly string[];
}

/** Reads a list attribute: the list itself may be an expression, and so may each member. */
export function readList(stack: SynthesizedStack, value: unknown): ListReading {
  const values: string[] = [];
  const literals: { value: string; at: number }[] = [];
  const references: (Located & { attribute: string; at: number })[] = [];
  const templates: { text: string; at: number }[] = [];
  const unknowns: string[] = [];
  const whole = read(stack, value);
  if (whole.kind === 'absent') return { absent: true, values, literals, references, templates, unknowns };
  if (whole.kind === 'unknown')
    return { absent: false, values, literals, references, templates, unknowns: [whole.why] };
  if (whole.kind !== 'literal') {
    unknowns.push(`${describeReading(whole)} is a list computed at apply`);
    return { absent: false, values, literals, references, templates, unknowns };
  }
  const members = Array.isArray(whole.value) ? whole.value : [whole.value];
  members.forEach((member, at) => {
    const reading = read(stack, member);
    if (reading.kind === 'literal' && ['string', 'number', 'boolean'].includes(typeof reading.value)) {
      values.push(String(reading.value));
      literals.push({ value: String(reading.value), at });
    } else if (reading.kind === 'reference') {
      references.push({ stack: reading.stack, entry: reading.entry, attribute: reading.attribute, at });
    } else if (reading.kind === 'template') {
      templates.push({ text: reading.text, at });
    } else if (reading.kind === 'unknown') {
      unknowns.push(reading.why);
    } else if (reading.kind !== 'absent') {
      unknowns.push(`member ${at} is ${describeReading(reading)}, not a string`);
    }
  });
  return { absent: false, values, literals, references, templates, unknowns };
}

/** A nested block read as one object (Terraform JSON writes a block as an object or a list of one). */
export function readBlock(stack: SynthesizedStack, value: unknown): JsonObject | 'absent' | { unknown: string } {
  const reading = read(stack, value);
  if (reading.kind === 'absent') return 'absent';
  if (reading.kind === 'unknown') return { unknown: reading.why };
  if (reading.kind !== 'literal') return { unknown: `${describeReading(reading)} is computed at apply` };
  const v = reading.value;
  if (Array.isArray(v)) {
    if (v.length === 0) return 'absent';
    return isObject(v[0]) ? v[0] : { unknown: 'the block is not an object' };
  }
  return isObject(v) ? v : { unknown: 'the block is not an object' };
}

/**
 * The resource of `type` a value points at (`${okta_app_oauth.x.client_id}`, possibly through a
 * variable, a local or another stack's output), or why not: `absent`, `literal` (an id written as
 * text, not a resource of the app), `other` (a resource of another type) or `unknown`.
 */
export function referencedResource(
  stack: SynthesizedStack,
  value: unknown,
  type: string,
):
  | ({ readonly kind: 'resource'; readonly attribute: string } & Located)
  | { readonly kind: 'absent' }
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'other'; readonly reading: Reading }
  | { readonly kind: 'unknown'; readonly why: string } {
  const reading = read(stack, value);
  if (reading.kind === 'absent' || reading.kind === 'unknown') return reading;
  if (reading.kind === 'literal') {
    return reading.value === '' ? { kind: 'absent' } : { kind: 'literal', value: reading.value };
  }
  if (reading.kind === 'reference' && reading.entry.type === type && reading.entry.mode === 'resource') {
    return { kind: 'resource', stack: reading.stack, entry: reading.entry, attribute: reading.attribute };
  }
  return { kind: 'other', reading };
}

/** Whether an app is a public client: `none` auth at the token endpoint, or a native or browser app. */
export function publicness(
  stack: SynthesizedStack,
  app: ResourceEntry,
): 'public' | 'confidential' | { unknown: string } {
  const method = readString(stack, app.body.token_endpoint_auth_method);
  const type = readString(stack, app.body.type);
  if (method.kind === 'string' && method.value === 'none') return 'public';
  if (type.kind === 'string' && PUBLIC_APP_TYPES.includes(type.value)) return 'public';
  if (type.kind === 'unknown') return { unknown: `type: ${type.why}` };
  if (method.kind === 'unknown') return { unknown: `token_endpoint_auth_method: ${method.why}` };
  return 'confidential';
}

/** One `provider "okta"` block of a stack. */
export interface OktaProviderConfig {
  /** The alias, or undefined for the default configuration. */
  readonly alias?: string;
  readonly body: JsonObject;
}

/** The okta provider blocks of a stack (Terraform JSON writes them as an object or a list). */
export function oktaProviders(stack: SynthesizedStack): readonly OktaProviderConfig[] {
  const providers = isObject(stack.json.provider) ? stack.json.provider : {};
  const okta = providers.okta;
  const list = Array.isArray(okta) ? okta : okta === undefined ? [] : [okta];
  return list.filter(isObject).map((body) => ({
    alias: typeof body.alias === 'string' ? body.alias : undefined,
    body,
  }));
}

/**
 * The okta provider configuration a resource uses: its `provider` meta-argument (`okta.<alias>`), else
 * the default block; `{}` when the stack declares none (Terraform then configures the provider from
 * the environment alone); undefined when it names an alias the stack does not declare.
 */
export function providerOf(stack: SynthesizedStack, entry: ResourceEntry): OktaProviderConfig | undefined {
  const configs = oktaProviders(stack);
  const meta = entry.body.provider;
  const alias = typeof meta === 'string' && meta.startsWith('okta.') ? meta.slice('okta.'.length) : undefined;
  if (alias !== undefined) return configs.find((c) => c.alias === alias);
  return configs.find((c) => c.alias === undefined) ?? { body: {} };
}
