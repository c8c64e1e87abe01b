// Removes the run's temporary folder (see global-setup.js).
'use strict';
const fs = require('fs');

module.exports = async function globalTeardown() {
  const runDir = process.env.MCP_ACCESS_TEST_RUN_DIR;
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
};
