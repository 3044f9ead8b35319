import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '@kefu/sdk-core';
import type { kefu } from '@kefu/proto';
import { waitFor } from '@kefu/tools/testing';
import { agent, online } from '../messaging/harness.js';
import { ADMIN_PASSWORD, faultScope, openConversations, sendAll, settle, startCluster } from './cluster.js';

// Fault (c): a client offline for a while reconnects and receives everything it missed, in order.
describe('client offline for a while', () => {
  const scope = faultScope();

  it(
    'gets every missed message once, in seq order, after reconnecting with its stored state',
    { timeout: 240_000 },
    async () => {
      const cluster = (scope.cluster = await startCluster('fault_offline'));
      const traffic = (scope.traffic = await openConversations(cluster, 5));
      await sendAll(traffic, 10, 5);
      await settle(traffic, 50);

      // A second device of the agent, with its own durable storage, goes offline…
      const storage = createMemoryStorage();
      const second = agent(cluster.url(), 'admin', ADMIN_PASSWORD, storage);
      const seen: kefu.v1.IMessage[] = [];
      // The customers' messages (each chat also starts with the greeting, seq 1).
      second.on('message', (m) => {
        if (m.content?.text) seen.push(m);
      });
      await second.start();
      await online(second);
      await waitFor('second device catches up on history', () => seen.length >= 50);
      await second.stop();
      expect(seen).toHaveLength(50);

      // …while 100 more messages arrive…
      await sendAll(traffic, 20, 5);
      await settle(traffic, 150);

      // …and comes back (a new client object over the same storage, as after an app restart).
      const back = agent(cluster.url(), 'admin', ADMIN_PASSWORD, storage);
      scope.extra.push(back);
      const missed: kefu.v1.IMessage[] = [];
      back.on('message', (m) => {
        if (m.content?.text) missed.push(m);
      });
      await back.start();
      await online(back);
      await waitFor('missed messages delivered', () => missed.length >= 100);
      await new Promise((r) => setTimeout(r, 300));
      expect(missed).toHaveLength(100);
      for (const id of traffic.conversations) {
        const seqs = missed.filter((m) => m.conversationId === id).map((m) => Number(m.seq));
        expect(seqs).toEqual(Array.from({ length: 20 }, (_, k) => k + 12));
      }
    },
  );
});
