export { getFreePort } from './ports.js';
export { spawnUntilReady, type ManagedProcess, type SpawnUntilOptions } from './process.js';
export {
  ensureFerretDbBinary,
  startFerretDb,
  launcherDir,
  type FerretDbInstance,
  type FerretDbOptions,
} from './ferretdb.js';
export { startMosquitto, MOSQUITTO_BIN, type MosquittoInstance, type MosquittoOptions } from './mosquitto.js';
export { launchChromium, CHROMIUM_BIN, CHROMIUM_ARGS } from './chromium.js';
