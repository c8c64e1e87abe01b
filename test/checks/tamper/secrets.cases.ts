/**
 * Tamper suite, secrets layer: hand edits of the examples' synthesized JSON, as a reviewer would make
 * them in `cdk.tf.json`, each refused by a named MCP-SEC rule.
 */
import { blocks, type JsonObject, nested } from '../../../lib/model/json';
import { SynthesizedApp } from '../../../lib/model/stack';
import { check, editableStacks, errors, first, refusingRules, resources, type Tamper } from './harness';

const ROLE = 'vault_kubernetes_auth_backend_role';
const DEPLOYMENT = 'kubernetes_deployment_v1';

/** A stanza of a Vault policy. */
const stanza = (path: string, ...capabilities: string[]) =>
  `\npath "${path}" {\n  capabilities = [${capabilities.map((c) => `"${c}"`).join(', ')}]\n}\n`;

/** Appends a stanza to the policy of the first `vault_policy` whose name starts with `prefix`. */
function grant(json: JsonObject, prefix: string, path: string, ...capabilities: string[]): void {
  const policy = first(json, 'vault_policy', prefix);
  policy.policy = `${String(policy.policy)}${stanza(path, ...capabilities)}`;
}

/** The env list of the MCP container of the first Deployment whose name starts with `prefix`. */
function mcpEnv(json: JsonObject, prefix: string): JsonObject[] {
  const spec = nested(first(json, DEPLOYMENT, prefix), 'spec', 'template', 'spec');
  const container = blocks(spec?.container).find((c) => c.name === 'mcp-server');
  if (!container) throw new Error(`no mcp-server container in ${prefix}*`);
  return container.env as JsonObject[];
}

