// Loads the built package in a fresh process and prints the time and peak RSS it took.
'use strict';
const started = process.hrtime.bigint();
require('../dist');
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ loadMs, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
