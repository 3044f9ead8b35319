// <kefu-chat> as it ships, rendered by miniprogram-simulate against the real server and an agent client
// (component-harness.ts explains the setup): text, typing, read marks, the agent's recall, unread counts,
// history, bad properties and the registered contract. Media, cards, ratings, the queue and the chat
// features of issue 17 have their own files.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { kefu } from '@kefu/proto';
import { dist, waitFor, useComponentEnv } from './component-harness.js';
import { createComponentPlatform } from './fake-component-platform.js';
import { signed } from './fixtures.js';

describe('<kefu-chat> (built component, miniprogram-simulate)', () => {
  const env = useComponentEnv('miniprogram-component');
  /** The first customer's phone (its storage survives the component). */
  const textDevice = createComponentPlatform();

  it('sends text with an emoji, shows the agent’s reply, typing and read marks, with small setData patches', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_text') }, textDevice);
    await env.ready(m);
    m.input('.kc-input', '请问什么时候发货');
    m.tap('.kc-emoji-toggle');
    await waitFor('the emoji panel', () => (m.all('.kc-emoji-item').length > 10 ? true : undefined));
    m.tap('.kc-emoji-item', 4); // 😊
    await waitFor('the send button', () => (m.all('.kc-send').length ? true : undefined));
    m.tap('.kc-send');
    const text = await env.agentGot(
      'the text',
      (x) => x.content?.text?.text?.startsWith('请问什么时候发货') === true,
    );
    expect(text.content?.text?.text).toBe('请问什么时候发货😊');
    const conversationId = text.conversationId ?? '';
    env.conversations.push(conversationId);
    // The input was cleared.
    await waitFor('the input cleared', () => (m.comp.data['text'] === '' ? true : undefined));

    const reads: kefu.v1.IReadReceipt[] = [];
    env.admin.on('read', (r) => reads.push(r));
    await env.admin.typing(conversationId, true);
    await env.shows(m, '对方正在输入…', '.kc-typing');
    const before = m.patches.length;
    await env.admin.sendText(conversationId, '您好，今天下午发货 🚚');
    await env.shows(m, '您好，今天下午发货 🚚', '.kc-theirs');
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
    const reply = env.atAgent.find((x) => x.content?.text?.text === '您好，今天下午发货 🚚');
    await waitFor('read receipt at the agent', () =>
      reads.find((r) => Number(r.readSeq) >= Number(reply?.seq)),
    );
    // …and the agent reading turns the customer's message 已读.
    await env.admin.markRead(conversationId, Number(reply?.seq));
    await waitFor('已读', () => (m.all('.kc-mine .kc-meta').join() === '已读' ? true : undefined));

    // The agent recalls a message: it shows as recalled.
    await env.admin.sendText(conversationId, '发错了');
    const wrong = await env.agentGot('the wrong message', (x) => x.content?.text?.text === '发错了');
    await env.shows(m, '发错了', '.kc-theirs');
    await env.admin.recall(conversationId, wrong.id ?? '');
    await env.shows(m, '客服撤回了一条消息', '.kc-notice');
    expect(m.text('.kc-list')).not.toContain('发错了');

    // Page hidden: messages count as unread and the host is told; shown again: read.
    m.comp.triggerPageLifeTime('hide');
    await env.admin.sendText(conversationId, '还在吗？');
    await waitFor('unread 1', () => m.event<{ count: number }>('unread').find((u) => u.count === 1));
    m.comp.triggerPageLifeTime('show');
    await waitFor('unread 0', () => m.event<{ count: number }>('unread').find((u) => u.count === 0));
  });

  it('loads the history from the server when reopened, older pages on scrolling up', async () => {
    const conversationId = env.conversations[0] ?? '';
    const open = env.mount({ server: env.server.url, identity: signed('mp_text') }, textDevice);
    await env.ready(open);
    for (let i = 1; i <= 35; i++) await env.admin.sendText(conversationId, `第 ${String(i)} 条补充说明`);
    await env.shows(open, '第 35 条补充说明', '.kc-list');
    open.comp.detach();
    // Reopened on the same device: nothing is kept in memory, the history comes from the server, newest
    // page first.
    const m = env.mount({ server: env.server.url, identity: signed('mp_text') }, textDevice);
    await env.shows(m, '第 35 条补充说明', '.kc-list');
    const first = m.all('.kc-row').length;
    expect(first).toBeLessThanOrEqual(30);
    expect(m.text('.kc-list')).not.toContain('请问什么时候发货😊');
    for (let i = 0; i < 5 && !m.text('.kc-list').includes('请问什么时候发货😊'); i++) {
      m.comp.querySelector('.kc-list')?.dispatchEvent('scrolltoupper');
      await new Promise((r) => setTimeout(r, 400));
    }
    await env.shows(m, '请问什么时候发货😊', '.kc-list');
    await env.shows(m, '没有更早的消息了', '.kc-older');
    const keys = (m.comp.data['items'] as { key: string }[]).map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(m.all('.kc-row').length).toBeGreaterThan(first);
  });

  it('shows a clear error and emits `error` for bad properties: server not a URL, forged or malformed identity', async () => {
    const bad = env.mount({ server: 'kefu.example.com' });
    await env.shows(bad, '客服组件配置有误：server must be an http(s) URL', '.kc-banner-error');
    expect(bad.event<{ code: string }>('error')).toEqual([
      { code: 'bad_config', message: 'server must be an http(s) URL such as https://kefu.example.com' },
    ]);
    expect(bad.wx.sockets).toHaveLength(0);

    const real = signed('mp_forged');
    const forged = env.mount({
      server: env.server.url,
      identity: { ...real, identity: { ...real.identity, user_id: 'mp_text' } },
    });
    await env.shows(forged, '身份验证失败，请重新进入页面或重新登录后再试', '.kc-banner-error');
    expect(forged.event<{ code: string }>('error').map((e) => e.code)).toContain('identity_refused');
    expect(forged.comp.data['disabled']).toBe(true);

    const malformed = env.mount({ server: env.server.url, identity: { user_id: 'mp_text' } });
    await env.shows(malformed, '客服组件配置有误：identity must be null', '.kc-banner-error');
    expect(malformed.event<{ code: string }>('error')[0]?.code).toBe('bad_config');
    // Fixed by the host (uni-app and Taro bind properties after attaching): the chat starts.
    malformed.comp.setData({ identity: signed('mp_fixed') });
    await waitFor('the error cleared', () => (malformed.all('.kc-banner').length === 0 ? true : undefined));
    await env.ready(malformed);
    malformed.input('.kc-input', '现在好了');
    await waitFor('send', () => (malformed.all('.kc-send').length ? true : undefined));
    malformed.tap('.kc-send');
    await env.conversationOf('u_mp_fixed');

    // No server yet: nothing happens until the host sets it.
    const later = env.mount({ identity: signed('mp_later') });
    await new Promise((r) => setTimeout(r, 300));
    expect(later.wx.sockets).toHaveLength(0);
    expect(later.events).toEqual([]);
    later.comp.setData({ server: env.server.url });
    await waitFor('connected', () => (later.wx.sockets.length ? true : undefined));
    await env.ready(later);
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
