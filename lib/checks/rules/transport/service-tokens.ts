/**
 * Service tokens as the transport rules see them: which Access policies are a service account's
 * (decision `non_identity`, including `service_token` selectors only), the token a selector names,
 * and every application that admits each token, across the stacks of the app (MCP-NET-3, 4, 5).
 */
import {
  SERVICE_TOKEN_POLICY_DECISION,
  SERVICE_TOKEN_SELECTOR,
  SERVICE_TOKEN_TYPE_NAME,
} from '../../../core/transport-defaults';
import { isObject } from '../../../model/json';
import {
  ACCESS_APPLICATION_TYPE_NAME,
  applicationPolicies,
  type PolicyView,
  readList,
  readText,
  type Referenced,
  referencedResource,
  selectors,
} from '../../../model/cloudflare';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import { Verdict } from '../../verdict';

/** True for a service account's policy: decision `non_identity`, and only `service_token` in its include. */
export function isServiceTokenPolicy(policy: PolicyView): boolean {
  const decision = readText(policy.stack, policy.body.decision);
  if (decision?.kind !== 'literal' || decision.text !== SERVICE_TOKEN_POLICY_DECISION) return false;
  const include = readList(policy.stack, policy.body.include).list ?? [];
  // An include entry that is not a literal rule (an expression) may admit anyone: not a service account's policy.
  if (!include.every(isObject)) return false;
  const found = selectors({ include }, 'include');
  return found.length > 0 && found.every(([name]) => name === SERVICE_TOKEN_SELECTOR);
}

/** The token a `service_token` selector names (its `token_id`), followed into whichever stack declares it. */
export function selectedToken(policy: PolicyView, value: unknown): Referenced {
  const tokenId = isObject(value) ? value.token_id : undefined;
  if (tokenId === undefined) return { why: 'token_id is not set' };
  return referencedResource(policy.stack, tokenId, SERVICE_TOKEN_TYPE_NAME);
}

/** An application that admits a token, with the stack that declares it. */
export interface Admitting {
  readonly stack: SynthesizedStack;
  readonly application: ResourceEntry;
  readonly policy: PolicyView;
}

const ADMITTED = new WeakMap<SynthesizedApp, Map<ResourceEntry, Admitting[]>>();

/** Every application of the app that admits each service token, by token (computed once per app). */
export function admittingApplications(stack: SynthesizedStack): ReadonlyMap<ResourceEntry, readonly Admitting[]> {
  const app = stack.app;
  let found = ADMITTED.get(app);
  if (found) return found;
  found = new Map();
  for (const member of app.stacks) {
    for (const application of member.ofType(ACCESS_APPLICATION_TYPE_NAME)) {
      for (const policy of applicationPolicies(member, application).policies) {
        const include = readList(policy.stack, policy.body.include).list ?? [];
        for (const [name, value] of selectors({ include: include.filter(isObject) }, 'include')) {
          if (name !== SERVICE_TOKEN_SELECTOR) continue;
          const token = selectedToken(policy, value);
          if (token.entry === undefined) continue;
          found.set(token.entry, [...(found.get(token.entry) ?? []), { stack: member, application, policy }]);
        }
      }
    }
  }
  ADMITTED.set(app, found);
  return found;
}

/** A verdict nobody reads: for helpers that judge as they read (the application's tenant). */
export function scratch(address: string): Verdict {
  return new Verdict(address);
}
