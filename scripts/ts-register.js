// Lets `node -r ./scripts/ts-register.js app.ts` run a TypeScript app: a CommonJS require hook in
// which swc strips the types (no type checking here: `npm test` runs tsc) and each transpiled file
// is cached on disk by its path and content, so a second run reads JavaScript. cdktf.json runs the
// quickstart this way: about half the time of a general-purpose loader, and never stale output.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'ts-register');
// The transpiler's version and options are part of every cache key.
const SWC_VERSION = require('@swc/core/package.json').version;
const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
let swc;

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto
    .createHash('sha256')
    .update(`${SWC_VERSION}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`)
    .digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    swc = swc || require('@swc/core');
    code = swc.transformSync(source, { ...OPTIONS, filename }).code;
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(cached, code);
  }
  module._compile(code, filename);
};
