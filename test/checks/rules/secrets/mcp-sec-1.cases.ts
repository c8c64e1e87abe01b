import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_SEC_1 } from '../../../../lib/checks/rules/secrets/mcp-sec-1';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { clone, newStack, rawJson } from '../../../helpers';
import { HUMAN_LOGIN, secretsStack } from '../../../secrets/fixtures';
import { addResource, bodyOf, evaluate, evaluateIn, plainStack, problems } from './fixtures';

const stanza = (path: string, ...capabilities: string[]) =>
  `path "${path}" {\n  capabilities = [${capabilities.map((c) => `"${c}"`).join(', ')}]\n}\n`;
const policy = (...paths: string[]) => paths.map((p) => stanza(p, 'read')).join('\n');

describe('MCP-SEC-1', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = secretsStack(['acme', 'globex', 'initech'], { humanLogin: HUMAN_LOGIN }).json;
  });

  /** acme's server policy with `text` as its policy. */
  function withAcmePolicy(text: string): JsonObject {
    const tampered = clone(json);
    bodyOf(tampered, 'vault_policy', 'acme_ServerPolicy').policy = text;
    return tampered;
  }

  test('compliant: every tenant mount, server and human policy of three tenants', () => {
    const results = evaluate(MCP_SEC_1, json);
    expect(results).toHaveLength(12);
    expect(problems(results)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(evaluate(MCP_SEC_1, rawJson(newStack()))).toEqual([]);
  });

  describe('the allow-list: each path and capability the library uses passes', () => {
    test.each([
      ['tenants/acme/kv/data/*', ['read', 'create', 'update', 'patch']],
      ['tenants/acme/kv/data/github/token', ['read']],
      ['tenants/acme/kv/metadata', ['list']],
      ['tenants/acme/kv/metadata/*', ['read', 'list']],
      ['tenants/acme/transit/encrypt/mcp', ['update']],
      ['tenants/acme/transit/decrypt/mcp', ['update']],
      ['tenants/acme/transit/rewrap/mcp', ['update']],
      ['tenants/acme/transit/encrypt/*', ['update']],
      ['tenants/acme/transit/keys/mcp', ['read']],
      ['tenants/acme/transit/keys/+', ['read']],
      ['tenants/acme/transit/keys/mcp/rotate', ['update']],
      ['tenants/acme/kv/data/*', ['deny']],
      ['/tenants/acme/kv/data/*', ['read']],
      ['//tenants/acme/kv/data/*', ['read']],
    ])('%s with %j', (path, capabilities) => {
      expect(problems(evaluate(MCP_SEC_1, withAcmePolicy(stanza(path, ...capabilities))))).toEqual([]);
    });
  });

  describe('non-compliant: anything else within the tenant', () => {
    test.each([
      ['tenants/acme/kv/destroy/*', ['update'], "'destroy/*' is not a kv-v2 path a tenant policy may name"],
      ['tenants/acme/kv/delete/*', ['update'], "'delete/*' is not a kv-v2 path a tenant policy may name"],
      ['tenants/acme/kv/undelete/*', ['update'], "'undelete/*' is not a kv-v2 path a tenant policy may name"],
      ['tenants/acme/kv/metadata/*', ['read', 'delete'], 'grants delete on kv-v2 metadata/<any> (only read, list)'],
      ['tenants/acme/kv/metadata', ['delete'], 'grants delete on kv-v2 metadata (only list)'],
      ['tenants/acme/kv/data/*', ['delete'], 'grants delete on kv-v2 data/<any> (only read, create, update, patch)'],
      ['tenants/acme/kv/data/*', ['list'], 'grants list on kv-v2 data/<any> (only read, create, update, patch)'],
      ['tenants/acme/kv/*', ['read'], "'*' is not a kv-v2 path a tenant policy may name"],
      ['tenants/acme/kv/data*', ['read'], "'data*' is not a kv-v2 path a tenant policy may name"],
      ['tenants/acme/transit/keys/mcp/config', ['update'], "'keys/mcp/config' is not a transit path"],
      ['tenants/acme/transit/keys/*', ['read'], "'keys/*' is not a transit path"],
      ['tenants/acme/transit/keys/mcp', ['update'], 'grants update on transit keys/<key> (only read)'],
      ['tenants/acme/transit/keys/mcp', ['delete'], 'grants delete on transit keys/<key> (only read)'],
      ['tenants/acme/transit/export/encryption-key/mcp', ['read'], "'export/encryption-key/mcp' is not a transit path"],
      ['tenants/acme/transit/backup/mcp', ['read'], "'backup/mcp' is not a transit path"],
      ['tenants/acme/transit/datakey/plaintext/mcp', ['update'], "'datakey/plaintext/mcp' is not a transit path"],
      [
        'tenants/acme/transit/encrypt/mcp',
        ['create', 'update'],
        'grants create on transit encrypt/<any> (only update)',
      ],
      ['tenants/acme/transit/*', ['update'], "'*' is not a transit path"],
      ['tenants/acme/kv/data/*', ['subscribe'], 'grants subscribe on kv-v2 data/<any>'],
      ['tenants/acme/jwt/role/mcp-acme', ['read'], "is under no kv-v2 or transit mount of tenant 'acme'"],
      ['tenants/acme/*', ['read'], "is under no kv-v2 or transit mount of tenant 'acme'"],
      ['tenants/acme/kv/data/*', ['read', 'sudo'], 'grants sudo'],
      ['tenants/acme/kv/data/*', ['read', 'root'], 'grants unknown capabilities root'],
      ['tenants/acme/kv/data/*', ['root', 'admin'], 'grants unknown capabilities root, admin'],
    ])('%s with %j', (path, capabilities, detail) => {
      const found = problems(evaluate(MCP_SEC_1, withAcmePolicy(stanza(path, ...capabilities))));
      expect(found).toEqual([['non-compliant', expect.stringContaining(detail)]]);
      expect(found[0][1]).toContain(`path "${path}"`);
    });

    test('the deprecated policy = "write" form grants delete: refused', () => {
      expect(
        problems(evaluate(MCP_SEC_1, withAcmePolicy('path "tenants/acme/kv/data/*" {\n  policy = "write"\n}\n'))),
      ).toEqual([
        [
          'non-compliant',
          'path "tenants/acme/kv/data/*": grants delete, list on kv-v2 data/<any> (only read, create, update, patch)',
        ],
      ]);
    });

    test.each([
      ['pki', undefined, 'pki'],
      ['kv', { version: '1' }, 'kv'],
    ])('a path under a tenant mount of type %s %j is refused', (type, options, engine) => {
      const tampered = withAcmePolicy(stanza('tenants/acme/kv/data/*', 'read'));
      const mount = bodyOf(tampered, 'vault_mount', 'acme_KvMount');
      mount.type = type;
      if (options === undefined) delete mount.options;
      else mount.options = options;
      const found = problems(evaluate(MCP_SEC_1, tampered));
      // acme's server policy, and its human policy, which writes the same store.
      expect(found).toHaveLength(2);
      expect(found[0]).toEqual([
        'non-compliant',
        `path "tenants/acme/kv/data/*" is under mount 'tenants/acme/kv' of type ${engine} (tenant policies reach kv-v2 and transit mounts only)`,
      ]);
    });
  });

  test("non-compliant: a policy given another tenant's path", () => {
    const results = evaluate(MCP_SEC_1, withAcmePolicy(policy('tenants/acme/kv/data/*', 'tenants/globex/kv/data/*')));
    expect(problems(results)).toEqual([
      ['non-compliant', `path "tenants/globex/kv/data/*" belongs to tenant 'globex'`],
    ]);
    expect(results.find((r) => r.status === 'non-compliant')?.address).toMatch(/^vault_policy\.acme_ServerPolicy_/);
  });

  test.each([
    ['tenants/+/kv/data/*', `path "tenants/+/kv/data/*" reaches beyond one tenant's prefix`],
    ['tenants/*', `path "tenants/*" reaches beyond one tenant's prefix`],
    ['tenants/acme*', `path "tenants/acme*" reaches beyond one tenant's prefix`],
    ['tenants/acme/../globex/kv/data/x', `path "tenants/acme/../globex/kv/data/x" reaches beyond one tenant's prefix`],
    ['*', `path "*" reaches beyond one tenant's prefix`],
    ['sys/policies/acl/*', 'path "sys/policies/acl/*" is under sys/'],
    ['/sys/mounts', 'path "/sys/mounts" is under sys/'],
    ['secret/data/*', 'path "secret/data/*" is outside tenants/acme/'],
    ['auth/token/create', 'path "auth/token/create" is outside tenants/acme/'],
  ])('non-compliant: a tenant policy naming %s', (path, detail) => {
    expect(problems(evaluate(MCP_SEC_1, withAcmePolicy(policy('tenants/acme/kv/data/*', path))))).toEqual([
      ['non-compliant', detail],
    ]);
  });

  test('non-compliant: sudo, in either form, even on its own path', () => {
    const text =
      'path "tenants/acme/kv/data/*" {\n  capabilities = ["read", "sudo"]\n}\npath "tenants/acme/transit/*" {\n  policy = "sudo"\n}\n';
    expect(problems(evaluate(MCP_SEC_1, withAcmePolicy(text)))).toEqual([
      ['non-compliant', 'path "tenants/acme/kv/data/*" grants sudo; path "tenants/acme/transit/*" grants sudo'],
    ]);
  });

  test('non-compliant: a policy that cannot be parsed, or has no path', () => {
    expect(problems(evaluate(MCP_SEC_1, withAcmePolicy('path "tenants/acme/kv" {')))).toEqual([
      ['non-compliant', "policy cannot be parsed: expected '}' at line 1, column 25"],
    ]);
    expect(problems(evaluate(MCP_SEC_1, withAcmePolicy('# nothing\n')))).toEqual([
      ['non-compliant', 'policy has no path'],
    ]);
  });

  test('non-compliant: a tenant mount moved outside its prefix by override', () => {
    const { stack, mounts } = secretsStack(['acme', 'globex']);
    mounts[0].kvMount.addOverride('path', 'secret/acme');
    mounts[0].transitMount.addOverride('path', 'tenants/globex/transit2');
    expect(problems(evaluate(MCP_SEC_1, rawJson(stack)))).toEqual([
      ['non-compliant', "path 'secret/acme' is not under tenants/acme/"],
      ['non-compliant', "path 'tenants/globex/transit2' is not under tenants/acme/"],
      // acme's server policy now names paths under no mount of acme's.
      ['non-compliant', expect.stringContaining(`is under no kv-v2 or transit mount of tenant 'acme'`)],
    ]);
  });

  describe('values read through references', () => {
    test('a policy from a variable with a literal default is judged by that default', () => {
      const tampered = withAcmePolicy('${var.server_policy}');
      tampered.variable = { server_policy: { type: 'string', default: stanza('tenants/acme/kv/destroy/*', 'update') } };
      expect(problems(evaluate(MCP_SEC_1, tampered))).toEqual([
        ['non-compliant', expect.stringContaining(`path "tenants/acme/kv/destroy/*": 'destroy/*' is not a kv-v2 path`)],
      ]);
    });

    test('a mount path from a variable with a literal default is judged by that default', () => {
      const tampered = clone(json);
      tampered.variable = { kv: { type: 'string', default: 'secret/acme' } };
      bodyOf(tampered, 'vault_mount', 'acme_KvMount').path = '${var.kv}';
      expect(problems(evaluate(MCP_SEC_1, tampered))).toEqual([
        ['non-compliant', "path 'secret/acme' (read from '${var.kv}') is not under tenants/acme/"],
        ['non-compliant', expect.stringContaining(`path "tenants/acme/kv/data/*" is under no kv-v2 or transit mount`)],
        ['non-compliant', expect.stringContaining(`path "tenants/acme/kv/data/*" is under no kv-v2 or transit mount`)],
      ]);
    });
  });

  describe('undecided (an error): what cannot be read', () => {
    test('a tenant policy written by an expression', () => {
      const { stack, mounts } = secretsStack(['acme']);
      mounts[0].serverPolicy.addOverride('policy', '${data.vault_policy_document.server.hcl}');
      expect(problems(evaluate(MCP_SEC_1, rawJson(stack)))).toEqual([
        [
          'undecided',
          "policy cannot be read: '${data.vault_policy_document.server.hcl}' references data.vault_policy_document.server, which no stack of the app declares",
        ],
      ]);
    });

    test('a tenant mount path from a variable without a default', () => {
      const { stack, mounts } = secretsStack(['acme']);
      mounts[0].kvMount.path = new TerraformVariable(stack, 'kv', { type: 'string' }).stringValue;
      expect(problems(evaluate(MCP_SEC_1, rawJson(stack)))).toEqual([
        ['undecided', "path cannot be read: variable 'kv' has no default: its value comes at plan time"],
        ['undecided', expect.stringContaining('is under no tenant mount the rule can read')],
      ]);
    });
  });

  describe('across the stacks of an app', () => {
    test('a policy is judged against the tenant mounts of another stack', () => {
      const mounts = clone(json);
      const policies = plainStack({
        vault_policy: { acme: { name: 'mcp-acme-server', policy: stanza('tenants/acme/kv/destroy/*', 'update') } },
      });
      delete (mounts.resource as Record<string, unknown>).vault_policy;
      expect(problems(evaluateIn(MCP_SEC_1, { mounts, policies }, 'policies'))).toEqual([
        ['non-compliant', expect.stringContaining(`path "tenants/acme/kv/destroy/*": 'destroy/*' is not a kv-v2 path`)],
      ]);
    });
  });

  describe('on a stack without library metadata', () => {
    test('not applicable: mounts and policies that cannot reach tenants/', () => {
      const plain = plainStack({
        vault_mount: { kv: { path: 'secret', type: 'kv' } },
        vault_policy: { ops: { name: 'ops', policy: stanza('secret/data/*', 'read', 'update') } },
      });
      expect(evaluate(MCP_SEC_1, plain)).toEqual([]);
    });

    test('a policy named for a tenant, naming one tenant, or globbing the root is judged', () => {
      const plain = plainStack({
        vault_mount: {
          kv: { path: 'tenants/acme/kv', type: 'kv', options: { version: '2' } },
          transit: { path: 'tenants/acme/transit', type: 'transit' },
          bad: { path: 'tenants/+/kv', type: 'kv' },
        },
        vault_policy: {
          one: { name: 'one', policy: policy('tenants/acme/kv/data/*') },
          json: {
            name: 'json',
            policy: '{"path": {"tenants/acme/kv/data/*": {"capabilities": ["read"]}, "sys/*": {}}}',
          },
          two: { name: 'two', policy: policy('tenants/acme/kv/data/*', 'tenants/globex/kv/data/*') },
          admin: { name: 'admin', policy: stanza('*', 'sudo') },
          named: { name: 'mcp-acme-humans', policy: stanza('secret/data/*', 'read') },
        },
      });
      expect(evaluate(MCP_SEC_1, plain)).toEqual([
        { address: 'vault_mount.kv', status: 'compliant' },
        { address: 'vault_mount.transit', status: 'compliant' },
        {
          address: 'vault_mount.bad',
          status: 'non-compliant',
          detail: "path 'tenants/+/kv' is not under tenants/<t>/",
        },
        { address: 'vault_policy.one', status: 'compliant' },
        { address: 'vault_policy.json', status: 'non-compliant', detail: 'path "sys/*" is under sys/' },
        {
          address: 'vault_policy.two',
          status: 'non-compliant',
          detail: `names the paths of several tenants: acme, globex; path "tenants/globex/kv/data/*" is under no kv-v2 or transit mount of tenant 'globex' that the app declares`,
        },
        { address: 'vault_policy.admin', status: 'non-compliant', detail: 'path "*" grants sudo' },
        {
          address: 'vault_policy.named',
          status: 'non-compliant',
          detail: 'path "secret/data/*" is outside tenants/acme/',
        },
      ]);
    });
  });

  describe('tenant mounts', () => {
    test('non-compliant: a tenant mount whose path is not set, or is empty', () => {
      const { stack } = secretsStack(['acme']);
      const unset = rawJson(stack);
      delete bodyOf(unset, 'vault_mount', 'acme_KvMount').path;
      expect(evaluate(MCP_SEC_1, unset).filter((r) => r.address.startsWith('vault_mount.'))).toEqual([
        {
          address: expect.stringMatching(/^vault_mount\.acme_KvMount_/),
          status: 'non-compliant',
          detail: 'path is not set',
        },
        { address: expect.stringMatching(/^vault_mount\.acme_TransitMount_/), status: 'compliant' },
      ]);
      const empty = rawJson(stack);
      bodyOf(empty, 'vault_mount', 'acme_KvMount').path = '';
      expect(evaluate(MCP_SEC_1, empty).filter((r) => r.address.startsWith('vault_mount.'))).toEqual([
        {
          address: expect.stringMatching(/^vault_mount\.acme_KvMount_/),
          status: 'non-compliant',
          detail: 'path is not set',
        },
        { address: expect.stringMatching(/^vault_mount\.acme_TransitMount_/), status: 'compliant' },
      ]);
    });

    test("non-compliant: a tenant mount at its tenant's prefix itself, which holds no path under it", () => {
      const tampered = clone(json);
      bodyOf(tampered, 'vault_mount', 'acme_KvMount').path = 'tenants/acme';
      expect(evaluate(MCP_SEC_1, tampered).filter((r) => r.address.startsWith('vault_mount.acme_'))).toEqual([
        {
          address: expect.stringMatching(/^vault_mount\.acme_KvMount_/),
          status: 'non-compliant',
          detail: "path 'tenants/acme' is not under tenants/acme/",
        },
        { address: expect.stringMatching(/^vault_mount\.acme_TransitMount_/), status: 'compliant' },
      ]);
    });

    test('not applicable: a mount outside any tenant cell with no path, an empty path, or a path that cannot be read', () => {
      const plain = plainStack({
        vault_mount: {
          unset: { type: 'kv' },
          empty: { path: '', type: 'kv' },
          later: { path: '${var.mount_path}', type: 'kv' },
        },
      });
      plain.variable = { mount_path: { type: 'string' } };
      expect(evaluate(MCP_SEC_1, plain)).toStrictEqual([]);
    });

    test('non-compliant: a path under a mount of another engine nested in the tenant kv-v2 mount', () => {
      const tampered = withAcmePolicy(stanza('tenants/acme/kv/data/github/token', 'read'));
      // Declared after the kv-v2 mount it sits in: the innermost mount holds the path, whatever the order.
      addResource(tampered, 'vault_mount', 'nested', { path: 'tenants/acme/kv/data', type: 'pki' });
      expect(problems(evaluate(MCP_SEC_1, tampered))).toEqual([
        [
          'non-compliant',
          `path "tenants/acme/kv/data/github/token" is under mount 'tenants/acme/kv/data' of type pki (tenant policies reach kv-v2 and transit mounts only)`,
        ],
        [
          'non-compliant',
          `path "tenants/acme/kv/data/*" is under mount 'tenants/acme/kv/data' of type pki (tenant policies reach kv-v2 and transit mounts only)`,
        ],
      ]);
    });

    test('non-compliant: a path under a tenant mount whose type cannot be read', () => {
      const tampered = withAcmePolicy(stanza('tenants/acme/kv/data/*', 'read'));
      tampered.variable = { kv_type: { type: 'string' } };
      bodyOf(tampered, 'vault_mount', 'acme_KvMount').type = '${var.kv_type}';
      const found = problems(evaluate(MCP_SEC_1, tampered));
      // acme's server policy, and its human policy, which reads the same store.
      expect(found).toHaveLength(2);
      expect(found[0]).toEqual([
        'non-compliant',
        `path "tenants/acme/kv/data/*" is under mount 'tenants/acme/kv' of type that cannot be read (tenant policies reach kv-v2 and transit mounts only)`,
      ]);
    });

    test('compliant: policies under readable tenant mounts, while another mount of the app cannot be read', () => {
      const tampered = withAcmePolicy(
        stanza('//tenants/acme/kv/data/*', 'read') + stanza('/tenants/acme/transit/encrypt/mcp', 'update'),
      );
      tampered.variable = { other: { type: 'string' } };
      addResource(tampered, 'vault_mount', 'other', { path: '${var.other}', type: 'kv' });
      const results = evaluate(MCP_SEC_1, tampered);
      expect(results).toHaveLength(12);
      expect(problems(results)).toEqual([]);
    });
  });

  describe('tenant policies', () => {
    test('non-compliant: a tenant policy whose text is not set', () => {
      const tampered = clone(json);
      delete bodyOf(tampered, 'vault_policy', 'acme_ServerPolicy').policy;
      expect(problems(evaluate(MCP_SEC_1, tampered))).toEqual([['non-compliant', 'policy is not set']]);
    });

    test('non-compliant: a tenant policy that cannot be parsed, even when it names no tenants/ path', () => {
      expect(problems(evaluate(MCP_SEC_1, withAcmePolicy('path "secret/data/x" {')))).toEqual([
        ['non-compliant', "policy cannot be parsed: expected '}' at line 1, column 23"],
      ]);
    });
  });

  describe('policies of no tenant', () => {
    test('judged when a path can reach tenants/: a leading +, a glob after a prefix of tenants, extra slashes', () => {
      const plain = plainStack({
        vault_mount: {
          kv: { path: 'tenants/acme/kv', type: 'kv-v2' },
          transit: { path: 'tenants/acme/transit', type: 'transit' },
        },
        vault_policy: {
          plus: { name: 'plus', policy: stanza('+/acme/kv/data/*', 'read') },
          prefix: { name: 'prefix', policy: stanza('ten*/acme/kv/data/*', 'read') },
          slashes: { name: 'slashes', policy: stanza('//tenants/acme/kv/destroy/*', 'update') },
          outside: { name: 'outside', policy: policy('tenants/acme/kv/data/*', 'secret/data/*') },
          nobody: { name: 'nobody', policy: policy('t*/x', 'secret/data/*') },
        },
      });
      expect(evaluate(MCP_SEC_1, plain)).toEqual([
        { address: 'vault_mount.kv', status: 'compliant' },
        { address: 'vault_mount.transit', status: 'compliant' },
        {
          address: 'vault_policy.plus',
          status: 'non-compliant',
          detail: `path "+/acme/kv/data/*" reaches beyond one tenant's prefix`,
        },
        {
          address: 'vault_policy.prefix',
          status: 'non-compliant',
          detail: `path "ten*/acme/kv/data/*" reaches beyond one tenant's prefix`,
        },
        {
          address: 'vault_policy.slashes',
          status: 'non-compliant',
          detail: `path "//tenants/acme/kv/destroy/*": 'destroy/*' is not a kv-v2 path a tenant policy may name (only data/<any>, metadata, metadata/<any>)`,
        },
        {
          address: 'vault_policy.outside',
          status: 'non-compliant',
          detail: 'path "secret/data/*" is outside tenants/acme/',
        },
        {
          address: 'vault_policy.nobody',
          status: 'non-compliant',
          detail: `path "t*/x" reaches beyond one tenant's prefix; path "secret/data/*" is outside tenants/<t>/`,
        },
      ]);
    });

    test('not applicable: no path can match tenants/ (a literal prefix of it, a glob after another prefix)', () => {
      const plain = plainStack({
        vault_policy: {
          literal: { name: 'literal', policy: stanza('tenant/data/*', 'read', 'sudo') },
          star: { name: 'star', policy: stanza('secret*/data/*', 'read', 'sudo') },
          plus: { name: 'plus', policy: stanza('secret+/data/*', 'read', 'sudo') },
        },
      });
      expect(evaluate(MCP_SEC_1, plain)).toStrictEqual([]);
    });

    test('not applicable: a text that is not set, or cannot be parsed and does not mention tenants/', () => {
      const plain = plainStack({
        vault_policy: {
          unset: { name: 'unset' },
          broken: { name: 'broken', policy: 'path "secret/data/x" {' },
        },
      });
      expect(evaluate(MCP_SEC_1, plain)).toStrictEqual([]);
    });

    test('undecided (an error): a text that cannot be read, even when it does not mention tenants/', () => {
      // What it holds comes at plan time: `path "${var.scope}"` is `path "tenants/*"` with sudo here.
      const plain = plainStack({
        vault_policy: {
          later: { name: 'later', policy: '${var.ops_policy}' },
          scoped: { name: 'scoped', policy: 'path "${var.scope}" { capabilities = ["read", "sudo"] }' },
        },
      });
      plain.variable = { ops_policy: { type: 'string' }, scope: { type: 'string', default: 'tenants/*' } };
      expect(evaluate(MCP_SEC_1, plain)).toEqual([
        {
          address: 'vault_policy.later',
          status: 'undecided',
          detail: "policy cannot be read: variable 'ops_policy' has no default: its value comes at plan time",
        },
        {
          address: 'vault_policy.scoped',
          status: 'undecided',
          detail:
            'policy cannot be read: \'path "${var.scope}" { capabilities = ["read", "sudo"] }\' is an expression the rules cannot evaluate',
        },
      ]);
    });

    test('a text that mentions tenants/: undecided when it cannot be read, non-compliant when it cannot be parsed', () => {
      const plain = plainStack({
        vault_policy: {
          later: { name: 'later', policy: 'path "tenants/${var.tenant}/kv/data/*" { capabilities = ["read"] }' },
          broken: { name: 'broken', policy: 'path "tenants/acme/kv" {' },
        },
      });
      expect(evaluate(MCP_SEC_1, plain)).toEqual([
        {
          address: 'vault_policy.later',
          status: 'undecided',
          detail:
            'policy cannot be read: \'path "tenants/${var.tenant}/kv/data/*" { capabilities = ["read"] }\' is an expression the rules cannot evaluate',
        },
        {
          address: 'vault_policy.broken',
          status: 'non-compliant',
          detail: "policy cannot be parsed: expected '}' at line 1, column 25",
        },
      ]);
    });
  });
});
