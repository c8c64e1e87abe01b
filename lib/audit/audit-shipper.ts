/**
 * The audit shipper sidecar as a {@link PodAddon}: pure functions from typed options to the container,
 * volumes, config map and secret the ports layer adds to a tenant's MCP pod.
 */
import type {
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecContainerVolumeMount,
  DeploymentV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import {
  ALERT_WEBHOOK_SECRET_KEY,
  AUDIT_LOG_DIR,
  AUDIT_LOG_FILE,
  AUDIT_LOG_SIZE_LIMIT,
  AUDIT_SHIPPER_CONFIG_MAP_NAME,
  AUDIT_SHIPPER_CONTAINER_NAME,
  AUDIT_SHIPPER_SECRET_NAME,
  AUDIT_VOLUMES,
  MCP_AUDIT_LOG_PATH_ENV,
  R2_ACCESS_KEY_ID_ENV,
  R2_SECRET_ACCESS_KEY_ENV,
  SHIPPER_RESOURCES,
  SHIPPER_RUN_AS_USER,
  VECTOR_BINARY,
  VECTOR_CONFIG_DIR,
  VECTOR_CONFIG_FILE,
  VECTOR_DATA_DIR,
  VECTOR_DATA_SIZE_LIMIT,
  VECTOR_SECRETS_DIR,
} from '../core/audit-defaults';
import type { PodAddon } from '../core/refs';

/** Name of the addon (used in the ids of the resources the ports layer creates for it). */
export const AUDIT_ADDON_NAME = 'audit';

/** What the shipper needs, all decided by the construct. */
export interface AuditShipperOptions {
  /** Pinned Vector image. */
  readonly image: string;
  /** The rendered `vector.json`. */
  readonly configJson: string;
  /** R2 S3 keys, as references (never literals). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The alert webhook URL as a reference, when it travels through the secret backend. */
  readonly alertWebhookUrlReference?: string;
  /** Revision of the secret's write-only data. */
  readonly secretRevision: number;
}

/**
 * The exec probe command. The distroless image has no shell, no curl and no health subcommand, and
 * its API must stay off; so the probe runs the binary itself: `vector validate --no-environment`
 * proves that the binary starts and that the mounted config (and the secret it reads) parses and
 * forms a valid topology, offline. A crashed shipper is restarted by the kubelet anyway (its main
 * process exits); the probe catches a config map or secret that no longer loads.
 */
export function shipperProbeCommand(): string[] {
  return [VECTOR_BINARY, 'validate', '--no-environment', '--config-json', `${VECTOR_CONFIG_DIR}/${VECTOR_CONFIG_FILE}`];
}

/** The volumes the addon adds to the pod. */
export function shipperVolumes(withAlertSecret: boolean): DeploymentV1SpecTemplateSpecVolume[] {
  const volumes: DeploymentV1SpecTemplateSpecVolume[] = [
    // In memory: audit lines never touch the node's disk before they reach the bucket.
    { name: AUDIT_VOLUMES.log, emptyDir: { medium: 'Memory', sizeLimit: AUDIT_LOG_SIZE_LIMIT } },
    { name: AUDIT_VOLUMES.config, configMap: { name: AUDIT_SHIPPER_CONFIG_MAP_NAME } },
    { name: AUDIT_VOLUMES.data, emptyDir: { sizeLimit: VECTOR_DATA_SIZE_LIMIT } },
  ];
  if (withAlertSecret) {
    volumes.push({
      name: AUDIT_VOLUMES.secrets,
      // Only the webhook URL is mounted as a file; the R2 keys reach the shipper as environment only.
      secret: {
        secretName: AUDIT_SHIPPER_SECRET_NAME,
        items: [{ key: ALERT_WEBHOOK_SECRET_KEY, path: ALERT_WEBHOOK_SECRET_KEY }],
      },
    });
  }
  return volumes;
}

function secretEnv(name: string) {
  return { name, valueFrom: { secretKeyRef: { name: AUDIT_SHIPPER_SECRET_NAME, key: name } } };
}

/** The shipper container: restricted security context, pinned image, exec probes, requests and limits. */
export function shipperContainer(image: string, withAlertSecret: boolean): DeploymentV1SpecTemplateSpecContainer {
  const mounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[] = [
    { name: AUDIT_VOLUMES.config, mountPath: VECTOR_CONFIG_DIR, readOnly: true },
    { name: AUDIT_VOLUMES.log, mountPath: AUDIT_LOG_DIR, readOnly: true },
    { name: AUDIT_VOLUMES.data, mountPath: VECTOR_DATA_DIR },
  ];
  if (withAlertSecret) mounts.push({ name: AUDIT_VOLUMES.secrets, mountPath: VECTOR_SECRETS_DIR, readOnly: true });
  const probe = { exec: { command: shipperProbeCommand() }, timeoutSeconds: 10, failureThreshold: 3 };
  return {
    name: AUDIT_SHIPPER_CONTAINER_NAME,
    image,
    command: [VECTOR_BINARY],
    args: ['--config-json', `${VECTOR_CONFIG_DIR}/${VECTOR_CONFIG_FILE}`],
    env: [secretEnv(R2_ACCESS_KEY_ID_ENV), secretEnv(R2_SECRET_ACCESS_KEY_ENV)],
    securityContext: {
      runAsNonRoot: true,
      // The distroless image runs as root unless told otherwise.
      runAsUser: String(SHIPPER_RUN_AS_USER),
      runAsGroup: String(SHIPPER_RUN_AS_USER),
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: {
      requests: { ...SHIPPER_RESOURCES.requests },
      limits: { ...SHIPPER_RESOURCES.limits },
    },
    livenessProbe: { ...probe, periodSeconds: 60 },
    readinessProbe: { ...probe, periodSeconds: 30 },
    volumeMount: mounts,
  };
}

/** The whole addon for one tenant's pod. */
export function auditShipperAddon(options: AuditShipperOptions): PodAddon {
  const withAlertSecret = options.alertWebhookUrlReference !== undefined;
  const secretData: Record<string, string> = {
    [R2_ACCESS_KEY_ID_ENV]: options.accessKeyId,
    [R2_SECRET_ACCESS_KEY_ENV]: options.secretAccessKey,
  };
  if (options.alertWebhookUrlReference !== undefined) {
    secretData[ALERT_WEBHOOK_SECRET_KEY] = options.alertWebhookUrlReference;
  }
  return {
    name: AUDIT_ADDON_NAME,
    containers: [shipperContainer(options.image, withAlertSecret)],
    volumes: shipperVolumes(withAlertSecret),
    configMaps: { [AUDIT_SHIPPER_CONFIG_MAP_NAME]: { [VECTOR_CONFIG_FILE]: options.configJson } },
    secrets: { [AUDIT_SHIPPER_SECRET_NAME]: secretData },
    secretRevision: options.secretRevision,
    mcpEnv: { [MCP_AUDIT_LOG_PATH_ENV]: `${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}` },
    mcpVolumeMounts: [{ name: AUDIT_VOLUMES.log, mountPath: AUDIT_LOG_DIR }],
    // R2's S3 endpoint and the alert webhook are public HTTPS destinations.
    egressHttpsPublic: true,
  };
}
