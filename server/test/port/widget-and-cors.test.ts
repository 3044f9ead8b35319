import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

describe('widget bundles and CORS', () => {
  let server: KefuServer;
  let restricted: KefuServer;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-widget-'));
  const SVG =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><circle cx="48" cy="48" r="40"/></svg>';

  beforeAll(async () => {
    writeFileSync(join(dir, 'kefu-loader.js'), 'console.log("loader")');
    writeFileSync(join(dir, 'kefu-panel.js'), 'export const x = 1;');
    writeFileSync(join(dir, 'secret.txt'), 'not for you');
    mkdirSync(join(dir, 'stickers', 'kefu'), { recursive: true });
    writeFileSync(join(dir, 'stickers', 'kefu', 'thanks.svg'), SVG);
    writeFileSync(join(dir, 'stickers', 'kefu', 'notes.txt'), 'not a sticker');
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('widget'), WIDGET_DIR: dir }),
      silentLogger,
    );
    restricted = await startServer(
      testConfig({
        MONGODB_URI: testMongoUri('widget'),
        WIDGET_DIR: dir,
        CORS_ORIGINS: 'https://mall.example.com,https://m.example.com/',
      }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await Promise.all([server.stop(), restricted.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the loader and the panel as JavaScript to any origin, with ETag revalidation', async () => {
    const res = await fetch(`${server.url}/sdk/v1/kefu-panel.js`, {
      headers: { origin: 'https://mall.example.com' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe('export const x = 1;');
    const etag = res.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(`${server.url}/sdk/v1/kefu-panel.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await fetch(`${server.url}/sdk/v1/kefu-loader.js`)).status).toBe(200);
  });

  it('serves nothing else from the widget directory', async () => {
    for (const path of [
      'secret.txt',
      '..%2F..%2Fpackage.json',
      '%2e%2e%2fsecret.txt',
      'kefu-loader.js.map',
    ]) {
      const res = await fetch(`${server.url}/sdk/v1/${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error?: string }).error).toBeTruthy();
    }
  });

  it('serves sticker pictures as SVG with a restrictive CSP, nosniff and a year of caching', async () => {
    const res = await fetch(`${server.url}/sdk/v1/stickers/kefu/thanks.svg`, {
      headers: { origin: 'https://mall.example.com' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe(SVG);
    const etag = res.headers.get('etag') ?? '';
    const again = await fetch(`${server.url}/sdk/v1/stickers/kefu/thanks.svg`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('serves no other sticker path or file', async () => {
    for (const path of [
      'stickers/kefu/nope.svg',
      'stickers/kefu/notes.txt',
      'stickers/kefu/THANKS.svg',
      'stickers/kefu/thanks.svg.map',
      'stickers/other/thanks.svg',
      'stickers/kefu/..%2F..%2Fkefu-loader.js',
      'stickers/..%2Fkefu/thanks.svg',
      'stickers/kefu/%2e%2e%2fsecret.txt',
      'stickers/kefu',
    ]) {
      const res = await fetch(`${server.url}/sdk/v1/${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });

  it('answers CORS preflights for /api from any origin by default, without credentials', async () => {
    const res = await fetch(`${server.url}/api/v1/sdk/sessions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://mall.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows only the configured origins when CORS_ORIGINS is set', async () => {
    const ask = (origin: string) =>
      fetch(`${restricted.url}/api/v1/sdk/mall/orders`, { headers: { origin } }).then((r) =>
        r.headers.get('access-control-allow-origin'),
      );
    expect(await ask('https://mall.example.com')).toBe('https://mall.example.com');
    expect(await ask('https://m.example.com')).toBe('https://m.example.com');
    expect(await ask('https://evil.example.net')).toBeNull();
  });

  it('refuses a malformed CORS_ORIGINS at start', () => {
    expect(() => testConfig({ CORS_ORIGINS: 'mall.example.com' })).toThrow(/CORS_ORIGINS/);
  });
});
