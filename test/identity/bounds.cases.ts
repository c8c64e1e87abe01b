/**
 * Every numeric bound of the identity layer's validation, table-driven: a value exactly at the limit
 * is accepted and one just past it is refused with the exact message. The numbers are literals, never
 * the code's constants, so that a weakened bound in lib/ fails here (issue 19). Bounds whose at/past
 * pair lives elsewhere are listed in docs/testing.md.
 */
import type { OktaClientsRef } from '../../lib/core/refs';
import { DecommissionedTenantIdentity } from '../../lib/identity/decommissioned-tenant-identity';
import { OktaMcpClients, type OktaMcpClientsProps } from '../../lib/identity/okta-mcp-clients';
import { OktaMcpIdentity, type OktaMcpIdentityProps } from '../../lib/identity/okta-mcp-identity';
import { OktaServiceAccount, type OktaServiceAccountProps } from '../../lib/identity/okta-service-account';
import { newStack } from '../helpers';
import { validationProblems } from '../validation-problems';
import { clientsProps, DOMAIN } from './fixtures';
import { EC_P256, RSA_2047, RSA_2048 } from './service-keys';

const CLIENTS: OktaClientsRef = {
  mcpClientId: '0oamcpclient',
  adminClientId: '0oaadminclient',
  accessIdpClientId: '0oaaccessidp',
  accessIdpClientSecret: '${var.access_idp_client_secret}',
  orgUrl: 'https://example.okta.com',
};

const identity = (overrides: Partial<OktaMcpIdentityProps>) => () =>
  new OktaMcpIdentity(newStack(), 'Identity', { tenantId: 'acme', domain: DOMAIN, clients: CLIENTS, ...overrides });
const clients = (overrides: Partial<OktaMcpClientsProps>) => () =>
  new OktaMcpClients(newStack(), 'Okta', clientsProps(overrides));
const serviceAccount = (overrides: Partial<OktaServiceAccountProps>) => () =>
  new OktaServiceAccount(newStack(), 'Service', {
    name: 'deploy-bot',
    publicKey: EC_P256,
    tenantId: 'acme',
    authServerId: 'aus1acme',
    priority: 3,
    ...overrides,
  });
const decommissioned = (tokenTtlMinutes: number) => () =>
  new DecommissionedTenantIdentity(newStack(), 'Identity', { tenantId: 'acme', domain: DOMAIN, tokenTtlMinutes });

