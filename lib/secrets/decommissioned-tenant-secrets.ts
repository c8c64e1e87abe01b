import type { KvSecretBackendV2 } from '@cdktf/provider-vault/lib/kv-secret-backend-v2';
import type { Mount } from '@cdktf/provider-vault/lib/mount';
import type { TransitSecretBackendKey } from '@cdktf/provider-vault/lib/transit-secret-backend-key';
import { Construct } from '../core/cdktf';
import { KEY_ROTATION_DAYS } from '../core/defaults';
import { tenantKvPath, tenantTransitPath } from '../core/naming';
import { KEY_ROTATION_DAYS_MIN, KV_MAX_VERSIONS, KV_MAX_VERSIONS_MAX } from '../core/secrets-defaults';
import { recordDecommissioned } from '../core/stack-metadata';
import { PropsValidator } from '../core/validation';
import { checkMountPrefix, createTenantVaultData, tenantMountPath } from './tenant-vault-secrets';

/** Props of {@link DecommissionedTenantSecrets}: the data settings the tenant's {@link TenantVaultSecrets} had. */
export interface DecommissionedTenantSecretsProps {
  /** The tenant id (a literal). */
  readonly tenantId: string;
  /** As the tenant had it. @default 30 */
  readonly keyRotationDays?: number;
  /** As the tenant had it. @default 10 */
  readonly kvMaxVersions?: number;
  /** As the tenant had it. @default 'tenants/<tenantId>' */
  readonly mountPrefix?: string;
}

/**
 * What stays of a decommissioned tenant's secrets: its KV v2 store and its transit mount and key, at
 * the addresses they had (`<cell>/Secrets/KvMount`, ...), with `prevent_destroy`, so that the data
 * and the key that decrypts it outlive every way in. Gone: the server and human policies, the
 * Kubernetes and JWT auth roles and the JWT backend, so that no login reaches the data.
 *
 * Construct id: give it the id the tenant's {@link TenantVaultSecrets} had (`Secrets` in a cell).
 */
export class DecommissionedTenantSecrets extends Construct {
  public readonly tenantId: string;
  public readonly kvPath: string;
  public readonly transitPath: string;
  public readonly kvMount: Mount;
  public readonly kvConfig: KvSecretBackendV2;
  public readonly transitMount: Mount;
  public readonly transitKey: TransitSecretBackendKey;

  constructor(scope: Construct, id: string, props: DecommissionedTenantSecretsProps) {
    super(scope, id);
    const v = new PropsValidator('DecommissionedTenantSecrets');
    v.tenantId('tenantId', props.tenantId, 'Vault paths and construct ids');
    v.integerBetween('keyRotationDays', props.keyRotationDays, KEY_ROTATION_DAYS_MIN, KEY_ROTATION_DAYS);
    v.integerBetween('kvMaxVersions', props.kvMaxVersions, 1, KV_MAX_VERSIONS_MAX);
    checkMountPrefix(v, props.tenantId, props.mountPrefix);
    v.throwIfInvalid();
    const t = props.tenantId;
    recordDecommissioned(this, t);
    this.tenantId = t;
    this.kvPath = tenantMountPath(t, tenantKvPath(t), props.mountPrefix);
    this.transitPath = tenantMountPath(t, tenantTransitPath(t), props.mountPrefix);
    const data = createTenantVaultData(this, {
      tenantId: t,
      kvPath: this.kvPath,
      transitPath: this.transitPath,
      kvMaxVersions: props.kvMaxVersions ?? KV_MAX_VERSIONS,
      keyRotationDays: props.keyRotationDays ?? KEY_ROTATION_DAYS,
    });
    this.kvMount = data.kvMount;
    this.kvConfig = data.kvConfig;
    this.transitMount = data.transitMount;
    this.transitKey = data.transitKey;
  }
}
