'use strict';

/**
 * Starts the real gateway for the tests: `hearth-demo.jar` (the product's Main with a simulated
 * home: demo-lamp, demo-plug, … on its embedded broker) in a fresh temporary folder, on free ports,
 * as a child JVM. Resolves once it printed its ready line and its devices run; reads the pairing
 * code from `data/pairing-code`. Its log goes to `target/gateway-<n>.log`.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const READY = /Hearth ready http=(http:\/\/\S+)/;
const DEVICES = /demo devices running/;
const JVM_FLAGS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Djava.net.preferIPv4Stack=true'];

function demoJar() {
  const jar = path.resolve(process.env.HEARTH_DEMO_JAR || path.join(__dirname, '..', '..', 'demo', 'target', 'hearth-demo.jar'));
  if (!fs.existsSync(jar)) {
    throw new Error(jar + ' is missing: build it with ./mvnw -pl demo -am package -DskipTests');
  }
  return jar;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function startGateway(timeoutMs, extraEnv) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-sdk-'));
  const logDir = path.join(__dirname, '..', 'target');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'gateway-' + process.pid + '.log');
  const log = fs.createWriteStream(logFile);
  const env = Object.assign({}, process.env, {
    HEARTH_HTTP_PORT: '0', HEARTH_COAP_PORT: '0', HEARTH_MQTT_EMBEDDED_PORT: String(await freePort()),
  }, extraEnv || {});
  const java = process.env.HEARTH_JAVA || 'java';
  const child = spawn(java, JVM_FLAGS.concat(['-jar', demoJar()]), { cwd: dir, env: env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const watchers = [];
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code === null ? signal : code)));
  const ready = new Promise((resolve, reject) => {
    let baseUrl = null;
    const timer = setTimeout(() => reject(new Error('gateway not ready within ' + timeoutMs + ' ms; log: ' + logFile)), timeoutMs);
    const onData = (chunk) => {
      log.write(chunk);
      text += chunk.toString();
      watchers.slice().forEach((w) => w());
      const m = READY.exec(text);
      if (m) {
        baseUrl = m[1];
      }
      if (baseUrl && DEVICES.test(text)) {
        clearTimeout(timer);
        resolve(baseUrl);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => { clearTimeout(timer); reject(new Error('gateway exited (' + code + ') before ready; log: ' + logFile)); });
  });
  const baseUrl = await ready;
  return {
    baseUrl: baseUrl,
    dir: dir,
    logFile: logFile,
    pairingCode: fs.readFileSync(path.join(dir, 'data', 'pairing-code'), 'utf8').trim(),
    /** Resolves once the gateway's output matches `pattern` (already or later), rejects at the deadline. */
    waitForLog(pattern, ms) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) {
            clearTimeout(timer);
            watchers.splice(watchers.indexOf(check), 1);
            resolve();
          }
        };
        const timer = setTimeout(() => { watchers.splice(watchers.indexOf(check), 1); reject(new Error(pattern + ' not in the gateway log within ' + ms + ' ms; log: ' + logFile)); }, ms);
        watchers.push(check);
        check();
      });
    },
    /** The token signing key (docs/security.md#tokens): lets a test present a genuinely expired token. */
    jwtKey: () => fs.readFileSync(path.join(dir, 'data', 'jwt-hs256.key'), 'ascii').trim(),
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

module.exports = { startGateway };
