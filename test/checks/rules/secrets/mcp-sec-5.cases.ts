import { LogpushJob } from '@cdktf/provider-cloudflare/lib/logpush-job';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { isSecretName, literalSecretKind, MCP_SEC_5 } from '../../../../lib/checks/rules/secrets/mcp-sec-5';
import { stateSecretsOf } from '../../../../lib/checks/rules/secrets/state-secrets';
import { TerraformOutput, TerraformVariable, type TerraformStack } from '../../../../lib/core/cdktf';
import { newStack, rawJson } from '../../../helpers';
import { secretsStack } from '../../../secrets/fixtures';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

/** The findings of the rule on raw JSON, as `<address>: <detail>`. */
function problemsOf(json: JsonObject): string[] {
  return MCP_SEC_5.evaluate(new SynthesizedStack(json))
    .filter((e) => e.status !== 'compliant')
    .map((e) => `${e.address}: ${e.detail}`);
}

function problems(stack: TerraformStack): string[] {
  return problemsOf(rawJson(stack));
}

/** A compliant stack: a sensitive secret variable flowing by reference into write-only secret data. */
function compliantStack(): TerraformStack {
  const stack = newStack();
  const token = new TerraformVariable(stack, 'tunnel_token', { type: 'string', sensitive: true });
  new SecretV1(stack, 'Secret', {
    metadata: { name: 'tunnel', namespace: 'mcp-acme' },
    dataWo: { token: token.stringValue },
    dataWoRevision: 1,
  });
  new LogpushJob(stack, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://bucket/path', dataset: 'access_requests' });
  new TerraformOutput(stack, 'token_out', { value: token.stringValue, sensitive: true });
  new TerraformOutput(stack, 'connect_command', { value: 'cloudflared access tcp --hostname acme.example.com' });
  return stack;
}

/** A stack with providers, a backend, locals and a module, all credential-free. */
function everyBlock(): JsonObject {
  return {
    terraform: {
      backend: { s3: { bucket: 'state', key: 'mcp.tfstate', region: 'eu-west-1', encrypt: true } },
    },
    provider: {
      vault: [{ address: 'https://vault.example.com:8200' }],
      okta: [{ org_name: 'example', base_url: 'okta.com', api_token: '${var.okta_api_token}' }],
      kubernetes: [{ host: 'https://k8s.example.com', alias: 'prod' }],
    },
    variable: { okta_api_token: { type: 'string', sensitive: true } },
    locals: { region: 'eu-west-1', tags: { team: 'platform' } },
    module: { net: { source: './net', cidr: '10.0.0.0/16' } },
  };
}

describe('MCP-SEC-5', () => {
  test('compliant: secrets only by reference; secret variables and outputs sensitive', () => {
    const stack = compliantStack();
    const evaluations = MCP_SEC_5.evaluate(new SynthesizedStack(rawJson(stack)));
    expect(evaluations.length).toBeGreaterThanOrEqual(4);
    expect(problems(stack)).toEqual([]);
  });

  test('compliant: every block of a stack without credentials', () => {
    const evaluations = MCP_SEC_5.evaluate(new SynthesizedStack(everyBlock()));
    expect(evaluations.map((e) => e.address)).toEqual([
      'var.okta_api_token',
      'provider.vault',
      'provider.okta',
      'provider.kubernetes.prod',
      'terraform.backend.s3',
      'local.region',
      'local.tags',
      'module.net',
    ]);
    expect(problemsOf(everyBlock())).toEqual([]);
  });

  test('compliant: the secrets layer of three tenants, with a human login', () => {
    const { json } = secretsStack(['acme', 'globex', 'initech'], {
      humanLogin: { issuer: 'https://example.okta.com/oauth2/ausvault', audience: 'https://vault.example.com' },
    });
    expect(problemsOf(json)).toEqual([]);
  });

  test('non-compliant: a literal in Kubernetes secret data', () => {
    const stack = newStack();
    new SecretV1(stack, 'Secret', { metadata: { name: 'tunnel' }, dataWo: { token: 'abc123' }, dataWoRevision: 1 });
    expect(problems(stack)).toEqual(['kubernetes_secret_v1.Secret: data_wo.token is a literal in secret data']);
  });

  test('non-compliant: a literal credential in a secret-named attribute (escape hatch)', () => {
    const stack = newStack();
    new LogpushJob(stack, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://b/p' }).addOverride(
      'client_secret',
      'swordfish-swordfish',
    );
    expect(problems(stack)).toEqual(['cloudflare_logpush_job.Job: client_secret is a literal credential']);
  });

  test.each([
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE...', 'a PEM private key'],
    ['key AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['hvs.CAESIJ0123456789abcdefghijklmnopqrstuvwxyz', 'a Vault token'],
    ['00' + 'a'.repeat(40), 'an Okta API token'],
    ['postgres://terraform:hunter2@db.example.com/state', 'a URL with a password'],
  ])('non-compliant: a known credential format anywhere (%s)', (value, kind) => {
    const stack = newStack();
    new LogpushJob(stack, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://b/p', name: value });
    expect(problems(stack)).toEqual([`cloudflare_logpush_job.Job: name holds ${kind}`]);
  });

  describe('every block', () => {
    test.each<[string, (json: JsonObject) => void, string]>([
      [
        'a Vault token in the vault provider',
        (j) =>
          ((j.provider as Record<string, JsonObject[]>).vault[0].token =
            'hvs.CAESIJ0123456789abcdefghijklmnopqrstuvwxyz'),
        'provider.vault: token holds a Vault token',
      ],
      [
        'a password in the kubernetes provider',
        (j) => ((j.provider as Record<string, JsonObject[]>).kubernetes[0].password = 'hunter2'),
        'provider.kubernetes.prod: password is a literal credential',
      ],
      [
        'an API token in the okta provider',
        (j) => ((j.provider as Record<string, JsonObject[]>).okta[0].api_token = 'not-a-known-shape'),
        'provider.okta: api_token is a literal credential',
      ],
      [
        'a private key in the okta provider',
        (j) => ((j.provider as Record<string, JsonObject[]>).okta[0].private_key = '-----BEGIN PRIVATE KEY-----\nMII'),
        'provider.okta: private_key holds a PEM private key',
      ],
      [
        'a client key in the kubernetes provider',
        (j) => ((j.provider as Record<string, JsonObject[]>).kubernetes[0].client_key = 'base64data'),
        'provider.kubernetes.prod: client_key is a literal credential',
      ],
      [
        'auth_login parameters in the vault provider',
        (j) =>
          ((j.provider as Record<string, JsonObject[]>).vault[0].auth_login = [
            { path: 'auth/userpass/login/ci', parameters: { password: 'hunter2' } },
          ]),
        'provider.vault: auth_login[0].parameters.password is a literal credential',
      ],
      [
        'an access key in the s3 backend',
        (j) =>
          (((j.terraform as JsonObject).backend as Record<string, JsonObject>).s3.access_key = 'AKIAIOSFODNN7EXAMPLE'),
        'terraform.backend.s3: access_key holds an AWS access key id',
      ],
      [
        'a secret key in the s3 backend',
        (j) =>
          (((j.terraform as JsonObject).backend as Record<string, JsonObject>).s3.secret_key = 'wJalrXUtnFEMI/K7MDENG'),
        'terraform.backend.s3: secret_key is a literal credential',
      ],
      [
        'an API token in the remote backend',
        (j) => ((j.terraform as JsonObject).backend = { remote: { organization: 'acme', token: 'abc.atlasv1.xyz' } }),
        'terraform.backend.remote: token is a literal credential',
      ],
      [
        'a SAS token in the azurerm backend',
        (j) =>
          ((j.terraform as JsonObject).backend = {
            azurerm: { container_name: 'tfstate', sas_token: 'sv=2022&sig=x' },
          }),
        'terraform.backend.azurerm: sas_token is a literal credential',
      ],
      [
        'a client secret in the azurerm backend',
        (j) => ((j.terraform as JsonObject).backend = { azurerm: { client_secret: 'abc~def' } }),
        'terraform.backend.azurerm: client_secret is a literal credential',
      ],
      [
        'a password in the http backend',
        (j) =>
          ((j.terraform as JsonObject).backend = { http: { address: 'https://state.example.com', password: 'x1' } }),
        'terraform.backend.http: password is a literal credential',
      ],
      [
        'a connection string with a password in the pg backend',
        (j) => ((j.terraform as JsonObject).backend = { pg: { conn_str: 'postgres://tf:pw@db/state' } }),
        'terraform.backend.pg: conn_str holds a URL with a password',
      ],
      [
        'a token in the cloud block',
        (j) => ((j.terraform as JsonObject).cloud = { organization: 'acme', token: 'abc.atlasv1.xyz' }),
        'terraform.cloud: token is a literal credential',
      ],
      [
        'a credential in a local',
        (j) => ((j.locals as JsonObject).db_password = 'hunter2'),
        'local.db_password: db_password is a literal credential',
      ],
      [
        'a credential nested in a local',
        (j) => ((j.locals as JsonObject).tags = { team: 'platform', api_key: 'k-123' }),
        'local.tags: tags.api_key is a literal credential',
      ],
      [
        'a token shape in a local',
        (j) => ((j.locals as JsonObject).slack = 'xoxb-1234567890-abcdefghij'),
        'local.slack: slack holds a Slack token',
      ],
      [
        'a credential in a module input',
        (j) => (((j.module as JsonObject).net as JsonObject).admin_password = 'hunter2'),
        'module.net: admin_password is a literal credential',
      ],
      [
        'a credential in a variable default object',
        (j) => ((j.variable as JsonObject).settings = { type: 'object', default: { url: 'x', client_secret: 'abc' } }),
        'var.settings: default.client_secret is a literal credential',
      ],
      [
        'a token shape in a variable default',
        (j) => ((j.variable as JsonObject).gh = { type: 'string', default: 'ghp_' + 'a'.repeat(36) }),
        'var.gh: default holds a GitHub token',
      ],
    ])('non-compliant: %s', (_name, edit, finding) => {
      const json = everyBlock();
      edit(json);
      expect(problemsOf(json)).toEqual([finding]);
    });

    test('non-compliant: a variable used as a credential that is not sensitive', () => {
      const json = everyBlock();
      (json.variable as Record<string, JsonObject>).okta_api_token = { type: 'string' };
      (json.variable as Record<string, JsonObject>).k8s = { type: 'string' };
      ((json.provider as Record<string, JsonObject[]>).kubernetes[0] as JsonObject).token = '${var.k8s}';
      expect(problemsOf(json)).toEqual([
        'var.okta_api_token: a secret variable is not sensitive',
        'var.k8s: it is used as a credential (provider.kubernetes.prod token) but is not sensitive',
      ]);
    });

    test('a reference in a provider or backend credential is compliant', () => {
      const json = everyBlock();
      (json.terraform as JsonObject).backend = { remote: { organization: 'acme', token: '${var.okta_api_token}' } };
      expect(problemsOf(json)).toEqual([]);
    });
  });

  test('non-compliant: a secret variable that is not sensitive, or has a default', () => {
    const stack = newStack();
    new TerraformVariable(stack, 'okta_api_token', { type: 'string' });
    new TerraformVariable(stack, 'webhook_secret', { type: 'string', sensitive: true, default: 'changeme' });
    expect(problems(stack)).toEqual([
      'var.okta_api_token: a secret variable is not sensitive',
      'var.webhook_secret: a secret variable has a default value',
    ]);
  });

  test('non-compliant: an output carrying a sensitive variable, a secret attribute or a state secret is not sensitive', () => {
    const stack = newStack();
    const v = new TerraformVariable(stack, 'r2_credential', { type: 'string', sensitive: true });
    new TerraformOutput(stack, 'leak', { value: v.stringValue });
    const secret = new SecretV1(stack, 'Secret', {
      metadata: { name: 's' },
      dataWo: { k: v.stringValue },
      dataWoRevision: 1,
    });
    new TerraformOutput(stack, 'leak2', { value: `${secret.metadata.name}` });
    new TerraformOutput(stack, 'client_secret', { value: 'x' });
    new TerraformOutput(stack, 'writer', { value: '${cloudflare_account_token.writer.value}' });
    new TerraformOutput(stack, 'tunnel', { value: '${data.cloudflare_zero_trust_tunnel_cloudflared_token.t.token}' });
    expect(problems(stack)).toEqual([
      'output.leak: it carries sensitive var.r2_credential without being sensitive',
      'output.client_secret: a secret output is not sensitive; value is a literal credential',
      'output.writer: it carries the secret cloudflare_account_token.writer.value without being sensitive',
      'output.tunnel: it carries the secret attribute token without being sensitive; it carries the secret data.cloudflare_zero_trust_tunnel_cloudflared_token.t.token without being sensitive',
    ]);
  });

  test('configuration attributes that mention tokens or keys are not credentials', () => {
    for (const name of [
      'token_endpoint_auth_method',
      'token_ttl',
      'refresh_token_rotation',
      'token_type',
      'token_policies',
      'kms_key_id',
      'kms_encryption_key',
      'private_key_id',
      'access_key_id',
    ]) {
      expect([name, isSecretName(name)]).toEqual([name, false]);
    }
    for (const name of [
      'client_secret',
      'token',
      'api_token',
      'password',
      'secret_access_key',
      'private_key',
      'access_key',
      'secret_key',
      'sas_token',
      'client_key',
      'encryption_key',
      'http_auth',
    ]) {
      expect([name, isSecretName(name)]).toEqual([name, true]);
    }
  });

  test('a credential repeated in many resources and stacks is found in every one (strings are searched once, judged every time)', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----';
    const json = {
      resource: {
        null_resource: Object.fromEntries(['a', 'b', 'c'].map((n) => [n, { triggers: { note: pem } }])),
      },
    } as JsonObject;
    const expected = ['a', 'b', 'c'].map((n) => `null_resource.${n}: triggers.note holds a PEM private key`);
    expect(problemsOf(json)).toEqual(expected);
    // The same strings again, in another stack: the same verdicts.
    expect(problemsOf(JSON.parse(JSON.stringify(json)) as JsonObject)).toEqual(expected);
    expect(literalSecretKind(pem)).toBe('a PEM private key');
    expect(literalSecretKind(pem)).toBe('a PEM private key');
  });

  test('strings that only look close to a credential are not one', () => {
    for (const text of [
      'http://127.0.0.1:7700,http://localhost:7700',
      'ghcr.io/x/mcp@sha256:abc',
      'https://a.b/c?d=e',
    ]) {
      expect([text, literalSecretKind(text)]).toEqual([text, undefined]);
    }
  });

  test('a reference in a secret attribute is compliant', () => {
    const stack = newStack();
    const v = new TerraformVariable(stack, 'client_secret', { type: 'string', sensitive: true });
    new LogpushJob(stack, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://b/p' }).addOverride(
      'client_secret',
      v.stringValue,
    );
    expect(problems(stack)).toEqual([]);
  });

  test('never undecided: a credential that is an expression is a reference, the safe shape', () => {
    const json = everyBlock();
    ((json.provider as Record<string, JsonObject[]>).vault[0] as JsonObject).token = '${file("/run/vault-token")}';
    const evaluations = MCP_SEC_5.evaluate(new SynthesizedStack(json));
    expect(evaluations.filter((e) => e.status === 'undecided')).toEqual([]);
    expect(problemsOf(json)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(MCP_SEC_5.evaluate(new SynthesizedStack({} as JsonObject))).toEqual([]);
  });
  describe('where a variable is used as a credential', () => {
    test.each<[string, (json: JsonObject) => void, string]>([
      [
        'the cloud block',
        (j) => ((j.terraform as JsonObject).cloud = { organization: 'acme', token: '${var.login}' }),
        'terraform.cloud token',
      ],
      ['a local', (j) => ((j.locals as JsonObject).db_password = '${var.login}'), 'local.db_password db_password'],
      [
        'a module input',
        (j) => (((j.module as JsonObject).net as JsonObject).admin_password = '${var.login}'),
        'module.net admin_password',
      ],
      [
        'a resource',
        (j) => (j.resource = { null_resource: { seed: { triggers: { client_secret: 'x-${var.login}' } } } }),
        'null_resource.seed triggers.client_secret',
      ],
    ])('non-compliant: a plain variable used as a credential in %s is named with where it is used', (_n, edit, use) => {
      const json = everyBlock();
      (json.variable as JsonObject).login = { type: 'string' };
      edit(json);
      expect(problemsOf(json)).toEqual([`var.login: it is used as a credential (${use}) but is not sensitive`]);
    });

    test('the first use is the one named (providers, then the terraform block)', () => {
      const json = everyBlock();
      (json.variable as JsonObject).k8s = { type: 'string' };
      ((json.provider as Record<string, JsonObject[]>).kubernetes[0] as JsonObject).token = '${var.k8s}';
      (json.terraform as JsonObject).backend = { remote: { organization: 'acme', token: '${var.k8s}' } };
      expect(problemsOf(json)).toEqual([
        'var.k8s: it is used as a credential (provider.kubernetes.prod token) but is not sensitive',
      ]);
    });

    test('the first use is the one named (resources in order)', () => {
      const json: JsonObject = {
        variable: { app: { type: 'string' } },
        resource: {
          null_resource: {
            a: { triggers: { client_secret: '${var.app}' } },
            b: { triggers: { api_key: '${var.app}' } },
          },
        },
      };
      expect(problemsOf(json)).toEqual([
        'var.app: it is used as a credential (null_resource.a triggers.client_secret) but is not sensitive',
      ]);
    });

    test('compliant: a plain variable referenced by attributes that hold no credential', () => {
      const json = everyBlock();
      (json.variable as JsonObject).vault_addr = { type: 'string' };
      ((json.provider as Record<string, JsonObject[]>).vault[0] as JsonObject).address = '${var.vault_addr}';
      json.resource = { null_resource: { seed: { triggers: { name: 'seed-${var.vault_addr}' } } } };
      const evaluations = MCP_SEC_5.evaluate(new SynthesizedStack(json));
      expect(evaluations.find((e) => e.address === 'var.vault_addr')).toEqual({
        address: 'var.vault_addr',
        status: 'compliant',
      });
      expect(problemsOf(json)).toEqual([]);
    });

    test('compliant: a plain variable carried by an output that is not sensitive', () => {
      const json = everyBlock();
      (json.variable as JsonObject).region = { type: 'string' };
      json.output = { region: { value: '${var.region}' } };
      expect(problemsOf(json)).toEqual([]);
    });

    test('compliant: a sensitive output named like a secret that carries a sensitive variable', () => {
      const json = everyBlock();
      json.output = { client_secret: { value: '${var.okta_api_token}', sensitive: true } };
      const evaluations = MCP_SEC_5.evaluate(new SynthesizedStack(json));
      expect(evaluations.find((e) => e.address === 'output.client_secret')).toEqual({
        address: 'output.client_secret',
        status: 'compliant',
      });
      expect(problemsOf(json)).toEqual([]);
    });
  });

  test('compliant: an empty credential is no credential (provider and resource)', () => {
    const json = everyBlock();
    ((json.provider as Record<string, JsonObject[]>).kubernetes[0] as JsonObject).password = '';
    json.resource = { null_resource: { seed: { triggers: { password: '' } } } };
    expect(problemsOf(json)).toEqual([]);
  });

  test('compliant: a secret variable whose default is null (no default)', () => {
    const json = everyBlock();
    (json.variable as JsonObject).db_password = { type: 'string', sensitive: true, default: null };
    expect(problemsOf(json)).toEqual([]);
  });

  test('compliant: an output whose literal text mentions a secret attribute', () => {
    const json = everyBlock();
    json.output = { hint: { value: 'set auth.token in config.yaml, or cloudflare_account_token.writer.value ' } };
    expect(problemsOf(json)).toEqual([]);
  });

  test('several unaliased instances of a provider are told apart by position', () => {
    const json = everyBlock();
    (json.provider as Record<string, JsonObject[]>).kubernetes = [
      { host: 'https://a.example.com' },
      { host: 'https://b.example.com', password: 'hunter2' },
    ];
    expect(MCP_SEC_5.evaluate(new SynthesizedStack(json)).map((e) => e.address)).toEqual([
      'var.okta_api_token',
      'provider.vault',
      'provider.okta',
      'provider.kubernetes',
      'provider.kubernetes[1]',
      'terraform.backend.s3',
      'local.region',
      'local.tags',
      'module.net',
    ]);
    expect(problemsOf(json)).toEqual(['provider.kubernetes[1]: password is a literal credential']);
  });

  test('a provider entry written as an expression is no block of its own; its variable default is judged', () => {
    const json = everyBlock();
    (json.provider as Record<string, unknown[]>).vault = ['${var.vault_config}', { address: 'https://v.example.com' }];
    (json.variable as JsonObject).vault_config = {
      type: 'any',
      default: { token: 'hvs.CAESIJ0123456789abcdefghijklmnopqrstuvwxyz' },
    };
    const evaluations = MCP_SEC_5.evaluate(new SynthesizedStack(json));
    expect(evaluations.filter((e) => e.address.startsWith('provider.vault'))).toEqual([
      { address: 'provider.vault', status: 'compliant' },
    ]);
    expect(problemsOf(json)).toEqual(['var.vault_config: default.token holds a Vault token']);
  });

  test('the shortest credential shape is found (a://b:c@, 8 characters)', () => {
    const json = everyBlock();
    (json.locals as JsonObject).mirror = 'a://b:c@';
    expect(problemsOf(json)).toEqual(['local.mirror: mirror holds a URL with a password']);
  });

  test('compliant: a URL whose user and password are both references', () => {
    const json = everyBlock();
    (json.locals as JsonObject).dsn = 'https://${var.user}:${var.password}@db.example.com/app';
    expect(problemsOf(json)).toEqual([]);
  });

  describe('state secrets (what MCP-SEC-7 counts)', () => {
    test('a tunnel secret, a token reviewer JWT or secret data is kept in state only when set', () => {
      const json: JsonObject = {
        resource: {
          cloudflare_zero_trust_tunnel_cloudflared: {
            nulled: { name: 't1', tunnel_secret: null },
            emptied: { name: 't2', tunnel_secret: '' },
            set: { name: 't3', tunnel_secret: '${var.tunnel_secret}' },
          },
          vault_kubernetes_auth_backend_config: {
            nulled: { kubernetes_host: 'https://k8s', token_reviewer_jwt: null },
            emptied: { kubernetes_host: 'https://k8s', token_reviewer_jwt: '' },
          },
          kubernetes_secret_v1: { wo: { metadata: [{ name: 's' }], data_wo: { k: '${var.k}' } } },
        },
      };
      expect(stateSecretsOf(new SynthesizedStack(json))).toEqual([
        { address: 'cloudflare_zero_trust_tunnel_cloudflared.set.tunnel_secret', what: 'a tunnel secret' },
      ]);
    });
  });

  describe('credentials the rule used to let through', () => {
    test.each<[string, string, string]>([
      [
        'a password',
        'git::https://deploy:hunter2@git.example.com/net.git',
        'module.net: source holds a URL with a password',
      ],
      [
        'a GitHub token',
        'git::https://x-access-token:ghp_' + 'a'.repeat(36) + '@github.com/acme/net.git',
        'module.net: source holds a GitHub token',
      ],
    ])(
      'non-compliant: a module source URL with %s (a module source is committed like any input)',
      (_n, source, finding) => {
        const json = everyBlock();
        ((json.module as JsonObject).net as JsonObject).source = source;
        expect(problemsOf(json)).toEqual([finding]);
      },
    );

    test('compliant: module meta arguments without credentials are not judged as inputs', () => {
      const json = everyBlock();
      (json.module as JsonObject).net = {
        source: 'git::https://git.example.com/net.git?ref=v1.2.0',
        version: '1.2.0',
        providers: { vault: 'vault.token' },
        depends_on: ['null_resource.client_secret'],
        for_each: '${var.nets}',
        cidr: '10.0.0.0/16',
      };
      expect(problemsOf(json)).toEqual([]);
    });

    test.each<[string, (json: JsonObject) => void, string]>([
      [
        'a connection string with a password and a referenced host',
        (j) =>
          (j.resource = { null_resource: { app: { triggers: { dsn: 'postgres://app:hunter2@${var.db_host}/app' } } } }),
        'null_resource.app: triggers.dsn holds a URL with a password',
      ],
      [
        'a bearer credential in a command with a referenced URL',
        (j) =>
          ((j.locals as JsonObject).probe =
            "curl -H 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345' ${var.url}"),
        'local.probe: probe holds a bearer credential',
      ],
      [
        'an AWS access key id next to a reference',
        (j) => ((j.variable as JsonObject).keys = { type: 'string', default: '${var.prefix}:AKIAIOSFODNN7EXAMPLE' }),
        'var.keys: default holds an AWS access key id',
      ],
    ])('non-compliant: %s (a reference elsewhere in the string hides nothing)', (_n, edit, finding) => {
      const json = everyBlock();
      edit(json);
      expect(problemsOf(json)).toEqual([finding]);
    });
  });
});
