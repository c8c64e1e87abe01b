import { McpAccessChecks } from '../checks/pack';
import { Construct } from '../core/cdktf';
import {
  AUDIT_RETENTION_DAYS,
  AUDIT_RETENTION_DAYS_MIN,
  TOKEN_TTL_MINUTES,
  TOKEN_TTL_MINUTES_MIN,
} from '../core/defaults';
import { DNS_NAME_PATTERN, isHttpsUrl, isPinnedImage } from '../core/formats';
import { recordTenantScope } from '../core/stack-metadata';
import { type TenantSpec, validateTenants } from '../core/tenant';
import { PropsValidator } from '../core/validation';

/** Okta settings shared by every tenant. */
export interface OktaSettings {
  /** The Okta org URL, https, e.g. `https://example.okta.com`. */
  readonly orgUrl: string;
}

/** Cloudflare settings shared by every tenant. */
export interface CloudflareSettings {
  /** Cloudflare account id (32 hex characters, or a Terraform variable). */
  readonly accountId: string;
  /** Id of the zone that holds `<tenant>.<domain>` (32 hex characters, or a Terraform variable). */
  readonly zoneId: string;
}

/** The MCP server every tenant runs. */
export interface WorkloadSettings {
  /**
   * Container image of the MCP server, pinned by digest (`@sha256:...`, preferred) or by a tag other
   * than `latest`.
   */
  readonly image: string;
  /** Port the MCP server listens on, on 127.0.0.1 inside its pod. Between 1 and 65535. */
  readonly port: number;
  /**
   * Command the image offers to check its own health (run as an exec probe: HTTP and TCP probes hit
   * the pod IP, where nothing listens).
   * @default - no probe for the MCP container, and a warning (MCP-K8S-8) until one is given
   */
  readonly healthCommand?: readonly string[];
}

/** Audit settings. */
export interface AuditSettings {
  /**
   * Days every audit record stays locked (undeletable). At least 30.
   * @default 365
   */
  readonly retentionDays?: number;
}

/** Props of {@link SecureMcpAccess}. */
export interface SecureMcpAccessProps {
  /** DNS domain under which each tenant gets `<tenant.id>.<domain>`; a plain name, no scheme or path. */
  readonly domain: string;
  /** The tenants; ids unique and matching `^[a-z][a-z0-9-]{1,30}$`. At least one. */
  readonly tenants: readonly TenantSpec[];
  readonly okta: OktaSettings;
  readonly cloudflare: CloudflareSettings;
  readonly workload: WorkloadSettings;
  /** @default - records locked for 365 days */
  readonly audit?: AuditSettings;
  /**
   * Lifetime of MCP access tokens, in minutes. Between 5 and 15.
   * @default 15
   */
  readonly tokenTtlMinutes?: number;
}

/** Validates {@link SecureMcpAccessProps}, throwing one error that names every problem. */
export function validateSecureMcpAccessProps(props: SecureMcpAccessProps): void {
  const v = new PropsValidator('SecureMcpAccess');
  validateTenants(v, props.tenants);
  v.required('domain', props.domain);
  v.matches(
    'domain',
    props.domain,
    DNS_NAME_PATTERN,
    'a plain lower-case DNS name (no wildcard, scheme, port or path)',
  );
  v.required('okta.orgUrl', props.okta?.orgUrl);
  v.check(props.okta?.orgUrl, isHttpsUrl, `okta.orgUrl must be an https URL, but '${props.okta?.orgUrl}' was provided`);
  v.required('cloudflare.accountId', props.cloudflare?.accountId);
  v.matches('cloudflare.accountId', props.cloudflare?.accountId, /^[a-f0-9]{32}$/, '32 lower-case hex characters');
  v.required('cloudflare.zoneId', props.cloudflare?.zoneId);
  v.matches('cloudflare.zoneId', props.cloudflare?.zoneId, /^[a-f0-9]{32}$/, '32 lower-case hex characters');
  v.required('workload.image', props.workload?.image);
  v.check(
    props.workload?.image,
    isPinnedImage,
    `workload.image must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but '${props.workload?.image}' was provided`,
  );
  v.required('workload.port', props.workload?.port);
  v.integerBetween('workload.port', props.workload?.port, 1, 65535);
  v.integerBetween('tokenTtlMinutes', props.tokenTtlMinutes, TOKEN_TTL_MINUTES_MIN, TOKEN_TTL_MINUTES);
  v.integerAtLeast('audit.retentionDays', props.audit?.retentionDays, AUDIT_RETENTION_DAYS_MIN);
  v.throwIfInvalid();
}

/**
 * Secure local access to a multi-tenant MCP server, in one statement: for every tenant a cell of
 * its own in each of the five layers (identity, transport, ports, secrets, audit), the few shared
 * pieces once, and the invariant rule pack on the stack.
 *
 * Construct ids: the shared pieces live under `Shared`, each tenant's cell under its tenant id, so
 * adding, removing or reordering tenants leaves every other resource's address unchanged.
 */
export class SecureMcpAccess extends Construct {
  /** Tenant ids, in the order given. */
  public readonly tenantIds: readonly string[];
  /** The scope holding the shared pieces. */
  public readonly shared: Construct;
  /** The rule pack applied to this construct's stack. */
  public readonly checks: McpAccessChecks;
  /** Token lifetime in effect, in minutes. */
  public readonly tokenTtlMinutes: number;
  /** Audit retention in effect, in days. */
  public readonly auditRetentionDays: number;

  private readonly cells = new Map<string, Construct>();

  constructor(scope: Construct, id: string, props: SecureMcpAccessProps) {
    super(scope, id);
    validateSecureMcpAccessProps(props);
    this.tokenTtlMinutes = props.tokenTtlMinutes ?? TOKEN_TTL_MINUTES;
    this.auditRetentionDays = props.audit?.retentionDays ?? AUDIT_RETENTION_DAYS;
    this.checks = McpAccessChecks.of(this);
    this.shared = new Construct(this, 'Shared');
    this.tenantIds = props.tenants.map((t) => t.id);
    for (const tenant of props.tenants) {
      const cell = new Construct(this, tenant.id);
      recordTenantScope(cell, tenant.id);
      this.cells.set(tenant.id, cell);
    }
  }

  /** The construct scope of one tenant's cell. */
  public cell(tenantId: string): Construct {
    const cell = this.cells.get(tenantId);
    if (!cell) throw new Error(`SecureMcpAccess has no tenant '${tenantId}'`);
    return cell;
  }
}
