// Issue 17 on the web widget, media: documents as file cards (and the server's refusals in words), images
// pasted or dropped onto the panel, voice clips recorded with MediaRecorder. Real Chromium on the demo
// mall with fake media devices (a beeping microphone, permission granted), the real server (its upload
// checks, ffmpeg), an agent on sdk-core (harness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { agentGot, inWidget, openChat, shopper, startWidgetEnv, type WidgetEnv } from './harness.js';

/** Chromium's fake microphone (a tone) and an automatic yes to the permission prompt. */
const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** Dispatches a paste or a drag-and-drop of files (base64) on an element inside the widget. */
async function fileEvent(
  page: Page,
  kind: 'paste' | 'drop',
  selector: string,
  files: { name: string; type: string; base64: string }[],
): Promise<void> {
  await page.evaluate(
    ({ kind, selector, files }) => {
      const target = document.querySelector('[data-kefu]')?.shadowRoot?.querySelector(selector);
      if (!target) throw new Error(`${selector} not found`);
      const data = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], f.name, { type: f.type }));
      }
      if (kind === 'paste') {
        target.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
        return;
      }
      for (const type of ['dragenter', 'dragover', 'drop'])
        target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { kind, selector, files },
  );
}

describe('web widget: files, pasted and dropped images, voice clips (issue 17)', () => {
  let env: WidgetEnv;
  let page: Page;
  let widget: ReturnType<typeof inWidget>;

  beforeAll(async () => {
    env = await startWidgetEnv('widget-media', FAKE_MEDIA);
    ({ page } = await shopper(env, 'u1001'));
    widget = inWidget(page);
    await openChat(page);
  }, 180_000);

  afterAll(async () => {
    await env.stop();
  });

  it('sends a document from the paperclip as a file card: name, size and a download link', async () => {
    await widget('[data-testid=file-input]').setInputFiles({
      name: '发票.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    const sent = await agentGot(env, 'the file', (m) => !!m.content?.file);
    expect(sent.content?.file).toMatchObject({
      name: '发票.pdf',
      sizeBytes: PDF.length,
      mimeType: 'application/pdf',
    });
    const card = widget('[data-testid=message] [data-testid=file-card]');
    await expect.poll(() => card.innerText()).toContain('发票.pdf');
    expect(await card.innerText()).toContain(`${String(PDF.length)} B`);
    const link = card.locator('a:has-text("下载")');
    await expect.poll(() => link.getAttribute('href')).toMatch(/\/api\/v1\/uploads\/.+sig=/);
    const res = await fetch((await link.getAttribute('href')) ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('says why the server refused a file, in words: 不支持的文件类型, 文件过大', async () => {
    const failed = widget('[data-testid=pending] [data-testid=pending-state]');
    await widget('[data-testid=file-input]').setInputFiles({
      name: 'setup.exe',
      mimeType: 'application/octet-stream',
      buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2048)]),
    });
    await expect.poll(() => failed.innerText()).toContain('不支持的文件类型');
    // Trying again would not help: no retry, only removal.
    expect(await failed.locator('button:has-text("重试")').count()).toBe(0);
    await failed.locator('button:has-text("移除")').click();
    await expect.poll(() => widget('[data-testid=pending]').count()).toBe(0);
    await widget('[data-testid=file-input]').setInputFiles({
      name: '扫描件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024)]),
    });
    await expect.poll(() => failed.innerText(), { timeout: 30_000 }).toContain('文件过大');
    expect(await widget('.ls').innerText()).not.toMatch(/[A-Za-z]{4,} [a-z]{3,}/); // no English sentence
    await failed.locator('button:has-text("移除")').click();
  });

  it('sends images pasted into the input or dropped onto the panel, and files dropped too', async () => {
    const png = (color: string) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background: color } })
        .png()
        .toBuffer()
        .then((b) => b.toString('base64'));
    const images = () => env.atAgent.filter((m) => !!m.content?.image).length;
    const before = images();
    await fileEvent(page, 'paste', 'textarea', [
      { name: 'screenshot.png', type: 'image/png', base64: await png('#3366cc') },
    ]);
    await expect.poll(images, { timeout: 20_000 }).toBe(before + 1);
    // Dragging over the panel shows where to drop.
    await page.evaluate(() => {
      const w = document.querySelector('[data-kefu]')?.shadowRoot?.querySelector('.w');
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'x.png', { type: 'image/png' }));
      w?.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => widget('.kefu-drop').innerText()).toBe('松开即可发送');
    await fileEvent(page, 'drop', '.ls', [
      { name: 'photo.png', type: 'image/png', base64: await png('#cc3366') },
      { name: '说明.pdf', type: 'application/pdf', base64: PDF.toString('base64') },
    ]);
    await expect.poll(() => widget('.kefu-drop').count()).toBe(0);
    await expect.poll(images, { timeout: 20_000 }).toBe(before + 2);
    await agentGot(env, 'the dropped file', (m) => m.content?.file?.name === '说明.pdf');
    await expect.poll(() => widget('[data-testid=message] img.im').count()).toBe(2);
  });

  it('records a voice clip (click, timer, 发送语音) that reaches the agent as voice with a duration', async () => {
    await widget('[data-testid=voice-button]').click();
    const bar = widget('[data-testid=recording]');
    await expect.poll(() => bar.isVisible()).toBe(true);
    expect(await bar.innerText()).toContain('最长 60 秒');
    await expect
      .poll(() => widget('[data-testid=voice-timer]').innerText(), { timeout: 10_000 })
      .toBe('0:02');
    await bar.locator('button:has-text("发送语音")').click();
    await expect.poll(() => bar.count()).toBe(0);
    const clip = await agentGot(env, 'the voice clip', (m) => !!m.content?.voice);
    const voice = clip.content?.voice ?? {};
    expect(voice.mimeType).toBe('audio/mpeg'); // converted by the server
    expect(voice.durationMs).toBeGreaterThan(1_500);
    expect(voice.durationMs).toBeLessThan(5_000);
    const upload = await env.server.db
      .collection('uploads')
      .findOne({ _id: (voice.uploadId ?? '') as never });
    expect(upload).toMatchObject({ kind: 'voice' });
    await expect.poll(() => widget('[data-testid=message] audio').count()).toBe(1);
  });

  it('holds to talk (releasing sends), cancels, and refuses a tap as too short', async () => {
    const voices = () => env.atAgent.filter((m) => !!m.content?.voice).length;
    const before = voices();
    const box = await widget('[data-testid=voice-button]').boundingBox();
    if (!box) throw new Error('no voice button');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await expect
      .poll(() => widget('[data-testid=voice-timer]').innerText(), { timeout: 10_000 })
      .toBe('0:01');
    await page.waitForTimeout(600);
    await page.mouse.up();
    await expect.poll(() => widget('[data-testid=recording]').count()).toBe(0);
    await expect.poll(voices, { timeout: 20_000 }).toBe(before + 1);
    // 取消 throws the clip away.
    await widget('[data-testid=voice-button]').click();
    await expect
      .poll(() => widget('[data-testid=voice-timer]').innerText(), { timeout: 10_000 })
      .toBe('0:01');
    await widget('[data-testid=recording] button:has-text("取消")').click();
    await expect.poll(() => widget('[data-testid=recording]').count()).toBe(0);
    // A tap: shorter than a second.
    await widget('[data-testid=voice-button]').click();
    await widget('[data-testid=recording] button:has-text("发送语音"):not([disabled])').click();
    await expect.poll(() => widget('[data-testid=voice-error]').innerText()).toBe('说话时间太短');
    await page.waitForTimeout(1_500);
    expect(voices()).toBe(before + 1);
  });

  it('stops and sends by itself at 60 seconds', async () => {
    const voices = () => env.atAgent.filter((m) => !!m.content?.voice).length;
    const before = voices();
    await widget('[data-testid=voice-button]').click();
    await expect
      .poll(() => widget('[data-testid=voice-timer]').innerText(), { timeout: 10_000 })
      .toBe('0:01');
    // Jump the page's clock past the limit (the recorder's timer reads Date.now()).
    await page.clock.install();
    await page.clock.fastForward(60_000);
    await expect.poll(() => widget('[data-testid=recording]').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(voices, { timeout: 20_000 }).toBe(before + 1);
  });

  it('says so when the microphone is refused or the browser cannot record', async () => {
    for (const [script, text] of [
      [
        () => {
          navigator.mediaDevices.getUserMedia = () =>
            Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        },
        '无法使用麦克风',
      ],
      [
        () => {
          delete (window as unknown as { MediaRecorder?: unknown }).MediaRecorder;
        },
        '当前浏览器不支持录音',
      ],
    ] as const) {
      const other = await shopper(env, 'u1002');
      await other.page.addInitScript(script);
      await other.page.reload();
      const w = inWidget(other.page);
      await openChat(other.page);
      await w('[data-testid=voice-button]').click();
      await expect.poll(() => w('[data-testid=voice-error]').innerText()).toContain(text);
      expect(await w('[data-testid=recording]').count()).toBe(0);
      await other.context.close();
    }
  });

  it('had no console errors or uncaught exceptions', () => {
    // Chromium logs the refused uploads' HTTP status (415, 413) itself; nothing else.
    expect(env.errors.filter((e) => !/status of 41[35]/.test(e))).toEqual([]);
  });
});
