/**
 * The review's comparators: how a change of one setting moves security. Each returns `weakened`,
 * `strengthened`, `neutral` or, when a side cannot be judged (an unresolved expression, a value
 * outside the scale), `unclassified`: a person decides.
 */
import type { ChangeClass, SettingValue } from '../model';
import { isExpressionValue, splitEntry } from '../values';

/** A numeric rank of a value; `undefined` when it cannot be ranked (an expression, an odd string). */
export type Rank = (value: SettingValue) => number | undefined;

/** Ranks numbers as they are; `null` (unset) as `unset`. */
export const numeric =
  (unset: number): Rank =>
  (v) =>
    v === null ? unset : typeof v === 'number' ? v : undefined;

/** Ranks duration strings by minutes; `null` as `unset`. */
export const duration =
  (parse: (s: string) => number | undefined, unset: number): Rank =>
  (v) =>
    v === null ? unset : typeof v === 'string' ? parse(v) : typeof v === 'number' ? v : undefined;

const byRank =
  (rank: Rank, higherIsWorse: boolean) =>
  (before: SettingValue, after: SettingValue): ChangeClass => {
    const [b, a] = [rank(before), rank(after)];
    if (b === undefined || a === undefined) return 'unclassified';
    if (a === b) return 'neutral';
    return a > b === higherIsWorse ? 'weakened' : 'strengthened';
  };

/** A higher rank is weaker (a longer TTL or session). */
export const higherIsWeaker = (rank: Rank) => byRank(rank, true);

/** A lower rank is weaker (a shorter retention, a weaker Pod Security level). */
export const lowerIsWeaker = (rank: Rank) => byRank(rank, false);

/** Weaker when a value that held `safe` no longer does; stronger when it comes to hold it. */
export const safeLost =
  (safe: string | boolean) =>
  (before: SettingValue, after: SettingValue): ChangeClass => {
    if (isExpressionValue(before) || isExpressionValue(after)) return 'unclassified';
    if (before === safe) return 'weakened';
    if (after === safe) return 'strengthened';
    return 'unclassified';
  };

/** A flag whose safe value is false (or unset): becoming true is weaker, becoming false stronger. */
export const becameTrue = (before: SettingValue, after: SettingValue): ChangeClass => {
  const safe = (v: SettingValue) => v === false || v === null;
  if (safe(before) && after === true) return 'weakened';
  if (before === true && safe(after)) return 'strengthened';
  return 'unclassified';
};

export function members(value: SettingValue): string[] | undefined {
  return Array.isArray(value) ? value : value === null ? [] : undefined;
}

/**
 * An allow-list (grant types, bound namespaces, declared ports, containers): a new member is weaker,
 * only removed members stronger.
 */
export const grew = (before: SettingValue, after: SettingValue): ChangeClass => {
  const [b, a] = [members(before), members(after)];
  if (b === undefined || a === undefined) return 'unclassified';
  if (a.some((m) => !b.includes(m))) return 'weakened';
  if (b.some((m) => !a.includes(m))) return 'strengthened';
  return 'neutral';
};

/** A list of requirements (hardware-key constraints, default-deny directions): losing one is weaker. */
export const shrank = (before: SettingValue, after: SettingValue): ChangeClass => grew(after, before);

/**
 * Compares `key: value` entries key by key with `entry`: weaker when any entry got weaker (or, when
 * `missingIsWeaker`, a key disappeared), stronger when some got stronger and none weaker.
 */
export const perKey =
  (entry: (before: string, after: string) => ChangeClass, missingIsWeaker: boolean) =>
  (before: SettingValue, after: SettingValue): ChangeClass => {
    const [b, a] = [members(before), members(after)];
    if (b === undefined || a === undefined) return 'unclassified';
    const afterByKey = new Map(a.map((e) => splitEntry(e)));
    const beforeKeys = new Set(b.map((e) => splitEntry(e)[0]));
    const verdicts: ChangeClass[] = b.map((e) => {
      const [key, was] = splitEntry(e);
      const now = afterByKey.get(key);
      if (now === undefined) return missingIsWeaker ? 'weakened' : 'neutral';
      return was === now ? 'neutral' : entry(was, now);
    });
    // A new key (a new container, a new bound claim) is judged as going from nothing to its value.
    for (const [key, now] of afterByKey) if (!beforeKeys.has(key)) verdicts.push(entry('', now));
    return combine(verdicts);
  };

/** Several judgements of one change: weakened wins, then unclassified, then strengthened. */
export function combine(verdicts: readonly ChangeClass[]): ChangeClass {
  if (verdicts.includes('weakened')) return 'weakened';
  if (verdicts.includes('unclassified')) return 'unclassified';
  if (verdicts.includes('strengthened')) return 'strengthened';
  return 'neutral';
}

/** A setting whose change never moves security by itself (shown for context): neutral. */
export const informational = (): ChangeClass => 'neutral';
