import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { getFreePort, startMosquitto } from '@kefu/tools';
import { createMqttTransport, type MqttLikeConnect } from '../src/index.js';
import { transportContract } from './transport-contract.js';

const USER = 'contract-user';
const PASS = 'contract-pass';
const dir = mkdtempSync(join(tmpdir(), 'kefu-contract-'));
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

transportContract(
  'mqtt.js on Mosquitto',
  createMqttTransport(mqtt.connect as unknown as MqttLikeConnect),
  start,
);
