import { serviceAccountInLabel, serviceAccountLabel, serviceAccountTenants } from '../../../core/identity-defaults';
import { tenantAdminGroupName, tenantUserGroupName } from '../../../core/naming';
import {
  ACCESS_IDP_TYPE,
  ACCESS_INCLUDE_SELECTOR,
  ACCESS_POLICY_DECISION,
  ANY_SERVICE_TOKEN_SELECTOR,
  SERVICE_TOKEN_POLICY_DECISION,
  SERVICE_TOKEN_SELECTOR,
} from '../../../core/transport-defaults';
import { isObject, type JsonObject } from '../../../model/json';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { tenantInName } from '../../../model/tenancy';
import {
  ACCESS_APPLICATION_TYPE_NAME,
  ACCESS_IDP_TYPE_NAME,
  ACCESS_POLICY_TYPE,
  applicationHosts,
  applicationPolicies,
  firstLabel,
  type PolicyView,
  readList,
  readText,
  readEntry,
  referencedResource,
  selectors,
} from '../../../model/cloudflare';
import type { Evaluation, Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { selectedToken } from './service-tokens';
import { evidenceOf, readGroup } from './tenant-evidence';

/** The tenant an Access application serves, from its name `mcp-<t>` and its hostnames `<t>.<domain>`. */
export function applicationTenant(a: Verdict, stack: SynthesizedStack, entry: ResourceEntry): string | undefined {
  const name = readText(stack, entry.body.name);
  if (name?.kind === 'partial') {
    a.undecided(`name: ${name.why}`);
    return undefined;
  }
  const named = name === undefined ? undefined : tenantInName('accessApplication', name.text);
  const labels = new Set<string>();
  for (const host of applicationHosts(stack, entry.body)) {
    const label = firstLabel(host.host);
    if (host.host.includes('*')) {
      a.fail(`it covers the wildcard host '${host.host}', not one tenant's <t>.<domain>`);
      return undefined;
    }
    if (label === undefined) {
      a.undecided(`the host '${host.written}' of the application: ${host.why ?? 'not a full hostname'}`);
      return undefined;
    }
    labels.add(label);
  }
  if (named !== undefined) {
    const other = [...labels].find((l) => l !== named);
    if (other === undefined) return named;
    a.fail(`it is named '${name?.text}' (tenant ${named}) but covers ${other}.<domain>, another tenant's host`);
    return undefined;
  }
  const known = evidenceOf(stack).knownTenants();
  const [label] = labels;
  if (labels.size === 1 && known.has(label)) return label;
  a.fail(
    `it is named '${name?.text ?? '(unset)'}' and covers ${labels.size === 0 ? 'no host' : [...labels].map((l) => `${l}.<domain>`).join(', ')}, which names no single tenant (mcp-<t>, <t>.<domain>)`,
  );
  return undefined;
}

/** The identity provider an application allows: its one `allowed_idps` entry, followed into the app. */
function allowedProvider(stack: SynthesizedStack, entry: ResourceEntry): ResourceEntry | undefined {
  const { list } = readList(stack, entry.body.allowed_idps);
  if (list?.length !== 1) return undefined;
  return referencedResource(stack, list[0], ACCESS_IDP_TYPE_NAME).entry;
}

/** How a selector's value reads in a finding: the one string it holds, or nothing. */
function shown(value: unknown): string {
  if (isObject(value)) {
    const strings = Object.entries(value).filter(([k, v]) => k !== '//' && typeof v === 'string');
    if (strings.length === 1) return ` '${String(strings[0][1])}'`;
    if (strings.length > 1) return ` ${JSON.stringify(Object.fromEntries(strings))}`;
    return '';
  }
  return typeof value === 'string' ? ` '${value}'` : '';
}

/**
 * The rules of a policy's include, each entry followed through references (`"${var.rule}"` holds a
 * whole rule): an entry that reads as no rule is undecided, never skipped.
 */
function includeRules(a: Verdict, policy: PolicyView, list: readonly unknown[]): JsonObject[] {
  const rules: JsonObject[] = [];
  list.forEach((written, i) => {
    const { body, why } = readEntry(policy.stack, written, 'an include rule');
    if (why !== undefined) a.undecided(`${policy.label} include[${i}]: ${why}`);
    else rules.push(body);
  });
  return rules;
}

/** The context a policy is judged in: the application's tenant and its allowed identity provider. */
interface Context {
  readonly tenant?: string;
  readonly provider?: ResourceEntry;
}

/** Judges an `okta` include: the tenant's own group, through the application's Okta identity provider. */
function judgeOktaGroup(a: Verdict, policy: PolicyView, value: unknown, where: string, context: Context): void {
  const selector = isObject(value) ? value : {};
  const idp = referencedResource(policy.stack, selector.identity_provider_id, ACCESS_IDP_TYPE_NAME);
  const type = idp.entry && readText(idp.stack, idp.entry.body.type);
  if (idp.why !== undefined) a.undecided(`${where}.identity_provider_id: ${idp.why}`);
  else if (type?.kind !== 'literal') a.undecided(`the type of ${idp.entry.address}: ${type?.why ?? 'not set'}`);
  else if (type.text !== ACCESS_IDP_TYPE) {
    a.fail(`${where} names identity provider ${idp.entry.address} of type '${type.text}', not '${ACCESS_IDP_TYPE}'`);
  } else if (context.provider !== undefined && idp.entry !== context.provider) {
    a.fail(`${where} names identity provider ${idp.entry.address}, not the application's allowed Okta provider`);
  } else if (context.provider === undefined && context.tenant !== undefined) {
    a.undecided(
      `${where}: the application's allowed identity provider cannot be read, so its provider cannot be matched`,
    );
  }
  const group = readGroup(policy.stack, selector.name);
  const t = context.tenant;
  if (group.kind === 'unreadable') {
    a.undecided(`${where}.name: ${group.why}`);
  } else if (group.kind === 'named') {
    if (group.tenant === undefined) {
      a.fail(
        `${where} includes group '${group.name}', which is no tenant's group (${t === undefined ? 'mcp-<t>-users / mcp-<t>-admins' : `${tenantUserGroupName(t)} / ${tenantAdminGroupName(t)}`})`,
      );
    } else if (t !== undefined && group.tenant !== t) {
      a.fail(`${where} includes group '${group.name}' of tenant ${group.tenant}, not of tenant ${t}`);
    }
  } else {
    const others = [...group.whitelistedBy].filter((u) => u !== t);
    const maybe = [...group.maybeWhitelistedBy].filter((u) => u !== t);
    if (others.length > 0) {
      a.fail(
        `${where} includes existing group ${group.label}, which tenant ${others.join(', ')} also whitelists: tenants never share a group`,
      );
    } else if (t !== undefined && !group.whitelistedBy.has(t)) {
      if (group.maybeWhitelistedBy.has(t)) {
        a.undecided(
          `${where}: existing group ${group.label} cannot be shown to be the group tenant ${t}'s authorization server whitelists`,
        );
      } else {
        a.fail(
          `${where} includes existing group ${group.label}, which no policy rule of tenant ${t}'s authorization server (mcp-${t}) whitelists`,
        );
      }
    } else if (maybe.length > 0) {
      a.undecided(
        `${where}: existing group ${group.label} cannot be shown to differ from the groups tenant ${maybe.join(', ')} whitelists`,
      );
    } else if (t === undefined && group.whitelistedBy.size === 0) {
      a.undecided(`${where}: existing group ${group.label} is whitelisted by no tenant's authorization server`);
    }
  }
}

/**
 * Judges a service account's policy (decision `non_identity`): its include names exactly one
 * `service_token`, a token of the app named for a service account of the application's tenant.
 */
function judgeServiceTokenPolicy(a: Verdict, policy: PolicyView, context: Context): void {
  const include = readList(policy.stack, policy.body.include);
  if (include.why !== undefined) {
    a.undecided(`the include of ${policy.label}: ${include.why}`);
    return;
  }
  const found = selectors({ include: includeRules(a, policy, include.list ?? []) }, 'include');
  const others = found.filter(([selector]) => selector !== SERVICE_TOKEN_SELECTOR);
  for (const [selector, value] of others) {
    a.fail(
      `${policy.label} (${SERVICE_TOKEN_POLICY_DECISION}) includes ${selector}${shown(value)}${selector === ANY_SERVICE_TOKEN_SELECTOR ? ': every service token of the account' : ''} (only one ${SERVICE_TOKEN_SELECTOR})`,
    );
  }
  const tokens = found.filter(([selector]) => selector === SERVICE_TOKEN_SELECTOR);
  if (tokens.length !== 1) {
    a.fail(
      `${policy.label} (${SERVICE_TOKEN_POLICY_DECISION}) includes ${tokens.length} service tokens (exactly one: a policy per service account)`,
    );
  }
  for (const [, value] of tokens) {
    const token = selectedToken(policy, value);
    if (token.why !== undefined) {
      a.undecided(`${policy.label} include service_token: ${token.why}`);
      continue;
    }
    const name = readText(token.stack, token.entry.body.name);
    if (name?.kind !== 'literal') {
      a.undecided(`the name of ${token.entry.address}: ${name?.why ?? 'not set'}`);
      continue;
    }
    const t = context.tenant;
    if (t !== undefined) {
      a.expect(
        serviceAccountInLabel(name.text, t) !== undefined,
        `${policy.label} includes service token ${token.entry.address} named '${name.text}', not a service account of tenant ${t} (${serviceAccountLabel(t, '<name>')})`,
      );
    } else {
      a.expect(
        serviceAccountTenants(name.text, evidenceOf(policy.stack).knownTenants()).length > 0,
        `${policy.label} includes service token ${token.entry.address} named '${name.text}', which is no tenant's service account (${serviceAccountLabel('<t>', '<name>')})`,
      );
    }
  }
}

/** Judges one policy: decision allow with the tenant's Okta groups only, or a service account's token. */
function judgePolicy(a: Verdict, policy: PolicyView, context: Context): void {
  const decision = readText(policy.stack, policy.body.decision);
  if (decision?.kind === 'partial') a.undecided(`the decision of ${policy.label}: ${decision.why}`);
  else if (decision?.text === SERVICE_TOKEN_POLICY_DECISION) {
    judgeServiceTokenPolicy(a, policy, context);
    return;
  } else if (decision?.text !== ACCESS_POLICY_DECISION) {
    a.fail(`${policy.label} has decision '${decision?.text ?? 'unset'}' (only '${ACCESS_POLICY_DECISION}')`);
  }
  const include = readList(policy.stack, policy.body.include);
  if (include.why !== undefined) {
    a.undecided(`the include of ${policy.label}: ${include.why}`);
    return;
  }
  const rules = { include: includeRules(a, policy, include.list ?? []) };
  selectors(rules, 'include').forEach(([selector, value], i) => {
    if (selector === ACCESS_INCLUDE_SELECTOR)
      judgeOktaGroup(a, policy, value, `${policy.label} include okta #${i + 1}`, context);
    else a.fail(`${policy.label} includes ${selector}${shown(value)}`);
  });
}

/** MCP-NET-3: a tenant's Access application admits only that tenant's Okta groups, through its Okta provider. */
export const MCP_NET_3: Rule = {
  id: 'MCP-NET-3',
  level: 'error',
  layer: 'transport',
  cause:
    "an Access policy admits someone other than its tenant's Okta groups through the Okta identity provider or one of its tenant's service accounts' tokens, or decides something else",
  explanation:
    "Access is the only gate in front of a tenant's MCP port, so a tenant's application admits exactly that tenant's people: members of its Okta groups, signed in through the library's Okta identity provider. Every policy, inline in a `cloudflare_zero_trust_access_application` or a reusable `cloudflare_zero_trust_access_policy` its `policies[].id` references (in any stack of the app), decides `allow` (no `bypass` or `deny`) and includes only `okta` selectors, or is a service account's policy: decision `non_identity` and an include of exactly one `service_token` whose `token_id` is a `cloudflare_zero_trust_access_service_token` of the app named `mcp-<t>-svc-<name>` for the application's tenant <t> (a reusable policy judged alone: for some tenant of the app; `any_valid_service_token` is never allowed, and MCP-NET-5 judges the token); `everyone`, `email`, `email_domain`, `email_list`, `login_method`, `ip`, `ip_list`, `geo`, `service_token` (in an allow policy), `any_valid_service_token`, `group`, `saml`, `oidc`, `gsuite`, `azure_ad`, `github_organization`, `device_posture`, `certificate`, `common_name`, `auth_method`, `external_evaluation`, `linked_app_token` and any other selector in `include` admit someone by another property than their tenant's group and are refused (conditions in `require` and `exclude` only narrow a policy and are not judged here). Each `okta` selector names, in `identity_provider_id`, the identity provider the application's `allowed_idps` names (followed into the foundation stack of a fleet), and in `name` a group of the application's tenant: `mcp-<t>-users` or `mcp-<t>-admins` by literal name, or an existing group read with `data.okta_group` whose id a policy rule of tenant <t>'s authorization server (`mcp-<t>`) whitelists in `group_whitelist`, and no other tenant's does. The tenant of an application is read from its own name `mcp-<t>` and its hostnames `<t>.<domain>`, which must agree; an application that names no single tenant is refused. Ids that are variables without a default cannot be compared: two tenants whose existing group ids cannot be told apart are undecided (give the ids as literals).",
  requires: [
    'every policy an Access application applies (inline, or a reusable policy it references): `decision = "allow"`, or `decision = "non_identity"` for one service account',
    'in an `allow` policy, every `include` entry: `okta { identity_provider_id, name }` and nothing else',
    "in a `non_identity` policy: exactly one `include` entry, `service_token { token_id }` of a service token of the app named `mcp-<t>-svc-<name>` for the application's tenant <t>; never `any_valid_service_token`",
    "`identity_provider_id`: the identity provider the application's `allowed_idps` names",
    "`name`: `mcp-<t>-users` or `mcp-<t>-admins` of the application's tenant <t>, or `data.okta_group.<x>.name` of an existing group whose id tenant <t>'s authorization server whitelists and no other tenant's does",
    'every Access application: named `mcp-<t>`, covering only `<t>.<domain>` of that tenant',
  ],
  fix: "do not override policies: CloudflareAccessTunnel includes the tenant's groups (identity.userGroupName / identity.adminGroupName) through the shared Okta identity provider and one policy per service account (tenants[].serviceAccounts); give existing groups through tenants[].existingGroups (SecureMcpAccess), one pair per tenant",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const entry of stack.ofType(ACCESS_APPLICATION_TYPE_NAME)) {
      const a = new Verdict(entry.address);
      const { policies, unreadable } = applicationPolicies(stack, entry);
      for (const why of unreadable) a.undecided(why);
      if (policies.length > 0 || unreadable.length > 0) {
        const tenant = applicationTenant(a, stack, entry);
        const context: Context = { tenant, provider: allowedProvider(stack, entry) };
        for (const policy of policies) judgePolicy(a, policy, context);
      }
      results.push(a.result());
    }
    for (const entry of stack.ofType(ACCESS_POLICY_TYPE)) {
      const a = new Verdict(entry.address);
      judgePolicy(a, { label: `policy ${entry.address}`, body: entry.body, stack, entry }, {});
      results.push(a.result());
    }
    return results;
  },
};
