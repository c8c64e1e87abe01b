import { TerraformVariable } from '../../../../lib/core/cdktf';
import type { JsonObject } from '../../../../lib/model/json';
import { SecureMcpAccess } from '../../../../lib/patterns/secure-mcp-access';
import { baseProps, newStack, rawJson, withProviders } from '../../../helpers';

/** acme in service and globex decommissioned, in one deployable stack. */
export function build(extra: (stack: ReturnType<typeof newStack>) => void = () => {}): JsonObject {
  const stack = withProviders(newStack(), { deployable: true });
  const webhook = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
  new SecureMcpAccess(stack, 'Mcp', {
    ...baseProps(['acme'], { audit: { alertWebhookUrl: webhook.stringValue } }),
    tenants: [{ id: 'acme' }, { id: 'globex', decommissioned: true }],
  });
  extra(stack);
  return rawJson(stack);
}
