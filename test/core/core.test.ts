import * as defaults from '../../lib/core/defaults';
import { isDigestPinnedImage, isHttpsUrl, isPinnedImage, parseImageReference } from '../../lib/core/formats';
import * as naming from '../../lib/core/naming';
import { PropsValidator, ValidationError } from '../../lib/core/validation';
import { TerraformVariable } from '../../lib/core/cdktf';
import { DIGEST, newStack } from '../helpers';

describe('secure defaults', () => {
  test('are the documented values', () => {
    expect(defaults.TOKEN_TTL_MINUTES).toBe(15);
    expect(defaults.ACCESS_SESSION_MINUTES).toBe(15);
    expect(defaults.ADMIN_REAUTH_ISO).toBe('PT15M');
    expect(defaults.KEY_ROTATION_DAYS).toBe(30);
    expect(defaults.KEY_ROTATION_SECONDS).toBe(2592000);
    expect(defaults.VAULT_TOKEN_TTL_SECONDS).toBe(900);
    expect(defaults.VAULT_TOKEN_MAX_TTL_SECONDS).toBe(3600);
    expect(defaults.AUDIT_RETENTION_DAYS).toBe(365);
    expect(defaults.AUDIT_RETENTION_DAYS_MIN).toBe(30);
    expect(defaults.LOCAL_PORT).toBe(7700);
    expect(defaults.BIND_ADDRESS).toBe('127.0.0.1');
  });
});

describe('naming', () => {
  test('derives every tenant name from the tenant id', () => {
    expect(naming.tenantNamespaceName('acme')).toBe('mcp-acme');
    expect(naming.tenantHostname('acme', 'mcp.example.com')).toBe('acme.mcp.example.com');
    expect(naming.tenantAudience('acme', 'mcp.example.com')).toBe('https://acme.mcp.example.com/mcp');
    expect(naming.localMcpUrl(7700)).toBe('http://127.0.0.1:7700/mcp');
    expect(naming.tenantKvPath('acme')).toBe('tenants/acme/kv');
    expect(naming.tenantTransitPath('acme')).toBe('tenants/acme/transit');
    expect(naming.tenantVaultRoleName('acme')).toBe('mcp-acme');
    expect(naming.tenantUseScope('acme')).toBe('mcp:acme:use');
    expect(naming.tenantAdminScope('acme')).toBe('mcp:acme:admin');
    expect(naming.tenantUserGroupName('acme')).toBe('mcp-acme-users');
    expect(naming.tenantAdminGroupName('acme')).toBe('mcp-acme-admins');
  });
});

describe('image references', () => {
  test('parses registry, repository, tag and digest', () => {
    expect(parseImageReference(`registry.local:5000/team/mcp:1.2.3@${DIGEST}`)).toEqual({
      repository: 'registry.local:5000/team/mcp',
      tag: '1.2.3',
      digest: DIGEST,
    });
    expect(parseImageReference('Not An Image')).toBeUndefined();
  });

  test('pinned means a digest, or a tag other than latest', () => {
    expect(isPinnedImage(`ghcr.io/a/b@${DIGEST}`)).toBe(true);
    expect(isPinnedImage('ghcr.io/a/b:1.0')).toBe(true);
    expect(isPinnedImage('ghcr.io/a/b:latest')).toBe(false);
    expect(isPinnedImage('ghcr.io/a/b')).toBe(false);
    expect(isDigestPinnedImage('ghcr.io/a/b:1.0')).toBe(false);
    expect(isDigestPinnedImage(`ghcr.io/a/b:1.0@${DIGEST}`)).toBe(true);
  });
});

describe('isHttpsUrl', () => {
  test('accepts https with a host, refuses other schemes and embedded credentials', () => {
    expect(isHttpsUrl('https://example.okta.com')).toBe(true);
    expect(isHttpsUrl('http://example.okta.com')).toBe(false);
    expect(isHttpsUrl('https://user:pw@example.okta.com')).toBe(false);
    expect(isHttpsUrl('example.okta.com')).toBe(false);
  });
});

describe('PropsValidator', () => {
  test('collects every problem and throws them once', () => {
    const v = new PropsValidator('Thing');
    v.integerBetween('a', 20, 1, 10).integerAtLeast('b', 0, 1).required('c', '');
    expect(v.ok).toBe(false);
    expect(() => v.throwIfInvalid()).toThrow(
      new ValidationError('Thing', [
        'a must be between 1 and 10, but 20 was provided',
        'b must be at least 1, but 0 was provided',
        "c is required, but '' was provided",
      ]),
    );
  });

  test('skips unresolved tokens', () => {
    const stack = newStack();
    const n = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;
    const s = new TerraformVariable(stack, 's', { type: 'string' }).stringValue;
    const v = new PropsValidator('Thing');
    v.integerBetween('n', n, 1, 2).matches('s', s, /^x$/, 'x');
    expect(() => v.throwIfInvalid()).not.toThrow();
  });
});
