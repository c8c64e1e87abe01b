import { isExpression, stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { OKTA_TYPES } from '../../../model/okta';

/** The single literal audience of an auth server, or why there is none. */
function audienceOf(server: ResourceEntry): { audience?: string; problem?: string; unresolved?: boolean } {
  const audiences = stringList(server.body.audiences);
  if (audiences === 'expression') return { unresolved: true };
  if (audiences.length !== 1) return { problem: `audiences has ${audiences.length} values (exactly one)` };
  if (isExpression(audiences[0])) return { unresolved: true };
  return { audience: audiences[0] };
}

/** True when a literal audience URL's host names the tenant: `https://<tenant>.<domain>/...`. */
function audienceNamesTenant(audience: string, tenant: string): boolean {
  try {
    return new URL(audience).hostname.startsWith(`${tenant}.`);
  } catch {
    return false;
  }
}

/** MCP-ID-4: one auth server per tenant, each with exactly one audience, audiences unique across tenants. */
export const MCP_ID_4: Rule = {
  id: 'MCP-ID-4',
  level: 'error',
  layer: 'identity',
  cause:
    'a tenant has more than one auth server, an auth server has other than exactly one audience, or two auth servers share an audience',
  explanation:
    "A token must be good for one tenant only. Each tenant gets its own `okta_auth_server` whose single audience is the tenant's canonical MCP URI `https://<tenant>.<domain>/mcp`, so an MCP server that checks issuer and audience can never accept another tenant's token. Two servers with one audience (or one server with several) would mint tokens that several tenants' servers accept; a second server for one tenant doubles the issuers its MCP server must trust. Where the stack records tenants, a tenant's server must also name that tenant in its audience host. To comply, build one `OktaMcpIdentity` per tenant and do not override `audiences`.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const servers = stack.ofType(OKTA_TYPES.authServer);
    const holders = new Map<string, string[]>();
    const perTenant = new Map<string, string[]>();
    for (const server of servers) {
      const { audience } = audienceOf(server);
      if (audience !== undefined) holders.set(audience, [...(holders.get(audience) ?? []), server.address]);
      if (server.tenant !== undefined) {
        perTenant.set(server.tenant, [...(perTenant.get(server.tenant) ?? []), server.address]);
      }
    }
    return servers.map((server) => {
      const verdict = new Verdict(server.address);
      const { audience, problem, unresolved } = audienceOf(server);
      if (problem) verdict.fail(problem);
      if (unresolved) verdict.unknown('audiences');
      if (audience !== undefined) {
        const others = (holders.get(audience) ?? []).filter((a) => a !== server.address);
        verdict.expect(others.length === 0, `audience '${audience}' is shared with ${others.join(', ')}`);
        if (server.tenant !== undefined) {
          verdict.expect(
            audienceNamesTenant(audience, server.tenant),
            `audience '${audience}' does not name tenant '${server.tenant}'`,
          );
        }
      }
      if (server.tenant !== undefined) {
        const siblings = (perTenant.get(server.tenant) ?? []).filter((a) => a !== server.address);
        verdict.expect(
          siblings.length === 0,
          `tenant '${server.tenant}' has another auth server: ${siblings.join(', ')}`,
        );
      }
      return verdict.result();
    });
  },
};
