import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { createMqttTransport, type MqttLikeConnect } from '../src/index.js';
import { serveAedesOverWebSocket } from './contract-brokers.js';
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
  const served = await serveAedesOverWebSocket(aedes);
  return { url: served.url, username: USER, password: PASS, stop: served.stop };
}

transportContract(
  'mqtt.js on Aedes',
  createMqttTransport(mqtt.connect as unknown as MqttLikeConnect),
  startAedes,
);
