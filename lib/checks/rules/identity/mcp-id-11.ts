import { isHttpsUrl } from '../../../core/formats';
import {
  EC_CURVES,
  ecCurveOf,
  PRIVATE_JWK_MEMBERS,
  publicJwkProblems,
  RSA_MIN_BITS,
  SERVICE_APP_TYPE,
  SERVICE_GRANT_TYPES,
  SERVICE_RESPONSE_TYPES,
  SERVICE_TOKEN_ENDPOINT_AUTH_METHOD,
} from '../../../core/identity-defaults';
import { isObject } from '../../../model/json';
import {
  describeReading,
  type ListReading,
  OKTA_TYPES,
  read,
  readBoolean,
  readList,
  readString,
} from '../../../model/okta';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { isServiceApp } from './service-apps';

/** Records what a list reading could not decide. */
function unreadable(verdict: Verdict, attribute: string, list: ListReading): void {
  list.unknowns.forEach((why) => verdict.undecided(`${attribute}: ${why}`));
  list.references.forEach((r) =>
    verdict.undecided(`${attribute}[${r.at}] is ${r.entry.address}.${r.attribute}, computed at apply`),
  );
  list.templates.forEach((t) => verdict.undecided(`${attribute}[${t.at}] '${t.text}' is computed at apply`));
}

/** The string members of one `jwks` block, read; or why a member cannot be read. */
function readKey(stack: SynthesizedStack, block: Record<string, unknown>): Record<string, unknown> | string {
  const key: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(block)) {
    if (member === '//') continue;
    const text = readString(stack, value);
    if (text.kind === 'unknown') return `${member}: ${text.why}`;
    if (text.kind === 'other') return `${member} is ${describeReading(text.reading)}, not a string`;
    if (text.kind === 'string') key[member] = text.value;
  }
  return key;
}

/** Judges the keys of a service app: public RSA (>= 2048 bits) or EC (P-256, P-384, P-521) keys with a kid. */
function judgeJwks(verdict: Verdict, stack: SynthesizedStack, value: unknown): void {
  const whole = read(stack, value);
  if (whole.kind === 'unknown') {
    verdict.undecided(`jwks: ${whole.why}`);
    return;
  }
  if (whole.kind !== 'literal') {
    verdict.undecided(`jwks is ${describeReading(whole)}, computed at apply`);
    return;
  }
  const blocks = Array.isArray(whole.value) ? whole.value : [whole.value];
  if (blocks.length === 0) verdict.fail('jwks is empty');
  blocks.forEach((block, i) => {
    const at = `jwks[${i}]`;
    if (!isObject(block)) {
      verdict.fail(`${at} is not a key`);
      return;
    }
    const key = readKey(stack, block);
    if (typeof key === 'string') {
      verdict.undecided(`${at}.${key}`);
      return;
    }
    const secret = PRIVATE_JWK_MEMBERS.filter((m) => key[m] !== undefined);
    if (secret.length > 0) {
      verdict.fail(`${at} holds private key members (${secret.join(', ')})`);
      return;
    }
    // The provider's block has no crv: the curve is the one the coordinates' length shows.
    const crv = key.kty === 'EC' && typeof key.x === 'string' ? (key.crv ?? ecCurveOf(key.x)) : key.crv;
    if (key.kty === 'EC' && crv === undefined) {
      verdict.fail(`${at} is an EC key whose coordinates are on none of ${EC_CURVES.join(', ')}`);
      return;
    }
    publicJwkProblems(at, key.kty === 'EC' ? { ...key, crv } : key).forEach((p) => verdict.fail(p));
  });
}

