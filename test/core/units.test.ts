/** Unit tests of the pure helpers of lib/core, each called directly with exact expected values. */
import {
  isDigestPinnedImage,
  isHttpsUrl,
  isLoopbackAddress,
  isPinnedImage,
  parseImageReference,
  tenantIdProblem,
} from '../../lib/core/formats';
import { serviceAccountOutputName } from '../../lib/core/naming';
import { tenantJwtAuthPath, tenantServerPolicyName } from '../../lib/core/secrets-defaults';
import { type TenantSpec, validateTenants } from '../../lib/core/tenant';
import { describeValue, isUnresolved, PropsValidator, ValidationError } from '../../lib/core/validation';
import { namesTenantsRoot, vaultPathScope } from '../../lib/core/vault-paths';
import { TerraformVariable, Token } from '../../lib/core/cdktf';
import { newStack } from '../helpers';

/** The problems a validator recorded (none: an empty list). */
function problemsOf(v: PropsValidator): readonly string[] {
  try {
    v.throwIfInvalid();
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.problems;
  }
}

/** An unresolved string token (a variable with no default). */
function stringToken(): string {
  return new TerraformVariable(newStack(), 'x', { type: 'string' }).stringValue;
}

describe('formats', () => {
  test('isLoopbackAddress: the allow-listed loopback names, in any case, and the bare IPv6 ::1', () => {
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('[::1]')).toBe(true);
    expect(isLoopbackAddress('LOCALHOST')).toBe(true);
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::2')).toBe(false);
    expect(isLoopbackAddress('')).toBe(false);
  });

  test('tenantIdProblem: a reserved id and a Punycode prefix are refused, xn-- elsewhere is not', () => {
    expect(tenantIdProblem('access-requests')).toBe(
      'is reserved (its names would collide with the shared audit bucket mcp-audit-access-requests)',
    );
    expect(tenantIdProblem('xn--abc')).toBe(
      'is Punycode (xn--), which shows one name to people and another to machines',
    );
    expect(tenantIdProblem('abcxn--')).toBeUndefined();
    expect(tenantIdProblem('acme')).toBeUndefined();
  });

  test('isHttpsUrl: a user name alone or a password alone is refused', () => {
    expect(isHttpsUrl('https://user@example.okta.com')).toBe(false);
    expect(isHttpsUrl('https://:secret@example.okta.com')).toBe(false);
    expect(isHttpsUrl('https://@example.okta.com')).toBe(true);
    expect(isHttpsUrl('https://')).toBe(false);
  });

  test('parseImageReference: a repository path component may hold a run of hyphens', () => {
    expect(parseImageReference('ghcr.io/team/my--mcp:1.0')).toEqual({
      repository: 'ghcr.io/team/my--mcp',
      tag: '1.0',
      digest: undefined,
    });
    expect(parseImageReference('ghcr.io/team/my---mcp')).toEqual({
      repository: 'ghcr.io/team/my---mcp',
      tag: undefined,
      digest: undefined,
    });
  });

  test('isPinnedImage and isDigestPinnedImage: a string that is no image reference is not pinned', () => {
    expect(isPinnedImage('Not An Image')).toBe(false);
    expect(isDigestPinnedImage('Not An Image')).toBe(false);
  });
});

describe('naming', () => {
  test('serviceAccountOutputName writes each - of the name as _', () => {
    expect(serviceAccountOutputName('acme', 'deploy-bot', 'client_id')).toBe('acme_service_deploy_bot_client_id');
    expect(serviceAccountOutputName('acme', 'a-b-c', 'access_client_secret')).toBe(
      'acme_service_a_b_c_access_client_secret',
    );
  });
});

describe('secrets-defaults', () => {
  test("names the tenant's server policy and JWT auth path", () => {
    expect(tenantServerPolicyName('acme')).toBe('mcp-acme-server');
    expect(tenantJwtAuthPath('acme')).toBe('tenants/acme/jwt');
  });
});

