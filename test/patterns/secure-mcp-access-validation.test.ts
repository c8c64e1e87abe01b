import { TerraformVariable } from '../../lib/core/cdktf';
import { ValidationError } from '../../lib/core/validation';
import { SecureMcpAccess, type SecureMcpAccessProps } from '../../lib/patterns/secure-mcp-access';
import { baseProps, DIGEST, newStack } from '../helpers';

/** The problems SecureMcpAccess reports for `props` (empty when it accepts them). */
function problemsOf(props: SecureMcpAccessProps): readonly string[] {
  try {
    new SecureMcpAccess(newStack(), 'Mcp', props);
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
}

describe('SecureMcpAccess validation', () => {
  test('accepts valid props', () => {
    expect(problemsOf(baseProps(['acme', 'globex']))).toEqual([]);
  });

  test('fails when tokenTtlMinutes is above 15', () => {
    expect(problemsOf(baseProps(['acme'], { tokenTtlMinutes: 60 }))).toEqual([
      'tokenTtlMinutes must be between 5 and 15, but 60 was provided',
    ]);
  });

  test('fails when tokenTtlMinutes is below 5', () => {
    expect(problemsOf(baseProps(['acme'], { tokenTtlMinutes: 4 }))).toEqual([
      'tokenTtlMinutes must be between 5 and 15, but 4 was provided',
    ]);
  });

  test('fails when tokenTtlMinutes is a fraction', () => {
    expect(problemsOf(baseProps(['acme'], { tokenTtlMinutes: 7.5 }))).toEqual([
      'tokenTtlMinutes must be a whole number between 5 and 15, but 7.5 was provided',
    ]);
  });

  test('fails when there is no tenant', () => {
    expect(problemsOf(baseProps([]))).toEqual(['tenants must list at least one tenant, but [] was provided']);
  });

  test('fails when a tenant id is invalid', () => {
    expect(problemsOf(baseProps(['Acme', 'a', '9lives', 'ok-tenant']))).toEqual([
      "tenants[0].id must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'Acme' was provided",
      "tenants[1].id must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'a' was provided",
      "tenants[2].id must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but '9lives' was provided",
    ]);
  });

  test('fails when a tenant id is longer than 31 characters', () => {
    const id = 'a' + 'b'.repeat(31);
    expect(problemsOf(baseProps([id]))).toEqual([
      `tenants[0].id must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but '${id}' was provided`,
    ]);
  });

  test('fails when tenant ids repeat', () => {
    expect(problemsOf(baseProps(['acme', 'globex', 'acme']))).toEqual([
      "tenants[2].id must be unique, but 'acme' was provided more than once",
    ]);
  });

  test('fails when a tenant id is a token', () => {
    const stack = newStack();
    const id = new TerraformVariable(stack, 'tenant', { type: 'string' }).stringValue;
    expect(() => new SecureMcpAccess(stack, 'Mcp', baseProps([id]))).toThrow(
      'tenants[0].id must be a literal string (it names construct ids), but a token was provided',
    );
  });

  test.each([
    ['*.mcp.example.com', 'a wildcard'],
    ['https://mcp.example.com', 'a scheme'],
    ['mcp.example.com/path', 'a path'],
    ['mcp.example.com:443', 'a port'],
    ['localhost', 'a single label'],
    ['MCP.example.com', 'upper case'],
  ])('fails when domain is %s (%s)', (domain) => {
    expect(problemsOf(baseProps(['acme'], { domain }))).toEqual([
      `domain must be a plain lower-case DNS name (no wildcard, scheme, port or path), but '${domain}' was provided`,
    ]);
  });

  test('fails when okta.orgUrl is not https', () => {
    expect(problemsOf(baseProps(['acme'], { okta: { orgUrl: 'http://example.okta.com' } }))).toEqual([
      "okta.orgUrl must be an https URL, but 'http://example.okta.com' was provided",
    ]);
  });

  test('fails when cloudflare ids are not 32 hex characters', () => {
    expect(problemsOf(baseProps(['acme'], { cloudflare: { accountId: 'abc', zoneId: 'XYZ' } }))).toEqual([
      "cloudflare.accountId must be 32 lower-case hex characters, but 'abc' was provided",
      "cloudflare.zoneId must be 32 lower-case hex characters, but 'XYZ' was provided",
    ]);
  });

  test.each(['ghcr.io/acme/mcp', 'ghcr.io/acme/mcp:latest', 'ghcr.io/acme/mcp@sha256:abc', 'not an image'])(
    'fails when workload.image is %s',
    (image) => {
      expect(problemsOf(baseProps(['acme'], { workload: { image, port: 8080 } }))).toEqual([
        `workload.image must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but '${image}' was provided`,
      ]);
    },
  );

  test.each([`ghcr.io/acme/mcp@${DIGEST}`, 'ghcr.io/acme/mcp:1.4.2', `registry:5000/acme/mcp:1.4.2@${DIGEST}`])(
    'accepts workload.image %s',
    (image) => {
      expect(problemsOf(baseProps(['acme'], { workload: { image, port: 8080 } }))).toEqual([]);
    },
  );

  test.each([0, 65536, -1])('fails when workload.port is %d', (port) => {
    expect(problemsOf(baseProps(['acme'], { workload: { image: `ghcr.io/acme/mcp@${DIGEST}`, port } }))).toEqual([
      `workload.port must be between 1 and 65535, but ${port} was provided`,
    ]);
  });

  test('fails when audit.retentionDays is below 30', () => {
    expect(problemsOf(baseProps(['acme'], { audit: { retentionDays: 1 } }))).toEqual([
      'audit.retentionDays must be at least 30, but 1 was provided',
    ]);
  });

  test('fails once, naming every problem', () => {
    const props = baseProps(['acme'], { tokenTtlMinutes: 60, audit: { retentionDays: 7 }, domain: 'x' });
    expect(() => new SecureMcpAccess(newStack(), 'Mcp', props)).toThrow(
      [
        'SecureMcpAccess has invalid props:',
        "  - domain must be a plain lower-case DNS name (no wildcard, scheme, port or path), but 'x' was provided",
        '  - tokenTtlMinutes must be between 5 and 15, but 60 was provided',
        '  - audit.retentionDays must be at least 30, but 7 was provided',
      ].join('\n'),
    );
  });

  test('accepts Terraform tokens for every value that may be one', () => {
    const stack = newStack();
    const str = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    const num = (name: string) => new TerraformVariable(stack, name, { type: 'number' }).numberValue;
    expect(
      () =>
        new SecureMcpAccess(stack, 'Mcp', {
          domain: str('domain'),
          tenants: [{ id: 'acme' }],
          okta: { orgUrl: str('org_url') },
          cloudflare: { accountId: str('account_id'), zoneId: str('zone_id') },
          workload: { image: str('image'), port: num('port') },
          audit: { retentionDays: num('retention') },
          tokenTtlMinutes: num('ttl'),
        }),
    ).not.toThrow();
  });
});
