import { afterAll, describe, expect, it } from 'vitest';
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

// Fault (d): two server instances share the uplink through a $share subscription on Mosquitto and one
// database; customers get their sessions from either instance.
describe('two server instances with a shared subscription', () => {
  let cluster: Cluster | undefined;
  let traffic: Traffic | undefined;
  afterAll(async () => {
    if (traffic) await stopTraffic(traffic);
    await cluster?.stop();
  });

  it('stores no message twice and leaves no gap or duplicate in any seq', { timeout: 240_000 }, async () => {
    cluster = await startCluster('fault_two', 2);
    traffic = await openConversations(cluster, 20);
    await sendAll(traffic, 50, 10);
    await settle(traffic, 1_000);
    await checkInvariants(cluster, traffic, 50);
    expect(cluster.servers.every((s) => s.proc?.child.exitCode === null)).toBe(true);
  });
});
