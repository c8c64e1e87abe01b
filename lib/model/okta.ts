/** Readers of Okta resources in synthesized JSON, shared by the MCP-ID rules. */
import { isExpression, stringList } from './json';
import type { ResourceEntry } from './stack';

/** Terraform types the identity rules read. */
export const OKTA_TYPES = {
  app: 'okta_app_oauth',
  redirectUri: 'okta_app_oauth_redirect_uri',
  postLogoutRedirectUri: 'okta_app_oauth_post_logout_redirect_uri',
  authServer: 'okta_auth_server',
  scope: 'okta_auth_server_scope',
  policy: 'okta_auth_server_policy',
  policyRule: 'okta_auth_server_policy_rule',
  signonPolicy: 'okta_app_signon_policy',
  signonRule: 'okta_app_signon_policy_rule',
} as const;

/** App types Okta treats as public clients (no secret can be kept). */
export const PUBLIC_APP_TYPES: readonly string[] = ['native', 'browser'];

/** A string attribute: its literal, `expression`, or undefined when absent or not a string. */
export function stringAttr(body: Record<string, unknown>, name: string): string | 'expression' | undefined {
  const value = body[name];
  if (isExpression(value)) return 'expression';
  return typeof value === 'string' ? value : undefined;
}

/** A list attribute's literal members, and whether any member (or the list) is an expression. */
export function listAttr(body: Record<string, unknown>, name: string): { values: string[]; unresolved: boolean } {
  const list = stringList(body[name]);
  if (list === 'expression') return { values: [], unresolved: true };
  return { values: list.filter((v) => !isExpression(v)), unresolved: list.some(isExpression) };
}

/** Whether an app is a public client: `none` auth at the token endpoint, or a native or browser app. */
export function publicness(app: ResourceEntry): 'public' | 'confidential' | 'unknown' {
  const method = stringAttr(app.body, 'token_endpoint_auth_method');
  const type = stringAttr(app.body, 'type');
  if (method === 'none' || (type !== undefined && type !== 'expression' && PUBLIC_APP_TYPES.includes(type))) {
    return 'public';
  }
  return type === 'expression' || method === 'expression' ? 'unknown' : 'confidential';
}
