/** Shared fixtures of the reference server's tests. */
import { parseServerConfig, type ServerConfig } from '../../examples/mcp-server/src/config';

/** The environment LoopbackMcpDeployment sets for tenant acme (README, "Environment contract"). */
export const CONTRACT_ENV: Record<string, string> = {
  MCP_BIND_ADDRESS: '127.0.0.1',
  MCP_PORT: '8080',
  MCP_TENANT_ID: 'acme',
  MCP_TENANT_CLAIM: 'tid',
  MCP_OAUTH_ISSUER: 'https://example.okta.com/oauth2/aus1acme',
  MCP_OAUTH_AUDIENCE: 'https://acme.mcp.example.com/mcp',
  MCP_RESOURCE_URL: 'http://127.0.0.1:7700/mcp',
  MCP_ALLOWED_ORIGINS: 'http://127.0.0.1:7700,http://localhost:7700',
  VAULT_ADDR: 'https://vault.example.com:8200',
  VAULT_ROLE: 'mcp-acme',
  VAULT_AUTH_PATH: 'kubernetes',
  VAULT_TOKEN_PATH: '/var/run/secrets/vault/token',
  MCP_AUDIT_LOG_PATH: '/var/run/mcp-audit/audit.jsonl',
};

/** The parsed configuration of {@link CONTRACT_ENV}, with `overrides` applied to the environment. */
export function contractConfig(overrides: Record<string, string> = {}): ServerConfig {
  const result = parseServerConfig({ ...CONTRACT_ENV, ...overrides });
  if (!('config' in result)) throw new Error(result.problems.join('; '));
  return result.config;
}
