// Brokers for the transport contract suite, shared by every transport's test files (sdk-core, sdk-web).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { getFreePort, startMosquitto } from '@kefu/tools';
import type { ContractBroker } from './transport-contract.js';

export const CONTRACT_USER = 'contract-user';
export const CONTRACT_PASS = 'contract-pass';

/**
 * Debian's Mosquitto with a password file. The returned function starts it, on the same ports each time
 * (the "broker goes away" test restarts it).
 */
export function passwordMosquitto(): () => Promise<ContractBroker> {
  const passwordFile = join(mkdtempSync(join(tmpdir(), 'kefu-contract-')), 'passwd');
  execFileSync('/usr/bin/mosquitto_passwd', ['-c', '-b', passwordFile, CONTRACT_USER, CONTRACT_PASS]);
  let ports: { tcpPort: number; wsPort: number } | undefined;
  return async () => {
    ports ??= { tcpPort: await getFreePort(), wsPort: await getFreePort() };
    const broker = await startMosquitto({
      ...ports,
      extraConfig: ['allow_anonymous false', `password_file ${passwordFile}`],
    });
    return { url: broker.wsUrl, username: CONTRACT_USER, password: CONTRACT_PASS, stop: () => broker.stop() };
  };
}

/** Serves an Aedes instance over WebSocket at /mqtt on a free loopback port. */
export async function serveAedesOverWebSocket(
  aedes: Aedes,
): Promise<{ url: string; wss: WebSocketServer; stop: () => Promise<void> }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/mqtt' });
  wss.on('connection', (ws, req) => {
    aedes.handle(createWebSocketStream(ws), req);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${String((http.address() as AddressInfo).port)}/mqtt`,
    wss,
    stop: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve();
        });
      });
      await new Promise<void>((resolve) =>
        http.close(() => {
          resolve();
        }),
      );
      await new Promise<void>((resolve) => {
        aedes.close(() => {
          resolve();
        });
      });
    },
  };
}

/** A bare Aedes over WebSocket with username/password authentication (the server adds JWT on top). */
export async function passwordAedes(): Promise<ContractBroker> {
  const aedes = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      const ok = username === CONTRACT_USER && password?.toString() === CONTRACT_PASS;
      done(ok ? null : Object.assign(new Error('bad credentials'), { returnCode: 4 }), ok);
    },
  });
  const served = await serveAedesOverWebSocket(aedes);
  return { url: served.url, username: CONTRACT_USER, password: CONTRACT_PASS, stop: served.stop };
}
