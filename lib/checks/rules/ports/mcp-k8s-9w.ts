import { parseImageReference } from '../../../core/formats';
import { isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { workloads } from '../../../model/pods';

/** MCP-K8S-9W: every image is pinned by digest (warning). */
export const MCP_K8S_9W: Rule = {
  id: 'MCP-K8S-9W',
  level: 'warning',
  layer: 'ports',
  cause: 'a container image is pinned by tag, not by digest',
  explanation:
    "A tag can be moved to other bytes by whoever controls the registry; a digest (`@sha256:<64 hex>`) cannot. Pin every image by digest (a tag may stay beside it for readers: `repo:1.2.3@sha256:...`). This is the warning half of MCP-K8S-9, split into its own id because a rule has one level; it can be suppressed with a reason of 10 or more characters when a registry's tags are immutable. Untagged, `latest`, unparsable and unresolved images are MCP-K8S-9's findings and are not repeated here.",
  requires: ['every image pinned by digest: repo[:tag]@sha256:<64 hex>'],
  fix: 'pin workload.image and cloudflaredImage by digest (repo:tag@sha256:<64 hex>), or suppress MCP-K8S-9W with the reason when the registry keeps tags immutable',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map(({ entry, containers }) => {
      const verdict = new Verdict(entry.address);
      for (const c of containers) {
        const image = c.body.image;
        if (typeof image !== 'string' || isExpression(image)) continue;
        const ref = parseImageReference(image);
        if (ref?.tag !== undefined && ref.tag !== 'latest' && !ref.digest) {
          verdict.fail(`${c.label} image '${image}' has no digest`);
        }
      }
      return verdict.result();
    });
  },
};
