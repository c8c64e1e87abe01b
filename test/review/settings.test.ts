import * as fs from 'fs';
import * as path from 'path';
import { KEY_ROTATION_SECONDS } from '../../lib/core/defaults';
import { SETTINGS, type SettingExtractor, type SettingValue } from '../../lib/review';

function extractor(id: string): SettingExtractor {
  const found = SETTINGS.find((s) => s.id === id);
  if (!found) throw new Error(`no extractor ${id}`);
  return found;
}

/** [setting, before, after, weaker?] */
const CASES: [string, SettingValue, SettingValue, boolean][] = [
  ['identity.access-token-lifetime', 15, 60, true],
  ['identity.access-token-lifetime', 15, null, true],
  ['identity.access-token-lifetime', 60, 15, false],
  ['identity.access-token-lifetime', 15, '${var.ttl}', false],
  ['identity.policy-grant-types', ['authorization_code'], ['authorization_code', 'password'], true],
  ['identity.policy-grant-types', ['authorization_code', 'refresh_token'], ['authorization_code'], false],
  ['identity.refresh-token-rotation', 'ROTATE', 'STATIC', true],
  ['identity.refresh-token-rotation', 'ROTATE', null, true],
  ['identity.refresh-token-rotation', 'STATIC', 'ROTATE', false],
  ['identity.audience', ['https://a/mcp'], ['https://a/mcp', 'https://b/mcp'], true],
  ['identity.hardware-key', ['hardware-protected', 'phishing-resistant'], ['phishing-resistant'], true],
  ['identity.hardware-key', ['phishing-resistant'], ['hardware-protected', 'phishing-resistant'], false],
  ['identity.re-authentication', 'PT15M', 'PT2H', true],
  ['identity.re-authentication', 'PT15M', null, true],
  ['identity.re-authentication', 'PT1H', 'PT15M', false],
  ['transport.access-session', '15m', '24h', true],
  ['transport.access-session', '1h', '30m', false],
  ['transport.access-session', '15m', null, true],
  ['transport.allowed-idps', ['okta'], [], true],
  ['transport.allowed-idps', ['okta'], ['okta', 'github'], true],
  ['transport.hardware-key-policies', ['admins'], [], true],
  ['transport.policy-hardware-key', true, false, true],
  [
    'transport.ingress-services',
    ['tcp://127.0.0.1:8080', 'http_status:404'],
    ['tcp://10.0.0.7:8080', 'http_status:404'],
    true,
  ],
  [
    'transport.ingress-services',
    ['tcp://127.0.0.1:8080', 'http_status:404'],
    ['tcp://localhost:9090', 'http_status:404'],
    false,
  ],
  ['ports.bind-address', ['mcp-server: 127.0.0.1'], ['mcp-server: 0.0.0.0'], true],
  ['ports.bind-address', ['mcp-server: 127.0.0.1'], [], true],
  ['ports.bind-address', ['mcp-server: 0.0.0.0'], ['mcp-server: 127.0.0.1'], false],
  ['ports.declared-ports', [], ['mcp-server: 8080'], true],
  ['ports.run-as-non-root', true, null, true],
  ['ports.read-only-root-filesystem', ['a: true', 'b: true'], ['a: true', 'b: false'], true],
  ['ports.read-only-root-filesystem', ['a: true', 'b: true'], ['a: true'], false],
  ['ports.allow-privilege-escalation', ['a: false'], ['a: not set'], true],
  ['ports.capabilities-drop', ['a: ALL'], ['a: NET_RAW'], true],
  ['ports.pod-security', 'restricted', 'baseline', true],
  ['ports.pod-security', 'restricted', null, true],
  ['ports.pod-security', 'baseline', 'restricted', false],
  ['ports.default-deny', ['Egress', 'Ingress'], ['Ingress'], true],
  ['ports.services-quota', ['services: 0'], ['services: 1'], true],
  ['ports.services-quota', ['services: 0'], [], true],
  ['secrets.kubernetes-token-ttl', 900, 3600, true],
  ['secrets.kubernetes-token-period', null, 3600, true],
  ['secrets.kubernetes-token-period', 3600, null, false],
  ['secrets.bound-namespaces', ['mcp-acme'], ['*'], true],
  ['secrets.bound-service-accounts', ['mcp-server'], ['default', 'mcp-server'], true],
  ['secrets.jwt-bound-claims', ['tid: acme'], [], true],
  ['secrets.jwt-bound-claims', ['tid: acme'], ['tid: *'], true],
  ['secrets.jwt-bound-claims', ['tid: acme'], ['tid: globex'], false],
  ['secrets.key-rotation', KEY_ROTATION_SECONDS, 0, true],
  ['secrets.key-rotation', KEY_ROTATION_SECONDS, 2 * KEY_ROTATION_SECONDS, true],
  ['secrets.key-rotation', 0, KEY_ROTATION_SECONDS, false],
  ['secrets.key-exportable', false, true, true],
  ['secrets.key-deletion-allowed', null, true, true],
  ['audit.lock-retention', 365, 30, true],
  ['audit.lock-retention', 'Indefinite', 365, true],
  ['audit.lock-retention', 365, null, true],
  ['audit.lock-retention', 30, 'Indefinite', false],
  ['audit.prevent-destroy', true, null, true],
  ['audit.prevent-destroy', true, false, true],
  ['audit.prevent-destroy', null, true, false],
];

