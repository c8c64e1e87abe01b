/**
 * Every numeric bound of the ports layer's validation, table-driven: a value exactly at the limit is
 * accepted and one just past it is refused with the exact message. The numbers are literals, never
 * the code's constants (issue 19). Bounds whose at/past pair lives elsewhere are listed in
 * docs/testing.md.
 */
import type { PodAddon } from '../../lib/core/refs';
import {
  type LoopbackMcpDeploymentProps,
  validateLoopbackMcpDeploymentProps,
} from '../../lib/ports/loopback-mcp-deployment-props';
import { DIGEST, newStack } from '../helpers';
import { validationProblems } from '../validation-problems';
import { workloadProps } from './fixtures';

const workload = (overrides: Partial<LoopbackMcpDeploymentProps>) => () =>
  validateLoopbackMcpDeploymentProps(workloadProps(newStack(), 'acme', overrides));
const addon = (change: Partial<PodAddon>): PodAddon => ({
  name: 'audit',
  containers: [{ name: 'audit-shipper', image: `timberio/vector:0.57.0-distroless-static@${DIGEST}` }],
  ...change,
});

describe('ports validation at its bounds', () => {
  test.each<[string, () => unknown, readonly string[]]>([
    // port: 1 to 65535 (0 and 65536 are refused in validation.test.ts).
    ['port 1 (the floor)', workload({ port: 1 }), []],
    ['port 65535 (the limit)', workload({ port: 65535 }), []],
    // localPort: 1 to 65535.
    ['localPort 1 (the floor)', workload({ localPort: 1 }), []],
    ['localPort 0', workload({ localPort: 0 }), ['localPort must be between 1 and 65535, but 0 was provided']],
    ['localPort 65535 (the limit)', workload({ localPort: 65535 }), []],
    [
      'localPort 65536',
      workload({ localPort: 65536 }),
      ['localPort must be between 1 and 65535, but 65536 was provided'],
    ],
    // replicas: 1 to 25, the replicas a tunnel takes (0 and 26 are refused in validation.test.ts).
    ['replicas 1 (the floor)', workload({ replicas: 1 }), []],
    ['replicas 25 (the limit)', workload({ replicas: 25 }), []],
    // Revisions: at least 1 (0 is refused in validation.test.ts).
    ['tunnelTokenRevision 1 (the floor)', workload({ tunnelTokenRevision: 1 }), []],
    ['addons[0].secretRevision 1 (the floor)', workload({ addons: [addon({ secretRevision: 1 })] }), []],
    // vaultEgress.port: 1 to 65535, and the port of vault.address.
    [
      'vaultEgress.port 65535 (the limit) on a Vault at that port',
      workload({
        vault: { address: 'https://vault.example.com:65535' },
        vaultEgress: { cidrs: ['10.0.0.0/24'], port: 65535 },
      }),
      [],
    ],
    [
      'vaultEgress.port 65536',
      workload({ vaultEgress: { cidrs: ['10.0.0.0/24'], port: 65536 } }),
      [
        'vaultEgress.port must be between 1 and 65535, but 65536 was provided',
        'vaultEgress.port must be the port of vault.address (8200), the only port the rule pack allows to Vault, but 65536 was provided',
      ],
    ],
    // An addon name: 1 to 31 characters (^[a-z][a-z0-9-]{0,30}$).
    ['addons[0].name of 31 characters (the limit)', workload({ addons: [addon({ name: 'a'.repeat(31) })] }), []],
    [
      'addons[0].name of 32 characters',
      workload({ addons: [addon({ name: 'a'.repeat(32) })] }),
      [`addons[0].name must be a short name matching ^[a-z][a-z0-9-]{0,30}$, but '${'a'.repeat(32)}' was provided`],
    ],
    // An addon container name: a DNS label of at most 63 characters.
    [
      'addons[0].containers[0].name of 63 characters (the limit)',
      workload({ addons: [addon({ containers: [{ name: 'c'.repeat(63), image: `vector:0.57.0@${DIGEST}` }] })] }),
      [],
    ],
    [
      'addons[0].containers[0].name of 64 characters',
      workload({ addons: [addon({ containers: [{ name: 'c'.repeat(64), image: `vector:0.57.0@${DIGEST}` }] })] }),
      [
        `addons[0].containers[0].name must be a container name (a DNS label of at most 63 characters), but '${'c'.repeat(64)}' was provided`,
      ],
    ],
  ])('%s', (_label, build, problems) => {
    expect(validationProblems(build)).toEqual(problems);
  });
});
