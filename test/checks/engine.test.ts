import { LogpushJob } from '@cdktf/provider-cloudflare/lib/logpush-job';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type Finding, formatFinding, hasErrors, runChecks, suppressionProblem } from '../../lib/checks/engine';
import { SynthesizedStack, type JsonObject } from '../../lib/model/stack';
import { McpAccessChecks } from '../../lib/checks/pack';
import { Verdict } from '../../lib/checks/verdict';
import { nonCompliant, compliant, undecided, type Rule } from '../../lib/checks/rule';
import { ALL_RULES } from '../../lib/checks/rules';
import { Construct, TerraformStack } from '../../lib/core/cdktf';
import { enableFastSynth } from '../../lib/fast-synth/fast-synth';
import { newAppStack, newStack, withProviders } from '../helpers';

/** A test rule that flags every resource whose `flag` attribute is true. */
function flagRule(id: string, level: 'error' | 'warning'): Rule {
  return {
    id,
    level,
    layer: 'tenancy',
    cause: 'the resource is flagged',
    explanation: 'Test rule.',
    requires: ['flag is false'],
    fix: 'set flag = false',
    evaluate: (stack) =>
      stack
        .ofType('test_thing')
        .map((e) =>
          e.body.flag === true
            ? nonCompliant(e.address, 'flag is true')
            : typeof e.body.flag === 'string'
              ? undecided(e.address, 'flag is an unresolved expression')
              : compliant(e.address),
        ),
  };
}

const json = (things: Record<string, JsonObject>, suppressions: unknown[] = []): JsonObject => ({
  '//': { mcp_access: { suppressions, tenants: {} } },
  resource: {
    test_thing: Object.fromEntries(
      Object.entries(things).map(([k, v]) => [k, { ...v, '//': { metadata: { path: `s/${k}` } } }]),
    ),
  },
});

