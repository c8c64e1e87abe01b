import type { Evaluation } from './rule';

/**
 * Collects the problems and unknowns of one resource for one rule, then gives its evaluation:
 * non-compliant if anything is wrong, else undecided if anything is unresolved, else compliant.
 */
export class Verdict {
  private readonly problems: string[] = [];
  private readonly unknowns: string[] = [];

  constructor(private readonly address: string) {}

  /** Records `problem` unless `ok`. */
  public expect(ok: boolean, problem: string): this {
    if (!ok) this.problems.push(problem);
    return this;
  }

  /** Records a problem. */
  public fail(problem: string): this {
    this.problems.push(problem);
    return this;
  }

  /** Records that `what` is an unresolved expression the rule cannot judge. */
  public unknown(what: string): this {
    return this.undecided(`${what} is an unresolved expression`);
  }

  /** Records something else the rule cannot decide, in full words (e.g. a reference into another stack). */
  public undecided(why: string): this {
    this.unknowns.push(why);
    return this;
  }

  public result(): Evaluation {
    if (this.problems.length > 0) {
      return { address: this.address, status: 'non-compliant', detail: this.problems.join('; ') };
    }
    if (this.unknowns.length > 0) {
      return { address: this.address, status: 'undecided', detail: this.unknowns.join('; ') };
    }
    return { address: this.address, status: 'compliant' };
  }
}
