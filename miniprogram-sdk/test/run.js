'use strict';

/**
 * `node test/run.js`: runs every test/*.test.js with Node's built-in runner (what `./mvnw verify`
 * calls, see pom.xml). Node 22+ has a global WebSocket; Node 20.10+ has it behind
 * --experimental-websocket, which is added when needed. No npm dependency either way.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

/**
 * The real relay's certificate for relay-e2e.test.js: a PKCS12 key store made with the JDK's keytool
 * (the relay's `tls.keyStore`, as in production), its certificate as PEM for the hub's
 * `relay.trustCertificate`, and NODE_EXTRA_CA_CERTS for the test processes (Node reads it only at
 * start, so it is set here, before they start).
 */
function relayTls() {
  const dir = path.join(__dirname, '..', 'target', 'relay-tls');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const keyStore = path.join(dir, 'relay.p12');
  const cert = path.join(dir, 'relay.pem');
  const password = 'sdk-test-' + process.pid;
  const keytool = process.env.HEARTH_KEYTOOL || 'keytool';
  const gen = spawnSync(keytool, ['-genkeypair', '-alias', 'relay', '-keyalg', 'EC', '-groupname', 'secp256r1',
    '-dname', 'CN=127.0.0.1', '-ext', 'SAN=ip:127.0.0.1,dns:localhost', '-validity', '2', '-keystore', keyStore,
    '-storetype', 'PKCS12', '-storepass', password, '-keypass', password], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exp = gen.status === 0 && spawnSync(keytool, ['-exportcert', '-rfc', '-alias', 'relay', '-keystore', keyStore,
    '-storetype', 'PKCS12', '-storepass', password, '-file', cert], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!exp || exp.status !== 0) {
    console.error('keytool could not make the relay test certificate (set HEARTH_KEYTOOL to the JDK\'s keytool)');
    process.exit(1);
  }
  return { NODE_EXTRA_CA_CERTS: cert, HEARTH_SDK_RELAY_KEY_STORE: keyStore, HEARTH_SDK_RELAY_CERT: cert,
    HEARTH_SDK_RELAY_KEY_STORE_PASSWORD: password };
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  console.error('hearth-miniprogram-sdk tests need Node 20 or newer (fetch, WebSocket, node --test); this is ' + process.version);
  process.exit(1);
}
const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(__dirname, f));
const flags = typeof WebSocket === 'undefined' ? ['--experimental-websocket'] : [];
const env = Object.assign({}, process.env, relayTls());
const run = spawnSync(process.execPath, flags.concat(['--test', '--test-reporter=spec'], files), { stdio: 'inherit', env: env });
process.exit(run.status === null ? 1 : run.status);
