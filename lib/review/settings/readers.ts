/** Readers of the settings the review compares, from one resource's synthesized body. */
import { SECONDS_PER_DAY } from '../../core/audit-defaults';
import { blocks, isExpression, isObject, nested, type JsonObject } from '../../model/json';
import { containersOfPod, podSpecOf } from '../../model/pods';
import type { SettingValue } from '../model';
import { readBoolean, readList, readNumber, readText, showValue } from '../values';
import { isoDurationSeconds } from '../../core/identity-defaults';

/** The containers of a Deployment-like body's pod template. */
export function containersOf(body: JsonObject): JsonObject[] {
  const pod = podSpecOf('kubernetes_deployment_v1', body);
  return pod
    ? containersOfPod(pod)
        .filter((c) => c.kind === 'container')
        .map((c) => c.body)
    : [];
}

/** Minutes of an ISO 8601 duration (`PT15M`), as Okta writes re-authentication frequency. */
export function isoDurationMinutesOf(value: string): number | undefined {
  const seconds = isoDurationSeconds(value.trim());
  return seconds === undefined ? undefined : seconds / 60;
}

/** `container: value` for every container of the pod, sorted by container name. */
export function perContainer(body: JsonObject, read: (container: JsonObject) => string): string[] {
  return containersOf(body)
    .map((c) => `${readText(c.name) ?? '?'}: ${read(c)}`)
    .sort();
}

export function showFlag(value: unknown): string {
  const f = readBoolean(value);
  return f === null ? 'not set' : String(f);
}

/** Okta possession constraint keys that make a hardware-key rule, and how the report names them. */
export const POSSESSION_REQUIREMENTS: readonly (readonly [string, string])[] = [
  ['phishingResistant', 'phishing-resistant'],
  ['hardwareProtection', 'hardware-protected'],
  ['userVerification', 'user verification'],
];

/** Possession requirements an Okta sign-on rule makes in every one of its constraint alternatives. */
export function possessionRequirements(value: unknown): SettingValue {
  if (isExpression(value)) return value;
  const raw = readList(value);
  if (raw === null || typeof raw === 'string') return raw;
  let common: string[] | undefined;
  for (const constraint of raw) {
    if (isExpression(constraint)) return constraint;
    let parsed: unknown;
    try {
      parsed = JSON.parse(constraint);
    } catch {
      parsed = undefined;
    }
    const possession = isObject(parsed) && isObject(parsed.possession) ? parsed.possession : {};
    const met = POSSESSION_REQUIREMENTS.filter(([key]) => possession[key] === 'REQUIRED').map(([, name]) => name);
    common = common === undefined ? met : common.filter((m) => met.includes(m));
  }
  return common ?? [];
}

/** Keys of an Access policy the condition reader knows; any other is listed as a `setting`. */
const KNOWN_POLICY_KEYS = new Set([
  '//',
  'name',
  'decision',
  'precedence',
  'session_duration',
  'include',
  'require',
  'exclude',
  'id',
  'account_id',
]);

/**
 * Every condition of an Access application's inline policies (or of one reusable policy), one entry
 * each: `<policy>: decision <d>`, `<policy>: include <selector>=<value>`, `... require ...`,
 * `... exclude ...`; references print as what they point at, through `show`.
 */
export function accessPolicyConditions(
  policies: unknown,
  show: (value: unknown) => string = showReference,
): SettingValue {
  if (isExpression(policies)) return policies;
  const entries: string[] = [];
  blocks(policies).forEach((policy, i) => {
    const name = readText(policy.name) ?? `#${i + 1}`;
    if (policy.decision !== undefined) entries.push(`${name}: decision ${readText(policy.decision)}`);
    if (policy.precedence !== undefined) entries.push(`${name}: precedence ${show(policy.precedence)}`);
    if (policy.session_duration !== undefined) entries.push(`${name}: session ${show(policy.session_duration)}`);
    for (const key of Object.keys(policy).sort()) {
      // Anything else a policy may say (approval groups, isolation, purpose justification) is listed as it is.
      if (!KNOWN_POLICY_KEYS.has(key)) entries.push(`${name}: setting ${key}=${show(policy[key])}`);
    }
    for (const part of ['include', 'require', 'exclude'] as const) {
      for (const rule of blocks(policy[part])) {
        for (const [selector, value] of Object.entries(rule)) {
          if (selector === '//' || value === null || value === undefined || value === false) continue;
          entries.push(`${name}: ${part} ${selector}=${show(value)}`);
        }
      }
    }
    if (policy.id !== undefined && policy.decision === undefined)
      entries.push(`${name}: reusable policy ${show(policy.id)}`);
  });
  return entries.sort();
}

