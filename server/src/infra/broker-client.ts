import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../log.js';

export interface BrokerClientOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  logger: Logger;
}

/** The server's own MQTT connection (the only superuser account); resolves once connected. */
export async function connectBrokerClient(options: BrokerClientOptions): Promise<MqttClient> {
  const clientId = `kefu-server-${hostname()}-${String(process.pid)}-${randomBytes(3).toString('hex')}`;
  const client = await mqtt.connectAsync(options.url, {
    clientId,
    protocolVersion: 4,
    clean: true,
    keepalive: 30,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
  });
  const { logger } = options;
  client.on('reconnect', () => {
    logger.warn({ clientId }, 'mqtt reconnecting');
  });
  client.on('connect', () => {
    logger.info({ clientId }, 'mqtt connected');
  });
  client.on('error', (err) => {
    logger.warn({ clientId, err: err.message }, 'mqtt error');
  });
  logger.info({ clientId, url: options.url }, 'mqtt connected');
  return client;
}
