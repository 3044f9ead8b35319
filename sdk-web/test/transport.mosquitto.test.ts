import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { getFreePort, startMosquitto } from '@kefu/tools';
import { createWebSocketTransport } from '../src/transport/index.js';
import { transportContract } from '../../sdk-core/test/transport-contract.js';

const USER = 'contract-user';
const PASS = 'contract-pass';
const dir = mkdtempSync(join(tmpdir(), 'kefu-web-contract-'));
const passwordFile = join(dir, 'passwd');
execFileSync('/usr/bin/mosquitto_passwd', ['-c', '-b', passwordFile, USER, PASS]);

let ports: { tcpPort: number; wsPort: number } | undefined;

/** Debian's Mosquitto with a password file; restarted on the same ports after the "broker goes away" test. */
async function start() {
  ports ??= { tcpPort: await getFreePort(), wsPort: await getFreePort() };
  const broker = await startMosquitto({
    ...ports,
    extraConfig: ['allow_anonymous false', `password_file ${passwordFile}`],
  });
  return { url: broker.wsUrl, username: USER, password: PASS, stop: () => broker.stop() };
}

transportContract('own MQTT client on Mosquitto', createWebSocketTransport({ WebSocket }), start);
