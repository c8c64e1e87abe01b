import { eachString, isExpression, referencesIn } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';

/** Attribute, variable and output names that hold a credential. */
const SECRET_NAME =
  /(^|_)(secret|secrets|password|passwd|passphrase|private_key|api_key|api_token|access_token|refresh_token|secret_access_key|client_secret|credentials?|token)$/i;
/** Attribute names that end like a secret but configure one instead of holding it. */
const NOT_A_SECRET = /(_method|_type|_ttl|_period|_lifetime|_rotation|_policies|_audience|_name|_names|_id|_ids)$/i;
/** Attributes whose every value is secret material (write-only Kubernetes secret data, and data). */
const SECRET_MAPS = new Set(['data_wo', 'data', 'binary_data', 'string_data']);
const SECRET_MAP_TYPES = new Set(['kubernetes_secret_v1', 'kubernetes_secret']);

/** Literal forms that are credentials whatever attribute holds them. */
const SECRET_LITERALS: readonly [RegExp, string][] = [
  [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, 'a PEM private key'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON Web Token'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b(?:hvs|hvb|s)\.[A-Za-z0-9]{24,}\b/, 'a Vault token'],
  [/\b00[A-Za-z0-9_-]{40}\b/, 'an Okta API token'],
  [/\bBearer\s+[A-Za-z0-9._~+/-]{20,}/, 'a bearer credential'],
];

/** True when an attribute, variable or output name says it holds a credential. */
export function isSecretName(name: string): boolean {
  let known = secretNames.get(name);
  if (known === undefined) {
    known = SECRET_NAME.test(name) && !NOT_A_SECRET.test(name);
    secretNames.set(name, known);
  }
  return known;
}
/** Attribute names repeat across thousands of resources: judge each name once. */
const secretNames = new Map<string, boolean>();

/** Any of the literal forms, tested once per string before finding which one matched. */
const ANY_SECRET_LITERAL = new RegExp(SECRET_LITERALS.map(([pattern]) => pattern.source).join('|'));
/** The shortest string any literal form can match (a Slack token). */
const SHORTEST_SECRET_LITERAL = 15;

function literalSecretKind(text: string): string | undefined {
  if (text.length < SHORTEST_SECRET_LITERAL || !ANY_SECRET_LITERAL.test(text) || isExpression(text)) return undefined;
  for (const [pattern, kind] of SECRET_LITERALS) if (pattern.test(text)) return kind;
  return undefined;
}

/** MCP-SEC-5: no credential is written into the synthesized JSON; secret variables and outputs are sensitive. */
export const MCP_SEC_5: Rule = {
  id: 'MCP-SEC-5',
  level: 'error',
  layer: 'secrets',
  cause: 'a secret literal is in the synthesized JSON, or a secret variable or output is not sensitive',
  explanation:
    'The synthesized JSON is committed, reviewed and uploaded: a credential in it is leaked. Credentials come from provider environment variables or sensitive Terraform variables, and flow by reference (for example a tunnel token into a write-only Kubernetes secret attribute). A variable or output that carries a secret must be marked sensitive so that Terraform does not print it.',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    const sensitiveVars = new Set<string>();

    for (const [name, variable] of Object.entries(stack.variables)) {
      const verdict = new Verdict(`var.${name}`);
      if (variable.sensitive === true) sensitiveVars.add(`var.${name}`);
      if (isSecretName(name)) {
        verdict.expect(variable.sensitive === true, 'a secret variable is not sensitive');
        verdict.expect(variable.default === undefined, 'a secret variable has a default value');
      }
      eachString(variable.default, (text) => {
        const kind = literalSecretKind(text);
        if (kind) verdict.fail(`its default holds ${kind}`);
      });
      results.push(verdict.result());
    }

    for (const entry of stack.all()) {
      const verdict = new Verdict(entry.address);
      const secretMapType = SECRET_MAP_TYPES.has(entry.type);
      const { texts, keys, pathOf } = stack.strings(entry);
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i];
        const kind = literalSecretKind(text);
        if (kind) {
          verdict.fail(`${pathOf(i)} holds ${kind}`);
          continue;
        }
        if (text === '' || isExpression(text)) continue;
        if (secretMapType && SECRET_MAPS.has(pathOf(i).split(/[.[]/)[0])) {
          verdict.fail(`${pathOf(i)} is a literal in secret data`);
        } else if (isSecretName(keys[i])) {
          verdict.fail(`${pathOf(i)} is a literal credential`);
        }
      }
      results.push(verdict.result());
    }

    for (const [name, output] of Object.entries(stack.outputs)) {
      const verdict = new Verdict(`output.${name}`);
      if (output.sensitive !== true) {
        if (isSecretName(name)) verdict.fail('a secret output is not sensitive');
        for (const ref of referencesIn(output.value)) {
          if (sensitiveVars.has(ref)) verdict.fail(`it carries sensitive ${ref} without being sensitive`);
        }
        eachString(output.value, (text) => {
          for (const m of text.matchAll(/\.([a-z_]+)(?=[}\s,)\]])/g)) {
            if (isSecretName(m[1])) verdict.fail(`it carries the secret attribute ${m[1]} without being sensitive`);
          }
        });
      }
      eachString(output.value, (text) => {
        const kind = literalSecretKind(text);
        if (kind) verdict.fail(`it holds ${kind}`);
      });
      results.push(verdict.result());
    }
    return results;
  },
};
