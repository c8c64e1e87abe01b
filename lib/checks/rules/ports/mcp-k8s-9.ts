import { parseImageReference } from '../../../core/formats';
import { block } from '../../../model/json';
import type { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { type ContainerView, workloads } from '../../../model/pods';
import { blockOf, literal, UNREADABLE, workloadVerdict } from './read';

const REQUIRED_RESOURCES: readonly [part: 'requests' | 'limits', key: 'cpu' | 'memory'][] = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
];

/** Requests and the memory limit of one container. */
function judgeResources(stack: SynthesizedStack, verdict: Verdict, c: ContainerView): void {
  const resources = blockOf(c.body.resources);
  if (resources === UNREADABLE) return;
  for (const [part, key] of REQUIRED_RESOURCES) {
    const value = literal(stack, verdict, `${c.label} ${part}.${key}`, block(resources[part])[key]);
    if (value !== UNREADABLE)
      verdict.expect(value !== undefined && value !== null && value !== '', `${c.label} has no ${part}.${key}`);
  }
}

/** The image of one container is a tag other than latest, or a digest. */
function judgeImage(stack: SynthesizedStack, verdict: Verdict, c: ContainerView): void {
  const image = literal(stack, verdict, `${c.label} image`, c.body.image);
  if (image === UNREADABLE) {
    return;
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
  requires: [
    'every container and init container has requests.cpu, requests.memory and limits.memory',
    'every image is pinned by digest (@sha256:<64 hex>) or by a tag other than latest',
  ],
  fix: 'set workload.image pinned by digest (or at least a version tag) and workload.resources; do not override the image or resources of a container',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map((workload) => {
      const verdict = workloadVerdict(workload);
      for (const c of workload.containers) {
        judgeResources(stack, verdict, c);
        judgeImage(stack, verdict, c);
      }
      return verdict.result();
    });
  },
};
