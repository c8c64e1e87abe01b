// A jest test sequencer for mutation runs only (stryker.config.json sets it as jest's testSequencer;
// npm test does not use it). Stryker knows from its coverage run which tests cover a mutant and
// passes their full names as jest's testNamePattern, but jest would still load every test file to find
// them. This sequencer keeps only the files that hold one of those tests (a file is kept when one of
// its top-level describe/test titles begins a name; a file whose titles cannot be read is kept), and
// of those at most MCP_MUTATION_MAX_FILES (default 6), nearest to the mutated file first: the test
// named after it, then tests of its layer, then unit tests of lib/core, then the rest. So a mutant must
// be killed by the tests nearest its code; one that only a far integration test would kill counts as
// survived (the score is a lower bound). Set MCP_MUTATION_MAX_FILES=1000 for every covering file.
'use strict';
const fs = require('fs');
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
const MAX_FILES = Number(process.env.MCP_MUTATION_MAX_FILES ?? 6);
const TOP_LEVEL = /^(?:describe|test|it)(?:\.(?:each|only|concurrent)[^(]*?)?\((?:\s*\[[\s\S]*?\]\s*\)\s*\()?\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/gm;

/** Stryker's pattern `(name)|(name)` back to the names (it escapes them with escapeRegExp). */
function namesOf(pattern) {
  const names = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      current += pattern[i + 1];
      i++;
    } else if (c === '(') {
      if (depth++ > 0) current += c;
    } else if (c === ')') {
      if (--depth > 0) current += c;
      else {
        names.push(current);
        current = '';
      }
    } else if (depth > 0) current += c;
  }
  return names;
}

/** A top-level title as a prefix matcher: printf placeholders, $vars and ${} interpolations match anything. */
function matcherOf(title) {
  const parts = title.split(/%[spdifjoO#%]|\$\{[^}]*\}|\$[A-Za-z_][\w.]*/);
  const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[\\s\\S]*?')}(?: |$)`);
}

/** The matchers of a file's top-level titles, or undefined when none can be read. */
function readTitles(file) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const found = [...text.matchAll(TOP_LEVEL)].map((m) => matcherOf(m[2].replace(/\\(.)/g, '$1')));
    return found.length > 0 ? found : undefined;
  } catch {
    return undefined;
  }
}

const titles = new Map();
function titlesOf(file) {
  if (!titles.has(file)) titles.set(file, readTitles(file));
  return titles.get(file);
}

/** Mutant id -> the instrumented source file (relative to rootDir) that holds it, read once per process. */
let mutantFiles;
function mutatedFile(rootDir, id) {
  if (mutantFiles === undefined) {
    mutantFiles = new Map();
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) {
          const text = fs.readFileSync(full, 'utf8');
          for (const m of text.matchAll(/stryMutAct_9fa48\("(\d+)"\)/g)) {
            mutantFiles.set(m[1], path.relative(rootDir, full));
          }
        }
      }
    };
    walk(path.join(rootDir, 'lib'));
  }
  return mutantFiles.get(id);
}

/** Lower is nearer: the test named after the source, its layer's tests, lib/core's unit tests, the layers' bounds tests, the rest. */
function distance(source, testPath) {
  if (source === undefined) return 4;
  const base = path.basename(source, '.ts');
  const test = path.basename(testPath).replace(/\.(test|cases)\.ts$/, '');
  if (test === base) return 0;
  const parts = source.split(path.sep);
  const layer = parts[1] === 'checks' && parts[2] === 'rules' ? parts[3] : parts[1] === 'core' ? base.replace(/-defaults$/, '') : parts[1];
  if (testPath.split(path.sep).includes(layer)) return 1;
  if (parts[1] === 'core' && /[\\/]test[\\/]core[\\/]/.test(testPath)) return 2;
  if (parts[1] === 'core' && /[\\/]test[\\/][a-z-]+[\\/]bounds\.(test|cases)\.ts$/.test(testPath)) return 3;
  return 4;
}

class CoveringTestsSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options.globalConfig.testNamePattern;
    this.rootDir = options.globalConfig.rootDir;
  }

  sort(tests) {
    const sorted = super.sort(tests);
    const id = process.env[ACTIVE_MUTANT];
    if (!id || !this.pattern) return sorted;
    const names = namesOf(this.pattern);
    if (names.length === 0) return sorted;
    const covering = (test) => {
      const matchers = titlesOf(test.path);
      return matchers === undefined || names.some((name) => matchers.some((m) => m.test(name)));
    };
    const source = mutatedFile(this.rootDir, id);
    const size = (test) => fs.statSync(test.path).size;
    return Promise.resolve(sorted).then((list) =>
      list
        .filter(covering)
        .map((test) => ({ test, near: distance(source, test.path), size: size(test) }))
        .sort((a, b) => a.near - b.near || a.size - b.size)
        .slice(0, MAX_FILES)
        .map((x) => x.test),
    );
  }
}

module.exports = CoveringTestsSequencer;
module.exports.namesOf = namesOf;
module.exports.titlesOf = readTitles;
module.exports.distance = distance;
