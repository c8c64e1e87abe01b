'use strict';
// Entry point `cdktf-mcp-access/aws`: see lib/aws.ts.
module.exports = require('./dist/aws');
