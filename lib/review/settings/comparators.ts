/** The review's comparators: whether going from one setting value to another weakens security. */
import type { SettingValue } from '../model';
import { isExpressionValue, splitEntry } from '../values';

/** A numeric rank of a value; `undefined` when it cannot be compared (an expression, an odd string). */
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

/** A higher rank is weaker (a longer TTL or session). */
export const higherIsWeaker =
  (rank: Rank) =>
  (before: SettingValue, after: SettingValue): boolean => {
    const [b, a] = [rank(before), rank(after)];
    return b !== undefined && a !== undefined && a > b;
  };

/** A lower rank is weaker (a shorter retention, a weaker Pod Security level). */
export const lowerIsWeaker =
  (rank: Rank) =>
  (before: SettingValue, after: SettingValue): boolean => {
    const [b, a] = [rank(before), rank(after)];
    return b !== undefined && a !== undefined && a < b;
  };

/** Weaker when a value that held `safe` no longer does (rotation removed, prevent_destroy removed). */
export const safeLost =
  (safe: string | boolean) =>
  (before: SettingValue, after: SettingValue): boolean =>
    before === safe && after !== safe && !isExpressionValue(after);

/** Weaker when a flag whose safe value is false (or unset) becomes true (exportable, deletable). */
export const becameTrue = (before: SettingValue, after: SettingValue): boolean =>
  (before === false || before === null) && after === true;

export function members(value: SettingValue): string[] | undefined {
  return Array.isArray(value) ? value : value === null ? [] : undefined;
}

/** Weaker when the list gained a member (a grant type, a bound namespace, a declared port). */
export const grew = (before: SettingValue, after: SettingValue): boolean => {
  const [b, a] = [members(before), members(after)];
  return b !== undefined && a !== undefined && a.some((m) => !b.includes(m));
};

/** Weaker when the list lost a member (a hardware-key requirement, a default-deny direction). */
export const shrank = (before: SettingValue, after: SettingValue): boolean => grew(after, before);

/**
 * Compares `key: value` entries key by key: weaker when an entry's value got weaker, or (when
 * `missingIsWeaker`) when a key disappeared.
 */
export const perKey =
  (weakerEntry: (before: string, after: string) => boolean, missingIsWeaker: boolean) =>
  (before: SettingValue, after: SettingValue): boolean => {
    const [b, a] = [members(before), members(after)];
    if (b === undefined || a === undefined) return false;
    const afterByKey = new Map(a.map((e) => splitEntry(e)));
    return b.some((e) => {
      const [key, was] = splitEntry(e);
      const now = afterByKey.get(key);
      return now === undefined ? missingIsWeaker : weakerEntry(was, now);
    });
  };
