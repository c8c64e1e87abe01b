/** Small pure readers and parsers for the review's setting extractors. */
import { isLoopbackAddress } from '../core/formats';
import { isExpression, isObject } from '../model/json';
import type { SettingValue } from './model';

/** A string attribute; numbers and booleans as text; `null` when absent. */
export function readText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** A number (numeric strings too); an expression stays a string; `null` when absent or not a number. */
export function readNumber(value: unknown): number | string | null {
  if (typeof value === 'number') return value;
  if (isExpression(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return null;
}

/** A boolean (`"true"` / `"false"` too); an expression stays a string; `null` when absent. */
export function readBoolean(value: unknown): boolean | string | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  if (isExpression(value)) return value;
  return null;
}

/** A list of strings in the order written; a whole-list expression stays a string; `null` when absent. */
export function readList(value: unknown): string[] | string | null {
  if (isExpression(value)) return value;
  if (Array.isArray(value)) return value.map((v) => readText(v) ?? JSON.stringify(v));
  if (typeof value === 'string') return [value];
  return null;
}

/** Like {@link list}, sorted: for attributes that are sets. */
export function readSet(value: unknown): string[] | string | null {
  const l = readList(value);
  return Array.isArray(l) ? [...l].sort() : l;
}

/** `key: value` entries of a map attribute, sorted by key (for keyed comparisons). */
export function readEntries(value: unknown): string[] | string | null {
  if (isExpression(value)) return value;
  if (!isObject(value)) return null;
  return Object.keys(value)
    .sort()
    .map((k) => `${k}: ${readText(value[k]) ?? JSON.stringify(value[k])}`);
}

/** Splits a `key: value` entry. */
export function splitEntry(entry: string): [string, string] {
  const cut = entry.indexOf(': ');
  return cut < 0 ? [entry, ''] : [entry.slice(0, cut), entry.slice(cut + 2)];
}

/** True when a tunnel ingress service stays in the pod: a status response or a loopback origin. */
export function isLoopbackService(service: string): boolean {
  if (/^http_status:\d{3}$/.test(service)) return true;
  const url = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(service);
  return url !== null && isLoopbackAddress(url[1]);
}

/** True for an unresolved value (a `${...}` expression), which no comparator can judge. */
export function isExpressionValue(value: SettingValue): boolean {
  return typeof value === 'string' && isExpression(value);
}

/** The report's rendering of a value: `not set`, `none` for an empty list, lists joined by commas. */
export function showValue(value: SettingValue): string {
  if (value === null) return 'not set';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
}

/** True when two values are the same (lists by members in order). */
export function sameValue(a: SettingValue, b: SettingValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return a === b;
}
