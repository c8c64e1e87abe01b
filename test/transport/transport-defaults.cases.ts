import { tenantAdminGroupName, tenantUserGroupName } from '../../lib/core/naming';
import {
  ACCESS_AUTHENTICATE_VIA_WARP,
  ACCESS_INCLUDE_SELECTOR,
  ACCESS_POLICY_DECISION,
  ACCESS_POLICY_NAMES,
  ADMIN_ACCESS_AUTH_METHOD,
  ADMIN_NAME_PATTERN,
  OKTA_AMR,
  TUNNEL_ORIGIN_REQUEST_SETTINGS,
  connectCommand,
  durationMinutes,
  tenantAccessApplicationName,
  tunnelCnameTarget,
  tunnelOriginService,
} from '../../lib/core/transport-defaults';

describe('durationMinutes', () => {
  test.each([
    ['15m', 15],
    ['1h', 60],
    ['30m0s', 30],
    ['900s', 15],
    ['2h45m', 165],
    ['1.5h', 90],
    ['300ms', 0.005],
    ['0', 0],
  ])('reads %s as %d minutes', (text, minutes) => {
    expect(durationMinutes(text)).toBe(minutes);
  });

  test.each(['', '15', '15 m', '1d', 'm15', '-5m', 'abc'])('refuses %p', (text) => {
    expect(durationMinutes(text)).toBeUndefined();
  });
});

describe('transport names', () => {
  test('the tunnel origin is the bind address, over tcp', () => {
    expect(tunnelOriginService(8080)).toBe('tcp://127.0.0.1:8080');
    expect(tunnelCnameTarget('abc')).toBe('abc.cfargotunnel.com');
    expect(connectCommand('acme.mcp.example.com', 7700)).toBe(
      'cloudflared access tcp --hostname acme.mcp.example.com --url 127.0.0.1:7700',
    );
  });

  test('the admin heuristic of MCP-NET-4 matches the admin group and policy, not a users group', () => {
    const app = tenantAccessApplicationName('admin-tools');
    expect(ADMIN_NAME_PATTERN.test(tenantAdminGroupName('acme'))).toBe(true);
    expect(ADMIN_NAME_PATTERN.test(`${app}-${ACCESS_POLICY_NAMES.admins}`)).toBe(true);
    expect(ADMIN_NAME_PATTERN.test(tenantUserGroupName('admin-tools'))).toBe(false);
    expect(ADMIN_NAME_PATTERN.test(`${app}-${ACCESS_POLICY_NAMES.users}`)).toBe(false);
  });
});

describe('Access defaults', () => {
  test("the admin policy requires 'pop', the amr Okta documents for WebAuthn, never 'hwk'", () => {
    expect(ADMIN_ACCESS_AUTH_METHOD).toBe('pop');
    expect(OKTA_AMR.webauthn).toContain('pop');
  });

  test("the amr sets are Okta's table (Configure AMR claims mapping), value for value", () => {
    expect(OKTA_AMR).toEqual({
      webauthn: ['pop'],
      fastPass: ['okta_verify', 'phr'],
      push: ['okta_verify', 'swk'],
      totp: ['okta_verify', 'otp'],
      password: ['pwd'],
    });
    for (const [authenticator, amr] of Object.entries(OKTA_AMR)) {
      if (authenticator !== 'webauthn') expect(amr).not.toContain('pop');
    }
  });

  test('policies allow Okta groups only; WARP sessions never stand in for the sign-in', () => {
    expect(ACCESS_POLICY_DECISION).toBe('allow');
    expect(ACCESS_INCLUDE_SELECTOR).toBe('okta');
    expect(ACCESS_AUTHENTICATE_VIA_WARP).toBe(false);
  });

  test('origin_request settings never include a proxy or anything but timeouts, keep-alives, TLS and access', () => {
    expect(TUNNEL_ORIGIN_REQUEST_SETTINGS).toHaveLength(14);
    expect(TUNNEL_ORIGIN_REQUEST_SETTINGS).not.toContain('proxy_type');
    expect(TUNNEL_ORIGIN_REQUEST_SETTINGS).toContain('connect_timeout');
  });
});
