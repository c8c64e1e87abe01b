/**
 * A local stand-in for Okta's custom authorization servers, one per tenant, on oidc-provider (a
 * certified OpenID provider), shaped like Okta: issuer `http://127.0.0.1:<port>/oauth2/<id>`, one
 * audience, the `tid` resource claim always included, scopes in `scp`, the user's login in `sub`
 * and user id in `uid` (a client-credentials token: the client id in `sub`, no `uid`), the client
 * in `cid`, private_key_jwt service clients (ES256 assertions), PKCE required, exact redirect URIs,
 * rotating refresh tokens, and a request for a scope outside the client's policy rule refused (no
 * token).
 *
 * oidc-provider is ESM-only, which jest's CommonJS runtime cannot load: this file runs in a child
 * process (`node -r scripts/ts-register.js`), reads its AuthorizationServerSpec as one JSON line on
 * stdin, prints one JSON ready line on stdout, and exits when its stdin closes.
 */
import * as http from 'node:http';
import * as readline from 'node:readline';
import {
  errors,
  type InteractionDetails,
  Provider,
  type ProviderClient,
  type ProviderContext,
  type ProviderToken,
} from 'oidc-provider';
import type { AuthorizationServerSpec, IssuedEvent, TenantServerSpec } from './authorization-server-spec';

const events: IssuedEvent[] = [];

