import { WebSocket } from 'ws';
import { createWebSocketTransport } from '../src/transport/index.js';
import { passwordMosquitto } from '../../sdk-core/test/contract-brokers.js';
import { transportContract } from '../../sdk-core/test/transport-contract.js';

transportContract(
  'own MQTT client on Mosquitto',
  createWebSocketTransport({ WebSocket }),
  passwordMosquitto(),
);
