import * as fs from 'fs';
import * as path from 'path';
import { Annotations, App, type Construct, type IConstruct, TerraformStack } from '../core/cdktf';
import { recordSuppression } from '../core/stack-metadata';
import { takeSynthesizedJson } from '../core/synthesized-json';
import type { JsonObject } from '../model/json';
import { SynthesizedApp, type StackSource } from '../model/stack';
import { type CheckReport, formatFinding, hasErrors, runChecks, suppressionProblem } from './engine';
import type { Rule } from './rule';
import { ALL_RULES } from './rules';

/** The pack of one App: the stacks it judges and the last run's reports. */
interface AppPack {
  readonly app: App;
  readonly stacks: Map<TerraformStack, McpAccessChecks>;
  rules: readonly Rule[];
}

const appPacks = new WeakMap<App, AppPack>();

/**
 * The invariant rule pack. Attached to a stack (`McpAccessChecks.of(stack)`, which `SecureMcpAccess`
 * does), it judges the synthesized Terraform JSON of the whole app during `app.synth()`, so that
 * escape-hatch overrides are judged too and references between stacks are followed into the stack
 * that declares them. Error findings fail `app.synth()` naming the rule and the resource address;
 * warnings become annotations in the manifest, as cdktf's own warnings do.
 *
 * It attaches through cdktf's own extension point, a validation of the App: cdktf runs it after
 * every stack was written, and the rules read exactly the JSON that was written
 * (`cdktf.out/stacks/<stack>/cdk.tf.json`). Nothing of the framework is replaced.
 */
export class McpAccessChecks {
  /** The rule pack of `scope`'s stack (attached on first use): the app judges this stack at synth. */
  public static of(scope: IConstruct): McpAccessChecks {
    const stack = TerraformStack.of(scope);
    const app = stack.node.root;
    if (!App.isApp(app))
      throw new Error(`McpAccessChecks needs a stack inside an App, but ${stack.node.path} has none`);
    let pack = appPacks.get(app);
    if (!pack) {
      const created: AppPack = { app, stacks: new Map(), rules: ALL_RULES };
      pack = created;
      appPacks.set(app, created);
      app.node.addValidation({ validate: () => judgeApp(created) });
    }
    let handle = pack.stacks.get(stack);
    if (!handle) {
      handle = new McpAccessChecks(stack);
      pack.stacks.set(stack, handle);
    }
    return handle;
  }

  /**
   * Suppresses a warning-level rule for the resources under `scope` (the whole stack when `scope` is
   * a stack). Refused for error-level rules and for reasons shorter than 10 characters.
   */
  public static suppress(scope: Construct, ruleId: string, reason: string): void {
    const problem = suppressionProblem(ALL_RULES, ruleId, reason);
    if (problem) throw new Error(`Cannot suppress ${ruleId}: ${problem}`);
    McpAccessChecks.of(scope);
    recordSuppression(scope, ruleId, reason);
  }

  /** Runs the rule pack on one synthesized stack's JSON (as written to `cdk.tf.json`), as an app of one. */
  public static check(json: JsonObject, stackName = 'stack', rules: readonly Rule[] = ALL_RULES): CheckReport {
    return McpAccessChecks.checkApp([{ name: stackName, json }], rules)[0];
  }

  /** Runs the rule pack on every stack of an app, each judged with the facts of all. */
  public static checkApp(stacks: readonly StackSource[], rules: readonly Rule[] = ALL_RULES): CheckReport[] {
    return new SynthesizedApp(stacks).stacks.map((stack) => runChecks(stack, rules));
  }

  /** The report of the last synth for this stack, for tools and benchmarks. */
  public lastReport?: CheckReport;
  /** Milliseconds the last synth's checks took for the whole app (reading the JSON included). */
  public lastDurationMs?: number;

  private constructor(public readonly stack: TerraformStack) {}
}

/** Where cdktf wrote a stack, as its manifest says. */
function writtenPath(app: App, stack: TerraformStack): string {
  return path.join(app.outdir, app.manifest.forStack(stack).synthesizedStackPath);
}

/**
 * The JSON cdktf wrote for a stack: handed over by the fast-synth opt-in, else read back from the
 * file (HCL output is not JSON: then the stack computes it again).
 */
function writtenJson(app: App, stack: TerraformStack): JsonObject {
  const handedOver = takeSynthesizedJson(stack);
  // With HCL output cdktf writes toHclTerraform(): what was handed over is not what was written.
  if (handedOver && !app.hclOutput) return handedOver;
  const file = writtenPath(app, stack);
  if (file.endsWith('.json') && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
  return JSON.parse(JSON.stringify(stack.toTerraform())) as JsonObject;
}

/**
 * The app's stacks in construct order, found without walking into them: a stack holds resources,
 * not stacks, and at 1000 tenants walking every construct cost more than 40 ms.
 */
function stacksOf(app: App): TerraformStack[] {
  const stacks: TerraformStack[] = [];
  const visit = (node: IConstruct): void => {
    if (TerraformStack.isStack(node)) stacks.push(node);
    else for (const child of node.node.children) visit(child);
  };
  visit(app);
  return stacks;
}

/** The App validation: judges every stack of the app with the facts of all; returns the error lines. */
function judgeApp(pack: AppPack): string[] {
  const started = performance.now();
  const stacks = stacksOf(pack.app);
  const synthesized = new SynthesizedApp(stacks.map((s) => ({ name: s.node.id, json: writtenJson(pack.app, s) })));
  const errors: string[] = [];
  const handles: McpAccessChecks[] = [];
  for (const [stack, handle] of pack.stacks) {
    const report = runChecks(
      synthesized.stack(stack.node.id) as NonNullable<ReturnType<SynthesizedApp['stack']>>,
      pack.rules,
    );
    handle.lastReport = report;
    handles.push(handle);
    annotate(pack.app, stack, report);
    if (hasErrors(report)) {
      for (const f of report.findings) if (f.level === 'error') errors.push(`[${stack.node.path}] ${formatFinding(f)}`);
    }
  }
  const duration = performance.now() - started;
  for (const handle of handles) handle.lastDurationMs = duration;
  return errors;
}

/**
 * Warnings go where cdktf's own warnings go: onto the construct (for tools that read the tree) and
 * into the stack's annotations in the manifest (which the cdktf CLI prints); the manifest is written
 * after the App's validations run.
 */
function annotate(app: App, stack: TerraformStack, report: CheckReport): void {
  const manifest = app.manifest.forStack(stack) as {
    annotations: { constructPath: string; level: string; message: string }[];
  };
  const warn = (construct: IConstruct, message: string): void => {
    Annotations.of(construct).addWarning(message);
    manifest.annotations.push({ constructPath: construct.node.path, level: '@cdktf/warn', message });
  };
  for (const s of report.refusedSuppressions) warn(stack, `suppression of ${s.ruleId} ignored: ${s.why}`);
  for (const f of report.findings) if (f.level !== 'error') warn(constructAt(stack, f.path), formatFinding(f));
}

/** The construct at a synthesized path, or the stack when it cannot be found. */
function constructAt(stack: TerraformStack, constructPath: string | undefined): IConstruct {
  if (!constructPath) return stack;
  const parts = constructPath.split('/');
  let node: IConstruct = stack;
  for (const id of parts.slice(parts.indexOf(stack.node.id) + 1)) {
    const child = node.node.tryFindChild(id);
    if (!child) return node;
    node = child;
  }
  return node;
}
