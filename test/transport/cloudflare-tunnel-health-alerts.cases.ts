import type { JsonObject } from '../../lib/model/stack';
import { MCP_SEC_5 } from '../../lib/checks/rules/secrets/mcp-sec-5';
import { TerraformVariable } from '../../lib/core/cdktf';
import type { ValidationError } from '../../lib/core/validation';
import {
  CloudflareTunnelHealthAlerts,
  type CloudflareTunnelHealthAlertsProps,
} from '../../lib/transport/cloudflare-tunnel-health-alerts';
import { newStack, rawJson, resourcesOf, synthesized } from '../helpers';
import { ACCOUNT_ID, only } from './transport-stack';

const POLICY = 'cloudflare_notification_policy';
const WEBHOOK = 'cloudflare_notification_policy_webhooks';

function alerts(props: Partial<CloudflareTunnelHealthAlertsProps>): JsonObject {
  const stack = newStack();
  new CloudflareTunnelHealthAlerts(stack, 'TunnelHealth', { accountId: ACCOUNT_ID, ...props });
  return rawJson(stack);
}

function problemsOf(props: Partial<CloudflareTunnelHealthAlertsProps>): readonly string[] {
  try {
    alerts(props);
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

describe('CloudflareTunnelHealthAlerts', () => {
  test('an email alone makes one tunnel health policy mailing it, and no webhook', () => {
    const json = alerts({ email: 'ops@example.com' });
    expect(only(json, POLICY)).toMatchObject({
      account_id: ACCOUNT_ID,
      name: 'mcp-tunnel-health',
      alert_type: 'tunnel_health_event',
      enabled: true,
      mechanisms: { email: [{ id: 'ops@example.com' }] },
    });
    expect(only(json, POLICY)).not.toHaveProperty('filters');
    expect(resourcesOf(json, WEBHOOK)).toEqual({});
  });

  test('a webhook URL makes a webhook destination that the policy notifies', () => {
    const json = alerts({ webhookUrl: 'https://hooks.example.com/cloudflare' });
    const [name] = Object.keys(resourcesOf(json, WEBHOOK));
    expect(only(json, WEBHOOK)).toMatchObject({
      account_id: ACCOUNT_ID,
      name: 'mcp-tunnel-health',
      url: 'https://hooks.example.com/cloudflare',
    });
    expect(only(json, WEBHOOK)).not.toHaveProperty('secret');
    expect(only(json, POLICY).mechanisms).toEqual({ webhooks: [{ id: `\${${WEBHOOK}.${name}.id}` }] });
  });

  test('email and webhook together, a secret by reference and a tunnel filter', () => {
    const stack = newStack();
    const secret = new TerraformVariable(stack, 'alert_webhook_secret', { type: 'string', sensitive: true });
    new CloudflareTunnelHealthAlerts(stack, 'TunnelHealth', {
      accountId: ACCOUNT_ID,
      email: 'ops@example.com',
      webhookUrl: 'https://hooks.example.com/cloudflare',
      webhookSecret: secret.stringValue,
      tunnelIds: ['t-1', 't-2'],
    });
    const json = rawJson(stack);
    expect(only(json, WEBHOOK).secret).toBe('${var.alert_webhook_secret}');
    expect(only(json, POLICY).filters).toEqual({ tunnel_id: ['t-1', 't-2'] });
    expect(Object.keys(only(json, POLICY).mechanisms as JsonObject).sort()).toEqual(['email', 'webhooks']);
    expect(MCP_SEC_5.evaluate(synthesized(stack)).filter((e) => e.status !== 'compliant')).toEqual([]);
  });

  test('accepts Terraform tokens for the account, email and webhook URL', () => {
    const stack = newStack();
    const variable = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    new CloudflareTunnelHealthAlerts(stack, 'TunnelHealth', {
      accountId: variable('account_id'),
      email: variable('alert_email'),
      webhookUrl: variable('alert_webhook_url'),
    });
    const json = rawJson(stack);
    expect(only(json, POLICY).mechanisms).toMatchObject({ email: [{ id: '${var.alert_email}' }] });
    expect(only(json, WEBHOOK).url).toBe('${var.alert_webhook_url}');
  });

  test('fails when neither email nor webhookUrl is given', () => {
    expect(problemsOf({})).toEqual(['email or webhookUrl is required, but neither was provided']);
  });

  test('fails when the webhook URL is not https or the email is not an address', () => {
    expect(problemsOf({ email: 'ops', webhookUrl: 'http://hooks.example.com' })).toEqual([
      "email must be an email address, but 'ops' was provided",
      "webhookUrl must be an https URL, but 'http://hooks.example.com' was provided",
    ]);
  });

  test('fails when the webhook secret is a literal, without echoing it, or has no webhook', () => {
    expect(problemsOf({ email: 'ops@example.com', webhookSecret: 'hunter2-literal' })).toEqual([
      'webhookSecret needs webhookUrl, but no webhookUrl was provided',
      'webhookSecret must be a reference (a sensitive TerraformVariable), but a literal was provided',
    ]);
  });

  test('fails when tunnelIds is empty or accountId is not 32 hex characters', () => {
    expect(problemsOf({ accountId: 'acct', email: 'ops@example.com', tunnelIds: [] })).toEqual([
      "accountId must be 32 lower-case hex characters, but 'acct' was provided",
      'tunnelIds must list at least one tunnel id when given, but [] was provided',
    ]);
  });
});
