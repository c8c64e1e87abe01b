// Removes the run's temporary folder (see global-setup.js) and gives the process its temp folder back.
'use strict';
const fs = require('fs');

module.exports = async function globalTeardown() {
  const runDir = process.env.MCP_ACCESS_TEST_RUN_DIR;
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  delete process.env.MCP_ACCESS_TEST_RUN_DIR;
  const base = process.env.MCP_ACCESS_TEST_BASE_TMPDIR;
  if (base === undefined) return;
  if (base === '') delete process.env.TMPDIR;
  else process.env.TMPDIR = base;
};
