import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

type Job = {
  needs?: string | string[];
  if?: string;
  uses?: string;
  strategy?: { 'fail-fast'?: boolean; matrix?: string };
  with?: Record<string, string>;
  steps?: { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }[];
  permissions?: Record<string, string>;
  environment?: string;
  env?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  outputs?: Record<string, string>;
};
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };

const dir = path.join(__dirname, '../../examples/ci');
const fleetText = fs.readFileSync(path.join(dir, 'mcp-access-fleet.yml'), 'utf8');
const stackText = fs.readFileSync(path.join(dir, 'mcp-access-fleet-stack.yml'), 'utf8');
const fleet = parse(fleetText) as Workflow;
const stack = parse(stackText) as Workflow;

describe('examples/ci/mcp-access-fleet.yml: each touched stack planned in its own job, in waves', () => {
  test('computes the matrix with mcp-access fleet plan-matrix, head against base', () => {
    const steps = fleet.jobs.matrix.steps!;
    const run = steps.map((s) => s.run ?? '').join('\n');
    expect(run).toContain('npx --no-install mcp-access fleet plan-matrix ../head.out --base ../base.out');
    expect(run).toContain('git diff --exit-code -- examples/fleet/fleet.lock.jsonl');
    expect(Object.keys(fleet.jobs.matrix.outputs!)).toEqual(['shared', 'foundations', 'cells']);
  });

  test('runs the waves in order: shared, then foundations, then cells, each skipped when empty', () => {
    expect(fleet.jobs.shared.needs).toBe('matrix');
    expect(fleet.jobs.foundations.needs).toEqual(['matrix', 'shared']);
    expect(fleet.jobs.cells.needs).toEqual(['matrix', 'shared', 'foundations']);
    for (const wave of ['shared', 'foundations', 'cells']) {
      const job = fleet.jobs[wave];
      expect([wave, job.strategy!.matrix]).toEqual([wave, `\${{ fromJSON(needs.matrix.outputs.${wave}) }}`]);
      expect(job.if).toContain(`needs.matrix.outputs.${wave} != '{"include":[]}'`);
      expect(job.uses).toBe('./.github/workflows/mcp-access-fleet-stack.yml');
      expect(job.with).toEqual({
        stack: '${{ matrix.stack }}',
        change: '${{ matrix.change }}',
        apply: "${{ github.event_name == 'push' }}",
      });
    }
    // A later wave never runs after an earlier one failed or was cancelled.
    expect(fleet.jobs.cells.if).toContain("needs.foundations.result != 'failure'");
    expect(fleet.jobs.cells.if).toContain("needs.shared.result != 'failure'");
    expect(fleet.jobs.foundations.if).toContain("needs.shared.result != 'failure'");
  });

  test('applies only on a push to main, and never two runs of a branch at once', () => {
    expect(Object.keys(fleet.on).sort()).toEqual(['pull_request', 'push']);
    expect((fleet.on.push as { branches: string[] }).branches).toEqual(['main']);
    expect(fleetText).toMatch(/cancel-in-progress: false/);
    expect(fleet.permissions).toEqual({ contents: 'read' });
  });
});

describe('examples/ci/mcp-access-fleet-stack.yml: one stack, plan then apply of that plan', () => {
  const job = stack.jobs.terraform;
  const steps = job.steps!;

  test('plans in the stack folder and applies exactly the saved plan, only when asked', () => {
    const plan = steps.find((s) => s.name === 'terraform plan')!;
    expect(plan.run).toContain('terraform plan -lock-timeout=10m -out=tfplan');
    const apply = steps.find((s) => s.name?.startsWith('terraform apply'))!;
    expect(apply.if).toBe('inputs.apply');
    expect(apply.run).toBe('terraform apply -lock-timeout=10m tfplan');
    expect(job.environment).toBe("${{ inputs.apply && 'mcp-fleet' || 'mcp-fleet-plan' }}");
    expect(job.concurrency).toEqual({
      group: 'mcp-access-fleet-stack-${{ inputs.stack }}',
      'cancel-in-progress': false,
    });
  });

  test('refuses to act on a removed stack', () => {
    const removed = steps[0];
    expect(removed.if).toBe("inputs.change == 'removed'");
    expect(removed.run).toContain('exit 1');
  });

  test('takes credentials from OIDC and secrets as environment variables, never from a file', () => {
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    for (const [name, value] of Object.entries(job.env!)) {
      if (name.startsWith('TF_')) continue;
      expect([name, value]).toEqual([name, expect.stringMatching(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/)]);
    }
    expect(job.env!.TF_VAR_okta_api_token).toBe('${{ secrets.OKTA_API_TOKEN }}');
    expect(stackText).not.toMatch(/aws-access-key-id|aws-secret-access-key|> *[~.\/\w-]*(credentials|token)/i);
  });
});

describe('both fleet workflows pin every action by full commit SHA', () => {
  test.each([
    ['mcp-access-fleet.yml', fleetText],
    ['mcp-access-fleet-stack.yml', stackText],
  ])('%s', (_name, text) => {
    const uses = [...text.matchAll(/uses: (\S+)@(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(2);
    for (const [, action, ref, comment] of uses) {
      expect([action, ref]).toEqual([action, expect.stringMatching(/^[0-9a-f]{40}$/)]);
      expect([action, comment]).toEqual([action, expect.stringMatching(/^ # v\d+\.\d+\.\d+$/)]);
    }
  });
});
