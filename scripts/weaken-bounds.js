// `npm run mutation:bounds`: weakens each security bound of lib/core, one at a time, and runs the
// tests of its layer, which must fail. StrykerJS (npm run mutation) has no mutator for numeric
// literals and skips constants evaluated at load (ignoreStatic), so a bound such as 15 -> 30 minutes is
// exactly what it cannot try; this script tries those, the way a reviewer would (issue 19). Each
// file is restored after its run, also on Ctrl-C; the script refuses to start on a tree whose lib/
// has uncommitted changes, so that a restore can never lose work. Exit 1 when a weakening passes.
'use strict';
const { spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');

/** [file, exact text, weakened text, the jest folders that must catch it]. */
const WEAKENINGS = [
  [
    'lib/core/defaults.ts',
    'TOKEN_TTL_MINUTES = 15;',
    'TOKEN_TTL_MINUTES = 30;',
    ['test/checks/rules/identity', 'test/identity'],
  ],
  [
    'lib/core/defaults.ts',
    'ACCESS_SESSION_MINUTES = 15;',
    'ACCESS_SESSION_MINUTES = 30;',
    ['test/checks/rules/transport', 'test/transport'],
  ],
  [
    'lib/core/defaults.ts',
    "ADMIN_REAUTH_ISO = 'PT15M';",
    "ADMIN_REAUTH_ISO = 'PT30M';",
    ['test/checks/rules/identity', 'test/identity'],
  ],
  [
    'lib/core/defaults.ts',
    'ADMIN_REAUTH_MINUTES = 15;',
    'ADMIN_REAUTH_MINUTES = 30;',
    ['test/checks/rules/identity', 'test/identity'],
  ],
  [
    'lib/core/defaults.ts',
    'KEY_ROTATION_DAYS = 30;',
    'KEY_ROTATION_DAYS = 60;',
    ['test/checks/rules/secrets', 'test/secrets'],
  ],
  [
    'lib/core/defaults.ts',
    'VAULT_TOKEN_TTL_SECONDS = 900;',
    'VAULT_TOKEN_TTL_SECONDS = 1800;',
    ['test/checks/rules/secrets', 'test/secrets'],
  ],
  [
    'lib/core/defaults.ts',
    'VAULT_TOKEN_MAX_TTL_SECONDS = 3600;',
    'VAULT_TOKEN_MAX_TTL_SECONDS = 7200;',
    ['test/checks/rules/secrets', 'test/secrets'],
  ],
  [
    'lib/core/defaults.ts',
    'AUDIT_RETENTION_DAYS_MIN = 30;',
    'AUDIT_RETENTION_DAYS_MIN = 7;',
    ['test/checks/rules/audit', 'test/audit'],
  ],
  [
    'lib/core/defaults.ts',
    "BIND_ADDRESS = '127.0.0.1';",
    "BIND_ADDRESS = '0.0.0.0';",
    ['test/checks/rules/ports', 'test/ports'],
  ],
  ['lib/core/defaults.ts', 'accessApplications: 500,', 'accessApplications: 1000,', ['test/checks/rules/limits']],
  [
    'lib/core/identity-defaults.ts',
    'REFRESH_TOKEN_LIFETIME_MINUTES_MAX = 1440;',
    'REFRESH_TOKEN_LIFETIME_MINUTES_MAX = 2880;',
    ['test/checks/rules/identity', 'test/identity'],
  ],
  [
    'lib/core/identity-defaults.ts',
    'REFRESH_TOKEN_WINDOW_MINUTES_MAX = 480;',
    'REFRESH_TOKEN_WINDOW_MINUTES_MAX = 960;',
    ['test/checks/rules/identity', 'test/identity'],
  ],
  [
    'lib/core/identity-defaults.ts',
    'RSA_MIN_BITS = 2048;',
    'RSA_MIN_BITS = 1024;',
    ['test/checks/rules/identity', 'test/identity'],
  ],
  [
    'lib/core/audit-defaults.ts',
    'WRITER_ROTATION_DAYS_MAX = 90;',
    'WRITER_ROTATION_DAYS_MAX = 180;',
    ['test/checks/rules/audit', 'test/audit'],
  ],
  [
    'lib/core/audit-defaults.ts',
    'WRITER_EXPIRY_MARGIN_DAYS_MAX = 30;',
    'WRITER_EXPIRY_MARGIN_DAYS_MAX = 60;',
    ['test/checks/rules/audit', 'test/audit'],
  ],
  [
    'lib/core/audit-defaults.ts',
    'DELIVERY_ALERT_AFTER_SECONDS = 300;',
    'DELIVERY_ALERT_AFTER_SECONDS = 3600;',
    ['test/checks/rules/audit', 'test/audit'],
  ],
  ['lib/core/secrets-defaults.ts', 'KV_MAX_VERSIONS_MAX = 100;', 'KV_MAX_VERSIONS_MAX = 1000;', ['test/secrets']],
  [
    'lib/core/secrets-defaults.ts',
    'JWT_LEEWAY_SECONDS_MAX = 150;',
    'JWT_LEEWAY_SECONDS_MAX = 600;',
    ['test/checks/rules/secrets', 'test/secrets'],
  ],
  [
    'lib/core/ports-defaults.ts',
    'VAULT_SA_TOKEN_EXPIRATION_SECONDS = 600;',
    'VAULT_SA_TOKEN_EXPIRATION_SECONDS = 3600;',
    ['test/ports', 'test/checks/rules/ports'],
  ],
];

const dirty = execFileSync('git', ['status', '--porcelain', '--', 'lib'], { cwd: ROOT, encoding: 'utf8' });
if (dirty.trim() !== '') {
  console.error(
    'weaken-bounds: lib/ has uncommitted changes; commit or stash them first (each file is rewritten and restored).',
  );
  process.exit(2);
}

let restore;
const onSignal = () => {
  if (restore) restore();
  process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'weaken-bounds-'));
const rows = [];
try {
  for (const [file, from, to, folders] of WEAKENINGS) {
    const full = path.join(ROOT, file);
    const original = fs.readFileSync(full, 'utf8');
    if (original.split(from).length !== 2) throw new Error(`${file}: '${from}' must occur exactly once`);
    restore = () => fs.writeFileSync(full, original);
    fs.writeFileSync(full, original.replace(from, to));
    const started = Date.now();
    const report = path.join(out, 'report.json');
    try {
      spawnSync(
        process.execPath,
        [require.resolve('jest/bin/jest'), '--silent', '--json', `--outputFile=${report}`, ...folders],
        { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1' }, stdio: 'ignore' },
      );
    } finally {
      restore();
      restore = undefined;
    }
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    rows.push({
      file,
      from,
      to,
      failed: r.numFailedTests,
      ran: r.numTotalTests,
      seconds: (Date.now() - started) / 1000,
    });
    console.log(
      `${r.numFailedTests > 0 ? 'caught ' : 'PASSED '} ${from.padEnd(44)} -> ${to.padEnd(46)} ${r.numFailedTests} of ${r.numTotalTests} tests fail`,
    );
  }
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
const passed = rows.filter((r) => r.failed === 0);
console.log(`\n${rows.length} weakenings, ${rows.length - passed.length} caught, ${passed.length} passed the tests`);
process.exitCode = passed.length > 0 ? 1 : 0;
