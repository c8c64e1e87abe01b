import type { JsonObject } from '../../model/json';
import type { ResourceEntry, SynthesizedStack } from '../../model/stack';
import type { ChangeClass, ReviewLayer, SettingValue } from '../model';

/** What a comparator knows beside the two values: whose resource it is. */
export interface CompareContext {
  /** The tenant that owns the resource (by its own name, else the stack metadata); `null` for shared pieces. */
  readonly tenant: string | null;
}

/** One security-relevant setting: where it lives, what it covers and how to judge a change of it. */
export interface SettingExtractor {
  /** Stable id, `<layer>.<setting>`. */
  readonly id: string;
  readonly layer: ReviewLayer;
  /** What the report calls it, with its unit. */
  readonly label: string;
  /** Terraform resource types that carry it. */
  readonly types: readonly string[];
  /**
   * The attributes it reads, as dotted paths without list positions (`spec.template.spec.container.env`):
   * a change under one of them is judged by this extractor; a change no extractor covers is
   * unclassified and goes to a security reviewer.
   */
  readonly attributes: readonly string[];
  /** The rule that judges the setting, when one does. */
  readonly rule?: string;
  /** Shown in each tenant's table of settings (the settings a reviewer reads first). @default false */
  readonly table?: boolean;
  /**
   * False for a setting shown in the tables only, whose changes another setting judges (the
   * Access admin policy's required method is judged with every other policy condition).
   * @default true
   */
  readonly compared?: boolean;
  /**
   * True when the reader folds away differences that never matter (the order of a set): an attribute
   * it covers that changed while the value read stayed the same is then a neutral change. Otherwise
   * such a change is unclassified, as the reader may have dropped what changed.
   * @default false
   */
  readonly normalizes?: boolean;
  /**
   * Restricts the setting to some resources of its types, e.g. the admin client's sign-on rule (not
   * every sign-on rule). A change of a resource it does not apply to is judged by other settings.
   * @default - every resource of its types
   */
  applies?(stack: SynthesizedStack, entry: ResourceEntry): boolean;
  /** Reads the setting from one resource body: `null` when absent. */
  read(body: JsonObject): SettingValue;
  /** Renders a value (default: lists joined, `not set` for null). */
  show?(value: SettingValue): string;
  /**
   * The display as tenants may share it, for the fleet's posture summary: drops what differs per
   * tenant by design (a tenant's own local port). The tenant id is replaced by `<t>` in any case.
   * @default - the display as is
   */
  posture?(display: string): string;
  /**
   * Judges `before` -> `after` (values that differ): weaker, stronger, neither, or unknowable (an
   * expression, an unreadable value): unclassified.
   */
  compare(before: SettingValue, after: SettingValue, context: CompareContext): ChangeClass;
}
