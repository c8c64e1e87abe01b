import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_NET_2 } from '../../../../lib/checks/rules/transport/mcp-net-2';
import { clone, resourcesOf } from '../../../helpers';
import { addResource, only, transportJson } from '../../../transport/transport-stack';

const CONFIG = 'cloudflare_zero_trust_tunnel_cloudflared_config';
const DNS = 'cloudflare_dns_record';
const APP = 'cloudflare_zero_trust_access_application';
const IDP = 'cloudflare_zero_trust_access_identity_provider';
const POLICY = 'cloudflare_zero_trust_access_policy';

const evaluate = (json: JsonObject) => MCP_NET_2.evaluate(new SynthesizedStack(json));

describe('MCP-NET-2', () => {
  let base: JsonObject;
  const address = (type: string) => `${type}.${Object.keys(resourcesOf(base, type))[0]}`;
  beforeAll(() => {
    base = transportJson(['acme']);
  });
  const resultOf = (json: JsonObject, type: string) => evaluate(json).find((e) => e.address === address(type));

  test('compliant: the tunnel hostname and its DNS record sit behind a 15m, Okta-only Access application', () => {
    expect(evaluate(base)).toEqual([
      { address: address(CONFIG), status: 'compliant' },
      { address: address(DNS), status: 'compliant' },
      { address: address(APP), status: 'compliant' },
    ]);
  });

  test('compliant: a wildcard application one label up, and 900s written in seconds', () => {
    const json = clone(base);
    only(json, APP).destinations = [{ type: 'public', uri: '*.mcp.example.com' }];
    only(json, APP).session_duration = '900s';
    expect(evaluate(json).every((e) => e.status === 'compliant')).toBe(true);
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

  test('non-compliant: a session longer than 15m, or none (24h by default)', () => {
    for (const [duration, detail] of [
      ['1h', 'session_duration is 1h (at most 15m)'],
      ['30m0s', 'session_duration is 30m0s (at most 15m)'],
      ['15 minutes', "session_duration '15 minutes' is not a duration"],
    ]) {
      const json = clone(base);
      only(json, APP).session_duration = duration;
      expect(resultOf(json, APP)).toEqual({ address: address(APP), status: 'non-compliant', detail });
    }
    const json = clone(base);
    delete only(json, APP).session_duration;
    expect(resultOf(json, APP)?.detail).toBe("session_duration is not set (Cloudflare's default is 24h)");
  });

  test('non-compliant: a reusable policy that sets a session longer than 15m', () => {
    const json = clone(base);
    addResource(json, POLICY, 'long', { account_id: 'a', name: 'long', decision: 'allow', session_duration: '24h' });
    expect(evaluate(json).find((e) => e.address === `${POLICY}.long`)).toEqual({
      address: `${POLICY}.long`,
      status: 'non-compliant',
      detail: 'session_duration is 24h (at most 15m)',
    });
  });

  test('non-compliant: another IdP type may sign in, or every IdP (allowed_idps empty)', () => {
    const json = clone(base);
    addResource(json, IDP, 'github', { account_id: 'a', name: 'GitHub', type: 'github' });
    (only(json, APP).allowed_idps as string[]).push(`\${${IDP}.github.id}`);
    expect(resultOf(json, APP)).toEqual({
      address: address(APP),
      status: 'non-compliant',
      detail: `allowed_idps[1] is ${IDP}.github of type 'github', not 'okta'`,
    });
    const open = clone(base);
    delete only(open, APP).allowed_idps;
    expect(resultOf(open, APP)?.detail).toBe(
      'allowed_idps is empty: every identity provider of the account may sign in',
    );
  });

  test('undecided: an IdP id from outside the stack, or a hostname that is an expression no app names', () => {
    const json = clone(base);
    only(json, APP).allowed_idps = ['${var.idp_id}', '6f1e0c0a-0000-4000-8000-000000000000'];
    expect(resultOf(json, APP)).toEqual({
      address: address(APP),
      status: 'undecided',
      detail:
        'allowed_idps[0] is not an identity provider of this stack, so its type is unknown; ' +
        'allowed_idps[1] is not an identity provider of this stack, so its type is unknown',
    });
    const host = clone(base);
    (only(host, CONFIG).config as { ingress: JsonObject[] }).ingress[0].hostname = 'acme.${var.domain}';
    expect(resultOf(host, CONFIG)).toEqual({
      address: address(CONFIG),
      status: 'undecided',
      detail: "config.ingress[0].hostname 'acme.${var.domain}' is an unresolved expression no Access application names",
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
