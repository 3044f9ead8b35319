// End-to-end (issue 17): what the agent reads and sends in a chat — list previews that name cards the
// same live and after a reload, recalled messages leaving the preview, documents and file cards, images
// pasted or dropped onto the chat, refused uploads in words, and quoted replies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { fileContent, orderContent, productContent, type UploadResult } from '@kefu/sdk-core';
import { waitFor } from '@kefu/tools/testing';
import { received, signInConsole, startStack, type Customer, type Stack } from './stack.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const MAX_FILE_BYTES = 64 * 1024;

describe('console chat: previews, recall, files, quotes', () => {
  let stack: Stack;
  let page: Page;
  let customer: Customer;
  let id = '';
  const row = () => page.locator(`[data-conversation="${id}"]`);
  const preview = () => row().locator('.conv-last').textContent({ timeout: 1_000 });
  const thread = () => page.locator('.thread');

  /** Uploads as the customer (POST /uploads) and sends the file message. */
  const customerSendsFile = async (name: string, body: Buffer): Promise<void> => {
    const token = (await customer.client.sessions.current()).token;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(body)]), name);
    const res = await fetch(`${stack.server.url}/api/v1/uploads?conversation_id=${id}&kind=file`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    await customer.client.send(id, fileContent((await res.json()) as UploadResult, name));
  };

  /** Dispatches a paste or a drop of a PNG in the page (the clipboard and drag sources of a real user). */
  const imageEvent = async (kind: 'paste' | 'drop', png: Buffer): Promise<void> => {
    await page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(png.toString('base64'))}), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'shot.png', { type: 'image/png' }));
      if (${JSON.stringify(kind)} === 'paste') {
        document.querySelector('.composer textarea')
          .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      } else {
        const chat = document.querySelector('main.chat');
        chat.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
        chat.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    })()`);
  };

  beforeAll(async () => {
    stack = await startStack('console-messages', {
      agents: [{ username: 'xiaowang', display_name: '小王', role: 'agent', password: 'xiaowang-pass-1' }],
      env: { UPLOAD_MAX_FILE_BYTES: String(MAX_FILE_BYTES) },
    });
    page = await stack.page();
    await signInConsole(page, stack.server, 'xiaowang', 'xiaowang-pass-1');
    customer = await stack.customer('u3001', '王五');
    id = await stack.chat(customer, 'xiaowang');
    await customer.client.sendText(id, '你好');
    await row().click({ timeout: 20_000 });
    await waitFor('the thread', async () =>
      (await thread().textContent({ timeout: 1_000 }))?.includes('你好'),
    );
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  });

  it('names orders and products in the list the same live and after a reload', async () => {
    await customer.client.send(id, orderContent({ order_no: '202412060001', status: 2, total_fen: 12_900 }));
    await expect.poll(preview, { timeout: 10_000 }).toBe('[订单] 202412060001');
    // A points-only order shows its points, not ¥0.00 (sdk-core's totals, as in the widget).
    await customer.client.send(
      id,
      orderContent({ order_no: '202412060002', status: 2, total_fen: 0, total_points: 1200 }),
    );
    const card = page.locator('.order-card', { hasText: '202412060002' });
    await expect
      .poll(() => card.textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toContain('合计 1200 积分');
    expect(await card.textContent()).not.toContain('¥0.00');
    await customer.client.send(id, productContent({ id: 'p1001', title: '蓝牙耳机 Pro' }));
    await expect.poll(preview, { timeout: 10_000 }).toBe('[商品] 蓝牙耳机 Pro');
    await page.reload();
    await expect.poll(preview, { timeout: 20_000 }).toBe('[商品] 蓝牙耳机 Pro');
    // English: the stored (zh-CN) line with its label translated.
    await page.click('header button:has-text("English")');
    await expect.poll(preview).toBe('[Product] 蓝牙耳机 Pro');
    await page.click('header button:has-text("中文")');
    await row().click();
  });

  it('takes a recalled message out of the list preview (agent and customer), also after a reload', async () => {
    await page.fill('.composer textarea', '这条消息会撤回');
    await page.press('.composer textarea', 'Enter');
    await expect.poll(preview, { timeout: 10_000 }).toBe('这条消息会撤回');
    const mine = page.locator('.msg.right', { hasText: '这条消息会撤回' });
    await mine.locator('button:has-text("撤回")').click();
    await expect.poll(preview, { timeout: 10_000 }).toBe('[已撤回]');
    await expect.poll(() => mine.count()).toBe(0);

    await customer.client.sendText(id, '客户要撤回的话');
    await expect.poll(preview, { timeout: 10_000 }).toBe('客户要撤回的话');
    const sent = await received(
      customer,
      'its own message',
      (m) => m.content?.text?.text === '客户要撤回的话',
    );
    await customer.client.recall(id, sent.id ?? '');
    await expect.poll(preview, { timeout: 10_000 }).toBe('[已撤回]');
    await expect.poll(() => thread().textContent({ timeout: 1_000 })).not.toContain('客户要撤回的话');
    await page.reload();
    await expect.poll(preview, { timeout: 20_000 }).toBe('[已撤回]');
    await row().click();
  });

  it('sends a document and shows the customer’s file with name, size and a download', async () => {
    await page.setInputFiles('.composer input[data-kind=file]', {
      name: '报价单.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    const sent = await received(customer, 'a file', (m) => !!m.content?.file);
    expect(sent.content?.file).toMatchObject({ name: '报价单.pdf', mimeType: 'application/pdf' });
    expect(Number(sent.content?.file?.sizeBytes)).toBe(PDF.length);
    await expect.poll(preview, { timeout: 10_000 }).toBe('[文件] 报价单.pdf');

    await customerSendsFile('发票.pdf', PDF);
    const card = page.locator('.msg.left .file-card[data-file="发票.pdf"]');
    await expect
      .poll(() => card.textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toContain(`${String(PDF.length)} B`);
    const [download] = await Promise.all([page.waitForEvent('download'), card.locator('a.download').click()]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(path)).toEqual(PDF);
  });

  it('sends an image pasted into the composer or dropped onto the chat', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const before = customer.messages.filter((m) => m.content?.image).length;
    await imageEvent('paste', png);
    await waitFor(
      'the pasted image',
      () => customer.messages.filter((m) => m.content?.image).length > before,
      {
        timeoutMs: 20_000,
      },
    );
    await imageEvent('drop', png);
    await waitFor(
      'the dropped image',
      () => customer.messages.filter((m) => m.content?.image).length > before + 1,
      { timeoutMs: 20_000 },
    );
    expect(await page.locator('.composer .upload').count()).toBe(0);
  });

  it('says in words why a file was refused, and lets it go', async () => {
    await page.setInputFiles('.composer input[data-kind=file]', {
      name: '大文件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES)]),
    });
    const failed = page.locator('.composer .upload .error');
    await expect
      .poll(() => failed.textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toBe('上传失败：文件过大');
    expect(await failed.getAttribute('title')).toMatch(/^payload_too_large: /);
    await page.click('.composer .upload button[aria-label="关闭"]');

    await page.setInputFiles('.composer input[data-kind=file]', {
      name: 'setup.exe',
      mimeType: 'application/octet-stream',
      buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2048, 1)]),
    });
    await expect
      .poll(() => failed.textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toBe('上传失败：不支持的文件类型');
    await page.click('.composer .upload button[aria-label="关闭"]');
    expect(await page.locator('.composer .upload').count()).toBe(0);
  });

  it('replies with a quote; the reply shows the original and leads to it', async () => {
    await customer.client.sendText(id, '积分什么时候到账？');
    const original = page.locator('.msg.left', { hasText: '积分什么时候到账？' });
    await original.locator('.quote-action').click({ timeout: 10_000 });
    const bar = page.locator('.composer .quote-bar');
    expect(await bar.textContent()).toContain('引用 王*：积分什么时候到账？');
    // Esc cancels the quote; quoting again and sending sends quote_message_id.
    await page.press('.composer textarea', 'Escape');
    expect(await bar.count()).toBe(0);
    await original.locator('.quote-action').click();
    await page.fill('.composer textarea', '预计 3 个工作日内到账');
    await page.press('.composer textarea', 'Enter');
    const originalId = (await original.getAttribute('data-id')) ?? '';
    const reply = await received(
      customer,
      'the quoted reply',
      (m) => m.content?.text?.text === '预计 3 个工作日内到账',
    );
    expect(reply.quoteMessageId).toBe(originalId);
    expect(await bar.count()).toBe(0);

    const quoted = page.locator('.msg.right', { hasText: '预计 3 个工作日内到账' }).locator('.quoted');
    await expect
      .poll(() => quoted.textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toBe('王* 积分什么时候到账？');
    await quoted.click();
    await expect
      .poll(() => page.locator('.msg.marked').getAttribute('data-id', { timeout: 1_000 }))
      .toBe(originalId);
    // The customer recalls the original: the quote says so.
    await customer.client.recall(id, originalId);
    await expect
      .poll(() => quoted.textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toBe('王* 原消息已撤回');
  });

  it("sends a sticker from the picker and shows the customer's", async () => {
    await page.click('.composer button.picker-sticker');
    await page.click('.sticker-picker button[data-sticker=thanks]');
    const sent = await received(customer, 'a sticker', (m) => m.content?.sticker?.stickerId === 'thanks');
    expect(sent.content?.sticker).toMatchObject({
      pack: 'kefu',
      alt: '谢谢',
      url: `${stack.server.url}/sdk/v1/stickers/kefu/thanks.svg`,
    });
    await expect.poll(preview, { timeout: 10_000 }).toBe('[表情] 谢谢');
    expect(await page.locator('.sticker-picker').count()).toBe(0);

    await customer.client.send(id, { sticker: { pack: 'kefu', stickerId: 'ok', alt: '好的' } });
    // The picture from the pack on this server, or (while it cannot load) its alt text.
    const shown = async (): Promise<number> =>
      (await page.locator('.msg.left img.sticker[alt="好的"]').count()) +
      (await page.locator('.msg.left .sticker-alt', { hasText: '[好的]' }).count());
    await expect.poll(shown, { timeout: 10_000 }).toBe(1);
  });

  it('had no uncaught errors in the page', () => {
    expect(stack.pageErrors).toEqual([]);
  });
});
