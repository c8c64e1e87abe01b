import {
  actorIdOf,
  actorTypeOf,
  checkVerifiedClaims,
  classifyUnverified,
  scopesOf,
  unverifiedActor,
} from '../../examples/mcp-server/src/claims';
import { decideToolCall, secretNameOf, tenantEnvelopeProblem } from '../../examples/mcp-server/src/tools';
import type { Caller } from '../../examples/mcp-server/src/claims';
import { contractConfig } from './fixtures';

const config = contractConfig();
const caller = (scopes: string[]): Caller => ({
  actorId: '00u1',
  actorType: 'human',
  scopes,
  expiresAt: 2_000_000_000,
  tenantId: 'acme',
});

describe("a call's tenant envelope", () => {
  test.each([
    [{ tenant: 'globex' }, 'argument tenant names tenant globex'],
    [{ tenant_id: 'globex' }, 'argument tenant_id names tenant globex'],
    [{ tenantId: 'Not A Tenant' }, "argument tenantId is not the caller's tenant"],
    [{ path: 'tenants/globex/kv/downstream-api' }, 'argument path names tenant globex'],
    [{ secret_path: '/tenants/globex/kv/data/x' }, 'argument secret_path names tenant globex'],
    [{ options: { nested: [{ path: 'tenants/globex/transit/keys/mcp' }] } }, 'argument path names tenant globex'],
    [{ prefix: 'tenant=globex/date=2026-12-02/' }, 'argument prefix names tenant globex'],
    [{ namespace: 'mcp-globex' }, 'argument namespace names tenant globex'],
  ])('%j is a cross-tenant call', (args, reason) => {
    expect(tenantEnvelopeProblem(args, 'acme')).toBe(reason);
  });

  test.each([
    [{}],
    [{ tenant: 'acme' }],
    [{ path: 'tenants/acme/kv/downstream-api' }],
    [{ path: 'downstream-api' }],
    [{ note: 'tenants/globex is mentioned in free text' }],
    [{ secret: ['tenants/acme/kv/a', 'tenants/acme/kv/b'] }],
  ])('%j stays inside the tenant', (args) => {
    expect(tenantEnvelopeProblem(args, 'acme')).toBeUndefined();
  });

  test('a tenant whose id starts like another is another tenant', () => {
    expect(tenantEnvelopeProblem({ path: 'tenants/acme-corp/kv/x' }, 'acme')).toBe(
      'argument path names tenant acme-corp',
    );
  });
});

describe('secret paths', () => {
  test.each([
    ['downstream-api', 'downstream-api'],
    ['team/db', 'team/db'],
    ['tenants/acme/kv/downstream-api', 'downstream-api'],
    ['/tenants/acme/kv/data/downstream-api', 'downstream-api'],
  ])('%s names the secret %s of the tenant mount', (path, name) => {
    expect(secretNameOf(path, 'tenants/acme/kv')).toEqual({ name });
  });

  test.each([
    ['../globex/kv/x', 'argument path is not a secret name'],
    ['a/../../b', 'argument path is not a secret name'],
    ['tenants/acme/transit/keys/mcp', 'argument path is outside the mount tenants/acme/kv'],
    ['a b', 'argument path is not a secret name'],
  ])('%s is refused: %s', (path, problem) => {
    expect(secretNameOf(path, 'tenants/acme/kv')).toEqual({ problem });
  });
});

describe('the decision on a call', () => {
  test('everyday tools need the use scope, admin tools the admin scope', () => {
    expect(decideToolCall('whoami', {}, caller(['mcp:acme:use']), config)).toMatchObject({
      outcome: 'allowed',
      reason: 'scope mcp:acme:use',
      downstream: 'none',
    });
    expect(decideToolCall('server_status', {}, caller(['mcp:acme:use']), config)).toEqual({
      outcome: 'denied',
      reason: 'tool server_status needs scope mcp:acme:admin',
      downstream: 'none',
    });
    expect(decideToolCall('server_status', {}, caller(['mcp:acme:admin', 'mcp:acme:use']), config).outcome).toBe(
      'allowed',
    );
    expect(decideToolCall('whoami', {}, caller(['mcp:acme:admin']), config).reason).toBe(
      'tool whoami needs scope mcp:acme:use',
    );
  });

  test('a cross-tenant argument wins over every other problem', () => {
    expect(
      decideToolCall('server_status', { path: 'tenants/globex/kv/x', extra: 1 }, caller(['mcp:acme:use']), config),
    ).toEqual({ outcome: 'cross_tenant_denied', reason: 'argument path names tenant globex', downstream: 'none' });
    expect(decideToolCall('no_such_tool', { tenant: 'globex' }, caller([]), config).outcome).toBe(
      'cross_tenant_denied',
    );
  });

  test('unknown tools and invalid arguments are denied with the reason', () => {
    expect(decideToolCall('no_such_tool', {}, caller(['mcp:acme:use']), config)).toEqual({
      outcome: 'denied',
      reason: 'no tool named no_such_tool',
      downstream: 'none',
    });
    const missing = decideToolCall('describe_secret', {}, caller(['mcp:acme:use']), config);
    expect(missing).toMatchObject({ outcome: 'denied', downstream: 'vault' });
    expect(missing.reason).toMatch(/^invalid arguments: .*path/);
    expect(decideToolCall('describe_secret', { path: '../x' }, caller(['mcp:acme:use']), config)).toEqual({
      outcome: 'denied',
      reason: 'argument path is not a secret name',
      downstream: 'vault',
    });
    expect(decideToolCall('whoami', { unexpected: true }, caller(['mcp:acme:use']), config).reason).toMatch(
      /^invalid arguments: /,
    );
  });
});

