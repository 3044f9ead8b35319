// End-to-end: a voice clip recorded the way WeChat's RecorderManager saves `aac` on Android (ADTS AAC)
// is uploaded from the customer's mini-program (an sdk-core client of the same customer) and sent as a
// voice message; the server converts it, and it must play both in the web widget on the demo mall
// (same customer, other device) and in the agent console. Real Chromium, server, FerretDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { createCustomerClient, createMemoryStorage, type CustomerClient } from '@kefu/sdk-core';
import { getFreePort, testMongoUri, waitFor } from '@kefu/tools/testing';
import { launchChromium } from '@kefu/tools/chromium';
import { startMall, type RunningMall } from '../src/mall/index.js';
import { startServer, type KefuServer } from '../../server/src/server.js';
import { silentLogger, testConfig } from '../../server/test/helpers.js';
import { http, online, transport } from '../../server/test/messaging/harness.js';
import { signIdentity } from '../../server/src/service/auth/identity.js';
import { DEV_IDENTITY_SECRET } from '../../server/src/config.js';
import { conversationModel } from '../../server/src/model/conversation.js';
import { probeAudio, voiceClip } from '../../server/test/uploads/voice-fixtures.js';

const ADMIN_PASSWORD = 'admin-pass-123';
const CLIP_SECONDS = 3;

interface Playback {
  duration: number;
  mediaError: number | null;
  played: number;
  src: string;
}

/** What the test reads of an <audio> element (demo's tests compile without the DOM library). */
interface AudioElement {
  readyState: number;
  duration: number;
  muted: boolean;
  currentTime: number;
  currentSrc: string;
  error: { code: number; message: string } | null;
  play(): Promise<void>;
  pause(): void;
}

/**
 * Waits for the <audio> to have its signed URL and metadata, then plays it (muted: no user gesture in
 * a test) until half a second has played. Fails on a MediaError or after 15 s.
 */
async function play(audio: Locator): Promise<Playback> {
  await expect.poll(() => audio.getAttribute('src'), { timeout: 20_000 }).toMatch(/sig=/);
  return audio.evaluate(async (node) => {
    const el = node as unknown as AudioElement;
    const HAVE_METADATA = 1;
    const settle = (ok: () => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (el.error) reject(new Error(`MediaError ${String(el.error.code)}: ${el.error.message}`));
          else if (ok()) resolve();
          else if (Date.now() - started > 15_000) reject(new Error(`timed out waiting for ${what}`));
          else setTimeout(check, 50);
        };
        check();
      });
    await settle(() => el.readyState >= HAVE_METADATA, 'loadedmetadata');
    const duration = el.duration;
    el.muted = true;
    await el.play();
    await settle(() => el.currentTime > 0.5, 'playback');
    el.pause();
    return { duration, mediaError: el.error?.code ?? null, played: el.currentTime, src: el.currentSrc };
  });
}

