import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { installProcessGuard } from '../../src/process-guard.js';
import { silentLogger, spawnServer } from '../helpers.js';

const fixture = fileURLToPath(new URL('./escaping-errors-server.ts', import.meta.url));

/** pino's JSON lines at error level (50) in the process output. */
const errorLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map(
      (line) =>
        JSON.parse(line) as { level: number; msg: string; caught?: number; err?: { message?: string } },
    )
    .filter((entry) => entry.level === 50);

describe('installProcessGuard', () => {
  it('adds one listener for each event and removes them again', () => {
    const before = ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
    const uninstall = installProcessGuard(silentLogger);
    expect(process.listenerCount('uncaughtException')).toBe(before[0]! + 1);
    expect(process.listenerCount('unhandledRejection')).toBe(before[1]! + 1);
    uninstall();
    expect(['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e))).toEqual(before);
  });
});

describe('the server process with errors that escape every handler', () => {
  let server: Awaited<ReturnType<typeof spawnServer>>;

  beforeAll(async () => {
    server = await spawnServer(fixture, { MONGODB_URI: testMongoUri('process-guard'), NODE_ENV: 'test' });
  });
  afterAll(async () => {
    await server.proc.stop();
  });

  it('logs each at error level, counts them and keeps serving', async () => {
    for (const path of ['/test/throw-in-timer', '/test/reject-unhandled', '/test/throw-in-timer']) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(200);
    }
    const logged = await waitFor('three logged errors', () => {
      const lines = errorLines(server.proc.output());
      return lines.length >= 3 ? lines : undefined;
    });
    expect(logged.map((l) => [l.msg, l.err?.message, l.caught])).toEqual([
      ['uncaught exception; still serving', 'thrown in a timer', 1],
      ['unhandled promise rejection; still serving', 'rejected with no handler', 2],
      ['uncaught exception; still serving', 'thrown in a timer', 3],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.proc.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^kefu_process_escaped_errors 3$/m);
    // And it still stops gracefully.
    expect(await server.proc.stop()).toBe(0);
  });
});
