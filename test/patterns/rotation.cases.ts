import { TerraformVariable } from '../../lib/core/cdktf';
import type { JsonObject } from '../../lib/model/json';
import { SecureMcpAccess } from '../../lib/patterns/secure-mcp-access';
import { baseProps, newStack, rawJson, withProviders } from '../helpers';

type Resources = Record<string, Record<string, JsonObject>>;

describe("a rotated audit writer token reaches the tenant's running pods", () => {
  let json: JsonObject;
  beforeAll(() => {
    const stack = withProviders(newStack(), { deployable: true });
    const webhook = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
    new SecureMcpAccess(stack, 'Mcp', baseProps(['acme'], { audit: { alertWebhookUrl: webhook.stringValue } }));
    json = rawJson(stack);
  });

  test("the pod template's secrets revision follows the tenant's writer rotation, as the shipper secret does", () => {
    const resources = json.resource as Resources;
    const rotations = Object.keys(resources.time_rotating).filter((n) => n.startsWith('Mcp_acme_'));
    expect(rotations).toHaveLength(1);
    const deployments = Object.values(resources.kubernetes_deployment_v1);
    expect(deployments).toHaveLength(1);
    const template = (deployments[0].spec as JsonObject).template as JsonObject;
    const revision = ((template.metadata as JsonObject).annotations as JsonObject)['mcp-access.io/secrets-revision'];
    expect(revision).toMatch(new RegExp(`^tunnel=1,audit=\\$\\{.*time_rotating\\.${rotations[0]}\\.unix.*\\}$`));
    // The same expression as the secret's write-only revision: both change at the same apply.
    const secrets = Object.values(resources.kubernetes_secret_v1).filter((s) =>
      String((s.metadata as JsonObject).name).includes('audit'),
    );
    expect(secrets).toHaveLength(1);
    expect(revision).toBe(`tunnel=1,audit=${String(secrets[0].data_wo_revision)}`);
  });
});
