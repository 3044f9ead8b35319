import { afterAll, describe, it } from 'vitest';
import {
  checkInvariants,
  openConversations,
  sendAll,
  settle,
  startCluster,
  stopTraffic,
  type Cluster,
  type Traffic,
} from './cluster.js';

// Fault (b): restart the broker (no persistence: every session and in-flight message is gone) mid-stream.
describe('broker restarted mid-stream', () => {
  let cluster: Cluster | undefined;
  let traffic: Traffic | undefined;
  afterAll(async () => {
    if (traffic) await stopTraffic(traffic);
    await cluster?.stop();
  });

  it(
    'persists every message exactly once and delivers it to the agent in seq order',
    { timeout: 240_000 },
    async () => {
      cluster = await startCluster('fault_broker');
      traffic = await openConversations(cluster, 20);
      let restarted: Promise<void> | undefined;
      const c = cluster;
      await sendAll(traffic, 50, 40, (sent) => {
        if (sent === 300 && !restarted) restarted = c.restartBroker();
      });
      await restarted;
      await settle(traffic, 1_000);
      await checkInvariants(cluster, traffic, 50);
    },
  );
});
