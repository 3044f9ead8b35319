/**
 * A fake of the points mall's API, built from the contract documented in server/README.md ("Mall
 * adapter") — the real mall cannot run here. It serves the documented JSON on 127.0.0.1 and records what
 * it was asked, and can be told to misbehave (slow, 500, not JSON, off-contract JSON).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMallMode = 'ok' | 'slow' | 'error500' | 'not-json' | 'off-contract';

export interface RecordedRequest {
  /** Raw request target, as sent (still percent-encoded). */
  url: string;
  authorization: string | undefined;
}

export interface FakeOrder {
  order_no: string;
  status: number;
  status_text: string;
  total_fen: number;
  total_points?: number;
  goods_count: number;
  goods: { name: string; picture_url: string; qty?: number }[];
  url: string;
  created_at: string;
  [extra: string]: unknown;
}

export interface FakeMall {
  base: string;
  mode: FakeMallMode;
  requests: RecordedRequest[];
  products: Map<string, Record<string, unknown>>;
  /** Orders by the mall's user id, newest first. */
  orders: Map<string, FakeOrder[]>;
  close(): Promise<void>;
}

export function fakeOrder(no: string, createdAt: string, over: Partial<FakeOrder> = {}): FakeOrder {
  return {
    order_no: no,
    status: 2,
    status_text: '待发货',
    total_fen: 990,
    goods_count: 1,
    goods: [{ name: '小米充电宝', picture_url: 'https://img.mall.example/p1.png', qty: 1 }],
    url: `https://mall.example/orders/${encodeURIComponent(no)}`,
    created_at: createdAt,
    ...over,
  };
}

export async function startFakeMall(): Promise<FakeMall> {
  const fake: Omit<FakeMall, 'base' | 'close'> = {
    mode: 'ok',
    requests: [],
    products: new Map(),
    orders: new Map(),
  };
  const server: Server = createServer((req, res) => {
    const target = req.url ?? '/';
    fake.requests.push({ url: target, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const mode = fake.mode;
    if (mode === 'slow') {
      setTimeout(() => {
        send(200, {});
      }, 2_000);
      return;
    }
    if (mode === 'error500') {
      send(500, { message: 'internal error' });
      return;
    }
    if (mode === 'not-json') {
      send(200, '<html>upstream proxy error</html>');
      return;
    }
    const [path = '', query = ''] = target.split('?');
    // Segments are decoded one by one, as a router of the real mall would: "%2F" stays inside a segment.
    const seg = path.split('/').slice(1).map(decodeURIComponent);
    if (seg[0] === 'api' && seg[1] === 'products' && seg.length === 3) {
      const product = fake.products.get(seg[2] ?? '');
      if (!product) {
        send(404, { message: 'no such product' });
        return;
      }
      send(200, mode === 'off-contract' ? { ...product, image_url: 'javascript:alert(1)' } : product);
      return;
    }
    if (seg[0] === 'api' && seg[1] === 'users' && seg[3] === 'orders') {
      const orders = fake.orders.get(seg[2] ?? '');
      if (!orders) {
        send(404, { message: 'no such user' });
        return;
      }
      if (seg.length === 4) {
        const limit = Number(new URLSearchParams(query).get('limit') ?? '10');
        if (mode === 'off-contract') {
          send(200, { orders: [{ ...orders[0], total_fen: '9.90' }] });
          return;
        }
        send(200, { orders: orders.slice(0, limit), total: orders.length });
        return;
      }
      if (seg.length === 5) {
        const order = orders.find((o) => o.order_no === seg[4]);
        if (!order) {
          send(404, { message: 'no such order' });
          return;
        }
        send(200, mode === 'off-contract' ? { ...order, status: 9 } : order);
        return;
      }
    }
    send(404, { message: 'no such route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    base: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  });
}
