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

describe('SecureMcpAccess: tenant ids, local ports and groups', () => {
  test('fails when a tenant id is reserved or Punycode', () => {
    expect(problemsOf(baseProps(['access-requests', 'xn--acme-9na', 'acme']))).toEqual([
      "tenants[0].id must not be 'access-requests': it is reserved (its names would collide with the shared audit bucket mcp-audit-access-requests)",
      "tenants[1].id must not be 'xn--acme-9na': it is Punycode (xn--), which shows one name to people and another to machines",
    ]);
  });

  test('gives each tenant its own stable default local port, from its id and never its position', () => {
    const ports = (ids: string[]) => {
      const mcp = new SecureMcpAccess(newStack(), 'Mcp', baseProps(ids));
      return Object.fromEntries(ids.map((id) => [id, mcp.cell(id).transport.localPort]));
    };
    expect(ports(['acme', 'globex'])).toEqual({ acme: 27615, globex: 21822 });
    expect(ports(['initech', 'globex', 'acme'])).toEqual({ initech: 23345, globex: 21822, acme: 27615 });
  });

  test('fails when two tenants would share a local port, naming both', () => {
    const props = baseProps(['acme', 'globex']);
    expect(
      problemsOf({
        ...props,
        tenants: [
          { id: 'acme', localPort: 7710 },
          { id: 'globex', localPort: 7710 },
        ],
      }),
    ).toEqual([
      "tenants[1].localPort must differ from every other tenant's (two tenants may not share a local port), but 7710 is also tenants[0]'s",
    ]);
    expect(problemsOf({ ...props, tenants: [{ id: 'acme' }, { id: 'globex', localPort: 27615 }] })).toEqual([
      "tenants[1].localPort must differ from every other tenant's (two tenants may not share a local port), but 27615 is also tenants[0]'s",
    ]);
  });

  test.each([
    [1023, 'tenants[0].localPort must be between 1024 and 65535, but 1023 was provided'],
    [65536, 'tenants[0].localPort must be between 1024 and 65535, but 65536 was provided'],
  ])('fails when a local port is %s', (localPort, message) => {
    expect(problemsOf({ ...baseProps(), tenants: [{ id: 'acme', localPort }] })).toEqual([message]);
  });

  test.each([1024, 65535])('accepts a local port of %s', (localPort) => {
    expect(problemsOf({ ...baseProps(), tenants: [{ id: 'acme', localPort }] })).toEqual([]);
  });

  test.each([
    [0, 'tenants[0].replicas must be between 1 and 25, but 0 was provided'],
    [26, 'tenants[0].replicas must be between 1 and 25, but 26 was provided'],
  ])('fails when replicas is %s', (replicas, message) => {
    expect(problemsOf({ ...baseProps(), tenants: [{ id: 'acme', replicas }] })).toEqual([message]);
  });

  test('fails when two tenants name the same existing group, or a tenant uses one group for both', () => {
    const props = baseProps();
    expect(
      problemsOf({
        ...props,
        tenants: [
          { id: 'acme', existingGroups: { userGroupId: '00g1', adminGroupId: '00g2' } },
          { id: 'globex', existingGroups: { userGroupId: '00g3', adminGroupId: '00g2' } },
          { id: 'initech', existingGroups: { userGroupId: '00g9', adminGroupId: '00g9' } },
        ],
      }),
    ).toEqual([
      "tenants[1].existingGroups.adminGroupId must be a group of this tenant only, but '00g2' is also tenants[0]'s",
      "tenants[2].existingGroups.adminGroupId must differ from its userGroupId, but '00g9' was provided for both",
    ]);
  });

  test('fails when the Vault address is not https', () => {
    expect(problemsOf(baseProps(['acme'], { vault: { address: 'http://vault.vault.svc:8200' } }))).toEqual([
      "vault.address must be an https URL (Vault tokens and secrets cross the network), but 'http://vault.vault.svc:8200' was provided",
    ]);
  });

  test('names the user prop when a layer construct refuses it', () => {
    expect(
      problemsOf(
        baseProps(['acme'], {
          cloudflare: { ...baseProps().cloudflare, tunnelHealthAlerts: { webhookUrl: 'http://hooks.example.com' } },
        }),
      ),
    ).toEqual([expect.stringMatching(/^cloudflare\.tunnelHealthAlerts\.webhookUrl must /)]);
    expect(
      problemsOf(
        baseProps(['acme'], {
          workload: { ...baseProps().workload, resources: { mcp: { requests: { memory: 'lots' } } } },
        }),
      ),
    ).toEqual([expect.stringMatching(/^workload\.resources\.mcp\.requests\.memory must /)]);
  });
});
