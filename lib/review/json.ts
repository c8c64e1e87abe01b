/** Renders a {@link Review} as JSON for machines: the same model, nothing dropped. */
import type { Review } from './model';

export function renderJson(review: Review): string {
  return JSON.stringify(review, null, 2);
}
