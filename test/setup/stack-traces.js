// Test harness speed, not library behaviour: cdktf and constructs record a creation stack for every
// token and construct by capturing a stack trace on a plain object ({ stack: '' }). Inside jest, each
// such capture goes through source-map-support, which reads and parses the inline source map of every
// framework file on the stack, afresh in each test file: about 1 s per test file, half the suite's
// setup time. Those stacks are only read when a token fails to resolve, and then unmapped JavaScript
// positions serve as well. So only plain-object captures skip the source mapping; every real Error
// (assertion failures, thrown errors) keeps jest's mapped TypeScript positions.
'use strict';

const mapped = Error.prepareStackTrace;
if (typeof mapped === 'function') {
  Error.prepareStackTrace = function prepareStackTrace(error, frames) {
    if (error instanceof Error) return mapped(error, frames);
    return 'Error' + frames.map((frame) => `\n    at ${frame}`).join('');
  };
}