function providerFor(spec: AuthorizationServerSpec, server: TenantServerSpec, origin: string): Provider {
  const prefix = `/oauth2/${server.id}`;
  const policyOf = (clientId: string) => server.policies.find((p) => p.clientId === clientId);
  const resourceScopes = (scopes: readonly string[]) => scopes.filter((s) => s !== 'offline_access' && s !== 'openid');
  const provider = new Provider(`${origin}${prefix}`, {
    jwks: { keys: [server.signingKey] },
    cookies: { keys: ['local-authorization-server-cookie-key'] },
    clients: spec.clients.map((c) => ({
      client_id: c.clientId,
      // 'web' keeps redirect URIs exact, port included, as Okta does ('native' would ignore loopback ports).
      application_type: 'web',
      token_endpoint_auth_method: c.tokenEndpointAuthMethod,
      ...(c.tokenEndpointAuthMethod === 'private_key_jwt'
        ? { token_endpoint_auth_signing_alg: 'ES256', jwks: { keys: c.publicKeys ?? [] } }
        : {}),
      redirect_uris: c.redirectUris,
      grant_types: c.grantTypes,
      response_types: c.grantTypes.includes('authorization_code') ? ['code'] : [],
    })),
    scopes: ['openid', 'offline_access'],
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${server.id}/${interaction.uid}`,
    },
    pkce: {
      required: (_ctx: unknown, client: ProviderClient) =>
        spec.clients.find((c) => c.clientId === client.clientId)?.pkceRequired ?? true,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => server.audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx: ProviderContext, indicator: string, client: ProviderClient) => {
          if (indicator !== server.audience) throw new errors.InvalidTarget();
          const policy = policyOf(client.clientId);
          if (!policy) throw new errors.AccessDenied('Policy evaluation failed for this request');
          // Okta refuses a scope outside the rule's list; oidc-provider would silently drop it.
          const requested = String(ctx.oidc?.params?.scope ?? '')
            .split(' ')
            .filter((s) => s !== '');
          const refused = requested.filter((s) => !policy.scopes.includes(s));
          if (refused.length > 0) {
            throw new errors.InvalidScope(
              'One or more scopes are not configured for the authorization server resource.',
              refused.join(' '),
            );
          }
          return {
            scope: resourceScopes(policy.scopes).join(' '),
            audience: server.audience,
            accessTokenTTL: policy.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: async (_ctx: unknown, token: ProviderToken) => ({
      ...server.claims,
      scp: (token.scope ?? '').split(' ').filter((s) => s !== ''),
      cid: token.clientId,
      // Okta: a person's token names the user id in uid (sub is the login); a client-credentials token has no uid.
      ...(token.kind === 'ClientCredentials' ? {} : { uid: spec.userId ?? token.accountId }),
    }),
    ttl: {
      AccessToken: (_ctx: unknown, token: ProviderToken) => token.resourceServer?.accessTokenTTL ?? 300,
      ClientCredentials: (_ctx: unknown, token: ProviderToken) => token.resourceServer?.accessTokenTTL ?? 300,
      AuthorizationCode: 60,
      RefreshToken: 8 * 60 * 60,
      Interaction: 600,
      Session: 3600,
      Grant: 8 * 60 * 60,
    },
    rotateRefreshToken: (ctx: ProviderContext) =>
      spec.clients.find((c) => c.clientId === ctx.oidc?.client?.clientId)?.rotateRefreshToken ?? true,
    issueRefreshToken: async (_ctx: unknown, client: ProviderClient, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    renderError: async (ctx: ProviderContext, out: Record<string, unknown>) => {
      ctx.body = JSON.stringify(out);
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    const params = ctx.oidc?.params ?? {};
    if (route === 'authorization' || route === 'token' || route === 'revocation') {
      const body = (typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {}) as Record<string, unknown>;
      events.push({
        server: server.id,
        route,
        status: ctx.status,
        clientId: ctx.oidc?.client?.clientId ?? (params.client_id as string | undefined),
        grantType: params.grant_type as string | undefined,
        scope: params.scope as string | undefined,
        resource: params.resource as string | undefined,
        redirectUri: params.redirect_uri as string | undefined,
        codeChallengeMethod: params.code_challenge_method as string | undefined,
        error: body.error as string | undefined,
        accessToken: body.access_token as string | undefined,
        refreshToken: body.refresh_token as string | undefined,
        presentedRefreshToken: params.refresh_token as string | undefined,
      });
    }
  });
  return provider;
}

/** Signs the fixed account in and consents to what was asked: the headless user's part. */
async function interact(provider: Provider, accountId: string, req: http.IncomingMessage, res: http.ServerResponse) {
  const details: InteractionDetails = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session?.accountId, clientId: details.params.client_id });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: details.grantId ? {} : { grantId } },
    { mergeWithLastSubmission: true },
  );
}

async function start(spec: AuthorizationServerSpec): Promise<http.Server> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const providers = new Map(spec.servers.map((s) => [s.id, providerFor(spec, s, origin)]));
  const callbacks = new Map([...providers].map(([id, p]) => [id, p.callback()]));
  server.on('request', (req: http.IncomingMessage & { originalUrl?: string }, res) => {
    const url = new URL(req.url ?? '/', origin);
    const fail = (e: unknown) => {
      process.stderr.write(`authorization server: ${(e as Error).stack ?? String(e)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    };
    if (url.pathname === '/__test/events') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(events));
      return;
    }
    const interaction = /^\/interaction\/([^/]+)\/[^/]+$/.exec(url.pathname);
    if (interaction) {
      const provider = providers.get(interaction[1]);
      if (!provider) return void res.writeHead(404).end();
      interact(provider, spec.accountId, req, res).catch(fail);
      return;
    }
    const mounted = /^\/oauth2\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const callback = mounted ? callbacks.get(mounted[1]) : undefined;
    if (!mounted || !callback) return void res.writeHead(404).end();
    // Mounted under the Okta-shaped prefix: oidc-provider builds its URLs from originalUrl.
    req.originalUrl = req.url;
    req.url = (req.url ?? '/').slice(`/oauth2/${mounted[1]}`.length) || '/';
    callback(req, res);
  });
  const issuers = Object.fromEntries(spec.servers.map((s) => [s.tenant, `${origin}/oauth2/${s.id}`]));
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(origin).port), issuers })}\n`);
  return server;
}

const input = readline.createInterface({ input: process.stdin });
let started: Promise<http.Server> | undefined;
input.once('line', (line) => {
  started = start(JSON.parse(line) as AuthorizationServerSpec);
  started.catch((e: unknown) => {
    process.stderr.write(`authorization server failed to start: ${(e as Error).stack}\n`);
    process.exit(1);
  });
});
input.once('close', () => {
  void (started ?? Promise.resolve(undefined)).then((server) => {
    server?.closeAllConnections();
    server?.close();
    process.exit(0);
  });
});
