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

// Fault (a): kill -9 the server while 20 customers send 1,000 messages, then start it again.
describe('server killed with SIGKILL mid-stream', () => {
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
      cluster = await startCluster('fault_crash');
      traffic = await openConversations(cluster, 20);
      let killed: Promise<void> | undefined;
      const c = cluster;
      await sendAll(traffic, 50, 40, (sent) => {
        if (sent === 300 && !killed) {
          c.killServer(0);
          killed = new Promise((r) => setTimeout(r, 1_000)).then(() => c.startServer(0));
        }
      });
      await killed;
      await settle(traffic, 1_000);
      await checkInvariants(cluster, traffic, 50);
    },
  );
});
