import * as fc from 'fast-check';
import {
  cellStackName,
  edgeCapacity,
  parseLock,
  type Placement,
  placeFleet,
  renderLock,
} from '../../lib/fleet/assignment';
import type { FleetDescription, FleetEdge, FleetTenant } from '../../lib/fleet/description';

const A = '0123456789abcdef0123456789abcdef';

function edge(name: string, limits?: FleetEdge['limits']): FleetEdge {
  return { name, accountId: A, zoneId: A, teamDomain: `${name}.cloudflareaccess.com`, ...(limits ? { limits } : {}) };
}

function fleet(
  tenants: FleetTenant[],
  edges: FleetEdge[] = [edge('eu-1'), edge('us-1')],
  cellSize?: number,
): FleetDescription {
  return {
    domain: 'mcp.example.com',
    okta: { orgUrl: 'https://example.okta.com' },
    workload: { image: 'ghcr.io/x/mcp:1.0.0', port: 8080 },
    edges,
    tenants,
    ...(cellSize !== undefined ? { cellSize } : {}),
  };
}

const ids = (n: number, prefix = 't') =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${String(i).padStart(4, '0')}` }));

describe('fleet placement', () => {
  test('places new tenants in id order on the edge with the most room, into cells of at most cellSize', () => {
    const placed = placeFleet(fleet([{ id: 'globex' }, { id: 'acme' }, { id: 'initech' }], undefined, 2), []);
    expect(placed).toEqual([
      { tenant: 'acme', edge: 'eu-1', cell: 'cells-eu-1-001', localPort: 27615 },
      { tenant: 'globex', edge: 'us-1', cell: 'cells-us-1-001', localPort: 21822 },
      { tenant: 'initech', edge: 'eu-1', cell: 'cells-eu-1-001', localPort: 23345 },
    ]);
  });

  test('opens a new cell when the cells of an edge are full (cellSize 2, one edge)', () => {
    const placed = placeFleet(fleet(ids(5), [edge('eu-1')], 2), []);
    expect(placed.map((p) => p.cell)).toEqual([
      'cells-eu-1-001',
      'cells-eu-1-001',
      'cells-eu-1-002',
      'cells-eu-1-002',
      'cells-eu-1-003',
    ]);
  });

  test('a tenant that names its edge goes there', () => {
    expect(placeFleet(fleet([{ id: 'acme', edge: 'us-1' }]), [])[0].edge).toBe('us-1');
  });

  test('an edge holds 200 active tenants by default (a Free zone), and the 201st goes elsewhere', () => {
    expect(edgeCapacity(edge('eu-1'))).toEqual({
      tenants: 200,
      limit: '200 DNS records in the zone (a Free zone; declare limits.dnsRecords for a Pro zone)',
    });
    expect(edgeCapacity(edge('eu-1', { dnsRecords: 3500 }))).toEqual({
      tenants: 450,
      limit: '450 Access applications per account (500 allowed, 50 kept for other applications)',
    });
    const placed = placeFleet(fleet(ids(201), [edge('eu-1'), edge('zz-2', { dnsRecords: 1 })]), []);
    expect(placed.filter((p) => p.edge === 'eu-1')).toHaveLength(200);
    expect(placed.filter((p) => p.edge === 'zz-2')).toHaveLength(1);
  });

  test('fails when a fleet does not fit, naming every edge and its limit', () => {
    expect(() => placeFleet(fleet(ids(3), [edge('eu-1', { dnsRecords: 2 })]), [])).toThrow(
      'the fleet does not fit: tenant t0002 finds no edge with room (eu-1: full at 2 DNS records in the zone). Add an edge (another Cloudflare account), or declare raised limits',
    );
  });

  test('fails when a named edge is full', () => {
    expect(() =>
      placeFleet(fleet([...ids(1), { id: 'acme', edge: 'eu-1' }], [edge('eu-1', { tunnels: 1 }), edge('us-1')]), [
        { tenant: 't0000', edge: 'eu-1', cell: 'cells-eu-1-001', localPort: 20000 },
      ]),
    ).toThrow(
      "tenant acme cannot go on edge eu-1: it is full at 1 tunnels per account. Declare the edge's raised limits, or give the tenant another edge",
    );
  });

  test('decommissioned tenants free their edge capacity but keep their cell', () => {
    const lock: Placement[] = [{ tenant: 'old', edge: 'eu-1', cell: 'cells-eu-1-001', localPort: 20000 }];
    const placed = placeFleet(
      fleet([{ id: 'old', decommissioned: true }, { id: 'new' }], [edge('eu-1', { tunnels: 1 })], 1),
      lock,
    );
    expect(placed[1]).toEqual({ tenant: 'new', edge: 'eu-1', cell: 'cells-eu-1-002', localPort: expect.any(Number) });
  });

  test('fails with the runbook when a placed tenant is removed outright', () => {
    const lock: Placement[] = [{ tenant: 'gone', edge: 'eu-1', cell: 'cells-eu-1-001', localPort: 20000 }];
    expect(() => placeFleet(fleet([{ id: 'acme' }]), lock)).toThrow(
      'tenant gone was removed from the fleet description, but fleet.lock.jsonl records it: their audit buckets are locked and their Vault mounts and auth servers hold data. Put it back with "decommissioned": true',
    );
  });

  test('fails when a placed tenant is asked onto another edge', () => {
    const lock: Placement[] = [{ tenant: 'acme', edge: 'eu-1', cell: 'cells-eu-1-001', localPort: 20000 }];
    expect(() => placeFleet(fleet([{ id: 'acme', edge: 'us-1' }]), lock)).toThrow(
      'tenant acme lives on edge eu-1 (fleet.lock.jsonl), but the fleet description asks for us-1: moving a tenant between Cloudflare accounts is a migration',
    );
  });

  test('moves a default port that another tenant holds to the next free one; refuses an explicit one', () => {
    const lock: Placement[] = [{ tenant: 'other', edge: 'eu-1', cell: 'cells-eu-1-001', localPort: 27615 }];
    expect(placeFleet(fleet([{ id: 'other' }, { id: 'acme' }]), lock)[1].localPort).toBe(27616);
    expect(() => placeFleet(fleet([{ id: 'other' }, { id: 'acme', localPort: 27615 }]), lock)).toThrow(
      'tenant acme asks for localPort 27615, which tenant other holds: two tenants may not share a local port',
    );
  });

  test('the lock file is one line per tenant, sorted, and reads back', () => {
    const placed = placeFleet(fleet([{ id: 'globex' }, { id: 'acme' }]), []);
    const text = renderLock(placed);
    expect(text).toBe(
      [
        '{"lockfileVersion":1}',
        '{"tenant":"acme","edge":"eu-1","cell":"cells-eu-1-001","localPort":27615}',
        '{"tenant":"globex","edge":"us-1","cell":"cells-us-1-001","localPort":21822}',
        '',
      ].join('\n'),
    );
    expect(parseLock(text)).toEqual([...placed].sort((a, b) => a.tenant.localeCompare(b.tenant)));
    expect(cellStackName('eu-1', 7)).toBe('cells-eu-1-007');
  });

  test('a lock line that is not a placement names its line', () => {
    expect(() => parseLock('{"lockfileVersion":1}\n{"tenant":"acme"}\n')).toThrow(
      'fleet.lock.jsonl:2 must hold {"tenant", "edge", "cell", "localPort"}, but {"tenant":"acme"} was found',
    );
    expect(() => parseLock('{"lockfileVersion":2}\n')).toThrow(
      'fleet.lock.jsonl:1 has lockfileVersion 2, but this library writes 1',
    );
  });

  test('property: once placed, a tenant never moves when tenants are added, reordered or decommissioned, edges added, or cells shrunk; only new tenants get lines', () => {
    const tenantId = fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(tenantId, { minLength: 1, maxLength: 60 }),
        fc.uniqueArray(tenantId, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        fc.integer(),
        (first, added, cellSize, laterCellSize, addEdge, seed) => {
          const edges = [edge('eu-1', { dnsRecords: 1000 }), edge('us-1', { dnsRecords: 1000 })];
          const before = placeFleet(
            fleet(
              first.map((id) => ({ id })),
              edges,
              cellSize,
            ),
            [],
          );
          const lock = parseLock(renderLock(before));
          // Shuffle deterministically, decommission some, add tenants, maybe an edge, maybe shrink cells.
          const shuffled = [...first].sort((a, b) => ((a.charCodeAt(0) * seed) % 7) - ((b.charCodeAt(0) * seed) % 7));
          const kept = shuffled.map((id, i) => ({ id, ...(i % 3 === 0 ? { decommissioned: true } : {}) }));
          const fresh = added.filter((id) => !first.includes(id)).map((id) => ({ id }));
          const laterEdges = addEdge ? [...edges, edge('ap-1', { dnsRecords: 1000 })] : edges;
          const after = placeFleet(fleet([...kept, ...fresh], laterEdges, laterCellSize), lock);
          const beforeLines = new Set(renderLock(before).split('\n'));
          const newLines = renderLock(after)
            .split('\n')
            .filter((l) => !beforeLines.has(l));
          expect(newLines).toHaveLength(fresh.length);
          for (const p of before) expect(after.find((q) => q.tenant === p.tenant)).toEqual(p);
          expect(new Set(after.map((p) => p.localPort)).size).toBe(after.length);
          // A cell stack's content is its members' cells: only cells that gained a new tenant change.
          const members = (ps: readonly Placement[]) => {
            const byCell = new Map<string, string[]>();
            for (const p of ps) byCell.set(p.cell, [...(byCell.get(p.cell) ?? []), p.tenant].sort());
            return byCell;
          };
          const was = members(before);
          const freshIds = new Set(fresh.map((t) => t.id));
          for (const [cell, now] of members(after)) {
            if (JSON.stringify(was.get(cell)) === JSON.stringify(now)) continue;
            expect([cell, now.some((t) => freshIds.has(t))]).toEqual([cell, true]);
            expect([cell, (was.get(cell) ?? []).every((t) => now.includes(t))]).toEqual([cell, true]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('property: removing any placed tenant outright fails with the runbook, whatever else changes', () => {
    const tenantId = fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/);
    fc.assert(
      fc.property(fc.uniqueArray(tenantId, { minLength: 2, maxLength: 40 }), fc.nat(), (ids, pick) => {
        const edges = [edge('eu-1', { dnsRecords: 1000 })];
        const lock = parseLock(
          renderLock(
            placeFleet(
              fleet(
                ids.map((id) => ({ id })),
                edges,
                5,
              ),
              [],
            ),
          ),
        );
        const removed = ids[pick % ids.length];
        const rest = ids.filter((id) => id !== removed).map((id) => ({ id }));
        expect(() => placeFleet(fleet(rest, edges, 5), lock)).toThrow(
          `tenant ${removed} was removed from the fleet description, but fleet.lock.jsonl records it`,
        );
      }),
      { numRuns: 100 },
    );
  });
});
