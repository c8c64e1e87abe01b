/** Shorthands for the extractor tables: most settings are one attribute, read and compared one way. */
import type { JsonObject } from '../../model/json';
import type { ChangeClass, ReviewLayer, SettingValue } from '../model';
import { readBoolean, readNumber, readSet, readText } from '../values';
import type { CompareContext, SettingExtractor } from './extractor';
import type { ResourceEntry, SynthesizedStack } from '../../model/stack';

type Compare = (before: SettingValue, after: SettingValue, context: CompareContext) => ChangeClass;

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

/** Options of {@link one}. */
export interface OneOptions {
  readonly rule?: string;
  readonly show?: (v: SettingValue) => string;
  readonly table?: boolean;
  readonly applies?: (stack: SynthesizedStack, entry: ResourceEntry) => boolean;
}

/**
 * A setting held by one attribute: `attribute` is its dotted path, read as text, a number, a flag or
 * a set (a list compared as members; its order never matters, so the reader normalizes).
 */
export function one(
  layer: ReviewLayer,
  id: string,
  label: string,
  types: readonly string[],
  attribute: string,
  as: keyof typeof readers,
  compare: Compare,
  options: OneOptions = {},
): SettingExtractor {
  return {
    id: `${layer}.${id}`,
    layer,
    label,
    types,
    attributes: [attribute],
    rule: options.rule,
    table: options.table,
    normalizes: as === 'set',
    applies: options.applies,
    read: (b) => readers[as](at(b, attribute)),
    show: options.show,
    compare,
  };
}
