// EMQX cannot run here: this fake speaks the documented EMQX 5 REST API for clients (GET /api/v5/clients
// with `username` and `_limit`, answering {data:[{clientid,username,…}], meta}; DELETE
// /api/v5/clients/{clientid} → 204, unknown → 404; HTTP Basic with an API key and secret).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emqxDisconnect } from '../../src/infra/emqx-admin.js';
import { createLogger } from '../../src/log.js';

describe('emqxDisconnect', () => {
  let server: Server;
  let base = '';
  const connected = new Map<string, string>([
    ['a_amy-1111-aaaaaa', 'a_amy'],
    ['a_amy-2222-bbbbbb', 'a_amy'],
    ['a_bob-3333-cccccc', 'a_bob'],
    ['a_amy/odd id', 'a_amy'],
  ]);
  const seen: string[] = [];
  let failing = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://emqx.invalid');
      seen.push(`${req.method ?? ''} ${url.pathname}${url.search}`);
      const basic = `Basic ${Buffer.from('key-1:secret-1').toString('base64')}`;
      if (req.headers.authorization !== basic) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"BAD_API_KEY_OR_SECRET"}');
        return;
      }
      if (failing) {
        res.writeHead(503).end();
        return;
      }
      if (req.method === 'GET' && url.pathname === '/api/v5/clients') {
        const username = url.searchParams.get('username');
        const data = [...connected]
          .filter(([, u]) => u === username)
          .map(([clientid, u]) => ({ clientid, username: u }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data, meta: { count: data.length, limit: 1000, page: 1 } }));
        return;
      }
      const kick = /^\/api\/v5\/clients\/(.+)$/.exec(url.pathname);
      if (req.method === 'DELETE' && kick?.[1]) {
        const id = decodeURIComponent(kick[1]);
        res.writeHead(connected.delete(id) ? 204 : 404).end();
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('kicks every connection of the user and nobody else’s', async () => {
    const disconnect = emqxDisconnect(
      { url: `${base}/`, apiKey: 'key-1', apiSecret: 'secret-1' },
      createLogger('silent'),
    );
    await disconnect({ uid: 'a_amy' });
    expect([...connected.keys()]).toEqual(['a_bob-3333-cccccc']);
    expect(seen).toContain('GET /api/v5/clients?username=a_amy&_limit=1000');
    expect(seen).toContain('DELETE /api/v5/clients/a_amy%2Fodd%20id');
  });

  it('never throws: the session has ended whether or not EMQX answers', async () => {
    const wrongKey = emqxDisconnect(
      { url: base, apiKey: 'key-1', apiSecret: 'nope' },
      createLogger('silent'),
    );
    await expect(wrongKey({ uid: 'a_bob' })).resolves.toBeUndefined();
    failing = true;
    const down = emqxDisconnect(
      { url: base, apiKey: 'key-1', apiSecret: 'secret-1' },
      createLogger('silent'),
    );
    await expect(down({ uid: 'a_bob' })).resolves.toBeUndefined();
    failing = false;
    expect(connected.has('a_bob-3333-cccccc')).toBe(true);
  });
});
