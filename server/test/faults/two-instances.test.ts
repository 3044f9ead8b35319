import { describe, expect, it } from 'vitest';
import { checkInvariants, faultScope, openConversations, sendAll, settle, startCluster } from './cluster.js';

// Fault (d): two server instances share the uplink through a $share subscription on Mosquitto and one
// database; customers get their sessions from either instance.
describe('two server instances with a shared subscription', () => {
  const scope = faultScope();

  it('stores no message twice and leaves no gap or duplicate in any seq', { timeout: 240_000 }, async () => {
    const cluster = (scope.cluster = await startCluster('fault_two', 2));
    const traffic = (scope.traffic = await openConversations(cluster, 20));
    await sendAll(traffic, 50, 10);
    await settle(traffic, 1_000);
    await checkInvariants(cluster, traffic, 50);
    expect(cluster.servers.every((s) => s.proc?.child.exitCode === null)).toBe(true);
  });
});
