import { SynthesizedApp, SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_NET_2 } from '../../../../lib/checks/rules/transport/mcp-net-2';
import { clone } from '../../../helpers';
import { addResource, nameOf, only, splitFleet, transportJson } from '../../../transport/transport-stack';

const CONFIG = 'cloudflare_zero_trust_tunnel_cloudflared_config';
const DNS = 'cloudflare_dns_record';
const APP = 'cloudflare_zero_trust_access_application';
const IDP = 'cloudflare_zero_trust_access_identity_provider';
const POLICY = 'cloudflare_zero_trust_access_policy';

const evaluate = (json: JsonObject) => MCP_NET_2.evaluate(new SynthesizedStack(json));

/** The cell stack of a two-stack fleet app (foundation holds the IdP), after `change` edits the stacks. */
function fleetCell(change: (stacks: { foundation: JsonObject; cell: JsonObject }) => void = () => {}) {
  const stacks = splitFleet(transportJson(['acme']));
  change(stacks);
  const app = new SynthesizedApp([
    { name: 'foundation', json: stacks.foundation },
    { name: 'cells-a', json: stacks.cell },
  ]);
  return app.stack('cells-a') as SynthesizedStack;
}

describe('MCP-NET-2', () => {
  let base: JsonObject;
  const address = (type: string) => `${type}.${nameOf(base, type)}`;
  beforeAll(() => {
    base = transportJson(['acme']);
  });
  const resultOf = (json: JsonObject, type: string) => evaluate(json).find((e) => e.address === address(type));
  const withSession = (duration: unknown) => {
    const json = clone(base);
    only(json, APP).session_duration = duration;
    return json;
  };

  test('compliant: the tunnel hostname and its DNS record sit behind a 15m application allowing the Okta provider only', () => {
    expect(evaluate(base)).toEqual([
      { address: address(CONFIG), status: 'compliant' },
      { address: address(DNS), status: 'compliant' },
      { address: address(APP), status: 'compliant' },
    ]);
  });

  test("compliant: a fleet cell's application allows the foundation's Okta provider, read through remote state", () => {
    const cell = fleetCell();
    expect(only(cell.json, APP).allowed_idps).toEqual(['${data.terraform_remote_state.foundation.outputs.idp_id}']);
    expect(MCP_NET_2.evaluate(cell).map((e) => e.status)).toEqual(['compliant', 'compliant', 'compliant']);
  });

  test.each([
    ['15m', 'compliant'],
    ['900s', 'compliant'],
    ['14m60s', 'compliant'],
    ['16m', 'non-compliant'],
    ['901s', 'non-compliant'],
    ['15m1s', 'non-compliant'],
  ])('session_duration %s is %s (limit: 15 minutes)', (duration, status) => {
    expect(resultOf(withSession(duration), APP)?.status).toBe(status);
  });

  test.each([
    ['15m', undefined],
    ['900s', undefined],
    ['14m60s', undefined],
    ['0.25h', undefined],
    ['900000ms', undefined],
    ['16m', 'session_duration is 16m (at most 15m)'],
    ['901s', 'session_duration is 901s (at most 15m)'],
    ['15m1s', 'session_duration is 15m1s (at most 15m)'],
    ['900001ms', 'session_duration is 900001ms (at most 15m)'],
    ['0.26h', 'session_duration is 0.26h (at most 15m)'],
    ['1h', 'session_duration is 1h (at most 15m)'],
    ['PT15M', "session_duration 'PT15M' is not a duration"],
  ])('the application: session_duration %s, exact finding %p', (duration, detail) => {
    const result = resultOf(withSession(duration), APP);
    expect(result).toEqual(
      detail === undefined
        ? { address: address(APP), status: 'compliant' }
        : { address: address(APP), status: 'non-compliant', detail },
    );
  });

  test.each([
    ['15m', undefined],
    ['900s', undefined],
    ['16m', 'session_duration is 16m (at most 15m)'],
    ['901s', 'session_duration is 901s (at most 15m)'],
    ['15m1s', 'session_duration is 15m1s (at most 15m)'],
  ])('a reusable policy: session_duration %s, exact finding %p', (duration, detail) => {
    const json = clone(base);
    addResource(json, POLICY, 'p', { account_id: 'a', name: 'p', decision: 'allow', session_duration: duration });
    const results = evaluate(json).filter((e) => e.address === `${POLICY}.p`);
    expect(results).toEqual([
      detail === undefined
        ? { address: `${POLICY}.p`, status: 'compliant' }
        : { address: `${POLICY}.p`, status: 'non-compliant', detail },
    ]);
  });

  test('compliant: a wildcard application one label up; a session from a variable with a literal default', () => {
    const json = withSession('${var.session}');
    json.variable = { session: { type: 'string', default: '15m' } };
    only(json, APP).destinations = [{ type: 'public', uri: '*.mcp.example.com' }];
    expect(evaluate(json).map((e) => e.status)).toEqual(['compliant', 'compliant', 'compliant']);
    (json.variable as Record<string, JsonObject>).session.default = '16m';
    expect(resultOf(json, APP)?.detail).toBe('session_duration is 16m (at most 15m)');
  });

  test('non-compliant: a session longer than 15m, not a duration, or none (24h by default)', () => {
    expect(resultOf(withSession('16m'), APP)).toEqual({
      address: address(APP),
      status: 'non-compliant',
      detail: 'session_duration is 16m (at most 15m)',
    });
    expect(resultOf(withSession('1h'), APP)?.detail).toBe('session_duration is 1h (at most 15m)');
    expect(resultOf(withSession('15 minutes'), APP)?.detail).toBe("session_duration '15 minutes' is not a duration");
    const json = clone(base);
    delete only(json, APP).session_duration;
    expect(resultOf(json, APP)?.detail).toBe("session_duration is not set (Cloudflare's default is 24h)");
  });

  test('non-compliant: a hostname no Access application covers (none, or only a path of it)', () => {
    const json = clone(base);
    only(json, APP).destinations = [{ type: 'public', uri: 'acme.mcp.example.com/admin' }];
    expect(resultOf(json, CONFIG)).toEqual({
      address: address(CONFIG),
      status: 'non-compliant',
      detail: "config.ingress[0].hostname 'acme.mcp.example.com' has no Access application",
    });
    expect(resultOf(json, DNS)).toEqual({
      address: address(DNS),
      status: 'non-compliant',
      detail: "name 'acme.mcp.example.com' has no Access application",
    });
  });

  test('non-compliant: a reusable policy that sets a session longer than 15m', () => {
    const json = clone(base);
    addResource(json, POLICY, 'long', { account_id: 'a', name: 'long', decision: 'allow', session_duration: '16m' });
    addResource(json, POLICY, 'short', { account_id: 'a', name: 'short', decision: 'allow', session_duration: '15m' });
    expect(evaluate(json).filter((e) => e.address.startsWith(POLICY))).toEqual([
      { address: `${POLICY}.long`, status: 'non-compliant', detail: 'session_duration is 16m (at most 15m)' },
      { address: `${POLICY}.short`, status: 'compliant' },
    ]);
  });

  test('non-compliant: an extra identity provider of type google, every IdP (allowed_idps empty)', () => {
    const json = clone(base);
    addResource(json, IDP, 'google', { account_id: 'a', name: 'Google', type: 'google' });
    (only(json, APP).allowed_idps as string[]).push(`\${${IDP}.google.id}`);
    expect(resultOf(json, APP)).toEqual({
      address: address(APP),
      status: 'non-compliant',
      detail:
        'allowed_idps lists 2 identity providers (only the one Okta provider); ' +
        `allowed_idps[1] is ${IDP}.google of type 'google', not 'okta'`,
    });
    const open = clone(base);
    delete only(open, APP).allowed_idps;
    expect(resultOf(open, APP)?.detail).toBe(
      'allowed_idps is empty: every identity provider of the account may sign in',
    );
  });

  test("non-compliant: the foundation's provider turned into another type, seen from the cell", () => {
    const cell = fleetCell(({ foundation }) => {
      only(foundation, IDP).type = 'onetimepin';
    });
    expect(MCP_NET_2.evaluate(cell).find((e) => e.address.startsWith(APP))?.detail).toBe(
      `allowed_idps[0] is ${IDP}.${nameOf(base, IDP)} of type 'onetimepin', not 'okta'`,
    );
  });

  test('non-compliant: WARP sessions accepted or left to the organization, and a preflight bypass', () => {
    const json = clone(base);
    only(json, APP).allow_authenticate_via_warp = true;
    only(json, APP).options_preflight_bypass = true;
    expect(resultOf(json, APP)?.detail).toBe(
      'allow_authenticate_via_warp is true (only false); options_preflight_bypass is true (only false)',
    );
    delete only(json, APP).allow_authenticate_via_warp;
    only(json, APP).options_preflight_bypass = false;
    expect(resultOf(json, APP)?.detail).toBe(
      "allow_authenticate_via_warp is not set (the organization's setting applies; it must be false)",
    );
  });

  test('undecided: an IdP id from outside the app, a data source IdP, or an unread remote state', () => {
    const json = clone(base);
    only(json, APP).allowed_idps = ['6f1e0c0a-0000-4000-8000-000000000000'];
    expect(resultOf(json, APP)).toEqual({
      address: address(APP),
      status: 'undecided',
      detail: `allowed_idps[0]: "6f1e0c0a-0000-4000-8000-000000000000" is a literal id, not a ${IDP} of this app, so its type is unknown`,
    });
    const data = clone(base);
    data.data = { [IDP]: { okta: { account_id: 'a', identity_provider_id: 'x' } } };
    only(data, APP).allowed_idps = [`\${data.${IDP}.okta.id}`];
    expect(resultOf(data, APP)?.detail).toBe(
      `allowed_idps[0] is data.${IDP}.okta, a data source whose type is known only at apply`,
    );
    // The cell alone: the foundation's state is not in the app.
    const alone = new SynthesizedStack(splitFleet(transportJson(['acme'])).cell, 'cells-a');
    expect(MCP_NET_2.evaluate(alone).find((e) => e.address.startsWith(APP))?.status).toBe('undecided');
  });

  test('undecided: a session from a variable without a default, a hostname no application names', () => {
    const json = withSession('${var.session}');
    json.variable = { session: { type: 'string' } };
    expect(resultOf(json, APP)).toEqual({
      address: address(APP),
      status: 'undecided',
      detail: "session_duration: variable 'session' has no default: its value comes at plan time",
    });
    const host = clone(base);
    (only(host, CONFIG).config as { ingress: JsonObject[] }).ingress[0].hostname = 'acme.${var.domain}';
    expect(resultOf(host, CONFIG)).toEqual({
      address: address(CONFIG),
      status: 'undecided',
      detail:
        "config.ingress[0].hostname 'acme.${var.domain}' no Access application names: '${var.domain}' names a variable this stack does not declare",
    });
  });

  test('compliant: a hostname expression the application names identically (domain from a variable)', () => {
    const json = clone(base);
    (only(json, CONFIG).config as { ingress: JsonObject[] }).ingress[0].hostname = 'acme.${var.domain}';
    only(json, APP).destinations = [{ type: 'public', uri: 'acme.${var.domain}' }];
    expect(resultOf(json, CONFIG)?.status).toBe('compliant');
  });

  test('undecided: a tunnel DNS record with a name relative to its zone', () => {
    const json = clone(base);
    only(json, DNS).name = 'acme';
    expect(resultOf(json, DNS)).toEqual({
      address: address(DNS),
      status: 'undecided',
      detail: "name 'acme' is relative to a zone this rule cannot see",
    });
  });

  /** A CNAME record to a tunnel, added to `json` (the fixture's record stays as it is). */
  const addTunnelRecord = (json: JsonObject, name: string, record: JsonObject) =>
    addResource(json, DNS, name, { zone_id: 'z', proxied: true, ttl: 1, type: 'CNAME', ...record });
  const ingressOf = (json: JsonObject) => (only(json, CONFIG).config as { ingress: JsonObject[] }).ingress;

  test("compliant: an application without a type is self-hosted (Cloudflare's default): it covers the hostname and is judged", () => {
    const json = clone(base);
    delete only(json, APP).type;
    expect(evaluate(json)).toEqual([
      { address: address(CONFIG), status: 'compliant' },
      { address: address(DNS), status: 'compliant' },
      { address: address(APP), status: 'compliant' },
    ]);
    only(json, APP).session_duration = '16m';
    expect(resultOf(json, APP)).toEqual({
      address: address(APP),
      status: 'non-compliant',
      detail: 'session_duration is 16m (at most 15m)',
    });
  });

  /** The tunnel hostname and its DNS record when no application covers acme.mcp.example.com. */
  const noApplication = () => [
    {
      address: address(CONFIG),
      status: 'non-compliant',
      detail: "config.ingress[0].hostname 'acme.mcp.example.com' has no Access application",
    },
    { address: address(DNS), status: 'non-compliant', detail: "name 'acme.mcp.example.com' has no Access application" },
  ];

  test('non-compliant: the application turned into a bookmark covers no hostname (and is not judged as an application)', () => {
    const json = clone(base);
    only(json, APP).type = 'bookmark';
    expect(evaluate(json)).toEqual(noApplication());
  });

  test('undecided: an application whose type cannot be read; it covers no hostname', () => {
    const json = clone(base);
    only(json, APP).type = '${var.app_type}';
    expect(evaluate(json)).toEqual([
      ...noApplication(),
      {
        address: address(APP),
        status: 'undecided',
        detail: "type: '${var.app_type}' names a variable this stack does not declare",
      },
    ]);
  });

  test('undecided: an application expression limited to a path covers no hostname, not even one written the same way', () => {
    const json = clone(base);
    only(json, APP).destinations = [{ type: 'public', uri: 'acme.${var.domain}/admin' }];
    ingressOf(json)[0].hostname = 'acme.${var.domain}/admin';
    expect(resultOf(json, CONFIG)).toEqual({
      address: address(CONFIG),
      status: 'undecided',
      detail:
        "config.ingress[0].hostname 'acme.${var.domain}/admin' no Access application names: '${var.domain}' names a variable this stack does not declare",
    });
  });

  test('non-compliant: a wildcard covers one whole label, not an empty one', () => {
    const json = clone(base);
    only(json, APP).destinations = [{ type: 'public', uri: '*.mcp.example.com' }];
    ingressOf(json)[0].hostname = '.mcp.example.com';
    expect(resultOf(json, CONFIG)).toEqual({
      address: address(CONFIG),
      status: 'non-compliant',
      detail: "config.ingress[0].hostname '.mcp.example.com' has no Access application",
    });
  });

  test('compliant: a catch-all ingress rule whose hostname is null (unset in Terraform JSON)', () => {
    const json = clone(base);
    const ingress = ingressOf(json);
    expect(ingress).toHaveLength(2);
    ingress[1].hostname = null;
    expect(resultOf(json, CONFIG)).toEqual({ address: address(CONFIG), status: 'compliant' });
  });

  test('a fully qualified hostname (trailing dot) is judged without its dot', () => {
    const json = clone(base);
    ingressOf(json)[0].hostname = 'acme.mcp.example.com.';
    only(json, DNS).name = 'other.mcp.example.com.';
    expect(resultOf(json, CONFIG)).toEqual({ address: address(CONFIG), status: 'compliant' });
    expect(resultOf(json, DNS)).toEqual({
      address: address(DNS),
      status: 'non-compliant',
      detail: "name 'other.mcp.example.com' has no Access application",
    });
  });

  test('compliant: a name relative to its zone that an application names exactly', () => {
    const json = clone(base);
    only(json, DNS).name = 'acme';
    (only(json, APP).destinations as JsonObject[]).push({ type: 'public', uri: 'acme' });
    expect(resultOf(json, DNS)).toEqual({ address: address(DNS), status: 'compliant' });
  });

  test('non-compliant: a tunnel DNS record without a name', () => {
    const json = clone(base);
    delete only(json, DNS).name;
    expect(resultOf(json, DNS)).toEqual({ address: address(DNS), status: 'non-compliant', detail: 'name is not set' });
  });

  test('non-compliant: tunnel records the rule must recognise (provider v4 `value`, a literal tunnel id, a trailing dot)', () => {
    const json = clone(base);
    const tunnel = `\${cloudflare_zero_trust_tunnel_cloudflared.${nameOf(base, 'cloudflare_zero_trust_tunnel_cloudflared')}.id}`;
    addTunnelRecord(json, 'v4', { name: 'v4.mcp.example.com', value: `${tunnel}.cfargotunnel.com` });
    addTunnelRecord(json, 'literal', {
      name: 'literal.mcp.example.com',
      content: '6f1e0c0a-0000-4000-8000-000000000000.cfargotunnel.com',
    });
    addTunnelRecord(json, 'fqdn', {
      name: 'fqdn.mcp.example.com',
      content: '6f1e0c0a-0000-4000-8000-000000000000.CFArgoTunnel.com.',
    });
    expect(evaluate(json).filter((e) => ['v4', 'literal', 'fqdn'].some((n) => e.address === `${DNS}.${n}`))).toEqual([
      { address: `${DNS}.v4`, status: 'non-compliant', detail: "name 'v4.mcp.example.com' has no Access application" },
      {
        address: `${DNS}.literal`,
        status: 'non-compliant',
        detail: "name 'literal.mcp.example.com' has no Access application",
      },
      {
        address: `${DNS}.fqdn`,
        status: 'non-compliant',
        detail: "name 'fqdn.mcp.example.com' has no Access application",
      },
    ]);
  });

  test('not applicable: a TXT record naming a tunnel, a CNAME without a target, a reusable policy without a session', () => {
    const json = clone(base);
    addTunnelRecord(json, 'txt', {
      name: 'txt.mcp.example.com',
      type: 'TXT',
      content: '6f1e0c0a-0000-4000-8000-000000000000.cfargotunnel.com',
    });
    addTunnelRecord(json, 'empty', { name: 'empty.mcp.example.com', content: null });
    addResource(json, POLICY, 'users', { account_id: 'a', name: 'users', decision: 'allow' });
    expect(evaluate(json)).toEqual([
      { address: address(CONFIG), status: 'compliant' },
      { address: address(DNS), status: 'compliant' },
      { address: address(APP), status: 'compliant' },
    ]);
  });

  test('undecided: a tunnel config, allowed_idps, an IdP type or the WARP setting that cannot be read', () => {
    const config = clone(base);
    only(config, CONFIG).config = '${var.tunnel_config}';
    expect(resultOf(config, CONFIG)).toEqual({
      address: address(CONFIG),
      status: 'undecided',
      detail: "config: '${var.tunnel_config}' names a variable this stack does not declare",
    });
    const idps = clone(base);
    only(idps, APP).allowed_idps = '${var.idps}';
    expect(resultOf(idps, APP)).toEqual({
      address: address(APP),
      status: 'undecided',
      detail: "allowed_idps: '${var.idps}' names a variable this stack does not declare",
    });
    const idpType = clone(base);
    only(idpType, IDP).type = '${var.idp_type}';
    expect(resultOf(idpType, APP)).toEqual({
      address: address(APP),
      status: 'undecided',
      detail: `the type of ${address(IDP)}: '\${var.idp_type}' names a variable this stack does not declare`,
    });
    delete only(idpType, IDP).type;
    expect(resultOf(idpType, APP)).toEqual({
      address: address(APP),
      status: 'undecided',
      detail: `the type of ${address(IDP)}: not set`,
    });
    const warp = clone(base);
    only(warp, APP).allow_authenticate_via_warp = '${var.warp}';
    expect(resultOf(warp, APP)).toEqual({
      address: address(APP),
      status: 'undecided',
      detail: "allow_authenticate_via_warp: '${var.warp}' names a variable this stack does not declare",
    });
  });

  test('undecided: a session_duration that is not a string', () => {
    expect(resultOf(withSession(['15m']), APP)).toEqual({
      address: address(APP),
      status: 'undecided',
      detail: 'session_duration: not a string',
    });
  });

  test('compliant: the WARP and preflight settings written as the strings "false"', () => {
    const json = clone(base);
    only(json, APP).allow_authenticate_via_warp = 'false';
    only(json, APP).options_preflight_bypass = 'false';
    expect(resultOf(json, APP)).toEqual({ address: address(APP), status: 'compliant' });
    only(json, APP).options_preflight_bypass = 'true';
    expect(resultOf(json, APP)).toEqual({
      address: address(APP),
      status: 'non-compliant',
      detail: 'options_preflight_bypass is "true" (only false)',
    });
  });

  test('not applicable: a stack without tunnels, tunnel DNS records or Access applications', () => {
    expect(evaluate({})).toEqual([]);
    const json: JsonObject = {};
    addResource(json, DNS, 'www', {
      zone_id: 'z',
      name: 'www.example.com',
      type: 'CNAME',
      content: 'example.com',
      ttl: 1,
    });
    expect(evaluate(json)).toEqual([]);
  });
});
