/**
 * Tamper suite, audit layer: hand edits of the examples' synthesized JSON, as a reviewer would make
 * them in `cdk.tf.json`, each refused by a named MCP-AUD rule.
 */
import { blocks, type JsonObject, nested } from '../../../lib/model/json';
import { check, editableStacks, errors, first, refusingRules, resources, type Tamper } from './harness';

const DEPLOYMENT = 'kubernetes_deployment_v1';
const CONFIG_MAP = 'kubernetes_config_map_v1';
const TOKEN = 'cloudflare_account_token';
const LOCK = 'cloudflare_r2_bucket_lock';

/** The containers of the first Deployment whose name starts with `prefix`. */
function containers(json: JsonObject, prefix: string): JsonObject[] {
  const spec = nested(first(json, DEPLOYMENT, prefix), 'spec', 'template', 'spec');
  if (!spec) throw new Error(`no pod spec in ${prefix}*`);
  return spec.container as JsonObject[];
}

/** Rewrites the shipper config of the first config map whose name starts with `prefix`. */
function editConfig(json: JsonObject, prefix: string, edit: (config: JsonObject) => void): void {
  const data = first(json, CONFIG_MAP, prefix).data as Record<string, string>;
  const config = JSON.parse(data['fluent-bit.yaml']) as JsonObject;
  edit(config);
  data['fluent-bit.yaml'] = JSON.stringify(config, null, 2);
}

const outputs = (config: JsonObject) => (config.pipeline as JsonObject).outputs as JsonObject[];
const filters = (config: JsonObject) => (config.pipeline as JsonObject).filters as JsonObject[];
const bucketOutput = (config: JsonObject) => outputs(config).find((o) => o.alias === 'audit_bucket')!;

/** The name of the R2 bucket resource whose name is `bucketName`. */
function bucketAddress(json: JsonObject, bucketName: string): string {
  const found = Object.entries(resources(json, 'cloudflare_r2_bucket')).find(([, b]) => b.name === bucketName);
  if (!found) throw new Error(`no bucket ${bucketName}`);
  return found[0];
}

/** The lock rule of a bucket's lock. */
function lockRule(json: JsonObject, bucketName: string): JsonObject {
  const address = bucketAddress(json, bucketName);
  const lock = Object.values(resources(json, LOCK)).find((l) => String(l.bucket_name).includes(`.${address}.`));
  if (!lock) throw new Error(`no lock on ${bucketName}`);
  return (lock.rules as JsonObject[])[0];
}

/** The stacks of a fleet that hold an account's Logpush job (its foundations), by name. */
function foundations(stacks: Record<string, JsonObject>): [string, JsonObject][] {
  const holders = Object.entries(stacks).filter(
    ([, json]) => Object.keys(resources(json, 'cloudflare_logpush_job')).length > 0,
  );
  if (holders.length === 0) throw new Error('no stack of the fleet holds the Logpush job');
  return holders;
}

/** One tamper row and a piece of text the refusing finding must carry (the value found). */
type Row = Tamper & { readonly names: string };

