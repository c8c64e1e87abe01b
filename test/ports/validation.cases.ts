import { TerraformVariable } from '../../lib/core/cdktf';
import type { PodAddon } from '../../lib/core/refs';
import { ValidationError } from '../../lib/core/validation';
import { LoopbackMcpDeployment, type LoopbackMcpDeploymentProps } from '../../lib/ports';
import { DIGEST, newStack } from '../helpers';
import { workloadProps } from './fixtures';

/** The problems LoopbackMcpDeployment reports for the valid props with `overrides`. */
function problemsOf(
  overrides:
    Partial<LoopbackMcpDeploymentProps> | ((stack: ReturnType<typeof newStack>) => Partial<LoopbackMcpDeploymentProps>),
): readonly string[] {
  const stack = newStack();
  const extra = typeof overrides === 'function' ? overrides(stack) : overrides;
  try {
    new LoopbackMcpDeployment(stack, 'acme', { ...workloadProps(stack, 'acme'), ...extra });
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}

/** A valid addon, changed by `change`. */
function addon(change: Partial<PodAddon> = {}): PodAddon {
  return {
    name: 'audit',
    containers: [{ name: 'audit-shipper', image: `timberio/vector:0.57.0-distroless-static@${DIGEST}` }],
    volumes: [{ name: 'audit-log', emptyDir: {} }],
    ...change,
  };
}

describe('LoopbackMcpDeployment validation', () => {
  test('accepts the valid props', () => {
    expect(problemsOf({})).toEqual([]);
  });

  test('throws once, naming every problem', () => {
    const stack = newStack();
    const props = { ...workloadProps(stack), port: 0, replicas: 0 };
    expect(() => new LoopbackMcpDeployment(stack, 'acme', props)).toThrow(
      'LoopbackMcpDeployment has invalid props:\n' +
        '  - port must be between 1 and 65535, but 0 was provided\n' +
        '  - replicas must be between 1 and 25, but 0 was provided',
    );
  });

  describe('tenantId', () => {
    test('fails when it is missing', () => {
      expect(problemsOf({ tenantId: undefined as unknown as string })).toEqual([
        'tenantId is required, but undefined was provided',
      ]);
    });
    test('fails when it is a token', () => {
      expect(problemsOf((s) => ({ tenantId: new TerraformVariable(s, 't', { type: 'string' }).stringValue }))).toEqual([
        'tenantId must be a literal string (it names the namespace and construct ids), but a token was provided',
      ]);
    });
    test('fails when it is not a tenant id', () => {
      expect(problemsOf({ tenantId: 'Acme_1' })).toEqual([
        "tenantId must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'Acme_1' was provided",
      ]);
    });
    test('fails when the namespace name would exceed 63 characters', () => {
      const long = 'a'.repeat(60);
      expect(problemsOf({ tenantId: long })).toEqual([
        `tenantId must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but '${long}' was provided`,
        `tenantId must give a namespace name of at most 63 characters, but 'mcp-${long}' (64 characters) was provided`,
      ]);
    });
  });

  describe('images', () => {
    test('fails when the image is missing', () => {
      expect(problemsOf({ image: '' })).toEqual([
        "image is required, but '' was provided",
        "image must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but '' was provided",
      ]);
    });
    test.each(['ghcr.io/acme/mcp', 'ghcr.io/acme/mcp:latest'])('fails when the image %s is not pinned', (image) => {
      expect(problemsOf({ image })).toEqual([
        `image must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but '${image}' was provided`,
      ]);
    });
    test('fails when the cloudflared image is not pinned', () => {
      expect(problemsOf({ cloudflaredImage: 'cloudflare/cloudflared:latest' })).toEqual([
        "cloudflaredImage must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but 'cloudflare/cloudflared:latest' was provided",
      ]);
    });
  });

  describe('ports', () => {
    test('fails when the port is missing', () => {
      expect(problemsOf({ port: undefined as unknown as number })).toEqual([
        'port is required, but undefined was provided',
      ]);
    });
    test.each([0, 65536])('fails when the port is %d', (port) => {
      expect(problemsOf({ port })).toEqual([`port must be between 1 and 65535, but ${port} was provided`]);
    });
    test('fails when the port is a fraction', () => {
      expect(problemsOf({ port: 80.5 })).toEqual([
        'port must be a whole number between 1 and 65535, but 80.5 was provided',
      ]);
    });
    test("fails when the port is cloudflared's metrics port", () => {
      expect(problemsOf({ port: 20241 })).toEqual([
        "port must not be 20241 (cloudflared's metrics port in the same pod), but 20241 was provided",
      ]);
    });
    test('fails when the local port is out of range', () => {
      expect(problemsOf({ localPort: 70000 })).toEqual([
        'localPort must be between 1 and 65535, but 70000 was provided',
      ]);
    });
  });

  test('fails when the health command is empty', () => {
    expect(problemsOf({ healthCommand: [] })).toEqual([
      'healthCommand must be a non-empty list of non-empty strings, but [] was provided',
    ]);
  });

  describe('tunnelToken', () => {
    test('fails when it is missing', () => {
      expect(problemsOf({ tunnelToken: '' })).toEqual(["tunnelToken is required, but '' was provided"]);
    });
    test('fails, without repeating the value, when it is a literal', () => {
      expect(problemsOf({ tunnelToken: 'eyJhIjoiYWNjb3VudCJ9' })).toEqual([
        'tunnelToken must be a reference (a Terraform token), never a literal, but a literal was provided',
      ]);
    });
    test('fails when the revision is below 1', () => {
      expect(problemsOf({ tunnelTokenRevision: 0 })).toEqual([
        'tunnelTokenRevision must be at least 1, but 0 was provided',
      ]);
    });
  });

  describe('identity', () => {
    test('fails when the issuer is missing or not https', () => {
      expect(problemsOf({ identity: { issuer: '', audience: 'https://acme.mcp.example.com/mcp' } })).toEqual([
        "identity.issuer is required, but '' was provided",
        "identity.issuer must be an https URL, but '' was provided",
      ]);
      expect(
        problemsOf({ identity: { issuer: 'http://example.okta.com', audience: 'https://acme.mcp.example.com/mcp' } }),
      ).toEqual(["identity.issuer must be an https URL, but 'http://example.okta.com' was provided"]);
    });
    test('fails when the audience is not an https URL', () => {
      expect(problemsOf({ identity: { issuer: 'https://example.okta.com', audience: 'acme' } })).toEqual([
        "identity.audience must be an https URL (the tenant's canonical MCP URI), but 'acme' was provided",
      ]);
    });
  });

  describe('vault', () => {
    test('fails when the address is missing or not a URL', () => {
      expect(problemsOf({ vault: { address: 'vault:8200' } })).toEqual([
        "vault.address must be an https URL (Vault tokens and secrets cross the network), but 'vault:8200' was provided",
      ]);
      expect(problemsOf({ vault: undefined as never })).toEqual([
        'vault.address is required, but undefined was provided',
      ]);
    });
    test('fails when the address is plain http; accepts https', () => {
      expect(problemsOf({ vault: { address: 'http://vault.vault.svc:8200' } })).toEqual([
        "vault.address must be an https URL (Vault tokens and secrets cross the network), but 'http://vault.vault.svc:8200' was provided",
      ]);
      expect(problemsOf({ vault: { address: 'https://vault.vault.svc:8200' } })).toEqual([]);
    });
    test('fails when the auth path has slashes at its ends or a wildcard', () => {
      expect(problemsOf({ vault: { address: 'https://vault.example.com', authPath: '/kubernetes/*' } })).toEqual([
        "vault.authPath must be a Vault path without leading or trailing slashes or wildcards, but '/kubernetes/*' was provided",
      ]);
    });
  });

  describe('vaultEgress', () => {
    test('fails when it names no destination', () => {
      expect(problemsOf({ vaultEgress: { port: 8200 } })).toEqual([
        'vaultEgress must name cidrs or namespaceLabels, but neither was provided',
      ]);
    });
    const cidrProblem = (i: number, cidr: string) =>
      `vaultEgress.cidrs[${i}] must be an IPv4 CIDR narrower than /16 or an IPv6 CIDR narrower than /112, outside link-local and metadata addresses, but '${cidr}' was provided`;
    test('fails when a CIDR is invalid or covers every address', () => {
      expect(problemsOf({ vaultEgress: { cidrs: ['10.0.0.300/32', '0.0.0.0/0', '::/0', 'fd00::/8'] } })).toEqual([
        cidrProblem(0, '10.0.0.300/32'),
        cidrProblem(1, '0.0.0.0/0'),
        cidrProblem(2, '::/0'),
        cidrProblem(3, 'fd00::/8'),
      ]);
    });
    test.each([
      ['10.20.0.0/16', false],
      ['10.20.0.0/17', true],
      ['10.20.30.40/32', true],
      ['fd12:3456::/112', false],
      ['fd12:3456::/113', true],
      ['fd12:3456::7/128', true],
    ])('a CIDR %s is %s', (cidr, accepted) => {
      expect(problemsOf({ vaultEgress: { cidrs: [cidr] } })).toEqual(accepted ? [] : [cidrProblem(0, cidr)]);
    });
    test.each(['169.254.169.254/32', '169.254.0.0/24', 'fd00:ec2::254/128', 'fe80::1/128'])(
      'fails when a CIDR %s reaches link-local or metadata addresses',
      (cidr) => {
        expect(problemsOf({ vaultEgress: { cidrs: [cidr] } })).toEqual([cidrProblem(0, cidr)]);
      },
    );
    test("fails when the port is not the address's; https without a port is 443", () => {
      expect(problemsOf({ vaultEgress: { cidrs: ['10.0.0.1/32'], port: 8201 } })).toEqual([
        'vaultEgress.port must be the port of vault.address (8200), the only port the rule pack allows to Vault, but 8201 was provided',
      ]);
      expect(problemsOf({ vaultEgress: { cidrs: ['10.0.0.1/32'], port: 8200 } })).toEqual([]);
      expect(
        problemsOf({
          vault: { address: 'https://vault.example.com' },
          vaultEgress: { cidrs: ['10.0.0.1/32'], port: 8200 },
        }),
      ).toEqual([
        'vaultEgress.port must be the port of vault.address (443), the only port the rule pack allows to Vault, but 8200 was provided',
      ]);
    });
    test('fails when the CIDR list is empty', () => {
      expect(problemsOf({ vaultEgress: { cidrs: [] } })).toEqual([
        'vaultEgress.cidrs must list at least one CIDR, but [] was provided',
      ]);
    });
    test('fails when the namespace selector is empty (it would match every namespace)', () => {
      expect(problemsOf({ vaultEgress: { namespaceLabels: {} } })).toEqual([
        'vaultEgress.namespaceLabels must name at least one label (an empty selector matches every namespace), but {} was provided',
      ]);
    });
    test("fails when the namespace labels select a tenant's namespace", () => {
      expect(problemsOf({ vaultEgress: { namespaceLabels: { 'kubernetes.io/metadata.name': 'mcp-globex' } } })).toEqual(
        [
          "vaultEgress.namespaceLabels must not select an MCP namespace (Vault never runs in a tenant's namespace), but 'mcp-globex' was provided",
        ],
      );
      expect(problemsOf({ vaultEgress: { namespaceLabels: { 'kubernetes.io/metadata.name': 'vault' } } })).toEqual([]);
    });
    test('fails when pod labels come without namespace labels', () => {
      expect(problemsOf({ vaultEgress: { cidrs: ['10.0.0.1/32'], podLabels: { app: 'vault' } } })).toEqual([
        'vaultEgress.podLabels needs vaultEgress.namespaceLabels (Vault does not run in the tenant namespace), but only podLabels was provided',
      ]);
    });
    test('fails when the port is out of range', () => {
      expect(problemsOf({ vaultEgress: { cidrs: ['10.0.0.1/32'], port: 0 } })).toEqual([
        'vaultEgress.port must be between 1 and 65535, but 0 was provided',
        'vaultEgress.port must be the port of vault.address (8200), the only port the rule pack allows to Vault, but 0 was provided',
      ]);
    });
  });

  test.each([0, 26])('fails when replicas is %d', (replicas) => {
    expect(problemsOf({ replicas })).toEqual([`replicas must be between 1 and 25, but ${replicas} was provided`]);
  });

  describe('resources', () => {
    test('fails when a value is not a positive Kubernetes quantity', () => {
      expect(
        problemsOf({
          resources: { mcp: { requests: { cpu: '1 core', memory: '0' } }, cloudflared: { limits: { memory: '-1Gi' } } },
        }),
      ).toEqual([
        "resources.mcp.requests.cpu must be a positive Kubernetes quantity (e.g. 250m, 0.5, 128Mi), but '1 core' was provided",
        "resources.mcp.requests.memory must be a positive Kubernetes quantity (e.g. 250m, 0.5, 128Mi), but '0' was provided",
        "resources.cloudflared.limits.memory must be a positive Kubernetes quantity (e.g. 250m, 0.5, 128Mi), but '-1Gi' was provided",
      ]);
    });
    test('fails when a limit is below its request', () => {
      expect(problemsOf({ resources: { mcp: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } } } })).toEqual([
        "resources.mcp.limits.memory must be at least resources.mcp.requests.memory ('1Gi'), but '512Mi' was provided",
      ]);
    });
  });

  describe('addons', () => {
    test('fails when an addon name is not a short name, or repeats', () => {
      expect(problemsOf({ addons: [addon({ name: 'Audit Log' })] })).toEqual([
        "addons[0].name must be a short name matching ^[a-z][a-z0-9-]{0,30}$, but 'Audit Log' was provided",
      ]);
      const second = addon({ containers: [], volumes: [] });
      expect(problemsOf({ addons: [addon(), second] })).toEqual([
        "addons[1].name must be unique, but 'audit' was provided more than once",
      ]);
    });
    test("fails when a container takes the name of the pod's own, or is unpinned, or declares a port", () => {
      const containers = [{ name: 'cloudflared', image: 'timberio/vector:latest', port: [{ containerPort: 8686 }] }];
      expect(problemsOf({ addons: [addon({ containers })] })).toEqual([
        "addons[0].containers[0].name must differ from every other container of the pod, but 'cloudflared' was provided",
        "addons[0].containers[0].image must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but 'timberio/vector:latest' was provided",
        'addons[0].containers[0].port must not be set (the pod declares no ports: everything listens on 127.0.0.1), but a port was provided',
      ]);
    });
    test('fails when a container name is not a DNS label (it goes into the mcp-access.io/addons annotation)', () => {
      const containers = [{ name: 'Shipper,extra', image: `timberio/vector:0.57.0-distroless-static@${DIGEST}` }];
      expect(problemsOf({ addons: [addon({ containers })] })).toEqual([
        "addons[0].containers[0].name must be a container name (a DNS label of at most 63 characters), but 'Shipper,extra' was provided",
      ]);
    });
    test("fails when a volume takes the name of the pod's own", () => {
      expect(problemsOf({ addons: [addon({ volumes: [{ name: 'tmp', emptyDir: {} }] })] })).toEqual([
        "addons[0].volumes[0].name must differ from every other volume of the pod, but 'tmp' was provided",
      ]);
    });
    test('fails when a config map or secret name is not an object name or is taken', () => {
      expect(problemsOf({ addons: [addon({ configMaps: { Vector_Config: {} } })] })).toEqual([
        "addons[0].configMaps keys must be unique Kubernetes object names (DNS subdomains), but 'Vector_Config' was provided",
      ]);
      expect(
        problemsOf((s) => ({ addons: [addon({ secrets: { 'cloudflared-tunnel-token': { k: tokenOf(s) } } })] })),
      ).toEqual([
        "addons[0].secrets keys must be unique Kubernetes object names (DNS subdomains), but 'cloudflared-tunnel-token' was provided",
      ]);
    });
    test('fails, without repeating the value, when secret data is a literal', () => {
      expect(
        problemsOf({ addons: [addon({ secrets: { 'audit-r2': { AWS_SECRET_ACCESS_KEY: 'plain-text-secret' } } })] }),
      ).toEqual([
        'addons[0].secrets.audit-r2.AWS_SECRET_ACCESS_KEY must be a reference (a Terraform token), never a literal, but a literal was provided',
      ]);
    });
    test('fails when the secret revision is below 1', () => {
      expect(problemsOf({ addons: [addon({ secretRevision: 0 })] })).toEqual([
        'addons[0].secretRevision must be at least 1, but 0 was provided',
      ]);
    });
    test("fails when the MCP environment redefines the server's contract", () => {
      expect(problemsOf({ addons: [addon({ mcpEnv: { MCP_BIND_ADDRESS: '0.0.0.0' } })] })).toEqual([
        "addons[0].mcpEnv must not redefine the MCP server's contract variable MCP_BIND_ADDRESS, but it was provided",
      ]);
    });
    test('fails when an MCP volume mount names no volume of the pod', () => {
      expect(
        problemsOf({ addons: [addon({ mcpVolumeMounts: [{ name: 'audit', mountPath: '/var/log/mcp' }] })] }),
      ).toEqual(["addons[0].mcpVolumeMounts[0].name must name a volume of the pod, but 'audit' was provided"]);
    });
  });
});

function tokenOf(stack: ReturnType<typeof newStack>): string {
  return new TerraformVariable(stack, 'secret_value', { type: 'string', sensitive: true }).stringValue;
}
