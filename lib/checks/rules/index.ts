import type { Rule } from '../rule';
import { AUDIT_RULES } from './audit';
import { IDENTITY_RULES } from './identity';
import { LIMITS_RULES } from './limits';
import { SECRETS_RULES } from './secrets';
import { TENANCY_RULES } from './tenancy';
import { TRANSPORT_RULES } from './transport';
import { PORTS_RULES } from './ports';

const PREFIX_ORDER = ['ID', 'NET', 'K8S', 'SEC', 'AUD', 'TEN', 'LIM'];

/** Orders rule ids by layer (docs/architecture.md): by layer, then by number (MCP-K8S-8 before MCP-K8S-10). */
export function compareRuleIds(a: string, b: string): number {
  const [, pa = '', na = ''] = a.split('-');
  const [, pb = '', nb = ''] = b.split('-');
  const byPrefix = PREFIX_ORDER.indexOf(pa) - PREFIX_ORDER.indexOf(pb);
  if (byPrefix !== 0) return byPrefix;
  return parseInt(na, 10) - parseInt(nb, 10) || byCodeUnits(na, nb) || byCodeUnits(a, b);
}

/**
 * Plain code-unit order. Rule ids are upper-case ASCII, and the first `localeCompare` of a process
 * loads the ICU collator (about 15 ms of loading the library, for an order that is the same).
 */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every rule of the pack, by layer (identity, transport, ports, secrets, audit, tenancy, limits), then by number. */
export const ALL_RULES: readonly Rule[] = [
  ...IDENTITY_RULES,
  ...TRANSPORT_RULES,
  ...PORTS_RULES,
  ...SECRETS_RULES,
  ...AUDIT_RULES,
  ...TENANCY_RULES,
  ...LIMITS_RULES,
].sort((a, b) => compareRuleIds(a.id, b.id));
