import * as fs from 'fs';
import * as path from 'path';
import { type CheckReport, formatFinding, hasErrors } from '../checks/engine';
import { McpAccessChecks } from '../checks/pack';
import type { JsonObject } from '../model/stack';

/** One synthesized stack found on disk. */
export interface StackFile {
  readonly name: string;
  readonly file: string;
}

/**
 * The synthesized stacks at `target`: a `cdk.tf.json` file, a stack folder holding one, or a
 * `cdktf.out` folder (every `stacks/<name>/cdk.tf.json`).
 */
export function findStacks(target: string): StackFile[] {
  if (!fs.existsSync(target)) throw new Error(`${target} does not exist`);
  if (fs.statSync(target).isFile()) {
    return [{ name: path.basename(path.dirname(path.resolve(target))), file: target }];
  }
  const direct = path.join(target, 'cdk.tf.json');
  if (fs.existsSync(direct)) return [{ name: path.basename(path.resolve(target)), file: direct }];
  const stacksDir = path.join(target, 'stacks');
  if (fs.existsSync(stacksDir)) {
    const stacks = fs
      .readdirSync(stacksDir)
      .sort()
      .map((name) => ({ name, file: path.join(stacksDir, name, 'cdk.tf.json') }))
      .filter((s) => fs.existsSync(s.file));
    if (stacks.length > 0) return stacks;
  }
  throw new Error(`${target} holds no cdk.tf.json (give a cdktf.out folder, a stack folder or a cdk.tf.json)`);
}

/** Reads and parses one synthesized stack. */
export function readStack(file: string): JsonObject {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as JsonObject;
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** `mcp-access check <target>`: prints one line per finding; returns the exit code. */
export function runCheckCommand(target: string, out: (line: string) => void): number {
  // The whole app at once: references between its stacks are followed into the stack that declares them.
  const reports: CheckReport[] = McpAccessChecks.checkApp(
    findStacks(target).map((s) => ({ name: s.name, json: readStack(s.file) })),
  );
  const many = reports.length > 1;
  let errors = 0;
  let warnings = 0;
  for (const report of reports) {
    for (const s of report.refusedSuppressions)
      out(`${many ? `[${report.stack}] ` : ''}suppression of ${s.ruleId} ignored: ${s.why}`);
    for (const f of report.findings) {
      out(`${many ? `[${report.stack}] ` : ''}${formatFinding(f)}`);
      if (f.level === 'error') errors++;
      else warnings++;
    }
  }
  const suppressed = reports.reduce((n, r) => n + r.suppressed.length, 0);
  out(
    `${reports.length} stack${reports.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${suppressed} suppressed`,
  );
  return reports.some(hasErrors) ? 1 : 0;
}
