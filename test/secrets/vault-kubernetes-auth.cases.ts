import { TerraformVariable } from '../../lib/core/cdktf';
import { VaultKubernetesAuth, type VaultKubernetesAuthProps } from '../../lib/secrets/vault-kubernetes-auth';
import { bodiesOf, newStack, rawJson } from '../helpers';
import { KUBERNETES_HOST, problemsOf } from './fixtures';

describe('VaultKubernetesAuth', () => {
  test('creates the backend at kubernetes, tuned to 15 min leases and 1 h at most, and configures it', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { kubernetesHost: KUBERNETES_HOST });
    const json = rawJson(stack);
    const [backend] = bodiesOf(json, 'vault_auth_backend');
    expect(backend).toMatchObject({
      type: 'kubernetes',
      path: 'kubernetes',
      tune: [expect.objectContaining({ default_lease_ttl: '900s', max_lease_ttl: '3600s' })],
    });
    const [config] = bodiesOf(json, 'vault_kubernetes_auth_backend_config');
    expect(config).toMatchObject({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\.Auth_Backend_[0-9A-F]{8}\.path\}$/),
      kubernetes_host: KUBERNETES_HOST,
    });
    expect(config).not.toHaveProperty('issuer');
    expect(config).not.toHaveProperty('disable_iss_validation');
    expect(auth.kubernetesAuthPath).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(auth.adopted).toBe(false);
  });

  test('with an issuer, Vault checks it; CA, path and reviewer token reach the config', () => {
    const stack = newStack();
    const reviewer = new TerraformVariable(stack, 'reviewer_jwt', { type: 'string', sensitive: true });
    new VaultKubernetesAuth(stack, 'Auth', {
      kubernetesHost: KUBERNETES_HOST,
      path: 'k8s/prod',
      issuer: 'https://kubernetes.default.svc.cluster.local',
      kubernetesCaCert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      tokenReviewerJwt: reviewer.stringValue,
    });
    const json = rawJson(stack);
    expect(bodiesOf(json, 'vault_auth_backend')[0].path).toBe('k8s/prod');
    expect(bodiesOf(json, 'vault_kubernetes_auth_backend_config')[0]).toMatchObject({
      issuer: 'https://kubernetes.default.svc.cluster.local',
      disable_iss_validation: false,
      kubernetes_ca_cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      token_reviewer_jwt: '${var.reviewer_jwt}',
    });
  });

  test('adopts an existing backend by path and creates nothing', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes/cluster-1' });
    expect(auth.kubernetesAuthPath).toBe('kubernetes/cluster-1');
    expect(auth.adopted).toBe(true);
    expect(auth.backend).toBeUndefined();
    expect(rawJson(stack).resource).toBeUndefined();
  });

  test('Terraform tokens are accepted for the host and the existing path', () => {
    const stack = newStack();
    const host = new TerraformVariable(stack, 'host', { type: 'string' }).stringValue;
    const path = new TerraformVariable(stack, 'path', { type: 'string' }).stringValue;
    new VaultKubernetesAuth(stack, 'Created', { kubernetesHost: host });
    expect(new VaultKubernetesAuth(stack, 'Adopted', { existingPath: path }).kubernetesAuthPath).toBe(path);
    expect(bodiesOf(rawJson(stack), 'vault_kubernetes_auth_backend_config')[0].kubernetes_host).toBe('${var.host}');
  });

  test.each<[VaultKubernetesAuthProps, string]>([
    [
      {},
      'kubernetesHost is required to create a backend (or give existingPath to adopt one), but undefined was provided',
    ],
    [
      { existingPath: 'kubernetes', kubernetesHost: KUBERNETES_HOST, path: 'k8s' },
      'existingPath adopts a backend and cannot be combined with path, kubernetesHost, which create one, but both were provided',
    ],
    [
      { existingPath: '' },
      "existingPath must be an auth path (segments of letters, digits, '.', '_' or '-', no wildcard, no leading or trailing '/'), but '' was provided",
    ],
    [
      { existingPath: 'kube*' },
      "existingPath must be an auth path (segments of letters, digits, '.', '_' or '-', no wildcard, no leading or trailing '/'), but 'kube*' was provided",
    ],
    [
      { existingPath: 'k8s/+' },
      "existingPath must be an auth path (segments of letters, digits, '.', '_' or '-', no wildcard, no leading or trailing '/'), but 'k8s/+' was provided",
    ],
    [
      { kubernetesHost: KUBERNETES_HOST, path: '/kubernetes/' },
      "path must be an auth path (segments of letters, digits, '.', '_' or '-', no wildcard, no leading or trailing '/'), but '/kubernetes/' was provided",
    ],
    [
      { kubernetesHost: 'http://k8s.example.com' },
      "kubernetesHost must be an https URL, but 'http://k8s.example.com' was provided",
    ],
    [
      { kubernetesHost: KUBERNETES_HOST, tokenReviewerJwt: 'eyJhbGciOi.literal' },
      'tokenReviewerJwt must be a reference (e.g. a sensitive TerraformVariable), but a literal was provided',
    ],
    [{ kubernetesHost: KUBERNETES_HOST, issuer: '' }, "issuer must not be empty, but '' was provided"],
  ])('fails when %j', (props, message) => {
    expect(problemsOf(() => new VaultKubernetesAuth(newStack(), 'Auth', props))).toEqual([message]);
  });

  test('a literal reviewer token is never echoed in the error', () => {
    expect(
      () =>
        new VaultKubernetesAuth(newStack(), 'Auth', {
          kubernetesHost: KUBERNETES_HOST,
          tokenReviewerJwt: 'super-secret',
        }),
    ).not.toThrow(/super-secret/);
  });
});
