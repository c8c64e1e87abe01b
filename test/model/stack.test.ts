import type { JsonObject } from '../../lib/model/json';
import { SynthesizedApp, SynthesizedStack } from '../../lib/model/stack';

/** A producer stack with an output, and a consumer that reads it through remote state. */
function pair(
  producerTerraform: JsonObject,
  remoteState: JsonObject,
  extraProducer?: { name: string; terraform: JsonObject },
): SynthesizedApp {
  const producer = (terraform: JsonObject): JsonObject => ({
    terraform,
    resource: { cloudflare_r2_bucket: { b: { name: 'mcp-audit-acme' } } },
    output: {
      bucket_name: { value: '${cloudflare_r2_bucket.b.name}' },
      bucket_id: { value: '${cloudflare_r2_bucket.b.id}' },
    },
  });
  const consumer: JsonObject = {
    data: { terraform_remote_state: { foundation: remoteState } },
    resource: { vault_policy: { p: { name: '${data.terraform_remote_state.foundation.outputs.bucket_name}' } } },
  };
  return new SynthesizedApp([
    { name: 'foundation', json: producer(producerTerraform) },
    ...(extraProducer ? [{ name: extraProducer.name, json: producer(extraProducer.terraform) }] : []),
    { name: 'cells', json: consumer },
  ]);
}

const s3 = (key: string): JsonObject => ({
  backend: { s3: { bucket: 'state', key, region: 'eu-west-1', encrypt: true } },
});

describe('SynthesizedStack.resolve', () => {
  const stack = new SynthesizedStack(
    {
      variable: { ttl: { type: 'number', default: 15 }, secret: { type: 'string' }, list: { default: ['a', 'b'] } },
      locals: { name: 'mcp-acme', nested: { deep: '${var.ttl}' } },
      resource: {
        okta_auth_server: { s: { name: '${local.name}', audiences: ['https://acme.example.com'] } },
        okta_auth_server_scope: { u: { auth_server_id: '${okta_auth_server.s.id}', name: 'mcp:acme:use' } },
      },
    },
    'stack',
  );

  test.each([
    ['a literal is itself', 'plain', { kind: 'literal', value: 'plain' }],
    ['a number is itself', 15, { kind: 'literal', value: 15 }],
    ['a variable by its default', '${var.ttl}', { kind: 'literal', value: 15 }],
    ['an element of a variable default', '${var.list[1]}', { kind: 'literal', value: 'b' }],
    ['a local', '${local.name}', { kind: 'literal', value: 'mcp-acme' }],
    ['a local that is a variable', '${local.nested.deep}', { kind: 'literal', value: 15 }],
    [
      'an attribute a resource sets, through a local',
      '${okta_auth_server.s.name}',
      { kind: 'literal', value: 'mcp-acme' },
    ],
    [
      'an element of a list attribute',
      '${okta_auth_server.s.audiences[0]}',
      { kind: 'literal', value: 'https://acme.example.com' },
    ],
  ])('%s', (_what, value, expected) => {
    expect(stack.resolve(value)).toEqual(expected);
  });

  test('a computed attribute is a reference to its resource', () => {
    const resolved = stack.resolve('${okta_auth_server.s.id}');
    expect(resolved.kind).toBe('reference');
    if (resolved.kind !== 'reference') return;
    expect(resolved.entry.address).toBe('okta_auth_server.s');
    expect(resolved.attribute).toBe('id');
    expect(resolved.stack).toBe(stack);
  });

  test.each([
    ['a variable without a default', '${var.secret}', "variable 'secret' has no default: its value comes at plan time"],
    ['an undeclared variable', '${var.nope}', "'${var.nope}' names a variable this stack does not declare"],
    ['an undeclared local', '${local.nope}', "'${local.nope}' names a local this stack does not declare"],
    [
      'an undeclared resource',
      '${okta_group.g.id}',
      "'${okta_group.g.id}' references okta_group.g, which no stack of the app declares",
    ],
    ['an expression', '${upper(var.ttl)}', "'${upper(var.ttl)}' is an expression the rules cannot evaluate"],
    [
      'two interpolations',
      '${var.ttl}-${var.ttl}',
      "'${var.ttl}-${var.ttl}' is an expression the rules cannot evaluate",
    ],
    ['a step into nothing', '${local.nested.other}', "'${local.nested.other}' names nothing local 'nested' sets"],
  ])('unknown: %s', (_what, value, why) => {
    expect(stack.resolve(value)).toEqual({ kind: 'unknown', why });
  });

  test('a chain of references longer than the depth is unknown, not a loop', () => {
    const looping = new SynthesizedStack({ locals: { a: '${local.b}', b: '${local.a}' } }, 'loop');
    expect(looping.resolve('${local.a}')).toEqual({
      kind: 'unknown',
      why: "'${local.a}' is a chain of references too long to follow",
    });
  });

  test('asking twice gives the same answer (memoized per stack)', () => {
    expect(stack.resolve('${var.ttl}')).toBe(stack.resolve('${var.ttl}'));
  });
});

