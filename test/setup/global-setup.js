// Every temporary folder of a test run (cdktf's Testing.app() makes one per app and never removes it)
// goes under one folder of the run, removed by global-teardown.js: a run leaves nothing in the temp folder.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async function globalSetup() {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-access-test-run-'));
  process.env.MCP_ACCESS_TEST_RUN_DIR = runDir;
  // Workers start after this and inherit it; os.tmpdir() reads TMPDIR at each call.
  process.env.TMPDIR = runDir;
};
