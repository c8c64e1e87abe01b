/**
 * Every numeric bound of the pattern's own validation (SecureMcpAccess, SecureMcpCell), table-driven:
 * a value exactly at the limit is accepted and one just past it is refused with the exact message.
 * The numbers are literals, never the code's constants (issue 19). Bounds whose at/past pair lives
 * elsewhere are listed in docs/testing.md.
 */
import {
  SecureMcpAccess,
  type SecureMcpAccessProps,
  SecureMcpCell,
  type SecureMcpCellProps,
  validateSecureMcpAccessProps,
} from '../../lib/patterns/secure-mcp-access';
import { baseProps, newStack, withProviders } from '../helpers';
import { validationProblems } from '../validation-problems';

const access = (overrides: Partial<SecureMcpAccessProps>) => () =>
  validateSecureMcpAccessProps({ ...baseProps(['acme']), ...overrides });
const tenant = (options: Omit<SecureMcpAccessProps['tenants'][number], 'id'>) =>
  access({ tenants: [{ id: 'acme', ...options }] });

let foundation: SecureMcpCellProps['foundation'] | undefined;
const cell = (overrides: Partial<SecureMcpCellProps>) => () => {
  foundation ??= new SecureMcpAccess(withProviders(newStack()), 'Mcp', baseProps(['acme'])).shared;
  return new SecureMcpCell(withProviders(newStack()), 'globex', {
    ...baseProps(['globex']),
    tenant: { id: 'globex' },
    foundation,
    ...overrides,
  });
};

describe('pattern validation at its bounds', () => {
  test.each<[string, () => unknown, readonly string[]]>([
    // tokenTtlMinutes: 5 to 15 (4 is refused in secure-mcp-access-validation.cases.ts).
    ['SecureMcpAccess tokenTtlMinutes 15 (the limit)', access({ tokenTtlMinutes: 15 }), []],
    [
      'SecureMcpAccess tokenTtlMinutes 16',
      access({ tokenTtlMinutes: 16 }),
      ['tokenTtlMinutes must be between 5 and 15, but 16 was provided'],
    ],
    ['SecureMcpAccess tokenTtlMinutes 5 (the floor)', access({ tokenTtlMinutes: 5 }), []],
    // audit.retentionDays: at least 30.
    ['SecureMcpAccess audit.retentionDays 30 (the floor)', access({ audit: { retentionDays: 30 } }), []],
    [
      'SecureMcpAccess audit.retentionDays 29',
      access({ audit: { retentionDays: 29 } }),
      ['audit.retentionDays must be at least 30, but 29 was provided'],
    ],
    // workload.port: 1 to 65535.
    ['SecureMcpAccess workload.port 1 (the floor)', access({ workload: { ...baseProps().workload, port: 1 } }), []],
    [
      'SecureMcpAccess workload.port 0',
      access({ workload: { ...baseProps().workload, port: 0 } }),
      ['workload.port must be between 1 and 65535, but 0 was provided'],
    ],
    [
      'SecureMcpAccess workload.port 65535 (the limit)',
      access({ workload: { ...baseProps().workload, port: 65535 } }),
      [],
    ],
    [
      'SecureMcpAccess workload.port 65536',
      access({ workload: { ...baseProps().workload, port: 65536 } }),
      ['workload.port must be between 1 and 65535, but 65536 was provided'],
    ],
    // tenants[].localPort: 1024 to 65535 (1023 and 65536 are refused in secure-mcp-access-validation.cases.ts).
    ['SecureMcpAccess tenants[0].localPort 1024 (the floor)', tenant({ localPort: 1024 }), []],
    ['SecureMcpAccess tenants[0].localPort 65535 (the limit)', tenant({ localPort: 65535 }), []],
    // tenants[].replicas: 1 to 25.
    ['SecureMcpAccess tenants[0].replicas 25 (the limit)', tenant({ replicas: 25 }), []],
    [
      'SecureMcpAccess tenants[0].replicas 26',
      tenant({ replicas: 26 }),
      ['tenants[0].replicas must be between 1 and 25, but 26 was provided'],
    ],
    ['SecureMcpAccess tenants[0].replicas 1 (the floor)', tenant({ replicas: 1 }), []],
    [
      'SecureMcpAccess tenants[0].replicas 0',
      tenant({ replicas: 0 }),
      ['tenants[0].replicas must be between 1 and 25, but 0 was provided'],
    ],
    // A tenant id: 2 to 31 characters (1 and 32 are refused in secure-mcp-access-validation.cases.ts).
    ['SecureMcpAccess a tenant id of 2 characters (the floor)', access({ tenants: [{ id: 'ab' }] }), []],
    ['SecureMcpAccess a tenant id of 31 characters (the limit)', access({ tenants: [{ id: 'a'.repeat(31) }] }), []],
    // SecureMcpCell checks its own tenant and lifetime.
    ['SecureMcpCell tokenTtlMinutes 15 (the limit)', cell({ tokenTtlMinutes: 15 }), []],
    [
      'SecureMcpCell tokenTtlMinutes 16',
      cell({ tokenTtlMinutes: 16 }),
      ['tokenTtlMinutes must be between 5 and 15, but 16 was provided'],
    ],
    [
      'SecureMcpCell tenant.localPort 1023',
      cell({ tenant: { id: 'globex', localPort: 1023 } }),
      ['tenant.localPort must be between 1024 and 65535, but 1023 was provided'],
    ],
    ['SecureMcpCell tenant.localPort 1024 (the floor)', cell({ tenant: { id: 'globex', localPort: 1024 } }), []],
    [
      'SecureMcpCell tenant.replicas 26',
      cell({ tenant: { id: 'globex', replicas: 26 } }),
      ['tenant.replicas must be between 1 and 25, but 26 was provided'],
    ],
    ['SecureMcpCell tenant.replicas 25 (the limit)', cell({ tenant: { id: 'globex', replicas: 25 } }), []],
  ])('%s', (_label, build, problems) => {
    expect(validationProblems(build)).toEqual(problems);
  });
});
