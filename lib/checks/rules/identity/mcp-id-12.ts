import { TOKEN_TTL_MINUTES, TOKEN_TTL_MINUTES_MIN } from '../../../core/defaults';
import {
  SERVICE_GRANT_TYPES,
  serviceAccountInLabel,
  serviceAccountLabel,
  serviceAccountScopeChoices,
} from '../../../core/identity-defaults';
import { type Located, OKTA_TYPES, readList, readNumber, readString } from '../../../model/okta';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { CLIENT_CREDENTIALS, isServicePolicy, type PolicyFacts, serviceIndex, where } from './service-apps';

/** Judges a service app's place: at most one policy names it, on its own tenant's authorization server. */
function judgeApp(stack: SynthesizedStack, app: Located, policies: readonly PolicyFacts[]): Evaluation {
  const verdict = new Verdict(app.entry.address);
  if (policies.length > 1) {
    const tenants = [...new Set(policies.map((p) => p.tenant ?? '?'))].sort();
    verdict.fail(
      `${policies.length} policies name it (${policies.map((p) => where(p, stack)).join(', ')}${tenants.length > 1 ? `, on the authorization servers of tenants ${tenants.join(', ')}` : ''}): a service account is one tenant's, through one policy`,
    );
    return verdict.result();
  }
  const [policy] = policies;
  if (policy === undefined || policy.tenant === undefined) return verdict.result();
  const label = readString(app.stack, app.entry.body.label);
  if (label.kind === 'unknown') verdict.undecided(`label: ${label.why}`);
  else {
    const text = label.kind === 'string' ? label.value : undefined;
    verdict.expect(
      text !== undefined && serviceAccountInLabel(text, policy.tenant) !== undefined,
      `label is ${text === undefined ? 'not set' : `'${text}'`}, not a service account of tenant ${policy.tenant} (${serviceAccountLabel(policy.tenant, '<name>')}), yet ${where(policy, stack)} of tenant ${policy.tenant}'s authorization server admits it`,
    );
  }
  return verdict.result();
}

/** Judges a policy that names a service app: it names that app only, on a tenant's authorization server. */
function judgePolicy(stack: SynthesizedStack, policy: PolicyFacts, serviceApps: readonly Located[]): Evaluation {
  const verdict = new Verdict(policy.entry.address);
  const { apps, others } = policy.whitelist;
  const count = apps.length + others.length;
  if (count !== 1) {
    const named = serviceApps.map((a) => where(a, stack)).join(', ');
    verdict.fail(
      `client_whitelist names ${count} clients, among them the service app ${named}: a service account's policy names its own app and nothing else`,
    );
  }
  if (policy.serverUnknown !== undefined) {
    if (policy.serverUnknown.startsWith('its authorization server')) {
      verdict.fail(`${policy.serverUnknown}: a service account belongs to one tenant`);
    } else verdict.undecided(policy.serverUnknown);
  }
  return verdict.result();
}

/** Judges a rule of a service account's policy: client_credentials only, its tenant's scopes, short tokens. */
function judgeRule(
  stack: SynthesizedStack,
  rule: Located,
  policy: PolicyFacts | undefined,
  service: boolean,
): Evaluation {
  const verdict = new Verdict(rule.entry.address);
  const body = rule.entry.body;
  if (!service) {
    verdict.fail(
      policy === undefined
        ? `grant_type_whitelist allows ${CLIENT_CREDENTIALS}, but policy_id is not an okta_auth_server_policy of this app`
        : `grant_type_whitelist allows ${CLIENT_CREDENTIALS} in policy ${where(policy, stack)}, which does not name exactly one service app`,
    );
    return verdict.result();
  }
  const grants = readList(stack, body.grant_type_whitelist);
  grants.unknowns.forEach((why) => verdict.undecided(`grant_type_whitelist: ${why}`));
  const shownGrants = grants.values.length > 0 ? grants.values.join(', ') : 'not set';
  if (grants.unknowns.length === 0) {
    verdict.expect(
      grants.values.length === SERVICE_GRANT_TYPES.length &&
        SERVICE_GRANT_TYPES.every((g) => grants.values.includes(g)) &&
        grants.references.length + grants.templates.length === 0,
      `grant_type_whitelist is ${shownGrants} (exactly ${SERVICE_GRANT_TYPES.join(', ')})`,
    );
  }
  const tenant = policy?.tenant;
  const scopes = readList(stack, body.scope_whitelist);
  scopes.unknowns.forEach((why) => verdict.undecided(`scope_whitelist: ${why}`));
  scopes.references.forEach((r) =>
    verdict.undecided(`scope_whitelist[${r.at}] is ${r.entry.address}.${r.attribute}, computed at apply`),
  );
  scopes.templates.forEach((t) => verdict.undecided(`scope_whitelist[${t.at}] '${t.text}' is computed at apply`));
  if (scopes.absent || (scopes.values.length === 0 && scopes.unknowns.length === 0)) {
    verdict.fail('scope_whitelist is not set');
  } else if (tenant !== undefined) {
    const choices = serviceAccountScopeChoices(tenant);
    const foreign = scopes.values.filter((s) => !choices.includes(s.trim()));
    verdict.expect(
      foreign.length === 0,
      `scope_whitelist grants ${foreign.map((s) => `'${s}'`).join(', ')} (only ${choices.map((c) => `'${c}'`).join(', ')} of tenant ${tenant}: no other tenant's scope, no offline_access, no *)`,
    );
  }
  const ttl = readNumber(stack, body.access_token_lifetime_minutes);
  if (ttl.kind === 'unknown') verdict.undecided(`access_token_lifetime_minutes: ${ttl.why}`);
  else if (ttl.kind === 'absent') verdict.fail('access_token_lifetime_minutes is not set (Okta defaults to 60)');
  else if (ttl.kind === 'invalid') verdict.fail(`access_token_lifetime_minutes is ${ttl.text}, not a number`);
  else {
    verdict.expect(
      ttl.value <= TOKEN_TTL_MINUTES,
      `access_token_lifetime_minutes is ${ttl.value} (at most ${TOKEN_TTL_MINUTES})`,
    );
    // Okta's shortest access token lifetime: a smaller value is not a stricter setting but one Okta refuses.
    verdict.expect(
      ttl.value >= TOKEN_TTL_MINUTES_MIN,
      `access_token_lifetime_minutes is ${ttl.value} (at least ${TOKEN_TTL_MINUTES_MIN}, Okta's shortest)`,
    );
  }
  return verdict.result();
}

