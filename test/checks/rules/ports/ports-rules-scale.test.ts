import { type JsonObject, SynthesizedStack } from '../../../../lib/model/stack';
import { PORTS_RULES } from '../../../../lib/checks/rules/ports';
import { ownJson } from './fixture';

type Resources = Record<string, Record<string, unknown>>;

/** One tenant's synthesized resources copied for `count` tenants (ids, names and references renamed). */
function tenantCopies(count: number): Resources[] {
  const one = JSON.stringify(ownJson().resource);
  return Array.from({ length: count }, (_, i) => JSON.parse(one.replace(/acme/g, `t${String(i).padStart(4, '0')}`)));
}

/** A stack of the first `count` copies. */
function fleet(copies: readonly Resources[], count: number): SynthesizedStack {
  const resource: Resources = {};
  for (const copy of copies.slice(0, count)) {
    for (const [type, byName] of Object.entries(copy)) Object.assign((resource[type] ??= {}), byName);
  }
  return new SynthesizedStack({ resource } as JsonObject);
}

describe('workload rules at fleet scale', () => {
  // How long this takes is measured by `npm run bench` (checks % of synth), not asserted here.
  test('judge 1000 tenants, each deployment once per rule, all compliant', () => {
    const stack = new SynthesizedStack(fleet(tenantCopies(1000), 1000).json);
    expect(PORTS_RULES.length).toBeGreaterThan(0);
    const evaluations = PORTS_RULES.flatMap((rule) => rule.evaluate(stack));
    // Twelve rules judge each deployment: 1 to 9, 8W, 9W, 11 and 13.
    expect(evaluations.filter((e) => e.address.startsWith('kubernetes_deployment_v1.'))).toHaveLength(1000 * 12);
    expect(evaluations.filter((e) => e.status !== 'compliant')).toEqual([]);
  });
});
