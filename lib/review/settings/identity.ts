/** The review's identity settings. */
import { REFRESH_TOKEN_ROTATION } from '../../core/identity-defaults';
import { readNumber, readSet, readText } from '../values';
import { numeric, duration, higherIsWeaker, safeLost, grew, shrank } from './comparators';
import type { SettingExtractor } from './extractor';
import { possessionRequirements, UNSET_IS_LONGEST, isoDurationMinutesOf } from './readers';

/** Settings of the identity layer, in report order. */
export const IDENTITY_SETTINGS: readonly SettingExtractor[] = [
  {
    id: 'identity.audience',
    layer: 'identity',
    label: 'audience',
    types: ['okta_auth_server'],
    read: (b) => readSet(b.audiences),
    weaker: grew,
  },
  {
    id: 'identity.access-token-lifetime',
    layer: 'identity',
    label: 'access token lifetime (min)',
    types: ['okta_auth_server_policy_rule'],
    read: (b) => readNumber(b.access_token_lifetime_minutes),
    // Okta's default is 60 minutes: unset is the weakest.
    weaker: higherIsWeaker(numeric(UNSET_IS_LONGEST)),
  },
  {
    id: 'identity.policy-grant-types',
    layer: 'identity',
    label: 'grant types (policy rule)',
    types: ['okta_auth_server_policy_rule'],
    read: (b) => readSet(b.grant_type_whitelist),
    weaker: grew,
  },
  {
    id: 'identity.client-grant-types',
    layer: 'identity',
    label: 'grant types (client)',
    types: ['okta_app_oauth'],
    read: (b) => readSet(b.grant_types),
    weaker: grew,
  },
  {
    id: 'identity.refresh-token-rotation',
    layer: 'identity',
    label: 'refresh token rotation',
    types: ['okta_app_oauth'],
    read: (b) => readText(b.refresh_token_rotation),
    weaker: safeLost(REFRESH_TOKEN_ROTATION),
  },
  {
    id: 'identity.hardware-key',
    layer: 'identity',
    label: 'hardware-key rule (possession)',
    types: ['okta_app_signon_policy_rule'],
    read: (b) => possessionRequirements(b.constraints),
    weaker: shrank,
  },
  {
    id: 'identity.re-authentication',
    layer: 'identity',
    label: 're-authentication frequency',
    types: ['okta_app_signon_policy_rule'],
    read: (b) => readText(b.re_authentication_frequency),
    weaker: higherIsWeaker(duration(isoDurationMinutesOf, UNSET_IS_LONGEST)),
  },
];
