/** The server's command line, as the image runs it: starts refused, the health command, SIGTERM. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, runServerToExit, startServer } from '../e2e/processes';
import { CONTRACT_ENV } from './fixtures';

jest.setTimeout(15_000);

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-main-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('mcp-server', () => {
  test('a missing variable stops the start with one line and exit code 78', async () => {
    const env: Record<string, string> = { ...CONTRACT_ENV };
    delete env.VAULT_ROLE;
    expect(await runServerToExit(env)).toEqual({
      code: 78,
      stderr: 'mcp-server: refusing to start: VAULT_ROLE is required\n',
    });
  });

  test('an audit file that cannot be opened stops the start', async () => {
    const auditPath = path.join(dir, 'no-such-dir', 'audit.jsonl');
    expect(await runServerToExit({ ...CONTRACT_ENV, MCP_AUDIT_LOG_PATH: auditPath })).toEqual({
      code: 78,
      stderr: `mcp-server: refusing to start: MCP_AUDIT_LOG_PATH ${auditPath} cannot be opened for appending (ENOENT)\n`,
    });
  });

  test('healthcheck exits 1 with one line when nothing answers, 0 when the server does; SIGTERM stops it with 0', async () => {
    const port = await freePort();
    const env = {
      ...CONTRACT_ENV,
      MCP_PORT: String(port),
      // Discovery of this issuer fails offline: the server still starts, and retries on the next request.
      MCP_OAUTH_ISSUER: 'http://127.0.0.1:9/oauth2/aus1',
      MCP_AUDIT_LOG_PATH: path.join(dir, 'audit.jsonl'),
    };
    const down = await runServerToExit(env, ['healthcheck']);
    expect(down).toEqual({ code: 1, stderr: `mcp-server healthcheck: 127.0.0.1:${port} answered ECONNREFUSED\n` });
    const server = await startServer(env);
    expect(await runServerToExit(env, ['healthcheck'])).toEqual({ code: 0, stderr: '' });
    expect(await server.stop()).toBe(0);
    const logs = server
      .stderr()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { msg: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['listening', 'shutting down']));
  });

  test('usage', async () => {
    const wrong = await runServerToExit(CONTRACT_ENV, ['serve', 'extra']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^usage: mcp-server \[serve \| healthcheck\]/);
  });
});
