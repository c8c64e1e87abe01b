/**
 * The review's extractor table: one small extractor per security-relevant setting, naming its layer,
 * label, resource types, how to read it from a resource's synthesized body and (where a change can
 * weaken security) a comparator that says whether going from one value to another is a weakening.
 * One file per layer, as the rule pack has one folder per layer.
 */
import type { SettingValue } from '../model';
import { showValue } from '../values';
import { AUDIT_SETTINGS } from './audit';
import type { SettingExtractor } from './extractor';
import { IDENTITY_SETTINGS } from './identity';
import { PORTS_SETTINGS } from './ports';
import { SECRETS_SETTINGS } from './secrets';
import { TRANSPORT_SETTINGS } from './transport';

export type { SettingExtractor } from './extractor';

/** Every setting the review reads, in layer order. */
export const SETTINGS: readonly SettingExtractor[] = [
  ...IDENTITY_SETTINGS,
  ...TRANSPORT_SETTINGS,
  ...PORTS_SETTINGS,
  ...SECRETS_SETTINGS,
  ...AUDIT_SETTINGS,
];

/** The extractors of each resource type, indexed once. */
export const SETTINGS_BY_TYPE: ReadonlyMap<string, readonly SettingExtractor[]> = (() => {
  const byType = new Map<string, SettingExtractor[]>();
  for (const s of SETTINGS) {
    for (const t of s.types) {
      const l = byType.get(t);
      if (l) l.push(s);
      else byType.set(t, [s]);
    }
  }
  return byType;
})();

/** The report's rendering of one extractor's value. */
export function showSetting(extractor: SettingExtractor, value: SettingValue): string {
  return extractor.show ? extractor.show(value) : showValue(value);
}
