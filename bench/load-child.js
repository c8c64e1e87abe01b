// Loads the built package in a fresh process and prints the time and peak RSS it took. With the
// argument `preload`, the explicit load-time opt-in (`node -r cdktf-mcp-access/preload`) comes first.
'use strict';
const started = process.hrtime.bigint();
if (process.argv[2] === 'preload') require('../preload');
require('../dist');
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ loadMs, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
