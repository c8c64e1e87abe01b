import { Annotations, type Construct, type IConstruct, TerraformStack } from '../core/cdktf';
import { skipPreparationWhenAlone } from '../core/cdktf-performance';
import { recordSuppression } from '../core/stack-metadata';
import { type CheckReport, formatFinding, hasErrors, runChecks, suppressionProblem } from './engine';
import { type JsonObject, SynthesizedStack } from './model';
import type { Rule } from './rule';
import { ALL_RULES } from './rules';

const packs = new WeakMap<TerraformStack, McpAccessChecks>();

/**
 * The invariant rule pack. Attached to a stack, it runs every rule on the stack's synthesized
 * Terraform JSON during synth (so escape-hatch overrides are judged too): error findings fail
 * `app.synth()` naming the rule and the resource address; warnings become annotations.
 *
 * The JSON the rules read is the JSON that is written: the stack's `toTerraform()` is computed once
 * for both.
 */
export class McpAccessChecks {
  /** The rule pack of `scope`'s stack, attached on first use. */
  public static of(scope: IConstruct): McpAccessChecks {
    const stack = TerraformStack.of(scope);
    let pack = packs.get(stack);
    if (!pack) {
      pack = new McpAccessChecks(stack, ALL_RULES);
      packs.set(stack, pack);
    }
    return pack;
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

  /**
   * Accepts that `ruleId` cannot decide for the resources under `scope` (the whole stack for a
   * stack), for a reason of 10+ characters: for example a fleet's cell stack, whose references into
   * the foundation stack the rules cannot follow (the foundation stack is judged in full). Works for
   * error-level rules too, since only undecided findings are covered: a violation the rule can see
   * still fails synth.
   */
  public static acceptUndecided(scope: Construct, ruleId: string, reason: string): void {
    const problem = suppressionProblem(ALL_RULES, ruleId, reason, true);
    if (problem) throw new Error(`Cannot accept undecided ${ruleId}: ${problem}`);
    McpAccessChecks.of(scope);
    recordSuppression(scope, ruleId, reason, true);
  }

  /** Runs the rule pack on one synthesized stack's JSON (as written to `cdk.tf.json`). */
  public static check(json: JsonObject, stackName = 'stack', rules: readonly Rule[] = ALL_RULES): CheckReport {
    return runChecks(new SynthesizedStack(json, stackName), rules);
  }

  /** The report of the last synth, for tools and benchmarks. */
  public lastReport?: CheckReport;
  /** Milliseconds the rules took in the last synth (JSON computation excluded). */
  public lastDurationMs?: number;

  private constructor(
    private readonly stack: TerraformStack,
    private readonly rules: readonly Rule[],
  ) {
    skipPreparationWhenAlone(stack);
    const original = stack.toTerraform.bind(stack);
    let computed: ReturnType<TerraformStack['toTerraform']> | undefined;
    // The validation computes the JSON once; the synthesizer's own call right after reuses it.
    stack.toTerraform = () => {
      const json = computed ?? original();
      computed = undefined;
      return json;
    };
    stack.node.addValidation({
      validate: () => {
        computed = original();
        return this.judge(computed as JsonObject);
      },
    });
  }

  private judge(json: JsonObject): string[] {
    const started = performance.now();
    const report = runChecks(new SynthesizedStack(json, this.stack.node.id), this.rules);
    this.lastDurationMs = performance.now() - started;
    this.lastReport = report;
    for (const s of report.refusedSuppressions) {
      Annotations.of(this.stack).addWarning(`suppression of ${s.ruleId} ignored: ${s.why}`);
    }
    for (const f of report.findings) {
      if (f.level !== 'error') Annotations.of(this.constructAt(f.path)).addWarning(formatFinding(f));
    }
    return hasErrors(report) ? report.findings.filter((f) => f.level === 'error').map(formatFinding) : [];
  }

  /** The construct at a synthesized path, or the stack when it cannot be found. */
  private constructAt(path: string | undefined): IConstruct {
    if (!path) return this.stack;
    const parts = path.split('/');
    let node: IConstruct = this.stack;
    for (const id of parts.slice(parts.indexOf(this.stack.node.id) + 1)) {
      const child = node.node.tryFindChild(id);
      if (!child) return node;
      node = child;
    }
    return node;
  }
}
