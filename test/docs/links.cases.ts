/**
 * Every relative link of README.md and docs/*.md resolves: the file exists in the repository, and an
 * anchor names a heading of the target page as GitHub writes it (RULES.md's rule anchors included).
 * The generated API reference (docs/api/, not committed) may be linked at its index only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { anchors, API_DIR, documentationPages, links, readPage, ROOT, slug } from './markdown';

/** Why a link of `page` is broken, or undefined when it resolves. */
function brokenLink(page: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: ...
  const hash = target.indexOf('#');
  const file = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
  if (resolved.startsWith('..')) return `${target} leaves the repository`;
  if (resolved === API_DIR || resolved.startsWith(`${API_DIR}/`)) {
    return resolved === `${API_DIR}/index.html` && anchor === undefined
      ? undefined
      : `${target} links into the generated ${API_DIR}/: link its index.html only`;
  }
  const absolute = path.join(ROOT, resolved);
  if (!fs.existsSync(absolute)) return `${target}: ${resolved} does not exist`;
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith('.md')) return `${target}: an anchor into ${resolved}, which is not Markdown`;
  const known = anchors(fs.readFileSync(absolute, 'utf8'));
  return known.has(anchor) ? undefined : `${target}: ${resolved} has no heading with the anchor #${anchor}`;
}

describe('relative links of README.md and docs/', () => {
  const pages = documentationPages();

  test('the pages are found', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/audit.md']));
    expect(pages.some((p) => p.startsWith(`${API_DIR}/`))).toBe(false);
  });

  test.each(pages)('%s: every link resolves', (page) => {
    const broken = links(readPage(page))
      .map((l) => ({ ...l, why: brokenLink(page, l.target) }))
      .filter((l) => l.why !== undefined)
      .map((l) => `${page}:${l.line}: ${l.why}`);
    expect(broken).toEqual([]);
  });
});

describe('GitHub anchors, as the link check computes them', () => {
  test('lower case, punctuation removed, each space a hyphen, inline code and links reduced to text', () => {
    expect(slug('Layer 2: transport (Cloudflare Tunnel and Access)')).toBe(
      'layer-2-transport-cloudflare-tunnel-and-access',
    );
    expect(slug('Connecting from a laptop: `mcp-access connect`')).toBe('connecting-from-a-laptop-mcp-access-connect');
    expect(slug("One authorization server per tenant, and Okta's limits")).toBe(
      'one-authorization-server-per-tenant-and-oktas-limits',
    );
    expect(slug('Importing changes nothing; speed is an explicit opt-in')).toBe(
      'importing-changes-nothing-speed-is-an-explicit-opt-in',
    );
    expect(slug('MCP-K8S-8W')).toBe('mcp-k8s-8w');
    expect(slug('The [rule pack](rule-pack.md) and `snake_case`')).toBe('the-rule-pack-and-snake_case');
    expect(slug('A  and  B')).toBe('a--and--b');
  });

  test('repeated headings are numbered, and headings in code blocks are not headings', () => {
    const found = anchors('# Props\n\n## Props\n\n```\n# not a heading\n```\n\n## Props\n\n<a id="custom"></a>\n');
    expect([...found].sort()).toEqual(['custom', 'props', 'props-1', 'props-2']);
  });

  test('links in code are not links; reference definitions are', () => {
    const found = links('[a](a.md) `[b](b.md)`\n\n```md\n[c](c.md)\n```\n\n[d]: d.md\n`x\n[e](e.md)` [f](f.md)\n');
    expect(found).toEqual([
      { target: 'a.md', line: 1 },
      { target: 'd.md', line: 7 },
      { target: 'f.md', line: 9 },
    ]);
  });

  test('a broken file, a broken anchor and a deep link into docs/api are reported', () => {
    expect(brokenLink('README.md', 'docs/nowhere.md')).toMatch(/does not exist/);
    expect(brokenLink('README.md', 'RULES.md#mcp-id-999')).toMatch(/no heading with the anchor #mcp-id-999/);
    expect(brokenLink('README.md', 'RULES.md#mcp-id-1')).toBeUndefined();
    expect(brokenLink('docs/identity.md', '../RULES.md#mcp-k8s-8w')).toBeUndefined();
    expect(brokenLink('README.md', 'docs/api/index.html')).toBeUndefined();
    expect(brokenLink('README.md', 'docs/api/classes/SecureMcpAccess.html')).toMatch(/index.html only/);
    expect(brokenLink('docs/rule-pack.md', '../../outside.md')).toMatch(/leaves the repository/);
    expect(brokenLink('README.md', 'examples/quickstart/main.ts#L1')).toMatch(/not Markdown/);
    expect(brokenLink('README.md', 'https://example.com/x#y')).toBeUndefined();
  });
});
