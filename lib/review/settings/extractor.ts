import type { JsonObject } from '../../model/json';
import type { ReviewLayer, SettingValue } from '../model';

export interface SettingExtractor {
  /** Stable id, `<layer>.<setting>`. */
  readonly id: string;
  readonly layer: ReviewLayer;
  /** What the report calls it, with its unit. */
  readonly label: string;
  /** Terraform resource types that carry it. */
  readonly types: readonly string[];
  /** Reads the setting from one resource body: `null` when absent. */
  read(body: JsonObject): SettingValue;
  /** Renders a value (default: lists joined, `not set` for null). */
  show?(value: SettingValue): string;
  /** True when `before` -> `after` weakens security. Absent: a change is never a weakening. */
  weaker?(before: SettingValue, after: SettingValue): boolean;
}