/** MCP-ID-12: a service app is admitted by one policy of its own tenant's server, granting only its tenant's scopes. */
export const MCP_ID_12: Rule = {
  id: 'MCP-ID-12',
  level: 'error',
  layer: 'identity',
  cause:
    "a service app is named by more than one policy, by a policy that names other clients, or by another tenant's authorization server, or its policy's rule grants more than client_credentials, scopes outside its tenant, or tokens of more than 15 minutes",
  explanation: `A service account is one agent's identity on one tenant. Its \`okta_app_oauth\` (a service app, MCP-ID-11) may be named in the \`client_whitelist\` of one \`okta_auth_server_policy\` only, on the authorization server of the tenant its label names (\`${serviceAccountLabel('<tenant>', '<name>')}\`), and that policy names this app and nothing else: a service app in two tenants' servers would carry tokens across the tenant boundary, and one in a human policy (beside the MCP or admin client) would take that policy's scopes and rules. Every \`okta_auth_server_policy_rule\` of such a policy, and every rule that allows \`${CLIENT_CREDENTIALS}\` anywhere, must allow exactly \`${SERVICE_GRANT_TYPES.join(', ')}\` (no refresh token, no user grant), grant in \`scope_whitelist\` only the scopes of the server's own tenant (\`mcp:<t>:use\`, and \`mcp:<t>:admin\`, which MCP-ID-13 watches; never \`offline_access\`, \`*\` or another tenant's scope), and set \`access_token_lifetime_minutes\` ${TOKEN_TTL_MINUTES_MIN} to ${TOKEN_TTL_MINUTES}. The graph is followed across every stack of the app (a fleet's cell stacks hold the policies, the apps may sit elsewhere); what cannot be read is undecided.`,
  requires: [
    'each service app is named by at most one okta_auth_server_policy of the app, on the authorization server mcp-<t> of the tenant its label mcp-<t>-svc-<name> names',
    'a policy that names a service app names exactly that one client (no ALL_CLIENTS, no other app)',
    `each rule of that policy, and each rule allowing ${CLIENT_CREDENTIALS}: grant_type_whitelist exactly ${SERVICE_GRANT_TYPES.join(', ')}`,
    "scope_whitelist set, only mcp:<t>:use and mcp:<t>:admin of the server's tenant <t>",
    `access_token_lifetime_minutes set, ${TOKEN_TTL_MINUTES_MIN} to ${TOKEN_TTL_MINUTES}`,
  ],
  fix: 'declare each agent once, under its own tenant (tenants[].serviceAccounts of SecureMcpAccess, or OktaMcpIdentity serviceAccounts), and do not override the service policy client_whitelist or its rule grant_type_whitelist, scope_whitelist or access_token_lifetime_minutes (set tokenTtlMinutes instead)',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const index = serviceIndex(stack);
    const results: Evaluation[] = [];
    const isService = (e: Located): boolean => index.serviceApps.some((s) => s.entry === e.entry);
    for (const app of index.serviceApps) {
      if (app.stack === stack) results.push(judgeApp(stack, app, index.policiesOfApp.get(app.entry) ?? []));
    }
    for (const policy of index.policies.values()) {
      if (policy.stack !== stack) continue;
      const services = policy.whitelist.apps.filter(isService);
      if (services.length > 0) results.push(judgePolicy(stack, policy, services));
    }
    for (const rule of stack.ofType(OKTA_TYPES.policyRule)) {
      const policy = index.policyOfRule.get(rule);
      const service = policy !== undefined && isServicePolicy(index, policy);
      const grants = readList(stack, rule.body.grant_type_whitelist).values;
      if (service || grants.includes(CLIENT_CREDENTIALS)) {
        results.push(judgeRule(stack, { stack, entry: rule }, policy, service));
      }
    }
    return results;
  },
};
