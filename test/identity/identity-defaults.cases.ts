import {
  ADMIN_SCOPE_PATTERN,
  ADMIN_SIGNON_CONSTRAINTS,
  adminSignonConstraints,
  refreshTokenBoundsProblems,
  isoDurationSeconds,
  loopbackRedirectProblem,
  loopbackRedirectUris,
  oktaStringLiteral,
  reauthFrequency,
  redirectUriProblem,
} from '../../lib/core/identity-defaults';
import { tenantAdminScope, tenantUseScope } from '../../lib/core/naming';

describe('identity defaults', () => {
  test('default loopback redirects: both hosts, both client paths, port 7701', () => {
    expect(loopbackRedirectUris()).toEqual([
      'http://127.0.0.1:7701/callback',
      'http://127.0.0.1:7701/oauth/callback',
      'http://localhost:7701/callback',
      'http://localhost:7701/oauth/callback',
    ]);
  });

  test('ISO 8601 durations in seconds', () => {
    expect(isoDurationSeconds('PT15M')).toBe(900);
    expect(isoDurationSeconds('PT0S')).toBe(0);
    expect(isoDurationSeconds('PT1H')).toBe(3600);
    expect(isoDurationSeconds('PT43800H')).toBe(43800 * 3600);
    expect(isoDurationSeconds('P1DT1M')).toBe(86460);
    expect(isoDurationSeconds('P1W')).toBe(604800);
    expect(isoDurationSeconds('PT')).toBeUndefined();
    expect(isoDurationSeconds('P')).toBeUndefined();
    expect(isoDurationSeconds('15m')).toBeUndefined();
  });

  test('re-authentication frequency: minutes, or PT0S for every sign-in', () => {
    expect(reauthFrequency()).toBe('PT15M');
    expect(reauthFrequency(5)).toBe('PT5M');
    expect(reauthFrequency(0)).toBe('PT0S');
  });

  test('redirect URIs: exact https or loopback http only', () => {
    expect(redirectUriProblem('https://team.cloudflareaccess.com/cdn-cgi/access/callback')).toBeUndefined();
    expect(redirectUriProblem('http://127.0.0.1:7701/callback')).toBeUndefined();
    expect(redirectUriProblem('http://[::1]:7701/callback')).toBeUndefined();
    expect(redirectUriProblem('http://LOCALHOST/callback')).toBeUndefined();
    expect(redirectUriProblem('https://*.example.com/cb')).toBe('is a wildcard');
    expect(redirectUriProblem('http://10.0.0.1:7701/cb')).toBe('uses http on a non-loopback host');
    expect(redirectUriProblem('https://example.com/cb#x')).toBe('has a fragment');
    expect(redirectUriProblem('https://user:pw@example.com/cb')).toBe('carries credentials');
    expect(redirectUriProblem('/callback')).toBe('is not an absolute URI');
    expect(redirectUriProblem('com.example.app:/callback')).toBe(
      'uses the scheme com.example.app: (only https, or http on a loopback host)',
    );
    expect(loopbackRedirectProblem('http://localhost:3118/callback')).toBeUndefined();
    expect(loopbackRedirectProblem('http://localhost/callback')).toBe(
      'names no port (Okta matches redirect URIs exactly, port included)',
    );
  });

  test('the admin scope pattern matches the names naming.ts gives, and only admin scopes', () => {
    expect(ADMIN_SCOPE_PATTERN.test(tenantAdminScope('acme'))).toBe(true);
    expect(ADMIN_SCOPE_PATTERN.test(tenantAdminScope('a-1'))).toBe(true);
    expect(ADMIN_SCOPE_PATTERN.test(tenantUseScope('acme'))).toBe(false);
  });

  test('Okta expression string literals are quoted and escaped', () => {
    expect(oktaStringLiteral('acme')).toBe('"acme"');
    expect(oktaStringLiteral('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  test('refresh token bounds: 1 to 1440 minutes absolute, 1 to 480 idle, idle within absolute', () => {
    expect(refreshTokenBoundsProblems(1440, 480)).toEqual([]);
    expect(refreshTokenBoundsProblems(1, 1)).toEqual([]);
    expect(refreshTokenBoundsProblems(1441, 480)).toEqual([
      'refresh_token_lifetime_minutes is 1441 (between 1 and 1440)',
    ]);
    expect(refreshTokenBoundsProblems(1440, 481)).toEqual(['refresh_token_window_minutes is 481 (between 1 and 480)']);
    expect(refreshTokenBoundsProblems(0, 60)).toEqual([
      'refresh_token_lifetime_minutes is 0 (Okta reads 0 as unlimited)',
    ]);
    expect(refreshTokenBoundsProblems(60, 61)).toEqual([
      'refresh_token_window_minutes is 61, longer than refresh_token_lifetime_minutes 60',
    ]);
    expect(refreshTokenBoundsProblems(undefined, 481)).toEqual([
      'refresh_token_window_minutes is 481 (between 1 and 480)',
    ]);
    expect(refreshTokenBoundsProblems(1441, undefined)).toEqual([
      'refresh_token_lifetime_minutes is 1441 (between 1 and 1440)',
    ]);
  });

  test('admin sign-on constraints: the default, and FIDO2 WebAuthn only', () => {
    const possession = {
      required: true,
      phishingResistant: 'REQUIRED',
      hardwareProtection: 'REQUIRED',
      userVerification: 'REQUIRED',
    };
    expect(ADMIN_SIGNON_CONSTRAINTS.map((c) => JSON.parse(c))).toEqual([{ possession }]);
    expect(adminSignonConstraints('phishing-resistant')).toEqual([...ADMIN_SIGNON_CONSTRAINTS]);
    expect(adminSignonConstraints('security-key').map((c) => JSON.parse(c))).toEqual([
      { possession: { ...possession, authenticationMethods: [{ key: 'webauthn', method: 'webauthn' }] } },
    ]);
  });
});
