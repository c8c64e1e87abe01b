/**
 * Every numeric bound of the transport layer's validation, table-driven: a value exactly at the limit
 * is accepted and one just past it is refused with the exact message. The numbers are literals, never
 * the code's constants (issue 19). Bounds whose at/past pair lives elsewhere are listed in
 * docs/testing.md.
 */
import {
  type CloudflareAccessTunnelProps,
  validateCloudflareAccessTunnelProps,
} from '../../lib/transport/cloudflare-access-tunnel';
import { newStack } from '../helpers';
import { validationProblems } from '../validation-problems';
import { oktaIdentityProvider, tunnelProps } from './transport-stack';

const tunnel = (overrides: Partial<CloudflareAccessTunnelProps>) => () => {
  const stack = newStack();
  validateCloudflareAccessTunnelProps(tunnelProps('acme', oktaIdentityProvider(stack), overrides));
};

describe('transport validation at its bounds', () => {
  test.each<[string, () => unknown, readonly string[]]>([
    // originPort: 1 to 65535 (0 and 65536 are refused in cloudflare-access-tunnel.test.ts).
    ['originPort 1 (the floor)', tunnel({ originPort: 1 }), []],
    ['originPort 65535 (the limit)', tunnel({ originPort: 65535 }), []],
    // localPort: 1024 (no root on the laptop) to 65535.
    ['localPort 1024 (the floor)', tunnel({ localPort: 1024 }), []],
    [
      'localPort 1023',
      tunnel({ localPort: 1023 }),
      ['localPort must be between 1024 and 65535, but 1023 was provided'],
    ],
    ['localPort 65535 (the limit)', tunnel({ localPort: 65535 }), []],
    [
      'localPort 65536',
      tunnel({ localPort: 65536 }),
      ['localPort must be between 1024 and 65535, but 65536 was provided'],
    ],
    // sessionDurationMinutes: 1 to 15 (the 15-minute Access session).
    ['sessionDurationMinutes 15 (the limit)', tunnel({ sessionDurationMinutes: 15 }), []],
    [
      'sessionDurationMinutes 16',
      tunnel({ sessionDurationMinutes: 16 }),
      ['sessionDurationMinutes must be between 1 and 15, but 16 was provided'],
    ],
    ['sessionDurationMinutes 1 (the floor)', tunnel({ sessionDurationMinutes: 1 }), []],
    // A service token's secret version: a whole number of at least 1.
    [
      'serviceAccounts[0].accessSecretVersion 1 (the floor)',
      tunnel({
        serviceAccounts: [
          { name: 'bot', accessSecretVersion: 1, previousAccessSecretExpiresAt: '2027-01-31T00:00:00Z' },
        ],
      }),
      [],
    ],
  ])('%s', (_label, build, problems) => {
    expect(validationProblems(build)).toEqual(problems);
  });
});
