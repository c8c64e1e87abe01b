/**
 * Which Okta sign-ins the tenant's Access policies admit, judged with ID tokens carrying the `amr`
 * values Okta documents for each authenticator.
 *
 * Okta, "Configure AMR claims mapping", table "Supported AMR values by authenticator type"
 * (https://developer.okta.com/docs/guides/configure-amr-claims-mapping/main/): webauthn -> pop;
 * okta_verify signed_nonce (FastPass) -> okta_verify, phr; okta_verify push -> okta_verify, swk;
 * okta_verify totp -> okta_verify, otp; okta_password -> pwd; smart_card_idp -> sc + swk, with an
 * option hwk (replaces swk). Its example ID token carries ["sms","mfa","pwd"]: Okta lists every
 * method used and adds mfa when there were several. Okta documents no different value for a roaming
 * FIDO2 key and a platform passkey: both are the webauthn method.
 *
 * Cloudflare Access matches `auth_method` against those values: "Cloudflare Access follows RFC 8176"
 * and "If the user fails to present the required MFA method, Cloudflare Access rejects the user"
 * (https://developers.cloudflare.com/cloudflare-one/access-controls/policies/mfa-requirements/).
 */
import type { JsonObject } from '../../lib/model/stack';
import { accessAdmits } from '../../lib/model/cloudflare';
import { clone } from '../helpers';
import { only, transportJson } from './transport-stack';

/** The decoded payload of an Okta ID token, as far as Access reads it. */
interface IdToken {
  readonly iss: string;
  readonly aud: string;
  readonly amr: readonly string[];
}
const idToken = (amr: readonly string[]): IdToken => ({ iss: 'https://example.okta.com', aud: '0oa1accessidp', amr });

/** [sign-in, its ID token, admitted by the users policy, admitted by the admins policy] */
const SIGN_INS: readonly [string, IdToken, boolean, boolean][] = [
  ['a FIDO2 security key (WebAuthn)', idToken(['pop']), true, true],
  ['a platform passkey (WebAuthn)', idToken(['pop']), true, true],
  ['a password and a security key', idToken(['pwd', 'pop', 'mfa']), true, true],
  ['Okta FastPass', idToken(['okta_verify', 'phr']), true, false],
  ['Okta Verify push', idToken(['okta_verify', 'swk']), true, false],
  ['Okta Verify TOTP', idToken(['okta_verify', 'otp']), true, false],
  ['a password and Okta Verify push', idToken(['pwd', 'mfa', 'swk']), true, false],
  ['a password only', idToken(['pwd']), true, false],
  ['a smart card with the hwk option', idToken(['sc', 'hwk']), true, false],
];

describe('accessAdmits: the tenant policies against documented Okta sign-ins', () => {
  let users: JsonObject;
  let admins: JsonObject;
  beforeAll(() => {
    const policies = only(transportJson(['acme']), 'cloudflare_zero_trust_access_application').policies as JsonObject[];
    expect(policies.map((p) => p.name)).toEqual(['mcp-acme-users', 'mcp-acme-admins']);
    [users, admins] = policies;
  });

  test.each(
    SIGN_INS.map(([signIn, token, byUsers, byAdmins]) => [signIn, token.amr, byUsers, byAdmins, token] as const),
  )('%s, amr %j: users policy admits %p, admins policy admits %p', (_signIn, _amr, byUsers, byAdmins, token) => {
    expect(accessAdmits(users, token.amr)).toBe(byUsers);
    expect(accessAdmits(admins, token.amr)).toBe(byAdmins);
  });

  test("the former admin policy (require 'hwk') admits no WebAuthn sign-in, only a smart card's", () => {
    const former = clone(admins);
    former.require = [{ auth_method: { auth_method: 'hwk' } }];
    const admitted = SIGN_INS.filter(([, token]) => accessAdmits(former, token.amr)).map(([signIn]) => signIn);
    expect(admitted).toEqual(['a smart card with the hwk option']);
  });

  test('an auth method in include (OR) admits every sign-in of a group member; in exclude it refuses', () => {
    const orPolicy = {
      ...clone(admins),
      require: [],
      include: [...(admins.include as JsonObject[]), { auth_method: { auth_method: 'pop' } }],
    };
    expect(SIGN_INS.every(([, token]) => accessAdmits(orPolicy, token.amr))).toBe(true);
    const onlyMethod = { decision: 'allow', include: [{ auth_method: { auth_method: 'pop' } }] };
    expect(accessAdmits(onlyMethod, ['pop'])).toBe(true);
    expect(accessAdmits(onlyMethod, ['pwd'])).toBe(false);
    const excluded = { ...clone(users), exclude: [{ auth_method: { auth_method: 'pwd' } }] };
    expect(accessAdmits(excluded, ['pwd'])).toBe(false);
    expect(accessAdmits(excluded, ['pop'])).toBe(true);
  });

  test('a policy that does not allow, or includes nobody, admits no one; an unread method is undefined', () => {
    expect(accessAdmits({ ...clone(users), decision: 'deny' }, ['pop'])).toBe(false);
    expect(accessAdmits({ ...clone(users), decision: 'bypass' }, ['pop'])).toBe(false);
    expect(accessAdmits({ decision: 'allow', include: [] }, ['pop'])).toBe(false);
    expect(accessAdmits({ ...clone(users), decision: '${var.decision}' }, ['pop'])).toBeUndefined();
    const unread = { ...clone(admins), require: [{ auth_method: { auth_method: '${var.method}' } }] };
    expect(accessAdmits(unread, ['pop'])).toBeUndefined();
    // Decided anyway: a literal requirement the token lacks refuses it whatever the other one is.
    unread.require.push({ auth_method: { auth_method: 'hwk' } });
    expect(accessAdmits(unread, ['pop'])).toBe(false);
    expect(accessAdmits({ decision: 'allow', include: [{ auth_method: 'pop' }] }, ['pop'])).toBe(true);
  });
});
