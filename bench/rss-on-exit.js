// Preloaded into the quickstart app (`node --require`): reports its peak RSS on stderr at exit.
'use strict';
process.on('exit', () => process.stderr.write(`\nBENCH_PEAK_RSS_MB=${process.resourceUsage().maxRSS / 1024}\n`));
