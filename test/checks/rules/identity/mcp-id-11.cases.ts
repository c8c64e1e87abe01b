import { MCP_ID_11 } from '../../../../lib/checks/rules/identity/mcp-id-11';
import type { JsonObject } from '../../../../lib/model/stack';
import { EC_P256, EC_P384, EC_P521, RSA_1024, RSA_2047, RSA_2048 } from '../../../identity/service-keys';
import { findings, nameIn, run, serviceIdentityJson, tamper, withVariable } from './tamper';

const APP = 'okta_app_oauth';
const BOT = 'acme_Identity_Service-deploy-bot_App';
const at = (detail: string, app = BOT) => `non-compliant ${APP}.${app}: ${detail}`;

describe('MCP-ID-11', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = serviceIdentityJson();
  });

  test('compliant: the three service apps (EC key, RSA key, jwks_uri); the human apps are not judged', () => {
    const results = run(MCP_ID_11, json);
    expect(results.map((r) => r.address.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual([
      `${APP}.acme_Identity_Service-deploy-bot_App`,
      `${APP}.acme_Identity_Service-ops_App`,
      `${APP}.globex_Identity_Service-deploy-bot_App`,
    ]);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test('compliant: EC keys on P-384 and P-521 (the curve read from the coordinates), two keys during a rotation', () => {
    const keys = tamper(json, APP, BOT, (b) => {
      b.jwks = [
        { kid: 'a', kty: 'EC', x: EC_P384.x, y: EC_P384.y },
        { kid: 'b', kty: 'EC', x: EC_P521.x, y: EC_P521.y },
      ];
    });
    expect(findings(MCP_ID_11, keys)).toEqual([]);
  });

  test.each<[string, { readonly n: string; readonly e: string }, string[]]>([
    ['2048 bits (the floor)', RSA_2048, []],
    [
      '2047 bits (one bit short)',
      RSA_2047,
      ['jwks[0] must be an RSA key of at least 2048 bits, but a 2047-bit key was provided'],
    ],
  ])('an RSA key of %s', (_what, key, problems) => {
    const edited = tamper(json, APP, BOT, (b) => {
      b.jwks = [{ kid: 'k', kty: 'RSA', e: key.e, n: key.n }];
    });
    expect(findings(MCP_ID_11, edited)).toEqual(problems.map((p) => at(p)));
  });

  test.each<[string, (b: JsonObject) => void, string]>([
    [
      'another grant beside client_credentials',
      (b) => {
        b.grant_types = ['client_credentials', 'authorization_code'];
      },
      'grant_types allows authorization_code (only client_credentials)',
    ],
    [
      'a code response type',
      (b) => {
        b.response_types = ['token', 'code'];
      },
      'response_types allows code (only token)',
    ],
    [
      'a client secret instead of a key',
      (b) => {
        b.token_endpoint_auth_method = 'client_secret_basic';
        b.client_basic_secret = 'hunter2hunter2';
      },
      'token_endpoint_auth_method is client_secret_basic (must be private_key_jwt: a signed assertion, no shared secret); client_basic_secret is set: a service account holds no client secret',
    ],
    [
      'no token endpoint auth method (the provider defaults to client_secret_basic)',
      (b) => {
        delete b.token_endpoint_auth_method;
      },
      'token_endpoint_auth_method is not set (the okta provider defaults to client_secret_basic) (must be private_key_jwt: a signed assertion, no shared secret)',
    ],
    [
      'the secret kept in state',
      (b) => {
        b.omit_secret = false;
      },
      'omit_secret is false (must be true: no client secret in Terraform state)',
    ],
    [
      'both jwks and jwks_uri',
      (b) => {
        b.jwks_uri = 'https://agent.example.com/jwks';
      },
      'jwks and jwks_uri are both set (exactly one names the key)',
    ],
    [
      'no key at all',
      (b) => {
        delete b.jwks;
      },
      'neither jwks nor jwks_uri is set: Okta has no key to check',
    ],
    [
      'an RSA key of 1024 bits',
      (b) => {
        b.jwks = [{ kid: 'old', kty: 'RSA', e: RSA_1024.e, n: RSA_1024.n }];
      },
      'jwks[0] must be an RSA key of at least 2048 bits, but a 1024-bit key was provided',
    ],
    [
      'a private key member',
      (b) => {
        (b.jwks as JsonObject[])[0].d = 'c2VjcmV0';
      },
      'jwks[0] holds private key members (d)',
    ],
    [
      'EC coordinates of no accepted curve',
      (b) => {
        (b.jwks as JsonObject[])[0].x = 'AAAA';
      },
      'jwks[0] is an EC key whose coordinates are on none of P-256, P-384, P-521',
    ],
    [
      'a key type other than RSA or EC',
      (b) => {
        b.jwks = [{ kid: 'k', kty: 'oct' }];
      },
      "jwks[0].kty must be 'RSA' or 'EC', but 'oct' was provided",
    ],
    [
      'an empty jwks',
      (b) => {
        b.jwks = [];
      },
      'jwks is empty',
    ],
    [
      'a jwks member that is not a key',
      (b) => {
        b.jwks = ['AAAA'];
      },
      'jwks[0] is not a key',
    ],
    [
      'an EC key without an x coordinate',
      (b) => {
        b.jwks = [{ kid: 'k', kty: 'EC', y: EC_P256.y }];
      },
      'jwks[0] is an EC key whose coordinates are on none of P-256, P-384, P-521',
    ],
    [
      'no grant at all',
      (b) => {
        b.grant_types = [];
      },
      'grant_types does not hold client_credentials',
    ],
    [
      'a token endpoint auth method that is not a string',
      (b) => {
        b.token_endpoint_auth_method = 5;
      },
      'token_endpoint_auth_method is not a string (must be private_key_jwt: a signed assertion, no shared secret)',
    ],
    [
      'omit_secret that is not a boolean',
      (b) => {
        b.omit_secret = 'yes';
      },
      "omit_secret is 'yes' (must be true: no client secret in Terraform state)",
    ],
  ])('non-compliant: %s', (_what, edit, detail) => {
    expect(findings(MCP_ID_11, tamper(json, APP, BOT, edit))).toEqual([at(detail)]);
  });

  test('non-compliant: a jwks_uri over http', () => {
    const bad = tamper(json, APP, 'globex_Identity_Service-deploy-bot_App', (b) => {
      b.jwks_uri = 'http://agents.globex.example/jwks.json';
    });
    expect(findings(MCP_ID_11, bad)).toEqual([
      at(
        "jwks_uri 'http://agents.globex.example/jwks.json' is not an https URL",
        'globex_Identity_Service-deploy-bot_App',
      ),
    ]);
  });

  test('non-compliant: client_credentials on a web app (the Access web app) is judged as a service app', () => {
    const bad = tamper(json, APP, 'AccessIdpApp', (b) => {
      b.grant_types = ['authorization_code', 'client_credentials'];
    });
    expect(findings(MCP_ID_11, bad)).toEqual([
      at(
        'type is web, yet it holds client_credentials (only a service app may); grant_types allows authorization_code (only client_credentials); response_types allows code (only token); token_endpoint_auth_method is client_secret_basic (must be private_key_jwt: a signed assertion, no shared secret); neither jwks nor jwks_uri is set: Okta has no key to check; omit_secret is not set (must be true: no client secret in Terraform state)',
        'Shared_Okta_AccessIdpApp',
      ),
    ]);
  });

  test("compliant: one key written as a block rather than a list, with a '//' comment member", () => {
    const single = tamper(json, APP, BOT, (b) => {
      b.jwks = { '//': { note: 'rotated yearly' }, ...(b.jwks as JsonObject[])[0] };
    });
    expect(findings(MCP_ID_11, single)).toEqual([]);
  });

  test('undecided: type, a grant member, token_endpoint_auth_method and jwks_uri from a variable without a default', () => {
    const unknown = tamper(withVariable(json, 'v'), APP, BOT, (b) => {
      b.type = '${var.v}';
      b.grant_types = ['client_credentials', '${var.v}'];
      b.token_endpoint_auth_method = '${var.v}';
      delete b.jwks;
      b.jwks_uri = '${var.v}';
    });
    expect(findings(MCP_ID_11, unknown)).toEqual([
      `undecided ${APP}.${BOT}: type: variable 'v' has no default: its value comes at plan time; grant_types: variable 'v' has no default: its value comes at plan time; token_endpoint_auth_method: variable 'v' has no default: its value comes at plan time; jwks_uri: variable 'v' has no default: its value comes at plan time`,
    ]);
  });

  test('undecided: the whole grant_types and response_types from a variable without a default', () => {
    const unknown = tamper(withVariable(json, 'v'), APP, BOT, (b) => {
      b.grant_types = '${var.v}';
      b.response_types = '${var.v}';
    });
    expect(findings(MCP_ID_11, unknown)).toEqual([
      `undecided ${APP}.${BOT}: grant_types: variable 'v' has no default: its value comes at plan time; response_types: variable 'v' has no default: its value comes at plan time`,
    ]);
  });

  test('undecided: grants, response types, jwks and jwks_uri that are computed at apply', () => {
    const server = `okta_auth_server.${nameIn(json, 'okta_auth_server', 'acme_')}`;
    const granted = tamper(json, APP, BOT, (b) => {
      b.grant_types = ['client_credentials', `\${${server}.id}`, `x-\${${server}.id}`];
      b.response_types = [`\${${server}.id}`];
    });
    expect(findings(MCP_ID_11, granted)).toEqual([
      `undecided ${APP}.${BOT}: grant_types[1] is ${server}.id, computed at apply; grant_types[2] 'x-\${${server}.id}' is computed at apply; response_types[0] is ${server}.id, computed at apply`,
    ]);
    const referenced = tamper(json, APP, BOT, (b) => {
      b.grant_types = [`\${${server}.id}`];
      b.jwks = `\${${server}.id}`;
    });
    expect(findings(MCP_ID_11, referenced)).toEqual([
      `undecided ${APP}.${BOT}: grant_types[0] is ${server}.id, computed at apply; jwks is a reference to ${server}.id, computed at apply`,
    ]);
    const uri = tamper(json, APP, BOT, (b) => {
      delete b.jwks;
      b.jwks_uri = `\${${server}.id}`;
    });
    expect(findings(MCP_ID_11, uri)).toEqual([
      `undecided ${APP}.${BOT}: jwks_uri is a reference to ${server}.id, computed at apply`,
    ]);
  });

  test('undecided: a key member from a variable without a default, or computed at apply', () => {
    const server = `okta_auth_server.${nameIn(json, 'okta_auth_server', 'acme_')}`;
    const keys = tamper(withVariable(json, 'v'), APP, BOT, (b) => {
      b.jwks = [
        { kid: '${var.v}', kty: 'EC', x: EC_P256.x, y: EC_P256.y },
        { kid: `\${${server}.id}`, kty: 'EC', x: EC_P256.x, y: EC_P256.y },
      ];
    });
    expect(findings(MCP_ID_11, keys)).toEqual([
      `undecided ${APP}.${BOT}: jwks[0].kid: variable 'v' has no default: its value comes at plan time; jwks[1].kid is a reference to ${server}.id, not a string`,
    ]);
  });

  test('a variable with a literal default is judged by its default; one without is undecided', () => {
    const good = tamper(withVariable(json, 'method', 'private_key_jwt'), APP, BOT, (b) => {
      b.token_endpoint_auth_method = '${var.method}';
    });
    expect(findings(MCP_ID_11, good)).toEqual([]);
    const bad = tamper(withVariable(json, 'method', 'client_secret_post'), APP, BOT, (b) => {
      b.token_endpoint_auth_method = '${var.method}';
    });
    expect(findings(MCP_ID_11, bad)).toEqual([
      at(
        'token_endpoint_auth_method is client_secret_post (must be private_key_jwt: a signed assertion, no shared secret)',
      ),
    ]);
    const unknown = tamper(withVariable(json, 'keys'), APP, BOT, (b) => {
      b.jwks = '${var.keys}';
      b.omit_secret = '${var.keys}';
    });
    const [finding] = findings(MCP_ID_11, unknown);
    expect(finding).toMatch(
      /^undecided okta_app_oauth\.acme_Identity_Service-deploy-bot_App: jwks: .+; omit_secret: .+$/,
    );
  });
});
