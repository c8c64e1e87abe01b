// `node -r cdktf-mcp-access/preload app.js`: the explicit opt-in that defers parts of cdktf 0.21.0
// it does not need at load and writes stacks with a faster stable stringify (same bytes). It acts only
// when loaded before cdktf; see docs/architecture.md, "Importing changes nothing".
'use strict';
require('./dist/fast-synth/preload');
