import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type {
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { AccessRequestsAuditLog } from '../../lib/audit/access-requests-audit-log';
import { TenantAuditTrail, type TenantAuditTrailProps } from '../../lib/audit/tenant-audit-trail';
import { FLUENT_BIT_CONFIG_FILE } from '../../lib/core/audit-defaults';
import { Construct, type TerraformStack } from '../../lib/core/cdktf';
import { tenantNamespaceName } from '../../lib/core/naming';
import type { PodAddon } from '../../lib/core/refs';
import { recordTenantScope } from '../../lib/core/stack-metadata';
import type { JsonObject } from '../../lib/model/stack';
import { bodiesOf, newStack, withProviders } from '../helpers';

export const ACCOUNT = '0123456789abcdef0123456789abcdef';

/**
 * Creates the config maps and secrets of an addon in the tenant's namespace, as the ports layer does
 * (config map data as is, secret data through the write-only `data_wo`), so that tests and rules see
 * the synthesized resources.
 */
export function materializeAddon(scope: Construct, tenantId: string, addon: PodAddon): void {
  const namespace = tenantNamespaceName(tenantId);
  for (const [name, data] of Object.entries(addon.configMaps ?? {})) {
    new ConfigMapV1(scope, `${addon.name}-config-${name}`, { metadata: { name, namespace }, data: { ...data } });
  }
  for (const [name, data] of Object.entries(addon.secrets ?? {})) {
    new SecretV1(scope, `${addon.name}-secret-${name}`, {
      metadata: { name, namespace },
      dataWo: { ...data },
      dataWoRevision: addon.secretRevision ?? 1,
    });
  }
}

/** A tenant cell (recorded as the tenant's scope) holding its audit trail and the addon's resources. */
export function addTenant(
  stack: TerraformStack,
  tenantId: string,
  props: Partial<TenantAuditTrailProps> = {},
): TenantAuditTrail {
  const cell = new Construct(stack, tenantId);
  recordTenantScope(cell, tenantId);
  const trail = new TenantAuditTrail(cell, 'Audit', { tenantId, accountId: ACCOUNT, ...props });
  materializeAddon(cell, tenantId, trail.podAddon);
  return trail;
}

/** A stack with the account's Access request log and the given tenants' audit trails. */
export function auditStack(
  tenants: string[],
  props: Partial<TenantAuditTrailProps> = {},
): { stack: TerraformStack; trails: TenantAuditTrail[] } {
  const stack = withProviders(newStack());
  new AccessRequestsAuditLog(stack, 'Edge', { accountId: ACCOUNT });
  return { stack, trails: tenants.map((t) => addTenant(stack, t, props)) };
}

/** The parsed `fluent-bit.yaml` of every shipper config map in raw JSON, in resource order. */
export function shipperConfigs(json: JsonObject): JsonObject[] {
  return bodiesOf(json, 'kubernetes_config_map_v1').map(
    (b) => JSON.parse((b.data as Record<string, string>)[FLUENT_BIT_CONFIG_FILE]) as JsonObject,
  );
}

/** The plugins of a section of a parsed shipper config, by alias. */
export function pluginsOf(config: JsonObject, section: 'inputs' | 'filters' | 'outputs'): Record<string, JsonObject> {
  const list = (config.pipeline as Record<string, JsonObject[]>)[section];
  return Object.fromEntries(list.map((p) => [String(p.alias), p]));
}

/** A container struct of the cdktf bindings as a Kubernetes object (for kubernetes-models). */
export function toKubernetesContainer(c: DeploymentV1SpecTemplateSpecContainer): JsonObject {
  const sc = c.securityContext!;
  const probe = (p: typeof c.livenessProbe) => ({
    exec: { command: p!.exec!.command },
    periodSeconds: p!.periodSeconds,
    timeoutSeconds: p!.timeoutSeconds,
    failureThreshold: p!.failureThreshold,
  });
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    env: (c.env as { name: string; value?: string; valueFrom?: { secretKeyRef: JsonObject } }[]).map((e) =>
      e.valueFrom
        ? { name: e.name, valueFrom: { secretKeyRef: e.valueFrom.secretKeyRef } }
        : { name: e.name, value: e.value },
    ),
    securityContext: {
      runAsNonRoot: sc.runAsNonRoot,
      runAsUser: Number(sc.runAsUser),
      runAsGroup: Number(sc.runAsGroup),
      allowPrivilegeEscalation: sc.allowPrivilegeEscalation,
      privileged: sc.privileged,
      readOnlyRootFilesystem: sc.readOnlyRootFilesystem,
      capabilities: { drop: sc.capabilities!.drop },
      seccompProfile: { type: sc.seccompProfile!.type },
    },
    resources: c.resources,
    livenessProbe: probe(c.livenessProbe),
    readinessProbe: probe(c.readinessProbe),
    volumeMounts: c.volumeMount,
  };
}

/** A volume struct of the cdktf bindings as a Kubernetes object. */
export function toKubernetesVolume(v: DeploymentV1SpecTemplateSpecVolume): JsonObject {
  if (v.emptyDir) return { name: v.name, emptyDir: { ...v.emptyDir } };
  if (v.configMap) return { name: v.name, configMap: { name: v.configMap.name } };
  if (v.secret) return { name: v.name, secret: { secretName: v.secret.secretName, items: v.secret.items } };
  if (v.projected) {
    const [projected] = v.projected as unknown as { sources: { serviceAccountToken: JsonObject }[] }[];
    return {
      name: v.name,
      projected: { sources: projected.sources.map((s) => ({ serviceAccountToken: s.serviceAccountToken })) },
    };
  }
  throw new Error(`unexpected volume ${v.name}`);
}

/** Warning annotations added anywhere under `scope`. */
export function warningsOf(scope: Construct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
}