/** Sets an environment variable of an env list. */
function setEnv(env: JsonObject[], name: string, value: string): void {
  const entry = env.find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name} in the env`);
  entry.value = value;
}

/**
 * The first cell stack of a fleet (one that holds tenant Vault roles), its first remote-state read
 * and the stack that read lands in: edits there are visible from the cell only through the reference.
 */
function cellAndProducer(stacks: Record<string, JsonObject>): {
  cell: JsonObject;
  producer: JsonObject;
  remote: string;
} {
  const app = new SynthesizedApp(Object.entries(stacks).map(([name, json]) => ({ name, json })));
  for (const stack of app.stacks) {
    if (stack.ofType(ROLE).length === 0) continue;
    for (const remote of stack.ofType('data.terraform_remote_state')) {
      const producer = app.producerOf(remote);
      if (producer) return { cell: stacks[stack.name], producer: stacks[producer.name], remote: remote.name };
    }
  }
  throw new Error('no cell stack reading another stack of the fleet');
}

/** Adds an output to a stack's JSON. */
function addOutput(json: JsonObject, name: string, value: unknown): void {
  const outputs = (json.output ??= {}) as Record<string, JsonObject>;
  outputs[name] = { value };
}

/** One tamper row and a piece of text the refusing finding must carry (the value found). */
type Row = Tamper & { readonly names: string };

const ROWS: readonly Row[] = [
  {
    what: "acme's server policy is granted sudo on its own secrets",
    example: 'quickstart',
    edit: (s) => grant(s.quickstart, 'Mcp_acme_Secrets_ServerPolicy', 'tenants/acme/kv/data/*', 'read', 'sudo'),
    refusedBy: 'MCP-SEC-1',
    names: 'path "tenants/acme/kv/data/*" grants sudo',
  },
  {
    what: "globex's server policy reaches sys/",
    example: 'multi-tenant',
    edit: (s) => grant(s['multi-tenant'], 'Mcp_globex_Secrets_ServerPolicy', 'sys/mounts', 'read'),
    refusedBy: 'MCP-SEC-1',
    names: 'path "sys/mounts" is under sys/',
  },
  {
    what: "acme's server policy may delete KV metadata (every version of a secret)",
    example: 'quickstart',
    edit: (s) => grant(s.quickstart, 'Mcp_acme_Secrets_ServerPolicy', 'tenants/acme/kv/metadata/*', 'delete'),
    refusedBy: 'MCP-SEC-1',
    names: 'grants delete on kv-v2 metadata/<any>',
  },
  {
    what: "initech's server policy may change its transit key's config (deletable, exportable)",
    example: 'multi-tenant',
    edit: (s) =>
      grant(s['multi-tenant'], 'Mcp_initech_Secrets_ServerPolicy', 'tenants/initech/transit/keys/mcp/config', 'update'),
    refusedBy: 'MCP-SEC-1',
    names: "'keys/mcp/config' is not a transit path a tenant policy may name",
  },
  {
    what: "acme's Kubernetes role admits every service account",
    example: 'quickstart',
    edit: (s) => (first(s.quickstart, ROLE, 'Mcp_acme_').bound_service_account_names = ['*']),
    refusedBy: 'MCP-SEC-2',
    names: "bound_service_account_names includes '*'",
  },
  {
    what: "globex's Kubernetes role issues periodic tokens",
    example: 'multi-tenant',
    edit: (s) => (first(s['multi-tenant'], ROLE, 'Mcp_globex_').token_period = 86400),
    refusedBy: 'MCP-SEC-2',
    names: 'token_period is 86400',
  },
  {
    what: "acme's Kubernetes role also grants Vault's default policy",
    example: 'quickstart',
    edit: (s) => (first(s.quickstart, ROLE, 'Mcp_acme_').token_no_default_policy = false),
    refusedBy: 'MCP-SEC-2',
    names: 'token_no_default_policy is false',
  },
  {
    what: "acme's transit key becomes exportable",
    example: 'multi-tenant',
    edit: (s) => (first(s['multi-tenant'], 'vault_transit_secret_backend_key', 'Mcp_acme_').exportable = true),
    refusedBy: 'MCP-SEC-3',
    names: 'exportable is true',
  },
  {
    what: 'a human JWT role is added, bound to the MCP audience (Vault would accept the MCP server its callers tokens)',
    example: 'quickstart',
    edit: (s) => {
      const json = s.quickstart;
      const resource = json.resource as Record<string, Record<string, JsonObject>>;
      const server = Object.keys(resources(json, 'okta_auth_server')).find((n) => n.startsWith('Mcp_acme_'));
      const policy = Object.keys(resources(json, 'vault_policy')).find((n) => n.startsWith('Mcp_acme_'));
      resource.vault_jwt_auth_backend = {
        humans: { path: 'tenants/acme/jwt', type: 'jwt', bound_issuer: `\${okta_auth_server.${server}.issuer}` },
      };
      resource.vault_jwt_auth_backend_role = {
        humans: {
          backend: '${vault_jwt_auth_backend.humans.path}',
          role_name: 'mcp-acme',
          role_type: 'jwt',
          bound_audiences: ['https://acme.mcp.example.com/mcp'],
          bound_claims: { tid: 'acme' },
          user_claim: 'sub',
          token_ttl: 900,
          token_max_ttl: 3600,
          token_no_default_policy: true,
          token_policies: [`\${vault_policy.${policy}.name}`],
        },
      };
    },
    refusedBy: 'MCP-SEC-4',
    names: "bound_audiences is 'https://acme.mcp.example.com/mcp', an MCP audience",
  },
  {
    what: 'a password literal in the vault provider block',
    example: 'multi-tenant',
    edit: (s) =>
      ((s['multi-tenant'].provider as Record<string, JsonObject[]>).vault[0].auth_login_userpass = [
        { username: 'terraform', password: 'correct-horse-battery' },
      ]),
    refusedBy: 'MCP-SEC-5',
    names: 'auth_login_userpass[0].password is a literal credential',
  },
  {
    what: 'an API token literal in the backend block',
    example: 'quickstart',
    edit: (s) =>
      ((s.quickstart.terraform as JsonObject).backend = {
        remote: { organization: 'example', token: 'aBcD1234.atlasv1.eFgH5678' },
      }),
    refusedBy: 'MCP-SEC-5',
    names: 'terraform.backend.remote: ',
  },
  {
    what: 'the Vault audit device logs raw secrets',
    example: 'quickstart',
    edit: (s) => ((first(s.quickstart, 'vault_audit').options as JsonObject).log_raw = 'true'),
    refusedBy: 'MCP-SEC-8',
    names: 'options.log_raw is "true"',
  },
  {
    what: 'the Vault audit device logs token accessors in the clear',
    example: 'quickstart',
    edit: (s) => ((first(s.quickstart, 'vault_audit').options as JsonObject).hmac_accessor = 'false'),
    refusedBy: 'MCP-SEC-8',
    names: 'options.hmac_accessor is "false"',
  },
  {
    what: "acme's MCP server reaches Vault over http",
    example: 'quickstart',
    edit: (s) => setEnv(mcpEnv(s.quickstart, 'Mcp_acme_'), 'VAULT_ADDR', 'http://vault.vault.svc:8200'),
    refusedBy: 'MCP-SEC-9',
    names: "VAULT_ADDR of container 'mcp-server' is 'http://vault.vault.svc:8200'",
  },
  {
    what: "a cell's MCP server reads VAULT_ADDR from an output of the stack it reads, which says http (seen only through the reference)",
    example: 'fleet',
    edit: (s) => {
      const { cell, producer, remote } = cellAndProducer(s);
      addOutput(producer, 'tamper_vault_addr', 'http://vault.vault.svc:8200');
      const deployment = Object.keys(resources(cell, DEPLOYMENT))[0];
      setEnv(
        mcpEnv(cell, deployment),
        'VAULT_ADDR',
        `\${data.terraform_remote_state.${remote}.outputs.tamper_vault_addr}`,
      );
    },
    refusedBy: 'MCP-SEC-9',
    names: "VAULT_ADDR of container 'mcp-server' is 'http://vault.vault.svc:8200'",
  },
  {
    what: "a cell's Kubernetes role takes its token TTL from an output of the stack it reads, which says 7200 (seen only through the reference)",
    example: 'fleet',
    edit: (s) => {
      const { cell, producer, remote } = cellAndProducer(s);
      addOutput(producer, 'tamper_ttl', 7200);
      first(cell, ROLE).token_ttl = `\${data.terraform_remote_state.${remote}.outputs.tamper_ttl}`;
    },
    refusedBy: 'MCP-SEC-2',
    names: 'token_ttl is 7200',
  },
];

/** Findings of the secrets rules, at any level. */
const secretsFindings = (reports: ReturnType<typeof check>, level: string) =>
  reports.flatMap((r) =>
    r.findings
      .filter((f) => f.ruleId.startsWith('MCP-SEC-') && f.level === level)
      .map((f) => `[${r.stack}] ${f.ruleId} ${f.address}`),
  );

describe('tamper: secrets (MCP-SEC-*)', () => {
  test.each(['quickstart', 'multi-tenant', 'fleet'] as const)(
    'the unedited %s example has no error finding of a secrets rule',
    (example) => {
      const reports = check(editableStacks(example));
      expect(reports.length).toBeGreaterThan(0);
      const applied = new Set(reports.flatMap((r) => r.applied));
      for (const id of ['MCP-SEC-1', 'MCP-SEC-2', 'MCP-SEC-3', 'MCP-SEC-5', 'MCP-SEC-9']) expect(applied).toContain(id);
      expect(errors(reports).filter((e) => / MCP-SEC-\d+ /.test(e))).toEqual([]);
    },
  );

  test("the fleet's cell stacks count the foundation's audit device: no MCP-SEC-6 warning, none suppressed", () => {
    const reports = check(editableStacks('fleet'));
    expect(secretsFindings(reports, 'warning').filter((f) => f.includes('MCP-SEC-6'))).toEqual([]);
    expect(reports.flatMap((r) => r.suppressed.filter((f) => f.ruleId === 'MCP-SEC-6'))).toEqual([]);
  });

  test("removing the fleet's audit device draws MCP-SEC-6 in every stack with tenant mounts", () => {
    const stacks = editableStacks('fleet');
    const holders = Object.entries(stacks).filter(([, json]) => Object.keys(resources(json, 'vault_audit')).length > 0);
    expect(holders).toHaveLength(1);
    delete (holders[0][1].resource as Record<string, unknown>).vault_audit;
    const warned = secretsFindings(check(stacks), 'warning').filter((f) => f.includes('MCP-SEC-6'));
    const withMounts = Object.values(stacks).filter((json) => Object.keys(resources(json, 'vault_mount')).length > 0);
    expect(withMounts.length).toBeGreaterThan(0);
    expect(warned).toHaveLength(withMounts.length);
  });

  test('the table holds at least 8 rows, each error rule of the layer refuses at least one, two in the fleet', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(ROWS.map((r) => r.refusedBy))).toEqual(
      new Set(['MCP-SEC-1', 'MCP-SEC-2', 'MCP-SEC-3', 'MCP-SEC-4', 'MCP-SEC-5', 'MCP-SEC-8', 'MCP-SEC-9']),
    );
    expect(ROWS.filter((r) => r.example === 'fleet').length).toBeGreaterThanOrEqual(2);
  });

  test.each(ROWS.map((r) => [r.what, r] as const))('%s: refused', (_what, row) => {
    const stacks = editableStacks(row.example);
    row.edit(stacks);
    const reports = check(stacks);
    expect(refusingRules(reports)).toContain(row.refusedBy);
    const found = errors(reports).filter((e) => e.includes(` ${row.refusedBy} error `));
    expect(found.some((e) => e.includes(row.names))).toBe(true);
  });
});
