import { type IConstruct, TerraformElement, TerraformStack, TerraformVariable } from '../../lib/core/cdktf';
import { SecureMcpAccess } from '../../lib/patterns/secure-mcp-access';
import { baseProps, newStack, withProviders } from '../helpers';

/** Terraform elements (resources and data sources) in a construct's subtree. */
function elementsUnder(scope: IConstruct): TerraformElement[] {
  return scope.node
    .findAll()
    .filter((c): c is TerraformElement => c instanceof TerraformElement && !(c instanceof TerraformStack));
}

/** Every Terraform element reachable from the public properties of a construct (and of the constructs it exposes). */
function exposed(root: IConstruct): Set<TerraformElement> {
  const found = new Set<TerraformElement>();
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value instanceof TerraformElement) {
      found.add(value);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    for (const [key, v] of Object.entries(value)) if (key !== 'node' && !key.startsWith('_')) visit(v);
  };
  for (const [key, v] of Object.entries(root)) if (key !== 'node') visit(v);
  return found;
}

describe('every layer construct exposes its resources (the escape hatch)', () => {
  const stack = withProviders(newStack());
  const webhook = new TerraformVariable(stack, 'webhook', { type: 'string', sensitive: true });
  const mcp = new SecureMcpAccess(stack, 'Mcp', {
    ...baseProps(['acme']),
    audit: { alertWebhookUrl: webhook.stringValue },
    cloudflare: {
      ...baseProps().cloudflare,
      tunnelHealthAlerts: { email: 'oncall@example.com' },
    },
  });
  const cell = mcp.cell('acme');
  const layers: [string, IConstruct][] = [
    ['OktaMcpClients', mcp.shared.oktaClients],
    ['CloudflareOktaIdentityProvider', mcp.shared.accessIdentityProvider],
    ['CloudflareTunnelHealthAlerts', mcp.shared.tunnelHealthAlerts as IConstruct],
    ['VaultKubernetesAuth', mcp.shared.vaultKubernetesAuth],
    ['VaultAuditDevice', mcp.shared.vaultAuditDevice],
    ['AccessRequestsAuditLog', mcp.shared.accessAuditLog],
    ['OktaMcpIdentity', cell.identity],
    ['CloudflareAccessTunnel', cell.transport],
    ['LoopbackMcpDeployment', cell.workload],
    ['TenantVaultSecrets', cell.secrets],
    ['TenantAuditTrail', cell.audit],
  ];

  test.each(layers)('%s', (_name, construct) => {
    const resources = elementsUnder(construct);
    expect(resources.length).toBeGreaterThan(0);
    const reachable = exposed(construct);
    const hidden = resources.filter((r) => !reachable.has(r)).map((r) => r.node.path);
    expect(hidden).toEqual([]);
  });
});
