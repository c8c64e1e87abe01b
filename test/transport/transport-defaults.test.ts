import { BIND_ADDRESS } from '../../lib/core/defaults';
import { tenantAdminGroupName, tenantUserGroupName } from '../../lib/core/naming';
import {
  ACCESS_POLICY_NAMES,
  ADMIN_NAME_PATTERN,
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
    expect(tunnelOriginService(8080)).toBe(`tcp://${BIND_ADDRESS}:8080`);
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
