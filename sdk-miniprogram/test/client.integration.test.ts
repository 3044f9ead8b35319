// The mini-program chat model and client over the platform stand-in (fake-platform.ts: real WebSockets to
// the real broker, real HTTP to the real server) in each call style: every content type both ways, uploads
// through uploadFile with progress, reconnects after a network cut and across a server restart with
// nothing lost and nothing twice.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { kefu } from '@kefu/proto';
import type { AgentClient, CustomerChat } from '@kefu/sdk-core';
import { waitFor as waitForQuickly } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../server/src/server.js';
import { silentLogger } from '../../server/test/helpers.js';
import type { Config } from '../../server/src/config.js';
import { createChat, createClient } from '../src/client.js';
import { createFakePlatform, type FakePlatform, type Flavour } from './fake-platform.js';
import { mediaFiles, signed, startKefu } from './fixtures.js';

/** Server round trips (image processing, voice conversion) get 30 s: the suite shares two cores. */
const waitFor = <T>(
  what: string,
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
) => waitForQuickly(what, check, { timeoutMs: 30_000, ...options });

const dir = mkdtempSync(join(tmpdir(), 'kefu-mp-'));

interface Harness {
  chat: CustomerChat<string>;
  wx: FakePlatform;
  events: { name: string; payload: unknown }[];
}

function customerChat(
  server: string,
  userId: string,
  flavour: Flavour,
  wx = createFakePlatform(flavour),
): Harness {
  const events: Harness['events'] = [];
  const chat = createChat({
    platform: wx,
    server,
    identity: () => Promise.resolve(signed(userId)),
    attributes: () => ({}),
    page: () => ({ url: 'pages/chat/index', title: '在线客服' }),
    visible: () => true,
    emit: (name, payload) => events.push({ name, payload }),
    setUnread: () => undefined,
    setActive: () => undefined,
  });
  return { chat, wx, events };
}

/** The agent's upload over HTTP (the console does the same with XMLHttpRequest). */
async function agentUpload(
  server: string,
  client: AgentClient,
  conversationId: string,
  kind: 'image' | 'voice' | 'file',
  bytes: Buffer,
  name: string,
) {
  const { token } = await client.sessions.current();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${server}/api/v1/uploads?conversation_id=${conversationId}&kind=${kind}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as {
    upload_id: string;
    url: string;
    size_bytes: number;
    mime_type: string;
    duration_ms?: number;
  };
}

