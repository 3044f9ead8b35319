// Finding F: /metrics was public. With METRICS_TOKEN it needs the bearer token; in production without
// one it is hidden (404, with a warning at start); development and tests without one keep it open.
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('GET /metrics access', () => {
  const started: KefuServer[] = [];
  const start = async (env: Record<string, string>, logger = silentLogger) => {
    const server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('edge-metrics'), ADMIN_PASSWORD: 'admin-pass-123', ...env }),
      logger,
    );
    started.push(server);
    return server;
  };
  const metrics = (server: KefuServer, authorization?: string) =>
    fetch(`${server.url}/metrics`, authorization ? { headers: { authorization } } : {});
  afterAll(async () => {
    for (const server of started) await server.stop();
  });

  it('is open without METRICS_TOKEN outside production', async () => {
    const server = await start({});
    const res = await metrics(server);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('kefu_process_cpu_seconds_total');
  });

  it('needs Authorization: Bearer <METRICS_TOKEN> when it is set (401 JSON otherwise)', async () => {
    const server = await start({ METRICS_TOKEN: TOKEN });
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
    ]) {
      const res = await metrics(server, authorization);
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
    const ok = await metrics(server, `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('kefu_http_requests_total');
  });

  it('answers 404 in production without METRICS_TOKEN, and says so at start', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const server = await start(
      {
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        IDENTITY_SECRET: 'y'.repeat(20),
      },
      logger,
    );
    const res = await metrics(server);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(lines.some((l) => l.includes('METRICS_TOKEN'))).toBe(true);
  });

  it('needs the token in production when it is set', async () => {
    const server = await start({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      IDENTITY_SECRET: 'y'.repeat(20),
      METRICS_TOKEN: TOKEN,
    });
    expect((await metrics(server)).status).toBe(401);
    expect((await metrics(server, `Bearer ${TOKEN}`)).status).toBe(200);
  });
});
