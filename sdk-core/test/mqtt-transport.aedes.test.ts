import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { createMqttTransport, type MqttLikeConnect } from '../src/index.js';
import { transportContract } from './transport-contract.js';

const USER = 'contract-user';
const PASS = 'contract-pass';

/** A bare Aedes over WebSocket with username/password authentication (the server adds JWT on top). */
async function startAedes() {
  const aedes = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      const ok = username === USER && password?.toString() === PASS;
      done(ok ? null : Object.assign(new Error('bad credentials'), { returnCode: 4 }), ok);
    },
  });
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, path: '/mqtt' });
  wss.on('connection', (ws, req) => {
    aedes.handle(createWebSocketStream(ws), req);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${String((http.address() as AddressInfo).port)}/mqtt`,
    username: USER,
    password: PASS,
    async stop() {
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

transportContract(
  'mqtt.js on Aedes',
  createMqttTransport(mqtt.connect as unknown as MqttLikeConnect),
  startAedes,
);
