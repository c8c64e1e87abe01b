import type { JsonObject } from '../../lib/model/stack';
import type { IConstruct, TerraformStack } from '../../lib/core/cdktf';
import { TenantVaultSecrets, type TenantVaultSecretsProps } from '../../lib/secrets/tenant-vault-secrets';
import { VaultAuditDevice } from '../../lib/secrets/vault-audit-device';
import { VaultKubernetesAuth } from '../../lib/secrets/vault-kubernetes-auth';
import { bodiesOf, newStack, rawJson } from '../helpers';

export const KUBERNETES_HOST = 'https://k8s.example.com:6443';

/** A human login through an authorization server dedicated to Vault, shared by tenants (groups claim). */
export const HUMAN_LOGIN = {
  issuer: 'https://example.okta.com/oauth2/ausvault',
  audience: 'https://vault.example.com',
} as const;

/** The tenant's Okta issuer and audience, as the identity layer hands them over. */
export function identityOf(tenantId: string): TenantVaultSecretsProps['identity'] {
  return {
    issuer: `https://example.okta.com/oauth2/aus${tenantId}`,
    audience: `https://${tenantId}.mcp.example.com/mcp`,
  };
}

/** Valid props for one tenant (workload names as literals, as a cell stack without the ports layer has them). */
export function mountProps(
  auth: VaultKubernetesAuth,
  tenantId = 'acme',
  overrides: Partial<TenantVaultSecretsProps> = {},
): TenantVaultSecretsProps {
  return {
    tenantId,
    identity: identityOf(tenantId),
    workload: { tenantId, namespace: `mcp-${tenantId}`, serviceAccountName: 'mcp-server' },
    kubernetesAuth: auth,
    ...overrides,
  };
}

/** A stack with the shared Kubernetes auth and audit device, and one TenantVaultSecrets per tenant (id = tenant id). */
export function secretsStack(
  tenants: readonly string[] = ['acme'],
  overrides: Partial<TenantVaultSecretsProps> = {},
): { stack: TerraformStack; auth: VaultKubernetesAuth; mounts: TenantVaultSecrets[]; json: JsonObject } {
  const stack = newStack();
  const auth = new VaultKubernetesAuth(stack, 'VaultKubernetesAuth', { kubernetesHost: KUBERNETES_HOST });
  new VaultAuditDevice(stack, 'VaultAudit');
  const mounts = tenants.map((t) => new TenantVaultSecrets(stack, t, mountProps(auth, t, overrides)));
  return { stack, auth, mounts, json: rawJson(stack) };
}

/** The construct path of a resource body. */
export function pathOf(body: JsonObject): string {
  return ((body['//'] as JsonObject).metadata as JsonObject).path as string;
}

/** The bodies of a type under one tenant's construct (`<stack>/<tenant>/...`). */
export function tenantBodies(json: JsonObject, type: string, tenantId: string): JsonObject[] {
  return bodiesOf(json, type).filter((b) => pathOf(b).split('/')[1] === tenantId);
}

/** The one body of a type under a construct path ending with `suffix`. */
export function at(json: JsonObject, type: string, suffix: string): JsonObject {
  const found = bodiesOf(json, type).filter((b) => pathOf(b).endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one ${type} at */${suffix}, found ${found.length}`);
  return found[0];
}

/** Messages of the warning annotations on a construct. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
}

/** The problems of a ValidationError thrown by `build`. */
export function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (e) {
    return (e as { problems?: readonly string[] }).problems ?? [String(e)];
  }
  throw new Error('expected a ValidationError');
}
