import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { createBrowserHttp, createLocalStorage, type StorageLike } from '../src/platform.js';

/** A Web Storage stand-in (Node has no localStorage) that can be told to refuse operations. */
function fakeLocalStorage() {
  const data = new Map<string, string>();
  const refuse = { get: false, set: (_key: string) => false, remove: false };
  const storage: StorageLike = {
    getItem: (key) => {
      if (refuse.get) throw new DOMException('denied', 'SecurityError');
      return data.get(key) ?? null;
    },
    setItem: (key, value) => {
      if (refuse.set(key)) throw new DOMException('full', 'QuotaExceededError');
      data.set(key, value);
    },
    removeItem: (key) => {
      if (refuse.remove) throw new DOMException('denied', 'SecurityError');
      data.delete(key);
    },
  };
  return { storage, data, refuse };
}

describe('createLocalStorage', () => {
  it('stores under its prefix in localStorage', async () => {
    const { storage, data } = fakeLocalStorage();
    const a = createLocalStorage('kefu:a:', () => storage);
    const b = createLocalStorage('kefu:b:', () => storage);
    await a.set('device', 'A');
    await b.set('device', 'B');
    expect(Object.fromEntries(data)).toEqual({ 'kefu:a:device': 'A', 'kefu:b:device': 'B' });
    expect(await a.get('device')).toBe('A');
    expect(await a.get('missing')).toBeNull();
    await a.remove('device');
    expect(await a.get('device')).toBeNull();
    expect(await b.get('device')).toBe('B');
  });

  it('falls back to memory when merely reading window.localStorage throws (storage blocked)', async () => {
    const s = createLocalStorage('kefu:', () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    expect(await s.get('k')).toBeNull();
    await s.set('k', 'v');
    expect(await s.get('k')).toBe('v');
    await s.remove('k');
    expect(await s.get('k')).toBeNull();
  });

  it('falls back to memory where there is no localStorage at all', async () => {
    const s = createLocalStorage('kefu:', () => undefined);
    await s.set('k', 'v');
    expect(await s.get('k')).toBe('v');
  });

  it('keeps a value localStorage refuses (quota) in memory, and still persists the others', async () => {
    const { storage, data, refuse } = fakeLocalStorage();
    refuse.set = (key) => key === 'kefu:outbox';
    const s = createLocalStorage('kefu:', () => storage);
    await s.set('outbox', 'x'.repeat(1000));
    await s.set('device', 'd1');
    expect(await s.get('outbox')).toBe('x'.repeat(1000));
    expect(Object.fromEntries(data)).toEqual({ 'kefu:device': 'd1' });
  });

  it('never serves a stale stored value after a write or removal localStorage refused', async () => {
    const { storage, refuse } = fakeLocalStorage();
    const s = createLocalStorage('kefu:', () => storage);
    await s.set('token', 'old');
    refuse.set = () => true;
    refuse.remove = true;
    await s.set('token', 'new');
    expect(await s.get('token')).toBe('new');
    await s.remove('token');
    expect(await s.get('token')).toBeNull();
  });

  it('persists again once localStorage accepts writes (Safari private mode ended, space freed)', async () => {
    const { storage, data, refuse } = fakeLocalStorage();
    refuse.set = () => true;
    const s = createLocalStorage('kefu:', () => storage);
    await s.set('k', 'memory');
    refuse.set = () => false;
    await s.set('k', 'disk');
    refuse.get = true; // reads now fail: the value must come from localStorage, not a leftover in memory
    expect(await s.get('k')).toBeNull();
    expect(data.get('kefu:k')).toBe('disk');
  });

  it('rejects a bad prefix, key or value and stores nothing', async () => {
    const { storage, data } = fakeLocalStorage();
    expect(() => createLocalStorage('', () => storage)).toThrow(/prefix must be a non-empty string/);
    expect(() => createLocalStorage(5 as unknown as string)).toThrow(TypeError);
    expect(() => createLocalStorage('p:', 'nope' as unknown as () => StorageLike)).toThrow(/getStorage/);
    const s = createLocalStorage('p:', () => storage);
    await expect(s.set(1 as unknown as string, 'v')).rejects.toThrow(/key must be a string/);
    await expect(s.set('k', { v: 1 } as unknown as string)).rejects.toThrow(/value must be a string/);
    await expect(s.get(null as unknown as string)).rejects.toThrow(/key must be a string/);
    await expect(s.remove(undefined as unknown as string)).rejects.toThrow(/key must be a string/);
    expect(data.size).toBe(0);
  });
});

describe('createBrowserHttp', () => {
  const servers: { close(): void; closeAllConnections(): void }[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
  });

  async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        handler(req, res, body);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  }

  it('sends method, headers and body through the global fetch and returns status and body', async () => {
    const seen: { method?: string; type?: string; body?: string }[] = [];
    const base = await serve((req, res, body) => {
      seen.push({ method: req.method, type: req.headers['content-type'], body });
      res.writeHead(req.url === '/missing' ? 404 : 201, { 'content-type': 'application/json' });
      res.end(req.url === '/missing' ? '{"error":"not_found"}' : '{"ok":true}');
    });
    const http = createBrowserHttp();
    const created = await http({
      method: 'POST',
      url: `${base}/api/v1/sdk/sessions`,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(created).toEqual({ status: 201, body: '{"ok":true}' });
    expect(seen).toEqual([{ method: 'POST', type: 'application/json', body: '{"a":1}' }]);
    expect(await http({ method: 'GET', url: `${base}/missing`, headers: {} })).toEqual({
      status: 404,
      body: '{"error":"not_found"}',
    });
  });

  it('aborts a request that gets no response within timeoutMs', async () => {
    let aborted = false;
    const base = await serve((req) => {
      req.socket.on('close', () => (aborted = true));
    });
    const started = Date.now();
    await expect(
      createBrowserHttp({ timeoutMs: 200 })({ method: 'GET', url: `${base}/hang`, headers: {} }),
    ).rejects.toThrow(`GET ${base}/hang timed out after 200 ms`);
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor('the request aborted on the wire', () => aborted);
  });

  it('aborts a response whose body stalls', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    await expect(
      createBrowserHttp({ timeoutMs: 200 })({ method: 'GET', url: `${base}/slow`, headers: {} }),
    ).rejects.toThrow(/timed out after 200 ms/);
  });

  it('passes a network failure through as it is, not as a timeout', async () => {
    const failure = createBrowserHttp({ timeoutMs: 5_000 })({
      method: 'GET',
      url: 'http://127.0.0.1:9/',
      headers: {},
    });
    await expect(failure).rejects.toThrow('fetch failed');
  });

  it('refuses a bad timeout', () => {
    expect(() => createBrowserHttp({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createBrowserHttp({ timeoutMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
