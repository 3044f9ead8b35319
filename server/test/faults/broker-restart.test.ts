import { describe, it } from 'vitest';
import { faultScope, runDisruption } from './cluster.js';

// Fault (b): restart the broker (no persistence: every session and in-flight message is gone) mid-stream.
describe('broker restarted mid-stream', () => {
  const scope = faultScope();

  it(
    'persists every message exactly once and delivers it to the agent in seq order',
    { timeout: 240_000 },
    async () => {
      await runDisruption(scope, 'fault_broker', (cluster) => cluster.restartBroker());
    },
  );
});