describe('voice clip playback (widget and console)', () => {
  let server: KefuServer;
  let mall: RunningMall;
  let browser: Browser;
  let shopper: Page;
  let agentPage: Page;
  let phone: CustomerClient;
  let conversationId = '';
  let upload: { upload_id: string; duration_ms: number; mime_type: string; size_bytes: number };
  const pageErrors: string[] = [];
  const voiceResponses: { url: string; type: string | null; status: number }[] = [];

  beforeAll(async () => {
    const port = await getFreePort();
    const base = `http://127.0.0.1:${String(port)}`;
    mall = await startMall({ kefuUrl: base, port: 0 });
    server = await startServer(
      testConfig({ PORT: String(port), MONGODB_URI: testMongoUri('voice-e2e'), ADMIN_PASSWORD }),
      silentLogger,
    );
    browser = await launchChromium();
    const newPage = async (): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('response', (r) => {
        if (/\/api\/v1\/uploads\/\w+\?exp=/.test(r.url()))
          voiceResponses.push({
            url: r.url(),
            type: r.headers()['content-type'] ?? null,
            status: r.status(),
          });
      });
      return page;
    };
    agentPage = await newPage();
    shopper = await newPage();
    // The agent is online in the console first, so the chat is assigned to them.
    await agentPage.goto(`${server.url}/console/`);
    await agentPage.fill('input[name=username]', 'admin');
    await agentPage.fill('input[name=password]', ADMIN_PASSWORD);
    await agentPage.click('button[type=submit]');
    await agentPage.waitForSelector('.workbench');
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await phone.stop();
    await server.stop();
    await mall.stop();
  });

  it('the customer opens the widget on the mall and the chat reaches the console', async () => {
    await shopper.goto(`${mall.url}/login`);
    await Promise.all([
      shopper.waitForURL((u) => !u.pathname.startsWith('/login')),
      shopper.click('.person[data-user-id="u1001"] button'),
    ]);
    await shopper.goto(`${mall.url}/products/p1001`);
    await shopper.click('#ask-product');
    const doc = await waitFor(
      'the conversation is assigned',
      () =>
        conversationModel(server.db)
          .findOne({ customer_uid: 'u_u1001', agent_uid: { $ne: null } })
          .lean(),
      { timeoutMs: 20_000 },
    );
    conversationId = doc._id;
    await expect
      .poll(() => agentPage.locator(`[data-conversation="${conversationId}"]`).count(), { timeout: 20_000 })
      .toBe(1);
  });

  it('the same customer sends an ADTS AAC clip from the mini-program; the server stores MP3', async () => {
    phone = createCustomerClient({
      baseUrl: server.url,
      transport,
      http,
      storage: createMemoryStorage(),
      identify: () => {
        const identity = { user_id: 'u1001', ts: Math.floor(Date.now() / 1000) };
        return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
      },
    });
    await phone.start();
    await online(phone);
    expect((await phone.open({ channel: 'miniprogram' })).id).toBe(conversationId);

    const aac = await voiceClip('adts-aac', CLIP_SECONDS);
    expect(aac.subarray(0, 2).toString('hex')).toBe('fff1'); // ADTS sync word, MPEG-4 AAC
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(aac)]), 'tmp_recorder.aac');
    const res = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=voice`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(await phone.sessions.current()).token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    upload = (await res.json()) as typeof upload;
    expect(upload.mime_type).toBe('audio/mpeg');
    expect(Math.abs(upload.duration_ms - CLIP_SECONDS * 1000)).toBeLessThan(150);
    await phone.send(conversationId, {
      voice: {
        uploadId: upload.upload_id,
        url: `/api/v1/uploads/${upload.upload_id}`,
        durationMs: upload.duration_ms,
        mimeType: upload.mime_type,
        sizeBytes: upload.size_bytes,
      },
    });
    await waitFor('the voice message is stored', () => phone.pending().length === 0, { timeoutMs: 20_000 });
  });

  it('plays in the web widget (signed URL, metadata, no MediaError)', async () => {
    const audio = shopper.locator('[data-kefu] [data-testid=message] audio');
    await expect.poll(() => audio.count(), { timeout: 20_000 }).toBe(1);
    const playback = await play(audio);
    expect(playback.mediaError).toBeNull();
    expect(playback.src).toContain(`/api/v1/uploads/${upload.upload_id}?exp=`);
    expect(Number.isFinite(playback.duration)).toBe(true);
    expect(Math.abs(playback.duration - CLIP_SECONDS)).toBeLessThan(0.2);
    expect(playback.played).toBeGreaterThan(0.5);
  });

  it('plays in the agent console, which shows the measured length', async () => {
    await agentPage.click(`[data-conversation="${conversationId}"]`);
    const voice = agentPage.locator('.thread .voice');
    await expect.poll(() => voice.count(), { timeout: 20_000 }).toBe(1);
    expect(await voice.locator('.muted').textContent()).toBe(`${String(CLIP_SECONDS)}″`);
    const playback = await play(voice.locator('audio'));
    expect(playback.mediaError).toBeNull();
    expect(playback.src).toContain(`/api/v1/uploads/${upload.upload_id}?exp=`);
    expect(Math.abs(playback.duration - CLIP_SECONDS)).toBeLessThan(0.2);
    expect(playback.played).toBeGreaterThan(0.5);
  });

  it('both pages were served the converted MP3, and nothing failed in them', async () => {
    const served = voiceResponses.filter((r) => r.url.includes(upload.upload_id));
    expect(served.length).toBeGreaterThanOrEqual(2);
    for (const r of served) {
      expect([200, 206]).toContain(r.status);
      expect(r.type).toBe('audio/mpeg');
    }
    const stored = await fetch(`${server.url}/api/v1/uploads/${upload.upload_id}`, {
      headers: { authorization: `Bearer ${(await phone.sessions.current()).token}` },
    });
    expect((await probeAudio(Buffer.from(await stored.arrayBuffer()))).codecName).toBe('mp3');
    expect(pageErrors).toEqual([]);
  });
});
