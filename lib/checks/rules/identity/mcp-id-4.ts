import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { type Located, OKTA_TYPES, readList } from '../../../model/okta';
import { namedTenant } from '../../../model/tenancy';

/** The single literal audience of an auth server, or what is wrong with its audiences. */
interface AudienceReading {
  readonly audience?: string;
  readonly problem?: string;
  readonly unknown?: string;
}

function audienceOf(stack: SynthesizedStack, server: ResourceEntry): AudienceReading {
  const list = readList(stack, server.body.audiences);
  if (list.unknowns.length > 0) return { unknown: `audiences: ${list.unknowns.join('; ')}` };
  const count = list.values.length + list.references.length + list.templates.length;
  if (count !== 1) return { problem: `audiences has ${count} values (exactly one)` };
  if (list.values.length === 1) return { audience: list.values[0] };
  const computed = list.templates[0]?.text ?? `${list.references[0].entry.address}.${list.references[0].attribute}`;
  return { unknown: `audiences[0] '${computed}' is computed at apply, so its uniqueness cannot be shown` };
}

/** The tenant an auth server serves: the one its name carries (`mcp-<t>`), else the stack's record. */
function tenantOf(stack: SynthesizedStack, server: ResourceEntry): string | undefined {
  return namedTenant(stack, server) ?? server.tenant;
}

/** Every auth server of the app, by audience and by tenant. */
interface ServerIndex {
  readonly byAudience: ReadonlyMap<string, readonly Located[]>;
  readonly byTenant: ReadonlyMap<string, readonly Located[]>;
}

const INDEXES = new WeakMap<SynthesizedApp, ServerIndex>();

function serverIndex(stack: SynthesizedStack): ServerIndex {
  const app = stack.app;
  let index = INDEXES.get(app);
  if (index) return index;
  const byAudience = new Map<string, Located[]>();
  const byTenant = new Map<string, Located[]>();
  const add = (map: Map<string, Located[]>, key: string, at: Located): void => {
    map.set(key, [...(map.get(key) ?? []), at]);
  };
  for (const member of app.stacks) {
    for (const server of member.ofType(OKTA_TYPES.authServer)) {
      const { audience } = audienceOf(member, server);
      if (audience !== undefined) add(byAudience, audience, { stack: member, entry: server });
      const tenant = tenantOf(member, server);
      if (tenant !== undefined) add(byTenant, tenant, { stack: member, entry: server });
    }
  }
  INDEXES.set(app, (index = { byAudience, byTenant }));
  return index;
}

/** `okta_auth_server.x` or, for another stack's resource, `okta_auth_server.x in stack s`. */
function where(at: Located, from: SynthesizedStack): string {
  return at.stack === from ? at.entry.address : `${at.entry.address} in stack ${at.stack.name}`;
}

/** True when a literal audience URL's host names the tenant: `https://<tenant>.<domain>/...`. */
function audienceNamesTenant(audience: string, tenant: string): boolean {
  try {
    return new URL(audience).hostname.startsWith(`${tenant}.`);
  } catch {
    return false;
  }
}

/** MCP-ID-4: one auth server per tenant, one audience per server, no audience shared in the whole app. */
export const MCP_ID_4: Rule = {
  id: 'MCP-ID-4',
  level: 'error',
  layer: 'identity',
  cause:
    'a tenant has more than one auth server, an auth server has other than exactly one audience, or two auth servers share an audience',
  explanation:
    "A token must be good for one tenant only. Each tenant gets its own `okta_auth_server` whose single audience is the tenant's canonical MCP URI `https://<tenant>.<domain>/mcp`, so an MCP server that checks issuer and audience can never accept another tenant's token. Two servers with one audience (or one server with several) would mint tokens that several tenants' servers accept; a second server for one tenant doubles the issuers its MCP server must trust. Servers are compared across every stack of the app (a fleet's cell stacks too), and a server's tenant is the one its own name carries (`mcp-<tenant>`; the stack's metadata only when the name carries none): its audience host must name that tenant. An audience the rules cannot read (a variable without default, a computed value) is undecided. To comply, build one `OktaMcpIdentity` per tenant and do not override `audiences` or `name`.",
  requires: [
    'exactly one literal audience per okta_auth_server (a variable with a literal default counts)',
    'no two okta_auth_server of the app share an audience',
    'at most one okta_auth_server per tenant in the app',
    "a tenant's server has an audience whose host starts with <tenant>.",
  ],
  fix: 'build one OktaMcpIdentity per tenant (SecureMcpAccess does) and do not override its auth server audiences or name; the audience comes from domain',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const index = serverIndex(stack);
    return stack.ofType(OKTA_TYPES.authServer).map((server) => {
      const verdict = new Verdict(server.address);
      const { audience, problem, unknown } = audienceOf(stack, server);
      if (problem) verdict.fail(problem);
      if (unknown) verdict.undecided(unknown);
      const tenant = tenantOf(stack, server);
      if (audience !== undefined) {
        const others = (index.byAudience.get(audience) ?? []).filter((a) => a.entry !== server);
        verdict.expect(
          others.length === 0,
          `audience '${audience}' is shared with ${others.map((o) => where(o, stack)).join(', ')}`,
        );
        if (tenant !== undefined) {
          verdict.expect(
            audienceNamesTenant(audience, tenant),
            `audience '${audience}' does not name tenant '${tenant}'`,
          );
        }
      }
      if (tenant !== undefined) {
        const siblings = (index.byTenant.get(tenant) ?? []).filter((a) => a.entry !== server);
        verdict.expect(
          siblings.length === 0,
          `tenant '${tenant}' has another auth server: ${siblings.map((o) => where(o, stack)).join(', ')}`,
        );
      }
      return verdict.result();
    });
  },
};
