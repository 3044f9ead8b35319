import { describe, expect, it } from 'vitest';
import { parseResult, runBench } from './run-bench.js';

describe('bench:routing (smoke)', () => {
  it('routes a few arrivals over two instances and prints the figures', async () => {
    const args = ['--arrivals', '40', '--warmup', '10', '--agents', '2', '--limit', '30', '--rate', '50'];
    const run = await runBench('routing', [...args, '--instances', '2'], 60_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.leftovers).toEqual([]);
    const result = parseResult(run);
    expect(result).toMatchObject({ bench: 'routing', arrivals: 40, agents: 2, instances: 2, queued: 0 });
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining(['assigned', 'queued', 'open_to_assigned_ms', 'chats_per_agent']),
    );
  }, 70_000);
});