const ROWS: readonly Row[] = [
  {
    what: "acme's audit shipper container is removed from its MCP pod",
    example: 'quickstart',
    edit: (s) => {
      const list = containers(s.quickstart, 'Mcp_acme_');
      list.splice(
        list.findIndex((c) => c.name === 'audit-shipper'),
        1,
      );
    },
    refusedBy: 'MCP-AUD-5',
    names: "the pod has no 'audit-shipper' container",
  },
  {
    what: "acme's shipper is pointed at globex's bucket",
    example: 'multi-tenant',
    edit: (s) => {
      const globex = bucketAddress(s['multi-tenant'], 'mcp-audit-globex');
      editConfig(
        s['multi-tenant'],
        'Mcp_acme_',
        (c) => (bucketOutput(c).bucket = `\${cloudflare_r2_bucket.${globex}.name}`),
      );
    },
    refusedBy: 'MCP-AUD-5',
    names: "writes to bucket 'mcp-audit-globex', not the tenant's own mcp-audit-acme",
  },
  {
    what: "a grep filter that drops denied calls is added to acme's shipper",
    example: 'quickstart',
    edit: (s) =>
      editConfig(s.quickstart, 'Mcp_acme_', (c) =>
        filters(c).push({ name: 'grep', alias: 'quiet', match: 'audit.*', exclude: 'outcome denied' }),
      ),
    refusedBy: 'MCP-AUD-5',
    names: "filter grep 'quiet' sees the audit records",
  },
  {
    what: "acme's lock is shortened to 29 days",
    example: 'quickstart',
    edit: (s) => ((lockRule(s.quickstart, 'mcp-audit-acme').condition as JsonObject).max_age_seconds = 29 * 86400),
    refusedBy: 'MCP-AUD-1',
    names: 'locks records for 2505600 s (29 days), less than the configured 365 days (31536000 s)',
  },
  {
    what: "globex's lock is shortened to one day less than the configured 400 days",
    example: 'multi-tenant',
    edit: (s) =>
      ((lockRule(s['multi-tenant'], 'mcp-audit-globex').condition as JsonObject).max_age_seconds = 399 * 86400),
    refusedBy: 'MCP-AUD-1',
    names: 'locks records for 34473600 s (399 days), less than the configured 400 days (34560000 s)',
  },
  {
    what: "prevent_destroy is removed from acme's audit bucket",
    example: 'quickstart',
    edit: (s) => delete first(s.quickstart, 'cloudflare_r2_bucket', 'Mcp_acme_').lifecycle,
    refusedBy: 'MCP-AUD-2',
    names: 'the audit bucket has lifecycle.prevent_destroy null',
  },
  {
    what: "acme's writer token is widened to the whole account",
    example: 'quickstart',
    edit: (s) => {
      const policy = (first(s.quickstart, TOKEN, 'Mcp_acme_').policies as JsonObject[])[0];
      policy.resources = JSON.stringify({ 'com.cloudflare.api.account.0123456789abcdef0123456789abcdef': '*' });
    },
    refusedBy: 'MCP-AUD-7',
    names: 'is scoped to ["com.cloudflare.api.account.0123456789abcdef0123456789abcdef"], not exactly one R2 bucket',
  },
  {
    what: "initech's writer token loses its expiry",
    example: 'multi-tenant',
    edit: (s) => delete first(s['multi-tenant'], TOKEN, 'Mcp_initech_').expires_on,
    refusedBy: 'MCP-AUD-7',
    names: 'it has no expires_on',
  },
  {
    what: 'the Access requests Logpush job is disabled',
    example: 'quickstart',
    edit: (s) => (first(s.quickstart, 'cloudflare_logpush_job').enabled = false),
    refusedBy: 'MCP-AUD-3',
    names: 'enabled is false (Logpush jobs default to disabled)',
  },
  {
    what: "the retry limit is removed from acme's bucket output",
    example: 'quickstart',
    edit: (s) => editConfig(s.quickstart, 'Mcp_acme_', (c) => delete bucketOutput(c).retry_limit),
    refusedBy: 'MCP-AUD-6',
    names: "output s3 'audit_bucket' retry_limit is null",
  },
  {
    what: "globex's bucket output is set to retry_limit no_limits (5 attempts for the s3 output)",
    example: 'multi-tenant',
    edit: (s) => editConfig(s['multi-tenant'], 'Mcp_globex_', (c) => (bucketOutput(c).retry_limit = 'no_limits')),
    refusedBy: 'MCP-AUD-6',
    names: 'retry_limit is "no_limits" (at least 1000000; no_limits means 5 for s3)',
  },
  {
    what: "acme's delivery watchdog is removed",
    example: 'quickstart',
    edit: (s) =>
      editConfig(s.quickstart, 'Mcp_acme_', (c) => {
        const list = filters(c);
        list.splice(
          list.findIndex((f) => f.alias === 'delivery_watchdog'),
          1,
        );
      }),
    refusedBy: 'MCP-AUD-6',
    names: 'no mcp_delivery_watchdog filter raises delivery alerts',
  },
  {
    what: "acme's health endpoint listens on every address",
    example: 'quickstart',
    edit: (s) => editConfig(s.quickstart, 'Mcp_acme_', (c) => ((c.service as JsonObject).http_listen = '0.0.0.0')),
    refusedBy: 'MCP-AUD-6',
    names: 'service http_listen is "0.0.0.0", not loopback',
  },
  {
    what: "the foundations' Logpush jobs are disabled: the cell stacks are refused, through their references to them",
    example: 'fleet',
    edit: (s) => {
      for (const [, json] of foundations(s)) first(json, 'cloudflare_logpush_job').enabled = false;
    },
    refusedBy: 'MCP-AUD-3',
    names: 'of stack foundation',
  },
  {
    what: "a cell's shipper is pointed at a bucket the fleet does not declare",
    example: 'fleet',
    edit: (s) => {
      const [, cell] = Object.entries(s).find(([, json]) => Object.keys(resources(json, CONFIG_MAP)).length > 0)!;
      const data = Object.values(resources(cell, CONFIG_MAP))[0].data as Record<string, string>;
      const config = JSON.parse(data['fluent-bit.yaml']) as JsonObject;
      bucketOutput(config).bucket = 'exfiltration-bucket';
      data['fluent-bit.yaml'] = JSON.stringify(config);
    },
    refusedBy: 'MCP-AUD-5',
    names: "writes to bucket 'exfiltration-bucket'",
  },
];

