/**
 * Synthesized-JSON fixtures for the review tests, made by the real constructs (SecureMcpAccess with
 * the test props of test/helpers), each distinct app synthesized once and handed out as deep
 * copies. Tests edit the JSON as a pull request would, finding resources by type and tenant (or by
 * the end of their construct path), never by full logical id, so new resources of a layer do not
 * break them.
 */
import { s3AuditBackend } from '../../lib/audit/s3-audit-backend';
import type { JsonObject } from '../../lib/model/json';
import { SynthesizedApp, type SynthesizedStack } from '../../lib/model/stack';
import { namedTenant } from '../../lib/model/tenancy';
import { SecureMcpAccess, type SecureMcpAccessProps } from '../../lib/patterns/secure-mcp-access';
import { buildReview, type Review } from '../../lib/review';
import { baseProps, clone, newStack, rawJson, withProviders } from '../helpers';

type Body = Record<string, unknown>;

/** Options of a fixture stack. */
export interface FixtureOptions {
  readonly tenants: readonly string[];
  /** Stack name (and first construct path segment). @default 'fleet' */
  readonly stack?: string;
  /** Audit on S3 Object Lock instead of R2. @default false */
  readonly s3?: boolean;
  /** Props beside the tenants (merged over test/helpers' baseProps). */
  readonly props?: Partial<SecureMcpAccessProps>;
}

/** The S3 backend of the fixtures: IRSA for the writers. */
export const S3_BACKEND = {
  region: 'eu-central-1',
  bucketNamePrefix: 'example-',
  identity: {
    irsa: { oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.example', oidcIssuer: 'oidc.example' },
  },
} as const;

const cache = new Map<string, JsonObject>();

/** Synthesizes SecureMcpAccess (once per distinct options) and returns a deep copy of the stack's JSON. */
export function fixtureJson(options: FixtureOptions): JsonObject {
  const key = JSON.stringify({ ...options, props: options.props ?? null });
  let json = cache.get(key);
  if (!json) {
    const stack = withProviders(newStack(options.stack ?? 'fleet'));
    new SecureMcpAccess(
      stack,
      'Mcp',
      baseProps([...options.tenants], {
        ...options.props,
        ...(options.s3 ? { audit: { ...options.props?.audit, backend: s3AuditBackend(S3_BACKEND) } } : {}),
      }),
    );
    json = rawJson(stack);
    cache.set(key, json);
  }
  return clone(json);
}

/** The stack as the review reads it (an app of one). */
export function fixtureStack(options: FixtureOptions): SynthesizedStack {
  return stackOf(fixtureJson(options), options.stack ?? 'fleet');
}

/** A stack of JSON in an app of its own, so references are followed. */
export function stackOf(json: JsonObject, name = 'fleet'): SynthesizedStack {
  return new SynthesizedApp([{ name, json }]).stacks[0];
}

/** The review of `head` against `base` (one stack each). */
export function reviewOf(head: JsonObject, base?: JsonObject, name = 'fleet'): Review {
  return buildReview([stackOf(head, name)], base === undefined ? undefined : [stackOf(base, name)]);
}

/** The `resource.<type>` block: name -> body (created when missing). */
export function resourcesOf(json: JsonObject, type: string): Record<string, Body> {
  const resource = (json.resource ??= {}) as Record<string, Record<string, Body>>;
  return (resource[type] ??= {});
}

function pathOf(body: Body): string {
  const meta = (body['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
  return meta?.path ?? '';
}

/** The resource of `type` whose construct path ends with `/<pathSuffix>` (e.g. `acme/Identity/UseRule`). */
export function resourceBody(json: JsonObject, type: string, pathSuffix: string): Body {
  return resourceEntry(json, type, pathSuffix)[1];
}

/** Address of the resource {@link resourceBody} finds. */
export function addressOf(json: JsonObject, type: string, pathSuffix: string): string {
  return `${type}.${resourceEntry(json, type, pathSuffix)[0]}`;
}

function resourceEntry(json: JsonObject, type: string, pathSuffix: string): [string, Body] {
  const found = Object.entries(resourcesOf(json, type)).filter(([, body]) => pathOf(body).endsWith(`/${pathSuffix}`));
  if (found.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${found.length}`);
  return found[0];
}

/**
 * The resources of `type` that belong to `tenant` (by their own names, else their construct path
 * under the tenant's cell), or to the shared pieces when `tenant` is null: [name, body] pairs.
 */
export function ofTenant(json: JsonObject, type: string, tenant: string | null): [string, Body][] {
  const stack = stackOf(json);
  return Object.entries(resourcesOf(json, type)).filter(([name]) => {
    const entry = stack.find(`${type}.${name}`);
    if (!entry) return false;
    const owner = namedTenant(stack, entry) ?? entry.tenant;
    return tenant === null ? owner === undefined : owner === tenant;
  });
}

/** The one resource of `type` of `tenant` (or shared), optionally the one whose path ends with `suffix`. */
export function only(json: JsonObject, type: string, tenant: string | null, suffix?: string): Body {
  const found = ofTenant(json, type, tenant).filter(
    ([, b]) => suffix === undefined || pathOf(b).endsWith(`/${suffix}`),
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} of ${tenant ?? 'shared'}${suffix ? ` at */${suffix}` : ''}, found ${found.length}`,
    );
  }
  return found[0][1];
}

/** Adds a resource under a tenant's cell (its construct path under `<stack>/Mcp/<tenant>`); returns its address. */
export function addResource(json: JsonObject, type: string, name: string, body: Body, tenant: string | null): string {
  const stack = (((json['//'] as Body).metadata as Body).stackName as string) ?? 'fleet';
  const path = `${stack}/Mcp/${tenant ?? 'Shared'}/${name}`;
  resourcesOf(json, type)[name] = { '//': { metadata: { path, uniqueId: name } }, ...body };
  return `${type}.${name}`;
}

/** The containers of a Deployment body. */
export function containers(deployment: Body): Body[] {
  const spec = ((deployment.spec as Body).template as Body).spec as Body;
  return spec.container as Body[];
}