/** Judges one service app. */
function judgeServiceApp(stack: SynthesizedStack, app: ResourceEntry): Evaluation {
  const verdict = new Verdict(app.address);
  const type = readString(stack, app.body.type);
  if (type.kind === 'unknown') verdict.undecided(`type: ${type.why}`);
  else {
    verdict.expect(
      type.kind === 'string' && type.value === SERVICE_APP_TYPE,
      `type is ${type.kind === 'string' ? type.value : 'not set'}, yet it holds client_credentials (only a ${SERVICE_APP_TYPE} app may)`,
    );
  }

  const grants = readList(stack, app.body.grant_types);
  unreadable(verdict, 'grant_types', grants);
  if (grants.absent) verdict.fail('grant_types is not set');
  const extra = grants.values.filter((g) => !SERVICE_GRANT_TYPES.includes(g));
  verdict.expect(extra.length === 0, `grant_types allows ${extra.join(', ')} (only ${SERVICE_GRANT_TYPES.join(', ')})`);
  if (!grants.absent && grants.unknowns.length === 0) {
    verdict.expect(
      grants.values.some((g) => SERVICE_GRANT_TYPES.includes(g)) || grants.references.length > 0,
      `grant_types does not hold ${SERVICE_GRANT_TYPES.join(', ')}`,
    );
  }

  const responses = readList(stack, app.body.response_types);
  unreadable(verdict, 'response_types', responses);
  const extraResponses = responses.values.filter((r) => !SERVICE_RESPONSE_TYPES.includes(r));
  verdict.expect(
    extraResponses.length === 0,
    `response_types allows ${extraResponses.join(', ')} (only ${SERVICE_RESPONSE_TYPES.join(', ')})`,
  );

  const method = readString(stack, app.body.token_endpoint_auth_method);
  if (method.kind === 'unknown') verdict.undecided(`token_endpoint_auth_method: ${method.why}`);
  else {
    const shown =
      method.kind === 'string'
        ? method.value
        : method.kind === 'absent'
          ? 'not set (the okta provider defaults to client_secret_basic)'
          : 'not a string';
    verdict.expect(
      method.kind === 'string' && method.value === SERVICE_TOKEN_ENDPOINT_AUTH_METHOD,
      `token_endpoint_auth_method is ${shown} (must be ${SERVICE_TOKEN_ENDPOINT_AUTH_METHOD}: a signed assertion, no shared secret)`,
    );
  }

  const hasJwks = read(stack, app.body.jwks).kind !== 'absent';
  const uri = readString(stack, app.body.jwks_uri);
  if (hasJwks && uri.kind !== 'absent') verdict.fail('jwks and jwks_uri are both set (exactly one names the key)');
  else if (!hasJwks && uri.kind === 'absent')
    verdict.fail('neither jwks nor jwks_uri is set: Okta has no key to check');
  if (hasJwks) judgeJwks(verdict, stack, app.body.jwks);
  if (uri.kind === 'unknown') verdict.undecided(`jwks_uri: ${uri.why}`);
  else if (uri.kind === 'other') verdict.undecided(`jwks_uri is ${describeReading(uri.reading)}, computed at apply`);
  else if (uri.kind === 'string') verdict.expect(isHttpsUrl(uri.value), `jwks_uri '${uri.value}' is not an https URL`);

  const omit = readBoolean(stack, app.body.omit_secret);
  if (omit.kind === 'unknown') verdict.undecided(`omit_secret: ${omit.why}`);
  else {
    const shown = omit.kind === 'boolean' ? String(omit.value) : omit.kind === 'absent' ? 'not set' : omit.text;
    verdict.expect(
      omit.kind === 'boolean' && omit.value,
      `omit_secret is ${shown} (must be true: no client secret in Terraform state)`,
    );
  }
  const basic = read(stack, app.body.client_basic_secret);
  verdict.expect(basic.kind === 'absent', 'client_basic_secret is set: a service account holds no client secret');
  return verdict.result();
}

/** MCP-ID-11: client_credentials only on a service app that signs its assertions with its own key. */
export const MCP_ID_11: Rule = {
  id: 'MCP-ID-11',
  level: 'error',
  layer: 'identity',
  cause:
    'an Okta app holds the client_credentials grant (or is a service app) but is not a service app that holds only that grant and authenticates with a public key of its own (private_key_jwt), with no client secret',
  explanation: `A service account is an agent's own identity: it obtains tokens with the client credentials grant, with no person behind them. That is safe only when the credential cannot be copied off a laptop or out of Terraform state: the \`okta_app_oauth\` must be of type \`${SERVICE_APP_TYPE}\` with \`grant_types = [client_credentials]\` and nothing else (response types \`${SERVICE_RESPONSE_TYPES.join(', ')}\` or unset), authenticate at the token endpoint with \`token_endpoint_auth_method = ${SERVICE_TOKEN_ENDPOINT_AUTH_METHOD}\` (RFC 7523: a JWT signed by the agent's private key, which never leaves its host), and hold exactly one of \`jwks\` (public RSA keys of at least ${RSA_MIN_BITS} bits or EC keys on ${EC_CURVES.join(', ')}, each with a \`kid\`, no private member) and an https \`jwks_uri\`. No client secret may exist: \`omit_secret = true\` keeps the provider from writing one to state, and \`client_basic_secret\` is never set. Every app of type \`${SERVICE_APP_TYPE}\`, and every app with \`client_credentials\` in its grant types whatever its type, is judged; values are read after following variables, locals and references across the stacks of the app, and what cannot be read is undecided. Which policies may name such an app is MCP-ID-12's.`,
  requires: [
    `type ${SERVICE_APP_TYPE} for every app that holds client_credentials`,
    `grant_types exactly ${SERVICE_GRANT_TYPES.join(', ')}; response_types only ${SERVICE_RESPONSE_TYPES.join(', ')} (or unset)`,
    `token_endpoint_auth_method ${SERVICE_TOKEN_ENDPOINT_AUTH_METHOD}`,
    `exactly one of jwks (each key RSA >= ${RSA_MIN_BITS} bits or EC on ${EC_CURVES.join(', ')}, with kid, public members only) and an https jwks_uri`,
    'omit_secret true, client_basic_secret unset',
  ],
  fix: "declare agents as tenants[].serviceAccounts (SecureMcpAccess) or OktaMcpIdentity serviceAccounts, with publicKey (a public JWK) or jwksUri, and do not override the service app's type, grant_types, token_endpoint_auth_method, jwks or omit_secret",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack
      .ofType(OKTA_TYPES.app)
      .filter((app) => isServiceApp(stack, app))
      .map((app) => judgeServiceApp(stack, app));
  },
};
