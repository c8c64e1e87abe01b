/** The review's transport settings. */
import { blocks, isExpression, nested } from '../../model/json';
import { isLoopbackService, readSet, readText } from '../values';
import { durationMinutes } from '../../core/transport-defaults';
import { duration, higherIsWeaker, safeLost, members, grew, shrank } from './comparators';
import type { SettingExtractor } from './extractor';
import { hardwareKeyPolicies, requiresHardwareKey, UNSET_IS_LONGEST } from './readers';

/** Settings of the transport layer, in report order. */
export const TRANSPORT_SETTINGS: readonly SettingExtractor[] = [
  {
    id: 'transport.access-session',
    layer: 'transport',
    label: 'Access session duration',
    types: ['cloudflare_zero_trust_access_application'],
    read: (b) => readText(b.session_duration),
    // Cloudflare's default session is 24 h: unset is the weakest.
    weaker: higherIsWeaker(duration(durationMinutes, UNSET_IS_LONGEST)),
  },
  {
    id: 'transport.allowed-idps',
    layer: 'transport',
    label: 'allowed identity providers',
    types: ['cloudflare_zero_trust_access_application'],
    read: (b) => readSet(b.allowed_idps),
    // An empty list allows every identity provider of the account.
    weaker: (before, after) =>
      grew(before, after) || ((members(before)?.length ?? 0) > 0 && members(after)?.length === 0),
  },
  {
    id: 'transport.hardware-key-policies',
    layer: 'transport',
    label: 'policies requiring a hardware key (hwk)',
    types: ['cloudflare_zero_trust_access_application'],
    read: hardwareKeyPolicies,
    weaker: shrank,
  },
  {
    id: 'transport.policy-hardware-key',
    layer: 'transport',
    label: 'requires a hardware key (hwk)',
    types: ['cloudflare_zero_trust_access_policy'],
    read: (b) => requiresHardwareKey(b),
    weaker: safeLost(true),
  },
  {
    id: 'transport.ingress-services',
    layer: 'transport',
    label: 'tunnel ingress services',
    types: ['cloudflare_zero_trust_tunnel_cloudflared_config'],
    read: (b) => {
      if (isExpression(b.config)) return b.config;
      const ingress = nested(b, 'config')?.ingress;
      if (isExpression(ingress)) return ingress;
      return blocks(ingress).map((rule) => readText(rule.service) ?? 'not set');
    },
    // Weaker when a service leaves loopback.
    weaker: (before, after) => {
      const [b, a] = [members(before), members(after)];
      if (b === undefined || a === undefined) return false;
      return a.some((s) => !isLoopbackService(s) && !isExpression(s) && !b.includes(s));
    },
  },
];
