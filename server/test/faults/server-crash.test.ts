import { describe, it } from 'vitest';
import { faultScope, runDisruption } from './cluster.js';

// Fault (a): kill -9 the server while 20 customers send 1,000 messages, then start it again.
describe('server killed with SIGKILL mid-stream', () => {
  const scope = faultScope();

  it(
    'persists every message exactly once and delivers it to the agent in seq order',
    { timeout: 240_000 },
    async () => {
      await runDisruption(scope, 'fault_crash', async (cluster) => {
        cluster.killServer(0);
        await new Promise((r) => setTimeout(r, 1_000));
        await cluster.startServer(0);
      });
    },
  );
});
