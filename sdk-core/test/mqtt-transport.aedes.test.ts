import mqtt from 'mqtt';
import { createMqttTransport, type MqttLikeConnect } from '../src/index.js';
import { passwordAedes } from './contract-brokers.js';
import { transportContract } from './transport-contract.js';

transportContract(
  'mqtt.js on Aedes',
  createMqttTransport(mqtt.connect as unknown as MqttLikeConnect),
  passwordAedes,
);
