'use strict';

/**
 * `node test/run.js`: runs every test/*.test.js with Node's built-in runner (what `./mvnw verify`
 * calls, see pom.xml). Node 22+ has a global WebSocket; Node 20.10+ has it behind
 * --experimental-websocket, which is added when needed. No npm dependency either way.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  console.error('hearth-miniprogram-sdk tests need Node 20 or newer (fetch, WebSocket, node --test); this is ' + process.version);
  process.exit(1);
}
const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(__dirname, f));
const flags = typeof WebSocket === 'undefined' ? ['--experimental-websocket'] : [];
const run = spawnSync(process.execPath, flags.concat(['--test', '--test-reporter=spec'], files), { stdio: 'inherit' });
process.exit(run.status === null ? 1 : run.status);
