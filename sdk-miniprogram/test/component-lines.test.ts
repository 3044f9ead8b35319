// Issue 17's lines around the messages in <kefu-chat>, as the web widget draws them, against the real
// server: time dividers (sdk-core's rule and format: five quiet minutes or another day, "14:05" or
// "3月8日 14:05"), system lines centred (the greeting, a transfer to another agent), and the `hidden`
// placeholders of agents' internal notes, which never show, count as unread or scroll the list.
// Setup: component-harness.ts; older messages are stored with their old times (server-inject.ts).
import { describe, expect, it } from 'vitest';
import { api, onlineAgent } from '../../server/test/workbench/fixtures.js';
import { waitFor, type Mounted, useComponentEnv } from './component-harness.js';
import { signed } from './fixtures.js';
import { daysAgo, injectMessage } from './server-inject.js';

describe('<kefu-chat> time dividers, system lines, internal notes (issue 17)', () => {
  const env = useComponentEnv('miniprogram-lines', {}, { keepMounted: true });
  /** One customer throughout (the component stays mounted from test to test). */
  let m: Mounted;
  let conversationId = '';

  it('greets with a centred system line and shows one time divider for a chat of one minute', async () => {
    m = env.mount({ server: env.server.url, identity: signed('mp_lines') });
    await env.ready(m);
    await env.say(m, '你好');
    conversationId = await env.conversationOf('u_mp_lines');
    await env.admin.sendText(conversationId, '您好，请讲');
    await env.shows(m, '您好，请讲', '.kc-theirs');
    const greeting = m.comp.querySelectorAll('.kc-notice').find((n) => n.dom.textContent?.includes('您好'));
    expect(greeting?.toJSON().attrs.find((a) => a.name === 'data-code')?.value).toBe('greeting');
    expect(m.all('.kc-time')).toHaveLength(1);
    expect(m.all('.kc-time')[0]).toMatch(/^\d\d:\d\d$/);
  });

  it('puts a divider after five quiet minutes and on another day, with the date when not today', async () => {
    for (const [h, min, text] of [
      [14, 5, '两天前 14:05'],
      [14, 7, '两天前 14:07'],
      [14, 20, '两天前 14:20'],
    ] as const)
      await injectMessage(
        env.server,
        conversationId,
        { uid: env.admin.uid ?? '', role: 'agent', name: '管理员' },
        'u_mp_lines',
        { text: { text } },
        daysAgo(2, h, min),
      );
    await env.admin.sendText(conversationId, '现在的消息');
    await env.shows(m, '现在的消息', '.kc-list');
    const two = daysAgo(2, 0, 0);
    const day = `${String(two.getMonth() + 1)}月${String(two.getDate())}日`;
    const year = two.getFullYear() === new Date().getFullYear() ? '' : `${String(two.getFullYear())}年`;
    const times = m.all('.kc-time');
    expect(times).toHaveLength(4);
    expect(times[1]).toBe(`${year}${day} 14:05`);
    expect(times[2]).toBe(`${year}${day} 14:20`);
    expect(times[3]).toMatch(/^\d\d:\d\d$/);
    // The divider sits in the item of the message it precedes.
    const items = m.comp.querySelectorAll('.kc-item');
    const at1420 = items.find((i) => i.dom.textContent?.includes('两天前 14:20'));
    expect(at1420?.dom.textContent?.startsWith(`${year}${day} 14:20`)).toBe(true);
    // In English, sdk-core's English format.
    m.comp.setData({ locale: 'en' });
    await waitFor('English times', () =>
      /^[A-Z][a-z]{2} \d{1,2}(, \d{4})?, 14:05$/.test(m.all('.kc-time')[1] ?? '') ? true : undefined,
    );
    m.comp.setData({ locale: 'zh-CN' });
    await waitFor('Chinese times', () => (m.all('.kc-time')[1] === `${year}${day} 14:05` ? true : undefined));
  });

  it('never shows an internal note: no item, no unread count, no scroll; a real message counts once', async () => {
    const rows = m.all('.kc-item').length;
    const patches = m.patches.length;
    m.comp.triggerPageLifeTime('hide');
    await env.admin.send(
      conversationId,
      { text: { text: '内部备注：老客户，优先处理' } },
      { internalNote: true },
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(m.all('.kc-item')).toHaveLength(rows);
    expect(m.text()).not.toContain('内部备注');
    expect(m.event<{ count: number }>('unread').filter((u) => u.count > 0)).toEqual([]);
    for (const p of m.patches.slice(patches)) {
      expect(Object.keys(p).some((k) => k.startsWith('items') || k === 'anchor')).toBe(false);
    }
    await env.admin.sendText(conversationId, '您还在吗？');
    await waitFor('unread 1', () => m.event<{ count: number }>('unread').find((u) => u.count === 1));
    expect(m.event<{ count: number }>('unread').filter((u) => u.count > 0)).toEqual([{ count: 1 }]);
    m.comp.triggerPageLifeTime('show');
    await waitFor('read', () => m.event<{ count: number }>('unread').at(-1)?.count === 0);
    expect(m.all('.kc-item')).toHaveLength(rows + 1);
  });

  it('shows a transfer as a centred line and the new agent in the header; the note to agents never shows', async () => {
    const sam = await onlineAgent(env.server, 'sam', 'agent');
    try {
      const { token } = await env.admin.sessions.current();
      const res = await api(env.server, 'POST', `/agent/conversations/${conversationId}/transfer`, token, {
        to_agent_uid: sam.uid,
        note: '积分问题，请跟进',
      });
      expect(res.status).toBe(200);
      await env.shows(m, '会话已转接给客服 sam', '.kc-notice');
      await env.shows(m, '客服 sam 为您服务', '.kc-status');
      await new Promise((r) => setTimeout(r, 800));
      expect(m.text()).not.toContain('积分问题，请跟进');
      const line = m.comp.querySelectorAll('.kc-notice').find((n) => n.dom.textContent?.includes('转接'));
      expect(line?.toJSON().attrs.find((a) => a.name === 'data-code')?.value).toBe('transferred');
    } finally {
      await sam.client.stop();
    }
    m.comp.detach();
  });
});
