import { ADMIN_ACCESS_AUTH_METHOD, ADMIN_NAME_PATTERN, OKTA_AMR } from '../../../core/transport-defaults';
import { isExpression, isObject } from '../../../model/json';
import type { SynthesizedStack } from '../../../model/stack';
import {
  ACCESS_APPLICATION_TYPE_NAME,
  ACCESS_POLICY_TYPE,
  admission,
  applicationPolicies,
  authMethodOf,
  type PolicyView,
  readList,
  readText,
  selectors,
  withResolvedMethods,
} from '../../../model/cloudflare';
import type { Evaluation, Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { isServiceTokenPolicy } from './service-tokens';
import { readGroup } from './tenant-evidence';

/** The documented sign-ins an admin policy must refuse: every Okta authenticator but WebAuthn. */
const REFUSED_SIGN_INS: readonly [string, readonly string[]][] = [
  ['Okta FastPass', OKTA_AMR.fastPass],
  ['Okta Verify push', OKTA_AMR.push],
  ['Okta Verify TOTP', OKTA_AMR.totp],
  ['a password', OKTA_AMR.password],
];

/** Selector fields that hold a group (or team) rather than reference an identity provider. */
const GROUP_FIELDS = new Set(['name', 'email', 'attribute_value', 'claim_value', 'team']);

/**
 * Whether a policy is an admin policy: its name ends in admin(s), or it includes an admin group
 * (a literal name such as `mcp-<t>-admins`, or an existing group that a rule granting the tenant's
 * admin scope whitelists). Undefined when an included group cannot be classified.
 */
export function isAdminPolicy(policy: PolicyView): boolean | undefined {
  // A service account's policy admits a token, not a person: no sign-in, no amr (MCP-NET-3 and 5 judge it).
  if (isServiceTokenPolicy(policy)) return false;
  const name = readText(policy.stack, policy.body.name);
  if (name?.kind === 'literal' && ADMIN_NAME_PATTERN.test(name.text)) return true;
  // An include list, entry or selector that cannot be read (an expression) may hold an admin group.
  const listed = readList(policy.stack, policy.body.include);
  if (listed.why !== undefined) return undefined;
  const include = listed.list ?? [];
  let unknown = !include.every(isObject);
  for (const [selector, value] of selectors({ include: include.filter(isObject) }, 'include')) {
    if (isExpression(value)) unknown = true;
    if (!isObject(value)) continue;
    for (const [field, text] of Object.entries(value)) {
      if (!GROUP_FIELDS.has(field)) continue;
      if (selector === 'okta' && field === 'name') {
        const group = readGroup(policy.stack, text);
        if (group.kind === 'named' ? ADMIN_NAME_PATTERN.test(group.name) : group.kind === 'existing' && group.admin) {
          return true;
        }
        if (group.kind === 'unreadable' || (group.kind === 'existing' && group.admin === undefined)) unknown = true;
        continue;
      }
      const read = readText(policy.stack, text);
      // A Google group is an email address: its name is the local part.
      if (read?.kind === 'literal' && ADMIN_NAME_PATTERN.test(read.text.split('@')[0])) return true;
      if (read?.kind === 'partial') unknown = true;
    }
  }
  return unknown ? undefined : false;
}

/** Judges an admin policy: it admits a WebAuthn sign-in (`pop`) and refuses every other documented one. */
function judgeAdminPolicy(a: Verdict, policy: PolicyView): void {
  const resolved = withResolvedMethods(policy);
  const methods = selectors(resolved, 'require')
    .filter(([name]) => name === 'auth_method')
    .map(([, value]) => authMethodOf(value));
  const required = methods.filter((m): m is string => typeof m === 'string' && !m.includes('${'));
  const admits = admission(resolved);
  const webauthn = admits(OKTA_AMR.webauthn);
  const answers = REFUSED_SIGN_INS.map(([what, amr]) => [what, amr, admits(amr)] as const);
  const admitted = answers.filter(([, , answer]) => answer === true);
  if (webauthn === undefined || answers.some(([, , answer]) => answer === undefined)) {
    a.undecided(`an auth_method of admin ${policy.label} is an unresolved expression`);
    return;
  }
  const found =
    required.length > 0
      ? `requires auth_method ${required.map((m) => `'${m}'`).join(' and ')}`
      : 'requires no auth_method';
  if (!required.includes(ADMIN_ACCESS_AUTH_METHOD)) {
    const also = admitted.map(([what, amr]) => `${what} (amr ${JSON.stringify(amr)})`);
    a.fail(
      `admin ${policy.label} ${found}, not '${ADMIN_ACCESS_AUTH_METHOD}' (the amr Okta sends for a WebAuthn security key or passkey)${also.length > 0 ? `: it admits a sign-in with ${also.join(', ')}` : ''}`,
    );
  } else if (!webauthn) {
    // With `pop` required (AND), no token without it passes: only WebAuthn can be refused too.
    a.fail(`admin ${policy.label} ${found}: it admits no admin who signs in with WebAuthn (amr ["pop"])`);
  }
}

/** MCP-NET-4: admins pass Access only after a WebAuthn sign-in (Okta's `amr` value `pop`). */
export const MCP_NET_4: Rule = {
  id: 'MCP-NET-4',
  level: 'error',
  layer: 'transport',
  cause: "an admin Access policy does not require auth_method 'pop' (a WebAuthn sign-in), or admits other sign-ins",
  explanation:
    "Admin elevation needs a hardware key. The primary control is the Okta admin client's sign-on rule; Access adds a second layer by requiring, for admins, the `amr` value Okta sends for the authenticator that rule asks for. Cloudflare Access matches `auth_method` against the ID token's `amr` (RFC 8176), and Okta's table \"Supported AMR values by authenticator type\" (developer.okta.com/docs/guides/configure-amr-claims-mapping/main/) documents `pop` for WebAuthn (a FIDO2 security key or a platform passkey alike), `okta_verify` + `phr` for FastPass, `okta_verify` + `swk` for Okta Verify push, `okta_verify` + `otp` for TOTP and `pwd` for a password; `hwk` only for a smart card with an extra setting. So an admin policy requiring `hwk` admits nobody who signs in with a key, and is refused, like any policy that requires another value too (a WebAuthn token carries only `pop`). A policy counts as an admin policy when the last word of its name is admin, admins or administrators, or when it includes an admin group: a literal name such as `mcp-<t>-admins` (Okta group, SAML attribute value, OIDC claim value, Google group email, GitHub team), or an existing group that a policy rule granting the tenant's `mcp:<t>:admin` scope whitelists; a policy whose included group cannot be classified is undecided. A service account's policy (decision `non_identity`, only `service_token` included) admits a token, not a person, and is never an admin policy, whatever its name. Each admin policy, inline or reusable, must list `auth_method = \"pop\"` in `require` (AND) and, judged with ID tokens carrying each documented `amr` set, admit a WebAuthn sign-in and refuse FastPass, push, TOTP and password sign-ins (an `auth_method` in `include` (OR) admits anyone with it and does not count). An admin who is also in the users group passes the users policy without it: this is a second layer, not the admin control.",
  requires: [
    'every admin Access policy (named admin(s), or including an admin group): `require` lists `auth_method = "pop"`, and no other auth_method',
    'judged with the documented Okta `amr` sets, every admin policy admits ["pop"] (WebAuthn) and refuses ["okta_verify","phr"], ["okta_verify","swk"], ["okta_verify","otp"] and ["pwd"]',
  ],
  fix: 'do not override policies: CloudflareAccessTunnel writes the admins policy with require auth_method "pop" (the value Okta sends for WebAuthn); the hardware-key control itself is the Okta admin client sign-on rule (OktaMcpClients)',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    const judge = (address: string, policies: readonly PolicyView[], unreadable: readonly string[]): void => {
      const a = new Verdict(address);
      for (const why of unreadable) a.undecided(why);
      let admins = 0;
      for (const policy of policies) {
        const admin = isAdminPolicy(policy);
        if (admin === undefined) {
          a.undecided(`${policy.label} includes a group that cannot be told to be an admin group or not`);
        } else if (admin) {
          admins++;
          judgeAdminPolicy(a, policy);
        }
      }
      const result = a.result();
      if (admins > 0 || result.status !== 'compliant') results.push(result);
    };
    for (const entry of stack.ofType(ACCESS_APPLICATION_TYPE_NAME)) {
      const { policies, unreadable } = applicationPolicies(stack, entry);
      judge(entry.address, policies, unreadable);
    }
    for (const entry of stack.ofType(ACCESS_POLICY_TYPE)) {
      judge(entry.address, [{ label: `policy '${String(entry.body.name)}'`, body: entry.body, stack, entry }], []);
    }
    return results;
  },
};
