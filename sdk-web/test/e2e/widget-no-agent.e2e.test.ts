// End-to-end: the widget when nobody can answer (widget-page-env.ts): leave-a-message with no agent
// online, the queue reminder with "keep waiting", and leave-a-message when the queue is full.
import { describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { SettingRepository } from '../../../server/src/repository/setting-repository.js';
import { ROUTING_CACHE_MS } from '../../../server/src/service/routing/allocator.js';
import { W, useWidgetPage } from './widget-page-env.js';

describe('web widget on the demo mall', () => {
  const env = useWidgetPage('widget-no-agent-e2e');

  it('offers leave-a-message when no agent is online, and stores it', async () => {
    await env.admin.stop();
    const visitor = await env.browser.newContext();
    const p = await visitor.newPage();
    await p.goto(`${env.mall.url}/`);
    await p.locator(`${W} button.b`).click();
    await p.locator(`${W} button:has-text("留言")`).click();
    const form = p.locator(`${W} [data-testid=leave-message]`);
    await form.locator('input[name=phone]').fill('13800138000');
    await form.locator('textarea').fill('请客服上线后回电');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => p.locator(`${W} [data-testid=leave-done]`).isVisible()).toBe(true);
    const stored = await waitFor('leave message stored', () =>
      env.server.db.collection('leave_messages').findOne({ content: '请客服上线后回电' }),
    );
    expect(stored).toMatchObject({ phone: '13800138000', status: 'new' });
    await visitor.close();
  });

  it('shows routing notices: queue reminder with "keep waiting", and leave-a-message when the queue is full', async () => {
    // Nobody is online (the previous test stopped the agent). Queue reminder after 1 s; room in the queue
    // for one more than wait now (earlier tests' visitors).
    const waiting = await env.server.db.collection('conversations').countDocuments({ status: 'queued' });
    await new SettingRepository(env.server.db).saveSetting('routing', {
      queue_timeout: { remind_after_s: 1, close_after_s: 3600 },
      max_queue_length: waiting + 1,
      texts: { no_agent: '当前没有客服在线，请稍候或留言' },
    });
    await new Promise((r) => setTimeout(r, ROUTING_CACHE_MS + 200));
    const first = await env.browser.newContext();
    const p = await first.newPage();
    await p.goto(`${env.mall.url}/`);
    await p.locator(`${W} button.b`).click();
    const notice = (code: string) => p.locator(`${W} [data-testid=notice][data-code=${code}]`);
    await expect.poll(() => notice('no_agent').innerText()).toContain('当前没有客服在线');
    await expect.poll(() => notice('queue_reminder').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await notice('queue_reminder').first().locator('button:has-text("继续等待")').click();
    const kept = await waitFor('the customer kept waiting', () =>
      env.server.db
        .collection('conversations')
        .findOne({ status: 'queued', queue_kept_at: { $exists: true } }),
    );
    expect(kept['channel']).toBe('web');

    // A second customer finds the queue full: told so, and offered leave-a-message at once.
    const second = await env.browser.newContext();
    const q = await second.newPage();
    await q.goto(`${env.mall.url}/`);
    await q.locator(`${W} button.b`).click();
    await expect
      .poll(() => q.locator(`${W} [data-testid=notice][data-code=queue_full]`).innerText())
      .toContain('请留言');
    await expect
      .poll(() => q.locator(`${W} [data-testid=offer-leave-message] button`).isVisible())
      .toBe(true);
    await first.close();
    await second.close();
    await new SettingRepository(env.server.db).saveSetting('routing', {});
  });
});
