/**
 * How the okta provider that manages an app authenticates, as far as the synthesized JSON says
 * (MCP-ID-9, MCP-ID-9W). Credentials normally come from the environment at apply (OKTA_API_TOKEN,
 * or OKTA_API_PRIVATE_KEY and friends), which synth cannot see: only what the provider block declares
 * is decided here.
 */
import { OKTA_PROVIDER_API_TOKEN_ATTRIBUTE, OKTA_PROVIDER_OAUTH_ATTRIBUTES } from '../../../core/identity-defaults';
import { OKTA_TYPES, providerOf, read, readBlock } from '../../../model/okta';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';

/** What a provider block declares about its credentials. */
export type ProviderAuth =
  | { readonly kind: 'oauth'; readonly provider: string; readonly attributes: readonly string[] }
  | { readonly kind: 'api-token'; readonly provider: string }
  | { readonly kind: 'undeclared'; readonly provider: string }
  | { readonly kind: 'missing'; readonly provider: string };

/** True when a provider attribute is set to something (a literal other than empty, or an expression). */
function isSet(stack: SynthesizedStack, value: unknown): boolean {
  const reading = read(stack, value);
  if (reading.kind === 'absent') return false;
  if (reading.kind !== 'literal') return true;
  const v = reading.value;
  return !(v === '' || (Array.isArray(v) && v.length === 0));
}

/** How the provider of an app authenticates. */
export function providerAuth(stack: SynthesizedStack, app: ResourceEntry): ProviderAuth {
  const meta = app.body.provider;
  const name = typeof meta === 'string' ? meta : 'okta';
  const config = providerOf(stack, app);
  if (!config) return { kind: 'missing', provider: name };
  const oauth = OKTA_PROVIDER_OAUTH_ATTRIBUTES.filter((a) => isSet(stack, config.body[a]));
  if (oauth.length > 0) return { kind: 'oauth', provider: name, attributes: oauth };
  if (isSet(stack, config.body[OKTA_PROVIDER_API_TOKEN_ATTRIBUTE])) return { kind: 'api-token', provider: name };
  return { kind: 'undeclared', provider: name };
}

/** The apps of a stack that emit a groups claim (`groups_claim` set, or an expression that may set it). */
export function appsWithGroupsClaim(stack: SynthesizedStack): ResourceEntry[] {
  return stack.ofType(OKTA_TYPES.app).filter((app) => readBlock(stack, app.body.groups_claim) !== 'absent');
}
