// End-to-end: the widget's chat across a cut network, an offline device and a reload (history paged
// from the newest), and content only the server makes (system notices, bot replies), on the demo mall
// (widget-page-env.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { createTopics, kefu } from '@kefu/proto';
import { waitFor } from '@kefu/tools/testing';
import { messageModel } from '../../../server/src/model/message.js';
import { MessageRepository, messageId } from '../../../server/src/repository/message-repository.js';
import { createMqttPublisher } from '../../../server/src/port/mqtt/bridge.js';
import { toWireMessage } from '../../../server/src/service/messaging/wire-message.js';
import { W, startChat, useWidgetPage } from './widget-page-env.js';

describe('web widget on the demo mall', () => {
  const env = useWidgetPage('widget-network-e2e');
  const { widget, agentGot } = env;
  let conversationId = '';

  beforeAll(async () => {
    conversationId = await startChat(env, '请问这个耳机什么时候发货😊');
  });

  it('loses and duplicates nothing across a network cut, and says it is reconnecting', async () => {
    const customerTexts = () => env.atAgent.filter((m) => m.content?.text && m.sender?.uid === 'u_u1001');
    const before = customerTexts().length;
    env.expectingNetworkErrors = true;
    env.proxy.cut();
    await env.context.setOffline(true);
    await expect.poll(() => widget('[data-testid=offline]').isVisible(), { timeout: 20_000 }).toBe(true);
    for (const t of ['断网时发的第一条', '断网时发的第二条']) {
      await widget('textarea').fill(t);
      await widget('textarea').press('Enter');
    }
    await expect.poll(() => widget('[data-testid=pending]').count()).toBe(2);
    // The agent answers meanwhile; the customer gets it after reconnecting (seq-gap sync).
    await env.admin.sendText(conversationId, '网络恢复后您会看到这条');
    await new Promise((r) => setTimeout(r, 1_000));
    await env.context.setOffline(false);
    env.proxy.restore();
    await waitFor(
      'both offline messages at the agent',
      () =>
        env.atAgent.filter((m) => m.content?.text?.text?.startsWith('断网时发的')).length === 2
          ? true
          : undefined,
      { timeoutMs: 40_000 },
    );
    await expect.poll(() => widget('[data-testid=pending]').count(), { timeout: 20_000 }).toBe(0);
    await expect
      .poll(() => widget('.ls').innerText(), { timeout: 20_000 })
      .toContain('网络恢复后您会看到这条');
    env.expectingNetworkErrors = false;
    // Exactly once: at the agent, in the database, and on the customer's screen.
    expect(customerTexts().length).toBe(before + 2);
    expect(new Set(env.atAgent.map((m) => m.id)).size).toBe(env.atAgent.length);
    expect(
      await messageModel(env.server.db).countDocuments({
        conversation_id: conversationId,
        text: /^断网时发的/,
      }),
    ).toBe(2);
    // Each shown once, as a stored message (the own copies arrive by fan-out after the acks).
    const shown = async () =>
      (await widget('[data-testid=message]').allInnerTexts()).filter((t) => t.includes('断网时发的')).length;
    await expect.poll(shown).toBe(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(await shown()).toBe(2);
    const seqs = await widget('[data-testid=message]').evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-seq'))),
    );
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('says at once when the device goes offline, and reconnects as soon as it is back', async () => {
    env.expectingNetworkErrors = true;
    // Only the browser goes offline (the socket is not cut): without the offline event the widget would
    // notice by the MQTT keepalive, 30 s or more later.
    await env.context.setOffline(true);
    await expect.poll(() => widget('[data-testid=offline]').isVisible(), { timeout: 15_000 }).toBe(true);
    await widget('textarea').fill('离线事件后的消息');
    await widget('textarea').press('Enter');
    // Reconnect attempts fail meanwhile and the backoff grows; the online event cuts it short.
    await new Promise((r) => setTimeout(r, 6_000));
    await env.context.setOffline(false);
    await waitFor(
      'the message at the agent',
      () => env.atAgent.find((m) => m.content?.text?.text === '离线事件后的消息'),
      { timeoutMs: 15_000 },
    );
    await expect.poll(() => widget('[data-testid=offline]').isVisible(), { timeout: 15_000 }).toBe(false);
    env.expectingNetworkErrors = false;
  });

  it('keeps history across a reload: the newest page first, older pages on scrolling up', async () => {
    // More than one page (30) of history.
    for (let i = 1; i <= 35; i++) await env.admin.sendText(conversationId, `第 ${String(i)} 条补充说明`);
    await waitFor('35 notes at the agent', () =>
      env.atAgent.filter((m) => m.content?.text?.text?.endsWith('条补充说明')).length === 35
        ? true
        : undefined,
    );
    await env.page.reload();
    await env.page.locator(`${W} button.b`).click();
    await expect.poll(() => widget('.ls').innerText(), { timeout: 20_000 }).toContain('第 35 条补充说明');
    const first = await widget('[data-testid=message]').count();
    expect(first).toBeLessThanOrEqual(30);
    expect(await widget('.ls').innerText()).not.toContain('请问这个耳机什么时候发货😊');
    // Scrolling to the top loads the page before, until the beginning.
    for (let i = 0; i < 5 && !(await widget('.ls').innerText()).includes('请问这个耳机什么时候发货😊'); i++) {
      await widget('.ls').evaluate((el) => {
        el.scrollTop = 0;
        el.dispatchEvent(new Event('scroll'));
      });
      await env.page.waitForTimeout(300);
    }
    await expect.poll(() => widget('.ls').innerText()).toContain('请问这个耳机什么时候发货😊');
    const seqs = await widget('[data-testid=message]').evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-seq'))),
    );
    expect(seqs.length).toBeGreaterThan(first);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('renders server-side content: a system notice and a bot reply with sources and suggestions', async () => {
    // Stored and fanned out the way the server does (the bot issue adds the producer): the next seqs of
    // the conversation, then a Message envelope on the customer's down topic.
    const repo = new MessageRepository(env.server.db);
    const publisher = createMqttPublisher(env.server.mqtt, createTopics('kefu'));
    const last = await messageModel(env.server.db)
      .find({ conversation_id: conversationId })
      .sort({ seq: -1 })
      .limit(1)
      .lean();
    let seq = last[0]?.seq ?? 0;
    const contents: [string, kefu.v1.IContent][] = [
      ['system', { system: { code: 'transfer', text: '已为您转接到售后组' } }],
      [
        'bot',
        {
          botReply: {
            text: '积分兑换的商品一般 48 小时内发货。',
            sources: [{ title: '发货规则', url: 'https://help.example.com/ship' }],
            suggestions: ['如何查询物流？'],
          },
        },
      ],
    ];
    for (const [role, content] of contents) {
      seq += 1;
      const stored = {
        id: messageId(conversationId, seq),
        conversationId,
        seq,
        clientMsgId: `srv${String(seq).padStart(8, '0')}`,
        senderUid: role,
        senderRole: role,
        content: kefu.v1.Content.encode(content).finish(),
        contentKind: role === 'bot' ? 'botReply' : 'system',
        internalNote: false,
        createdAt: new Date(),
      };
      await repo.insertMessage(stored);
      await publisher.toUser(
        'c',
        'u_u1001',
        { id: stored.clientMsgId, sentAtMs: Date.now(), message: toWireMessage(stored, 'c') },
        1,
      );
    }
    await expect.poll(() => widget('.sys').allInnerTexts()).toContain('已为您转接到售后组');
    const bot = widget('.bot');
    await expect.poll(() => bot.innerText()).toContain('积分兑换的商品一般 48 小时内发货。');
    expect(await bot.locator('a').getAttribute('href')).toBe('https://help.example.com/ship');
    await bot.locator('button:has-text("如何查询物流？")').click();
    await agentGot('the suggestion as text', (m) => m.content?.text?.text === '如何查询物流？');
  });

  it('had no console errors and no uncaught exceptions on the host page', () => {
    expect(env.pageErrors).toEqual([]);
    expect(env.consoleErrors).toEqual([]);
  });
});
