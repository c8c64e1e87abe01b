import { isExpression, isObject, joinPath, referencesInString, walkStrings } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { STATE_SECRET_REFERENCE } from './state-secrets';

/**
 * Attribute, variable, local and output names that hold a credential: resource and data attributes,
 * provider settings (`api_token`, `private_key`, `client_secret`, `token`, `password`, `access_key`,
 * `secret_key`, `client_key`) and backend settings (`access_key`, `secret_key`, `token`, `sas_token`,
 * `client_secret`, `password`, `encryption_key`, `http_auth`).
 */
const SECRET_NAME =
  /(^|_)(secret|secrets|password|passwd|passphrase|private_key|api_key|api_token|access_token|refresh_token|secret_access_key|client_secret|credentials?|token|access_key|secret_key|client_key|service_key|encryption_key|http_auth|conn_str)$/i;
/** Names that end like a secret but configure or name one instead of holding it. */
const NOT_A_SECRET =
  /(_method|_type|_ttl|_period|_lifetime|_rotation|_policies|_audience|_name|_names|_id|_ids)$|^kms_/i;
/** Attributes whose every value is secret material (Kubernetes secret data, write-only or not). */
const SECRET_MAPS = new Set(['data_wo', 'data', 'binary_data', 'string_data']);
const SECRET_MAP_TYPES = new Set(['kubernetes_secret_v1', 'kubernetes_secret']);
/** Module block keys that are not inputs. */
const MODULE_META = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);

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
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i, 'a URL with a password'],
];

/** True when an attribute, variable, local or output name says it holds a credential. */
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
const ANY_SECRET_LITERAL = new RegExp(SECRET_LITERALS.map(([pattern]) => pattern.source).join('|'), 'i');
/** The shortest string any literal form can match (a URL with a password, `a://b:c@`). */
const SHORTEST_SECRET_LITERAL = 8;

/** The kind of credential a literal string is, if it has a credential's shape. */
export function literalSecretKind(text: string): string | undefined {
  if (text.length < SHORTEST_SECRET_LITERAL) return undefined;
  // A fleet repeats most strings in every tenant's cell (about one in six is new at 100 tenants): a
  // string is searched once, and a repeat costs a lookup instead of nine patterns over its length.
  let kind = literalKinds.get(text);
  if (kind === undefined) {
    kind = '';
    // The literal parts of an expression are committed as written (`postgres://app:pw@${var.host}`):
    // they are searched, each `${...}` standing for an unknown value (a space, so no shape spans it).
    const literal = isExpression(text) ? text.replace(/\$\{[^}]*\}/g, ' ') : text;
    if (ANY_SECRET_LITERAL.test(literal)) {
      for (const [pattern, what] of SECRET_LITERALS) {
        if (pattern.test(literal)) {
          kind = what;
          break;
        }
      }
    }
    if (literalKinds.size >= LITERAL_KINDS_MAX) literalKinds.clear();
    literalKinds.set(text, kind);
  }
  return kind === '' ? undefined : kind;
}
/** Strings already searched ('' for no credential), bounded so that a long-lived process does not grow without end. */
const literalKinds = new Map<string, string>();
const LITERAL_KINDS_MAX = 200_000;

/** What scanning the non-resource blocks learns: variables used as secrets, for the variables' verdicts. */
interface Scan {
  /** `var.x` -> where it is used as a credential. */
  readonly secretUses: Map<string, string>;
}

/**
 * Scans one value of a block: a string with a credential's shape anywhere, or a literal under a
 * secret name (`name` stands for the value itself at the top), is a problem; a variable referenced
 * under a secret name is recorded, so that its own verdict can require `sensitive`.
 */
function scanValue(
  verdict: Verdict,
  scan: Scan,
  where: string,
  value: unknown,
  name: string,
  pathRoot: string = name,
): void {
  walkStrings(value, (text, key, segments) => {
    const attribute = key === '' ? name : key;
    const path = (): string => joinPath([pathRoot, ...segments]);
    const kind = literalSecretKind(text);
    if (kind) {
      verdict.fail(`${path()} holds ${kind}`);
      return;
    }
    if (text === '') return;
    if (isExpression(text)) {
      if (isSecretName(attribute)) {
        for (const ref of referencesInString(text)) {
          if (ref.startsWith('var.') && !scan.secretUses.has(ref)) scan.secretUses.set(ref, `${where} ${path()}`);
        }
      }
      return;
    }
    if (isSecretName(attribute)) verdict.fail(`${path()} is a literal credential`);
  });
}

