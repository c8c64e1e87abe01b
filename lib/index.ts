// The public surface of cdktf-mcp-access, named one by one. Everything not exported here is
// internal and may change without notice.

// Secure defaults, names and the references through which the layers meet.
export {
  ACCESS_SESSION_MINUTES,
  ADMIN_REAUTH_ISO,
  ADMIN_REAUTH_MINUTES,
  AUDIT_RETENTION_DAYS,
  AUDIT_RETENTION_DAYS_MIN,
  BIND_ADDRESS,
  CLOUDFLARE_LIMITS,
  KEY_ROTATION_DAYS,
  KEY_ROTATION_SECONDS,
  LOCAL_PORT,
  LOOPBACK_HOSTS,
  TENANTS_PER_ACCOUNT,
  TOKEN_TTL_MINUTES,
  TOKEN_TTL_MINUTES_MIN,
  VAULT_TOKEN_AUDIENCE,
  VAULT_TOKEN_MAX_TTL_SECONDS,
  VAULT_TOKEN_TTL_SECONDS,
} from './core/defaults';
export {
  localMcpUrl,
  MCP_SERVICE_ACCOUNT_NAME,
  TENANT_CLAIM,
  tenantAdminGroupName,
  tenantAdminScope,
  tenantAudience,
  tenantHostname,
  tenantKvPath,
  tenantNamespaceName,
  tenantTransitPath,
  tenantUseScope,
  tenantUserGroupName,
  tenantVaultPrefix,
  tenantVaultRoleName,
} from './core/naming';
export type {
  AccessIdentityProviderRef,
  OktaClientsRef,
  OktaMcpClientsRef,
  PodAddon,
  TenantIdentityRef,
  TenantTransportRef,
  TenantWorkloadRef,
  VaultAuthRef,
} from './core/refs';
export type { TenantSpec } from './core/tenant';
export {
  ADMIN_AUTHENTICATORS,
  ADMIN_POSSESSION_CONSTRAINT,
  type AdminAuthenticator,
  SECURITY_KEY_AUTHENTICATION_METHODS,
  REFRESH_TOKEN_LIFETIME_MINUTES,
  REFRESH_TOKEN_WINDOW_MINUTES,
} from './core/identity-defaults';
export { ADMIN_ACCESS_AUTH_METHOD, OKTA_AMR } from './core/transport-defaults';
export type { HumanLoginTenantClaim } from './core/secrets-defaults';
export { ValidationError } from './core/validation';
export { AUDIT_OUTCOMES, AUDIT_RECORD_FIELDS } from './core/audit-defaults';
export {
  AUDIT_ACTOR_TYPES,
  AUDIT_RECORD_SCHEMA,
  type AuditActorType,
  type AuditOutcome,
  type AuditRecord,
  auditRecordProblems,
} from './core/audit-record';

// Layer 1: identity (Okta).
export { OktaMcpClients, type OktaMcpClientsProps } from './identity/okta-mcp-clients';
export { type ExistingTenantGroups, OktaMcpIdentity, type OktaMcpIdentityProps } from './identity/okta-mcp-identity';
export {
  OktaServiceAccount,
  type OktaServiceAccountProps,
  type OktaServiceAccountSpec,
  type ServiceAccountPublicJwk,
} from './identity/okta-service-account';
export {
  DecommissionedTenantIdentity,
  type DecommissionedTenantIdentityProps,
} from './identity/decommissioned-tenant-identity';

// Layer 2: transport (Cloudflare).
export { CloudflareAccessTunnel, type CloudflareAccessTunnelProps } from './transport/cloudflare-access-tunnel';
export {
  CloudflareOktaIdentityProvider,
  type CloudflareOktaIdentityProviderProps,
} from './transport/cloudflare-okta-identity-provider';
export {
  CloudflareTunnelHealthAlerts,
  type CloudflareTunnelHealthAlertsProps,
} from './transport/cloudflare-tunnel-health-alerts';
export {
  type AccessServiceTokenSpec,
  CloudflareServiceToken,
  type CloudflareServiceTokenProps,
} from './transport/cloudflare-service-token';

// Layer 3: ports (Kubernetes).
export type { ContainerResourceQuantities } from './core/ports-defaults';
export {
  LoopbackMcpDeployment,
  type LoopbackMcpDeploymentProps,
  type VaultConnection,
  type VaultEgress,
  type WorkloadResources,
} from './ports/loopback-mcp-deployment';

// Layer 4: secrets (Vault).
export {
  type TenantHumanLogin,
  TenantVaultMount,
  type TenantVaultMountProps,
  TenantVaultSecrets,
  type TenantVaultSecretsProps,
} from './secrets/tenant-vault-secrets';
export {
  VaultAuditDevice,
  type VaultAuditDeviceProps,
  type VaultFileAuditSettings,
  type VaultSocketAuditSettings,
  type VaultSyslogAuditSettings,
} from './secrets/vault-audit-device';
export { VaultKubernetesAuth, type VaultKubernetesAuthProps } from './secrets/vault-kubernetes-auth';
export {
  DecommissionedTenantSecrets,
  type DecommissionedTenantSecretsProps,
} from './secrets/decommissioned-tenant-secrets';

