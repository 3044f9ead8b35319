import { createServer, type Server as NetServer, type AddressInfo } from 'node:net';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from '../log.js';
import { limitPacketSize, MAX_MQTT_PACKET_BYTES } from './mqtt-packet-limit.js';
import type { BrokerPolicy } from '../port/mqtt/broker-policy.js';

export interface EmbeddedBroker {
  readonly aedes: Aedes;
  /** Port of the TCP listener (useful when 0 was asked for). */
  readonly tcpPort: number;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  host: string;
  tcpPort: number;
  /** WebSocket upgrades on this server's `wsPath` go to the broker. */
  httpServer: HttpServer;
  wsPath: string;
  logger: Logger;
  /** Authentication and ACL hooks; absent: anyone may do anything (tests of the broker alone). */
  policy?: BrokerPolicy;
}

/**
 * The in-process Aedes broker (MQTT 3.1.1, no shared subscriptions): TCP on its own port, WebSocket on
 * the HTTP server's port at `/mqtt`, so a single-machine install needs no separate broker.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { logger } = options;
  const { policy } = options;
  const aedes = await Aedes.createBroker(
    policy
      ? {
          authenticate: policy.authenticate,
          authorizePublish: policy.authorizePublish,
          authorizeSubscribe: policy.authorizeSubscribe,
        }
      : {},
  );
  if (policy) {
    aedes.on('clientDisconnect', (client) => {
      policy.release(client);
    });
  }
  aedes.on('clientError', (client, err) => {
    logger.debug({ clientId: client.id, err: err.message }, 'mqtt client error');
  });
  aedes.on('connectionError', (client, err) => {
    logger.debug({ clientId: client.id, err: err.message }, 'mqtt connection error');
  });

  // Every connection passes the packet size limit first: Aedes would buffer any declared size.
  const tooLarge = () => {
    logger.warn('mqtt packet above the size limit; connection closed');
  };
  const tcp: NetServer = createServer((socket) => aedes.handle(limitPacketSize(socket, undefined, tooLarge)));
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.tcpPort, options.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });

  // One WebSocket message never needs more than one MQTT packet's worth.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MQTT_PACKET_BYTES + 16 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== options.wsPath) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      aedes.handle(limitPacketSize(createWebSocketStream(ws), undefined, tooLarge), req);
    });
  };
  options.httpServer.on('upgrade', onUpgrade);

  return {
    aedes,
    tcpPort: (tcp.address() as AddressInfo).port,
    async close() {
      options.httpServer.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        tcp.close(() => {
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        aedes.close(() => {
          resolve();
        });
      });
    },
  };
}
