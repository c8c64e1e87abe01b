import { NotificationPolicy } from '@cdktf/provider-cloudflare/lib/notification-policy';
import { NotificationPolicyWebhooks } from '@cdktf/provider-cloudflare/lib/notification-policy-webhooks';
import { Construct } from '../core/cdktf';
import { isHttpsUrl } from '../core/formats';
import { CLOUDFLARE_ID_PATTERN, TUNNEL_HEALTH_ALERT_NAME, TUNNEL_HEALTH_ALERT_TYPE } from '../core/transport-defaults';
import { isUnresolved, PropsValidator } from '../core/validation';

/** An email address: something, `@`, a dotted domain; no spaces. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Props of {@link CloudflareTunnelHealthAlerts}. At least one of `email` and `webhookUrl` is required. */
export interface CloudflareTunnelHealthAlertsProps {
  /** Cloudflare account id (32 hex characters, or a Terraform token). */
  readonly accountId: string;
  /**
   * Email address that receives tunnel health alerts.
   * @default - no email alert
   */
  readonly email?: string;
  /**
   * https URL that receives tunnel health alerts as webhook POSTs.
   * @default - no webhook alert
   */
  readonly webhookUrl?: string;
  /**
   * Secret Cloudflare sends in the `cf-webhook-auth` header, so the receiver can authenticate it. A
   * reference (a sensitive TerraformVariable), never a literal.
   * @default - no secret header
   */
  readonly webhookSecret?: string;
  /**
   * Limit the alerts to these tunnel ids.
   * @default - every cloudflared tunnel of the account
   */
  readonly tunnelIds?: readonly string[];
  /**
   * Name of the notification policy (and of the webhook destination).
   * @default 'mcp-tunnel-health'
   */
  readonly name?: string;
}

/** Validates {@link CloudflareTunnelHealthAlertsProps}, throwing one error that names every problem. */
export function validateCloudflareTunnelHealthAlertsProps(props: CloudflareTunnelHealthAlertsProps): void {
  const v = new PropsValidator('CloudflareTunnelHealthAlerts');
  v.required('accountId', props.accountId);
  v.matches('accountId', props.accountId, CLOUDFLARE_ID_PATTERN, '32 lower-case hex characters');
  if (!props.email && !props.webhookUrl) {
    v.fail('email or webhookUrl is required, but neither was provided');
  }
  v.matches('email', props.email, EMAIL_PATTERN, 'an email address');
  v.check(props.webhookUrl, isHttpsUrl, `webhookUrl must be an https URL, but '${props.webhookUrl}' was provided`);
  if (props.webhookSecret !== undefined) {
    if (!props.webhookUrl) v.fail('webhookSecret needs webhookUrl, but no webhookUrl was provided');
    // The value itself is never echoed: a literal here is a leaked credential.
    if (!isUnresolved(props.webhookSecret)) {
      v.fail('webhookSecret must be a reference (a sensitive TerraformVariable), but a literal was provided');
    }
  }
  if (props.tunnelIds !== undefined && !isUnresolved(props.tunnelIds) && props.tunnelIds.length === 0) {
    v.fail('tunnelIds must list at least one tunnel id when given, but [] was provided');
  }
  v.throwIfInvalid();
}

/**
 * Alerts on the health of the account's cloudflared tunnels (a tenant's tunnel down means that
 * tenant's developers cannot reach their MCP server), by email and/or webhook. Shared, optional.
 */
export class CloudflareTunnelHealthAlerts extends Construct {
  /** The notification policy. */
  public readonly policy: NotificationPolicy;
  /** Id of the notification policy. */
  public readonly policyId: string;
  /** The webhook destination, when `webhookUrl` was given. */
  public readonly webhook?: NotificationPolicyWebhooks;

  constructor(scope: Construct, id: string, props: CloudflareTunnelHealthAlertsProps) {
    super(scope, id);
    validateCloudflareTunnelHealthAlertsProps(props);
    const name = props.name ?? TUNNEL_HEALTH_ALERT_NAME;
    if (props.webhookUrl) {
      this.webhook = new NotificationPolicyWebhooks(this, 'Webhook', {
        accountId: props.accountId,
        name,
        url: props.webhookUrl,
        secret: props.webhookSecret,
      });
    }
    this.policy = new NotificationPolicy(this, 'Policy', {
      accountId: props.accountId,
      name,
      description: 'Health of the cloudflared tunnels that carry tenant MCP traffic',
      alertType: TUNNEL_HEALTH_ALERT_TYPE,
      enabled: true,
      filters: props.tunnelIds ? { tunnelId: [...props.tunnelIds] } : undefined,
      mechanisms: {
        email: props.email ? [{ id: props.email }] : undefined,
        webhooks: this.webhook ? [{ id: this.webhook.id }] : undefined,
      },
    });
    this.policyId = this.policy.id;
  }
}
