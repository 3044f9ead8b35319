// End-to-end (issue 17): the agent records a voice clip in Chromium (fake microphone: a test tone) —
// click to start, a running timer, stop to send or cancel, a stop by itself at 60 s — the server converts it
// to MP3 and the customer receives a voice message; a blocked or missing microphone is said in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '@kefu/tools/testing';
import { received, signInConsole, startStack, type Customer, type Stack } from './stack.js';

/** Chromium's stand-ins for a microphone and its permission prompt. */
const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

describe('console voice clips', () => {
  let stack: Stack;
  let page: Page;
  let customer: Customer;
  let id = '';
  const voices = (): number => customer.messages.filter((m) => m.content?.voice).length;

  const openChat = async (p: Page): Promise<void> => {
    await p.locator(`[data-conversation="${id}"]`).click({ timeout: 20_000 });
    await p.waitForSelector('.composer .voice-button');
  };

  beforeAll(async () => {
    stack = await startStack('console-voice', {
      agents: [{ username: 'xiaowang', display_name: '小王', role: 'agent', password: 'xiaowang-pass-1' }],
      chromiumArgs: FAKE_MEDIA,
    });
    page = await stack.page();
    await signInConsole(page, stack.server, 'xiaowang', 'xiaowang-pass-1');
    customer = await stack.customer('u4001', '赵六');
    id = await stack.chat(customer, 'xiaowang');
    await customer.client.sendText(id, '能发语音吗？');
    await openChat(page);
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  });

  it('records with a running timer and sends the clip as a voice message', async () => {
    await page.click('.composer .voice-button');
    const status = page.locator('.composer .recording');
    await expect
      .poll(() => status.textContent({ timeout: 1_000 }), { timeout: 5_000 })
      .toMatch(/录音中 0:0[1-9]/);
    expect(await status.textContent()).toContain('最长 60 秒');
    await page.waitForTimeout(1_000);
    await status.locator('button:has-text("停止并发送")').click();
    const voice = await received(customer, 'a voice clip', (m) => !!m.content?.voice);
    // The server measured the MP3 it converted the WebM/Opus recording to.
    expect(voice.content?.voice?.mimeType).toBe('audio/mpeg');
    expect(voice.content?.voice?.durationMs).toBeGreaterThan(1_000);
    expect(voice.content?.voice?.durationMs).toBeLessThan(6_000);
    const clip = page.locator('.msg.right .voice audio');
    await expect.poll(() => clip.count(), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => page.locator('[data-conversation] .conv-last').first().textContent())
      .toMatch(/^\[语音\] \d+″$/);
  });

  it('cancels a recording without sending anything', async () => {
    const before = voices();
    await page.click('.composer .voice-button');
    await page.locator('.composer .recording button:has-text("取消录音")').click({ timeout: 5_000 });
    expect(await page.locator('.composer .recording').count()).toBe(0);
    await page.waitForTimeout(1_500);
    expect(voices()).toBe(before);
  });

  it('stops by itself at 60 seconds and sends what it has', async () => {
    const p = await stack.page();
    await p.clock.install();
    await signInConsole(p, stack.server, 'xiaowang', 'xiaowang-pass-1');
    await openChat(p);
    const before = voices();
    await p.click('.composer .voice-button');
    await p.waitForSelector('.composer .recording');
    // Real audio for a moment, then the page's clock jumps past the limit.
    await p.waitForTimeout(1_200);
    await p.clock.fastForward(61_000);
    await expect.poll(() => p.locator('.composer .recording').count(), { timeout: 5_000 }).toBe(0);
    await waitFor('the clip sent at the limit', () => voices() > before, { timeoutMs: 20_000 });
    await p.context().close();
  });

  it('says when the microphone is blocked, missing, or recording is unsupported', async () => {
    const cases: [string, string][] = [
      [
        "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'))",
        '无法使用麦克风：请在浏览器中允许此页面使用麦克风',
      ],
      [
        "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('none', 'NotFoundError'))",
        '没有找到可用的麦克风',
      ],
      ['delete window.MediaRecorder', '此浏览器不支持录音'],
    ];
    for (const [script, message] of cases) {
      const p = await stack.page();
      await p.addInitScript(script);
      await signInConsole(p, stack.server, 'xiaowang', 'xiaowang-pass-1');
      await openChat(p);
      await p.click('.composer .voice-button');
      await expect
        .poll(() => p.locator('.composer .voice-problem').textContent({ timeout: 1_000 }))
        .toBe(message);
      expect(await p.locator('.composer .recording').count()).toBe(0);
      await p.context().close();
    }
  });

  it('had no uncaught errors in the pages', () => {
    expect(stack.pageErrors).toEqual([]);
  });
});
