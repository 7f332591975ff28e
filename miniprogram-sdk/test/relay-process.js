'use strict';

/**
 * Starts the real relay for the tests: `hearth-relay.jar` as a child JVM with the environment given
 * (HEARTH_RELAY_* keys, docs/relay.md), on a free port; resolves with its https address once it
 * logged its listening line. Its log goes to `target/relay-<n>.log`.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const LISTENING = /relay listening \[url: (https?:\/\/[^\]\s]+)\]/;

function relayJar() {
  const jar = path.resolve(process.env.HEARTH_RELAY_JAR || path.join(__dirname, '..', '..', 'relay', 'target', 'hearth-relay.jar'));
  if (!fs.existsSync(jar)) {
    throw new Error(jar + ' is missing: build it with ./mvnw -pl relay -am package -DskipTests');
  }
  return jar;
}

async function startRelay(relayEnv, timeoutMs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-sdk-relay-'));
  const logDir = path.join(__dirname, '..', 'target');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'relay-' + process.pid + '.log');
  const log = fs.createWriteStream(logFile);
  const env = Object.assign({}, process.env, { HEARTH_RELAY_HTTP_HOST: '127.0.0.1', HEARTH_RELAY_HTTP_PORT: '0',
    HEARTH_RELAY_DATA_DIR: path.join(dir, 'data') }, relayEnv);
  const java = process.env.HEARTH_JAVA || 'java';
  const child = spawn(java, ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', relayJar()],
    { cwd: dir, env: env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code === null ? signal : code)));
  let text = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('relay not listening within ' + timeoutMs + ' ms; log: ' + logFile)), timeoutMs);
    const onData = (chunk) => {
      log.write(chunk);
      text += chunk.toString();
      const m = LISTENING.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => { clearTimeout(timer); reject(new Error('relay exited (' + code + ') before listening; log: ' + logFile)); });
  });
  return {
    url: url,
    logFile: logFile,
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
      await exited;
      clearTimeout(killer);
      log.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startRelay };
