import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

describe('console route', () => {
  let server: KefuServer;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-console-'));

  beforeAll(async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'console.js'), 'export {};');
    writeFileSync(join(dir, 'console.css'), 'body{}');
    writeFileSync(join(dir, 'secret.txt'), 'not for you');
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('console'), CONSOLE_DIR: dir }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page with a strict CSP and no framing', async () => {
    const res = await fetch(`${server.url}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toContain('<title>console</title>');
  });

  it('redirects /console to /console/ and serves the script and styles with their types', async () => {
    const bare = await fetch(`${server.url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/console/');
    const js = await fetch(`${server.url}/console/console.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    const etag = js.headers.get('etag') ?? '';
    const again = await fetch(`${server.url}/console/console.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const css = await fetch(`${server.url}/console/console.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('serves nothing outside its allow-list', async () => {
    for (const path of ['secret.txt', '..%2Fpackage.json', '%2e%2e%2fsecret.txt']) {
      const res = await fetch(`${server.url}/console/${path}`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('not for you');
    }
  });
});
