import { oktaStringLiteral, TENANT_CLAIM_SHAPE } from '../../../core/identity-defaults';
import { TENANT_CLAIM } from '../../../core/naming';
import {
  describeReading,
  type Located,
  OKTA_TYPES,
  read,
  readBoolean,
  readList,
  readString,
  referencedResource,
} from '../../../model/okta';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import { namedTenant } from '../../../model/tenancy';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';

/** The `tid` claims of the app by the auth server they belong to, and those whose server cannot be found. */
interface ClaimIndex {
  readonly byServer: ReadonlyMap<ResourceEntry, readonly Located[]>;
  readonly stray: readonly (Located & { readonly why: string })[];
}

const INDEXES = new WeakMap<SynthesizedApp, ClaimIndex>();

/** True when a claim is (or may be) named `tid`; a name no stack decides counts, so it is judged. */
function maybeTenantClaim(stack: SynthesizedStack, claim: ResourceEntry): boolean {
  const name = readString(stack, claim.body.name);
  return name.kind !== 'string' || name.value === TENANT_CLAIM;
}

/** True when a claim's name reads as a literal (the index holds only `tid` claims and unreadable names). */
function isNamed(claim: Located): boolean {
  return readString(claim.stack, claim.entry.body.name).kind === 'string';
}

function claimIndex(stack: SynthesizedStack): ClaimIndex {
  const app = stack.app;
  let index = INDEXES.get(app);
  if (index) return index;
  const byServer = new Map<ResourceEntry, Located[]>();
  const stray: (Located & { why: string })[] = [];
  for (const member of app.stacks) {
    for (const claim of member.ofType(OKTA_TYPES.claim)) {
      if (!maybeTenantClaim(member, claim)) continue;
      const server = referencedResource(member, claim.body.auth_server_id, OKTA_TYPES.authServer);
      if (server.kind === 'resource') {
        byServer.set(server.entry, [...(byServer.get(server.entry) ?? []), { stack: member, entry: claim }]);
      } else {
        const why =
          server.kind === 'unknown'
            ? server.why
            : server.kind === 'literal'
              ? `${JSON.stringify(server.value)} is not an okta_auth_server of this app`
              : server.kind === 'absent'
                ? 'it is not set'
                : `${describeReading(server.reading)} is not an okta_auth_server`;
        stray.push({ stack: member, entry: claim, why: `auth_server_id: ${why}` });
      }
    }
  }
  INDEXES.set(app, (index = { byServer, stray }));
  return index;
}

/** Judges the one `tid` claim of a tenant's server. */
function judgeClaim(verdict: Verdict, claim: Located, tenant: string): void {
  const { stack, entry } = claim;
  const at = entry.address;
  const claimType = readString(stack, entry.body.claim_type);
  if (claimType.kind === 'unknown') verdict.undecided(`${at} claim_type: ${claimType.why}`);
  else {
    verdict.expect(
      claimType.kind === 'string' && claimType.value === TENANT_CLAIM_SHAPE.claimType,
      `${at} claim_type is ${claimType.kind === 'string' ? claimType.value : 'not set'} (must be ${TENANT_CLAIM_SHAPE.claimType}: a claim of the access token)`,
    );
  }
  const valueType = readString(stack, entry.body.value_type);
  if (valueType.kind === 'unknown') verdict.undecided(`${at} value_type: ${valueType.why}`);
  else if (valueType.kind !== 'absent') {
    verdict.expect(
      valueType.kind === 'string' && valueType.value === TENANT_CLAIM_SHAPE.valueType,
      `${at} value_type is ${valueType.kind === 'string' ? valueType.value : 'not a string'} (must be ${TENANT_CLAIM_SHAPE.valueType})`,
    );
  }
  const want = oktaStringLiteral(tenant);
  const value = readString(stack, entry.body.value);
  if (value.kind === 'unknown') verdict.undecided(`${at} value: ${value.why}`);
  else {
    const shown =
      value.kind === 'string' ? JSON.stringify(value.value) : describeReading(read(stack, entry.body.value));
    verdict.expect(
      value.kind === 'string' && value.value === want,
      `${at} value is ${shown} (must be ${JSON.stringify(want)}, tenant '${tenant}' as an Okta string literal)`,
    );
  }
  const always = readBoolean(stack, entry.body.always_include_in_token);
  if (always.kind === 'unknown') verdict.undecided(`${at} always_include_in_token: ${always.why}`);
  else {
    verdict.expect(
      always.kind === 'absent' || (always.kind === 'boolean' && always.value),
      `${at} always_include_in_token is ${always.kind === 'boolean' ? always.value : always.kind === 'invalid' ? always.text : ''} (must be true)`,
    );
  }
  const status = readString(stack, entry.body.status);
  if (status.kind === 'unknown') verdict.undecided(`${at} status: ${status.why}`);
  else {
    verdict.expect(
      status.kind === 'absent' || (status.kind === 'string' && status.value === 'ACTIVE'),
      `${at} status is ${status.kind === 'string' ? status.value : 'not a string'} (must be ACTIVE)`,
    );
  }
  const scopes = readList(stack, entry.body.scopes);
  if (scopes.unknowns.length > 0) verdict.undecided(`${at} scopes: ${scopes.unknowns.join('; ')}`);
  const listed = scopes.values.length + scopes.references.length + scopes.templates.length;
  verdict.expect(
    listed === 0,
    `${at} scopes is ${JSON.stringify(scopes.values)} (must be empty: the claim then rides in every token, whatever the scopes asked)`,
  );
}

