import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VaultClient, VaultError } from '../../examples/mcp-server/src/vault';
import { startVaultStandIn, type VaultStandIn } from '../e2e/vault-stand-in';

describe("the server's Vault client", () => {
  let dir: string;
  let vault: VaultStandIn;
  let now: number;
  let client: VaultClient;
  const tokenFile = () => path.join(dir, 'token');

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-vault-'));
    fs.writeFileSync(tokenFile(), 'sa-jwt-1\n');
    vault = await startVaultStandIn({
      authPath: 'kubernetes',
      roles: { 'mcp-acme': { jwt: 'sa-jwt-1', kvMount: 'tenants/acme/kv' } },
      secrets: { 'tenants/acme/kv/data/team/db': { data: { password: 'p', user: 'u' }, version: 7 } },
      leaseSeconds: 900,
    });
    now = 1_000_000;
    client = new VaultClient(
      {
        address: vault.url,
        role: 'mcp-acme',
        authPath: 'kubernetes',
        tokenPath: tokenFile(),
        kvMount: 'tenants/acme/kv',
      },
      fetch,
      () => now,
    );
  });

  afterEach(async () => {
    await vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const logins = () => vault.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as unknown);

  test('logs in with its role and the projected token, and describes a secret without its values', async () => {
    expect(await client.describeSecret('team/db')).toEqual({
      version: 7,
      createdTime: '2026-11-02T09:00:00.000000Z',
      keys: ['password', 'user'],
    });
    expect(logins()).toEqual([{ role: 'mcp-acme', jwt: 'sa-jwt-1' }]);
    expect(vault.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/v1/auth/kubernetes/login'],
      ['GET', '/v1/tenants/acme/kv/data/team/db'],
    ]);
  });

  test('keeps its Vault token until a minute before the lease ends, then logs in again re-reading the token file', async () => {
    await client.describeSecret('team/db');
    now += (900 - 61) * 1000;
    await client.describeSecret('team/db');
    expect(logins()).toHaveLength(1);
    now += 2 * 1000;
    // The kubelet rotated the projected token: the next login sends the new one.
    fs.writeFileSync(tokenFile(), 'sa-jwt-2');
    await expect(client.describeSecret('team/db')).rejects.toThrow('Vault refused the Kubernetes login (403)');
    expect(logins()).toEqual([
      { role: 'mcp-acme', jwt: 'sa-jwt-1' },
      { role: 'mcp-acme', jwt: 'sa-jwt-2' },
    ]);
  });

  test('a refused read logs in once more (the token may have been revoked), then reports the refusal', async () => {
    await expect(client.describeSecret('nothing-here')).rejects.toEqual(
      new VaultError('secret nothing-here does not exist', 404),
    );
    const revokedEverywhere = new VaultClient(
      {
        address: vault.url,
        role: 'mcp-acme',
        authPath: 'kubernetes',
        tokenPath: tokenFile(),
        kvMount: 'tenants/globex/kv',
      },
      fetch,
      () => now,
    );
    await expect(revokedEverywhere.describeSecret('x')).rejects.toThrow('Vault answered 403 to the read');
    expect(logins()).toHaveLength(3);
  });

  test('a refused login and an unreadable token file are reported without the token', async () => {
    fs.writeFileSync(tokenFile(), 'wrong');
    await expect(client.describeSecret('team/db')).rejects.toThrow('Vault refused the Kubernetes login (403)');
    fs.rmSync(tokenFile());
    await expect(client.describeSecret('team/db')).rejects.toThrow('the service account token cannot be read (ENOENT)');
  });
});
