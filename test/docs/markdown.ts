/**
 * Just enough Markdown for the documentation tests: the pages, their links, their headings as GitHub
 * turns them into anchors, and their tables. Written here (not a Markdown library) because the tests
 * need exactly GitHub's anchor rules and nothing else.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');

/** The generated API reference: never checked, and linked only at its index. */
export const API_DIR = 'docs/api';

/** README.md and every page in docs/ (docs/api excluded), as paths relative to the root. */
export function documentationPages(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** A page's text. */
export function readPage(relative: string): string {
  return fs.readFileSync(path.join(ROOT, relative), 'utf8');
}

/** The text outside fenced code blocks and HTML comments (those hold no links or headings). */
export function prose(markdown: string): string {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.replace(/<!--[\s\S]*?-->/g, '').split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) {
      fence = marker;
      lines.push('');
    } else if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      lines.push('');
    } else lines.push(line);
  }
  return lines.join('\n');
}

/** The anchor GitHub gives a heading's text (github-slugger): lower case, punctuation removed, spaces to '-'. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a page: its headings (duplicates numbered -1, -2, ...) and explicit `id`/`name` anchors. */
export function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  const text = prose(markdown);
  for (const m of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    const base = slug(m[1]);
    let candidate = base;
    let n = seen.get(base) ?? 0;
    while (found.has(candidate)) candidate = `${base}-${++n}`;
    seen.set(base, n);
    found.add(candidate);
  }
  for (const m of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) found.add(m[1]);
  return found;
}

/** A link of a page: its target as written, and the line it is on. */
export interface Link {
  readonly target: string;
  readonly line: number;
}

/** The inline links, images and reference definitions of a page (not in code). */
export function links(markdown: string): Link[] {
  // Code spans hold no links; one may run over a line break, never over a paragraph's end.
  const text = prose(markdown)
    .replace(/(`+)(?:(?!\n[ \t]*\n)[\s\S])*?\1/g, (span) => `code${'\n'.repeat(span.split('\n').length - 1)}`)
    .split('\n');
  const found: Link[] = [];
  text.forEach((line, i) => {
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      found.push({ target: m[1], line: i + 1 });
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
    if (definition) found.push({ target: definition[1], line: i + 1 });
  });
  return found;
}

/** A table of a page: its header cells and rows of cells, as written (inline code kept). */
export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  // A `|` escaped as `\|` belongs to its cell.
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** The pipe tables of a page, outside code. */
export function tables(markdown: string): Table[] {
  const lines = prose(markdown).split('\n');
  const found: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].trim().startsWith('|') || !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(lines[i + 1])) {
      continue;
    }
    const headers = cells(lines[i]);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].trim().startsWith('|'); j++) rows.push(cells(lines[j]));
    found.push({ headers, rows });
    i = j - 1;
  }
  return found;
}

/**
 * The cells in column `header` of every table row whose first cell is exactly `key` (e.g. the
 * `default` of the row `` `tokenTtlMinutes` ``), across the page's tables.
 */
export function column(markdown: string, key: string, header: string): string[] {
  const found: string[] = [];
  for (const table of tables(markdown)) {
    const at = table.headers.indexOf(header);
    if (at < 0) continue;
    for (const row of table.rows) if (row[0] === key && row[at] !== undefined) found.push(row[at]);
  }
  return found;
}
