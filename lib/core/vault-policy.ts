/**
 * Vault ACL policies as text: a renderer for the policies the constructs write, and a small,
 * synchronous parser for the rules, which must judge every path of any policy in a stack (the
 * vendor's HCL parser, `@cdktf/hcl2json`, is asynchronous and a development dependency only).
 *
 * The parser reads what Vault's policy parser reads: HCL (`path "<glob>" { capabilities = [...] }`,
 * with `#`, `//` and `/* *\/` comments, nested objects such as `allowed_parameters`, the deprecated
 * `policy = "<word>"` form) and the JSON form (`{"path": {"<glob>": {"capabilities": [...]}}}`).
 * Anything else is a syntax error: a rule treats an unreadable policy as non-compliant.
 */

/** A capability a Vault policy grants on a path. */
export type VaultCapability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny';

/** One `path` stanza as the constructs write it. */
export interface VaultPolicyRule {
  readonly path: string;
  readonly capabilities: readonly VaultCapability[];
}

/** One `path` stanza as read from a policy (any capability strings, and the deprecated form). */
export interface VaultPolicyStanza {
  readonly path: string;
  readonly capabilities: readonly string[];
  /** The deprecated single-word form `policy = "read"` (`deny`, `read`, `write` or `sudo`), when used. */
  readonly policy?: string;
}

/** Thrown by {@link parseVaultPolicy} for text Vault would not read as a policy. */
export class VaultPolicySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultPolicySyntaxError';
  }
}

/** Renders policy stanzas as HCL, one `path` block each, in the order given. */
export function renderVaultPolicy(rules: readonly VaultPolicyRule[]): string {
  return rules
    .map(
      (r) =>
        `path ${JSON.stringify(r.path)} {\n  capabilities = [${r.capabilities.map((c) => `"${c}"`).join(', ')}]\n}\n`,
    )
    .join('\n');
}

/**
 * Every `path` stanza of a policy, grouped by path in the order each path first appears (as HCL
 * groups repeated blocks); throws {@link VaultPolicySyntaxError}.
 */
export function parseVaultPolicy(text: string): VaultPolicyStanza[] {
  const trimmed = text.trim();
  const root = trimmed.startsWith('{') ? parseJson(trimmed) : new HclParser(text).parseDocument();
  return stanzasOf(root.path);
}

type HclValue = string | number | boolean | null | HclValue[] | HclObject;
interface HclObject {
  [key: string]: HclValue;
}

function isObject(value: unknown): value is HclObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): HclObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new VaultPolicySyntaxError(`invalid JSON policy: ${(e as Error).message}`);
  }
  if (!isObject(value)) throw new VaultPolicySyntaxError('a JSON policy must be an object');
  return value;
}

/** The stanzas under the root `path` key: `{glob: body | body[]}`, or a list of such objects (JSON). */
function stanzasOf(paths: HclValue | undefined): VaultPolicyStanza[] {
  if (paths === undefined) return [];
  const maps = Array.isArray(paths) ? paths : [paths];
  const stanzas: VaultPolicyStanza[] = [];
  for (const map of maps) {
    if (!isObject(map)) throw new VaultPolicySyntaxError('a path stanza must name its path');
    for (const [path, bodies] of Object.entries(map)) {
      for (const body of Array.isArray(bodies) ? bodies : [bodies]) {
        stanzas.push(stanzaOf(path, body));
      }
    }
  }
  return stanzas;
}

function stanzaOf(path: string, body: HclValue): VaultPolicyStanza {
  if (!isObject(body)) throw new VaultPolicySyntaxError(`path "${path}" must be a block`);
  const caps = body.capabilities ?? [];
  if (!Array.isArray(caps) || !caps.every((c) => typeof c === 'string')) {
    throw new VaultPolicySyntaxError(`path "${path}": capabilities must be a list of strings`);
  }
  const policy = body.policy;
  if (policy !== undefined && typeof policy !== 'string') {
    throw new VaultPolicySyntaxError(`path "${path}": policy must be a string`);
  }
  return policy === undefined
    ? { path, capabilities: caps as string[] }
    : { path, capabilities: caps as string[], policy };
}

interface Token {
  readonly kind: 'string' | 'number' | 'ident' | 'punct';
  readonly text: string;
  readonly at: number;
}

/** One lexeme: blanks and comments (skipped), a string body, a number, an identifier, or punctuation. */
const LEXEME =
  /\s+|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"((?:[^"\\\n]|\\.)*)"|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_-]*)|([{}[\]=:,])/y;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/' };

/** A recursive-descent reader of the HCL subset Vault policies use. */
class HclParser {
  private readonly tokens: Token[];
  private next = 0;

