/**
 * Service accounts as the identity rules see them, across every stack of the app: which
 * `okta_app_oauth` are service apps (type `service`, or holding the `client_credentials` grant),
 * which `okta_auth_server_policy` name them in `client_whitelist`, and the rules of those policies.
 * A fleet's cell stacks hold the policies and rules, and may hold the apps: the index is built once
 * per app, and each stack reports the resources it declares (MCP-ID-5, 11, 12, 13; MCP-ID-6 and 7
 * leave service apps out of their sign-on graph).
 */
import { SERVICE_APP_TYPE } from '../../../core/identity-defaults';
import { type Located, OKTA_TYPES, readList, readString, referencedResource } from '../../../model/okta';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import { namedTenant } from '../../../model/tenancy';

/** The grant only service apps hold. */
export const CLIENT_CREDENTIALS = 'client_credentials';

/** One policy's `client_whitelist`, read. */
export interface Whitelist {
  /** The apps of this app it names (by client id literal or by reference). */
  readonly apps: readonly Located[];
  /** Entries that are not apps of this app, or cannot be read (ALL_CLIENTS included). */
  readonly others: readonly string[];
  /** Whether the list is empty or unset. */
  readonly empty: boolean;
}

/** What the index knows about one policy. */
export interface PolicyFacts extends Located {
  readonly whitelist: Whitelist;
  /** The tenant of its authorization server (`mcp-<t>`), when the server is found and named. */
  readonly tenant?: string;
  /** Why the server's tenant is not known, when it is not. */
  readonly serverUnknown?: string;
  /** The policy rules that point at it. */
  readonly rules: Located[];
}

/** The service-account facts of an app. */
export interface ServiceIndex {
  /** Every service app of the app (type service, or a client_credentials grant). */
  readonly serviceApps: readonly Located[];
  /** Every auth server policy of the app, with its whitelist and rules. */
  readonly policies: ReadonlyMap<ResourceEntry, PolicyFacts>;
  /** The policies whose whitelist names an app. */
  readonly policiesOfApp: ReadonlyMap<ResourceEntry, readonly PolicyFacts[]>;
  /** The policy of each rule, when found. */
  readonly policyOfRule: ReadonlyMap<ResourceEntry, PolicyFacts>;
}

/** True when an app's type is literally `service`. */
export function isServiceType(stack: SynthesizedStack, app: ResourceEntry): boolean {
  const type = readString(stack, app.body.type);
  return type.kind === 'string' && type.value === SERVICE_APP_TYPE;
}

/** True for a service app: type `service`, or `client_credentials` among its literal grant types. */
export function isServiceApp(stack: SynthesizedStack, app: ResourceEntry): boolean {
  return isServiceType(stack, app) || readList(stack, app.body.grant_types).values.includes(CLIENT_CREDENTIALS);
}

/**
 * A service policy: its whitelist names exactly one app of this app, a service app, and nothing
 * else. `unknown` when the whitelist cannot be read in full.
 */
export function policyKind(index: ServiceIndex, policy: PolicyFacts): 'service' | 'human' | 'unknown' {
  const { apps, others } = policy.whitelist;
  const service = apps.filter((a) => index.serviceApps.some((s) => s.entry === a.entry));
  if (apps.length === 1 && service.length === 1 && others.length === 0) return 'service';
  if (service.length === 0 && others.length > 0) return 'unknown';
  return 'human';
}

/** True for a service account's policy: its whitelist names exactly one app, a service app. */
export function isServicePolicy(index: ServiceIndex, policy: PolicyFacts): boolean {
  return policyKind(index, policy) === 'service';
}

function readWhitelist(stack: SynthesizedStack, policy: ResourceEntry, byClientId: Map<string, Located>): Whitelist {
  const list = readList(stack, policy.body.client_whitelist);
  const apps: Located[] = [];
  const others: string[] = [...list.unknowns];
  for (const value of list.values) {
    const app = byClientId.get(value);
    if (app) apps.push(app);
    else others.push(`'${value}' is not the client id of an okta_app_oauth of this app`);
  }
  for (const r of list.references) {
    if (r.entry.type === OKTA_TYPES.app && r.entry.mode === 'resource') apps.push({ stack: r.stack, entry: r.entry });
    else others.push(`${r.entry.address}.${r.attribute} is not an okta_app_oauth`);
  }
  for (const t of list.templates) others.push(`'${t.text}' is not an app of this app`);
  const count = list.values.length + list.references.length + list.templates.length + list.unknowns.length;
  return { apps, others, empty: list.absent || count === 0 };
}

function build(app: SynthesizedApp): ServiceIndex {
  const serviceApps: Located[] = [];
  const byClientId = new Map<string, Located>();
  for (const stack of app.stacks) {
    for (const entry of stack.ofType(OKTA_TYPES.app)) {
      if (isServiceApp(stack, entry)) serviceApps.push({ stack, entry });
      const clientId = readString(stack, entry.body.client_id);
      if (clientId.kind === 'string') byClientId.set(clientId.value, { stack, entry });
    }
  }
  const policies = new Map<ResourceEntry, PolicyFacts>();
  const policiesOfApp = new Map<ResourceEntry, PolicyFacts[]>();
  for (const stack of app.stacks) {
    for (const entry of stack.ofType(OKTA_TYPES.policy)) {
      const server = referencedResource(stack, entry.body.auth_server_id, OKTA_TYPES.authServer);
      const tenant = server.kind === 'resource' ? namedTenant(server.stack, server.entry) : undefined;
      const serverUnknown =
        server.kind === 'resource'
          ? tenant === undefined
            ? `its authorization server ${server.entry.address} is not named mcp-<tenant>`
            : undefined
          : `auth_server_id: ${server.kind === 'unknown' ? server.why : 'not an okta_auth_server of this app'}`;
      const facts: PolicyFacts = {
        stack,
        entry,
        whitelist: readWhitelist(stack, entry, byClientId),
        tenant,
        serverUnknown,
        rules: [],
      };
      policies.set(entry, facts);
      for (const a of facts.whitelist.apps) policiesOfApp.set(a.entry, [...(policiesOfApp.get(a.entry) ?? []), facts]);
    }
  }
  const policyOfRule = new Map<ResourceEntry, PolicyFacts>();
  for (const stack of app.stacks) {
    for (const entry of stack.ofType(OKTA_TYPES.policyRule)) {
      const policy = referencedResource(stack, entry.body.policy_id, OKTA_TYPES.policy);
      const facts = policy.kind === 'resource' ? policies.get(policy.entry) : undefined;
      if (facts) {
        facts.rules.push({ stack, entry });
        policyOfRule.set(entry, facts);
      }
    }
  }
  return { serviceApps, policies, policiesOfApp, policyOfRule };
}

const INDEXES = new WeakMap<SynthesizedApp, ServiceIndex>();

/** The service index of the app a stack belongs to (built once per app). */
export function serviceIndex(stack: SynthesizedStack): ServiceIndex {
  const app = stack.app;
  let index = INDEXES.get(app);
  if (!index) INDEXES.set(app, (index = build(app)));
  return index;
}

/** `okta_x.y` or, for another stack's resource, `okta_x.y in stack s`. */
export function where(at: Located, from: SynthesizedStack): string {
  return at.stack === from ? at.entry.address : `${at.entry.address} in stack ${at.stack.name}`;
}
