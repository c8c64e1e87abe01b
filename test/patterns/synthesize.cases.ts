import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from '../../lib/core/cdktf';
import { SecureMcpAccess } from '../../lib/patterns/secure-mcp-access';
import { synthesize, validationLines } from '../../lib/patterns/synthesize';
import { baseProps, withProviders } from '../helpers';

/** Runs synthesize() on an app built in a temporary folder; returns what it printed and the exit code. */
function run(build: (app: App) => void, asFunction = false): { ok: boolean; lines: string[]; code?: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-synthesize-'));
  const lines: string[] = [];
  let code: number | undefined;
  try {
    const app = new App({ outdir });
    const io = {
      error: (l: string) => lines.push(l),
      exit: (c: number) => (code = c),
      log: (l: string) => lines.push(`log: ${l}`),
    };
    const ok = asFunction
      ? synthesize(() => {
          build(app);
          return app;
        }, io)
      : (build(app), synthesize(app, io));
    return { ok, lines, code };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const stack = (app: App) => withProviders(new TerraformStack(app, 'one'), { deployable: true });

describe('synthesize()', () => {
  test('synthesizes a compliant app and prints one line naming its stacks and folder', () => {
    const result = run((app) => {
      new SecureMcpAccess(stack(app), 'Mcp', baseProps(['acme']));
    });
    expect(result).toEqual({
      ok: true,
      lines: [expect.stringMatching(/^log: Synthesized one into \/.*mcp-synthesize-[^/]+$/)],
      code: undefined,
    });
  });

  test("prints the rule pack's errors once, without a stack trace or cdktf's advice, and exits 1", () => {
    const result = run((app) => {
      const mcp = new SecureMcpAccess(stack(app), 'Mcp', baseProps(['acme']));
      mcp.cell('acme').identity.useRule.addOverride('access_token_lifetime_minutes', 60);
    });
    expect(result.ok).toBe(false);
    expect(result.code).toBe(1);
    expect(result.lines[0]).toBe(
      'mcp-access: synth refused: 1 error (each names its fix; RULES.md explains the rule):',
    );
    expect(result.lines).toHaveLength(2);
    expect(result.lines[1]).toMatch(
      /^ {2}\[one\] MCP-ID-5 error okta_auth_server_policy_rule\.Mcp_acme_Identity_UseRule_[0-9A-F]{8}: .*access_token_lifetime_minutes is 60.*\. Fix: /,
    );
    const printed = result.lines.join('\n');
    expect(printed).not.toMatch(/skipValidation|\n\s+at /);
  });

  test("prints a construct's invalid props as they are, once, built inside the function", () => {
    const result = run((app) => {
      new SecureMcpAccess(stack(app), 'Mcp', { ...baseProps(['acme']), tokenTtlMinutes: 16 });
    }, true);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      'mcp-access: SecureMcpAccess has invalid props:\n  - tokenTtlMinutes must be between 5 and 15, but 16 was provided',
    ]);
  });

  test('a function that synthesizes by itself returns nothing; other failures print their message', () => {
    const lines: string[] = [];
    const io = { error: (l: string) => lines.push(l), exit: () => undefined };
    expect(synthesize(() => undefined, io)).toBe(true);
    expect(
      synthesize(() => {
        throw new Error('fleet.json is not a valid fleet description');
      }, io),
    ).toBe(false);
    expect(lines).toEqual(['mcp-access: synth failed: fleet.json is not a valid fleet description']);
  });

  test('validationLines keeps only the bracketed finding lines', () => {
    expect(
      validationLines(
        'Validation failed with the following errors:\n  [one] MCP-X error a: b\n\nIf you wish to ignore these validations, pass skipValidation',
      ),
    ).toEqual(['[one] MCP-X error a: b']);
  });
});