/** A selector value as text: objects as `k=v` pairs in key order, references as written. */
export function showReference(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(showReference).join(',');
  if (isObject(value)) {
    return Object.keys(value)
      .filter((k) => k !== '//')
      .sort()
      .map((k) => `${k}=${showReference(value[k])}`)
      .join(' ');
  }
  return JSON.stringify(value);
}

/** Directions a network policy denies by default: selected by an empty selector, listed, with no rule. */
export function defaultDenyDirections(body: JsonObject): SettingValue {
  if (isExpression(body.spec)) return body.spec;
  const spec = nested(body, 'spec');
  if (!spec) return null;
  const selector = blocks(spec.pod_selector)[0] ?? {};
  const selectsAll = Object.values(selector).every((v) =>
    isObject(v) ? Object.keys(v).length === 0 : blocks(v).length === 0,
  );
  const rules: Record<string, unknown> = { Ingress: spec.ingress, Egress: spec.egress };
  const listed = readList(spec.policy_types);
  if (typeof listed === 'string') return listed;
  if (!selectsAll) return [];
  // Kubernetes' default when policy_types is unset: Ingress, plus Egress when egress rules exist.
  const types = listed ?? (blocks(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
  return types.filter((t) => t in rules && blocks(rules[t]).length === 0).sort();
}

/** The longest whole-bucket lock of an R2 lock: days, `Indefinite`, or `null` when nothing covers the bucket. */
export function wholeBucketRetention(body: JsonObject): SettingValue {
  if (isExpression(body.rules)) return body.rules;
  let best: SettingValue = null;
  for (const rule of blocks(body.rules)) {
    const prefix = rule.prefix ?? '';
    if (readBoolean(rule.enabled) !== true || prefix !== '') continue;
    const condition = blocks(rule.condition)[0] ?? {};
    if (condition.type === 'Indefinite') return 'Indefinite';
    const seconds = readNumber(condition.max_age_seconds);
    if (condition.type === 'Age' && typeof seconds === 'number') {
      const days = seconds / SECONDS_PER_DAY;
      if (best === null || (typeof best === 'number' && days > best)) best = days;
    }
  }
  return best;
}

export function describeLockRule(rule: JsonObject): string {
  const condition = blocks(rule.condition)[0] ?? {};
  const seconds = readNumber(condition.max_age_seconds);
  const age =
    condition.type === 'Age'
      ? `Age ${typeof seconds === 'number' ? `${seconds / SECONDS_PER_DAY} d` : showValue(seconds)}`
      : condition.type === 'Date'
        ? `Date ${readText(condition.date) ?? 'not set'}`
        : (readText(condition.type) ?? 'no condition');
  const enabled = readBoolean(rule.enabled) === true ? 'enabled' : 'disabled';
  return `${readText(rule.id) ?? '?'}: ${enabled}, prefix "${readText(rule.prefix) ?? ''}", ${age}`;
}

export const POD_SECURITY_RANK: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** Vault and Okta fall back to long defaults when a TTL is unset: unset ranks as the weakest. */
export const UNSET_IS_LONGEST = Number.POSITIVE_INFINITY;

export const days = (v: SettingValue): string =>
  typeof v === 'number' ? `${v} s (${v / SECONDS_PER_DAY} d)` : showValue(v);