describe('mini-program client against the real server', () => {
  let server: KefuServer;
  let config: Config;
  let admin: AgentClient;
  let atAgent: kefu.v1.IMessage[];
  let png: string;
  let aac: string;
  let pdf: Buffer;

  beforeAll(async () => {
    ({ server, config, admin, atAgent } = await startKefu('miniprogram-client'));
    ({ png, aac } = await mediaFiles(dir));
    pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
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

  it('loses and duplicates nothing across a network cut and a server restart', async () => {
    const { chat, wx } = customerChat(server.url, 'mp_reconnect', 'wx');
    const atCustomer: kefu.v1.IMessage[] = [];
    chat.onIncoming((m) => atCustomer.push(m));
    await chat.open();
    const conversationId = chat.state.conversation?.id ?? '';
    const texts = (list: kefu.v1.IMessage[]) =>
      list
        .filter((m) => m.conversationId === conversationId)
        .map((m) => m.content?.text?.text)
        .filter(Boolean);

    // 1. The network drops (the socket dies without a close handshake).
    for (const ws of wx.sockets) ws.terminate();
    await waitFor('customer offline', () => chat.state.status !== 'online');
    chat.sendText('离线时发送 1');
    chat.sendText('离线时发送 2');
    await admin.sendText(conversationId, '客服在此期间回复');
    await waitFor('customer back online', () => chat.state.status === 'online', { timeoutMs: 30_000 });
    await waitFor(
      'agent got both',
      () => texts(atAgent).filter((t) => t?.startsWith('离线时发送')).length === 2,
      { timeoutMs: 20_000 },
    );
    await waitFor('customer got the reply', () => texts(chat.state.messages).includes('客服在此期间回复'), {
      timeoutMs: 20_000,
    });

    // 2. The server (and its embedded broker) restarts on the same port and database.
    await server.stop();
    chat.sendText('重启时发送');
    server = await startServer(config, silentLogger);
    await waitFor('customer reconnected', () => chat.state.status === 'online', { timeoutMs: 60_000 });
    await waitFor('agent reconnected', () => admin.status === 'online', { timeoutMs: 60_000 });
    await admin.sendText(conversationId, '重启后回复');
    await waitFor('agent got it', () => texts(atAgent).includes('重启时发送'), { timeoutMs: 30_000 });
    await waitFor('customer got it', () => texts(chat.state.messages).includes('重启后回复'), {
      timeoutMs: 30_000,
    });

    const mine = texts(atAgent);
    for (const t of ['离线时发送 1', '离线时发送 2', '重启时发送'])
      expect(mine.filter((x) => x === t)).toHaveLength(1);
    const shown = texts(chat.state.messages);
    for (const t of ['客服在此期间回复', '重启后回复', '离线时发送 1', '重启时发送'])
      expect(shown.filter((x) => x === t)).toHaveLength(1);
    expect(chat.state.pending).toEqual([]);
    await chat.stop();
  }, 180_000);

  it('keeps the session and outbox in platform storage, per user, and forgets them on logout', async () => {
    const wx = createFakePlatform('uni');
    const first = customerChat(server.url, 'mp_storage', 'uni', wx);
    await first.chat.open();
    const keys = [...wx.storage.keys()];
    expect(keys.some((k) => k.startsWith('kefu:u:mp_storage'))).toBe(true);
    await first.chat.logout();
    expect([...wx.storage.keys()].filter((k) => k.startsWith('kefu:u:mp_storage'))).toEqual([]);
    // Storage that refuses writes (quota): the client still works from memory.
    wx.failStorageWrites = 100;
    const second = customerChat(server.url, 'mp_storage2', 'uni', wx);
    await second.chat.open();
    expect(second.chat.state.status).toBe('online');
    await second.chat.stop();
  });

  it('refuses a forged identity and a wrong platform object with clear errors', async () => {
    const events: { name: string; payload: unknown }[] = [];
    const chat = createChat({
      platform: createFakePlatform('wx'),
      server: server.url,
      identity: () =>
        Promise.resolve({
          identity: { user_id: 'mp_forged', ts: Math.floor(Date.now() / 1000) },
          signature: 'x'.repeat(64),
        }),
      attributes: () => ({}),
      visible: () => true,
      emit: (name, payload) => events.push({ name, payload }),
      setUnread: () => undefined,
      setActive: () => undefined,
    });
    await chat.start();
    await waitFor('error state', () => chat.state.status === 'error');
    expect(chat.state.error?.code).toBe('identity_refused');
    expect(events.some((e) => e.name === 'error')).toBe(true);
    expect(() => createClient({ platform: {}, server: server.url })).toThrow(/wx, uni or Taro/);
    expect(() => createClient({ platform: createFakePlatform('wx'), server: 'kefu.example.com' })).toThrow(
      /http\(s\) URL/,
    );
  });

  it('gives the headless client the same delivery contract', async () => {
    const wx = createFakePlatform('taro');
    const client = createClient({
      platform: wx,
      server: server.url,
      identify: () => Promise.resolve(signed('mp_headless')),
    });
    const got: kefu.v1.IMessage[] = [];
    client.on('message', (m) => got.push(m));
    await client.start();
    const state = await client.open({ channel: 'miniprogram' });
    await client.sendToCurrent({ text: { text: 'headless 你好' } });
    await waitFor('echo', () => got.some((m) => m.content?.text?.text === 'headless 你好'));
    await admin.sendText(state.id ?? '', 'reply');
    await waitFor('reply', () => got.some((m) => m.content?.text?.text === 'reply'));
    await client.stop();
  });
});

// Keep the generated fixtures' directory around only for the run.
afterAll(() => {
  writeFileSync(join(dir, '.done'), '');
});
