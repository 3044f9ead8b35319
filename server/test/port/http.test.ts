import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFerretDb, type FerretDbInstance } from '@kefu/tools';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

describe('HTTP basics', () => {
  let server: KefuServer;

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('http') }), silentLogger);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('GET /healthz answers ok', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz checks the database and the broker', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ready');
    expect(body.checks['database']?.ok).toBe(true);
    expect(body.checks['broker']?.ok).toBe(true);
  });

  it('GET /metrics exposes Prometheus metrics including the requests made', async () => {
    await fetch(`${server.url}/healthz`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/kefu_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(text).toContain('kefu_process_cpu_seconds_total');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await fetch(`${server.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /no/such/route' },
    });
  });

  it('answers a wrong method with a JSON 405 that says what is allowed', async () => {
    const res = await fetch(`${server.url}/healthz`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(await res.json()).toEqual({
      error: { code: 'method_not_allowed', message: 'DELETE is not allowed here' },
    });
  });

  it('serves the status page', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Kefu 客服系统');
  });
});

describe('GET /readyz when the database goes away', () => {
  let db: FerretDbInstance;
  let server: KefuServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kefu-readyz-'));
    db = await startFerretDb({ dataDir });
    server = await startServer(testConfig({ MONGODB_URI: `${db.uri}kefu` }), silentLogger);
  });
  afterAll(async () => {
    await server.stop();
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports 503 with the failed check while liveness stays ok', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await db.stop();
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as {
      status: string;
      checks: Record<string, { ok: boolean; error?: string }>;
    };
    expect(body.status).toBe('not_ready');
    expect(body.checks['database']?.ok).toBe(false);
    expect(body.checks['broker']?.ok).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
