/** Shorthands for the extractor tables: most settings are one attribute, read and compared one way. */
import type { JsonObject } from '../../model/json';
import type { ChangeClass, ReviewLayer, SettingValue } from '../model';
import { readBoolean, readNumber, readSet, readText } from '../values';
import type { SettingExtractor } from './extractor';

type Compare = (before: SettingValue, after: SettingValue) => ChangeClass;

/** Reads a dotted path of a body (each step may be an object or a one-element list). */
export function at(body: JsonObject, path: string): unknown {
  let node: unknown = body;
  for (const key of path.split('.')) {
    if (Array.isArray(node)) node = node[0];
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

const readers = {
  text: (v: unknown) => readText(v),
  number: (v: unknown) => readNumber(v),
  flag: (v: unknown) => readBoolean(v),
  set: (v: unknown) => readSet(v),
} as const;

/**
 * A setting held by one attribute: `attribute` is its dotted path, read as text, a number, a flag or
 * a set (a list compared as members).
 */
export function one(
  layer: ReviewLayer,
  id: string,
  label: string,
  types: readonly string[],
  attribute: string,
  as: keyof typeof readers,
  compare: Compare,
  options: { readonly rule?: string; readonly show?: (v: SettingValue) => string; readonly table?: boolean } = {},
): SettingExtractor {
  return {
    id: `${layer}.${id}`,
    layer,
    label,
    types,
    attributes: [attribute],
    rule: options.rule,
    table: options.table,
    read: (b) => readers[as](at(b, attribute)),
    show: options.show,
    compare,
  };
}
