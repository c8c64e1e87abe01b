import { parse } from '@cdktf/hcl2json';
import { tenantHumanPolicyRules, tenantServerPolicyRules } from '../../lib/secrets/tenant-policies';
import {
  parseVaultPolicy,
  renderVaultPolicy,
  stanzaCapabilities,
  TENANT_POLICY_ALLOW_LIST,
  tenantGrantProblem,
  type VaultPolicyStanza,
  VaultPolicySyntaxError,
} from '../../lib/core/vault-policy';

/** The stanzas HashiCorp's own HCL parser reads from a policy: `{path: {<glob>: [body, ...]}}`. */
async function vendorStanzas(text: string): Promise<VaultPolicyStanza[]> {
  const doc = (await parse('policy.hcl', text)) as { path?: Record<string, Record<string, unknown>[]> };
  return Object.entries(doc.path ?? {}).flatMap(([path, bodies]) =>
    bodies.map((b) => ({
      path,
      capabilities: (b.capabilities as string[] | undefined) ?? [],
      ...(b.policy !== undefined ? { policy: b.policy as string } : {}),
    })),
  );
}

/** Stanzas in a stable order (hcl2json groups repeated paths). */
const sorted = (stanzas: VaultPolicyStanza[]) =>
  [...stanzas].sort(
    (a, b) => a.path.localeCompare(b.path) || a.capabilities.join().localeCompare(b.capabilities.join()),
  );

const PATHS = { kvPath: 'tenants/acme/kv', transitPath: 'tenants/acme/transit', keyName: 'mcp' };

const HAND_WRITTEN = `
# a comment
path "tenants/acme/kv/data/*" {
  capabilities = ["read", "list"]   // trailing comment
}

/* a block
   comment */
path "tenants/acme/kv/data/*" {
  capabilities = ["update"]
  allowed_parameters = {
    "key" = ["a", "b"]
    "*"   = []
  }
  min_wrapping_ttl = "1s"
}

path "secret/+/x" {
  policy = "sudo"
}

path "escaped\\"quote" { capabilities = ["deny"] }
`;

describe('Vault policy text', () => {
  test('renders one path block per rule, in order', () => {
    expect(renderVaultPolicy([{ path: 'tenants/acme/kv/data/*', capabilities: ['read', 'list'] }])).toBe(
      'path "tenants/acme/kv/data/*" {\n  capabilities = ["read", "list"]\n}\n',
    );
  });

  test.each([
    ['server', tenantServerPolicyRules(PATHS)],
    ['human', tenantHumanPolicyRules(PATHS)],
  ])('parses what it renders (%s policy)', (_name, rules) => {
    expect(parseVaultPolicy(renderVaultPolicy(rules))).toEqual(rules);
  });

  test('groups repeated paths in the order each first appears', () => {
    const text = 'path "b" {\n  capabilities = ["read"]\n}\npath "a" {}\npath "b" {\n  capabilities = ["list"]\n}\n';
    expect(parseVaultPolicy(text).map((s) => `${s.path}:${s.capabilities.join()}`)).toEqual(['b:read', 'b:list', 'a:']);
  });

  test.each([
    ['the server policy', renderVaultPolicy(tenantServerPolicyRules(PATHS))],
    ['the human policy', renderVaultPolicy(tenantHumanPolicyRules(PATHS))],
    ['a hand-written policy with comments, nested objects, repeats and the deprecated form', HAND_WRITTEN],
  ])('reads %s exactly as HashiCorp HCL does', async (_name, text) => {
    expect(sorted(parseVaultPolicy(text))).toEqual(sorted(await vendorStanzas(text)));
  });

  test('reads the JSON form of a policy', () => {
    expect(
      parseVaultPolicy('{"path": {"tenants/acme/kv/*": {"capabilities": ["read"]}, "sys/*": [{"policy": "sudo"}]}}'),
    ).toEqual([
      { path: 'tenants/acme/kv/*', capabilities: ['read'] },
      { path: 'sys/*', capabilities: [], policy: 'sudo' },
    ]);
  });

  test('an empty policy has no stanzas', () => {
    expect(parseVaultPolicy('# nothing\n')).toEqual([]);
  });

  test.each([
    ['path "a" {\n  capabilities = ["read"]\n', "expected '}' at line 3, column 1"],
    ['path "a {\n}', 'unterminated string at line 1, column 6'],
    [
      'path "a" {\n  capabilities = [read]\n}',
      "unexpected 'read' (Vault policies hold literals only) at line 2, column 19",
    ],
    ['path "a" "b" {\n}', "block 'path' has more than one label at line 1, column 10"],
    ['path "a" {\n  capabilities = "read"\n}', 'path "a": capabilities must be a list of strings'],
    ['path "a" capabilities', "expected '{' or '=' after 'path' at line 1, column 10"],
    ['{"path": ', 'invalid JSON policy: '],
  ])('refuses %j', (text, message) => {
    expect(() => parseVaultPolicy(text)).toThrow(VaultPolicySyntaxError);
    expect(() => parseVaultPolicy(text)).toThrow(message);
  });

  test('the vendor parser refuses the same broken policies', async () => {
    await expect(parse('policy.hcl', 'path "a" {\n  capabilities = ["read"]\n')).rejects.toThrow();
    await expect(parse('policy.hcl', 'path "a {\n}')).rejects.toThrow();
  });
});

describe('the tenant policy allow-list', () => {
  const engineOf = (path: string) => (path.startsWith(`${PATHS.kvPath}/`) ? 'kv-v2' : 'transit');
  const mountOf = (path: string) => (path.startsWith(`${PATHS.kvPath}/`) ? PATHS.kvPath : PATHS.transitPath);

  test.each([
    ['server', tenantServerPolicyRules(PATHS)],
    ['human', tenantHumanPolicyRules(PATHS)],
  ])("admits every grant of the library's own %s policy", (_name, rules) => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const rest = rule.path.slice(mountOf(rule.path).length + 1);
      expect([rule.path, tenantGrantProblem(engineOf(rule.path), rest, rule.capabilities)]).toEqual([
        rule.path,
        undefined,
      ]);
    }
  });

  test('grants no sudo, no delete and nothing on destroy, config, export, backup or datakey', () => {
    expect(TENANT_POLICY_ALLOW_LIST).toHaveLength(8);
    for (const grant of TENANT_POLICY_ALLOW_LIST) {
      expect(grant.capabilities).not.toContain('sudo');
      expect(grant.capabilities).not.toContain('delete');
      expect(grant.pattern).not.toMatch(/destroy|config|export|backup|datakey/);
    }
  });

  test.each([
    ['kv-v2', 'destroy/x', ['update']],
    ['kv-v2', 'metadata/x', ['delete']],
    ['transit', 'keys/mcp/config', ['update']],
    ['transit', 'keys/*', ['read']],
    ['transit', 'keys/mcp', ['sudo']],
  ] as const)('refuses %s %s %j', (engine, rest, capabilities) => {
    expect(tenantGrantProblem(engine, rest, capabilities)).toEqual(expect.any(String));
  });

  test('the deprecated policy words grant what Vault gives them', () => {
    expect(stanzaCapabilities({ path: 'x', capabilities: [], policy: 'read' })).toEqual(['read', 'list']);
    expect(stanzaCapabilities({ path: 'x', capabilities: ['update'], policy: 'write' })).toEqual([
      'update',
      'create',
      'read',
      'delete',
      'list',
    ]);
    expect(stanzaCapabilities({ path: 'x', capabilities: [], policy: 'sudo' })).toContain('sudo');
  });
});
