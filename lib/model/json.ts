/** Readers of synthesized Terraform JSON, shared by the rule pack and the review. */

/** The JSON object of one resource, data source, variable or output. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not a list). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a string holding a Terraform expression (`${...}`): its value is known only at plan. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${');
}

/** A block as a list: Terraform JSON may write a nested block as an object or a list of objects. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'object' && v !== null);
  if (typeof value === 'object' && value !== null) return [value as Record<string, unknown>];
  return [];
}

/** The first nested block, or an empty object. */
export function block(value: unknown): Record<string, unknown> {
  return blocks(value)[0] ?? {};
}

/** A number written as a number or a numeric string; `expression` when unresolved. */
export function numberValue(value: unknown): number | 'expression' | undefined {
  if (typeof value === 'number') return value;
  if (isExpression(value)) return 'expression';
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** A list of strings (non-string members dropped); an expression as a whole is returned as is. */
export function stringList(value: unknown): string[] | 'expression' {
  if (isExpression(value)) return 'expression';
  if (!Array.isArray(value)) return typeof value === 'string' ? [value] : [];
  return value.filter((v): v is string => typeof v === 'string');
}

/** Walks `value` and calls `visit` with each string, its attribute name and its path segments. */
export function walkStrings(
  value: unknown,
  visit: (text: string, key: string, segments: readonly (string | number)[]) => void,
): void {
  const segments: (string | number)[] = [];
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      visit(v, key, segments);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        segments.push(i);
        walk(v[i], key);
        segments.pop();
      }
    } else if (typeof v === 'object' && v !== null) {
      for (const k in v) {
        if (k === '//') continue;
        segments.push(k);
        walk((v as Record<string, unknown>)[k], k);
        segments.pop();
      }
    }
  };
  walk(value, '');
}

/** `a.b[0].c` from path segments. */
export function joinPath(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * Calls `visit` for every string inside a JSON value with the name of the attribute that holds it
 * (list positions skipped) and its dotted path, built only when asked for.
 */
export function eachString(value: unknown, visit: (text: string, key: string, path: () => string) => void): void {
  walkStrings(value, (text, key, segments) => visit(text, key, () => joinPath(segments)));
}

const INTERPOLATION = /\$\{([^}]*)\}/g;
const ADDRESS = /(?<![\w.])(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/** Terraform addresses (`type.name`, `data.type.name`, `var.x`, `local.x`) referenced in one string. */
export function referencesInString(text: string, into: Set<string> = new Set()): Set<string> {
  if (!text.includes('${')) return into;
  for (const m of text.matchAll(INTERPOLATION)) {
    for (const a of m[1].matchAll(ADDRESS)) into.add(a[1] ? `data.${a[2]}.${a[3]}` : `${a[2]}.${a[3]}`);
  }
  return into;
}

/** Terraform addresses (`type.name`, `data.type.name`, `var.x`, `local.x`) referenced in a value. */
export function referencesIn(value: unknown): string[] {
  const found = new Set<string>();
  eachString(value, (text) => referencesInString(text, found));
  return [...found];
}

/** A boolean written as a boolean or as `"true"` / `"false"`; `expression` when unresolved. */
export function booleanValue(value: unknown): boolean | 'expression' | undefined {
  if (typeof value === 'boolean') return value;
  if (isExpression(value)) return 'expression';
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** The value when it is a literal string (no `${...}` expression), else undefined. */
export function literalString(value: unknown): string | undefined {
  return typeof value === 'string' && !isExpression(value) ? value : undefined;
}

/** The first nested block at a path of block names (each step may be an object or a list). */
export function nested(body: unknown, ...path: string[]): JsonObject | undefined {
  let node: unknown = body;
  for (const key of path) {
    const [first] = blocks(node);
    if (first === undefined) return undefined;
    node = first[key];
  }
  return blocks(node)[0];
}
