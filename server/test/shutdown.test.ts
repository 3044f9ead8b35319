import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { spawnServer } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/slow-route-server.ts', import.meta.url));

describe('graceful shutdown', () => {
  it('lets an in-flight request finish on SIGTERM, refuses new ones, and exits 0', async () => {
    const { proc, url, exited } = await spawnServer(fixture, {
      MONGODB_URI: testMongoUri('shutdown'),
      LOG_LEVEL: 'info',
    });
    const inFlight = fetch(`${url}/test/slow?ms=1500`).then(async (res) => ({
      status: res.status,
      body: await res.json(),
      at: Date.now(),
    }));
    await waitFor('the slow request to start', () => proc.output().includes('slow request started'));
    proc.child.kill('SIGTERM');

    // New connections are refused once the server stops listening.
    await waitFor('new connections to be refused', async () => {
      try {
        await fetch(`${url}/healthz`);
        return false;
      } catch {
        return true;
      }
    });

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ done: true, ms: 1500 });
    const code = await exited;
    expect(code).toBe(0);
    expect(proc.output()).toContain('stopped');
  });
});
