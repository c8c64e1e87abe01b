/** Pure predicates over prop values, shared by the constructs' validation and the rule pack. */

import { LOOPBACK_HOSTS } from './defaults';

/** A tenant id, as a regex source to embed: lower-case letter first, then 1-30 lower-case letters, digits or hyphens. */
export const TENANT_ID_SOURCE = '[a-z][a-z0-9-]{1,30}';

/** A tenant id, whole. */
export const TENANT_ID_PATTERN = new RegExp(`^${TENANT_ID_SOURCE}$`);

/**
 * Tenant ids whose derived names would collide with a shared piece's name: a tenant `access-requests`
 * would own the bucket `mcp-audit-access-requests`, which is the account audit bucket.
 */
export const RESERVED_TENANT_IDS: readonly string[] = ['access-requests'];

/** Why a tenant id is refused beyond its pattern (a reserved name, Punycode), or undefined. */
export function tenantIdProblem(id: string): string | undefined {
  if (RESERVED_TENANT_IDS.includes(id)) {
    return `is reserved (its names would collide with the shared audit bucket mcp-audit-${id})`;
  }
  // A Punycode label shows as a different name to people than to machines: refuse it.
  if (id.startsWith('xn--')) return 'is Punycode (xn--), which shows one name to people and another to machines';
  return undefined;
}

/**
 * True for the loopback addresses the library allows (127.0.0.1, localhost, ::1, [::1]), exactly:
 * an allow-list, not a range, so that every reader of the JSON agrees on what loopback means.
 */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_HOSTS.includes(h) || h === '::1';
}

/** A plain DNS name: labels of letters, digits and hyphens, at least two labels, no scheme or path. */
export const DNS_NAME_PATTERN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** An https URL with a host and no credentials. */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** The parts of a container image reference. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits `registry/repo:tag@sha256:...` into its parts; undefined when it is not a reference. */
export function parseImageReference(image: string): ImageReference | undefined {
  const match =
    /^([a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(
      image,
    );
  if (!match) return undefined;
  return { repository: match[1], tag: match[2], digest: match[3] };
}

/** Pinned: a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  const ref = parseImageReference(image);
  if (!ref) return false;
  if (ref.digest) return true;
  return ref.tag !== undefined && ref.tag !== 'latest';
}

/** Pinned by digest (`@sha256:<64 hex>`). */
export function isDigestPinnedImage(image: string): boolean {
  return parseImageReference(image)?.digest !== undefined;
}
