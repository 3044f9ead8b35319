// <kefu-chat> as it ships (miniprogram_dist, built by `npm run build`), rendered by miniprogram-simulate
// (WeChat's exparser and its official WXML compiler) with the global `wx` a stand-in whose network is
// real (fake-platform.ts, fake-component-platform.ts), against the real server and an agent client.
//
// Workarounds, each needed under Vitest:
// - miniprogram-simulate renders into a DOM, but the server under test runs in the same process and needs
//   Node's own URL, fetch, Blob and FormData, which Vitest's jsdom environment replaces (the server's
//   fileURLToPath then throws). So the file runs in the Node environment and only the DOM globals
//   miniprogram-simulate and its exparser use are taken from a jsdom window (installDom below).
// - miniprogram-simulate is CommonJS and loads the component with Node's require: it is loaded through
//   createRequire (its types would also pull in miniprogram-api-typings, whose global `wx`/`Component`
//   clash with the component's own declarations).
// - sdk-miniprogram's package.json says "type": "module", so Node would read miniprogram_dist/*.js as ES
//   modules. The test copies miniprogram_dist where WeChat DevTools' "build npm" puts it
//   (miniprogram_npm/@kefu/sdk-miniprogram) in a temporary directory with no package.json above it, so
//   the files load as the CommonJS they are, with their relative requires.
// - jsdom has TouchEvent but no Touch constructor, which j-component uses to dispatch touches: a minimal
//   one is installed.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import vm from 'node:vm';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { waitFor as waitForQuickly } from '@kefu/tools/testing';
import type { KefuServer } from '../../server/src/server.js';
import { agent, collect, online } from '../../server/test/messaging/harness.js';
import { ratingModel } from '../../server/src/model/rating.js';
import { SettingRepository } from '../../server/src/repository/setting-repository.js';
import { ROUTING_CACHE_MS } from '../../server/src/service/routing/allocator.js';
import { createComponentPlatform, type ComponentPlatform } from './fake-component-platform.js';
import { ADMIN_PASSWORD, mediaFiles, signed, startKefu } from './fixtures.js';

/** Server round trips (image processing, voice conversion) get 30 s: the suite shares two cores. */
const waitFor = <T>(
  what: string,
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
) => waitForQuickly(what, check, { timeoutMs: 30_000, ...options });

/** The parts of jsdom, miniprogram-simulate and j-component the test uses (all CommonJS, no types here). */
interface DomElement {
  readonly textContent: string | null;
}
interface DomWindow {
  readonly document: { createElement(tag: string): DomElement };
}
interface SimNode {
  readonly dom: DomElement;
  readonly data: Record<string, unknown>;
  /** Attributes as written in WXML (built-in components keep theirs here, not on the DOM). */
  toJSON(): { attrs: { name: string; value: unknown }[] };
  readonly instance: { setData(patch: Record<string, unknown>): void };
  querySelector(selector: string): SimNode | undefined;
  querySelectorAll(selector: string): SimNode[];
  dispatchEvent(
    name: string,
    options?: { detail?: unknown; touches?: unknown[]; changedTouches?: unknown[] },
  ): void;
}
interface SimRoot extends SimNode {
  attach(parent: DomElement): void;
  detach(): void;
  setData(patch: Record<string, unknown>): void;
  addEventListener(name: string, fn: (e: { detail: unknown }) => void): void;
  triggerPageLifeTime(name: 'show' | 'hide'): void;
}
interface Simulate {
  load(
    path: string,
    tagName: string,
    options: { compiler: 'official' | 'simulate'; rootPath: string },
  ): string;
  render(id: string, props?: Record<string, unknown>): SimRoot;
}

const require = createRequire(import.meta.url);
const dist = fileURLToPath(new URL('../miniprogram_dist', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kefu-component-'));

/** The DOM globals miniprogram-simulate (j-component, exparser) reads; Node's own web APIs stay. */
function installDom(): DomWindow {
  const { JSDOM } = require('jsdom') as {
    JSDOM: new (html: string, options: object) => { window: DomWindow };
  };
  const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    pretendToBeVisual: true,
  });
  const w = window as unknown as Record<string, unknown>;
  w['Touch'] = class Touch {
    readonly identifier: unknown;
    constructor(init: { identifier?: unknown }) {
      this.identifier = init.identifier;
      Object.assign(this, init);
    }
  };
  const g = globalThis as unknown as Record<string, unknown>;
  g['window'] = window;
  for (const name of [
    'document',
    'Node',
    'Element',
    'HTMLElement',
    'Image',
    'Event',
    'CustomEvent',
    'TouchEvent',
    'Touch',
    'getComputedStyle',
    'requestAnimationFrame',
    'cancelAnimationFrame',
  ]) {
    const v = w[name];
    // Functions called unqualified (getComputedStyle…) need the window as `this`; classes do not.
    g[name] = typeof v === 'function' && !/^[A-Z]/.test(name) ? (v as () => unknown).bind(window) : v;
  }
  return window;
}

