import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from './ports.js';
import { spawnUntilReady, type ManagedProcess } from './process.js';

export const MOSQUITTO_BIN = process.env['MOSQUITTO_BIN'] ?? '/usr/sbin/mosquitto';

export interface MosquittoOptions {
  /** Fixed ports let a test restart the broker where clients expect it; absent: free ports. */
  tcpPort?: number;
  wsPort?: number;
  /** Extra mosquitto.conf lines, appended after the listeners (e.g. authentication). */
  extraConfig?: string[];
  /** Keep sessions and queued QoS 1 messages across restarts in this directory. */
  persistenceDir?: string;
}

export interface MosquittoInstance {
  readonly tcpPort: number;
  readonly wsPort: number;
  /** mqtt://127.0.0.1:port */
  readonly url: string;
  /** ws://127.0.0.1:port/mqtt */
  readonly wsUrl: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts Debian's Mosquitto 2 with a TCP and a WebSocket listener on loopback (MQTT 3.1.1 and 5, `$share`). */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoInstance> {
  if (!existsSync(MOSQUITTO_BIN)) {
    throw new Error(`${MOSQUITTO_BIN} not found: run "npm run setup" or "apt-get install -y mosquitto"`);
  }
  // A free port can be taken by another process between asking and binding (seen in CI: "Unable to create
  // websockets listener"); with ports of our choosing, fresh ones are tried a few times.
  const attempts = options.tcpPort === undefined && options.wsPort === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

async function startOnce(options: MosquittoOptions): Promise<MosquittoInstance> {
  const tcpPort = options.tcpPort ?? (await getFreePort());
  const wsPort = options.wsPort ?? (await getFreePort());
  const dir = await mkdtemp(join(tmpdir(), 'kefu-mosquitto-'));
  const config = [
    // Started as root (as here), Mosquitto would otherwise switch to a `mosquitto` user that may lack
    // access to the temporary directory.
    'user root',
    'per_listener_settings false',
    'allow_anonymous true',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    // "running" (our readiness signal) is logged at information level.
    'log_type information',
    `listener ${String(tcpPort)} 127.0.0.1`,
    `listener ${String(wsPort)} 127.0.0.1`,
    'protocol websockets',
    ...(options.persistenceDir
      ? ['persistence true', `persistence_location ${options.persistenceDir}/`, 'autosave_interval 1']
      : ['persistence false']),
    ...(options.extraConfig ?? []),
  ];
  const configFile = join(dir, 'mosquitto.conf');
  await writeFile(configFile, config.join('\n') + '\n');
  let proc: ManagedProcess;
  try {
    ({ proc } = await spawnUntilReady(MOSQUITTO_BIN, ['-c', configFile], {
      name: 'Mosquitto',
      readyWhen: /mosquitto version \S+ running/,
    }));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    tcpPort,
    wsPort,
    url: `mqtt://127.0.0.1:${String(tcpPort)}`,
    wsUrl: `ws://127.0.0.1:${String(wsPort)}/mqtt`,
    process: proc,
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
