import type { Rule } from '../rule';
import { AUDIT_RULES } from './audit';
import { IDENTITY_RULES } from './identity';
import { LIMITS_RULES } from './limits';
import { SECRETS_RULES } from './secrets';
import { TENANCY_RULES } from './tenancy';
import { TRANSPORT_RULES } from './transport';
import { WORKLOAD_RULES } from './workload';

/** Every rule of the pack, in the order of DESIGN.md. */
export const ALL_RULES: readonly Rule[] = [
  ...IDENTITY_RULES,
  ...TRANSPORT_RULES,
  ...WORKLOAD_RULES,
  ...SECRETS_RULES,
  ...AUDIT_RULES,
  ...TENANCY_RULES,
  ...LIMITS_RULES,
];
