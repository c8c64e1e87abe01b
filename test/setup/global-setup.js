// Every temporary folder of a test run (cdktf's Testing.app() makes one per app and never removes it)
// goes under one folder of the run, removed by global-teardown.js: a run leaves nothing in the temp folder.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async function globalSetup() {
  // A process that runs jest more than once (Stryker, watch mode) must not nest a run's folder in the
  // previous run's, which the teardown removed: remember the real temp folder once and restore it.
  if (process.env.MCP_ACCESS_TEST_BASE_TMPDIR === undefined) {
    process.env.MCP_ACCESS_TEST_BASE_TMPDIR = process.env.TMPDIR ?? '';
  }
  const base = process.env.MCP_ACCESS_TEST_BASE_TMPDIR || os.tmpdir();
  const runDir = fs.mkdtempSync(path.join(base, 'mcp-access-test-run-'));
  process.env.MCP_ACCESS_TEST_RUN_DIR = runDir;
  // Workers start after this and inherit it; os.tmpdir() reads TMPDIR at each call.
  process.env.TMPDIR = runDir;
};