describe('runChecks', () => {
  const rules = [flagRule('MCP-TEN-90', 'error'), flagRule('MCP-TEN-91', 'warning')];

  test('reports a non-compliant resource as a finding with rule id, level, address and cause', () => {
    const report = runChecks(new SynthesizedStack(json({ a: { flag: true }, b: { flag: false } })), rules);
    expect(report.findings.map(formatFinding)).toEqual([
      'MCP-TEN-90 error test_thing.a: the resource is flagged (flag is true). Fix: set flag = false',
      'MCP-TEN-91 warning test_thing.a: the resource is flagged (flag is true). Fix: set flag = false',
    ]);
    expect(report.applied).toEqual(['MCP-TEN-90', 'MCP-TEN-91']);
  });

  test("reports an undecided evaluation at the rule's own level, never as a pass: an error rule that cannot decide fails", () => {
    const report = runChecks(new SynthesizedStack(json({ a: { flag: '${var.x}' } })), rules);
    expect(report.findings.map(formatFinding)).toEqual([
      'MCP-TEN-90 error test_thing.a: could not decide: the resource is flagged (flag is an unresolved expression). Fix: make the value decidable: a literal, a variable with a literal default, or a reference to a resource or output of a stack of this app',
      'MCP-TEN-91 warning test_thing.a: could not decide: the resource is flagged (flag is an unresolved expression). Fix: make the value decidable: a literal, a variable with a literal default, or a reference to a resource or output of a stack of this app',
    ]);
    expect(hasErrors(report)).toBe(true);
  });

  test('a not-applicable rule reports nothing and is not listed as applied', () => {
    const report = runChecks(new SynthesizedStack({}), rules);
    expect(report.findings).toEqual([]);
    expect(report.applied).toEqual([]);
  });

  test('honours a reasoned suppression of a warning-level rule', () => {
    const stack = new SynthesizedStack(
      json({ a: { flag: true } }, [{ ruleId: 'MCP-TEN-91', reason: 'accepted by the security team' }]),
    );
    const report = runChecks(stack, rules);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['MCP-TEN-90']);
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        ruleId: 'MCP-TEN-91',
        address: 'test_thing.a',
        reason: 'accepted by the security team',
      }),
    ]);
  });

  test('a suppression limited to a construct path covers only resources under it', () => {
    const stack = new SynthesizedStack(
      json({ a: { flag: true }, b: { flag: true } }, [
        { ruleId: 'MCP-TEN-91', reason: 'accepted by the security team', path: 's/a' },
      ]),
    );
    const report = runChecks(stack, rules);
    expect(report.findings.filter((f) => f.ruleId === 'MCP-TEN-91').map((f) => f.address)).toEqual(['test_thing.b']);
  });

  test('refuses a suppression without a reason found in the JSON, and keeps the finding', () => {
    const stack = new SynthesizedStack(json({ a: { flag: true } }, [{ ruleId: 'MCP-TEN-91', reason: 'short' }]));
    const report = runChecks(stack, rules);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['MCP-TEN-90', 'MCP-TEN-91']);
    expect(report.refusedSuppressions.map((s) => s.why)).toEqual([
      'a suppression of MCP-TEN-91 needs a reason of at least 10 characters, but "short" was provided',
    ]);
  });

  test('refuses a suppression of an error-level rule found in the JSON, and keeps the finding', () => {
    const stack = new SynthesizedStack(
      json({ a: { flag: true } }, [{ ruleId: 'MCP-TEN-90', reason: 'a long enough reason' }]),
    );
    const report = runChecks(stack, rules);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['MCP-TEN-90', 'MCP-TEN-91']);
    expect(report.refusedSuppressions.map((s) => s.why)).toEqual([
      'MCP-TEN-90 is an error-level rule and cannot be suppressed',
    ]);
  });

  test('refuses an undecided-only acceptance of an error-level rule found in the JSON: what it cannot decide fails', () => {
    const stack = new SynthesizedStack(
      json({ a: { flag: '${var.x}' }, b: { flag: true } }, [
        { ruleId: 'MCP-TEN-90', reason: 'judged in the foundation stack', undecidedOnly: true },
      ]),
    );
    const report = runChecks(stack, rules);
    expect(report.refusedSuppressions.map((s) => s.why)).toEqual([
      'MCP-TEN-90 is an error-level rule: what it cannot decide is an error, and cannot be accepted',
    ]);
    expect(report.suppressed).toEqual([]);
    expect(report.findings.map((f) => `${f.ruleId} ${f.level} ${f.address}`)).toEqual([
      'MCP-TEN-90 error test_thing.a',
      'MCP-TEN-90 error test_thing.b',
      'MCP-TEN-91 warning test_thing.a',
      'MCP-TEN-91 warning test_thing.b',
    ]);
  });

  test('suppressionProblem names an unknown rule id', () => {
    expect(suppressionProblem(rules, 'MCP-NOPE-1', 'a long enough reason')).toBe(
      'MCP-NOPE-1 is not a rule of the pack',
    );
  });

  /** The ids of the findings and of the suppressed findings of a run: `rule address`. */
  const outcome = (stack: SynthesizedStack, ruleSet: readonly Rule[] = rules) => {
    const report = runChecks(stack, ruleSet);
    const names = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId} ${f.address}`);
    return { findings: names(report.findings), suppressed: names(report.suppressed) };
  };

  test('suppressionProblem: a reason of exactly 10 characters is enough, 9 are not, nor 9 padded with spaces to 12', () => {
    expect(suppressionProblem(rules, 'MCP-TEN-91', '0123456789')).toBeUndefined();
    expect(suppressionProblem(rules, 'MCP-TEN-91', '012345678')).toBe(
      'a suppression of MCP-TEN-91 needs a reason of at least 10 characters, but "012345678" was provided',
    );
    expect(suppressionProblem(rules, 'MCP-TEN-91', ' 012345678  ')).toBe(
      'a suppression of MCP-TEN-91 needs a reason of at least 10 characters, but " 012345678  " was provided',
    );
    expect(suppressionProblem(rules, 'MCP-TEN-91', undefined)).toBe(
      'a suppression of MCP-TEN-91 needs a reason of at least 10 characters, but "" was provided',
    );
  });

  test('a suppression whose reason has exactly 10 characters is honoured; 9, or 9 padded to 12, is refused', () => {
    const run = (reason: string) =>
      outcome(new SynthesizedStack(json({ a: { flag: true } }, [{ ruleId: 'MCP-TEN-91', reason }])));
    expect(run('0123456789')).toEqual({
      findings: ['MCP-TEN-90 test_thing.a'],
      suppressed: ['MCP-TEN-91 test_thing.a'],
    });
    const refused = { findings: ['MCP-TEN-90 test_thing.a', 'MCP-TEN-91 test_thing.a'], suppressed: [] };
    expect(run('012345678')).toEqual(refused);
    expect(run(' 012345678  ')).toEqual(refused);
  });

  test('an undecidedOnly suppression covers an undecided warning, not a non-compliant one', () => {
    const stack = new SynthesizedStack(
      json({ a: { flag: '${var.x}' }, b: { flag: true } }, [
        { ruleId: 'MCP-TEN-91', reason: 'judged in the foundation stack', undecidedOnly: true },
      ]),
    );
    expect(outcome(stack)).toEqual({
      findings: ['MCP-TEN-90 test_thing.a', 'MCP-TEN-90 test_thing.b', 'MCP-TEN-91 test_thing.b'],
      suppressed: ['MCP-TEN-91 test_thing.a'],
    });
  });

  test('a suppression with undecidedOnly false covers undecided and non-compliant warnings alike', () => {
    const stack = new SynthesizedStack(
      json({ a: { flag: '${var.x}' }, b: { flag: true } }, [
        { ruleId: 'MCP-TEN-91', reason: 'accepted by the security team', undecidedOnly: false },
      ]),
    );
    expect(outcome(stack)).toEqual({
      findings: ['MCP-TEN-90 test_thing.a', 'MCP-TEN-90 test_thing.b'],
      suppressed: ['MCP-TEN-91 test_thing.a', 'MCP-TEN-91 test_thing.b'],
    });
  });

  /** A stack of flagged test_things at these construct paths (undefined: no cdktf metadata). */
  const flaggedAt = (paths: Record<string, string | undefined>, suppressions: unknown[]) =>
    new SynthesizedStack({
      '//': { mcp_access: { suppressions, tenants: {} } },
      resource: {
        test_thing: Object.fromEntries(
          Object.entries(paths).map(([k, p]) => [
            k,
            p === undefined ? { flag: true } : { flag: true, '//': { metadata: { path: p } } },
          ]),
        ),
      },
    });

  test('a suppression with a path covers that path and its children only; one without a path covers all', () => {
    const paths = { ab: 'a/b', abc: 'a/b/c', abc2: 'a/bc', xab: 'x/a/b', none: undefined };
    const warning = [flagRule('MCP-TEN-91', 'warning')];
    expect(
      outcome(
        flaggedAt(paths, [{ ruleId: 'MCP-TEN-91', reason: 'accepted by the security team', path: 'a/b' }]),
        warning,
      ),
    ).toEqual({
      findings: ['MCP-TEN-91 test_thing.abc2', 'MCP-TEN-91 test_thing.xab', 'MCP-TEN-91 test_thing.none'],
      suppressed: ['MCP-TEN-91 test_thing.ab', 'MCP-TEN-91 test_thing.abc'],
    });
    expect(
      outcome(flaggedAt(paths, [{ ruleId: 'MCP-TEN-91', reason: 'accepted by the security team' }]), warning),
    ).toEqual({
      findings: [],
      suppressed: [
        'MCP-TEN-91 test_thing.ab',
        'MCP-TEN-91 test_thing.abc',
        'MCP-TEN-91 test_thing.abc2',
        'MCP-TEN-91 test_thing.xab',
        'MCP-TEN-91 test_thing.none',
      ],
    });
  });

  test('a suppression covers only the rule it names', () => {
    const warnings = [flagRule('MCP-TEN-91', 'warning'), flagRule('MCP-TEN-92', 'warning')];
    const stack = new SynthesizedStack(
      json({ a: { flag: true } }, [{ ruleId: 'MCP-TEN-92', reason: 'accepted by the security team' }]),
    );
    expect(outcome(stack, warnings)).toEqual({
      findings: ['MCP-TEN-91 test_thing.a'],
      suppressed: ['MCP-TEN-92 test_thing.a'],
    });
  });

  test('an error-level finding is never suppressed, even by a suppression honoured for a warning rule of the same id', () => {
    const twins = [flagRule('MCP-TEN-93', 'warning'), flagRule('MCP-TEN-93', 'error')];
    const stack = new SynthesizedStack(
      json({ a: { flag: true } }, [{ ruleId: 'MCP-TEN-93', reason: 'accepted by the security team' }]),
    );
    const report = runChecks(stack, twins);
    expect(report.refusedSuppressions).toEqual([]);
    expect(report.suppressed.map((f) => `${f.level} ${f.address}`)).toEqual(['warning test_thing.a']);
    expect(report.findings.map((f) => `${f.level} ${f.address}`)).toEqual(['error test_thing.a']);
  });

  test('hasErrors: false with warning findings only, true with an error finding', () => {
    const stack = new SynthesizedStack(json({ a: { flag: true } }));
    const warningsOnly = runChecks(stack, [flagRule('MCP-TEN-91', 'warning')]);
    expect(warningsOnly.findings).toHaveLength(1);
    expect(hasErrors(warningsOnly)).toBe(false);
    expect(hasErrors(runChecks(stack, rules))).toBe(true);
  });
});

describe('formatFinding', () => {
  const finding: Finding = {
    ruleId: 'MCP-TEN-91',
    level: 'warning',
    address: 'test_thing.a',
    cause: 'the resource is flagged',
    undecided: false,
    fix: 'set flag = false',
  };

  test('with and without detail, and for an undecided finding', () => {
    expect(formatFinding(finding)).toBe(
      'MCP-TEN-91 warning test_thing.a: the resource is flagged. Fix: set flag = false',
    );
    expect(formatFinding({ ...finding, detail: 'flag is true' })).toBe(
      'MCP-TEN-91 warning test_thing.a: the resource is flagged (flag is true). Fix: set flag = false',
    );
    expect(formatFinding({ ...finding, undecided: true, detail: 'flag is x', fix: 'decide' })).toBe(
      'MCP-TEN-91 warning test_thing.a: could not decide: the resource is flagged (flag is x). Fix: decide',
    );
  });
});

describe('Verdict', () => {
  test('joins two unknowns with "; " when nothing is wrong', () => {
    expect(new Verdict('r.x').unknown('a').undecided('b is elsewhere').result()).toEqual({
      address: 'r.x',
      status: 'undecided',
      detail: 'a is an unresolved expression; b is elsewhere',
    });
  });

  test('joins two problems with "; ", before any unknown', () => {
    expect(new Verdict('r.x').unknown('a').fail('p').expect(false, 'q').expect(true, 'not this').result()).toEqual({
      address: 'r.x',
      status: 'non-compliant',
      detail: 'p; q',
    });
  });
});

/** A stack with `n` access_requests Logpush jobs: more than 5 trips MCP-LIM-1 (warning). */
function logpushJobs(stack: TerraformStack, n: number, scope: Construct = stack): void {
  for (let i = 0; i < n; i++) {
    new LogpushJob(scope, `job-${i}`, {
      accountId: '0123456789abcdef0123456789abcdef',
      dataset: 'access_requests',
      destinationConf: `r2://bucket-${i}/logs`,
    });
  }
}