  constructor(private readonly text: string) {
    this.tokens = this.tokenize();
  }

  public parseDocument(): HclObject {
    return this.parseBody(false);
  }

  private fail(message: string, at: number): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new VaultPolicySyntaxError(`${message} at line ${line}, column ${column}`);
  }

  private tokenize(): Token[] {
    const text = this.text;
    const tokens: Token[] = [];
    LEXEME.lastIndex = 0;
    while (LEXEME.lastIndex < text.length) {
      const at = LEXEME.lastIndex;
      const m = LEXEME.exec(text);
      if (!m) {
        if (text[at] === '"') this.fail('unterminated string', at);
        if (text.startsWith('/*', at)) this.fail('unterminated comment', at);
        this.fail(`unexpected character '${text[at]}'`, at);
      }
      if (m[1] !== undefined) tokens.push({ kind: 'string', text: this.unescape(m[1], at), at });
      else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2], at });
      else if (m[3] !== undefined) tokens.push({ kind: 'ident', text: m[3], at });
      else if (m[4] !== undefined) tokens.push({ kind: 'punct', text: m[4], at });
    }
    return tokens;
  }

  /** The value of a quoted string's body (`at`: where its quote is). */
  private unescape(body: string, at: number): string {
    if (!body.includes('\\')) return body;
    return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (whole, esc: string, offset: number) => {
      if (esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
      if (!(esc in ESCAPES)) this.fail(`unknown escape ${whole}`, at + 1 + offset);
      return ESCAPES[esc];
    });
  }

  private peek(): Token | undefined {
    return this.tokens[this.next];
  }

  private take(): Token {
    const token = this.tokens[this.next++];
    if (!token) this.fail('unexpected end of policy', this.text.length);
    return token;
  }

  private isPunct(token: Token | undefined, text: string): boolean {
    return token?.kind === 'punct' && token.text === text;
  }

  /** Attributes (`key = value`) and blocks (`key "label" { ... }`) up to `}` or the end of the text. */
  private parseBody(inBraces: boolean): HclObject {
    const body: HclObject = {};
    for (;;) {
      const token = this.peek();
      if (token === undefined) {
        if (inBraces) this.fail("expected '}'", this.text.length);
        return body;
      }
      if (inBraces && this.isPunct(token, '}')) {
        this.next++;
        return body;
      }
      const key = this.take();
      if (key.kind !== 'ident' && key.kind !== 'string') this.fail(`unexpected '${key.text}'`, key.at);
      if (this.isPunct(this.peek(), '=') || this.isPunct(this.peek(), ':')) {
        this.next++;
        body[key.text] = this.parseValue();
      } else {
        const labels: Token[] = [];
        while (this.peek()?.kind === 'string') labels.push(this.take());
        const open = this.take();
        if (!this.isPunct(open, '{')) this.fail(`expected '{' or '=' after '${key.text}'`, open.at);
        if (labels.length > 1) this.fail(`block '${key.text}' has more than one label`, labels[1].at);
        this.addBlock(body, key, labels[0]?.text, this.parseBody(true));
      }
      if (this.isPunct(this.peek(), ',')) this.next++;
    }
  }

  private addBlock(body: HclObject, key: Token, label: string | undefined, block: HclObject): void {
    const existing = body[key.text];
    if (label === undefined) {
      if (existing !== undefined && !Array.isArray(existing)) this.fail(`'${key.text}' is defined twice`, key.at);
      body[key.text] = [...((existing as HclValue[] | undefined) ?? []), block];
      return;
    }
    if (existing !== undefined && !isObject(existing)) this.fail(`'${key.text}' is defined twice`, key.at);
    const byLabel = (existing as HclObject | undefined) ?? {};
    const list = byLabel[label];
    byLabel[label] = [...((list as HclValue[] | undefined) ?? []), block];
    body[key.text] = byLabel;
  }

  private parseValue(): HclValue {
    const token = this.take();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'ident') {
      if (token.text === 'true') return true;
      if (token.text === 'false') return false;
      if (token.text === 'null') return null;
      this.fail(`unexpected '${token.text}' (Vault policies hold literals only)`, token.at);
    }
    if (this.isPunct(token, '[')) {
      const items: HclValue[] = [];
      while (!this.isPunct(this.peek(), ']')) {
        items.push(this.parseValue());
        if (this.isPunct(this.peek(), ',')) this.next++;
      }
      this.next++;
      return items;
    }
    if (this.isPunct(token, '{')) return this.parseBody(true);
    return this.fail(`unexpected '${token.text}'`, token.at);
  }
}
