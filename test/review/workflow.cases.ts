/**
 * The GitHub Actions workflow (examples/ci/mcp-access-review.yml), parsed as YAML: which jobs run
 * on which outcome, and its github-script steps run against a fake pull request.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const FILE = path.join(__dirname, '../../examples/ci/mcp-access-review.yml');
const MARKER = '<!-- mcp-access-review -->';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
}
interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly steps: Step[];
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflow = parse(fs.readFileSync(FILE, 'utf8')) as Workflow;

function job(id: string): Job {
  const found = workflow.jobs[id];
  if (!found) throw new Error(`no job ${id}`);
  return found;
}

function step(jobId: string, name: string): Step {
  const found = job(jobId).steps.find((s) => s.name?.startsWith(name));
  if (!found) throw new Error(`no step '${name}' in ${jobId}`);
  return found;
}

/** Evaluates a step's `if:` for an exit code of the review (the expressions this workflow uses). */
function runsOn(condition: string | undefined, exitCode: string): boolean {
  if (condition === undefined) return true;
  const expression = condition.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  const js = expression
    .replace(/needs\.review\.outputs\.exit-code/g, JSON.stringify(exitCode))
    .replace(/needs\.review\.result/g, "'success'")
    .replace(/github\.event\.pull_request\.head\.repo\.full_name == github\.repository/g, 'true')
    .replace(/always\(\)/g, 'true')
    .replace(/!cancelled\(\)/g, 'true')
    .replace(/'/g, '"')
    .replace(/==/g, '===')
    .replace(/!=/g, '!==');
  expect(js).toMatch(/^[\s"0-9a-z!=&|()]*$/);
  return new Function(`return (${js});`)() as boolean;
}

interface Comment {
  id: number;
  body: string;
  user: { type: string };
}

interface Fake {
  comments: Comment[];
  labels: string[];
  reviews: { commit_id: string; state: string; user: { login: string } }[];
  calls: string[];
  failed: string[];
  infos: string[];
}

const HEAD_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** Runs one github-script step of the workflow against a fake pull request. */
async function runScript(s: Step, fake: Fake, env: Record<string, string>, report = ''): Promise<void> {
  const script = s.with?.script;
  if (script === undefined) throw new Error(`step ${s.name} has no script`);
  let nextId = 100;
  const github = {
    paginate: async (method: string, params: { issue_number?: number; pull_number?: number }) => {
      expect(params.issue_number ?? params.pull_number).toBe(7);
      if (method === 'listComments') return fake.comments;
      if (method === 'listReviews') return fake.reviews;
      throw new Error(`unexpected ${method}`);
    },
    rest: {
      issues: {
        listComments: 'listComments',
        updateComment: async (p: { comment_id: number; body: string }) => {
          fake.calls.push(`update ${p.comment_id}`);
          fake.comments.find((c) => c.id === p.comment_id)!.body = p.body;
        },
        createComment: async (p: { issue_number: number; body: string }) => {
          fake.calls.push(`create on ${p.issue_number}`);
          fake.comments.push({ id: nextId++, body: p.body, user: { type: 'Bot' } });
        },
        addLabels: async (p: { labels: string[] }) => {
          fake.calls.push(`label +${p.labels.join(',')}`);
          fake.labels.push(...p.labels);
        },
        removeLabel: async (p: { name: string }) => {
          fake.calls.push(`label -${p.name}`);
          fake.labels = fake.labels.filter((l) => l !== p.name);
        },
      },
      pulls: { listReviews: 'listReviews' },
    },
  };
  const context = {
    serverUrl: 'https://github.com',
    repo: { owner: 'acme', repo: 'infra' },
    runId: 42,
    payload: { pull_request: { number: 7, head: { sha: HEAD_SHA }, labels: fake.labels.map((name) => ({ name })) } },
  };
  const core = {
    setFailed: (m: string) => fake.failed.push(m),
    info: (m: string) => fake.infos.push(m),
  };
  const fakeRequire = (id: string) => {
    expect(id).toBe('fs');
    return {
      existsSync: (file: string) => file === 'review.md' && report !== '',
      readFileSync: (file: string) => (file === 'review.md' ? report : ''),
    };
  };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction('require', 'github', 'context', 'core', 'process', script)(
    fakeRequire,
    github,
    context,
    core,
    { env },
  );
}

const fresh = (): Fake => ({ comments: [], labels: [], reviews: [], calls: [], failed: [], infos: [] });

describe('the GitHub Actions workflow (examples/ci/mcp-access-review.yml)', () => {
  test('is named so that its checks read "mcp-access / report" and "mcp-access / security review"', () => {
    expect(workflow.name).toBe('mcp-access');
    expect(Object.keys(workflow.jobs).sort()).toEqual(['report', 'review', 'security-review']);
    expect(job('review').name).toBe('review');
    expect(job('report').name).toBe('report');
    expect(job('security-review').name).toBe('security review');
  });

  test('runs on pull requests and again on each review submitted or dismissed', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'pull_request_review']);
    expect(workflow.on.pull_request_review).toEqual({ types: ['submitted', 'dismissed'] });
  });

  test('only the job that runs the pull request code is read-only; the others run no project code', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(job('review').permissions).toEqual({ contents: 'read' });
    expect(job('report').permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(job('security-review').permissions).toEqual({ 'pull-requests': 'read' });
    const runs = (id: string) =>
      job(id)
        .steps.filter((s) => s.run !== undefined)
        .map((s) => s.run as string);
    expect(runs('review').some((r) => r.includes('npm ci'))).toBe(true);
    for (const id of ['report', 'security-review']) {
      expect(runs(id).join('\n')).not.toMatch(/npm|npx|node /);
    }
  });

  test('pins every action by full commit SHA, with its version in a comment', () => {
    const text = fs.readFileSync(FILE, 'utf8');
    const uses = [...text.matchAll(/uses: (\S+)(.*)/g)];
    expect(uses.length).toBeGreaterThanOrEqual(6);
    for (const [, action, comment] of uses) {
      expect(action).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  test('synthesizes base and head in two worktrees, keeps going when the rule pack fails a synth, and reviews the head against the base', () => {
    const review = job('review');
    expect(review.outputs).toEqual({ 'exit-code': '${{ steps.review.outputs.exit-code }}' });
    expect(step('review', 'Add the base as a second worktree').run).toContain(
      'worktree add --detach ../base "$BASE_SHA"',
    );
    for (const side of ['base', 'head']) {
      expect(step('review', `Synthesize the ${side}`).run).toContain(
        `npm run synth || echo "::warning::synth of the ${side} exited $?"`,
      );
    }
    const run = step('review', 'Review the head against the base').run as string;
    expect(run).toContain('set +e');
    expect(run).toContain('npx --no-install mcp-access review cdktf.out --base ../base/cdktf.out) > review.md');
    expect(run).toContain('echo "exit-code=$code" >> "$GITHUB_OUTPUT"');
    // The review job itself never fails on the review's verdict: the report must be posted first.
    expect(review.steps.some((s) => s.run?.includes('exit 1'))).toBe(false);
  });

  test.each([
    ['0', { post: true, fail: false, label: false }],
    ['1', { post: true, fail: true, label: false }],
    ['2', { post: true, fail: true, label: false }],
    ['3', { post: true, fail: false, label: true }],
    ['', { post: true, fail: true, label: false }],
  ])('exit code %j: the report is posted, then the job fails only on 1, 2 or no exit code', async (code, want) => {
    const report = job('report');
    expect(runsOn(report.if, code)).toBe(true);
    const names = report.steps.map((s) => s.name ?? '');
    const post = names.findIndex((n) => n.startsWith('Post or update the pull-request comment'));
    const mark = names.findIndex((n) => n.startsWith('Mark the pull request'));
    const fail = names.findIndex((n) => n.startsWith('Fail on error findings'));
    expect([post, mark, fail].every((i) => i >= 0)).toBe(true);
    expect(post).toBeLessThan(fail);
    expect(mark).toBeLessThan(fail);
    expect(runsOn(report.steps[post].if, code)).toBe(want.post);
    expect(runsOn(report.steps[fail].if, code)).toBe(want.fail);
    expect(report.steps[fail].run).toContain('exit 1');

    const fake = fresh();
    fake.labels = code === '3' ? [] : ['needs-security-review'];
    await runScript(report.steps[mark], fake, { EXIT_CODE: code });
    expect(fake.labels.includes('needs-security-review')).toBe(want.label);
  });

  test('posts one marked comment, then updates it instead of adding another', async () => {
    const post = step('report', 'Post or update the pull-request comment');
    const fake = fresh();
    fake.comments.push({ id: 1, body: 'LGTM', user: { type: 'User' } });
    await runScript(post, fake, { EXIT_CODE: '3' }, '## mcp-access review\n\nfirst');
    await runScript(post, fake, { EXIT_CODE: '1' }, '## mcp-access review\n\nsecond');
    expect(fake.calls).toEqual(['create on 7', 'update 100']);
    expect(fake.comments.map((c) => c.body)).toEqual(['LGTM', `${MARKER}\n## mcp-access review\n\nsecond`]);
  });

  test('ignores a user comment that quotes the marker', async () => {
    const fake = fresh();
    fake.comments.push({ id: 5, body: `${MARKER}\nquoted`, user: { type: 'User' } });
    await runScript(step('report', 'Post or update the pull-request comment'), fake, { EXIT_CODE: '0' }, 'report');
    expect(fake.calls).toEqual(['create on 7']);
  });

  test('truncates a report longer than a comment may be at a section, linking the full report', async () => {
    const section = (i: number) =>
      `<details><summary><b>Tenant t${i}</b></summary>\n\n${'x'.repeat(2000)}\n\n</details>`;
    const report = ['## mcp-access review', ...Array.from({ length: 100 }, (_, i) => section(i))].join('\n');
    const fake = fresh();
    await runScript(step('report', 'Post or update the pull-request comment'), fake, { EXIT_CODE: '3' }, report);
    const body = fake.comments[0].body;
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body).toMatch(
      /<\/details>\n\n_Report truncated: the full report is the `mcp-access-review` artifact of \[this run\]\(https:\/\/github\.com\/acme\/infra\/actions\/runs\/42\)\._$/,
    );
    expect(body).toContain('<summary><b>Tenant t0</b>');
    expect(body).not.toContain('<summary><b>Tenant t99</b>');
  });

  test('posts a pointer to the log when the review printed nothing', async () => {
    const fake = fresh();
    await runScript(step('report', 'Post or update the pull-request comment'), fake, { EXIT_CODE: '2' }, '');
    expect(fake.comments[0].body).toBe(
      `${MARKER}\nmcp-access review failed (exit 2): see the [job log](https://github.com/acme/infra/actions/runs/42).`,
    );
  });

  describe('the security review check', () => {
    const gate = () => step('security-review', 'Require a security reviewer');
    const env = { SECURITY_REVIEWERS: 'Alice, bob' };

    test('runs whatever the review found, and passes when no security review is asked for', async () => {
      expect(runsOn(job('security-review').if, '1')).toBe(true);
      for (const code of ['0', '1', '2', '']) {
        const fake = fresh();
        await runScript(gate(), fake, { ...env, EXIT_CODE: code });
        expect(fake.failed).toEqual([]);
      }
    });

    test('fails on exit 3 until a listed reviewer approves the head commit', async () => {
      const fake = fresh();
      await runScript(gate(), fake, { ...env, EXIT_CODE: '3' });
      expect(fake.failed).toEqual([
        'mcp-access review found weakened or unclassified changes (exit 3): one of alice, bob must approve this pull request at a1b2c3d (see the report comment).',
      ]);

      // An approval of an earlier commit, or by someone not listed, does not count.
      const stale = fresh();
      stale.reviews = [
        { commit_id: '0'.repeat(40), state: 'APPROVED', user: { login: 'alice' } },
        { commit_id: HEAD_SHA, state: 'APPROVED', user: { login: 'mallory' } },
      ];
      await runScript(gate(), stale, { ...env, EXIT_CODE: '3' });
      expect(stale.failed).toHaveLength(1);

      const approved = fresh();
      approved.reviews = [{ commit_id: HEAD_SHA, state: 'APPROVED', user: { login: 'Alice' } }];
      await runScript(gate(), approved, { ...env, EXIT_CODE: '3' });
      expect(approved.failed).toEqual([]);
      expect(approved.infos).toEqual(['Security review: approved by alice at a1b2c3d.']);
    });

    test('a later request for changes by the same reviewer withdraws the approval', async () => {
      const fake = fresh();
      fake.reviews = [
        { commit_id: HEAD_SHA, state: 'APPROVED', user: { login: 'bob' } },
        { commit_id: HEAD_SHA, state: 'COMMENTED', user: { login: 'bob' } },
        { commit_id: HEAD_SHA, state: 'CHANGES_REQUESTED', user: { login: 'bob' } },
      ];
      await runScript(gate(), fake, { ...env, EXIT_CODE: '3' });
      expect(fake.failed).toHaveLength(1);
    });

    test('fails closed when no security reviewer is configured', async () => {
      const fake = fresh();
      await runScript(gate(), fake, { SECURITY_REVIEWERS: ' , ', EXIT_CODE: '3' });
      expect(fake.failed).toEqual([
        'mcp-access review needs a security reviewer (exit 3), and the repository variable MCP_ACCESS_SECURITY_REVIEWERS names none.',
      ]);
    });
  });
});
