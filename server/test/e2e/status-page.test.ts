import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@kefu/tools/chromium';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

describe('status page in Chromium', () => {
  let server: KefuServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('e2e_status') }), silentLogger);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('loads the page, which reads /healthz and /readyz from the browser', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));

    await page.goto(server.url);
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.title()).toBe('Kefu 客服系统');
    expect(await page.textContent('#health')).toBe('200 {"status":"ok"}');
    expect(await page.textContent('#ready')).toMatch(/^200 \{"status":"ready"/);
    expect(await page.getAttribute('#health', 'class')).toBe('ok');
    expect(errors).toEqual([]);
  });
});
