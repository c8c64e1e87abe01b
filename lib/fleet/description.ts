/**
 * A fleet's description (`fleet.json`): its edges (Cloudflare accounts and zones) and its tenants,
 * with the settings every tenant shares. Validated against a published JSON Schema
 * (`schemas/fleet.schema.json`) with Ajv, then against what a schema cannot say (unique names,
 * known edges), with errors that name the file, the tenant and the field.
 */
import Ajv, { type ErrorObject } from 'ajv';
import * as fs from 'fs';
import { TENANT_ID_SOURCE, tenantIdProblem } from '../core/formats';
import {
  EC_CURVES,
  SERVICE_ACCOUNTS_MAX,
  SERVICE_KEY_TYPES,
  SERVICE_PUBLIC_KEYS_MAX,
  type ServiceAccountPublicJwk,
  serviceAccountListProblems,
} from '../core/identity-defaults';
import {
  SERVICE_TOKEN_DURATION_HOURS,
  SERVICE_TOKEN_DURATION_HOURS_MIN,
  serviceTokenProblems,
} from '../core/transport-defaults';

/** Limits an edge's account and zone were granted (Cloudflare raises them on request). */
export interface FleetEdgeLimits {
  /** Access applications per account. @default 500 */
  readonly accessApplications?: number;
  /** Tunnels per account. @default 1000 */
  readonly tunnels?: number;
  /** DNS records in the zone. @default 200 (a Free zone created since 2024-09) */
  readonly dnsRecords?: number;
}

/** One edge: a Cloudflare account and zone that serve a share of the fleet. */
export interface FleetEdge {
  /** Stable name (`^[a-z][a-z0-9-]{1,30}$`): it names the edge's stacks. */
  readonly name: string;
  readonly accountId: string;
  readonly zoneId: string;
  /** The Zero Trust team domain, e.g. `eu.cloudflareaccess.com`. */
  readonly teamDomain: string;
  readonly limits?: FleetEdgeLimits;
  /** The Okta org this edge's Access signs in with. @default the fleet's `okta` */
  readonly okta?: { readonly orgUrl: string };
}

/** An agent that calls one tenant's MCP server as itself (SecureMcpAccess `tenants[].serviceAccounts`). */
export interface FleetServiceAccount {
  readonly name: string;
  readonly publicKey?: ServiceAccountPublicJwk | readonly ServiceAccountPublicJwk[];
  readonly jwksUri?: string;
  readonly scopes?: readonly string[];
  readonly admin?: boolean;
  readonly accessTokenDurationHours?: number;
  readonly accessSecretVersion?: number;
  readonly previousAccessSecretExpiresAt?: string;
}

/** One tenant of the fleet. */
export interface FleetTenant {
  readonly id: string;
  /** The edge to place it on. @default the edge with the most room, chosen once and recorded in the lock file */
  readonly edge?: string;
  /** No way in any more; its audit bucket, Vault mounts and auth server stay until retention ends. */
  readonly decommissioned?: boolean;
  readonly localPort?: number;
  readonly replicas?: number;
  readonly existingGroups?: { readonly userGroupId: string; readonly adminGroupId: string };
  /** Agents that call the tenant's MCP server as themselves (at most 20). @default - none */
  readonly serviceAccounts?: readonly FleetServiceAccount[];
}

/** The whole fleet. */
export interface FleetDescription {
  readonly domain: string;
  readonly okta: { readonly orgUrl: string; readonly loopbackRedirectUris?: readonly string[] };
  readonly workload: {
    readonly image: string;
    readonly port: number;
    readonly healthCommand?: readonly string[];
    readonly resources?: Record<string, unknown>;
  };
  readonly vault?: {
    readonly address?: string;
    readonly egress?: Record<string, unknown>;
    readonly kubernetesAuth?: Record<string, unknown>;
    readonly auditDevice?: Record<string, unknown>;
  };
  readonly audit?: { readonly retentionDays?: number; readonly jurisdiction?: 'default' | 'eu' | 'fedramp' };
  readonly tokenTtlMinutes?: number;
  /** Most tenants in one cell stack. @default 50 */
  readonly cellSize?: number;
  readonly edges: readonly FleetEdge[];
  readonly tenants: readonly FleetTenant[];
}

const NAME = `^${TENANT_ID_SOURCE}$`;
const HEX32 = '^[a-f0-9]{32}$';
const DNS = '^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$';
const HTTPS = '^https://[^\\s/?#@]+(?:/[^\\s]*)?$';
const DNS_LABEL = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';

