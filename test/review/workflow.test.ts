import * as fs from 'fs';
import * as path from 'path';

const WORKFLOW = fs.readFileSync(path.join(__dirname, '../../examples/ci/mcp-access-review.yml'), 'utf8');
const MARKER = '<!-- mcp-access-review -->';

/** The block scalar under `script: |`, dedented. */
function githubScript(): string {
  const lines = WORKFLOW.split('\n');
  const start = lines.findIndex((l) => /^\s+script: \|$/.test(l));
  const indent = lines[start].indexOf('script');
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.search(/\S/) <= indent) break;
    body.push(line);
  }
  const depth = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.search(/\S/)));
  return body.map((l) => l.slice(depth)).join('\n');
}

interface Comment {
  id: number;
  body: string;
  user: { type: string };
}

/** Runs the workflow's github-script step against a fake pull request holding `comments`. */
async function postReport(report: string, comments: Comment[], exitCode = '0'): Promise<string[]> {
  const calls: string[] = [];
  let nextId = 100;
  const github = {
    paginate: async (method: string, params: { issue_number: number }) => {
      expect([method, params.issue_number]).toEqual(['listComments', 7]);
      return comments;
    },
    rest: {
      issues: {
        listComments: 'listComments',
        updateComment: async (p: { comment_id: number; body: string }) => {
          calls.push(`update ${p.comment_id}`);
          comments.find((c) => c.id === p.comment_id)!.body = p.body;
        },
        createComment: async (p: { issue_number: number; body: string }) => {
          calls.push(`create on ${p.issue_number}`);
          comments.push({ id: nextId++, body: p.body, user: { type: 'Bot' } });
        },
      },
    },
  };
  const context = {
    serverUrl: 'https://github.com',
    repo: { owner: 'acme', repo: 'infra' },
    runId: 42,
    payload: { pull_request: { number: 7 } },
  };
  const fakeRequire = (id: string) => {
    expect(id).toBe('fs');
    return { readFileSync: (file: string) => (file === 'review.md' ? report : '') };
  };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction('require', 'github', 'context', 'process', githubScript())(fakeRequire, github, context, {
    env: { EXIT_CODE: exitCode },
  });
  return calls;
}

describe('the GitHub Actions workflow (examples/ci/mcp-access-review.yml)', () => {
  test('runs on pull requests; only the job that runs no project code may write to pull requests', () => {
    expect(WORKFLOW).toMatch(/^on:\n {2}pull_request:\n/m);
    expect(WORKFLOW).toMatch(/^permissions:\n {2}contents: read\n/m);
    const jobs = WORKFLOW.slice(WORKFLOW.indexOf('\njobs:\n'));
    const [review, comment] = jobs.split(/^ {2}comment:$/m);
    expect(review).not.toContain('pull-requests: write');
    expect(comment).toMatch(/permissions:\n\s+contents: read\n\s+pull-requests: write\n/);
    expect(comment).not.toMatch(/npm (ci|run)|npx/);
  });

  test('pins every action by full commit SHA, with its version in a comment', () => {
    const uses = [...WORKFLOW.matchAll(/uses: (\S+)@(\S+)(.*)$/gm)];
    expect(uses.map((u) => u[1])).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/upload-artifact',
      'actions/download-artifact',
      'actions/github-script',
    ]);
    for (const [, , ref, comment] of uses) {
      expect(ref).toMatch(/^[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  test('synthesizes base and head in two worktrees, then reviews the head against the base', () => {
    expect(WORKFLOW).toContain('git -C head worktree add --detach ../base "$BASE_SHA"');
    expect(WORKFLOW.match(/npm ci --no-audit --no-fund\n\s+npm run synth/g)).toHaveLength(2);
    expect(WORKFLOW).toContain(
      '(cd head && npx --no-install mcp-access review cdktf.out --base ../base/cdktf.out) > review.md',
    );
    // Fails only after the comment step, on any non-zero exit of the review.
    const failStep = WORKFLOW.indexOf('- name: Fail on error findings');
    expect(failStep).toBeGreaterThan(WORKFLOW.indexOf('- name: Post or update the pull-request comment'));
    expect(WORKFLOW.slice(failStep)).toContain("if: ${{ needs.review.outputs.exit-code != '0' }}");
  });

  test('posts one marked comment, then updates it instead of adding another', async () => {
    const comments: Comment[] = [{ id: 1, body: 'LGTM', user: { type: 'User' } }];
    expect(await postReport('## mcp-access review\n\nfirst', comments)).toEqual(['create on 7']);
    expect(await postReport('## mcp-access review\n\nsecond', comments)).toEqual(['update 100']);
    expect(comments.map((c) => c.body)).toEqual(['LGTM', `${MARKER}\n## mcp-access review\n\nsecond`]);
  });

  test('ignores a user comment that quotes the marker', async () => {
    const comments: Comment[] = [{ id: 5, body: `${MARKER}\nquoted`, user: { type: 'User' } }];
    expect(await postReport('report', comments)).toEqual(['create on 7']);
  });

  test('truncates a report longer than a comment may be at a tenant section, linking the full report', async () => {
    const section = (i: number) =>
      `<details><summary><b>Tenant t${i}</b></summary>\n\n${'x'.repeat(2000)}\n\n</details>`;
    const report = ['## mcp-access review', ...Array.from({ length: 100 }, (_, i) => section(i))].join('\n');
    const comments: Comment[] = [];
    await postReport(report, comments);
    const body = comments[0].body;
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body).toMatch(
      /<\/details>\n\n_Report truncated: the full report is the `mcp-access-review` artifact of \[this run\]\(https:\/\/github\.com\/acme\/infra\/actions\/runs\/42\)\._$/,
    );
    expect(body).toContain('<summary><b>Tenant t0</b>');
    expect(body).not.toContain('<summary><b>Tenant t99</b>');
  });

  test('posts a pointer to the log when the review printed nothing', async () => {
    const comments: Comment[] = [];
    await postReport('', comments, '2');
    expect(comments[0].body).toBe(
      `${MARKER}\nmcp-access review failed (exit 2): see the [job log](https://github.com/acme/infra/actions/runs/42).`,
    );
  });
});