describe('identity validation at its bounds', () => {
  test.each<[string, () => unknown, readonly string[]]>([
    // OktaMcpIdentity.tokenTtlMinutes: 5 to 15 (the 15-minute token).
    ['OktaMcpIdentity tokenTtlMinutes 15 (the limit)', identity({ tokenTtlMinutes: 15 }), []],
    [
      'OktaMcpIdentity tokenTtlMinutes 16',
      identity({ tokenTtlMinutes: 16 }),
      ['tokenTtlMinutes must be between 5 and 15, but 16 was provided'],
    ],
    ['OktaMcpIdentity tokenTtlMinutes 5 (the floor)', identity({ tokenTtlMinutes: 5 }), []],
    // refreshTokenLifetimeMinutes: the token lifetime to 1440; refreshTokenWindowMinutes: the token lifetime to 480.
    [
      'OktaMcpIdentity refreshTokenLifetimeMinutes 14 (below the 15-minute token)',
      identity({ refreshTokenLifetimeMinutes: 14 }),
      ['refreshTokenLifetimeMinutes must be between 15 and 1440, but 14 was provided'],
    ],
    [
      'OktaMcpIdentity refreshTokenWindowMinutes 14 (below the 15-minute token)',
      identity({ refreshTokenWindowMinutes: 14 }),
      ['refreshTokenWindowMinutes must be between 15 and 480, but 14 was provided'],
    ],
    [
      'OktaMcpIdentity refresh bounds 10 with a 10-minute token (the floor follows the token)',
      identity({ tokenTtlMinutes: 10, refreshTokenLifetimeMinutes: 10, refreshTokenWindowMinutes: 10 }),
      [],
    ],
    [
      'OktaMcpIdentity refreshTokenLifetimeMinutes 9 with a 10-minute token',
      identity({ tokenTtlMinutes: 10, refreshTokenLifetimeMinutes: 9 }),
      ['refreshTokenLifetimeMinutes must be between 10 and 1440, but 9 was provided'],
    ],
    [
      'OktaMcpIdentity refreshTokenWindowMinutes 9 with a 10-minute token',
      identity({ tokenTtlMinutes: 10, refreshTokenWindowMinutes: 9 }),
      ['refreshTokenWindowMinutes must be between 10 and 480, but 9 was provided'],
    ],
    // OktaMcpClients.adminReauthMinutes: 0 (every sign-in) to 15.
    ['OktaMcpClients adminReauthMinutes 15 (the limit)', clients({ adminReauthMinutes: 15 }), []],
    [
      'OktaMcpClients adminReauthMinutes 16',
      clients({ adminReauthMinutes: 16 }),
      ['adminReauthMinutes must be between 0 and 15, but 16 was provided'],
    ],
    ['OktaMcpClients adminReauthMinutes 0 (the floor)', clients({ adminReauthMinutes: 0 }), []],
    [
      'OktaMcpClients adminReauthMinutes -1',
      clients({ adminReauthMinutes: -1 }),
      ['adminReauthMinutes must be between 0 and 15, but -1 was provided'],
    ],
    // OktaServiceAccount: priority 3 to 1000 (1 and 2 are the human policies); tokenTtlMinutes 5 to 15.
    ['OktaServiceAccount priority 3 (the floor)', serviceAccount({ priority: 3 }), []],
    ['OktaServiceAccount priority 1000 (the limit)', serviceAccount({ priority: 1000 }), []],
    [
      'OktaServiceAccount priority 1001',
      serviceAccount({ priority: 1001 }),
      ['priority must be between 3 and 1000, but 1001 was provided'],
    ],
    ['OktaServiceAccount tokenTtlMinutes 15 (the limit)', serviceAccount({ tokenTtlMinutes: 15 }), []],
    ['OktaServiceAccount tokenTtlMinutes 5 (the floor)', serviceAccount({ tokenTtlMinutes: 5 }), []],
    [
      'OktaServiceAccount tokenTtlMinutes 4',
      serviceAccount({ tokenTtlMinutes: 4 }),
      ['tokenTtlMinutes must be between 5 and 15, but 4 was provided'],
    ],
    // A service account's RSA key: at least 2048 bits.
    ['OktaServiceAccount RSA key of 2048 bits (the floor)', serviceAccount({ publicKey: RSA_2048 }), []],
    [
      'OktaServiceAccount RSA key of 2047 bits',
      serviceAccount({ publicKey: RSA_2047 }),
      ['publicKey must be an RSA key of at least 2048 bits, but a 2047-bit key was provided'],
    ],
    // DecommissionedTenantIdentity.tokenTtlMinutes: 5 to 15.
    ['DecommissionedTenantIdentity tokenTtlMinutes 15 (the limit)', decommissioned(15), []],
    [
      'DecommissionedTenantIdentity tokenTtlMinutes 16',
      decommissioned(16),
      ['tokenTtlMinutes must be between 5 and 15, but 16 was provided'],
    ],
    ['DecommissionedTenantIdentity tokenTtlMinutes 5 (the floor)', decommissioned(5), []],
    [
      'DecommissionedTenantIdentity tokenTtlMinutes 4',
      decommissioned(4),
      ['tokenTtlMinutes must be between 5 and 15, but 4 was provided'],
    ],
  ])('%s', (_label, build, problems) => {
    expect(validationProblems(build)).toEqual(problems);
  });
});
