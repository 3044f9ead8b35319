import { describe, expect, it } from 'vitest';
import { parseResult, runBench } from './run-bench.js';

describe('bench:messaging (smoke)', () => {
  it('sends for two seconds through broker, server and database and prints the figures', async () => {
    const args = ['--customers', '4', '--agents', '1', '--rate', '10', '--duration', '2', '--drain', '20'];
    const run = await runBench('messaging', args, 60_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.leftovers).toEqual([]);
    const result = parseResult(run);
    expect(result).toMatchObject({ bench: 'messaging' });
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'config',
        'sent',
        'persisted',
        'delivered',
        'lost',
        'duplicated',
        'latency_ms',
      ]),
    );
  }, 70_000);
});
