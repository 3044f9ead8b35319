// Issue 17's chat features in <kefu-chat>, as the web widget has them, against the real server: the
// long-press menu (WeChat's action sheet) to quote (引用), copy and recall (撤回, within the server's
// window: 8 s here), quotes above the composer and in the bubbles both ways, the built-in sticker pack
// next to emoji, and a confirmation before ending the chat. Setup: component-harness.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { kefu } from '@kefu/proto';
import { waitFor, type Mounted, useComponentEnv } from './component-harness.js';
import { signed } from './fixtures.js';
import { injectMessage } from './server-inject.js';

const RECALL_WINDOW_S = 8;

/** Long-presses the message row showing `text` (WeChat's `longpress`). */
function pressOn(m: Mounted, text: string): void {
  const rows = m.comp.querySelectorAll('.kc-row');
  const index = rows.findIndex((r) => (r.dom.textContent ?? '').includes(text));
  if (index < 0) throw new Error(`no row shows "${text}"`);
  m.press('.kc-row', index);
}

describe('<kefu-chat> quotes, recall, stickers, ending (issue 17)', () => {
  const env = useComponentEnv('miniprogram-chat', { RECALL_WINDOW_S: String(RECALL_WINDOW_S) });
  const recalls: string[] = [];

  beforeAll(() => {
    env.admin.on('recalled', (r) => recalls.push(r.messageId ?? ''));
  });

  const mine = (text: string) => (x: kefu.v1.IMessage) =>
    x.sender?.uid === 'u_mp_quote' && x.content?.text?.text === text;

  it('quotes a message from the long-press menu, both ways; copies text', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_quote') });
    await env.ready(m);
    await env.say(m, '订单什么时候发货？');
    const conversationId = await env.conversationOf('u_mp_quote');
    await env.admin.sendText(conversationId, '明天上午发出');
    const reply = await env.agentGot('the reply', (x) => x.content?.text?.text === '明天上午发出');
    await env.shows(m, '明天上午发出', '.kc-theirs');

    // The agent's message: quote and copy, no recall.
    m.wx.sheetPicks.push('复制');
    pressOn(m, '明天上午发出');
    await waitFor('copied', () => m.wx.clipboard[0]);
    expect(m.wx.sheets[0]).toEqual(['引用', '复制']);
    expect(m.wx.clipboard).toEqual(['明天上午发出']);
    m.wx.sheetPicks.push('引用');
    pressOn(m, '明天上午发出');
    await env.shows(m, '引用 管理员：明天上午发出', '.kc-quoting');
    // Cancelled, then quoted again and answered.
    m.tap('.kc-quote-cancel');
    await waitFor('the quote gone', () => (m.all('.kc-quoting').length === 0 ? true : undefined));
    m.wx.sheetPicks.push('引用');
    pressOn(m, '明天上午发出');
    await env.shows(m, '明天上午发出', '.kc-quoting');
    await env.say(m, '好的，谢谢');
    const answer = await env.agentGot('the quoting message', mine('好的，谢谢'));
    expect(answer.quoteMessageId).toBe(reply.id);
    await waitFor('the composer without quote', () => (m.all('.kc-quoting').length === 0 ? true : undefined));
    await env.shows(m, '管理员：明天上午发出', '.kc-mine .kc-quote');

    // The agent quotes the customer: the bubble says who and what.
    await env.admin.send(conversationId, { text: { text: '不客气' } }, { quoteMessageId: answer.id ?? '' });
    await env.shows(m, '你：好的，谢谢', '.kc-theirs .kc-quote');
    // A tap on a quote scrolls to the original.
    const quoteOfAgent = m.comp.querySelectorAll('.kc-theirs .kc-quote').at(-1);
    quoteOfAgent?.dispatchEvent('tap');
    await waitFor('scrolled to the original', () =>
      m.comp.data['anchor'] === `m-${(answer.id ?? '').replace(/[^A-Za-z0-9_-]/g, '_')}` ? true : undefined,
    );
  });

  it('recalls the customer’s own message within the window; refused later; not offered when too old', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_quote') });
    await env.ready(m);
    const conversationId = env.conversations[0] ?? '';
    await env.say(m, '发错了，撤回');
    const wrong = await env.agentGot('the wrong message', mine('发错了，撤回'));
    m.wx.sheetPicks.push('撤回');
    pressOn(m, '发错了，撤回');
    await env.shows(m, '你撤回了一条消息', '.kc-notice');
    expect(m.wx.sheets.at(-1)).toEqual(['引用', '复制', '撤回']);
    await waitFor('the recall at the agent', () => (recalls.includes(wrong.id ?? '') ? true : undefined));
    expect(m.text('.kc-list')).not.toContain('发错了，撤回');
    // The agent's own recall reads differently.
    await env.admin.sendText(conversationId, '这条也发错了');
    const agents = await env.agentGot(
      'the agent’s wrong one',
      (x) => x.content?.text?.text === '这条也发错了',
    );
    await env.shows(m, '这条也发错了', '.kc-theirs');
    await env.admin.recall(conversationId, agents.id ?? '');
    await env.shows(m, '客服撤回了一条消息', '.kc-notice');

    // Past the server's window (8 s here; sdk-core assumes the default 2 min): the server refuses, the
    // customer is told, the message stays.
    await env.say(m, '这条撤回太晚');
    const late = await env.agentGot('the late one', mine('这条撤回太晚'));
    await new Promise((r) =>
      setTimeout(r, Number(late.createdAtMs) + RECALL_WINDOW_S * 1000 + 500 - Date.now()),
    );
    m.wx.sheetPicks.push('撤回');
    pressOn(m, '这条撤回太晚');
    await waitFor('the refusal', () => m.wx.toasts.find((x) => x === '消息发出已超过 2 分钟，无法撤回'));
    expect(m.text('.kc-list')).toContain('这条撤回太晚');

    // Older than the window the client knows: recall is not even offered.
    const threeMinutesAgo = new Date(Date.now() - 3 * 60_000);
    await injectMessage(
      env.server,
      conversationId,
      { uid: 'u_mp_quote', role: 'customer' },
      'u_mp_quote',
      { text: { text: '三分钟前的消息' } },
      threeMinutesAgo,
    );
    await env.shows(m, '三分钟前的消息', '.kc-mine');
    pressOn(m, '三分钟前的消息');
    await waitFor('the menu', () => (m.wx.sheets.at(-1)?.includes('复制') ? true : undefined));
    expect(m.wx.sheets.at(-1)).toEqual(['引用', '复制']);
  });

  it('sends a sticker from the pack next to emoji, and shows the agent’s', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_sticker') });
    await env.ready(m);
    m.tap('.kc-emoji-toggle');
    await waitFor('the panel', () => (m.all('.kc-tab').length === 2 ? true : undefined));
    expect(m.all('.kc-tab')).toEqual(['😊 表情', '⭐ 表情包']);
    m.tap('.kc-tab-stickers');
    await waitFor('the stickers', () => (m.all('.kc-sticker-item').length === 16 ? true : undefined));
    expect(m.all('.kc-sticker-alt').slice(0, 3)).toEqual(['点赞', '好的', '谢谢']);
    const picture = m.comp.querySelectorAll('.kc-sticker-image')[2];
    const src = picture?.toJSON().attrs.find((a) => a.name === 'src')?.value;
    expect(src).toBe(`${env.server.url}/sdk/v1/stickers/kefu/thanks.svg`);
    const svg = await fetch(String(src));
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    m.tap('.kc-sticker-item', 2);
    const sent = await env.agentGot(
      'the sticker',
      (x) => x.sender?.uid === 'u_mp_sticker' && !!x.content?.sticker,
    );
    expect(sent.content?.sticker).toEqual({
      pack: 'kefu',
      stickerId: 'thanks',
      url: `${env.server.url}/sdk/v1/stickers/kefu/thanks.svg`,
      alt: '谢谢',
    });
    env.conversations.push(sent.conversationId ?? '');
    await waitFor('the panel closed', () => (m.all('.kc-stickers').length === 0 ? true : undefined));
    await waitFor('the sticker shown', () => (m.all('.kc-mine .kc-sticker').length === 1 ? true : undefined));
    await env.admin.send(sent.conversationId ?? '', {
      sticker: { pack: 'kefu', stickerId: 'ok', url: '/sdk/v1/stickers/kefu/ok.svg', alt: '好的' },
    });
    await waitFor('the agent’s sticker', () =>
      m.all('.kc-theirs .kc-sticker').length === 1 ? true : undefined,
    );
    const theirs = m.comp.querySelector('.kc-theirs .kc-sticker');
    expect(theirs?.toJSON().attrs.find((a) => a.name === 'src')?.value).toBe(
      `${env.server.url}/sdk/v1/stickers/kefu/ok.svg`,
    );
    // Quoted, a sticker reads as its kind and words.
    m.wx.sheetPicks.push('引用');
    m.press('.kc-theirs');
    await env.shows(m, '引用 管理员：[表情] 好的', '.kc-quoting');
  });

  it('asks before ending the chat (WeChat’s modal); cancelling keeps it open', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_end') });
    await env.ready(m);
    await env.say(m, '没有别的问题了');
    await env.conversationOf('u_mp_end');
    m.wx.modalAnswers.push(false);
    m.tap('.kc-end');
    await waitFor('the question', () => m.wx.modals[0]);
    expect(m.wx.modals[0]).toEqual({
      title: '结束本次会话？',
      content: '结束后客服将不再回复本次会话，您可以随时开始新会话。',
      confirmText: '结束会话',
      cancelText: '取消',
    });
    await new Promise((r) => setTimeout(r, 800));
    expect(m.all('.kc-closed')).toHaveLength(0);
    expect(m.all('.kc-input')).toHaveLength(1);
    m.wx.modalAnswers.push(true);
    m.tap('.kc-end');
    await env.shows(m, '会话已结束', '.kc-closed');
    expect(m.wx.modals).toHaveLength(2);
  });
});
