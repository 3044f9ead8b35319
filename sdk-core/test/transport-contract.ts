// One contract for every transport (the MQTT.js "abstract suite" habit): each broker test file calls
// transportContract() with its own broker. Brokers are real (Aedes in-process, Debian's Mosquitto).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { TransportError, type Transport, type TransportConnection } from '../src/transport/types.js';

export interface ContractBroker {
  /** ws://…/mqtt */
  url: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

export function transportContract(
  name: string,
  transport: Transport,
  startBroker: () => Promise<ContractBroker>,
): void {
  describe(`transport contract: ${name}`, () => {
    let broker: ContractBroker;
    const open: TransportConnection[] = [];
    let n = 0;

    beforeAll(async () => {
      broker = await startBroker();
    });
    afterAll(async () => {
      await Promise.all(open.map((c) => c.close().catch(() => undefined)));
      await broker.stop();
    });

    const connect = async (
      events: { onMessage?: (t: string, p: Uint8Array) => void; onClose?: (r: string) => void } = {},
    ) => {
      n += 1;
      const conn = await transport(
        {
          url: broker.url,
          clientId: `contract-${name}-${String(n)}-${String(Date.now())}`,
          username: broker.username,
          password: broker.password,
          keepaliveS: 30,
          connectTimeoutMs: 5_000,
        },
        { message: events.onMessage ?? (() => undefined), close: events.onClose ?? (() => undefined) },
      );
      open.push(conn);
      return conn;
    };

    it('round-trips binary payloads at QoS 1 and QoS 0, byte for byte', async () => {
      const got: { topic: string; payload: Uint8Array }[] = [];
      const sub = await connect({ onMessage: (topic, payload) => got.push({ topic, payload }) });
      await sub.subscribe('contract/rt', 1);
      const pub = await connect();
      const binary = Uint8Array.from([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0]);
      await pub.publish('contract/rt', binary, 1);
      await pub.publish('contract/rt', Uint8Array.from([42]), 0);
      await waitFor('both messages', () => got.length >= 2);
      expect(got[0]?.topic).toBe('contract/rt');
      expect([...(got[0]?.payload ?? [])]).toEqual([...binary]);
      expect([...(got[1]?.payload ?? [])]).toEqual([42]);
    });

    it('carries a 64 KiB payload (the envelope limit)', async () => {
      let received: Uint8Array | undefined;
      const sub = await connect({ onMessage: (_t, p) => (received = p) });
      await sub.subscribe('contract/big', 1);
      const big = Uint8Array.from({ length: 64 * 1024 }, (_, i) => i % 251);
      await (await connect()).publish('contract/big', big, 1);
      await waitFor('big message', () => received);
      expect(received?.length).toBe(big.length);
      expect(received?.every((b, i) => b === i % 251)).toBe(true);
    });

    it('reports its own close once, and refuses to publish afterwards', async () => {
      const reasons: string[] = [];
      const conn = await connect({ onClose: (r) => reasons.push(r) });
      await conn.close();
      await waitFor('close event', () => reasons.length > 0);
      await new Promise((r) => setTimeout(r, 100));
      expect(reasons).toHaveLength(1);
      await expect(conn.publish('contract/after', Uint8Array.from([1]), 1)).rejects.toThrow();
    });

    it('refuses bad credentials with an auth error', async () => {
      const attempt = transport(
        {
          url: broker.url,
          clientId: `contract-bad-${String(Date.now())}`,
          username: broker.username,
          password: 'wrong',
          keepaliveS: 30,
          connectTimeoutMs: 5_000,
        },
        { message: () => undefined, close: () => undefined },
      );
      await expect(attempt).rejects.toSatisfy(
        (e: unknown) => e instanceof TransportError && e.kind === 'auth',
      );
    });

    it('fails with a network error when nothing listens', async () => {
      const attempt = transport(
        {
          url: 'ws://127.0.0.1:9/mqtt',
          clientId: 'contract-nowhere',
          username: 'x',
          password: 'y',
          keepaliveS: 30,
          connectTimeoutMs: 2_000,
        },
        { message: () => undefined, close: () => undefined },
      );
      await expect(attempt).rejects.toSatisfy(
        (e: unknown) => e instanceof TransportError && e.kind === 'network',
      );
    });

    it('reports the connection lost when the broker goes away', async () => {
      const reasons: string[] = [];
      await connect({ onClose: (r) => reasons.push(r) });
      await broker.stop();
      await waitFor('lost connection reported', () => reasons.length > 0);
      broker = await startBroker();
    });
  });
}
