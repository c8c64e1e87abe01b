import { ADMIN_SIGNON_RULE_NAMES, SECURITY_KEY_AUTHENTICATION_METHODS } from '../../../core/identity-defaults';
import { isObject } from '../../../model/json';
import { type Located, readString } from '../../../model/okta';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { clientGraph } from './clients';
import { admits, constraintsOf, type ParsedConstraint } from './signon';

const STRICT_NAME = ADMIN_SIGNON_RULE_NAMES['security-key'];
const ALLOWED = SECURITY_KEY_AUTHENTICATION_METHODS;

/** The `authenticationMethods` of a constraint object's possession, when it lists any. */
function methodsOf(json: Record<string, unknown>): unknown[] | undefined {
  const possession = json.possession;
  if (!isObject(possession) || !Array.isArray(possession.authenticationMethods)) return undefined;
  return possession.authenticationMethods.length > 0 ? possession.authenticationMethods : undefined;
}

/** True when a method entry is FIDO2 WebAuthn (the method may be left out: WebAuthn has one). */
function isSecurityKeyMethod(m: unknown): boolean {
  return isObject(m) && ALLOWED.some((a) => m.key === a.key && (m.method === undefined || m.method === a.method));
}

/** Whether a sign-on rule declares the strict setting: by its name, or by listing WebAuthn as its method. */
function declares(stack: SynthesizedStack, rule: ResourceEntry, parsed: readonly ParsedConstraint[]): boolean | string {
  const name = readString(stack, rule.body.name);
  if (name.kind === 'string' && name.value === STRICT_NAME) return true;
  if (parsed.some((c) => 'json' in c && (methodsOf(c.json) ?? []).some(isSecurityKeyMethod))) return true;
  if (name.kind === 'unknown') return `name: ${name.why}`;
  return false;
}

/** Judges one rule of a policy that declares the strict setting: every constraint object names WebAuthn only. */
function judgeStrict(stack: SynthesizedStack, rule: ResourceEntry, declaredBy: string): Evaluation {
  const verdict = new Verdict(rule.address);
  if (admits(stack, rule, verdict) === false) return verdict.result();
  const constraints = constraintsOf(stack, rule);
  if (constraints.unknown) verdict.undecided(constraints.unknown);
  else if (constraints.absent)
    verdict.fail(`constraints is not set, though ${declaredBy} declares FIDO2 security keys only`);
  for (const c of constraints.objects) {
    if ('unknown' in c) verdict.undecided(c.unknown);
    else if ('invalid' in c) verdict.fail(c.invalid);
    else {
      const methods = methodsOf(c.json);
      if (!methods) {
        verdict.fail(
          `${c.at} names no possession.authenticationMethods, so Okta FastPass and other phishing-resistant authenticators pass, though ${declaredBy} declares FIDO2 security keys only`,
        );
      } else {
        methods.forEach((m, i) => {
          verdict.expect(
            isSecurityKeyMethod(m),
            `${c.at} possession.authenticationMethods[${i}] is ${JSON.stringify(m)} (only {"key":"webauthn","method":"webauthn"})`,
          );
        });
      }
    }
  }
  return verdict.result();
}

/** MCP-ID-10: a sign-on policy that declares FIDO2 security keys only admits nothing else. */
export const MCP_ID_10: Rule = {
  id: 'MCP-ID-10',
  level: 'error',
  layer: 'identity',
  cause: 'a sign-on policy declared for FIDO2 security keys only admits another authenticator (such as Okta FastPass)',
  explanation: `The default admin constraint (MCP-ID-6) is met by a FIDO2 security key, a platform passkey and Okta FastPass alike. With \`adminAuthenticator: 'security-key'\`, OktaMcpClients names the authenticator too: each constraint object's \`possession.authenticationMethods\` is \`[{"key":"webauthn","method":"webauthn"}]\` (the Okta API's \`AuthenticationMethodObject\`; within one constraint object every property must hold), so FastPass (\`okta_verify\` / \`signed_nonce\`) no longer passes, and the rule is named \`${STRICT_NAME}\`. That name, or a WebAuthn entry in any constraint, declares the strict setting for the whole \`okta_app_signon_policy\`: every rule of it that allows access must list only WebAuthn in \`authenticationMethods\` in every constraint object, so an override of the constraints alone, or a second looser rule, is refused. Going back to the default means changing the rule's name too: a visible change of the declaration in the synthesized JSON, never a silent override. Telling a roaming key from a platform passkey is a setting of Okta's WebAuthn authenticator (attachment \`ROAMING\`, AAGUID groups), which the okta provider 4.20 cannot write: set it in Okta.`,
  requires: [
    `in an okta_app_signon_policy with a rule named '${STRICT_NAME}' or a constraint listing webauthn in possession.authenticationMethods: every rule that allows access has constraints`,
    'each constraint object lists possession.authenticationMethods, and every entry is {"key":"webauthn","method":"webauthn"}',
  ],
  fix: "keep the admin sign-on rule as okta.adminAuthenticator 'security-key' (SecureMcpAccess) or adminAuthenticator (OktaMcpClients) writes it, without overriding its constraints; or set the setting back to 'phishing-resistant'",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const graph = clientGraph(stack);
    const results: Evaluation[] = [];
    const judgePolicy = (rules: readonly Located[]): void => {
      const parsed = rules.map((r) => ({ rule: r, constraints: constraintsOf(r.stack, r.entry).objects }));
      const declaring = parsed.find((p) => declares(p.rule.stack, p.rule.entry, p.constraints) === true);
      for (const p of parsed) {
        if (p.rule.stack !== stack) continue;
        if (declaring) {
          results.push(judgeStrict(stack, p.rule.entry, declaring.rule.entry.address));
        } else {
          const undecidable = declares(stack, p.rule.entry, p.constraints);
          if (typeof undecidable === 'string') {
            results.push(new Verdict(p.rule.entry.address).undecided(undecidable).result());
          }
        }
      }
    };
    for (const rules of graph.signonRules.values()) judgePolicy(rules);
    for (const stray of graph.strayRules) judgePolicy([stray]);
    return results;
  },
};