/** Findings of the audit rules, at a level. */
const auditFindings = (reports: ReturnType<typeof check>, level: string) =>
  reports.flatMap((r) =>
    r.findings
      .filter((f) => f.ruleId.startsWith('MCP-AUD-') && f.level === level)
      .map((f) => `[${r.stack}] ${f.ruleId} ${f.address}`),
  );

describe('tamper: audit (MCP-AUD-*)', () => {
  test.each(['quickstart', 'multi-tenant', 'fleet'] as const)(
    'the unedited %s example has no error finding of an audit rule',
    (example) => {
      const reports = check(editableStacks(example));
      expect(reports.length).toBeGreaterThan(0);
      const applied = new Set(reports.flatMap((r) => r.applied));
      for (const id of ['MCP-AUD-1', 'MCP-AUD-2', 'MCP-AUD-3', 'MCP-AUD-5', 'MCP-AUD-6', 'MCP-AUD-7']) {
        expect(applied).toContain(id);
      }
      expect(errors(reports).filter((e) => / MCP-AUD-\d+ /.test(e))).toEqual([]);
    },
  );

  test("the fleet's cell stacks are judged with the foundation's Logpush job: MCP-AUD-3 applies to each, none undecided", () => {
    const stacks = editableStacks('fleet');
    const reports = check(stacks);
    const names = foundations(stacks).map(([name]) => name);
    const cells = reports.filter((r) => !names.includes(r.stack) && r.applied.includes('MCP-AUD-5'));
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell.applied).toContain('MCP-AUD-3');
    expect(auditFindings(reports, 'error')).toEqual([]);
  });

  test('disabling the foundation job refuses the cell stacks themselves, naming the foundation', () => {
    const stacks = editableStacks('fleet');
    const held = foundations(stacks);
    const [foundation, json] = held[0];
    first(json, 'cloudflare_logpush_job').enabled = false;
    const refused = errors(check(stacks)).filter((e) => e.includes(' MCP-AUD-3 error '));
    const inCells = refused.filter((e) => !held.some(([name]) => e.startsWith(`[${name}]`)));
    expect(inCells.length).toBeGreaterThan(0);
    for (const e of inCells) expect(e).toContain(`of stack ${foundation}: enabled is false`);
    // The foundation refuses its own job as well; the other foundations stay clean.
    expect(refused.some((e) => e.startsWith(`[${foundation}]`))).toBe(true);
  });

  test('the table holds at least 8 rows, each error rule of the layer with an R2 shape refuses one, two in the fleet', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(ROWS.map((r) => r.refusedBy))).toEqual(
      new Set(['MCP-AUD-1', 'MCP-AUD-2', 'MCP-AUD-3', 'MCP-AUD-5', 'MCP-AUD-6', 'MCP-AUD-7']),
    );
    expect(ROWS.filter((r) => r.example === 'fleet').length).toBeGreaterThanOrEqual(2);
  });

  test.each(ROWS.map((r) => [r.what, r] as const))('%s: refused', (_what, row) => {
    const stacks = editableStacks(row.example);
    row.edit(stacks);
    const reports = check(stacks);
    expect(refusingRules(reports)).toContain(row.refusedBy);
    const found = errors(reports).filter((e) => e.includes(` ${row.refusedBy} error `));
    expect(found.some((e) => e.includes(row.names))).toBe(true);
  });

  test('blocks() reads the containers the table edits', () => {
    expect(blocks(containers(editableStacks('quickstart').quickstart, 'Mcp_acme_')).map((c) => c.name)).toContain(
      'audit-shipper',
    );
  });
});
