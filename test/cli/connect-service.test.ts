/**
 * `mcp-access connect <tenant> --service-account <name>`: the arguments (every refusal with its exact
 * message), the settings from the outputs, the private key and the Access service token secret (OS
 * keychain or file descriptor, never a path), and the session: client credentials with a
 * private_key_jwt assertion against the local oidc-provider (configured like an Okta service app),
 * renewed a minute before expiry on a clock the test moves. jose cannot load in jest's CommonJS
 * runtime, so these tests sign with node:crypto through the signer hook; the end-to-end test runs
 * the command as a program, signing with jose.
 */
import { createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { runConnectCommand } from '../../lib/cli/connect';
import { CONNECT_USAGE, type ConnectArguments, parseConnectArguments } from '../../lib/cli/connect/args';
import { clientConfigSnippets } from '../../lib/cli/connect/client-config';
import { discoverIssuer, TokenSession } from '../../lib/cli/connect/oauth';
import { authorizedFetch, NoTokenError, upstreamError } from '../../lib/cli/connect/proxy';
import {
  type AssertionClaims,
  type AssertionSigner,
  clientCredentialsSignIn,
  jwkThumbprint,
  keychainAccount,
  type KeyringBinding,
  loadKeyringBinding,
  loadServiceCredentials,
  parsePrivateKey,
  readSecret,
  type ServiceKey,
} from '../../lib/cli/connect/service-account';
import {
  type ConnectionSettings,
  connectionSettings,
  secretOutputNames,
  tenantOutputs,
} from '../../lib/cli/connect/settings';
import { type LocalAuthorizationServer, startAuthorizationServer } from '../e2e/authorization-server-spec';
import { rsaSigningKey, signJwt } from '../e2e/jwt';
import { freePort } from '../e2e/processes';

jest.setTimeout(15_000);

const parsed = (argv: string[]): ConnectArguments => {
  const result = parseConnectArguments(argv);
  if (result === 'help' || 'problem' in result) throw new Error(JSON.stringify(result));
  return result;
};

/** `terraform output -json` of tenant acme with its service account deploy-bot (the secret left out). */
const OUTPUTS = {
  acme_issuer: { sensitive: false, type: 'string', value: 'https://example.okta.com/oauth2/aus1acme' },
  acme_audience: { sensitive: false, type: 'string', value: 'https://acme.mcp.example.com/mcp' },
  acme_client_id: { sensitive: false, type: 'string', value: '0oa1mcpclients' },
  acme_connect_command: {
    sensitive: false,
    type: 'string',
    value: 'cloudflared access tcp --hostname acme.mcp.example.com --url 127.0.0.1:7700',
  },
  acme_service_deploy_bot_client_id: { sensitive: false, type: 'string', value: '0oa1deploybot' },
  acme_service_deploy_bot_access_client_id: { sensitive: false, type: 'string', value: 'a1b2c3.access' },
};

const ecKey = (curve = 'P-256') => generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
const pkcs8 = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }) as string;
const privateJwk = (key: KeyObject, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...key.export({ format: 'jwk' }), ...extra });

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-svc-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A file descriptor open on `text` (a file here; CI passes a pipe). */
function fdWith(text: string | Buffer): number {
  const file = path.join(dir, `secret-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, text, { mode: 0o600 });
  const fd = fs.openSync(file, 'r');
  fs.unlinkSync(file);
  return fd;
}
/** Whether `fd` still holds the (regular) file it was opened on: a closed number may be reused by a socket. */
const isOpen = (fd: number) => {
  try {
    return fs.fstatSync(fd).isFile();
  } catch {
    return false;
  }
};

/** A keychain binding that serves `entries` (account -> value) and records what was asked. */
function fakeKeychain(entries: Record<string, string | Error>) {
  const asked: string[] = [];
  const binding: KeyringBinding = {
    AsyncEntry: class {
      constructor(
        private readonly service: string,
        private readonly account: string,
      ) {}
      async getPassword() {
        asked.push(`${this.service} ${this.account}`);
        const value = entries[this.account];
        if (value instanceof Error) throw value;
        return value ?? null;
      }
    },
  };
  return { asked, load: async () => binding };
}

describe('arguments of a service account session', () => {
  const base = ['acme', '--stdio', '--outputs', 'o.json', '--service-account', 'deploy-bot'];
  test.each([
    [
      ['acme', '--stdio', '--outputs', 'o.json', '--service-account', 'Deploy_Bot'],
      "--service-account must be a DNS label (lower-case letters, digits and '-', at most 63 characters), but 'Deploy_Bot' was provided",
    ],
    [
      ['acme', '--stdio', '--outputs', 'o.json', '--service-account', `a${'b'.repeat(63)}`],
      `--service-account must be a DNS label (lower-case letters, digits and '-', at most 63 characters), but 'a${'b'.repeat(63)}' was provided`,
    ],
    [
      ['acme', '--stdio', '--outputs', 'o.json', '--service-account', 'bot-'],
      "--service-account must be a DNS label (lower-case letters, digits and '-', at most 63 characters), but 'bot-' was provided",
    ],
    [
      [...base, '--admin'],
      '--admin does not go with --service-account: a service account gets the scopes its Okta policy rule grants (declare admin: true in the stack, then ask with --scope mcp:acme:admin)',
    ],
    [
      [...base, '--redirect-uri', 'http://127.0.0.1:7701/callback'],
      "--redirect-uri is for a person's browser sign-in: a service account signs in headless, so leave it out",
    ],
    [
      [...base, '--no-browser', '--admin-client-id', 'x'],
      "--admin-client-id, --no-browser are for a person's browser sign-in: a service account signs in headless, so leave them out",
    ],
    [
      [...base, '--key-fd', '2'],
      "--key-fd must be a file descriptor number of at least 3 (0, 1 and 2 are stdin, stdout and stderr), but '2' was provided",
    ],
    [
      [...base, '--key-fd', '0'],
      "--key-fd must be a file descriptor number of at least 3 (0, 1 and 2 are stdin, stdout and stderr), but '0' was provided",
    ],
    [
      [...base, '--key-fd', 'three'],
      "--key-fd must be a file descriptor number of at least 3 (0, 1 and 2 are stdin, stdout and stderr), but 'three' was provided",
    ],
    [
      [...base, '--key-fd', './deploy-bot.pem'],
      "--key-fd must be a file descriptor number of at least 3 (0, 1 and 2 are stdin, stdout and stderr), but './deploy-bot.pem' was provided",
    ],
    [
      [...base, '--access-secret-fd', '1'],
      "--access-secret-fd must be a file descriptor number of at least 3 (0, 1 and 2 are stdin, stdout and stderr), but '1' was provided",
    ],
    [
      [...base, '--key-fd', '3', '--access-secret-fd', '3'],
      '--key-fd and --access-secret-fd must be different file descriptors, but both are 3',
    ],
    [
      [...base, '--access-secret-fd', '4', '--no-tunnel'],
      '--access-secret-fd is for the tunnel (the Access service token): it does not go with --no-tunnel',
    ],
    [
      ['acme', '--print-config', '--outputs', 'o.json', '--service-account', 'deploy-bot', '--key-fd', '3'],
      '--print-config writes a configuration an MCP client starts, and a client cannot hand over file descriptors: leave out --key-fd and --access-secret-fd (the configuration reads the OS keychain)',
    ],
    [
      [...base, '--key-id', 'a b'],
      "--key-id must be 1 to 256 printable characters without spaces, but 'a b' was provided",
    ],
    [[...base, '--key-id', ''], "--key-id must be 1 to 256 printable characters without spaces, but '' was provided"],
    [
      [...base, '--scope', 'mcp:globex:use'],
      "--scope must be mcp:acme:use or mcp:acme:admin (a scope of tenant acme), but 'mcp:globex:use' was provided",
    ],
    [
      [...base, '--scope', 'openid'],
      "--scope must be mcp:acme:use or mcp:acme:admin (a scope of tenant acme), but 'openid' was provided",
    ],
    [
      ['acme', '--stdio', '--outputs', 'o.json', '--key-fd', '3'],
      '--key-fd is for a service account: give --service-account <name> too',
    ],
    [
      ['acme', '--stdio', '--outputs', 'o.json', '--scope', 'mcp:acme:use', '--access-client-id', 'x'],
      '--access-client-id, --scope are for a service account: give --service-account <name> too',
    ],
    [
      ['acme', '--stdio', '--service-account', 'deploy-bot'],
      'without --outputs <file>, give --issuer, --client-id, --audience, --local-port, --access-client-id',
    ],
    [
      ['acme', '--stdio', '--service-account', 'deploy-bot', '--no-tunnel'],
      'without --outputs <file>, give --issuer, --client-id, --audience, --local-port',
    ],
    [[...base, '--service-account'], '--service-account needs a value'],
  ])('%j: %s', (argv, problem) => {
    expect(parseConnectArguments(argv)).toEqual({ problem });
  });

  test('the values: keychain by default, fds and scopes when given (in order, without repeats)', () => {
    expect(parsed(base)).toEqual({
      tenant: 'acme',
      mode: 'stdio',
      outputsFile: 'o.json',
      admin: false,
      tunnel: true,
      browser: true,
      audit: false,
      serviceAccount: 'deploy-bot',
    });
    expect(
      parsed([
        ...base,
        '--key-fd',
        '3',
        '--access-secret-fd',
        '4',
        '--scope',
        'mcp:acme:admin',
        '--scope',
        'mcp:acme:use',
        '--scope',
        'mcp:acme:admin',
        '--key-id',
        'k-2026',
      ]),
    ).toMatchObject({ keyFd: 3, accessSecretFd: 4, scopes: ['mcp:acme:admin', 'mcp:acme:use'], keyId: 'k-2026' });
  });

  test('the usage text names every flag of a service account', () => {
    for (const flag of [
      '--service-account <name>',
      '--key-fd <n>',
      '--access-secret-fd <n>',
      '--access-client-id <id>',
      '--key-id <kid>',
      '--scope <scope>',
    ]) {
      expect(CONNECT_USAGE).toContain(flag);
    }
    expect(CONNECT_USAGE).toContain('<tenant>/<name>/private-key and <tenant>/<name>/access-client-secret');
  });
});

describe('settings of a service account session', () => {
  test("from the outputs: the service account's own client id and Access service token, the use scope", () => {
    const outputs = tenantOutputs(OUTPUTS, 'acme', 'o.json');
    expect(
      connectionSettings(
        parsed(['acme', '--stdio', '--outputs', 'o.json', '--service-account', 'deploy-bot']),
        outputs,
      ),
    ).toEqual({
      tenant: 'acme',
      issuer: 'https://example.okta.com/oauth2/aus1acme',
      audience: 'https://acme.mcp.example.com/mcp',
      clientId: '0oa1deploybot',
      scopes: ['mcp:acme:use'],
      redirectUri: 'http://127.0.0.1:7701/callback',
      localPort: 7700,
      hostname: 'acme.mcp.example.com',
      mcpUrl: 'http://127.0.0.1:7700/mcp',
      admin: false,
      serviceAccount: { name: 'deploy-bot', accessClientId: 'a1b2c3.access', keyId: undefined },
    });
  });

  test('flags win; --no-tunnel needs no Access service token; --scope asks for exactly those scopes', () => {
    const outputs = tenantOutputs(OUTPUTS, 'acme', 'o.json');
    const args = parsed([
      'acme',
      '--stdio',
      '--outputs',
      'o.json',
      '--service-account',
      'deploy-bot',
      '--client-id',
      '0oa9other',
      '--no-tunnel',
      '--scope',
      'mcp:acme:admin',
      '--scope',
      'mcp:acme:use',
    ]);
    expect(connectionSettings(args, outputs)).toMatchObject({
      clientId: '0oa9other',
      scopes: ['mcp:acme:admin', 'mcp:acme:use'],
      serviceAccount: { name: 'deploy-bot', accessClientId: undefined },
    });
  });

  test('a service account without outputs is named, with the output the operator should look for', () => {
    const outputs = tenantOutputs(OUTPUTS, 'acme', 'o.json');
    expect(() =>
      connectionSettings(
        parsed(['acme', '--stdio', '--outputs', 'o.json', '--service-account', 'nightly-sync']),
        outputs,
      ),
    ).toThrow(
      'the client id of service account nightly-sync is unknown: give --client-id, or outputs with acme_service_nightly_sync_client_id',
    );
    expect(() =>
      connectionSettings(
        parsed(['acme', '--stdio', '--outputs', 'o.json', '--service-account', 'nightly-sync', '--client-id', 'c']),
        outputs,
      ),
    ).toThrow(
      'the Access service token of service account nightly-sync is unknown: give --access-client-id, or outputs with acme_service_nightly_sync_access_client_id',
    );
  });

  test('an outputs file that holds a secret is refused (terraform output -json prints sensitive outputs in clear)', async () => {
    const leaked = {
      ...OUTPUTS,
      acme_service_deploy_bot_access_client_secret: { sensitive: true, type: 'string', value: 'cf-secret-value' },
    };
    expect(secretOutputNames(leaked)).toEqual(['acme_service_deploy_bot_access_client_secret']);
    expect(secretOutputNames({ stack: { acme_service_deploy_bot_access_client_secret: 'cf-secret-value' } })).toEqual([
      'acme_service_deploy_bot_access_client_secret',
    ]);
    expect(
      secretOutputNames({ other: { sensitive: true, value: 'x' }, none: { sensitive: true, value: null } }),
    ).toEqual(['other']);
    expect(secretOutputNames(OUTPUTS)).toEqual([]);
    fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(leaked));
    const err: string[] = [];
    // A person's session refuses it too: the file itself is the leak.
    const code = await runConnectCommand(['acme', '--stdio', '--outputs', 'outputs.json'], {
      out: () => undefined,
      err: (l) => err.push(l),
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(err).toEqual([
      'mcp-access connect: outputs.json holds secret values (acme_service_deploy_bot_access_client_secret): delete it, move each secret into the OS keychain of the host that uses it (docs/service-identities.md), and write the outputs without secrets (`cdktf output <stack> --outputs-file <file>` leaves them out; `terraform output -json` prints them)',
    ]);
    expect(err.join('\n')).not.toContain('cf-secret-value');
  });

  test('--print-config: an entry of its own that starts the service account session from the keychain', () => {
    const snippet = clientConfigSnippets(
      parsed([
        'acme',
        '--print-config',
        '--outputs',
        '/o.json',
        '--service-account',
        'deploy-bot',
        '--scope',
        'mcp:acme:use',
      ]),
      '/',
    );
    expect(snippet).toContain('"acme-deploy-bot"');
    expect(snippet).toContain(
      '"--service-account",\n        "deploy-bot",\n        "--scope",\n        "mcp:acme:use"',
    );
    expect(snippet).not.toContain('--key-fd');
    expect(snippet).toContain('account acme/deploy-bot/private-key');
  });
});

describe('the private key', () => {
  test.each([
    ['P-256', 'ES256'],
    ['P-384', 'ES384'],
    ['P-521', 'ES512'],
  ])('EC %s in PEM PKCS#8 signs %s, with its RFC 7638 thumbprint as kid', (curve, alg) => {
    const key = ecKey(curve);
    const parsedKey = parsePrivateKey(`\n${pkcs8(key)}\n`);
    expect(parsedKey.alg).toBe(alg);
    expect(parsedKey.kid).toBe(jwkThumbprint(key));
    expect(parsedKey.privateKey.asymmetricKeyType).toBe('ec');
  });

  test('the thumbprint is RFC 7638 (its own example key gives its own example value)', () => {
    const rfc7638 = createPublicKey({
      format: 'jwk',
      key: {
        kty: 'RSA',
        n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
        e: 'AQAB',
      },
    });
    expect(jwkThumbprint(rfc7638)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  test('RSA of 2048 bits signs RS256; a private JWK keeps its own kid; --key-id wins over both', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(parsePrivateKey(pkcs8(rsa))).toMatchObject({ alg: 'RS256', kid: jwkThumbprint(rsa) });
    const ec = ecKey();
    expect(parsePrivateKey(privateJwk(ec, { kid: 'deploy-bot-2026-12', alg: 'ES256' })).kid).toBe('deploy-bot-2026-12');
    expect(parsePrivateKey(privateJwk(ec)).kid).toBe(jwkThumbprint(ec));
    expect(parsePrivateKey(privateJwk(ec, { kid: 'deploy-bot-2026-12' }), 'k-next').kid).toBe('k-next');
  });

  test.each([
    [
      'a public JWK',
      () => JSON.stringify(createPublicKey(ecKey()).export({ format: 'jwk' })),
      'the private key is a public JWK: give the private key (only its public half goes into the stack)',
    ],
    [
      'an encrypted PEM',
      () => ecKey().export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'p' }) as string,
      'the private key is encrypted, and connect runs headless and asks for no passphrase: keep it unencrypted in the OS keychain (which encrypts it), or pass it on --key-fd',
    ],
    [
      'a SEC1 PEM',
      () => ecKey().export({ format: 'pem', type: 'sec1' }) as string,
      'the private key is a PEM EC PRIVATE KEY: convert it to PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`), or store it as a JWK',
    ],
    [
      'a PKCS#1 PEM',
      () =>
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
          format: 'pem',
          type: 'pkcs1',
        }) as string,
      'the private key is a PEM RSA PRIVATE KEY: convert it to PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`), or store it as a JWK',
    ],
    [
      'an RSA key of 1024 bits',
      () => pkcs8(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey),
      'the private key is a 1024-bit RSA key: use EC P-256 (recommended) or RSA of at least 2048 bits',
    ],
    [
      'an RSA key of 2047 bits',
      () => pkcs8(generateKeyPairSync('rsa', { modulusLength: 2047 }).privateKey),
      'the private key is a 2047-bit RSA key: use EC P-256 (recommended) or RSA of at least 2048 bits',
    ],
    [
      'an EC key on secp256k1',
      () => pkcs8(ecKey('secp256k1')),
      'the private key is on curve secp256k1: use P-256 (recommended), P-384 or P-521',
    ],
    [
      'an Ed25519 key',
      () => pkcs8(generateKeyPairSync('ed25519').privateKey),
      'the private key is an ed25519 key: Okta verifies RS256 to ES512, so use EC P-256 (recommended) or RSA',
    ],
    [
      'a public PEM',
      () => createPublicKey(ecKey()).export({ format: 'pem', type: 'spki' }) as string,
      'the private key is neither a PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----) nor a private JWK',
    ],
    [
      'a path',
      () => './keys/deploy-bot.pem',
      'the private key is neither a PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----) nor a private JWK',
    ],
    ['broken JSON', () => '{"kty":', 'the private key is neither a PEM PKCS#8 key nor a JWK (its JSON does not parse)'],
  ])('%s is refused', (_name, text, message) => {
    expect(() => parsePrivateKey(text())).toThrow(message);
  });

  test('a broken PEM and a broken JWK are refused with the reason', () => {
    expect(() => parsePrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow(
      /^the private key is not a valid PEM PKCS#8 key \(/,
    );
    expect(() => parsePrivateKey('{"kty":"EC","crv":"P-256","d":"AA","x":"AA","y":"AA"}')).toThrow(
      /^the private key is not a valid RSA or EC JWK \(/,
    );
  });
});

