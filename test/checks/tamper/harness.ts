/**
 * The tamper suite's harness: the examples' synthesized JSON, a way to hand-edit it as a reviewer
 * would edit `cdk.tf.json`, and the rule pack's verdict on the edited app.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type CheckReport, formatFinding } from '../../../lib/checks/engine';
import { McpAccessChecks } from '../../../lib/checks/pack';
import { App } from '../../../lib/core/cdktf';
import type { JsonObject } from '../../../lib/model/json';
import type { StackSource } from '../../../lib/model/stack';
import { runFleet } from '../../../examples/fleet/main';
import { MultiTenantStack } from '../../../examples/multi-tenant/main';
import { QuickstartStack } from '../../../examples/quickstart/main';

export type ExampleName = 'quickstart' | 'multi-tenant' | 'fleet';

const cache = new Map<ExampleName, readonly StackSource[]>();

/**
 * Where a jest run keeps each example's synthesized JSON, so that the suites of the run (in either
 * worker) synthesize each example once: under the run's own temporary folder (test/setup), removed
 * at the end of the run.
 */
function runCacheFile(name: ExampleName): string | undefined {
  const runDir = process.env.MCP_ACCESS_TEST_RUN_DIR;
  return runDir ? path.join(runDir, `example-${name}.json`) : undefined;
}

/** Synthesizes an example (once per test run) and returns its stacks' JSON. */
export function exampleStacks(name: ExampleName): readonly StackSource[] {
  const cached = cache.get(name);
  if (cached) return cached;
  const file = runCacheFile(name);
  if (file && fs.existsSync(file)) {
    const stacks = JSON.parse(fs.readFileSync(file, 'utf8')) as StackSource[];
    cache.set(name, stacks);
    return stacks;
  }
  const stacks = synthesizeExample(name);
  cache.set(name, stacks);
  if (file) {
    // Written whole, then renamed: the other worker reads either nothing or the complete file.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify(stacks));
    fs.renameSync(partial, file);
  }
  return stacks;
}

/** Synthesizes an example into a temporary folder (removed afterwards) and returns its stacks' JSON. */
function synthesizeExample(name: ExampleName): readonly StackSource[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `mcp-tamper-${name}-`));
  try {
    // The pack runs on the JSON in the tests (check()), not at synth: the harness needs the JSON as is.
    if (name === 'fleet') {
      const fleetFile = path.join(outdir, 'fleet.json');
      fs.copyFileSync(path.join(__dirname, '../../../examples/fleet/fleet.json'), fleetFile);
      fs.copyFileSync(
        path.join(__dirname, '../../../examples/fleet/fleet.lock.jsonl'),
        path.join(outdir, 'fleet.lock.jsonl'),
      );
      try {
        runFleet({ fleetFile, outdir });
      } catch {
        // A rule pack error still leaves every stack written: the tests judge the JSON themselves.
      }
    } else {
      const app = new App({ outdir, skipValidation: true });
      if (name === 'quickstart') new QuickstartStack(app, 'quickstart');
      else new MultiTenantStack(app, 'multi-tenant');
      app.synth();
    }
    const stacksDir = path.join(outdir, 'stacks');
    const stacks = fs
      .readdirSync(stacksDir)
      .sort()
      .map((stack) => ({
        name: stack,
        json: JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as JsonObject,
      }));
    return stacks;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** A deep copy of an example's stacks, by stack name, for editing. */
export function editableStacks(name: ExampleName): Record<string, JsonObject> {
  return Object.fromEntries(exampleStacks(name).map((s) => [s.name, JSON.parse(JSON.stringify(s.json)) as JsonObject]));
}

/** Runs the pack on stacks (as `mcp-access check cdktf.out` would). */
export function check(stacks: Record<string, JsonObject>): CheckReport[] {
  return McpAccessChecks.checkApp(Object.entries(stacks).map(([name, json]) => ({ name, json })));
}

/** Error findings of the reports, formatted. */
export function errors(reports: readonly CheckReport[]): string[] {
  return reports.flatMap((r) =>
    r.findings.filter((f) => f.level === 'error').map((f) => `[${r.stack}] ${formatFinding(f)}`),
  );
}

/** Ids of the rules that refused something. */
export function refusingRules(reports: readonly CheckReport[]): string[] {
  return [
    ...new Set(reports.flatMap((r) => r.findings.filter((f) => f.level === 'error').map((f) => f.ruleId))),
  ].sort();
}

/** The resources of one type in a stack's JSON: name -> body. */
export function resources(json: JsonObject, type: string): Record<string, JsonObject> {
  const block = (json.resource ?? {}) as Record<string, Record<string, JsonObject>>;
  return block[type] ?? {};
}

/** The first resource of a type (whose name starts with `prefix`, when given). */
export function first(json: JsonObject, type: string, prefix = ''): JsonObject {
  const found = Object.entries(resources(json, type)).find(([name]) => name.startsWith(prefix));
  if (!found) throw new Error(`no ${type}${prefix ? ` named ${prefix}*` : ''} in the stack`);
  return found[1];
}

/**
 * One hand edit of an example's JSON and the rule that must refuse it: the tamper table's row type.
 * `edit` changes the stacks in place.
 */
export interface Tamper {
  readonly what: string;
  readonly example: ExampleName;
  readonly edit: (stacks: Record<string, JsonObject>) => void;
  /** The rule id that must report an error. */
  readonly refusedBy: string;
}