describe('token claims', () => {
  const base = { iss: 'i', aud: 'a', sub: '00u1', uid: '00u1', cid: 'mcp-clients', tid: 'acme', iat: 1000, exp: 1900 };

  test('a human and a service are told apart by subject, client and uid', () => {
    expect(actorTypeOf(base)).toBe('human');
    expect(actorTypeOf({ ...base, sub: 'svc-acme', cid: 'svc-acme', uid: undefined })).toBe('service');
    expect(actorTypeOf({ ...base, sub: 'svc-acme', client_id: 'svc-acme', cid: undefined, uid: undefined })).toBe(
      'service',
    );
    // A user whose login happens to equal the client id is still a user (the uid claim says so).
    expect(actorTypeOf({ ...base, sub: 'mcp-clients' })).toBe('human');
  });

  test('a person is audited by the Okta user id (uid), not the login in sub; a service by its client id', () => {
    // Okta: a person's access token has sub = the login (it can change), uid = the user id (it cannot).
    const person = { ...base, sub: 'dev@example.com', uid: '00u1dev' };
    expect([actorTypeOf(person), actorIdOf(person)]).toEqual(['human', '00u1dev']);
    expect(checkVerifiedClaims(person, config)).toMatchObject({ caller: { actorId: '00u1dev', actorType: 'human' } });
    // Okta: a client-credentials token has sub = cid = the client id and no uid.
    const service = { ...base, sub: '0oa1deploybot', cid: '0oa1deploybot', uid: undefined };
    expect([actorTypeOf(service), actorIdOf(service)]).toEqual(['service', '0oa1deploybot']);
    expect(checkVerifiedClaims(service, config)).toMatchObject({
      caller: { actorId: '0oa1deploybot', actorType: 'service', clientId: '0oa1deploybot' },
    });
    // An issuer without uid (RFC 9068): the subject.
    expect(actorIdOf({ ...base, uid: undefined, sub: 'user-1' })).toBe('user-1');
    expect(actorIdOf({ ...base, uid: '', sub: 'user-1' })).toBe('user-1');
    // Unverified claims are never attributed as if verified, whichever id they name.
    expect(unverifiedActor(person)).toEqual({ actorId: 'unverified:00u1dev', actorType: 'human' });
    expect(unverifiedActor(service)).toEqual({ actorId: 'unverified:0oa1deploybot', actorType: 'service' });
  });

  test('scopes come from scp (Okta) or scope (RFC 9068)', () => {
    expect(scopesOf({ scp: ['mcp:acme:use', 7] })).toEqual(['mcp:acme:use']);
    expect(scopesOf({ scope: 'mcp:acme:use  offline_access' })).toEqual(['mcp:acme:use', 'offline_access']);
    expect(scopesOf({})).toEqual([]);
  });

  test.each([
    [
      { ...base, tid: 'globex' },
      { crossTenant: true, reason: 'token tid names tenant globex' },
    ],
    [
      { ...base, tid: undefined },
      { crossTenant: false, reason: 'token has no tid claim' },
    ],
    [
      { ...base, tid: ['acme'] },
      { crossTenant: false, reason: 'token has no tid claim' },
    ],
    [
      { ...base, sub: undefined },
      { crossTenant: false, reason: 'token has no sub claim' },
    ],
    [
      { ...base, exp: 1000 + 901 },
      { crossTenant: false, reason: 'token lifetime is 901 s (at most 900 s)' },
    ],
    [
      { ...base, exp: 1000 + 3600 },
      { crossTenant: false, reason: 'token lifetime is 3600 s (at most 900 s)' },
    ],
  ])('verified claims %j are refused', (claims, refusal) => {
    expect(checkVerifiedClaims(claims, config)).toEqual({ refusal });
  });

  test('15 minutes exactly is accepted', () => {
    expect(checkVerifiedClaims({ ...base, exp: 1000 + 900 }, config)).toEqual({
      caller: {
        actorId: '00u1',
        actorType: 'human',
        clientId: 'mcp-clients',
        scopes: [],
        expiresAt: 1900,
        tenantId: 'acme',
      },
    });
  });

  test('unverified claims that name another tenant make a cross-tenant attempt, never an attributed actor', () => {
    expect(classifyUnverified({ ...base, tid: 'globex' }, config, 'token signature is invalid')).toEqual({
      crossTenant: true,
      reason: 'token tid names tenant globex (claims unverified: token signature is invalid)',
    });
    expect(classifyUnverified(base, config, 'token signature is invalid')).toEqual({
      crossTenant: false,
      reason: 'token signature is invalid',
    });
    expect(unverifiedActor(base)).toEqual({ actorId: 'unverified:00u1', actorType: 'human' });
    expect(unverifiedActor(undefined)).toEqual({ actorId: 'unverified:unknown', actorType: 'human' });
  });
});
