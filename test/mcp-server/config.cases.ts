import { isLoopbackIp, parseServerConfig } from '../../examples/mcp-server/src/config';
import { CONTRACT_ENV } from './fixtures';

const problems = (env: Record<string, string | undefined>) => parseServerConfig(env).problems;

describe('the server configuration', () => {
  test('the contract alone configures the server', () => {
    const result = parseServerConfig(CONTRACT_ENV);
    expect(result.problems).toEqual([]);
    expect('config' in result && result.config).toEqual({
      bindAddress: '127.0.0.1',
      port: 8080,
      tenantId: 'acme',
      tenantClaim: 'tid',
      issuer: 'https://example.okta.com/oauth2/aus1acme',
      audience: 'https://acme.mcp.example.com/mcp',
      resourceUrl: 'http://127.0.0.1:7700/mcp',
      allowedOrigins: ['http://127.0.0.1:7700', 'http://localhost:7700'],
      vault: {
        address: 'https://vault.example.com:8200',
        role: 'mcp-acme',
        authPath: 'kubernetes',
        tokenPath: '/var/run/secrets/vault/token',
        kvMount: 'tenants/acme/kv',
      },
      auditLogPath: '/var/run/mcp-audit/audit.jsonl',
      useScope: 'mcp:acme:use',
      adminScope: 'mcp:acme:admin',
    });
  });

  test('every missing variable is named, in the order of the contract', () => {
    expect(problems({})).toEqual([
      'MCP_BIND_ADDRESS is required',
      'MCP_PORT is required',
      'MCP_TENANT_ID is required',
      'MCP_TENANT_CLAIM is required',
      'MCP_OAUTH_ISSUER is required',
      'MCP_OAUTH_AUDIENCE is required',
      'MCP_RESOURCE_URL is required',
      'MCP_ALLOWED_ORIGINS is required',
      'VAULT_ADDR is required',
      'VAULT_ROLE is required',
      'VAULT_AUTH_PATH is required',
      'VAULT_TOKEN_PATH is required',
      'MCP_AUDIT_LOG_PATH is required',
    ]);
    expect(problems({ ...CONTRACT_ENV, VAULT_ROLE: '  ' })).toEqual(['VAULT_ROLE is required']);
  });

  test.each([
    ['0.0.0.0', "MCP_BIND_ADDRESS must be a loopback IP address (127.0.0.1 or ::1), but '0.0.0.0' was provided"],
    ['::', "MCP_BIND_ADDRESS must be a loopback IP address (127.0.0.1 or ::1), but '::' was provided"],
    ['10.0.0.7', "MCP_BIND_ADDRESS must be a loopback IP address (127.0.0.1 or ::1), but '10.0.0.7' was provided"],
    ['localhost', "MCP_BIND_ADDRESS must be a loopback IP address (127.0.0.1 or ::1), but 'localhost' was provided"],
  ])('a bind address %s is refused', (address, message) => {
    expect(problems({ ...CONTRACT_ENV, MCP_BIND_ADDRESS: address })).toEqual([message]);
  });

  test('loopback bind addresses: 127.0.0.0/8 and ::1, as IP literals', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1'].map(isLoopbackIp)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '::ffff:127.0.0.1', '128.0.0.1', 'localhost'].map(isLoopbackIp)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  test.each([
    ['MCP_PORT', '0', "MCP_PORT must be an integer between 1 and 65535, but '0' was provided"],
    ['MCP_PORT', '8080a', "MCP_PORT must be an integer between 1 and 65535, but '8080a' was provided"],
    ['MCP_PORT', '65536', "MCP_PORT must be an integer between 1 and 65535, but '65536' was provided"],
    [
      'MCP_TENANT_ID',
      'Acme',
      "MCP_TENANT_ID must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'Acme' was provided",
    ],
    [
      'MCP_TENANT_CLAIM',
      'a b',
      "MCP_TENANT_CLAIM must be a claim name (letters, digits, _ . : -), but 'a b' was provided",
    ],
    [
      'MCP_OAUTH_ISSUER',
      'http://example.okta.com/oauth2/aus1',
      "MCP_OAUTH_ISSUER must be an https URL without query or fragment (http only on a loopback host), but 'http://example.okta.com/oauth2/aus1' was provided",
    ],
    [
      'MCP_OAUTH_ISSUER',
      '${okta_auth_server.x.issuer}',
      "MCP_OAUTH_ISSUER must be an https URL without query or fragment (http only on a loopback host), but '${okta_auth_server.x.issuer}' was provided",
    ],
    [
      'MCP_OAUTH_ISSUER',
      'https://example.okta.com/oauth2/aus1?x=1',
      "MCP_OAUTH_ISSUER must be an https URL without query or fragment (http only on a loopback host), but 'https://example.okta.com/oauth2/aus1?x=1' was provided",
    ],
    [
      'MCP_OAUTH_AUDIENCE',
      'two words',
      "MCP_OAUTH_AUDIENCE must be one audience without spaces, but 'two words' was provided",
    ],
    [
      'MCP_RESOURCE_URL',
      'http://10.0.0.1:7700/mcp',
      "MCP_RESOURCE_URL must be an https URL without query or fragment (http only on a loopback host), but 'http://10.0.0.1:7700/mcp' was provided",
    ],
    [
      'MCP_ALLOWED_ORIGINS',
      'http://127.0.0.1:7700/mcp',
      "MCP_ALLOWED_ORIGINS must be a comma-separated list of origins (scheme://host[:port]), but 'http://127.0.0.1:7700/mcp' was provided",
    ],
    [
      'VAULT_ADDR',
      'http://vault.example.com:8200',
      "VAULT_ADDR must be an https URL (http only on a loopback host), but 'http://vault.example.com:8200' was provided",
    ],
    ['VAULT_ROLE', '-x', "VAULT_ROLE must be a Vault role name, but '-x' was provided"],
    [
      'VAULT_AUTH_PATH',
      'kubernetes/../sys',
      "VAULT_AUTH_PATH must be a Vault path (segments of letters, digits, _ . -), but 'kubernetes/../sys' was provided",
    ],
    ['VAULT_TOKEN_PATH', 'token', "VAULT_TOKEN_PATH must be an absolute path, but 'token' was provided"],
    [
      'MCP_AUDIT_LOG_PATH',
      'audit.jsonl',
      "MCP_AUDIT_LOG_PATH must be an absolute file path, but 'audit.jsonl' was provided",
    ],
    [
      'VAULT_KV_MOUNT',
      'tenants/globex/kv',
      "VAULT_KV_MOUNT must be a Vault path under tenants/acme/, but 'tenants/globex/kv' was provided",
    ],
  ])('%s=%s is refused with its rule', (name, value, message) => {
    expect(problems({ ...CONTRACT_ENV, [name]: value })).toEqual([message]);
  });

  test('http is accepted only on loopback hosts (a local issuer or Vault)', () => {
    const local = {
      ...CONTRACT_ENV,
      MCP_OAUTH_ISSUER: 'http://127.0.0.1:9000/oauth2/aus1',
      VAULT_ADDR: 'http://localhost:8200/',
    };
    const result = parseServerConfig(local);
    expect(result.problems).toEqual([]);
    expect('config' in result && result.config.vault.address).toBe('http://localhost:8200');
  });

  test('a value of many problems names them all at once', () => {
    expect(
      problems({ ...CONTRACT_ENV, MCP_BIND_ADDRESS: '0.0.0.0', MCP_PORT: 'x', MCP_TENANT_CLAIM: undefined }),
    ).toEqual([
      "MCP_BIND_ADDRESS must be a loopback IP address (127.0.0.1 or ::1), but '0.0.0.0' was provided",
      "MCP_PORT must be an integer between 1 and 65535, but 'x' was provided",
      'MCP_TENANT_CLAIM is required',
    ]);
  });
});
