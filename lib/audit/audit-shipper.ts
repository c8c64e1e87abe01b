/**
 * The audit shipper sidecar as a {@link PodAddon}: pure functions from typed options to the container,
 * volumes, config map and secret the ports layer adds to a tenant's MCP pod.
 */
import type {
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecContainerEnv,
  DeploymentV1SpecTemplateSpecContainerVolumeMount,
  DeploymentV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import {
  AUDIT_LOG_DIR,
  AUDIT_LOG_FILE,
  AUDIT_LOG_SIZE_LIMIT,
  AUDIT_SHIPPER_CONFIG_MAP_NAME,
  AUDIT_SHIPPER_CONTAINER_NAME,
  AUDIT_SHIPPER_SECRET_NAME,
  AUDIT_VOLUMES,
  FLUENT_BIT_BINARY,
  FLUENT_BIT_CONFIG_DIR,
  FLUENT_BIT_CONFIG_FILE,
  FLUENT_BIT_DATA_DIR,
  MCP_AUDIT_LOG_PATH_ENV,
  SHIPPER_DATA_SIZE_LIMIT,
  SHIPPER_RESOURCES,
  SHIPPER_RUN_AS_USER,
} from '../core/audit-defaults';
import type { PodAddon } from '../core/refs';

/** Name of the addon (used in the ids of the resources the ports layer creates for it). */
export const AUDIT_ADDON_NAME = 'audit';

/**
 * How the shipper authenticates to its bucket: secret environment (R2 keys, the webhook's parts),
 * plain environment (an IAM role ARN), and volumes mounted into the shipper only (a projected
 * service-account token for AWS web identity).
 */
export interface ShipperCredentials {
  /** Environment variables read from the shipper's secret: name -> value (references, never literals). */
  readonly secretEnv: Readonly<Record<string, string>>;
  /** Plain environment variables (no secrets). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra volumes of the pod, mounted into the shipper only. */
  readonly volumes?: readonly DeploymentV1SpecTemplateSpecVolume[];
  readonly volumeMounts?: readonly DeploymentV1SpecTemplateSpecContainerVolumeMount[];
}

/** What the shipper needs, all decided by the construct. */
export interface AuditShipperOptions {
  /** Pinned Fluent Bit image. */
  readonly image: string;
  /** The rendered `fluent-bit.yaml`. */
  readonly configText: string;
  readonly credentials: ShipperCredentials;
  /** Revision of the secret's write-only data (a number, or a token that changes on each rotation). */
  readonly secretRevision: number;
}

/** The config file's path in the shipper. */
export const SHIPPER_CONFIG_PATH = `${FLUENT_BIT_CONFIG_DIR}/${FLUENT_BIT_CONFIG_FILE}`;

/**
 * The exec probe command. The production image is distroless: no shell and no curl, and the health
 * endpoint listens on loopback only, where kubelet HTTP probes (which target the pod IP) cannot reach.
 * So the probe runs the binary itself: `fluent-bit --dry-run -c <config>` proves that the binary starts
 * and that the mounted config (with the environment it reads) still loads, offline. A crashed shipper
 * is restarted by the kubelet anyway (its main process exits); a delivery failure is reported by the
 * delivery watchdog in the pipeline, which this probe cannot see.
 */
export function shipperProbeCommand(): string[] {
  return [FLUENT_BIT_BINARY, '--dry-run', '-c', SHIPPER_CONFIG_PATH];
}

/** The volumes the addon adds to the pod. */
export function shipperVolumes(credentials: ShipperCredentials): DeploymentV1SpecTemplateSpecVolume[] {
  return [
    // In memory: audit lines never touch the node's disk before they reach the shipper.
    { name: AUDIT_VOLUMES.log, emptyDir: { medium: 'Memory', sizeLimit: AUDIT_LOG_SIZE_LIMIT } },
    { name: AUDIT_VOLUMES.config, configMap: { name: AUDIT_SHIPPER_CONFIG_MAP_NAME } },
    // The buffer: larger than every Fluent Bit limit added up, so it is never overrun.
    { name: AUDIT_VOLUMES.data, emptyDir: { sizeLimit: SHIPPER_DATA_SIZE_LIMIT } },
    ...(credentials.volumes ?? []),
  ];
}

function secretEnv(name: string): DeploymentV1SpecTemplateSpecContainerEnv {
  return { name, valueFrom: { secretKeyRef: { name: AUDIT_SHIPPER_SECRET_NAME, key: name } } };
}

/** The shipper container: restricted security context, pinned image, exec probes, requests and limits. */
export function shipperContainer(
  image: string,
  credentials: ShipperCredentials,
): DeploymentV1SpecTemplateSpecContainer {
  const mounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[] = [
    { name: AUDIT_VOLUMES.config, mountPath: FLUENT_BIT_CONFIG_DIR, readOnly: true },
    { name: AUDIT_VOLUMES.log, mountPath: AUDIT_LOG_DIR, readOnly: true },
    { name: AUDIT_VOLUMES.data, mountPath: FLUENT_BIT_DATA_DIR },
    ...(credentials.volumeMounts ?? []),
  ];
  const env: DeploymentV1SpecTemplateSpecContainerEnv[] = [
    ...Object.keys(credentials.secretEnv).map(secretEnv),
    ...Object.entries(credentials.env ?? {}).map(([name, value]) => ({ name, value })),
  ];
  const probe = { exec: { command: shipperProbeCommand() }, timeoutSeconds: 10, failureThreshold: 3 };
  return {
    name: AUDIT_SHIPPER_CONTAINER_NAME,
    image,
    command: [FLUENT_BIT_BINARY, '-c', SHIPPER_CONFIG_PATH],
    env,
    securityContext: {
      runAsNonRoot: true,
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
  const hasSecret = Object.keys(options.credentials.secretEnv).length > 0;
  return {
    name: AUDIT_ADDON_NAME,
    containers: [shipperContainer(options.image, options.credentials)],
    volumes: shipperVolumes(options.credentials),
    configMaps: { [AUDIT_SHIPPER_CONFIG_MAP_NAME]: { [FLUENT_BIT_CONFIG_FILE]: options.configText } },
    ...(hasSecret ? { secrets: { [AUDIT_SHIPPER_SECRET_NAME]: { ...options.credentials.secretEnv } } } : {}),
    secretRevision: options.secretRevision,
    mcpEnv: { [MCP_AUDIT_LOG_PATH_ENV]: `${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}` },
    mcpVolumeMounts: [{ name: AUDIT_VOLUMES.log, mountPath: AUDIT_LOG_DIR }],
    // The bucket's S3 endpoint (R2 or AWS), STS and the alert webhook are public HTTPS destinations.
    egressHttpsPublic: true,
  };
}
