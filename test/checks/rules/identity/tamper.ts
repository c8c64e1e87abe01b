import { SynthesizedApp, SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import type { Evaluation, Rule } from '../../../../lib/checks/rule';
import { clone, rawJson, resourcesOf } from '../../../helpers';
import { Construct } from '../../../../lib/core/cdktf';
import { OktaMcpClients } from '../../../../lib/identity/okta-mcp-clients';
import { OktaMcpIdentity } from '../../../../lib/identity/okta-mcp-identity';
import type { OktaServiceAccountSpec } from '../../../../lib/identity/okta-service-account';
import { newStack } from '../../../helpers';
import { clientsProps, DOMAIN, identityStack } from '../../../identity/fixtures';
import { EC_P256, RSA_2048 } from '../../../identity/service-keys';

/** The default identity layer's raw JSON for some tenants (computed once per call). */
export function identityJson(tenants: readonly string[] = ['acme']): JsonObject {
  return rawJson(identityStack(tenants).stack);
}

/** A copy of `json` in which the one resource of `type` whose name contains `part` is changed by `edit`. */
export function tamper(json: JsonObject, type: string, part: string, edit: (body: JsonObject) => void): JsonObject {
  const copy = clone(json);
  const matches = Object.entries(resourcesOf(copy, type)).filter(([name]) => name.includes(part));
  if (matches.length !== 1) throw new Error(`expected one ${type} matching '${part}', found ${matches.length}`);
  edit(matches[0][1]);
  return copy;
}

/** Runs a rule on raw JSON. */
export function run(rule: Rule, json: JsonObject): Evaluation[] {
  return rule.evaluate(new SynthesizedStack(json));
}

/** The evaluations that are not compliant, as `address: detail` (addresses without their hash). */
export function findings(rule: Rule, json: JsonObject): string[] {
  return run(rule, json)
    .filter((e) => e.status !== 'compliant')
    .map((e) => `${e.status} ${e.address.replace(/_[0-9A-F]{8}$/, '')}: ${e.detail}`);
}

/** Runs a rule on every stack of an app (stacks by name), as the pack judges a fleet. */
export function runApp(rule: Rule, stacks: Record<string, JsonObject>): { stack: string; evaluation: Evaluation }[] {
  const app = new SynthesizedApp(Object.entries(stacks).map(([name, json]) => ({ name, json })));
  return app.stacks.flatMap((stack) => rule.evaluate(stack).map((evaluation) => ({ stack: stack.name, evaluation })));
}

/** The evaluations of an app that are not compliant, as `[stack] status address: detail` (addresses without their hash). */
export function appFindings(rule: Rule, stacks: Record<string, JsonObject>): string[] {
  return runApp(rule, stacks)
    .filter(({ evaluation: e }) => e.status !== 'compliant')
    .map(
      ({ stack, evaluation: e }) =>
        `[${stack}] ${e.status} ${e.address.replace(/_[0-9A-F]{8}$/, '')}: ${e.detail?.replace(/_[0-9A-F]{8}\b/g, '')}`,
    );
}

/** A copy of `json` with a variable declared (with a default when given). */
export function withVariable(json: JsonObject, name: string, defaultValue?: unknown): JsonObject {
  const copy = clone(json);
  const variables = (copy.variable ?? {}) as Record<string, JsonObject>;
  variables[name] = defaultValue === undefined ? { type: 'any' } : { type: 'any', default: defaultValue };
  copy.variable = variables;
  return copy;
}

/**
 * The identity layer of acme and globex with service accounts: acme's `deploy-bot` (EC key) and
 * `ops` (RSA key, admin: true), globex's `deploy-bot` (a jwksUri).
 */
export const SERVICE_ACCOUNTS: Readonly<Record<string, readonly OktaServiceAccountSpec[]>> = {
  acme: [
    { name: 'deploy-bot', publicKey: EC_P256 },
    { name: 'ops', publicKey: RSA_2048, admin: true },
  ],
  globex: [{ name: 'deploy-bot', jwksUri: 'https://agents.globex.example/jwks.json' }],
};

/** The raw JSON of {@link SERVICE_ACCOUNTS}' identity layer. */
export function serviceIdentityJson(): JsonObject {
  const stack = newStack();
  const clients = new OktaMcpClients(new Construct(stack, 'Shared'), 'Okta', clientsProps());
  for (const [tenantId, serviceAccounts] of Object.entries(SERVICE_ACCOUNTS)) {
    new OktaMcpIdentity(new Construct(stack, tenantId), 'Identity', {
      tenantId,
      domain: DOMAIN,
      clients,
      serviceAccounts,
    });
  }
  return rawJson(stack);
}

/** The logical id of the one resource of a type whose name contains `part`. */
export function nameIn(json: JsonObject, type: string, part: string): string {
  const matches = Object.keys(resourcesOf(json, type)).filter((name) => name.includes(part));
  if (matches.length !== 1) throw new Error(`expected one ${type} matching '${part}', found ${matches.length}`);
  return matches[0];
}