/** MCP-ID-8: a tenant's authorization server puts that tenant's id in a `tid` claim of every access token. */
export const MCP_ID_8: Rule = {
  id: 'MCP-ID-8',
  level: 'error',
  layer: 'identity',
  cause: "a tenant's authorization server does not put exactly that tenant's id in a tid claim of every access token",
  explanation: `The MCP server checks issuer, audience and \`${TENANT_CLAIM}\`: the claim is the tenant its tokens are for, so it must be exactly the tenant of the server that mints them. For every \`okta_auth_server\` whose name is \`mcp-<tenant>\` (or, failing that, that the stack records as a tenant's), exactly one \`okta_auth_server_claim\` named \`${TENANT_CLAIM}\` must point at it (through \`auth_server_id\`, followed across the stacks of the app), with \`claim_type = ${TENANT_CLAIM_SHAPE.claimType}\` (an access-token claim), \`value_type = ${TENANT_CLAIM_SHAPE.valueType}\` (the default), \`value\` the tenant id as an Okta string literal (\`"acme"\` for \`mcp-acme\`), \`always_include_in_token\` true (the default), \`status\` ACTIVE (the default) and no \`scopes\` (a claim tied to scopes is left out of tokens that did not ask for them). An INACTIVE server (a decommissioned tenant's, which issues nothing) needs no claim. A server that names no tenant must carry no \`${TENANT_CLAIM}\` claim; a \`${TENANT_CLAIM}\` claim whose server no stack of the app declares is undecided.`,
  requires: [
    `exactly one okta_auth_server_claim named ${TENANT_CLAIM} on each okta_auth_server named mcp-<tenant>`,
    `claim_type ${TENANT_CLAIM_SHAPE.claimType}, value_type ${TENANT_CLAIM_SHAPE.valueType} (or unset), value "<tenant>" (the server's own tenant as an Okta string literal)`,
    'always_include_in_token true (or unset), status ACTIVE (or unset), no scopes',
  ],
  fix: "use OktaMcpIdentity's tid claim (SecureMcpAccess creates it for each tenant) and do not override its name, value, claim_type, scopes or always_include_in_token",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const index = claimIndex(stack);
    const results: Evaluation[] = [];
    for (const server of stack.ofType(OKTA_TYPES.authServer)) {
      const tenant = namedTenant(stack, server) ?? server.tenant;
      const all = index.byServer.get(server) ?? [];
      const claims = all.filter(isNamed);
      const verdict = new Verdict(server.address);
      for (const c of all.filter((x) => !isNamed(x))) {
        verdict.undecided(`${c.entry.address} may be a ${TENANT_CLAIM} claim: its name cannot be read`);
      }
      if (tenant === undefined) {
        if (all.length === 0) continue;
        verdict.expect(
          claims.length === 0,
          `it names no tenant (its name is not mcp-<tenant>) but carries a ${TENANT_CLAIM} claim: ${claims.map((c) => c.entry.address).join(', ')}`,
        );
      } else if (claims.length === 0) {
        // An INACTIVE server (a decommissioned tenant's, MCP-TEN-3) issues no token at all.
        const status = readString(stack, server.body.status);
        if (status.kind === 'unknown') verdict.undecided(`it has no ${TENANT_CLAIM} claim, and status: ${status.why}`);
        else if (status.kind !== 'string' || status.value !== 'INACTIVE') {
          verdict.fail(`it has no ${TENANT_CLAIM} claim: its tokens do not say they are for tenant '${tenant}'`);
        }
      } else if (claims.length > 1) {
        verdict.fail(
          `it has ${claims.length} ${TENANT_CLAIM} claims: ${claims.map((c) => c.entry.address).join(', ')}`,
        );
      } else {
        judgeClaim(verdict, claims[0], tenant);
      }
      results.push(verdict.result());
    }
    for (const stray of index.stray) {
      if (stray.stack === stack) results.push(new Verdict(stray.entry.address).undecided(stray.why).result());
    }
    return results;
  },
};