describe('reading a secret', () => {
  const keySource = (fd?: number) => ({
    flag: '--key-fd',
    fd,
    account: keychainAccount('acme', 'deploy-bot', 'private-key'),
    what: 'private key',
  });

  test('from a file descriptor: read to its end, then closed', async () => {
    const fd = fdWith('  the secret\n');
    expect(await readSecret(keySource(fd))).toBe('the secret');
    expect(isOpen(fd)).toBe(false);
  });

  test('a file descriptor that is empty, too large, not open, or never ends is refused', async () => {
    const empty = fdWith('\n');
    await expect(readSecret(keySource(empty))).rejects.toThrow(
      `file descriptor ${empty} (--key-fd) gave nothing: write the private key on it`,
    );
    const big = fdWith(Buffer.alloc(64 * 1024 + 1, 'a'));
    await expect(readSecret(keySource(big))).rejects.toThrow(
      `file descriptor ${big} (--key-fd) gave more than 64 KiB: that is no private key`,
    );
    await expect(readSecret(keySource(1023))).rejects.toThrow(
      'nothing is open on file descriptor 1023 (--key-fd): open it for the command, e.g. `--key-fd 1023 1023< <(printenv SECRET)`',
    );
    // A pipe whose writer never closes it (here the test holds the write end of a FIFO).
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const fd = fs.openSync(fifo, fs.constants.O_RDWR);
    await expect(readSecret({ ...keySource(fd), timeoutMs: 200 })).rejects.toThrow(
      `file descriptor ${fd} (--key-fd) did not reach its end within 0.2 s: write the private key and close it`,
    );
    let stillTheFifo = false;
    try {
      stillTheFifo = fs.fstatSync(fd).isFIFO();
    } catch {
      // closed
    }
    expect(stillTheFifo).toBe(false);
  });

  test('from the OS keychain: service cdktf-mcp-access, account <tenant>/<name>/private-key', async () => {
    const keychain = fakeKeychain({ 'acme/deploy-bot/private-key': '{"kty":"EC"}\n' });
    expect(await readSecret(keySource(), keychain.load)).toBe('{"kty":"EC"}');
    expect(keychain.asked).toEqual(['cdktf-mcp-access acme/deploy-bot/private-key']);
  });

  test('no entry, an unreadable keychain, or no binding: each says to use --key-fd', async () => {
    await expect(readSecret(keySource(), fakeKeychain({}).load)).rejects.toThrow(
      'no private key in the OS keychain (service cdktf-mcp-access, account acme/deploy-bot/private-key): store it there (docs/service-identities.md), or use --key-fd <n> to pass the private key on a file descriptor',
    );
    const locked = fakeKeychain({
      'acme/deploy-bot/private-key': new Error('Platform secure storage failure: locked'),
    });
    await expect(readSecret(keySource(), locked.load)).rejects.toThrow(
      'the OS keychain cannot be read (Platform secure storage failure: locked); use --key-fd <n> to pass the private key on a file descriptor',
    );
    const missing = async (): Promise<KeyringBinding> => {
      throw Object.assign(new Error("Cannot find module '@napi-rs/keyring'"), { code: 'MODULE_NOT_FOUND' });
    };
    await expect(readSecret(keySource(), missing)).rejects.toThrow(
      "the OS keychain cannot be read: its binding @napi-rs/keyring (an optional dependency) is not installed for this platform (Cannot find module '@napi-rs/keyring'); use --key-fd <n> to pass the private key on a file descriptor",
    );
  });

  test('the installed binding has the asynchronous entry connect uses (loaded lazily, nothing read or written)', async () => {
    const binding = await loadKeyringBinding();
    expect(typeof binding.AsyncEntry).toBe('function');
    expect(typeof binding.AsyncEntry.prototype.getPassword).toBe('function');
  });

  test('a session with the tunnel reads both secrets; with --no-tunnel only the key', async () => {
    const key = ecKey();
    const settings = (extra: string[]) =>
      connectionSettings(
        parsed(['acme', '--stdio', '--outputs', 'o.json', '--service-account', 'deploy-bot', ...extra]),
        tenantOutputs(OUTPUTS, 'acme', 'o.json'),
      );
    const keychain = fakeKeychain({
      'acme/deploy-bot/private-key': pkcs8(key),
      'acme/deploy-bot/access-client-secret': 'cf-secret',
    });
    const both = await loadServiceCredentials(settings([]), {}, keychain.load);
    expect(both.accessSecret).toBe('cf-secret');
    expect(both.key.kid).toBe(jwkThumbprint(key));
    expect(keychain.asked).toEqual([
      'cdktf-mcp-access acme/deploy-bot/private-key',
      'cdktf-mcp-access acme/deploy-bot/access-client-secret',
    ]);
    const keyOnly = fakeKeychain({ 'acme/deploy-bot/private-key': pkcs8(key) });
    expect((await loadServiceCredentials(settings(['--no-tunnel']), {}, keyOnly.load)).accessSecret).toBeUndefined();
    expect(keyOnly.asked).toEqual(['cdktf-mcp-access acme/deploy-bot/private-key']);
    // A file descriptor for the key, the keychain for the secret.
    const fd = fdWith(privateJwk(key, { kid: 'k1' }));
    const mixed = fakeKeychain({ 'acme/deploy-bot/access-client-secret': 'cf-secret' });
    expect((await loadServiceCredentials(settings([]), { keyFd: fd }, mixed.load)).key.kid).toBe('k1');
    expect(mixed.asked).toEqual(['cdktf-mcp-access acme/deploy-bot/access-client-secret']);
  });
});

