import mqtt from 'mqtt';
import { createMqttTransport, type MqttLikeConnect } from '../src/index.js';
import { passwordMosquitto } from './contract-brokers.js';
import { transportContract } from './transport-contract.js';

transportContract(
  'mqtt.js on Mosquitto',
  createMqttTransport(mqtt.connect as unknown as MqttLikeConnect),
  passwordMosquitto(),
);
