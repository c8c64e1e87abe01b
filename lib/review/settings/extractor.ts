import type { JsonObject } from '../../model/json';
import type { ChangeClass, ReviewLayer, SettingValue } from '../model';

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
  /** Reads the setting from one resource body: `null` when absent. */
  read(body: JsonObject): SettingValue;
  /** Renders a value (default: lists joined, `not set` for null). */
  show?(value: SettingValue): string;
  /**
   * Judges `before` -> `after` (values that differ): weaker, stronger, neither, or unknowable (an
   * expression, an unreadable value): unclassified.
   */
  compare(before: SettingValue, after: SettingValue): ChangeClass;
}
