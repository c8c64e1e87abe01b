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

/** The secrets engines a tenant's policies may reach: KV version 2 and transit. */
export type TenantEngine = 'kv-v2' | 'transit';

/** One entry of the tenant policy allow-list: a path under a tenant mount and what may be granted on it. */
export interface TenantGrant {
  readonly engine: TenantEngine;
  /** The path after the mount, in words: `<any>` is any rest (wildcards included), `<key>` one key name or `+`. */
  readonly pattern: string;
  /** Matches the path after `<mount>/`. */
  readonly match: RegExp;
  /** What may be granted (`deny` is always allowed: it only takes away). */
  readonly capabilities: readonly VaultCapability[];
}

/** A transit key name (one segment), or `+` (any one segment, which cannot reach `<key>/config`). */
const KEY_SEGMENT = '(?:[A-Za-z0-9._-]+|\\+)';

/**
 * What a tenant's policies may grant, and nothing else: the shapes of the library's own policies
 * (lib/secrets/tenant-policies.ts). Left out on purpose: KV `destroy`, `delete`, `undelete` and
 * `delete` on metadata (a destroyed version is gone, a deleted key's history too), transit
 * `keys/<key>/config` (it can make a key deletable or exportable), `export`, `backup`, `restore`,
 * `datakey` (plaintext key material), `create` on `encrypt` (it creates keys), and every other path.
 */
export const TENANT_POLICY_ALLOW_LIST: readonly TenantGrant[] = [
  { engine: 'kv-v2', pattern: 'data/<any>', match: /^data\/.+$/, capabilities: ['read', 'create', 'update', 'patch'] },
  { engine: 'kv-v2', pattern: 'metadata', match: /^metadata$/, capabilities: ['list'] },
  { engine: 'kv-v2', pattern: 'metadata/<any>', match: /^metadata\/.+$/, capabilities: ['read', 'list'] },
  { engine: 'transit', pattern: 'encrypt/<any>', match: /^encrypt\/.+$/, capabilities: ['update'] },
  { engine: 'transit', pattern: 'decrypt/<any>', match: /^decrypt\/.+$/, capabilities: ['update'] },
  { engine: 'transit', pattern: 'rewrap/<any>', match: /^rewrap\/.+$/, capabilities: ['update'] },
  { engine: 'transit', pattern: 'keys/<key>', match: new RegExp(`^keys/${KEY_SEGMENT}$`), capabilities: ['read'] },
  {
    engine: 'transit',
    pattern: 'keys/<key>/rotate',
    match: new RegExp(`^keys/${KEY_SEGMENT}/rotate$`),
    capabilities: ['update'],
  },
];

/** Every capability Vault knows. */
export const VAULT_CAPABILITIES: readonly string[] = [
  'create',
  'read',
  'update',
  'patch',
  'delete',
  'list',
  'sudo',
  'deny',
  'subscribe',
  'recover',
];

/** What the deprecated `policy = "<word>"` form grants. */
const DEPRECATED_POLICY_WORDS: Readonly<Record<string, readonly string[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/** The capabilities a stanza grants, the deprecated `policy` form included. */
export function stanzaCapabilities(stanza: VaultPolicyStanza): string[] {
  const fromWord = stanza.policy === undefined ? [] : (DEPRECATED_POLICY_WORDS[stanza.policy] ?? [stanza.policy]);
  return [...new Set([...stanza.capabilities, ...fromWord])];
}

/**
 * Why a stanza's capabilities on a path under a tenant mount of `engine` (`rest`: the path after
 * `<mount>/`) are not on the allow-list; undefined when they are.
 */
export function tenantGrantProblem(
  engine: TenantEngine,
  rest: string,
  capabilities: readonly string[],
): string | undefined {
  const grant = TENANT_POLICY_ALLOW_LIST.find((g) => g.engine === engine && g.match.test(rest));
  if (!grant) {
    const allowed = TENANT_POLICY_ALLOW_LIST.filter((g) => g.engine === engine).map((g) => g.pattern);
    return `'${rest}' is not a ${engine} path a tenant policy may name (only ${allowed.join(', ')})`;
  }
  const extra = capabilities.filter((c) => c !== 'deny' && !grant.capabilities.includes(c as VaultCapability));
  if (extra.length === 0) return undefined;
  return `grants ${extra.join(', ')} on ${engine} ${grant.pattern} (only ${grant.capabilities.join(', ')})`;
}
