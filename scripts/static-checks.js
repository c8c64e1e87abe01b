// `npm test`'s first step: the type check (`tsc --noEmit`) and ESLint, side by side. Each is one
// process that mostly uses one core, so on a two-core machine running them together halves the wait
// (about 17 s instead of 32 s). Each one's output is printed whole, after it ends, so the two never
// interleave; the step fails when either does. `npm run typecheck` and `npm run lint` run them alone.
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const bin = (name) => path.join(__dirname, '..', 'node_modules', '.bin', name);
const steps = [
  { name: 'typecheck (tsc --noEmit)', command: bin('tsc'), args: ['--noEmit'] },
  { name: 'lint (eslint .)', command: bin('eslint'), args: ['.'] },
];

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.command, step.args, { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ step, code: 1, output: `${error.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) =>
      resolve({ step, code: code ?? (signal ? 1 : 0), output: Buffer.concat(output).toString(), seconds: (Date.now() - started) / 1000 }),
    );
  });
}

Promise.all(steps.map(run)).then((results) => {
  for (const { step, code, output, seconds } of results) {
    process.stdout.write(`> ${step.name}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s\n`);
    if (output.trim() !== '') process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  }
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
});