describe('tenant', () => {
  function tenantProblems(tenants: readonly TenantSpec[] | undefined, prop?: string): readonly string[] {
    const v = new PropsValidator('Thing');
    validateTenants(v, tenants, prop);
    return problemsOf(v);
  }

  test('no tenant list, or an empty one, is refused', () => {
    expect(tenantProblems(undefined)).toEqual(['tenants must list at least one tenant, but [] was provided']);
    expect(tenantProblems([])).toEqual(['tenants must list at least one tenant, but [] was provided']);
    expect(tenantProblems([], 'cells')).toEqual(['cells must list at least one tenant, but [] was provided']);
  });

  test('a tenant list that is an unresolved token is refused', () => {
    const list = Token.asList('${var.x}') as unknown as TenantSpec[];
    const found = tenantProblems(list);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^tenants must list at least one tenant, but \["#\{TfToken\[TOKEN\.\d+\]\}"\] was provided$/,
    );
  });

  test('a token tenant id is refused', () => {
    expect(tenantProblems([{ id: 'acme' }, { id: stringToken() }])).toEqual([
      'tenants[1].id must be a literal string (it names construct ids), but a token was provided',
    ]);
  });

  test('an id that fails the pattern gets the pattern problem only, even with a Punycode prefix', () => {
    expect(tenantProblems([{ id: 'xn--ABC' }])).toEqual([
      "tenants[0].id must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'xn--ABC' was provided",
    ]);
  });

  test('a valid id that is reserved or Punycode is refused', () => {
    expect(tenantProblems([{ id: 'access-requests' }, { id: 'xn--abc' }])).toEqual([
      "tenants[0].id must not be 'access-requests': it is reserved (its names would collide with the shared audit bucket mcp-audit-access-requests)",
      "tenants[1].id must not be 'xn--abc': it is Punycode (xn--), which shows one name to people and another to machines",
    ]);
  });

  test('an id that is not a string (a list that reads as a valid id) gets the pattern problem', () => {
    expect(tenantProblems([{ id: ['acme'] as unknown as string }])).toEqual([
      'tenants[0].id must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but ["acme"] was provided',
    ]);
  });

  test('entries without an id are not compared for uniqueness, and null entries do not throw', () => {
    expect(tenantProblems([null, null] as unknown as TenantSpec[])).toEqual([]);
    expect(tenantProblems([{ id: 'acme' }, { id: 'acme' }])).toEqual([
      "tenants[1].id must be unique, but 'acme' was provided more than once",
    ]);
  });
});

describe('validation', () => {
  test('ValidationError is named ValidationError and lists every problem', () => {
    const error = new ValidationError('Thing', ['a', 'b']);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('Thing has invalid props:\n  - a\n  - b');
    expect(error.problems).toEqual(['a', 'b']);
  });

  test('ok is true while nothing was recorded', () => {
    const v = new PropsValidator('Thing');
    expect(v.ok).toBe(true);
    v.fail('x');
    expect(v.ok).toBe(false);
  });

  test('isUnresolved: only tokens', () => {
    expect(isUnresolved(undefined)).toBe(false);
    expect(isUnresolved(null)).toBe(false);
    expect(isUnresolved('abc')).toBe(false);
    expect(isUnresolved(stringToken())).toBe(true);
  });

  test('describeValue: strings quoted, undefined spelled out, the rest as JSON', () => {
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue('a')).toBe("'a'");
    expect(describeValue([1])).toBe('[1]');
  });

  test('integerBetween and integerAtLeast: a whole number is asked for a fraction only', () => {
    const v = new PropsValidator('Thing');
    v.integerBetween('a', '20' as unknown as number, 1, 10)
      .integerBetween('b', 1.5, 1, 10)
      .integerAtLeast('c', '0' as unknown as number, 1);
    expect(problemsOf(v)).toEqual([
      "a must be between 1 and 10, but '20' was provided",
      'b must be a whole number between 1 and 10, but 1.5 was provided',
      "c must be at least 1, but '0' was provided",
    ]);
  });

  test('matches: a value that is not a string is refused, even when the pattern reads it as a match', () => {
    const v = new PropsValidator('Thing');
    v.matches('p', 5 as unknown as string, /^[0-9]+$/, 'digits');
    expect(problemsOf(v)).toEqual(['p must be digits, but 5 was provided']);
  });

  test('required: undefined, null and the empty string are each refused', () => {
    const v = new PropsValidator('Thing');
    v.required('a', undefined).required('b', null).required('c', '').required('d', 0).required('e', 'x');
    expect(problemsOf(v)).toEqual([
      'a is required, but undefined was provided',
      'b is required, but null was provided',
      "c is required, but '' was provided",
    ]);
  });

  test('tenantId: a token names construct ids by default, or what the caller says', () => {
    const token = stringToken();
    expect(problemsOf(new PropsValidator('Thing').tenantId('id', token))).toEqual([
      'id must be a literal string (it names construct ids), but a token was provided',
    ]);
    expect(problemsOf(new PropsValidator('Thing').tenantId('id', token, 'buckets'))).toEqual([
      'id must be a literal string (it names buckets), but a token was provided',
    ]);
  });

  test('tenantId: missing or empty is the required problem only', () => {
    expect(problemsOf(new PropsValidator('Thing').tenantId('id', ''))).toEqual(["id is required, but '' was provided"]);
    expect(problemsOf(new PropsValidator('Thing').tenantId('id', undefined))).toEqual([
      'id is required, but undefined was provided',
    ]);
  });

  test('tenantId: the pattern, then a reserved or Punycode id', () => {
    expect(problemsOf(new PropsValidator('Thing').tenantId('id', 'Acme'))).toEqual([
      "id must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'Acme' was provided",
    ]);
    expect(problemsOf(new PropsValidator('Thing').tenantId('id', 'xn--abc'))).toEqual([
      "id must not be 'xn--abc': it is Punycode (xn--), which shows one name to people and another to machines",
    ]);
    expect(problemsOf(new PropsValidator('Thing').tenantId('id', 'acme'))).toEqual([]);
  });

  test('domain: required, and a plain lower-case DNS name', () => {
    expect(problemsOf(new PropsValidator('Thing').domain('domain', undefined))).toEqual([
      'domain is required, but undefined was provided',
    ]);
    expect(problemsOf(new PropsValidator('Thing').domain('domain', 'Example.com'))).toEqual([
      "domain must be a plain lower-case DNS name (no wildcard, scheme, port or path), but 'Example.com' was provided",
    ]);
    expect(problemsOf(new PropsValidator('Thing').domain('domain', 'mcp.example.com'))).toEqual([]);
  });
});

