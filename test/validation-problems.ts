import { ValidationError } from '../lib/core/validation';

/**
 * The problems a construct's validation reports while `build` runs ([] when it accepts the props).
 * Any other error is rethrown, so a crash never passes for a refusal. (Kept out of helpers.ts: every
 * test imports that, and Stryker runs each test related to a mutated file.)
 */
export function validationProblems(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}
