/**
 * Public JWKs generated once with node:crypto (generateKeyPairSync) for the service-account tests;
 * their private halves were never kept. Literal, so that a test fails if validation drifts.
 */

/** An EC P-256 key (ES256). */
export const EC_P256 = {
  kid: 'deploy-bot-2026-01',
  kty: 'EC',
  x: 'UF2UcWrWVjTfil3uyYT_2BFFwHV9eb2mxfW4gf8qMfc',
  y: 'RAhsaf_fsU7whrGNUJNR_tC-JDQEiyPtD6KGnBRJ7X4',
  crv: 'P-256',
} as const;
/** A second EC P-256 key (the next key during a rotation). */
export const EC_P256_NEXT = {
  kid: 'deploy-bot-2026-07',
  kty: 'EC',
  x: 'mayoqmFz2Z4QmpyjWAgm9lmUKE0TjNZqEXtpN2oABnU',
  y: 'zSVnIscJchNKkWBsKUdgD9z8qrSgE-ziLW9g9VvFIWU',
  crv: 'P-256',
} as const;
/** An EC P-384 key (ES384). */
export const EC_P384 = {
  kid: 'p384',
  kty: 'EC',
  x: 'unuTdKywO1K0N8ZETu00P8khtmugt4fl-LH1xr0IyjzLztXeIm2nsIsRMh_yXh-H',
  y: '7WZ9ZPoWp_i9DyGFLZ7Z41BLzKbl93Iz_ib9SicCrMKGTBqA8McTn6Wx5zdNzFlu',
  crv: 'P-384',
} as const;
/** An EC P-521 key (ES512). */
export const EC_P521 = {
  kid: 'p521',
  kty: 'EC',
  x: 'Aas5Gicqan824L4PaHbBiohk2MRVYTwOKXFvG9j0SEjDL9dhfSeZNbJiEjO-EsB-zFfKOKHSMyrQFFsW2mdCw0Wg',
  y: 'ABAKld_erStn3qiQbq8F9jksGDFS3OH77XxhKxsEOuXToaGNY-ITDl15pQdn_D3Ua0ldBLkTmfU_SSqL-Rc1vkUX',
  crv: 'P-521',
} as const;
/** An EC key on secp256k1 (not accepted). */
export const EC_SECP256K1 = {
  kid: 'k1',
  kty: 'EC',
  x: 'z1qwmgdm4Yn-p0g8MV6upmROlhBjyir3uRCuz_hX26I',
  y: 'CSLtVQw4rorcSI_4L9Yu_cZ6CsReyvRe0xqWY7l21no',
  crv: 'secp256k1',
} as const;
/** An RSA key of 2048 bits. */
export const RSA_2048 = {
  kid: 'rsa-2048',
  kty: 'RSA',
  n: 'xIV0an0qquvROPjmJg0E0a_czYy8AHvROM14Xuwj9p9umXWJTvc-h9dB5K9xxZRxwbsohf7uNWfcql2KeBgIrdME5imvftly5kT6BSOrSffWVQKVVUUuZP14n6xR-Iud3984WfnEUCwSCVJHpbULeNP51Hytpbw1tywWIepkWzC5H8oBBSb3JmNKY_4AD2TJpC53cCavHXUQWG9E6M-1UBMY3zXmFpGNlX7Y21BUQXuOQ5wdgKXnt8zOflk6XMmSEUdpD6eY8whZDZkQypOcJxoKeQfhS8WCQJW7weH-E9FK4ooOW2yFbyf-zY-_s9hxyzcPr0kfAcLpghUUyUFPFw',
  e: 'AQAB',
} as const;
/** An RSA key one bit short of the 2048-bit floor. */
export const RSA_2047 = {
  kid: 'rsa-2047',
  kty: 'RSA',
  n: 'cI-a_UpCtKPo4iukXSPrX-kkVlrUpqUnl1cxmFT34y-gIjlgUKlSapNaBzRyimpRFKC05ayzzsna1jXl9bwQrrcA-FS6fBTPhx_mcBnZNAIrB1cN5kmqZpJYuZ77Xd2LRQeKwVc3jAufAg0rw-KGDcYfxhWjlvFBzUqcFoKhF3E0tlEMDQiSRgIQOay8Y9wrgoXKsreR4jhVNKLtUS-95g6iLzBFh0IHlvpD287hDhkbeTODLB7sNg9IVqv1kFs5Iai_4Ou7d9EkyIhXLZiQCwNJi4TPjtnQfi0XRgNtA8q-bEvSQjfWLRY7_hnCvNx1fknRGT8QdeNKo4e2b8MkEQ',
  e: 'AQAB',
} as const;
/** An RSA key of 1024 bits (too short). */
export const RSA_1024 = {
  kid: 'rsa-1024',
  kty: 'RSA',
  n: 'xmVi-L5aNqvtOJp0QTG9sG6mLREjKBjp1eFzrZCQBSCZkRAYgHbjuD0gyL1mymJUCFNtPJgIoDXmaYM0zc2n-aqLy41-6fz6xedUReT5Qzvmos6e6mnrpM7exeFxdoT_0IMAbmmPUEFHfNQsFTol7afGFaslihAAPTie74opT5s',
  e: 'AQAB',
} as const;
/** An Ed25519 (OKP) key (not accepted). */
export const ED25519 = {
  kid: 'ed',
  crv: 'Ed25519',
  x: 'XljnOltgrAWzpakJyMx7xmVS80m-Sh2E63aisY6d4Qo',
  kty: 'OKP',
} as const;