describe('vault-paths', () => {
  test('a tenant path: the tenant and the depth below tenants/<t>, empty segments not counted', () => {
    expect(vaultPathScope('tenants/acme/kv/data/x')).toEqual({ kind: 'tenant', tenant: 'acme', depth: 3 });
    expect(vaultPathScope('tenants/acme')).toEqual({ kind: 'tenant', tenant: 'acme', depth: 0 });
    expect(vaultPathScope('tenants/acme//kv/')).toEqual({ kind: 'tenant', tenant: 'acme', depth: 1 });
  });

  test('any number of leading slashes is ignored', () => {
    expect(vaultPathScope('/tenants/acme/kv')).toEqual({ kind: 'tenant', tenant: 'acme', depth: 1 });
    expect(vaultPathScope('//tenants/acme/kv')).toEqual({ kind: 'tenant', tenant: 'acme', depth: 1 });
    expect(vaultPathScope('//sys/mounts')).toEqual({ kind: 'sys' });
  });

  test('the tenants root itself, a glob tenant or .. escapes', () => {
    expect(vaultPathScope('tenants')).toEqual({ kind: 'escapes' });
    expect(vaultPathScope('tenants/')).toEqual({ kind: 'escapes' });
    expect(vaultPathScope('tenants//acme')).toEqual({ kind: 'escapes' });
    expect(vaultPathScope('tenants/*/kv')).toEqual({ kind: 'escapes' });
    expect(vaultPathScope('tenants/ac+')).toEqual({ kind: 'escapes' });
    expect(vaultPathScope('tenants/acme/../globex')).toEqual({ kind: 'escapes' });
    expect(vaultPathScope('*')).toEqual({ kind: 'escapes' });
    expect(vaultPathScope('secret/x')).toEqual({ kind: 'outside' });
  });

  test('namesTenantsRoot: the first segment after any leading slashes', () => {
    expect(namesTenantsRoot('tenants/acme')).toBe(true);
    expect(namesTenantsRoot('/tenants/acme')).toBe(true);
    expect(namesTenantsRoot('//tenants/acme')).toBe(true);
    expect(namesTenantsRoot('tenants')).toBe(true);
    expect(namesTenantsRoot('secret/tenants')).toBe(false);
  });
});