describe('SynthesizedApp.producerOf and outputs read through remote state', () => {
  test('follows an s3 remote state into the stack whose backend has the same bucket and key', () => {
    const app = pair(s3('foundation.tfstate'), {
      backend: 's3',
      config: { bucket: 'state', key: 'foundation.tfstate', region: 'eu-west-1' },
    });
    const cells = app.stack('cells')!;
    expect(app.producerOf(cells.find('data.terraform_remote_state.foundation')!)?.name).toBe('foundation');
    expect(cells.resolve('${data.terraform_remote_state.foundation.outputs.bucket_name}')).toEqual({
      kind: 'literal',
      value: 'mcp-audit-acme',
    });
    const id = cells.resolve('${data.terraform_remote_state.foundation.outputs.bucket_id}');
    expect(id.kind === 'reference' && `${id.stack.name} ${id.entry.address} ${id.attribute}`).toBe(
      'foundation cloudflare_r2_bucket.b id',
    );
  });

  test('follows a remote (HCP Terraform) remote state into the stack whose cloud block names that workspace', () => {
    const app = pair(
      { cloud: { organization: 'acme', workspaces: { name: 'foundation-eu-1' } } },
      { backend: 'remote', config: { organization: 'acme', workspaces: { name: 'foundation-eu-1' } } },
      { name: 'other', terraform: { cloud: { organization: 'acme', workspaces: { name: 'cells-eu-1-001' } } } },
    );
    const cells = app.stack('cells')!;
    expect(app.producerOf(cells.find('data.terraform_remote_state.foundation')!)?.name).toBe('foundation');
    expect(cells.resolve('${data.terraform_remote_state.foundation.outputs.bucket_name}')).toEqual({
      kind: 'literal',
      value: 'mcp-audit-acme',
    });
  });

  test('no producer when two stacks match (same bucket and key) or none does', () => {
    const remote = { backend: 's3', config: { bucket: 'state', key: 'foundation.tfstate' } };
    const twice = pair(s3('foundation.tfstate'), remote, { name: 'copy', terraform: s3('foundation.tfstate') });
    expect(twice.producerOf(twice.stack('cells')!.find('data.terraform_remote_state.foundation')!)).toBeUndefined();
    const none = pair(s3('elsewhere.tfstate'), remote);
    const cells = none.stack('cells')!;
    expect(none.producerOf(cells.find('data.terraform_remote_state.foundation')!)).toBeUndefined();
    expect(cells.resolve('${data.terraform_remote_state.foundation.outputs.bucket_name}')).toEqual({
      kind: 'unknown',
      why: "'${data.terraform_remote_state.foundation.outputs.bucket_name}' reads the state of a stack this app does not hold (data.terraform_remote_state.foundation in cells): synthesize that stack in the same app, or check it with the same command",
    });
  });

  test('an output the producer does not declare is unknown', () => {
    const app = pair(s3('f.tfstate'), { backend: 's3', config: { bucket: 'state', key: 'f.tfstate' } });
    expect(app.stack('cells')!.resolve('${data.terraform_remote_state.foundation.outputs.nope}')).toEqual({
      kind: 'unknown',
      why: "'${data.terraform_remote_state.foundation.outputs.nope}' reads output 'nope', which stack foundation does not declare",
    });
  });
});

describe('decommissioned tenants in the metadata', () => {
  test('are read per stack and gathered across the app', () => {
    const meta = (list: unknown): JsonObject => ({ '//': { mcp_access: { tenants: {}, decommissioned: list } } });
    const app = new SynthesizedApp([
      { name: 'a', json: meta(['globex']) },
      { name: 'b', json: meta(['globex', 'initech']) },
      { name: 'c', json: meta('not a list') },
      { name: 'd', json: {} },
    ]);
    expect(app.stack('a')!.decommissioned).toEqual(['globex']);
    expect(app.stack('c')!.decommissioned).toEqual([]);
    expect(app.stack('d')!.decommissioned).toEqual([]);
    expect([...app.decommissionedTenants()]).toEqual([
      ['globex', ['a', 'b']],
      ['initech', ['b']],
    ]);
  });
});

describe('SynthesizedStack: the tenant of a resource', () => {
  const at = (path: string): JsonObject => ({ '//': { metadata: { path } } });
  const stack = new SynthesizedStack({
    '//': { mcp_access: { tenants: { acme: ['s/Cells/acme'], globex: ['s/Cells/globex', 's/Cells/acme/Lent'] } } },
    resource: {
      r2: {
        own: at('s/Cells/acme/Audit/Bucket'),
        sibling: at('s/Cells/acme/Audit/Lock'),
        exact: at('s/Cells/acme'),
        nested: at('s/Cells/acme/Lent/Bucket'),
        other: at('s/Cells/globex/Bucket'),
        prefixOnly: at('s/Cells/acmeco/Bucket'),
        shared: at('s/Shared/Bucket'),
        pathless: {},
      },
    },
  });

  test('is that of the nearest recorded scope above it (whole path segments), else none', () => {
    const tenants = Object.fromEntries(stack.all().map((e) => [e.name, e.tenant]));
    expect(tenants).toEqual({
      own: 'acme',
      sibling: 'acme',
      exact: 'acme',
      nested: 'globex',
      other: 'globex',
      prefixOnly: undefined,
      shared: undefined,
      pathless: undefined,
    });
  });
});
