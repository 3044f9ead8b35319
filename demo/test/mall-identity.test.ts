// The mall's identity endpoint for the widget: signed exactly as the Kefu server verifies, with the
// dev or the configured secret; refused to anonymous visitors and forged sessions.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
// The server's own constant and verifier, to prove the mall signs exactly what the server accepts.
import { DEV_IDENTITY_SECRET as SERVER_DEV_SECRET } from '../../server/src/config.js';
import { verifyIdentity } from '../../server/src/service/auth/identity.js';
import { DEV_IDENTITY_SECRET } from '../src/index.js';
import { mall, signIn } from './helpers.js';
import { json, useMall } from './mall-api-env.js';

interface IdentityBody {
  identity: { user_id: string; name?: string; phone?: string; level?: number; ts: number };
  signature: string;
}

const hmac = (secret: string, text: string): string =>
  createHmac('sha256', secret).update(text, 'utf8').digest('hex');

const m = useMall();

describe('GET /api/kefu/identity', () => {
  it('signs the signed-in customer with the dev secret, exactly as the Kefu server verifies', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await fetch(`${m.url}/api/kefu/identity`, {
      headers: { cookie: await signIn(m.url, 'u1001') },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await json(res)) as IdentityBody;
    expect(body.identity).toEqual({
      user_id: 'u1001',
      name: '张三',
      phone: '13800138000',
      level: 3,
      ts: body.identity.ts,
      points: 28600,
      vip: true,
      tags: ['高价值', '老客户'],
    });
    expect(body.identity.ts).toBeGreaterThanOrEqual(before);
    expect(body.identity.ts).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(body.signature).toBe(
      hmac(
        'kefu-dev-identity-secret',
        `u1001\n张三\n13800138000\n3\n${body.identity.ts}\n28600\n1\n高价值,老客户\n`,
      ),
    );
    expect(() => {
      verifyIdentity(SERVER_DEV_SECRET, body.identity, body.signature, 300);
    }).not.toThrow();
  });

  it('leaves absent fields out and signs them as empty strings', async () => {
    const res = await fetch(`${m.url}/api/kefu/identity`, {
      headers: { cookie: await signIn(m.url, 'u1003') },
    });
    const body = (await json(res)) as IdentityBody;
    expect(Object.keys(body.identity).sort()).toEqual(['name', 'points', 'ts', 'user_id', 'vip']);
    expect(body.signature).toBe(
      hmac(DEV_IDENTITY_SECRET, `u1003\n王五\n\n\n${body.identity.ts}\n1800\n0\n\n`),
    );
  });

  it('uses the configured secret', async () => {
    const secret = 'a-production-like-secret-0123456789';
    const other = await mall({ identitySecret: secret });
    try {
      const res = await fetch(`${other.url}/api/kefu/identity`, {
        headers: { cookie: await signIn(other.url, 'u1002') },
      });
      const body = (await json(res)) as IdentityBody;
      expect(body.signature).toBe(
        hmac(secret, `u1002\n李四\n13912345678\n1\n${body.identity.ts}\n5300\n1\n新客\n`),
      );
      expect(() => {
        verifyIdentity(SERVER_DEV_SECRET, body.identity, body.signature, 300);
      }).toThrow(/invalid/);
    } finally {
      await other.stop();
    }
  });

  it('refuses anonymous visitors and forged sessions with 401 JSON', async () => {
    const cases: Record<string, string>[] = [
      {},
      { cookie: 'mall_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      { cookie: 'mall_sid=../../x' },
    ];
    for (const headers of cases) {
      const res = await fetch(`${m.url}/api/kefu/identity`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await json(res)).toEqual({
        error: { code: 'unauthenticated', message: 'Not signed in to the mall' },
      });
    }
  });

  it('the mall keeps the same dev secret as the server', () => {
    expect(DEV_IDENTITY_SECRET).toBe(SERVER_DEV_SECRET);
  });
});
