// A StrykerJS ignorer (stryker.config.json "ignorers": ["message-prose"]): mutants inside the text of a
// finding or validation message are not run. That text is user-facing prose, pinned word for word by the
// exact-message tests of every rule and validation (docs/testing.md); mutating it shows only that those
// tests exist, at the price of half the run. Only message positions are skipped, listed below by the
// call that receives the text; every value a rule compares (resource types, attribute names, addresses,
// grant types, bounds) stays mutated. Stryker reports each skipped mutant as Ignored with this reason.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const REASON = 'message prose (pinned by exact-message tests; docs/testing.md)';

/** Callee name -> indices of its message arguments (`*`: every argument). */
const MEMBER_CALLS = {
  // Verdict (lib/checks/verdict.ts)
  fail: [0],
  expect: [1],
  undecided: [0],
  unknown: [0],
  number: [0, 3, 4],
  // PropsValidator (lib/core/validation.ts): the prop name and the "what" only name things in messages.
  check: [2],
  matches: [0, 3],
  integerBetween: [0],
  integerAtLeast: [0],
  required: [0],
  tenantId: [0, 2],
  domain: [0],
  httpsUrl: [0],
  // Annotations
  addWarning: [0],
  addError: [0],
  addInfo: [0],
};
const PLAIN_CALLS = {
  // lib/checks/rule.ts helpers: (address, detail)
  nonCompliant: [1],
  undecided: [1],
  // lib/checks/rules/secrets/values.ts: (verdict, stack, name, raw, ...)
  judgeNumber: [2, 5, 6],
  judgeBoolean: [2, 5],
  readString: [2],
  readStringList: [2],
};
/** Arrays that collect messages: `problems.push(<message>)`. */
const MESSAGE_LISTS = new Set(['problems', 'unknowns', 'reasons', 'messages', 'details']);
const ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'ValidationError']);

/** The argument a literal belongs to: climbs through concatenation, conditionals and template parts. */
function argumentOf(path) {
  let current = path;
  for (;;) {
    const parent = current.parentPath;
    if (!parent) return undefined;
    if (parent.isCallExpression() || parent.isNewExpression()) {
      const index = parent.node.arguments.indexOf(current.node);
      return index >= 0 ? { call: parent, index } : undefined;
    }
    const wraps =
      (parent.isBinaryExpression() && parent.node.operator === '+') ||
      (parent.isConditionalExpression() && current.key !== 'test') ||
      parent.isTemplateLiteral() ||
      parent.isLogicalExpression();
    if (!wraps) return undefined;
    current = parent;
  }
}

function inMessagePosition({ call, index }) {
  const callee = call.node.callee;
  if (call.isNewExpression()) return callee.type === 'Identifier' && ERRORS.has(callee.name);
  if (callee.type === 'Identifier') {
    const at = PLAIN_CALLS[callee.name];
    return at !== undefined && at.includes(index);
  }
  if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier') {
    const name = callee.property.name;
    if (name === 'push') return callee.object.type === 'Identifier' && MESSAGE_LISTS.has(callee.object.name);
    const at = MEMBER_CALLS[name];
    return at !== undefined && at.includes(index);
  }
  return false;
}

export const messageIgnorer = {
  shouldIgnore(path) {
    if (!path.isStringLiteral() && !path.isTemplateLiteral()) return undefined;
    const arg = argumentOf(path);
    return arg !== undefined && inMessagePosition(arg) ? REASON : undefined;
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'message-prose', messageIgnorer)];
