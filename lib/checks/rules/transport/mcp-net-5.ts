import { serviceAccountLabel, serviceAccountTenants } from '../../../core/identity-defaults';
import {
  durationMinutes,
  SERVICE_TOKEN_DURATION_HOURS,
  SERVICE_TOKEN_FOREVER,
  SERVICE_TOKEN_TYPE_NAME,
  serviceTokenDuration,
} from '../../../core/transport-defaults';
import { readText } from '../../../model/cloudflare';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { applicationTenant } from './mcp-net-3';
import { admittingApplications, scratch } from './service-tokens';
import { evidenceOf } from './tenant-evidence';

const MAX = serviceTokenDuration(SERVICE_TOKEN_DURATION_HOURS);

/** Judges a token's `duration`: set, a Go duration above zero and at most 8760h, never `forever`. */
function judgeDuration(verdict: Verdict, stack: SynthesizedStack, token: ResourceEntry): void {
  const duration = readText(stack, token.body.duration);
  if (duration === undefined) {
    verdict.fail(`duration is not set (write it, at most ${MAX}, so that the token's life shows in the stack)`);
  } else if (duration.kind === 'partial') {
    verdict.undecided(`duration: ${duration.why}`);
  } else if (duration.text === SERVICE_TOKEN_FOREVER) {
    verdict.fail(`duration is '${SERVICE_TOKEN_FOREVER}': the token never expires (at most ${MAX})`);
  } else {
    const minutes = durationMinutes(duration.text);
    verdict.expect(
      minutes !== undefined && minutes > 0 && minutes <= SERVICE_TOKEN_DURATION_HOURS * 60,
      `duration is '${duration.text}' (${minutes === undefined ? 'not a duration; ' : ''}more than 0 and at most ${MAX})`,
    );
  }
}

/** MCP-NET-5: a service token is one tenant's service account's, of bounded life, admitted by that tenant's application only. */
export const MCP_NET_5: Rule = {
  id: 'MCP-NET-5',
  level: 'error',
  layer: 'transport',
  cause:
    "an Access service token is not named for one tenant's service account, lives longer than a year (or forever), or is admitted by another tenant's Access application",
  explanation: `A service account reaches its tenant's MCP port through Access with a service token instead of a person's sign-in. The token is a bearer credential on the agent's host, so it must be bounded and good for one tenant only. Every \`${SERVICE_TOKEN_TYPE_NAME}\` must be named \`${serviceAccountLabel('<t>', '<name>')}\` for a tenant <t> of the app; set \`duration\` to a Go duration above zero and at most \`${MAX}\` (one year, Cloudflare's own default; never \`${SERVICE_TOKEN_FOREVER}\`), written in the stack so that its bound shows (replace the token before it expires: Terraform does not renew it); and be admitted (named in a \`service_token\` include of an inline or reusable policy) by no Access application but tenant <t>'s (\`mcp-<t>\`, covering \`<t>.<domain>\`), at most one. That policy's shape (decision \`non_identity\`, this token alone, never \`any_valid_service_token\`) is MCP-NET-3's. Applications are followed across the stacks of the app; what cannot be read is undecided.`,
  requires: [
    `name ${serviceAccountLabel('<t>', '<name>')} for a tenant <t> of the app`,
    `duration set: more than 0 and at most ${MAX} (never ${SERVICE_TOKEN_FOREVER})`,
    "admitted by at most one Access application, tenant <t>'s own",
  ],
  fix: 'declare the agent under its own tenant (tenants[].serviceAccounts of SecureMcpAccess, or CloudflareAccessTunnel serviceAccounts) with accessTokenDurationHours of at most 8760, and do not add its token to another application',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const tokens = stack.ofType(SERVICE_TOKEN_TYPE_NAME);
    if (tokens.length === 0) return [];
    const known = evidenceOf(stack).knownTenants();
    const admitted = admittingApplications(stack);
    return tokens.map((token) => {
      const verdict = new Verdict(token.address);
      const name = readText(stack, token.body.name);
      let tenant: string | undefined;
      if (name?.kind !== 'literal') verdict.undecided(`name: ${name?.why ?? 'not set'}`);
      else {
        const tenants = serviceAccountTenants(name.text, known);
        if (tenants.length === 1) [tenant] = tenants;
        else {
          verdict.fail(
            tenants.length === 0
              ? `name '${name.text}' is no tenant's service account (${serviceAccountLabel('<t>', '<name>')})`
              : `name '${name.text}' may be a service account of tenants ${tenants.join(', ')}: rename it so that it names one`,
          );
        }
      }
      judgeDuration(verdict, stack, token);
      const apps = admitted.get(token) ?? [];
      const distinct = [...new Set(apps.map((a) => a.application))];
      if (distinct.length > 1) {
        verdict.fail(`${distinct.length} Access applications admit it (${distinct.map((a) => a.address).join(', ')})`);
      }
      for (const app of distinct) {
        const at = apps.find((a) => a.application === app);
        if (!at || tenant === undefined) continue;
        const owner = applicationTenant(scratch(app.address), at.stack, app);
        if (owner === undefined) verdict.undecided(`the tenant of ${app.address}, which admits it, cannot be read`);
        else {
          verdict.expect(
            owner === tenant,
            `${app.address}, the Access application of tenant ${owner}, admits it (${at.policy.label}), but it is tenant ${tenant}'s`,
          );
        }
      }
      return verdict.result();
    });
  },
};