/** Scans a value that is not an input (a module's `source`, ...) for credential shapes only: `git::https://u:pw@host/m`. */
function scanShapes(verdict: Verdict, value: unknown, pathRoot: string): void {
  walkStrings(value, (text, _key, segments) => {
    const kind = literalSecretKind(text);
    if (kind) verdict.fail(`${joinPath([pathRoot, ...segments])} holds ${kind}`);
  });
}

/** The instances of a block written as an object or a list of objects (providers, backends). */
function instances(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** Provider blocks: `provider.<name>` (or `provider.<name>.<alias>`). */
function scanProviders(stack: SynthesizedStack, scan: Scan): Evaluation[] {
  const providers = isObject(stack.json.provider) ? stack.json.provider : {};
  return Object.entries(providers).flatMap(([name, configs]) =>
    instances(configs).map((config, i) => {
      const alias = typeof config.alias === 'string' ? `.${config.alias}` : i > 0 ? `[${i}]` : '';
      const address = `provider.${name}${alias}`;
      const verdict = new Verdict(address);
      for (const [key, value] of Object.entries(config)) scanValue(verdict, scan, address, value, key);
      return verdict.result();
    }),
  );
}

/** The `terraform` block: the backend's configuration and HCP Terraform's `cloud` block. */
function scanTerraform(stack: SynthesizedStack, scan: Scan): Evaluation[] {
  const terraform = isObject(stack.json.terraform) ? stack.json.terraform : {};
  const results: Evaluation[] = [];
  const backends = isObject(terraform.backend) ? terraform.backend : {};
  for (const [type, config] of Object.entries(backends)) {
    const address = `terraform.backend.${type}`;
    const verdict = new Verdict(address);
    for (const block of instances(config)) {
      for (const [key, value] of Object.entries(block)) scanValue(verdict, scan, address, value, key);
    }
    results.push(verdict.result());
  }
  for (const block of instances(terraform.cloud)) {
    const verdict = new Verdict('terraform.cloud');
    for (const [key, value] of Object.entries(block)) scanValue(verdict, scan, 'terraform.cloud', value, key);
    results.push(verdict.result());
  }
  return results;
}

/** `locals`, one evaluation per local. */
function scanLocals(stack: SynthesizedStack, scan: Scan): Evaluation[] {
  const locals = isObject(stack.json.locals) ? stack.json.locals : {};
  return Object.entries(locals).map(([name, value]) => {
    const verdict = new Verdict(`local.${name}`);
    scanValue(verdict, scan, `local.${name}`, value, name);
    return verdict.result();
  });
}

/** `module` blocks: their inputs. */
function scanModules(stack: SynthesizedStack, scan: Scan): Evaluation[] {
  const modules = isObject(stack.json.module) ? stack.json.module : {};
  return Object.entries(modules).map(([name, body]) => {
    const verdict = new Verdict(`module.${name}`);
    for (const [key, value] of Object.entries(isObject(body) ? body : {})) {
      if (!MODULE_META.has(key)) scanValue(verdict, scan, `module.${name}`, value, key);
      else scanShapes(verdict, value, key);
    }
    return verdict.result();
  });
}

/** Resources and data sources (their strings are walked once per stack and shared with other rules). */
function scanResources(stack: SynthesizedStack, scan: Scan): Evaluation[] {
  return stack.all().map((entry) => {
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
      if (text === '') continue;
      if (isExpression(text)) {
        if (isSecretName(keys[i]) && text.includes('var.')) {
          for (const ref of referencesInString(text)) {
            if (ref.startsWith('var.') && !scan.secretUses.has(ref)) {
              scan.secretUses.set(ref, `${entry.address} ${pathOf(i)}`);
            }
          }
        }
        continue;
      }
      if (secretMapType && SECRET_MAPS.has(pathOf(i).split(/[.[]/)[0])) {
        verdict.fail(`${pathOf(i)} is a literal in secret data`);
      } else if (isSecretName(keys[i])) {
        verdict.fail(`${pathOf(i)} is a literal credential`);
      }
    }
    return verdict.result();
  });
}

/** Variables: a secret one is sensitive and has no default; no default holds a credential. */
function judgeVariables(stack: SynthesizedStack, scan: Scan): Evaluation[] {
  return Object.entries(stack.variables).map(([name, variable]) => {
    const address = `var.${name}`;
    const verdict = new Verdict(address);
    const use = scan.secretUses.get(address);
    if (variable.sensitive !== true) {
      if (isSecretName(name)) verdict.fail('a secret variable is not sensitive');
      else if (use !== undefined) verdict.fail(`it is used as a credential (${use}) but is not sensitive`);
    }
    if (isSecretName(name) && variable.default !== undefined && variable.default !== null) {
      verdict.fail('a secret variable has a default value');
    }
    if (variable.default !== undefined) scanValue(verdict, scan, address, variable.default, '', 'default');
    return verdict.result();
  });
}

/** Outputs: one that carries a secret (by name, a sensitive variable, a secret attribute) is sensitive. */
function judgeOutputs(stack: SynthesizedStack, sensitiveVars: ReadonlySet<string>): Evaluation[] {
  return Object.entries(stack.outputs).map(([name, output]) => {
    const verdict = new Verdict(`output.${name}`);
    if (output.sensitive !== true) {
      if (isSecretName(name)) verdict.fail('a secret output is not sensitive');
      const reported = new Set<string>();
      walkStrings(output.value, (text) => {
        if (!isExpression(text)) return;
        for (const ref of referencesInString(text)) {
          if (sensitiveVars.has(ref) && !reported.has(ref)) {
            reported.add(ref);
            verdict.fail(`it carries sensitive ${ref} without being sensitive`);
          }
        }
        for (const m of text.matchAll(/\.([a-z_]+)(?=[}\s,)\]])/g)) {
          if (isSecretName(m[1]) && !reported.has(m[1])) {
            reported.add(m[1]);
            verdict.fail(`it carries the secret attribute ${m[1]} without being sensitive`);
          }
        }
        const state = STATE_SECRET_REFERENCE.exec(text);
        if (state && !reported.has(state[1])) {
          reported.add(state[1]);
          verdict.fail(`it carries the secret ${state[1]} without being sensitive`);
        }
      });
    }
    scanValue(verdict, { secretUses: new Map() }, `output.${name}`, output.value, name, 'value');
    return verdict.result();
  });
}