/** A public JWK as the schema reads it: its shape; the key itself is judged after the schema. */
const PUBLIC_JWK = {
  type: 'object',
  required: ['kty', 'kid'],
  properties: {
    kty: { enum: [...SERVICE_KEY_TYPES] },
    kid: { type: 'string', minLength: 1 },
    n: { type: 'string' },
    e: { type: 'string' },
    crv: { enum: [...EC_CURVES] },
    x: { type: 'string' },
    y: { type: 'string' },
    use: { const: 'sig' },
    alg: { type: 'string' },
  },
  additionalProperties: false,
} as const;

/** The JSON Schema of `fleet.json` (draft 2020-12 subset that Ajv's default draft-07 mode reads). */
export const FLEET_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://cdktf-mcp-access.dev/schemas/fleet.schema.json',
  title: 'cdktf-mcp-access fleet',
  description: 'The edges (Cloudflare accounts) and tenants of a fleet of MCP tenant cells.',
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'okta', 'workload', 'edges', 'tenants'],
  properties: {
    $schema: { type: 'string' },
    domain: { type: 'string', pattern: DNS, description: 'Each tenant is served at <tenant>.<domain>.' },
    okta: {
      type: 'object',
      additionalProperties: false,
      required: ['orgUrl'],
      properties: {
        orgUrl: { type: 'string', pattern: HTTPS },
        loopbackRedirectUris: { type: 'array', minItems: 1, items: { type: 'string' } },
      },
    },
    workload: {
      type: 'object',
      additionalProperties: false,
      required: ['image', 'port'],
      properties: {
        image: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        healthCommand: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        resources: { type: 'object' },
      },
    },
    vault: {
      type: 'object',
      additionalProperties: false,
      properties: {
        address: { type: 'string', pattern: HTTPS },
        egress: { type: 'object' },
        kubernetesAuth: { type: 'object' },
        auditDevice: { type: 'object' },
      },
    },
    audit: {
      type: 'object',
      additionalProperties: false,
      properties: {
        retentionDays: { type: 'integer', minimum: 30 },
        jurisdiction: { enum: ['default', 'eu', 'fedramp'] },
      },
    },
    tokenTtlMinutes: { type: 'integer', minimum: 5, maximum: 15 },
    cellSize: { type: 'integer', minimum: 1, maximum: 450 },
    edges: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'accountId', 'zoneId', 'teamDomain'],
        properties: {
          name: { type: 'string', pattern: NAME },
          accountId: { type: 'string', pattern: HEX32 },
          zoneId: { type: 'string', pattern: HEX32 },
          teamDomain: { type: 'string', pattern: DNS },
          limits: {
            type: 'object',
            additionalProperties: false,
            properties: {
              accessApplications: { type: 'integer', minimum: 1 },
              tunnels: { type: 'integer', minimum: 1 },
              dnsRecords: { type: 'integer', minimum: 1 },
            },
          },
          okta: {
            type: 'object',
            additionalProperties: false,
            required: ['orgUrl'],
            properties: { orgUrl: { type: 'string', pattern: HTTPS } },
          },
        },
      },
    },
    tenants: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: {
          id: { type: 'string', pattern: NAME },
          edge: { type: 'string', pattern: NAME },
          decommissioned: { type: 'boolean' },
          localPort: { type: 'integer', minimum: 1024, maximum: 65535 },
          replicas: { type: 'integer', minimum: 1, maximum: 25 },
          existingGroups: {
            type: 'object',
            additionalProperties: false,
            required: ['userGroupId', 'adminGroupId'],
            properties: {
              userGroupId: { type: 'string', minLength: 1 },
              adminGroupId: { type: 'string', minLength: 1 },
            },
          },
          serviceAccounts: {
            type: 'array',
            maxItems: SERVICE_ACCOUNTS_MAX,
            description: 'Agents that call the tenant as themselves: exactly one of publicKey and jwksUri each.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name'],
              properties: {
                name: { type: 'string', pattern: DNS_LABEL },
                publicKey: {
                  anyOf: [
                    PUBLIC_JWK,
                    { type: 'array', minItems: 1, maxItems: SERVICE_PUBLIC_KEYS_MAX, items: PUBLIC_JWK },
                  ],
                },
                jwksUri: { type: 'string', pattern: HTTPS },
                scopes: { type: 'array', minItems: 1, items: { type: 'string' } },
                admin: { type: 'boolean' },
                accessTokenDurationHours: {
                  type: 'integer',
                  minimum: SERVICE_TOKEN_DURATION_HOURS_MIN,
                  maximum: SERVICE_TOKEN_DURATION_HOURS,
                },
                accessSecretVersion: { type: 'integer', minimum: 1 },
                previousAccessSecretExpiresAt: { type: 'string', minLength: 1 },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** Thrown when a fleet description is invalid: one line per problem, each naming file, tenant and field. */
export class FleetDescriptionError extends Error {
  constructor(
    public readonly file: string,
    public readonly problems: readonly string[],
  ) {
    super(`${file} is not a valid fleet description:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FleetDescriptionError';
  }
}

let validateSchema: ReturnType<Ajv['compile']> | undefined;

/** Where in the description an Ajv error points, in words: `tenants[3] (globex).localPort`. */
function locate(description: unknown, error: ErrorObject): string {
  const parts = error.instancePath.split('/').filter((p) => p !== '');
  let node: unknown = description;
  let where = '';
  for (const part of parts) {
    const index = /^\d+$/.test(part) ? Number(part) : undefined;
    node = (node as Record<string, unknown> | undefined)?.[part];
    if (index !== undefined) {
      const named = (node as { id?: unknown; name?: unknown } | undefined) ?? {};
      const label = typeof named.id === 'string' ? named.id : typeof named.name === 'string' ? named.name : undefined;
      where += `[${index}]${label !== undefined ? ` (${label})` : ''}`;
    } else where += where === '' ? part : `.${part}`;
  }
  if (error.keyword === 'required') {
    return `${where === '' ? '' : `${where}.`}${(error.params as { missingProperty: string }).missingProperty}`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${where === '' ? '' : `${where}.`}${(error.params as { additionalProperty: string }).additionalProperty}`;
  }
  return where === '' ? '(the document)' : where;
}

function message(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field of a fleet description';
    case 'pattern':
      return `must match ${(error.params as { pattern: string }).pattern}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** Validates a parsed description; returns it typed, or throws {@link FleetDescriptionError}. */
export function validateFleetDescription(value: unknown, file = 'fleet.json'): FleetDescription {
  validateSchema ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(
    FLEET_SCHEMA,
  );
  if (!validateSchema(value)) {
    const problems = (validateSchema.errors ?? []).map((e) => {
      const data =
        e.keyword === 'additionalProperties'
          ? (e.data as Record<string, unknown>)[(e.params as { additionalProperty: string }).additionalProperty]
          : e.data;
      const found = e.keyword === 'required' ? '' : `, but ${JSON.stringify(data)} was provided`;
      return `${locate(value, e)} ${message(e)}${found}`;
    });
    throw new FleetDescriptionError(file, [...new Set(problems)]);
  }
  const fleet = value as FleetDescription;
  const problems: string[] = [];
  const edges = new Set<string>();
  fleet.edges.forEach((edge, i) => {
    if (edges.has(edge.name)) problems.push(`edges[${i}] (${edge.name}).name must be unique, but it repeats`);
    edges.add(edge.name);
  });
  const ids = new Set<string>();
  fleet.tenants.forEach((tenant, i) => {
    const at = `tenants[${i}] (${tenant.id})`;
    if (ids.has(tenant.id)) problems.push(`${at}.id must be unique, but it repeats`);
    ids.add(tenant.id);
    const problem = tenantIdProblem(tenant.id);
    if (problem) problems.push(`${at}.id ${problem}`);
    (tenant.serviceAccounts ?? []).forEach((account, j) => {
      problems.push(...serviceTokenProblems(`${at}.serviceAccounts[${j}]`, account));
    });
    problems.push(...serviceAccountListProblems(`${at}.serviceAccounts`, tenant.id, tenant.serviceAccounts));
    if (tenant.edge !== undefined && !edges.has(tenant.edge)) {
      problems.push(
        `${at}.edge must name an edge of the fleet (${[...edges].join(', ')}), but '${tenant.edge}' was provided`,
      );
    }
  });
  if (problems.length > 0) throw new FleetDescriptionError(file, problems);
  return fleet;
}

/** Reads and validates a fleet description file. */
export function readFleetDescription(file: string): FleetDescription {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FleetDescriptionError(file, [`cannot be read as JSON: ${(e as Error).message}`]);
  }
  return validateFleetDescription(parsed, file);
}