describe('setting comparators', () => {
  test.each(CASES)('%s: %j -> %j is weaker: %s', (id, before, after, weaker) => {
    expect(extractor(id).weaker?.(before, after) ?? false).toBe(weaker);
  });

  test('settings without a comparator never count as weakened', () => {
    expect(extractor('secrets.mount').weaker).toBeUndefined();
    expect(extractor('audit.lock-rules').weaker).toBeUndefined();
  });

  test('the README names every setting the report shows', () => {
    const docs = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    expect(SETTINGS.map((s) => s.label).filter((label) => !docs.includes(label))).toEqual([]);
  });

  test('every extractor has a unique id and a layer-prefixed name', () => {
    const ids = SETTINGS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SETTINGS) expect(s.id.startsWith(`${s.layer}.`)).toBe(true);
  });
});

describe('setting readers', () => {
  test('the hardware-key rule keeps only the requirements every constraint alternative makes', () => {
    const read = extractor('identity.hardware-key').read;
    const strict = JSON.stringify({
      possession: { phishingResistant: 'REQUIRED', hardwareProtection: 'REQUIRED', userVerification: 'REQUIRED' },
    });
    const loose = JSON.stringify({ possession: { phishingResistant: 'REQUIRED' } });
    expect(read({ constraints: [strict] })).toEqual(['phishing-resistant', 'hardware-protected', 'user verification']);
    expect(read({ constraints: [strict, loose] })).toEqual(['phishing-resistant']);
    expect(read({})).toBeNull();
  });

  test('a network policy without policy_types denies ingress by default (Kubernetes default)', () => {
    const read = extractor('ports.default-deny').read;
    expect(read({ spec: { pod_selector: {} } })).toEqual(['Ingress']);
    expect(read({ spec: { pod_selector: { match_labels: { app: 'x' } }, policy_types: ['Ingress'] } })).toEqual([]);
    expect(read({ spec: [{ pod_selector: [{}], policy_types: ['Ingress', 'Egress'], egress: [{ to: [] }] }] })).toEqual(
      ['Ingress'],
    );
  });

  test('lock retention is the longest enabled rule covering the whole bucket', () => {
    const read = extractor('audit.lock-retention').read;
    const rule = (type: string, prefix: string, enabled: boolean, days?: number) => ({
      id: 'r',
      enabled,
      prefix,
      condition: days === undefined ? { type } : { type, max_age_seconds: days * 86400 },
    });
    expect(read({ rules: [rule('Age', '', true, 30), rule('Age', '', true, 365)] })).toBe(365);
    expect(read({ rules: [rule('Age', 'logs/', true, 365), rule('Age', '', false, 365)] })).toBeNull();
    expect(read({ rules: [rule('Indefinite', '', true)] })).toBe('Indefinite');
  });
});
