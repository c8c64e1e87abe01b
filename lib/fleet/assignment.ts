/**
 * Where each tenant of a fleet lives: its edge (a Cloudflare account), its cell stack and its local
 * port. Decided once, recorded in the lock file (`fleet.lock.jsonl`, one line per tenant), and never
 * moved: adding tenants, edges or a smaller cell size only places the new tenants.
 */
import * as fs from 'fs';
import { CLOUDFLARE_LIMITS, TENANTS_PER_ACCOUNT } from '../core/defaults';
import { DEFAULT_LOCAL_PORT_RANGE, defaultLocalPort } from '../core/naming';
import type { FleetDescription, FleetEdge } from './description';

/** A tenant's recorded place. */
export interface Placement {
  readonly tenant: string;
  readonly edge: string;
  /** Its cell stack, e.g. `cells-eu-1-003`. */
  readonly cell: string;
  readonly localPort: number;
}

/** Most tenants in one cell stack, by default. */
export const DEFAULT_CELL_SIZE = 50;

/** The lock file's version line. */
const LOCK_HEADER = { lockfileVersion: 1 } as const;

/** Thrown when the fleet cannot be placed as described; the message says what to do. */
export class FleetPlacementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetPlacementError';
  }
}

/** Name of an edge's cell stack number `n` (1-based). */
export function cellStackName(edge: string, n: number): string {
  return `cells-${edge}-${String(n).padStart(3, '0')}`;
}

/**
 * How many active tenants an edge holds: each uses one Access application, one tunnel and one DNS
 * record. Applications default to 450 (headroom under the 500 an account allows, for its other
 * applications), tunnels to 1000, DNS records to the 200 of a Free zone: declare raised limits.
 */
export function edgeCapacity(edge: FleetEdge): { readonly tenants: number; readonly limit: string } {
  const candidates: [number, string][] = [
    [
      edge.limits?.accessApplications ?? TENANTS_PER_ACCOUNT,
      `${edge.limits?.accessApplications ?? TENANTS_PER_ACCOUNT} Access applications per account${edge.limits?.accessApplications === undefined ? ` (${CLOUDFLARE_LIMITS.accessApplications} allowed, 50 kept for other applications)` : ''}`,
    ],
    [
      edge.limits?.tunnels ?? CLOUDFLARE_LIMITS.tunnels,
      `${edge.limits?.tunnels ?? CLOUDFLARE_LIMITS.tunnels} tunnels per account`,
    ],
    [
      edge.limits?.dnsRecords ?? CLOUDFLARE_LIMITS.dnsRecordsFreeZone,
      `${edge.limits?.dnsRecords ?? CLOUDFLARE_LIMITS.dnsRecordsFreeZone} DNS records in the zone${edge.limits?.dnsRecords === undefined ? ' (a Free zone; declare limits.dnsRecords for a Pro zone)' : ''}`,
    ],
  ];
  candidates.sort((a, b) => a[0] - b[0]);
  return { tenants: candidates[0][0], limit: candidates[0][1] };
}

/** Parses a lock file's text (JSON Lines: a version line, then one placement per line). */
export function parseLock(text: string, file = 'fleet.lock.jsonl'): Placement[] {
  const placements: Placement[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new FleetPlacementError(`${file}:${i + 1} is not JSON: ${(e as Error).message}`);
    }
    if ('lockfileVersion' in value) {
      if (value.lockfileVersion !== LOCK_HEADER.lockfileVersion) {
        throw new FleetPlacementError(
          `${file}:${i + 1} has lockfileVersion ${String(value.lockfileVersion)}, but this library writes ${LOCK_HEADER.lockfileVersion}`,
        );
      }
      return;
    }
    const { tenant, edge, cell, localPort } = value;
    if (
      typeof tenant !== 'string' ||
      typeof edge !== 'string' ||
      typeof cell !== 'string' ||
      typeof localPort !== 'number'
    ) {
      throw new FleetPlacementError(
        `${file}:${i + 1} must hold {"tenant", "edge", "cell", "localPort"}, but ${line} was found`,
      );
    }
    placements.push({ tenant, edge, cell, localPort });
  });
  return placements;
}

/** The lock file's text: the version line, then one line per tenant, sorted by tenant id. */
export function renderLock(placements: readonly Placement[]): string {
  const lines = [...placements]
    .sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0))
    .map((p) => JSON.stringify({ tenant: p.tenant, edge: p.edge, cell: p.cell, localPort: p.localPort }));
  return [JSON.stringify(LOCK_HEADER), ...lines, ''].join('\n');
}

/** Reads a lock file; an absent file is an empty lock. */
export function readLock(file: string): Placement[] {
  return fs.existsSync(file) ? parseLock(fs.readFileSync(file, 'utf8'), file) : [];
}

/**
 * Places a fleet: every tenant of the lock keeps its place (its edge, cell and port are checked
 * against the description), and each new tenant, taken in order of id (so that reordering the file
 * changes nothing), goes to its named edge or the edge with the most room, into the first cell of
 * that edge with room, on its default local port (or the next free one). Throws when a tenant was
 * removed outright (decommission it), moved between edges, or does not fit.
 */