// Layer 5: audit.
export { AccessRequestsAuditLog, type AccessRequestsAuditLogProps } from './audit/access-requests-audit-log';
export { AppendOnlyAuditBucket, type AppendOnlyAuditBucketProps } from './audit/append-only-audit-bucket';
export type { AuditBackend, AuditStore, AuditStoreRequest, AuditWriter } from './audit/audit-backend';
export type { AuditRetentionSettings } from './audit/audit-props';
export type { ShipperCredentials } from './audit/audit-shipper';
export type {
  BucketAddress,
  FluentBitConfig,
  FluentBitPlugin,
  FluentBitProcessors,
  FluentBitProperties,
} from './audit/fluent-bit-config';
export { TenantAuditTrail, type TenantAuditTrailProps } from './audit/tenant-audit-trail';
export { DecommissionedTenantAudit, type DecommissionedTenantAuditProps } from './audit/decommissioned-tenant-audit';

// The pattern: all five layers in one statement, or a foundation and cells for a fleet.
export {
  type AuditSettings,
  type CloudflareSettings,
  DecommissionedMcpCell,
  type DecommissionedMcpCellProps,
  DEFAULT_KUBERNETES_HOST,
  DEFAULT_VAULT_ADDRESS,
  type OktaSettings,
  SecureMcpAccess,
  type SecureMcpAccessProps,
  SecureMcpCell,
  type SecureMcpCellProps,
  SecureMcpFoundation,
  type SecureMcpFoundationProps,
  type SecureMcpFoundationRef,
  type SecureMcpServiceAccount,
  type SecureMcpTenant,
  type VaultSettings,
  type WorkloadSettings,
} from './patterns/secure-mcp-access';

// Fleets: tenants across several Cloudflare accounts, placed once, in stacks planned one by one.
export {
  cellStackName,
  DEFAULT_CELL_SIZE,
  edgeCapacity,
  FleetPlacementError,
  parseLock,
  type Placement,
  placeFleet,
  readLock,
  renderLock,
} from './fleet/assignment';
export {
  FLEET_SCHEMA,
  type FleetDescription,
  FleetDescriptionError,
  type FleetEdge,
  type FleetEdgeLimits,
  type FleetServiceAccount,
  type FleetTenant,
  readFleetDescription,
  validateFleetDescription,
} from './fleet/description';
export {
  type FleetStackKind,
  type FleetSynthOptions,
  type FleetSynthResult,
  foundationStackName,
  oktaStackName,
  SHARED_STACK_NAME,
  synthesizeFleet,
} from './patterns/secure-mcp-fleet';

// Synthesize an app and print refusals plainly (no stack trace).
export { synthesize, type SynthesizeIo } from './patterns/synthesize';

// The rule pack, and the model of synthesized JSON it reads.
export { McpAccessChecks } from './checks/pack';
export {
  type CheckReport,
  type Finding,
  formatFinding,
  hasErrors,
  runChecks,
  type SuppressedFinding,
} from './checks/engine';
export {
  compliant,
  type Evaluation,
  nonCompliant,
  type Rule,
  type RuleLayer,
  type RuleLevel,
  undecided,
} from './checks/rule';
export { ALL_RULES } from './checks/rules';
export type { JsonObject } from './model/json';
export { accessAdmits } from './model/cloudflare';
export {
  type Resolved,
  type ResourceEntry,
  type StackMetadata,
  type StackSource,
  type StringLeaves,
  type SuppressionRecord,
  SynthesizedApp,
  SynthesizedStack,
} from './model/stack';

// The pull-request review.
export { buildReview, renderJson, renderMarkdown, type ReviewOptions } from './review';
export {
  type AttributeChange,
  type ChangeClass,
  type CommonPosture,
  type DataBearingChange,
  type DataBearingChangeKind,
  type DeviatingTenant,
  type FindingCounts,
  LAYER_TITLES,
  type ResourceChange,
  REVIEW_EXIT,
  REVIEW_LAYERS,
  type Review,
  type ReviewLayer,
  type ReviewTotals,
  type ScopeReview,
  type SettingChange,
  type SettingReading,
  type SettingValue,
  type StackChanges,
  type StackReview,
  type TenantChanges,
  type TenantScopeChange,
  type TypeChangeCount,
  type UnchangedStack,
} from './review/model';

// The explicit opt-in to a faster synth on cdktf 0.21.0.
export { enableFastSynth, type FastSynthState } from './fast-synth/fast-synth';
