import { parseImageReference } from '../../../core/formats';
import { block, isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { type ContainerView, workloads } from '../../../model/pods';

const REQUIRED_RESOURCES: readonly [part: 'requests' | 'limits', key: 'cpu' | 'memory'][] = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
];

/** Requests and the memory limit of one container. */
function judgeResources(verdict: Verdict, c: ContainerView): void {
  const resources = block(c.body.resources);
  for (const [part, key] of REQUIRED_RESOURCES) {
    const value = block(resources[part])[key];
    if (isExpression(value)) verdict.unknown(`${c.label} ${part}.${key}`);
    else verdict.expect(value !== undefined && value !== '', `${c.label} has no ${part}.${key}`);
  }
}

/** The image of one container is a tag other than latest, or a digest. */
function judgeImage(verdict: Verdict, c: ContainerView): void {
  const image = c.body.image;
  if (isExpression(image)) {
    verdict.unknown(`${c.label} image`);
  } else if (typeof image !== 'string' || image === '') {
    verdict.fail(`${c.label} has no image`);
  } else {
    const ref = parseImageReference(image);
    if (!ref) verdict.fail(`${c.label} image '${image}' is not an image reference`);
    else if (ref.digest) return;
    else if (ref.tag === undefined) verdict.fail(`${c.label} image '${image}' is untagged`);
    else verdict.expect(ref.tag !== 'latest', `${c.label} image '${image}' uses the tag latest`);
  }
}

/** MCP-K8S-9: every container has requests and a memory limit, and a pinned image. */
export const MCP_K8S_9: Rule = {
  id: 'MCP-K8S-9',
  level: 'error',
  layer: 'ports',
  cause: 'a container lacks CPU and memory requests or a memory limit, or its image is untagged or latest',
  explanation:
    "A container without requests is scheduled blind and one without a memory limit can starve its neighbours, other tenants' pods included; an untagged or `:latest` image changes under a running system without review. Give every container (init containers and sidecars included) `requests.cpu`, `requests.memory` and `limits.memory`, and an image pinned by digest (`@sha256:...`) or at least by a version tag. A tag without a digest is MCP-K8S-9W's concern (a warning).",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map(({ entry, containers }) => {
      const verdict = new Verdict(entry.address);
      for (const c of containers) {
        judgeResources(verdict, c);
        judgeImage(verdict, c);
      }
      return verdict.result();
    });
  },
};
