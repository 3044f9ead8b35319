// The mini-program chat model and headless client against the real server when things go wrong: a
// network cut and a server restart lose and duplicate nothing; session and outbox live in platform
// storage per user and go on logout (and a storage that refuses writes does not stop the chat); a forged
// identity and a wrong platform object give clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { startServer, type KefuServer } from '../../server/src/server.js';
import { silentLogger } from '../../server/test/helpers.js';
import type { Config } from '../../server/src/config.js';
import { createChat, createClient } from '../src/client.js';
import { customerChat, waitFor } from './client-fixtures.js';
import { createFakePlatform } from './fake-platform.js';
import { signed, startKefu } from './fixtures.js';

describe('mini-program client: reconnects, storage, errors', () => {
  let server: KefuServer;
  let config: Config;
  let admin: AgentClient;
  let atAgent: kefu.v1.IMessage[];

  beforeAll(async () => {
    ({ server, config, admin, atAgent } = await startKefu('miniprogram-client-resilience'));
  }, 120_000);

  afterAll(async () => {
    await admin.stop();
    await server.stop();
  });

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

  it('drops the connection when WeChat says the network is gone, and reconnects when it is back', async () => {
    const { chat, wx } = customerChat(server.url, 'mp_network', 'wx');
    await chat.open();
    const conversationId = chat.state.conversation?.id ?? '';
    // The socket itself stays up: only the network event tells the client (not the 30 s keepalive).
    wx.setNetwork(false);
    await waitFor('customer offline', () => chat.state.status !== 'online', { timeoutMs: 5_000 });
    chat.sendText('断网事件后发送');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(atAgent.some((m) => m.content?.text?.text === '断网事件后发送')).toBe(false);
    wx.setNetwork(true);
    await waitFor('customer back online', () => chat.state.status === 'online', { timeoutMs: 10_000 });
    await waitFor(
      'the message at the agent',
      () =>
        atAgent.find(
          (m) => m.conversationId === conversationId && m.content?.text?.text === '断网事件后发送',
        ),
      { timeoutMs: 10_000 },
    );
    await chat.stop();
  }, 60_000);

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

  it('forgets this device at once on logout, before the server has answered', async () => {
    const wx = createFakePlatform('wx');
    const { chat } = customerChat(server.url, 'mp_quick_logout', 'wx', wx);
    await chat.open();
    chat.sendText('走之前问一句');
    await waitFor('the message at the agent', () =>
      atAgent.some((m) => m.content?.text?.text === '走之前问一句'),
    );
    const mine = () => [...wx.storage.keys()].filter((k) => k.startsWith('kefu:u:mp_quick_logout'));
    expect(mine().length).toBeGreaterThan(0);
    // The server is slow to end the session: the page may be gone long before it answers.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const request = wx.request.bind(wx);
    wx.request = (options) => {
      // Ending the session waits (the platform calls back once the request is made).
      if (options.method !== 'DELETE') return request(options);
      void held.then(() => request(options));
      return undefined;
    };
    const done = chat.logout();
    await waitFor('storage forgotten while the server has not answered', () => mine().length === 0, {
      timeoutMs: 3_000,
    });
    release();
    await done;
    expect(mine()).toEqual([]);
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
