// The timers a connected client keeps (resend tick, token renewal), over hours of fake time: the
// 10,000-connection benchmark found every 5 s tick kept until the connection ended (~350 per client
// over one 29-minute token).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  KefuClient,
  createMemoryStorage,
  type GrantBody,
  type Http,
  type Transport,
} from '../../src/index.js';

const TOKEN_S = 30 * 60;

function grant(n: number, tokenS: number): GrantBody {
  const nowS = Math.floor(Date.now() / 1000);
  return {
    token: `t${String(n)}`,
    expires_at: nowS + tokenS,
    refresh_token: `r${String(n)}`,
    refresh_expires_at: nowS + 90 * 24 * 3600,
    user: { uid: 'u_timers', role: 'customer', kind: 'visitor', perms: [] },
    mqtt: {
      url: 'ws://kefu.test/mqtt',
      username: 'u_timers',
      topics: {
        up: 'kefu/up/c/u_timers',
        down: 'kefu/down/c/u_timers',
        presence: 'kefu/presence/c/u_timers',
      },
    },
  };
}

function fakeServer(tokenS = TOKEN_S): {
  http: Http;
  transport: Transport;
  grants: () => number;
  connects: () => number;
} {
  let grants = 0;
  let connects = 0;
  const http: Http = () => Promise.resolve({ status: 200, body: JSON.stringify(grant(++grants, tokenS)) });
  const transport: Transport = (_options, events) => {
    connects += 1;
    return Promise.resolve({
      publish: () => Promise.resolve(),
      subscribe: () => Promise.resolve(),
      close: () => {
        events.close('closed');
        return Promise.resolve();
      },
    });
  };
  return { http, transport, grants: () => grants, connects: () => connects };
}

describe('KefuClient: timers of a connection', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-01T08:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  async function connectedClient(server: ReturnType<typeof fakeServer>): Promise<KefuClient> {
    const client = new KefuClient({
      baseUrl: 'https://kefu.test',
      transport: server.transport,
      http: server.http,
      storage: createMemoryStorage(),
      credentials: () => Promise.resolve({ path: '/api/v1/sdk/sessions', body: { type: 'visitor' } }),
    });
    await client.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.status).toBe('online');
    return client;
  }

  /** Timer handles the client still holds: what stop() clears. */
  async function handlesClearedByStop(client: KefuClient): Promise<number> {
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    await client.stop();
    return clear.mock.calls.length;
  }

  it('holds a bounded number of timers over a whole token lifetime', async () => {
    const server = fakeServer();
    const client = await connectedClient(server);
    // Just before the renewal (a minute before expiry): 28 minutes of 5 s resend ticks.
    await vi.advanceTimersByTimeAsync((TOKEN_S - 120) * 1000);
    expect(server.connects()).toBe(1);
    expect(vi.getTimerCount()).toBeLessThanOrEqual(2);
    expect(await handlesClearedByStop(client)).toBeLessThanOrEqual(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('renews the token before every expiry and still holds a bounded number of timers', async () => {
    const server = fakeServer();
    const client = await connectedClient(server);
    await vi.advanceTimersByTimeAsync(3 * 3600 * 1000);
    // One renewal (and reconnect with the new token) per 29 minutes: six in three hours.
    expect(server.grants()).toBe(7);
    expect(server.connects()).toBe(7);
    expect(client.status).toBe('online');
    expect(vi.getTimerCount()).toBeLessThanOrEqual(2);
    expect(await handlesClearedByStop(client)).toBeLessThanOrEqual(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits out a token valid for longer than setTimeout can wait instead of renewing at once', async () => {
    // A delay beyond 2^31 - 1 ms (~24.8 days) fires at once: renew, reconnect, renew again, forever.
    const server = fakeServer(60 * 24 * 3600);
    const client = await connectedClient(server);
    await vi.advanceTimersByTimeAsync(3600 * 1000);
    expect(server.grants()).toBe(1);
    expect(server.connects()).toBe(1);
    await client.stop();
  });
});
