// The mini-program chat model over the platform stand-in (fake-platform.ts: real WebSockets to the real
// broker, real HTTP to the real server) in each call style: every content type both ways, uploads through
// uploadFile with progress. Reconnects, storage and errors: client.resilience.test.ts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import type { KefuServer } from '../../server/src/server.js';
import { agentUpload, customerChat, waitFor } from './client-fixtures.js';
import { mediaFiles, startKefu } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'kefu-mp-'));

describe('mini-program client against the real server', () => {
  let server: KefuServer;
  let admin: AgentClient;
  let atAgent: kefu.v1.IMessage[];
  let png: string;
  let aac: string;
  let pdf: Buffer;
  let pdfPath: string;

  beforeAll(async () => {
    ({ server, admin, atAgent } = await startKefu('miniprogram-client'));
    ({ png, aac } = await mediaFiles(dir));
    pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    // What wx.chooseMessageFile hands out: a temp path of its own.
    pdfPath = join(dir, 'tmp_4c1e.pdf');
    writeFileSync(pdfPath, pdf);
  }, 120_000);

  afterAll(async () => {
    await admin.stop();
    await server.stop();
  });

  for (const flavour of ['wx', 'uni', 'taro'] as const) {
    it(`[${flavour}] carries every content type both ways, uploads with progress`, async () => {
      const { chat, events } = customerChat(server.url, `mp_${flavour}`, flavour);
      const atCustomer: kefu.v1.IMessage[] = [];
      chat.onIncoming((m) => atCustomer.push(m));
      const progress: number[] = [];
      chat.subscribe((s) => {
        for (const p of s.pending) if (p.progress !== undefined) progress.push(p.progress);
      });
      await chat.open();
      const conversationId = chat.state.conversation?.id ?? '';
      expect(conversationId).not.toBe('');
      const fromCustomer = (pick: (c: kefu.v1.IContent) => unknown) =>
        waitFor('the agent receives it', () =>
          atAgent.find((m) => m.conversationId === conversationId && pick(m.content ?? {})),
        );

      // Customer → agent.
      chat.sendText('你好 👋🏻 积分兑换');
      expect((await fromCustomer((c) => c.text)).content?.text?.text).toBe('你好 👋🏻 积分兑换');
      chat.send({ sticker: { pack: 'default', stickerId: 'smile', alt: '微笑' } });
      expect((await fromCustomer((c) => c.sticker)).content?.sticker?.stickerId).toBe('smile');
      chat.sendProduct({ id: 'p1', title: '保温杯', price_fen: 9900, points: 1200, url: '/pages/p?id=p1' });
      expect((await fromCustomer((c) => c.product)).content?.product).toMatchObject({
        id: 'p1',
        points: 1200,
      });
      chat.sendOrder({ order_no: 'O-1', status: 3, total_fen: 990, goods: [{ name: '保温杯', qty: 1 }] });
      expect((await fromCustomer((c) => c.order)).content?.order?.status).toBe(
        kefu.v1.OrderStatus.ORDER_STATUS_IN_TRANSIT,
      );
      await chat.sendImage(png);
      const image = await fromCustomer((c) => c.image);
      expect(image.content?.image).toMatchObject({ width: 64, height: 48 });
      expect(image.content?.image?.uploadId).toMatch(/^[0-9A-Z]{26}$/);
      expect(progress).toContain(1);
      await chat.sendVoice(aac, 1900);
      const voice = await fromCustomer((c) => c.voice);
      expect(voice.content?.voice?.uploadId).toMatch(/^[0-9A-Z]{26}$/);
      expect(voice.content?.voice?.durationMs).toBeGreaterThan(1500);
      expect(voice.content?.voice?.durationMs).toBeLessThan(2600);
      // A file under the name the customer picked (the temp path has another).
      await chat.sendFile(pdfPath, '使用说明.pdf', pdf.length);
      expect((await fromCustomer((c) => c.file)).content?.file).toMatchObject({
        name: '使用说明.pdf',
        mimeType: 'application/pdf',
        sizeBytes: pdf.length,
      });
      chat.send({
        call: { callId: `call-${flavour}`, kind: kefu.v1.CallSignalKind.CALL_SIGNAL_KIND_OFFER, sdp: 'v=0' },
      });
      expect((await fromCustomer((c) => c.call)).content?.call?.callId).toBe(`call-${flavour}`);

      // Agent → customer.
      const toCustomer = (pick: (c: kefu.v1.IContent) => unknown) =>
        waitFor('the customer receives it', () =>
          atCustomer.find((m) => m.sender?.role === kefu.v1.Role.ROLE_AGENT && pick(m.content ?? {})),
        );
      await admin.sendText(conversationId, '您好，请问有什么可以帮您？😀');
      expect((await toCustomer((c) => c.text)).content?.text?.text).toBe('您好，请问有什么可以帮您？😀');
      const up = await agentUpload(
        server.url,
        admin,
        conversationId,
        'image',
        await sharp(png).jpeg().toBuffer(),
        'a.jpg',
      );
      await admin.send(conversationId, { image: { uploadId: up.upload_id, url: up.url } });
      expect((await toCustomer((c) => c.image)).content?.image?.uploadId).toBe(up.upload_id);
      // A signed URL the mini-program's <image>/<audio> can load without the bearer token.
      const url = await chat.mediaUrl(up.upload_id, false);
      expect((await fetch(url)).status).toBe(200);
      const clip = await agentUpload(server.url, admin, conversationId, 'voice', readFileSync(aac), 'v.aac');
      await admin.send(conversationId, {
        voice: { uploadId: clip.upload_id, url: clip.url, durationMs: clip.duration_ms ?? 2000 },
      });
      expect((await toCustomer((c) => c.voice)).content?.voice?.uploadId).toBe(clip.upload_id);
      const file = await agentUpload(server.url, admin, conversationId, 'file', pdf, '说明.pdf');
      await admin.send(conversationId, {
        file: { uploadId: file.upload_id, url: file.url, name: '说明.pdf' },
      });
      expect((await toCustomer((c) => c.file)).content?.file?.name).toBe('说明.pdf');
      await admin.send(conversationId, { sticker: { pack: 'default', stickerId: 'ok', alt: 'OK' } });
      await admin.send(conversationId, { product: { id: 'p2', title: '茶具', points: 3000 } });
      await admin.send(conversationId, {
        order: { orderNo: 'O-2', status: kefu.v1.OrderStatus.ORDER_STATUS_COMPLETED },
      });
      await admin.send(conversationId, {
        call: {
          callId: `answer-${flavour}`,
          kind: kefu.v1.CallSignalKind.CALL_SIGNAL_KIND_ANSWER,
          sdp: 'v=0',
        },
      });
      await admin.send(conversationId, {
        ratingInvite: {
          inviteId: `inv-${flavour}`,
          prompt: '请评价',
          scale: kefu.v1.RatingScale.RATING_SCALE_FIVE_STAR,
        },
      });
      expect((await toCustomer((c) => c.sticker)).content?.sticker?.stickerId).toBe('ok');
      expect((await toCustomer((c) => c.product)).content?.product?.id).toBe('p2');
      expect((await toCustomer((c) => c.order)).content?.order?.orderNo).toBe('O-2');
      expect((await toCustomer((c) => c.call)).content?.call?.callId).toBe(`answer-${flavour}`);
      expect((await toCustomer((c) => c.ratingInvite)).content?.ratingInvite?.inviteId).toBe(
        `inv-${flavour}`,
      );
      chat.rate({ inviteId: `inv-${flavour}`, score: 5, comment: '很好' });
      expect((await fromCustomer((c) => c.ratingResult)).content?.ratingResult).toMatchObject({ score: 5 });

      // Every message arrived once, in seq order.
      const seqs = chat.state.messages.map((m) => Number(m.seq));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(events.filter((e) => e.name === 'error')).toEqual([]);
      chat.endChat();
      await waitFor(
        'closed',
        () => chat.state.conversation?.status === kefu.v1.ConversationStatus.CONVERSATION_STATUS_CLOSED,
      );
      await chat.stop();
    });
  }
});