interface Mounted {
  comp: SimRoot;
  wx: ComponentPlatform;
  events: { name: string; detail: unknown }[];
  patches: Record<string, unknown>[];
  text(selector?: string): string;
  all(selector: string): string[];
  tap(selector: string, index?: number): void;
  input(selector: string, value: string): void;
  event<T = unknown>(name: string): T[];
}

const EVENTS = ['navigate', 'message', 'queue', 'assigned', 'unread', 'error'];

describe('<kefu-chat> (built component, miniprogram-simulate)', () => {
  let server: KefuServer;
  let admin: AgentClient;
  let atAgent: kefu.v1.IMessage[];
  let sim: Simulate;
  let dom: DomWindow;
  let componentId: string;
  let png: string;
  let aac: string;
  /** The first customer's phone (its storage survives the component). */
  const textDevice = createComponentPlatform();
  const mounted: Mounted[] = [];

  function mount(props: Record<string, unknown>, wx = createComponentPlatform()): Mounted {
    (globalThis as { wx?: unknown }).wx = wx;
    const comp = sim.render(componentId, props);
    const events: Mounted['events'] = [];
    for (const name of EVENTS)
      comp.addEventListener(name, (e) => {
        events.push({ name, detail: e.detail });
      });
    // Every setData the component makes (payload sizes are part of the contract).
    const patches: Record<string, unknown>[] = [];
    const instance = comp.instance;
    const setData = instance.setData.bind(instance);
    instance.setData = (patch) => {
      patches.push(patch);
      setData(patch);
    };
    comp.attach(dom.document.createElement('parent-wrapper'));
    const node = (selector: string, index = 0): SimNode => {
      const found = comp.querySelectorAll(selector)[index];
      if (!found) throw new Error(`no ${selector}[${String(index)}] in ${comp.dom.textContent}`);
      return found;
    };
    const m: Mounted = {
      comp,
      wx,
      events,
      patches,
      text: (selector) =>
        selector
          ? comp
              .querySelectorAll(selector)
              .map((n) => n.dom.textContent)
              .join('\n')
          : (comp.dom.textContent ?? ''),
      all: (selector) => comp.querySelectorAll(selector).map((n) => n.dom.textContent ?? ''),
      tap: (selector, index = 0) => {
        node(selector, index).dispatchEvent('tap');
      },
      input: (selector, value) => {
        node(selector).dispatchEvent('input', { detail: { value } });
      },
      event: <T>(name: string) => events.filter((e) => e.name === name).map((e) => e.detail as T),
    };
    mounted.push(m);
    return m;
  }

  const agentGot = (what: string, pick: (m: kefu.v1.IMessage) => boolean) =>
    waitFor(`agent receives ${what}`, () => atAgent.find(pick), { timeoutMs: 20_000 });

  beforeAll(async () => {
    if (!existsSync(join(dist, 'kefu-chat/index.js'))) throw new Error('run `npm run build` first');
    const root = join(work, 'miniprogram_npm/@kefu/sdk-miniprogram');
    cpSync(dist, root, { recursive: true });
    dom = installDom();
    sim = require('miniprogram-simulate') as Simulate;
    componentId = sim.load(join(root, 'kefu-chat/index'), 'kefu-chat', {
      compiler: 'official',
      rootPath: root,
    });

    ({ server, admin, atAgent } = await startKefu('miniprogram-component', {
      ROUTING_SCAN_INTERVAL_MS: '200',
    }));
    ({ png, aac } = await mediaFiles(work));
  }, 120_000);

  afterEach(() => {
    for (const m of mounted.splice(0)) m.comp.detach();
  });

  afterAll(async () => {
    // Admin may be a new client by now (the queue test restarts it).
    if (admin.status === 'online')
      for (const id of conversations) await admin.close(id, 'test over').catch(() => undefined);
    await admin.stop();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** The conversation a message of this customer reached the agent in. */
  const conversations: string[] = [];
  const conversationOf = async (userUid: string) => {
    const first = await agentGot(`a message of ${userUid}`, (x) => x.sender?.uid === userUid);
    const id = first.conversationId ?? '';
    conversations.push(id);
    return id;
  };
  const ready = (m: Mounted) => waitFor('the composer', () => (m.all('.kc-bar').length ? true : undefined));
  const shows = (m: Mounted, text: string, selector?: string) =>
    waitFor(`"${text}" on screen`, () => (m.text(selector).includes(text) ? true : undefined), {
      timeoutMs: 20_000,
    });

  it('sends text with an emoji, shows the agent’s reply, typing and read marks, with small setData patches', async () => {
    const m = mount({ server: server.url, identity: signed('mp_text') }, textDevice);
    await ready(m);
    m.input('.kc-input', '请问什么时候发货');
    m.tap('.kc-emoji-toggle');
    await waitFor('the emoji panel', () => (m.all('.kc-emoji-item').length > 10 ? true : undefined));
    m.tap('.kc-emoji-item', 4); // 😊
    await waitFor('the send button', () => (m.all('.kc-send').length ? true : undefined));
    m.tap('.kc-send');
    const text = await agentGot(
      'the text',
      (x) => x.content?.text?.text?.startsWith('请问什么时候发货') === true,
    );
    expect(text.content?.text?.text).toBe('请问什么时候发货😊');
    const conversationId = text.conversationId ?? '';
    conversations.push(conversationId);
    // The input was cleared.
    await waitFor('the input cleared', () => (m.comp.data['text'] === '' ? true : undefined));

    const reads: kefu.v1.IReadReceipt[] = [];
    admin.on('read', (r) => reads.push(r));
    await admin.typing(conversationId, true);
    await shows(m, '对方正在输入…', '.kc-typing');
    const before = m.patches.length;
    await admin.sendText(conversationId, '您好，今天下午发货 🚚');
    await shows(m, '您好，今天下午发货 🚚', '.kc-theirs');
    await waitFor('typing hidden', () => (m.all('.kc-typing').length === 0 ? true : undefined));
    expect(m.text('.kc-theirs .kc-name')).toContain('管理员');
    expect(
      m.event<kefu.v1.IMessage>('message').some((x) => x.content?.text?.text === '您好，今天下午发货 🚚'),
    ).toBe(true);
    // The new message went out as one list entry, not the whole list again.
    const added = m.patches.slice(before).find((p) => JSON.stringify(p).includes('今天下午发货'));
    expect(Object.keys(added ?? {})).not.toContain('items');
    expect(Object.keys(added ?? {}).some((k) => /^items\[\d+\]$/.test(k))).toBe(true);
    // The customer sees it (component attached, page shown): the agent gets the read receipt…
    const reply = atAgent.find((x) => x.content?.text?.text === '您好，今天下午发货 🚚');
    await waitFor('read receipt at the agent', () =>
      reads.find((r) => Number(r.readSeq) >= Number(reply?.seq)),
    );
    // …and the agent reading turns the customer's message 已读.
    await admin.markRead(conversationId, Number(reply?.seq));
    await waitFor('已读', () => (m.all('.kc-mine .kc-meta').join() === '已读' ? true : undefined));

    // The agent recalls a message: it shows as recalled.
    await admin.sendText(conversationId, '发错了');
    const wrong = await agentGot('the wrong message', (x) => x.content?.text?.text === '发错了');
    await shows(m, '发错了', '.kc-theirs');
    await admin.recall(conversationId, wrong.id ?? '');
    await shows(m, '消息已撤回', '.kc-notice');
    expect(m.text('.kc-list')).not.toContain('发错了');

    // Page hidden: messages count as unread and the host is told; shown again: read.
    m.comp.triggerPageLifeTime('hide');
    await admin.sendText(conversationId, '还在吗？');
    await waitFor('unread 1', () => m.event<{ count: number }>('unread').find((u) => u.count === 1));
    m.comp.triggerPageLifeTime('show');
    await waitFor('unread 0', () => m.event<{ count: number }>('unread').find((u) => u.count === 0));
  });

  it('loads the history from the server when reopened, older pages on scrolling up', async () => {
    const conversationId = conversations[0] ?? '';
    const open = mount({ server: server.url, identity: signed('mp_text') }, textDevice);
    await ready(open);
    for (let i = 1; i <= 35; i++) await admin.sendText(conversationId, `第 ${String(i)} 条补充说明`);
    await shows(open, '第 35 条补充说明', '.kc-list');
    open.comp.detach();
    // Reopened on the same device: nothing is kept in memory, the history comes from the server, newest
    // page first.
    const m = mount({ server: server.url, identity: signed('mp_text') }, textDevice);
    await shows(m, '第 35 条补充说明', '.kc-list');
    const first = m.all('.kc-row').length;
    expect(first).toBeLessThanOrEqual(30);
    expect(m.text('.kc-list')).not.toContain('请问什么时候发货😊');
    for (let i = 0; i < 5 && !m.text('.kc-list').includes('请问什么时候发货😊'); i++) {
      m.comp.querySelector('.kc-list')?.dispatchEvent('scrolltoupper');
      await new Promise((r) => setTimeout(r, 400));
    }
    await shows(m, '请问什么时候发货😊', '.kc-list');
    await shows(m, '没有更早的消息了', '.kc-older');
    const keys = (m.comp.data['items'] as { key: string }[]).map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(m.all('.kc-row').length).toBeGreaterThan(first);
  });

  /** An attribute as written in WXML (built-in components keep theirs in the virtual tree, not the DOM). */
  const attr = (node: SimNode | undefined, name: string): string => {
    const v = node?.toJSON().attrs.find((a) => a.name === name)?.value;
    return typeof v === 'string' ? v : '';
  };

  it('sends images from the album and the camera with upload progress, shows them from signed URLs', async () => {
    const m = mount({ server: server.url, identity: signed('mp_media') });
    await ready(m);
    m.wx.media.push(png);
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-album').length ? true : undefined));
    m.tap('.kc-album');
    const image = await agentGot('the image', (x) => x.sender?.uid === 'u_mp_media' && !!x.content?.image);
    conversations.push(image.conversationId ?? '');
    expect(m.wx.chooseCalls[0]).toEqual({ sourceType: ['album'], mediaType: ['image'] });
    expect(image.content?.image).toMatchObject({ width: 64, height: 48, mimeType: 'image/png' });
    expect(image.content?.image?.uploadId).toMatch(/^[0-9A-Z]{26}$/);
    // Progress reached the screen between 0 and 100 %.
    const shown = m.patches.flatMap((p) =>
      [...JSON.stringify(p).matchAll(/上传中 (\d+)%/g)].map((x) => Number(x[1])),
    );
    expect(shown.some((p) => p > 0 && p < 100)).toBe(true);
    expect(m.wx.uploadProgress.at(-1)).toBe(100);
    // Shown from a signed thumbnail URL that loads without the bearer token.
    const img = await waitFor('the image shown', () =>
      m.comp.querySelectorAll('.kc-mine .kc-image').find((n) => attr(n, 'src').startsWith('http')),
    );
    const thumb = await fetch(attr(img, 'src'));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toMatch(/^image\//);
    // A tap previews the full image.
    img.dispatchEvent('tap');
    const preview = await waitFor('previewImage', () => m.wx.previews[0]);
    expect((await fetch(preview.urls[0] ?? '')).status).toBe(200);

    m.wx.media.push(png);
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-camera').length ? true : undefined));
    m.tap('.kc-camera');
    await waitFor('the camera image at the agent', () =>
      atAgent.filter((x) => x.sender?.uid === 'u_mp_media' && x.content?.image).length === 2
        ? true
        : undefined,
    );
    expect(m.wx.chooseCalls[1]?.sourceType).toEqual(['camera']);
  });

  it('shows a failed upload with retry, and tells the host', async () => {
    const m = mount({ server: server.url, identity: signed('mp_media') });
    await ready(m);
    const notImage = join(work, 'not-an-image.png');
    writeFileSync(notImage, 'this is text, not a PNG');
    m.wx.media.push(notImage);
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-album').length ? true : undefined));
    m.tap('.kc-album');
    await shows(m, '发送失败', '.kc-failed');
    expect(m.all('.kc-retry')).toEqual([' 重试']);
    expect(m.event<{ code: string }>('error').map((e) => e.code)).toContain('upload_failed');
    const uploads = m.wx.uploadProgress.length;
    m.tap('.kc-retry');
    await waitFor('uploaded again', () => (m.wx.uploadProgress.length > uploads ? true : undefined));
    await waitFor('failed again', () =>
      m.event<{ code: string }>('error').filter((e) => e.code === 'upload_failed').length === 2
        ? true
        : undefined,
    );
  });

  it('records a voice message (hold to talk) and sends it; plays the agent’s voice message', async () => {
    const m = mount({ server: server.url, identity: signed('mp_voice') });
    await ready(m);
    m.tap('.kc-mode');
    await waitFor('hold-to-talk', () => (m.all('.kc-hold').length ? true : undefined));
    const hold = () => m.comp.querySelector('.kc-hold');
    // Held for two seconds: WeChat's recorder writes an AAC file.
    m.wx.recorder.next = { file: aac, durationMs: 2000 };
    hold()?.dispatchEvent('touchstart', { touches: [{ x: 200, y: 1200 }] });
    await shows(m, '手指上滑，取消发送', '.kc-recording');
    expect(m.wx.recorder.starts[0]).toMatchObject({ format: 'aac', duration: 60_000 });
    hold()?.dispatchEvent('touchend', { changedTouches: [{ x: 200, y: 1200 }] });
    const voice = await agentGot(
      'the voice message',
      (x) => x.sender?.uid === 'u_mp_voice' && !!x.content?.voice,
    );
    const conversationId = voice.conversationId ?? '';
    conversations.push(conversationId);
    expect(voice.content?.voice?.uploadId).toMatch(/^[0-9A-Z]{26}$/);
    expect(voice.content?.voice?.durationMs).toBeGreaterThan(1500);
    expect(voice.content?.voice?.durationMs).toBeLessThan(2600);
    await shows(m, '2″', '.kc-mine .kc-voice');

    // Too short: not sent, the customer is told.
    m.wx.recorder.next = { file: aac, durationMs: 400 };
    hold()?.dispatchEvent('touchstart', { touches: [{ x: 200, y: 1200 }] });
    await shows(m, '手指上滑', '.kc-recording');
    hold()?.dispatchEvent('touchend', { changedTouches: [{ x: 200, y: 1200 }] });
    await waitFor('too short', () => m.wx.toasts.find((t) => t === '说话时间太短'));
    // Slid up: cancelled, not sent.
    m.wx.recorder.next = { file: aac, durationMs: 3000 };
    hold()?.dispatchEvent('touchstart', { touches: [{ x: 200, y: 1200 }] });
    await shows(m, '手指上滑', '.kc-recording');
    hold()?.dispatchEvent('touchmove', { touches: [{ x: 200, y: 1000 }] });
    await shows(m, '松开手指，取消发送', '.kc-recording');
    hold()?.dispatchEvent('touchend', { changedTouches: [{ x: 200, y: 1000 }] });
    await waitFor('overlay gone', () => (m.all('.kc-recording').length === 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(atAgent.filter((x) => x.sender?.uid === 'u_mp_voice' && x.content?.voice)).toHaveLength(1);

    // The agent's clip: a tap plays it from a signed URL; one clip at a time.
    const { token } = await admin.sessions.current();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(aac))]), 'reply.aac');
    const res = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=voice`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const clip = (await res.json()) as { upload_id: string; url: string; duration_ms?: number };
    await admin.send(conversationId, {
      voice: { uploadId: clip.upload_id, url: clip.url, durationMs: clip.duration_ms ?? 2000 },
    });
    await waitFor('the agent’s voice shown', () => (m.all('.kc-theirs .kc-voice').length ? true : undefined));
    m.tap('.kc-theirs .kc-voice');
    const audio = await waitFor('InnerAudioContext playing', () =>
      m.wx.audios[0]?.played.length ? m.wx.audios[0] : undefined,
    );
    const played = await fetch(audio.played[0] ?? '');
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toMatch(/^audio\//);
    await waitFor('shown as playing', () => (m.all('.kc-theirs .kc-playing').length ? true : undefined));
    // Another clip stops the first.
    m.tap('.kc-mine .kc-voice');
    await waitFor('the second clip plays', () => (audio.played.length === 2 ? true : undefined));
    expect(audio.stopped).toBeGreaterThan(0);
    expect(m.wx.audios).toHaveLength(1);
    audio.finish();
    await waitFor('no clip playing', () => (m.all('.kc-playing').length === 0 ? true : undefined));
    m.comp.detach();
    expect(audio.destroyed).toBe(true);
  });

  it('sends the product from the product bar, renders product and order cards, taps emit navigate', async () => {
    const product = {
      id: 'p1001',
      title: '蓝牙降噪耳机',
      image: '/static/p1001.png',
      price_fen: 19900,
      points: 0,
      url: 'https://mall.example.com/products/p1001',
    };
    const m = mount({ server: server.url, identity: signed('mp_cards'), product });
    await shows(m, '蓝牙降噪耳机', '.kc-product');
    expect(m.text('.kc-product .kc-price')).toBe('¥199.00');
    m.tap('.kc-product-send');
    const card = await agentGot(
      'the product card',
      (x) => x.sender?.uid === 'u_mp_cards' && !!x.content?.product,
    );
    const conversationId = card.conversationId ?? '';
    conversations.push(conversationId);
    expect(card.content?.product).toMatchObject({
      id: 'p1001',
      title: '蓝牙降噪耳机',
      priceFen: 19900,
      url: product.url,
    });
    await waitFor('the bar gone', () => (m.all('.kc-product').length === 0 ? true : undefined));
    await shows(m, '¥199.00', '.kc-product-card');
    m.tap('.kc-product-card');
    expect(await waitFor('navigate', () => m.event('navigate')[0])).toEqual({
      kind: 'product',
      id: 'p1001',
      url: product.url,
    });

    await admin.send(conversationId, {
      order: {
        orderNo: 'O-20240301-0001',
        status: kefu.v1.OrderStatus.ORDER_STATUS_AWAITING_SHIPMENT,
        totalFen: 1234,
        goodsCount: 2,
        items: [
          { name: '保温杯', image: '/static/cup.png', qty: 1 },
          { name: '茶叶', image: '/static/tea.png', qty: 1 },
        ],
        url: 'https://mall.example.com/orders/O-20240301-0001',
      },
    });
    await shows(m, '订单 O-20240301-0001', '.kc-order-card');
    expect(m.text('.kc-order-card')).toContain('待发货');
    expect(m.text('.kc-order-card .kc-order-summary')).toBe('保温杯 · 共 2 件 · 合计 ¥12.34');
    const goods = m.comp.querySelectorAll('.kc-order-card .kc-goods-image').map((n) => attr(n, 'src'));
    expect(goods).toEqual([`${server.url}/static/cup.png`, `${server.url}/static/tea.png`]);
    m.tap('.kc-order-card');
    await waitFor('order navigate', () => m.event('navigate')[1]);
    expect(m.event('navigate')[1]).toEqual({
      kind: 'order',
      id: 'O-20240301-0001',
      url: 'https://mall.example.com/orders/O-20240301-0001',
    });
  });

  it('takes a rating when the agent invites one, and again when the chat ends; then starts a new chat', async () => {
    const m = mount({ server: server.url, identity: signed('mp_rate') });
    await ready(m);
    m.input('.kc-input', '我要评价');
    m.tap('.kc-more-toggle'); // the send button replaces it once there is text
    await waitFor('send', () => (m.all('.kc-send').length ? true : undefined));
    m.tap('.kc-send');
    const conversationId = await conversationOf('u_mp_rate');
    await admin.send(conversationId, {
      ratingInvite: {
        inviteId: 'inv-mp',
        scale: kefu.v1.RatingScale.RATING_SCALE_FIVE_STAR,
        askSolved: true,
        options: [{ score: 4, tags: ['回复及时', '态度好'], tagRequired: true }],
      },
    });
    await shows(m, '请对本次服务进行评价', '.kc-rating');
    m.tap('.kc-rating .kc-choice', 3); // four stars
    await shows(m, '回复及时', '.kc-rating .kc-tags');
    expect(m.all('.kc-rating .kc-on')).toHaveLength(4);
    m.tap('.kc-rate-submit'); // the tag is required
    await shows(m, '请对本次服务进行评价', '.kc-rating .kc-error');
    m.tap('.kc-rating .kc-tags .kc-tag', 0);
    m.tap('.kc-rating .kc-solved .kc-tag', 0);
    m.input('.kc-rating .kc-comment', '回复很快');
    await waitFor('the draft', () => (m.text('.kc-rating .kc-on').includes('已解决') ? true : undefined));
    m.tap('.kc-rate-submit');
    const result = await agentGot('the rating result', (x) => x.content?.ratingResult?.inviteId === 'inv-mp');
    expect(result.content?.ratingResult).toMatchObject({
      score: 4,
      tags: ['回复及时'],
      comment: '回复很快',
      solved: kefu.v1.Solved.SOLVED_YES,
    });
    const rating = await waitFor('rating stored', () =>
      ratingModel(server.db).findById(`${conversationId}:inv-mp`).lean(),
    );
    expect(rating).toMatchObject({ score: 4, solved: 'yes', comment: '回复很快', customer_uid: 'u_mp_rate' });
    await shows(m, '感谢您的评价！', '.kc-rated');

    // The customer ends the chat: the at-close rating, then a new chat.
    m.tap('.kc-end');
    await shows(m, '会话已结束', '.kc-closed');
    await waitFor('the close rating', () => (m.all('.kc-rating').length === 1 ? true : undefined));
    m.tap('.kc-rating .kc-choice', 4);
    m.tap('.kc-rate-submit');
    const atClose = await waitFor('rating at close stored', () =>
      ratingModel(server.db).findById(`${conversationId}:close:${conversationId}`).lean(),
    );
    expect(atClose).toMatchObject({ score: 5, scale: 'five_star' });
    await waitFor('the new chat button', () => (m.all('.kc-new-chat').length ? true : undefined));
    m.tap('.kc-new-chat');
    await waitFor('the composer back', () => (m.all('.kc-input').length ? true : undefined));
    expect(m.text('.kc-list')).not.toContain('我要评价');
  });

  it('shows English strings with locale en, and switches back to zh-CN', async () => {
    const m = mount({ server: server.url, identity: signed('mp_en'), locale: 'en' });
    await ready(m);
    expect(attr(m.comp.querySelector('.kc-input'), 'placeholder')).toBe('Type a message');
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-more-item').length ? true : undefined));
    expect(m.all('.kc-more-item')).toEqual(['🖼️Album', '📷Camera', '📦My orders']);
    m.input('.kc-input', 'hello');
    await waitFor('send', () => (m.all('.kc-send').length ? true : undefined));
    m.tap('.kc-send');
    const conversationId = await conversationOf('u_mp_en');
    await shows(m, 'is serving you', '.kc-status');
    expect(m.text('.kc-end')).toBe('End chat');
    await admin.send(conversationId, {
      ratingInvite: { inviteId: 'inv-en', scale: kefu.v1.RatingScale.RATING_SCALE_TWO_LEVEL },
    });
    await shows(m, 'How did we do?', '.kc-rating');
    expect(m.all('.kc-rating .kc-choice')).toEqual(['👍 Satisfied', '👎 Unsatisfied']);
    expect(m.all('.kc-rating .kc-btn')).toEqual(['Not now', 'Submit']);
    m.comp.setData({ locale: 'zh-CN' });
    await shows(m, '结束会话', '.kc-end');
    await shows(m, '请对本次服务进行评价', '.kc-rating');
    expect(m.all('.kc-rating .kc-choice')).toEqual(['👍 满意', '👎 不满意']);
    expect(m.all('.kc-more-item')).toEqual(['🖼️相册', '📷拍摄', '📦我的订单']);
  });

  it('shows the queue and routing notices while no agent is online, takes a left message, then connects', async () => {
    await admin.stop();
    // Queue reminder after 1 s; room in the queue for one more than wait now.
    const waiting = await server.db.collection('conversations').countDocuments({ status: 'queued' });
    await new SettingRepository(server.db).saveSetting('routing', {
      queue_timeout: { remind_after_s: 1, close_after_s: 3600 },
      max_queue_length: waiting + 1,
    });
    await new Promise((r) => setTimeout(r, ROUTING_CACHE_MS + 200));

    // A visitor (no identity) waits: position, leave-a-message offered, "keep waiting" on the reminder.
    const first = mount({ server: server.url });
    await shows(first, '正在为您排队，前面还有 0 人', '.kc-status');
    const queued = await waitFor('queue event', () => first.event<{ position: number }>('queue')[0]);
    expect(queued.position).toBe(1);
    await shows(first, '当前没有客服在线 · 留言', '.kc-offer-leave');
    await shows(first, '继续等待', '.kc-keep-waiting');
    first.tap('.kc-keep-waiting');
    await waitFor('the visitor kept waiting', () =>
      server.db.collection('conversations').findOne({ status: 'queued', queue_kept_at: { $exists: true } }),
    );

    // A second visitor finds the queue full: told so by the notice's code, offered leave-a-message.
    const second = mount({ server: server.url });
    await shows(second, '当前咨询人数较多，请留言，客服会尽快联系您', '.kc-notice');
    await shows(second, '会话已结束', '.kc-closed');
    expect(second.text('.kc-offer-leave')).toBe('留言');
    second.tap('.kc-leave-open');
    await waitFor('the form', () => (second.all('.kc-leave').length ? true : undefined));
    second.input('.kc-leave-name', '王先生');
    second.input('.kc-leave-phone', '12345');
    second.input('.kc-leave-content', '请客服上线后回电');
    await waitFor('the draft', () =>
      (second.comp.data['leave'] as { content: string }).content ? true : undefined,
    );
    second.tap('.kc-leave-submit');
    // A phone number the server would refuse is caught before sending.
    await shows(second, '请输入正确的手机号', '.kc-leave .kc-error');
    second.input('.kc-leave-phone', '13800138000');
    await waitFor('the phone', () =>
      (second.comp.data['leave'] as { phone: string }).phone === '13800138000' ? true : undefined,
    );
    second.tap('.kc-leave-submit');
    await shows(second, '留言已提交，我们会尽快联系您', '.kc-leave-done');
    const stored = await waitFor('left message stored', () =>
      server.db.collection('leave_messages').findOne({ content: '请客服上线后回电' }),
    );
    expect(stored).toMatchObject({
      name: '王先生',
      phone: '13800138000',
      status: 'new',
      customer_kind: 'visitor',
    });
    expect(await server.db.collection('leave_messages').countDocuments({ content: '请客服上线后回电' })).toBe(
      1,
    );

    // An agent comes online: the waiting visitor is assigned.
    await new SettingRepository(server.db).saveSetting('routing', {});
    admin = agent(server.url, 'admin', ADMIN_PASSWORD);
    atAgent = collect(admin);
    await admin.start();
    await online(admin);
    const assigned = await waitFor(
      'assigned event',
      () => first.event<{ uid: string; name: string }>('assigned')[0],
      {
        timeoutMs: 20_000,
      },
    );
    expect(assigned.uid).toBe(admin.uid);
    await shows(first, `客服 ${assigned.name} 为您服务`, '.kc-status');
    await waitFor('no offer', () => (first.all('.kc-offer-leave').length === 0 ? true : undefined));
  });

  it('shows a clear error and emits `error` for bad properties: server not a URL, forged or malformed identity', async () => {
    const bad = mount({ server: 'kefu.example.com' });
    await shows(bad, '客服组件配置有误：server must be an http(s) URL', '.kc-banner-error');
    expect(bad.event<{ code: string }>('error')).toEqual([
      { code: 'bad_config', message: 'server must be an http(s) URL such as https://kefu.example.com' },
    ]);
    expect(bad.wx.sockets).toHaveLength(0);

    const real = signed('mp_forged');
    const forged = mount({
      server: server.url,
      identity: { ...real, identity: { ...real.identity, user_id: 'mp_text' } },
    });
    await shows(forged, '身份验证失败，请重新进入页面或重新登录后再试', '.kc-banner-error');
    expect(forged.event<{ code: string }>('error').map((e) => e.code)).toContain('identity_refused');
    expect(forged.comp.data['disabled']).toBe(true);

    const malformed = mount({ server: server.url, identity: { user_id: 'mp_text' } });
    await shows(malformed, '客服组件配置有误：identity must be null', '.kc-banner-error');
    expect(malformed.event<{ code: string }>('error')[0]?.code).toBe('bad_config');
    // Fixed by the host (uni-app and Taro bind properties after attaching): the chat starts.
    malformed.comp.setData({ identity: signed('mp_fixed') });
    await waitFor('the error cleared', () => (malformed.all('.kc-banner').length === 0 ? true : undefined));
    await ready(malformed);
    malformed.input('.kc-input', '现在好了');
    await waitFor('send', () => (malformed.all('.kc-send').length ? true : undefined));
    malformed.tap('.kc-send');
    await conversationOf('u_mp_fixed');

    // No server yet: nothing happens until the host sets it.
    const later = mount({ identity: signed('mp_later') });
    await new Promise((r) => setTimeout(r, 300));
    expect(later.wx.sockets).toHaveLength(0);
    expect(later.events).toEqual([]);
    later.comp.setData({ server: server.url });
    await waitFor('connected', () => (later.wx.sockets.length ? true : undefined));
    await ready(later);
  });

  it('registers the documented contract, and its code runs where eval and new Function are forbidden', () => {
    // The shipped file in a context like WeChat's (no dynamic code; see vm-runtime.test.ts), with a
    // Component() that records what it is given.
    let definition:
      { properties: Record<string, { type: unknown; value: unknown }>; methods: object } | undefined;
    const context = vm.createContext(
      {
        console,
        setTimeout,
        clearTimeout,
        Component: (d: typeof definition) => {
          definition = d;
        },
      },
      { codeGeneration: { strings: false, wasm: false } },
    );
    const cache = new Map<string, { exports: object }>();
    const load = (path: string): object => {
      const hit = cache.get(path);
      if (hit) return hit.exports;
      const module = { exports: {} };
      cache.set(path, module);
      const fn = new vm.Script(`(function (exports, require, module) {${readFileSync(path, 'utf8')}\n})`, {
        filename: path,
      }).runInContext(context) as (e: object, r: (id: string) => object, m: object) => void;
      fn(module.exports, (id) => load(join(path, '..', id)), module);
      return module.exports;
    };
    load(join(dist, 'kefu-chat/index.js'));
    expect(definition).toBeDefined();
    const props = definition?.properties ?? {};
    expect(Object.keys(props)).toEqual([
      'server',
      'locale',
      'channel',
      'identity',
      'groupId',
      'agentUid',
      'product',
    ]);
    expect(props['locale']?.value).toBe('zh-CN');
    expect(props['channel']?.value).toBe('miniprogram');
    // The context's own String and Object (WeChat's property types).
    const types = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, [(v.type as { name: string }).name, v.value]]),
    );
    expect(types).toEqual({
      server: ['String', ''],
      locale: ['String', 'zh-CN'],
      channel: ['String', 'miniprogram'],
      identity: ['Object', null],
      groupId: ['String', ''],
      agentUid: ['String', ''],
      product: ['Object', null],
    });
    expect(JSON.parse(readFileSync(join(dist, 'kefu-chat/index.json'), 'utf8'))).toEqual({
      component: true,
      usingComponents: {},
    });
  });
});