describe('the session: client credentials with private_key_jwt (oidc-provider as an Okta service app)', () => {
  const AUDIENCE = 'https://acme.mcp.example.com/mcp';
  const serviceKey = ecKey();
  const strangerKey = ecKey();
  let as: LocalAuthorizationServer;
  let settings: ConnectionSettings;
  let upstream: http.Server;
  let upstreamUrl: string;
  const upstreamSeen: string[] = [];

  /** Signs with node:crypto (the program signs with jose), recording what it was asked to sign. */
  const signed: { claims: AssertionClaims; kid: string; alg: string }[] = [];
  const signer: AssertionSigner = async (claims, key: ServiceKey) => {
    signed.push({ claims, kid: key.kid, alg: key.alg });
    return signJwt(
      { ...claims },
      { kid: key.kid, privateKey: key.privateKey, privateJwk: { kty: 'EC' }, publicJwk: {} },
    );
  };
  const decode = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

  beforeAll(async () => {
    const publicJwk = {
      ...createPublicKey(serviceKey).export({ format: 'jwk' }),
      kid: jwkThumbprint(serviceKey),
      alg: 'ES256',
      use: 'sig',
    };
    as = await startAuthorizationServer({
      accountId: 'user-00u1svc',
      clients: [
        {
          clientId: '0oa1deploybot',
          redirectUris: [],
          grantTypes: ['client_credentials'],
          tokenEndpointAuthMethod: 'private_key_jwt',
          publicKeys: [publicJwk as JsonWebKey],
          rotateRefreshToken: false,
          pkceRequired: false,
        },
      ],
      servers: [
        {
          id: 'aus-acme',
          tenant: 'acme',
          audience: AUDIENCE,
          claims: { tid: 'acme' },
          signingKey: rsaSigningKey('acme-key').privateJwk,
          policies: [{ clientId: '0oa1deploybot', scopes: ['mcp:acme:use'], accessTokenTtlSeconds: 900 }],
        },
      ],
    });
    upstream = http.createServer((req, res) => {
      upstreamSeen.push(req.headers.authorization ?? '');
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    const port = (upstream.address() as { port: number }).port;
    upstreamUrl = `http://127.0.0.1:${port}/mcp`;
    settings = connectionSettings(
      parsed([
        'acme',
        '--stdio',
        '--service-account',
        'deploy-bot',
        '--issuer',
        as.issuers.acme,
        '--client-id',
        '0oa1deploybot',
        '--audience',
        AUDIENCE,
        '--local-port',
        String(port),
        '--no-tunnel',
      ]),
    );
  });

  afterAll(async () => {
    await as?.stop();
    upstream?.closeAllConnections();
    await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  });

  test('one token per assertion; renewed a minute before expiry with a new assertion; no refresh token, nothing to revoke', async () => {
    let now = 5_000_000;
    const log: string[] = [];
    const key = parsePrivateKey(pkcs8(serviceKey));
    const session = new TokenSession(
      settings,
      clientCredentialsSignIn(settings, key, { signer }),
      (m) => log.push(m),
      fetch,
      () => now,
    );
    const before = signed.length;
    const first = await session.accessToken();
    expect(await session.accessToken()).toBe(first);
    expect(session.canRefresh).toBe(false);

    // Okta's shape of a client-credentials token: sub = cid = the client id, no uid; the tenant claim; 15 minutes.
    const claims = decode(first);
    expect(claims).toMatchObject({
      sub: '0oa1deploybot',
      cid: '0oa1deploybot',
      tid: 'acme',
      scp: ['mcp:acme:use'],
      aud: AUDIENCE,
    });
    expect(claims.uid).toBeUndefined();
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);

    now += (900 - 61) * 1000;
    expect(await session.accessToken()).toBe(first);
    now += 2 * 1000;
    const second = await session.accessToken();
    expect(second).not.toBe(first);

    // Each token came from its own assertion: iss = sub = the client id, aud = the token endpoint, 2 minutes, a new jti.
    const tokenEndpoint = (await discoverIssuer(as.issuers.acme)).metadata.token_endpoint;
    const assertions = signed.slice(before);
    expect(assertions).toHaveLength(2);
    for (const { claims: c, kid, alg } of assertions) {
      expect(c).toMatchObject({ iss: '0oa1deploybot', sub: '0oa1deploybot', aud: tokenEndpoint });
      expect(c.exp - c.iat).toBe(120);
      expect(Math.abs(c.iat - Date.now() / 1000)).toBeLessThan(30);
      expect([kid, alg]).toEqual([jwkThumbprint(serviceKey), 'ES256']);
    }
    expect(assertions[0].claims.jti).not.toBe(assertions[1].claims.jti);

    const events = (await as.events()).filter((e) => e.clientId === '0oa1deploybot');
    expect(events.map((e) => [e.route, e.grantType, e.scope, e.status])).toEqual([
      ['token', 'client_credentials', 'mcp:acme:use', 200],
      ['token', 'client_credentials', 'mcp:acme:use', 200],
    ]);
    expect(events.every((e) => e.refreshToken === undefined)).toBe(true);
    expect(log).toEqual([
      'got a token for service account deploy-bot of tenant acme (mcp:acme:use)',
      'got a token for service account deploy-bot of tenant acme (mcp:acme:use)',
    ]);
    await session.close();
    expect((await as.events()).some((e) => e.route === 'revocation')).toBe(false);
    await expect(session.accessToken()).rejects.toThrow('the session is closed');
  });

  test('a key the app does not hold gets no token (invalid_client)', async () => {
    const session = new TokenSession(
      settings,
      clientCredentialsSignIn(settings, parsePrivateKey(pkcs8(strangerKey)), { signer }),
    );
    await expect(session.accessToken()).rejects.toThrow(/^the token request was refused: invalid_client/);
  });

  test("a scope outside the service account's rule gets no token (invalid_scope)", async () => {
    const greedy = { ...settings, scopes: ['mcp:acme:use', 'mcp:acme:admin'] };
    const session = new TokenSession(
      greedy,
      clientCredentialsSignIn(greedy, parsePrivateKey(pkcs8(serviceKey)), { signer }),
    );
    await expect(session.accessToken()).rejects.toThrow(/^the token request was refused: invalid_scope/);
  });

  test('an issuer that does not take private_key_jwt, a plain-http token endpoint, or no token response: no assertion is wasted', async () => {
    const key = parsePrivateKey(pkcs8(serviceKey));
    const metadata = {
      issuer: 'https://example.okta.com/oauth2/aus1',
      authorization_endpoint: 'https://example.okta.com/oauth2/aus1/v1/authorize',
      token_endpoint: 'https://example.okta.com/oauth2/aus1/v1/token',
      response_types_supported: ['code'],
    };
    const before = signed.length;
    await expect(
      clientCredentialsSignIn(settings, key, { signer })({
        ...metadata,
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      }),
    ).rejects.toThrow(
      'the issuer does not accept private_key_jwt client authentication (it offers client_secret_basic)',
    );
    await expect(
      clientCredentialsSignIn(settings, key, { signer })({
        ...metadata,
        token_endpoint: 'http://example.okta.com/token',
      }),
    ).rejects.toThrow(
      "the issuer's token endpoint http://example.okta.com/token is not https (http only on a loopback host)",
    );
    expect(signed.length).toBe(before);
    const notOAuth = async () =>
      new Response('{"hello":"world"}', { status: 200, headers: { 'content-type': 'application/json' } });
    await expect(clientCredentialsSignIn(settings, key, { signer, fetchFn: notOAuth })(metadata)).rejects.toThrow(
      'the token endpoint answered with no OAuth token response',
    );
    const down = async () => new Response('bad gateway', { status: 502 });
    await expect(clientCredentialsSignIn(settings, key, { signer, fetchFn: down })(metadata)).rejects.toThrow(
      'the token request was refused: HTTP 502',
    );
  });

  test('mcp-access connect --service-account --listen: headless, the key from a file descriptor, the token on every upstream request', async () => {
    const keyFd = fdWith(pkcs8(serviceKey));
    const port = await freePort();
    const stop = new AbortController();
    const lines: string[] = [];
    let listening: (url: string) => void = () => undefined;
    const endpoint = new Promise<string>((resolve) => (listening = resolve));
    const local = new URL(upstreamUrl);
    const session = runConnectCommand(
      [
        'acme',
        '--listen',
        `127.0.0.1:${port}`,
        '--service-account',
        'deploy-bot',
        '--issuer',
        as.issuers.acme,
        '--client-id',
        '0oa1deploybot',
        '--audience',
        AUDIENCE,
        '--local-port',
        local.port,
        '--no-tunnel',
        '--key-fd',
        String(keyFd),
      ],
      {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        signal: stop.signal,
        signAssertion: signer,
        openUrl: () => {
          throw new Error('a service account never opens a browser');
        },
        keyring: async () => {
          throw new Error('the keychain is not asked when --key-fd is given');
        },
        onListening: (url) => listening(url),
      },
    );
    let code: number;
    try {
      const url = await Promise.race([
        endpoint,
        session.then((c) => Promise.reject(new Error(`connect ended (${c}): ${lines.join('\n')}`))),
      ]);
      const before = upstreamSeen.length;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      });
      expect(response.status).toBe(200);
      const bearer = upstreamSeen.slice(before);
      expect(bearer).toHaveLength(1);
      expect(decode(bearer[0].replace(/^Bearer /, ''))).toMatchObject({
        sub: '0oa1deploybot',
        cid: '0oa1deploybot',
        tid: 'acme',
      });
    } finally {
      stop.abort();
      code = await session;
    }
    expect(code).toBe(0);
    expect(isOpen(keyFd)).toBe(false);
    expect(lines).toContain(
      'mcp-access connect: got a token for service account deploy-bot of tenant acme (mcp:acme:use)',
    );
    // Neither the key nor a token is ever printed.
    const printed = lines.join('\n');
    expect(printed).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(printed).not.toContain('PRIVATE KEY');
  });

  test('a refused token request reaches the MCP client as "no token", not as a refusal by the server', async () => {
    const session = {
      accessToken: async () => Promise.reject(new Error('the token request was refused: invalid_client')),
      renew: async () => 'x',
    };
    const sent = authorizedFetch(session, async () => new Response('{}'))('http://127.0.0.1:7700/mcp', {
      method: 'POST',
    });
    const error = await sent.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(NoTokenError);
    expect(upstreamError(7, error as Error)).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: -32001,
        message: "mcp-access connect: no token for the tenant's server: the token request was refused: invalid_client",
      },
    });
  });

  test('without the key: exit 1 with the reason, before anything starts', async () => {
    const err: string[] = [];
    const code = await runConnectCommand(
      [
        'acme',
        '--stdio',
        '--service-account',
        'deploy-bot',
        '--issuer',
        as.issuers.acme,
        '--client-id',
        'c',
        '--audience',
        AUDIENCE,
        '--local-port',
        '7700',
        '--no-tunnel',
      ],
      { out: () => undefined, err: (l) => err.push(l), keyring: fakeKeychain({}).load },
    );
    expect(code).toBe(1);
    expect(err).toEqual([
      'mcp-access connect: no private key in the OS keychain (service cdktf-mcp-access, account acme/deploy-bot/private-key): store it there (docs/service-identities.md), or use --key-fd <n> to pass the private key on a file descriptor',
    ]);
  });
});