describe('McpAccessChecks at synth', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-checks-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('an error finding fails app.synth() naming the rule id and the resource address', () => {
    const { app, stack } = newAppStack(outdir);
    withProviders(stack);
    McpAccessChecks.of(stack);
    new LogpushJob(stack, 'leaky', {
      accountId: '0123456789abcdef0123456789abcdef',
      destinationConf: 'r2://bucket/logs?access-key-id=abc&secret-access-key=0123',
      dataset: 'access_requests',
      logpullOptions: 'fields=RayID',
      name: 'leaky',
      ownershipChallenge: 'x',
    }).addOverride('client_secret', 'hunter2hunter2');
    expect(() => app.synth()).toThrow(
      'MCP-SEC-5 error cloudflare_logpush_job.leaky: a secret literal is in the synthesized JSON, or a secret variable or output is not sensitive (client_secret is a literal credential)',
    );
  });

  test('a warning finding becomes a warning annotation and synth succeeds', () => {
    const { app, stack } = newAppStack(outdir);
    withProviders(stack);
    const pack = McpAccessChecks.of(stack);
    logpushJobs(stack, 6);
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const messages = manifest.stacks.test.annotations.map(
      (a: { level: string; message: string }) => `${a.level} ${a.message}`,
    );
    expect(messages).toContain(
      "@cdktf/warn MCP-LIM-1 warning cloudflare_logpush_job[account_id=0123456789abcdef0123456789abcdef]: the app exceeds a Cloudflare account's documented default limits (6 access_requests Logpush jobs per account, above the default limit of 5). Fix: shard tenants across Cloudflare accounts (about 450 per account), or suppress MCP-LIM-1 with the reason when Cloudflare raised the limits",
    );
    expect(pack.lastReport?.findings.map((f) => f.ruleId)).toEqual(['MCP-LIM-1']);
  });

  test('a reasoned suppression silences a warning-level rule and is written into the JSON', () => {
    const { app, stack } = newAppStack(outdir);
    withProviders(stack);
    const pack = McpAccessChecks.of(stack);
    logpushJobs(stack, 6);
    McpAccessChecks.suppress(stack, 'MCP-LIM-1', 'account limits raised by Cloudflare, ticket 1234');
    app.synth();
    expect(pack.lastReport?.findings).toEqual([]);
    expect(pack.lastReport?.suppressed.map((f) => f.ruleId)).toEqual(['MCP-LIM-1']);
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/test/cdk.tf.json'), 'utf8'));
    expect(written['//'].mcp_access.suppressions).toEqual([
      { ruleId: 'MCP-LIM-1', reason: 'account limits raised by Cloudflare, ticket 1234' },
    ]);
  });

  test('refuses a suppression without a reason', () => {
    const stack = newStack();
    expect(() => McpAccessChecks.suppress(stack, 'MCP-LIM-1', 'because')).toThrow(
      'Cannot suppress MCP-LIM-1: a suppression of MCP-LIM-1 needs a reason of at least 10 characters, but "because" was provided',
    );
  });

  test('refuses to suppress an error-level rule, whatever the reason', () => {
    const stack = newStack();
    expect(() => McpAccessChecks.suppress(stack, 'MCP-SEC-5', 'we really want to keep this literal')).toThrow(
      'Cannot suppress MCP-SEC-5: MCP-SEC-5 is an error-level rule and cannot be suppressed',
    );
  });

  test('judges every stack of the app with the JSON cdktf wrote, and names the stack in the error', () => {
    const { app, stack } = newAppStack(outdir, 'first');
    withProviders(stack);
    McpAccessChecks.of(stack);
    const second = withProviders(new TerraformStack(app, 'second'));
    McpAccessChecks.of(second);
    new LogpushJob(second, 'leaky', {
      accountId: '0123456789abcdef0123456789abcdef',
      destinationConf: 'r2://bucket/logs',
    }).addOverride('password', 'hunter2hunter2');
    expect(() => app.synth()).toThrow('[second] MCP-SEC-5 error cloudflare_logpush_job.leaky');
    // What was judged is what was written.
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/second/cdk.tf.json'), 'utf8'));
    expect(written.resource.cloudflare_logpush_job.leaky.password).toBe('hunter2hunter2');
  });

  test('adds no pass over the elements: cdktf computes each once for the file, the pack reads the file', () => {
    const countCalls = (withPack: boolean, fast: boolean): number => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-count-'));
      const { app, stack } = newAppStack(dir);
      if (fast) enableFastSynth(app);
      withProviders(stack);
      if (withPack) McpAccessChecks.of(stack);
      logpushJobs(stack, 1);
      const spy = jest.spyOn(LogpushJob.prototype, 'toTerraform');
      app.synth();
      const calls = spy.mock.calls.length;
      spy.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
      return calls;
    };
    // cdktf's preparing pass and its writing pass.
    expect(countCalls(false, false)).toBe(2);
    expect(countCalls(true, false)).toBe(2);
    // The opt-in skips the preparing pass of a lone stack.
    expect(countCalls(true, true)).toBe(1);
  });

  test('a finding without a resource (a per-account count) is annotated on the stack', () => {
    const { app, stack } = newAppStack(outdir);
    withProviders(stack);
    McpAccessChecks.of(stack);
    logpushJobs(stack, 6, new Construct(stack, 'Owner'));
    app.synth();
    expect(stack.node.metadata.map((m) => String(m.data))).toContain(
      "MCP-LIM-1 warning cloudflare_logpush_job[account_id=0123456789abcdef0123456789abcdef]: the app exceeds a Cloudflare account's documented default limits (6 access_requests Logpush jobs per account, above the default limit of 5). Fix: shard tenants across Cloudflare accounts (about 450 per account), or suppress MCP-LIM-1 with the reason when Cloudflare raised the limits",
    );
  });

  test('the pack registers every rule once, with unique ids', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('SynthesizedStack.strings', () => {
  test('lists every string of a resource once, with its attribute and, on demand, its path', () => {
    const stack = new SynthesizedStack({
      resource: {
        test_thing: { a: { '//': { metadata: { path: 'x' } }, name: 'n', spec: [{ args: ['p', 'q'], n: 1 }] } },
      },
    });
    const entry = stack.find('test_thing.a')!;
    const leaves = stack.strings(entry);
    expect(leaves.texts).toEqual(['n', 'p', 'q']);
    expect(leaves.keys).toEqual(['name', 'args', 'args']);
    expect(leaves.pathOf(2)).toBe('spec[0].args[1]');
    expect(stack.strings(entry)).toBe(leaves);
  });
});
