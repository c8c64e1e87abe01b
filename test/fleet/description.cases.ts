import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  FLEET_SCHEMA,
  FleetDescriptionError,
  readFleetDescription,
  validateFleetDescription,
} from '../../lib/fleet/description';

const DIGEST = 'sha256:' + 'ab12'.repeat(16);
const A = '0123456789abcdef0123456789abcdef';
const B = 'fedcba9876543210fedcba9876543210';

/** A valid description with two edges. */
function fleet(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    domain: 'mcp.example.com',
    okta: { orgUrl: 'https://example.okta.com' },
    workload: { image: `ghcr.io/example/mcp@${DIGEST}`, port: 8080 },
    edges: [
      { name: 'eu-1', accountId: A, zoneId: B, teamDomain: 'eu.cloudflareaccess.com' },
      { name: 'us-1', accountId: B, zoneId: A, teamDomain: 'us.cloudflareaccess.com' },
    ],
    tenants: [{ id: 'acme' }, { id: 'globex', edge: 'us-1' }],
    ...overrides,
  };
}

function problems(value: unknown): readonly string[] {
  try {
    validateFleetDescription(value, 'fleet.json');
    return [];
  } catch (e) {
    if (e instanceof FleetDescriptionError) return e.problems;
    throw e;
  }
}

describe('fleet description', () => {
  test('accepts a valid description', () => {
    expect(problems(fleet())).toEqual([]);
  });

  test('fails naming the tenant and the field when a field is out of range or unknown', () => {
    expect(
      problems(
        fleet({
          tenants: [
            { id: 'acme', localPort: 80 },
            { id: 'globex', colour: 'blue' },
          ],
        }),
      ),
    ).toEqual([
      'tenants[0] (acme).localPort must be >= 1024, but 80 was provided',
      'tenants[1] (globex).colour is not a field of a fleet description, but "blue" was provided',
    ]);
  });

  test('fails when a required field is missing', () => {
    const rest: Record<string, unknown> = { ...fleet() };
    delete rest.workload;
    expect(problems(rest)).toEqual(['workload is required']);
    expect(problems(fleet({ edges: [{ name: 'eu-1', accountId: A, zoneId: B }] }))).toEqual([
      'edges[0] (eu-1).teamDomain is required',
    ]);
  });

  test('fails when a tenant id or an edge name is not a name', () => {
    expect(problems(fleet({ tenants: [{ id: 'Acme' }] }))).toEqual([
      'tenants[0] (Acme).id must match ^[a-z][a-z0-9-]{1,30}$, but "Acme" was provided',
    ]);
  });

  test('fails when ids repeat, an edge is unknown, or an id is reserved or Punycode', () => {
    expect(
      problems(
        fleet({
          tenants: [
            { id: 'acme' },
            { id: 'acme' },
            { id: 'initech', edge: 'ap-9' },
            { id: 'access-requests' },
            { id: 'xn--acme-9na' },
          ],
        }),
      ),
    ).toEqual([
      'tenants[1] (acme).id must be unique, but it repeats',
      "tenants[2] (initech).edge must name an edge of the fleet (eu-1, us-1), but 'ap-9' was provided",
      'tenants[3] (access-requests).id is reserved (its names would collide with the shared audit bucket mcp-audit-access-requests)',
      'tenants[4] (xn--acme-9na).id is Punycode (xn--), which shows one name to people and another to machines',
    ]);
  });

  test('the error names the file', () => {
    expect(() => validateFleetDescription(fleet({ cellSize: 0 }), 'fleets/prod.json')).toThrow(
      'fleets/prod.json is not a valid fleet description:\n  - cellSize must be >= 1, but 0 was provided',
    );
  });

  test('reads a file, and names it when it is not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-fleet-'));
    try {
      const good = path.join(dir, 'fleet.json');
      fs.writeFileSync(good, JSON.stringify(fleet()));
      expect(readFleetDescription(good).tenants.map((t) => t.id)).toEqual(['acme', 'globex']);
      const bad = path.join(dir, 'broken.json');
      fs.writeFileSync(bad, '{ "domain": ');
      expect(() => readFleetDescription(bad)).toThrow(
        `${bad} is not a valid fleet description:\n  - cannot be read as JSON`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the published schema file is the schema the library validates with', () => {
    const published = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schemas/fleet.schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(FLEET_SCHEMA)));
  });
});
