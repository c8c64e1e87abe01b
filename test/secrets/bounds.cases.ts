/**
 * Every numeric bound of the secrets layer's validation, table-driven: a value exactly at the limit
 * is accepted and one just past it is refused with the exact message. The numbers are literals, never
 * the code's constants (issue 19). Bounds whose at/past pair lives elsewhere are listed in
 * docs/testing.md.
 */
import { DecommissionedTenantSecrets } from '../../lib/secrets/decommissioned-tenant-secrets';
import { type TenantVaultSecretsProps, validateTenantVaultSecretsProps } from '../../lib/secrets/tenant-vault-secrets';
import { validateVaultAuditDeviceProps } from '../../lib/secrets/vault-audit-device';
import type { VaultKubernetesAuth } from '../../lib/secrets/vault-kubernetes-auth';
import { newStack } from '../helpers';
import { validationProblems } from '../validation-problems';
import { mountProps } from './fixtures';

const AUTH = { kubernetesAuthPath: 'kubernetes' } as VaultKubernetesAuth;
const secrets = (overrides: Partial<TenantVaultSecretsProps>) => () =>
  validateTenantVaultSecretsProps(mountProps(AUTH, 'acme', overrides));
const decommissioned = (overrides: { keyRotationDays?: number; kvMaxVersions?: number }) => () =>
  new DecommissionedTenantSecrets(newStack(), 'acme', { tenantId: 'acme', ...overrides });

describe('secrets validation at its bounds', () => {
  test.each<[string, () => unknown, readonly string[]]>([
    // tokenTtlSeconds: 60 to 900 (the 15-minute Vault token).
    ['tokenTtlSeconds 900 (the limit)', secrets({ tokenTtlSeconds: 900 }), []],
    // 901 is refused in tenant-vault-secrets.test.ts.
    ['tokenTtlSeconds 60 (the floor)', secrets({ tokenTtlSeconds: 60 }), []],
    [
      'tokenTtlSeconds 59',
      secrets({ tokenTtlSeconds: 59 }),
      ['tokenTtlSeconds must be between 60 and 900, but 59 was provided'],
    ],
    // tokenMaxTtlSeconds: the token TTL to 3600 (one hour).
    ['tokenMaxTtlSeconds 3600 (the limit)', secrets({ tokenMaxTtlSeconds: 3600 }), []],
    // 3601 is refused in tenant-vault-secrets.test.ts.
    [
      'tokenMaxTtlSeconds 900 with tokenTtlSeconds 900 (the floor)',
      secrets({ tokenTtlSeconds: 900, tokenMaxTtlSeconds: 900 }),
      [],
    ],
    [
      'tokenMaxTtlSeconds 899 with tokenTtlSeconds 900',
      secrets({ tokenTtlSeconds: 900, tokenMaxTtlSeconds: 899 }),
      ['tokenMaxTtlSeconds must be between 900 and 3600, but 899 was provided'],
    ],
    // keyRotationDays: 1 to 30 (31 and 0 are refused in tenant-vault-secrets.test.ts).
    ['keyRotationDays 30 (the limit)', secrets({ keyRotationDays: 30 }), []],
    ['keyRotationDays 1 (the floor)', secrets({ keyRotationDays: 1 }), []],
    // kvMaxVersions: 1 to 100 (0 is refused in tenant-vault-secrets.test.ts).
    ['kvMaxVersions 100 (the limit)', secrets({ kvMaxVersions: 100 }), []],
    [
      'kvMaxVersions 101',
      secrets({ kvMaxVersions: 101 }),
      ['kvMaxVersions must be between 1 and 100, but 101 was provided'],
    ],
    ['kvMaxVersions 1 (the floor)', secrets({ kvMaxVersions: 1 }), []],
    // DecommissionedTenantSecrets keeps the same bounds.
    ['DecommissionedTenantSecrets keyRotationDays 30 (the limit)', decommissioned({ keyRotationDays: 30 }), []],
    [
      'DecommissionedTenantSecrets keyRotationDays 31',
      decommissioned({ keyRotationDays: 31 }),
      ['keyRotationDays must be between 1 and 30, but 31 was provided'],
    ],
    ['DecommissionedTenantSecrets kvMaxVersions 100 (the limit)', decommissioned({ kvMaxVersions: 100 }), []],
    [
      'DecommissionedTenantSecrets kvMaxVersions 101',
      decommissioned({ kvMaxVersions: 101 }),
      ['kvMaxVersions must be between 1 and 100, but 101 was provided'],
    ],
    // VaultAuditDevice: an assumed device needs a reason of at least 10 characters (9 is refused in vault-audit-device.test.ts).
    [
      'VaultAuditDevice assumeAuditDevice.reason of 10 characters (the floor)',
      () => validateVaultAuditDeviceProps({ assumeAuditDevice: { reason: 'ten chars!' } }),
      [],
    ],
  ])('%s', (_label, build, problems) => {
    expect(validationProblems(build)).toEqual(problems);
  });
});
