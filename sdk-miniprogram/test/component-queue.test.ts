// <kefu-chat> while nobody can answer, against the real server: queue position and routing notices with
// no agent online, "keep waiting" on the reminder, a full queue, leave-a-message (checked before sending,
// stored once), then an agent coming online takes the waiting visitor. Setup: component-harness.ts.
import { describe, expect, it } from 'vitest';
import { agent, collect, online } from '../../server/test/messaging/harness.js';
import { SettingRepository } from '../../server/src/repository/setting-repository.js';
import { ROUTING_CACHE_MS } from '../../server/src/service/routing/allocator.js';
import { waitFor, useComponentEnv } from './component-harness.js';
import { ADMIN_PASSWORD } from './fixtures.js';

describe('<kefu-chat> queue and leave-a-message', () => {
  const env = useComponentEnv('miniprogram-queue', { ROUTING_SCAN_INTERVAL_MS: '200' });

  it('shows the queue and routing notices while no agent is online, takes a left message, then connects', async () => {
    await env.admin.stop();
    // Queue reminder after 1 s; room in the queue for one more than wait now.
    const waiting = await env.server.db.collection('conversations').countDocuments({ status: 'queued' });
    await new SettingRepository(env.server.db).saveSetting('routing', {
      queue_timeout: { remind_after_s: 1, close_after_s: 3600 },
      max_queue_length: waiting + 1,
    });
    await new Promise((r) => setTimeout(r, ROUTING_CACHE_MS + 200));

    // A visitor (no identity) waits: position, leave-a-message offered, "keep waiting" on the reminder.
    const first = env.mount({ server: env.server.url });
    await env.shows(first, '正在为您排队，前面还有 0 人', '.kc-status');
    const queued = await waitFor('queue event', () => first.event<{ position: number }>('queue')[0]);
    expect(queued.position).toBe(1);
    await env.shows(first, '当前没有客服在线 · 留言', '.kc-offer-leave');
    await env.shows(first, '继续等待', '.kc-keep-waiting');
    first.tap('.kc-keep-waiting');
    await waitFor('the visitor kept waiting', () =>
      env.server.db
        .collection('conversations')
        .findOne({ status: 'queued', queue_kept_at: { $exists: true } }),
    );

    // A second visitor finds the queue full: told so by the notice's code, offered leave-a-message.
    const second = env.mount({ server: env.server.url });
    await env.shows(second, '当前咨询人数较多，请留言，客服会尽快联系您', '.kc-notice');
    await env.shows(second, '会话已结束', '.kc-closed');
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
    await env.shows(second, '请输入正确的手机号', '.kc-leave .kc-error');
    second.input('.kc-leave-phone', '13800138000');
    await waitFor('the phone', () =>
      (second.comp.data['leave'] as { phone: string }).phone === '13800138000' ? true : undefined,
    );
    second.tap('.kc-leave-submit');
    await env.shows(second, '留言已提交，我们会尽快联系您', '.kc-leave-done');
    const stored = await waitFor('left message stored', () =>
      env.server.db.collection('leave_messages').findOne({ content: '请客服上线后回电' }),
    );
    expect(stored).toMatchObject({
      name: '王先生',
      phone: '13800138000',
      status: 'new',
      customer_kind: 'visitor',
    });
    expect(
      await env.server.db.collection('leave_messages').countDocuments({ content: '请客服上线后回电' }),
    ).toBe(1);

    // An agent comes online: the waiting visitor is assigned.
    await new SettingRepository(env.server.db).saveSetting('routing', {});
    env.admin = agent(env.server.url, 'admin', ADMIN_PASSWORD);
    env.atAgent = collect(env.admin);
    await env.admin.start();
    await online(env.admin);
    const assigned = await waitFor(
      'assigned event',
      () => first.event<{ uid: string; name: string }>('assigned')[0],
      {
        timeoutMs: 20_000,
      },
    );
    expect(assigned.uid).toBe(env.admin.uid);
    await env.shows(first, `客服 ${assigned.name} 为您服务`, '.kc-status');
    await waitFor('no offer', () => (first.all('.kc-offer-leave').length === 0 ? true : undefined));
  });
});