/** MCP-SEC-5: no credential is written into any block of the synthesized JSON; secret variables and outputs are sensitive. */
export const MCP_SEC_5: Rule = {
  id: 'MCP-SEC-5',
  level: 'error',
  layer: 'secrets',
  cause: 'a secret literal is in the synthesized JSON, or a secret variable or output is not sensitive',
  explanation:
    "The synthesized JSON is committed, reviewed and uploaded: a credential in it is leaked. The rule reads every block: `provider` settings, the `terraform` block (backend configuration and `cloud`), variable defaults, `locals`, outputs, `module` inputs, data sources and resources. A string with a credential's shape (a PEM private key, an AWS access key id, a JWT, a GitHub, Slack, Vault or Okta token, a bearer credential, a URL with a password) is refused wherever it is; so is any literal under a name that holds a credential (`password`, `token`, `api_token`, `private_key`, `client_secret`, `client_key`, `access_key`, `secret_key`, `sas_token`, `encryption_key`, `credentials`, ...), and any literal in Kubernetes secret data. Credentials come from provider environment variables (for example `VAULT_TOKEN`, `OKTA_API_TOKEN`, `CLOUDFLARE_API_TOKEN`, `AWS_ACCESS_KEY_ID`) or sensitive Terraform variables without a default, and flow by reference (a tunnel token into a write-only Kubernetes secret attribute). A variable used as a credential, or named like one, is `sensitive`; an output that carries a secret (by its name, a sensitive variable, a secret attribute, or a value kept in state such as a tunnel token or writer token) is `sensitive` too.",
  requires: [
    'no string anywhere has the shape of a credential (PEM private key, AWS access key id, JWT, GitHub, Slack, Vault or Okta token, bearer credential, URL with a password)',
    'every attribute named like a credential, in every block (provider, backend, cloud, variable default, local, output, module, data, resource), is empty or a reference',
    'Kubernetes secret data holds references only',
    'a variable named like a credential is sensitive and has no default; a variable referenced as a credential is sensitive',
    'an output that carries a secret (by name, a sensitive variable, a secret attribute, a value kept in state) is sensitive',
  ],
  fix: "take credentials from the provider's environment variables or a sensitive TerraformVariable without a default (mark the variable sensitive), and mark outputs that carry them sensitive; never write a credential into a provider, backend or resource",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const scan: Scan = { secretUses: new Map() };
    const sensitiveVars = new Set(
      Object.entries(stack.variables)
        .filter(([, v]) => v.sensitive === true)
        .map(([name]) => `var.${name}`),
    );
    const others = [
      ...scanProviders(stack, scan),
      ...scanTerraform(stack, scan),
      ...scanLocals(stack, scan),
      ...scanModules(stack, scan),
      ...scanResources(stack, scan),
    ];
    const outputs = judgeOutputs(stack, sensitiveVars);
    return [...judgeVariables(stack, scan), ...others, ...outputs];
  },
};
