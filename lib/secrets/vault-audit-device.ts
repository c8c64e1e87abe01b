import { Audit } from '@cdktf/provider-vault/lib/audit';
import { Annotations, Construct, TerraformStack } from '../core/cdktf';
import {
  VAULT_AUDIT_FILE_MODE,
  VAULT_AUDIT_FILE_PATH,
  VAULT_AUDIT_PATH,
  VAULT_PATH_PATTERN,
  VAULT_PATH_RANGE,
} from '../core/secrets-defaults';
import { recordSuppression, SUPPRESSION_REASON_MIN_LENGTH } from '../core/stack-metadata';
import { describeValue, PropsValidator } from '../core/validation';

/** Id of the rule that warns when tenant mounts have no audit device (see MCP-SEC-6). */
export const AUDIT_DEVICE_RULE_ID = 'MCP-SEC-6';

/** A `file` audit device. */
export interface VaultFileAuditSettings {
  /**
   * Where Vault writes: `stdout` (the Vault pod's log stream) or an absolute path on Vault's disk.
   * `discard` is refused: it logs nothing.
   * @default 'stdout'
   */
  readonly filePath?: string;
  /**
   * Octal mode of the log file; others get no access.
   * @default '0600'
   */
  readonly mode?: string;
}

/** A `socket` audit device. */
export interface VaultSocketAuditSettings {
  /** Address to send records to (`host:port`, or a socket path for `unix`). */
  readonly address: string;
  /**
   * Socket type. `udp` can drop records silently, so it draws a warning.
   * @default 'tcp'
   */
  readonly socketType?: 'tcp' | 'udp' | 'unix';
}

/** A `syslog` audit device (on Vault's own host). */
export interface VaultSyslogAuditSettings {
  /** @default 'AUTH' */
  readonly facility?: string;
  /** @default 'vault' */
  readonly tag?: string;
}

/** Props of {@link VaultAuditDevice}: one device kind, or `assumeAuditDevice`. Nothing: a file device on stdout. */
export interface VaultAuditDeviceProps {
  /**
   * Path at which to enable the device (`sys/audit/<path>`).
   * @default 'mcp-audit'
   */
  readonly path?: string;
  /** @default - a file device writing JSON to stdout, unless `socket` or `syslog` is given */
  readonly file?: VaultFileAuditSettings;
  /** @default - no socket device */
  readonly socket?: VaultSocketAuditSettings;
  /** @default - no syslog device */
  readonly syslog?: VaultSyslogAuditSettings;
  /**
   * The Vault already has an audit device, managed elsewhere: create nothing, and record the
   * reason (10 or more characters) as a stack-wide suppression of MCP-SEC-6. Cannot be combined
   * with `path`, `file`, `socket` or `syslog`.
   * @default - a device is created
   */
  readonly assumeAuditDevice?: { readonly reason: string };
}

const DEVICE_KINDS = ['file', 'socket', 'syslog'] as const;

/** Validates {@link VaultAuditDeviceProps}, throwing one error that names every problem. */
export function validateVaultAuditDeviceProps(props: VaultAuditDeviceProps): void {
  const v = new PropsValidator('VaultAuditDevice');
  const kinds = DEVICE_KINDS.filter((k) => props[k] !== undefined);
  if (props.assumeAuditDevice !== undefined) {
    const combined = [...(props.path !== undefined ? ['path'] : []), ...kinds];
    if (combined.length > 0) {
      v.fail(
        `assumeAuditDevice declares an existing device and cannot be combined with ${combined.join(', ')}, which create one, but both were provided`,
      );
    }
    const reason = props.assumeAuditDevice.reason;
    if (typeof reason !== 'string' || reason.trim().length < SUPPRESSION_REASON_MIN_LENGTH) {
      v.fail(
        `assumeAuditDevice.reason must be at least ${SUPPRESSION_REASON_MIN_LENGTH} characters, but ${describeValue(reason)} was provided`,
      );
    }
  }
  if (kinds.length > 1) v.fail(`only one of file, socket, syslog may be given, but ${kinds.join(', ')} were provided`);
  v.matches('path', props.path, VAULT_PATH_PATTERN, `an audit path (${VAULT_PATH_RANGE})`);
  v.check(
    props.file?.filePath,
    (p: string) => p === 'stdout' || /^\/[^*?]+$/.test(p),
    `file.filePath must be 'stdout' or an absolute path, but ${describeValue(props.file?.filePath)} was provided`,
  );
  v.check(
    props.file?.mode,
    (m: string) => /^0[0-7][0-7]0$/.test(m),
    `file.mode must be an octal mode that gives others no access (e.g. '0600' or '0640'), but ${describeValue(props.file?.mode)} was provided`,
  );
  if (props.socket !== undefined) v.required('socket.address', props.socket.address);
  v.check(
    props.socket?.socketType,
    (t: string) => ['tcp', 'udp', 'unix'].includes(t),
    `socket.socketType must be one of tcp, udp, unix, but ${describeValue(props.socket?.socketType)} was provided`,
  );
  v.throwIfInvalid();
}

/** The device's type and options; never `log_raw`, always hashed accessors, JSON records. */
export function auditDeviceOptions(props: VaultAuditDeviceProps): { type: string; options: Record<string, string> } {
  const common = { format: 'json', log_raw: 'false', hmac_accessor: 'true' };
  if (props.socket) {
    return {
      type: 'socket',
      options: { ...common, address: props.socket.address, socket_type: props.socket.socketType ?? 'tcp' },
    };
  }
  if (props.syslog) {
    return {
      type: 'syslog',
      options: { ...common, facility: props.syslog.facility ?? 'AUTH', tag: props.syslog.tag ?? 'vault' },
    };
  }
  return {
    type: 'file',
    options: {
      ...common,
      file_path: props.file?.filePath ?? VAULT_AUDIT_FILE_PATH,
      mode: props.file?.mode ?? VAULT_AUDIT_FILE_MODE,
    },
  };
}

/**
 * A Vault audit device (shared): Vault logs every request and response (secret values HMAC'd)
 * before it answers, so every read of a tenant's secrets and every use of its key is on record.
 * Or, for a Vault whose audit device is managed elsewhere, the recorded assumption that one exists.
 *
 * Its `prevent_destroy` keeps a plan from silently switching auditing off. Vault refuses requests
 * when no enabled device can write, so the destination must be reliable.
 */
export class VaultAuditDevice extends Construct {
  /** True when an existing device is assumed (nothing is created). */
  public readonly assumed: boolean;
  /** The device, when created. */
  public readonly device?: Audit;
  /** Path of the created device. */
  public readonly path?: string;

  constructor(scope: Construct, id: string, props: VaultAuditDeviceProps = {}) {
    super(scope, id);
    validateVaultAuditDeviceProps(props);
    this.assumed = props.assumeAuditDevice !== undefined;
    if (props.assumeAuditDevice !== undefined) {
      recordSuppression(TerraformStack.of(this), AUDIT_DEVICE_RULE_ID, props.assumeAuditDevice.reason);
      return;
    }
    if (props.socket?.socketType === 'udp') {
      Annotations.of(this).addWarning(
        "socket.socketType is 'udp' (default 'tcp'): audit records sent over UDP can be lost without Vault noticing",
      );
    }
    this.path = props.path ?? VAULT_AUDIT_PATH;
    this.device = new Audit(this, 'Device', {
      path: this.path,
      ...auditDeviceOptions(props),
      description: 'Audit log of every Vault request, MCP tenants included',
      lifecycle: { preventDestroy: true },
    });
  }
}