export function placeFleet(
  fleet: FleetDescription,
  lock: readonly Placement[],
  lockFile = 'fleet.lock.jsonl',
): Placement[] {
  const cellSize = fleet.cellSize ?? DEFAULT_CELL_SIZE;
  const described = new Map(fleet.tenants.map((t) => [t.id, t]));
  const edges = new Map(fleet.edges.map((e) => [e.name, e]));
  const locked = new Map(lock.map((p) => [p.tenant, p]));

  const removed = lock.filter((p) => !described.has(p.tenant)).map((p) => p.tenant);
  if (removed.length > 0) {
    throw new FleetPlacementError(
      `tenant${removed.length > 1 ? 's' : ''} ${removed.join(', ')} ${removed.length > 1 ? 'were' : 'was'} removed from the fleet description, but ${lockFile} records ${removed.length > 1 ? 'them' : 'it'}: their audit buckets are locked and their Vault mounts and auth servers hold data. Put ${removed.length > 1 ? 'them' : 'it'} back with "decommissioned": true (every way in is removed, the data stays until retention ends); to delete a tenant for good after its retention, follow docs/fleets.md#deleting-a-tenant-after-retention`,
    );
  }
  for (const p of lock) {
    if (!edges.has(p.edge)) {
      throw new FleetPlacementError(
        `tenant ${p.tenant} lives on edge ${p.edge} (${lockFile}), which the fleet description no longer has: put the edge back, or migrate its tenants first (docs/fleets.md#moving-a-tenant)`,
      );
    }
    const wanted = described.get(p.tenant)?.edge;
    if (wanted !== undefined && wanted !== p.edge) {
      throw new FleetPlacementError(
        `tenant ${p.tenant} lives on edge ${p.edge} (${lockFile}), but the fleet description asks for ${wanted}: moving a tenant between Cloudflare accounts is a migration (docs/fleets.md#moving-a-tenant), not an edit`,
      );
    }
  }

  const active = new Map<string, number>();
  const cellCounts = new Map<string, number>();
  const ports = new Map<number, string>();
  const count = (p: Placement) => {
    if (!described.get(p.tenant)?.decommissioned) active.set(p.edge, (active.get(p.edge) ?? 0) + 1);
    cellCounts.set(p.cell, (cellCounts.get(p.cell) ?? 0) + 1);
    ports.set(p.localPort, p.tenant);
  };
  lock.forEach(count);

  const placements = [...lock];
  const fresh = fleet.tenants.filter((t) => !locked.has(t.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const capacity = new Map([...edges.values()].map((e) => [e.name, edgeCapacity(e).tenants]));
  const room = (edge: FleetEdge) => (capacity.get(edge.name) as number) - (active.get(edge.name) ?? 0);
  // The first cell of each edge that may have room: cells only fill up, so the search never goes back.
  const firstOpenCell = new Map<string, number>();
  for (const tenant of fresh) {
    let edge: FleetEdge;
    if (tenant.edge !== undefined) {
      edge = edges.get(tenant.edge) as FleetEdge;
      if (!tenant.decommissioned && room(edge) <= 0) {
        throw new FleetPlacementError(
          `tenant ${tenant.id} cannot go on edge ${edge.name}: it is full at ${edgeCapacity(edge).limit}. Declare the edge's raised limits, or give the tenant another edge`,
        );
      }
    } else {
      const candidates = [...edges.values()].sort((a, b) => room(b) - room(a) || (a.name < b.name ? -1 : 1));
      if (candidates.length === 0 || room(candidates[0]) <= 0) {
        throw new FleetPlacementError(
          `the fleet does not fit: tenant ${tenant.id} finds no edge with room (${[...edges.values()].map((e) => `${e.name}: full at ${edgeCapacity(e).limit}`).join('; ')}). Add an edge (another Cloudflare account), or declare raised limits`,
        );
      }
      edge = candidates[0];
    }
    let n = firstOpenCell.get(edge.name) ?? 1;
    while ((cellCounts.get(cellStackName(edge.name, n)) ?? 0) >= cellSize) n++;
    firstOpenCell.set(edge.name, n);
    const cell = cellStackName(edge.name, n);
    const localPort = tenant.localPort ?? freePort(tenant.id, ports);
    const holder = ports.get(localPort);
    if (holder !== undefined) {
      throw new FleetPlacementError(
        `tenant ${tenant.id} asks for localPort ${localPort}, which tenant ${holder} holds: two tenants may not share a local port`,
      );
    }
    const placement = { tenant: tenant.id, edge: edge.name, cell, localPort };
    placements.push(placement);
    count(placement);
  }
  return placements;
}

/** The tenant's default port, or the next free one in the default range (wrapping). */
function freePort(tenantId: string, taken: ReadonlyMap<number, string>): number {
  const { min, max } = DEFAULT_LOCAL_PORT_RANGE;
  let port = defaultLocalPort(tenantId);
  for (let tries = 0; tries <= max - min; tries++) {
    if (!taken.has(port)) return port;
    port = port === max ? min : port + 1;
  }
  throw new FleetPlacementError(`no free local port is left in ${min}-${max} for tenant ${tenantId}`);
}
