// @ts-check
/**
 * The house's one-way dependencies, as an ESLint rule (no maintained plugin knows our folders):
 * every file of lib/ belongs to a module (its first folder, or `index` for lib/index.ts), and may
 * import only the modules listed for it. Type-only imports count too.
 */
import * as path from 'node:path';

/** Module -> the modules of ours it may import (besides itself). */
export const ALLOWED = {
  core: [],
  'fast-synth': ['core'],
  model: ['core'],
  checks: ['core', 'model'],
  review: ['core', 'model', 'checks'],
  identity: ['core'],
  transport: ['core'],
  ports: ['core'],
  secrets: ['core'],
  audit: ['core'],
  fleet: ['core'],
  patterns: ['core', 'identity', 'transport', 'ports', 'secrets', 'audit', 'checks', 'fleet', 'fast-synth'],
  cli: ['core', 'model', 'checks', 'review', 'patterns', 'fleet', 'fast-synth', 'identity', 'transport', 'ports', 'secrets', 'audit'],
  index: ['core', 'model', 'checks', 'review', 'patterns', 'fleet', 'fast-synth', 'identity', 'transport', 'ports', 'secrets', 'audit'],
};

/** The module of a path under lib/, or undefined outside lib/. */
export function moduleOf(file, libRoot) {
  const rel = path.relative(libRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [first, ...rest] = rel.split(path.sep);
  if (rest.length === 0) return first.replace(/\.[jt]s$/, '') === 'index' ? 'index' : undefined;
  return first;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layerDirection = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforces the one-way dependencies between the modules of lib/' },
    schema: [],
    messages: {
      upward: "lib/{{from}} may not import lib/{{to}} ('{{spec}}'): it may import only {{allowed}}.",
      unknown: "lib/{{from}} is not a module of the house: add it to tools/eslint-layer-direction.mjs.",
    },
  },
  create(context) {
    const file = context.filename;
    const libRoot = path.join(context.cwd, 'lib');
    const from = moduleOf(file, libRoot);
    if (from === undefined) return {};
    const allowed = ALLOWED[from];
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      if (allowed === undefined) {
        context.report({ node, messageId: 'unknown', data: { from } });
        return;
      }
      const to = moduleOf(path.resolve(path.dirname(file), spec), libRoot);
      if (to === undefined || to === from || allowed.includes(to)) return;
      context.report({
        node,
        messageId: 'upward',
        data: { from, to, spec, allowed: allowed.length ? allowed.map((m) => `lib/${m}`).join(', ') : 'nothing of ours' },
      });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};
