import { Token } from './cdktf';
import { DNS_NAME_PATTERN, isHttpsUrl, TENANT_ID_PATTERN, tenantIdProblem } from './formats';

/** Thrown by a construct whose props break one or more rules; `problems` holds one line per rule. */
export class ValidationError extends Error {
  public readonly problems: readonly string[];

  constructor(subject: string, problems: readonly string[]) {
    super(`${subject} has invalid props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/** True when the value (or any string inside it) is an unresolved Terraform token. */
export function isUnresolved(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** Renders a received value for a message: strings quoted, everything else as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

function wholeNumber(value: unknown): string {
  return typeof value === 'number' && !Number.isInteger(value) ? 'a whole number ' : '';
}

/**
 * Collects every problem of a props object, then throws them once. Values that are unresolved
 * Terraform tokens are skipped: they are decided at plan time, and the rule pack reports them.
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly subject: string) {}

  /** Records a problem unconditionally. */
  public fail(message: string): this {
    this.problems.push(message);
    return this;
  }

  /** Records `message` when `ok` is false and the value is resolved. */
  public check(value: unknown, ok: (v: never) => boolean, message: string): this {
    if (value === undefined || isUnresolved(value)) return this;
    if (!ok(value as never)) this.problems.push(message);
    return this;
  }

  /** `prop must be between min and max, but value was provided`; fractions are refused too. */
  public integerBetween(prop: string, value: number | undefined, min: number, max: number): this {
    return this.check(
      value,
      (v: number) => Number.isInteger(v) && v >= min && v <= max,
      `${prop} must be ${wholeNumber(value)}between ${min} and ${max}, but ${describeValue(value)} was provided`,
    );
  }

  /** `prop must be at least min, but value was provided`; fractions are refused too. */
  public integerAtLeast(prop: string, value: number | undefined, min: number): this {
    return this.check(
      value,
      (v: number) => Number.isInteger(v) && v >= min,
      `${prop} must be ${wholeNumber(value)}at least ${min}, but ${describeValue(value)} was provided`,
    );
  }

  /** `prop must match pattern (what), but value was provided`. */
  public matches(prop: string, value: string | undefined, pattern: RegExp, what: string): this {
    return this.check(
      value,
      (v: string) => typeof v === 'string' && pattern.test(v),
      `${prop} must be ${what}, but ${describeValue(value)} was provided`,
    );
  }

  /** A required value: undefined, null or an empty string is a problem. */
  public required(prop: string, value: unknown): this {
    if (value === undefined || value === null || value === '') {
      this.problems.push(`${prop} is required, but ${describeValue(value)} was provided`);
    }
    return this;
  }

  /**
   * A tenant id: required, a literal (it names construct ids and `names`, which a token cannot) and
   * matching `^[a-z][a-z0-9-]{1,30}$`.
   */
  public tenantId(prop: string, value: string | undefined, names = 'construct ids'): this {
    this.required(prop, value);
    if (isUnresolved(value)) {
      return this.fail(`${prop} must be a literal string (it names ${names}), but a token was provided`);
    }
    if (value === undefined || value === '') return this;
    this.matches(prop, value, TENANT_ID_PATTERN, 'a tenant id matching ^[a-z][a-z0-9-]{1,30}$');
    const problem = TENANT_ID_PATTERN.test(value) ? tenantIdProblem(value) : undefined;
    return problem ? this.fail(`${prop} must not be '${value}': it ${problem}`) : this;
  }

  /** A required plain DNS name: lower-case labels, no wildcard, scheme, port or path. */
  public domain(prop: string, value: string | undefined): this {
    this.required(prop, value);
    return this.matches(
      prop,
      value,
      DNS_NAME_PATTERN,
      'a plain lower-case DNS name (no wildcard, scheme, port or path)',
    );
  }

  /** An https URL with a host and no credentials. */
  public httpsUrl(prop: string, value: string | undefined): this {
    return this.check(value, isHttpsUrl, `${prop} must be an https URL, but ${describeValue(value)} was provided`);
  }

  /** True when nothing was recorded so far. */
  public get ok(): boolean {
    return this.problems.length === 0;
  }

  /** Throws one ValidationError naming every problem, if any was recorded. */
  public throwIfInvalid(): void {
    if (this.problems.length > 0) throw new ValidationError(this.subject, this.problems);
  }
}
