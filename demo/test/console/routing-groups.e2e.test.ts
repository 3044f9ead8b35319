// End-to-end: the console's routing admin beyond the settings form, in a real Chromium against the real
// stack (routing-admin-env.ts): a skill group's business hours and overflow, the blacklist, and the
// routing events; every change is checked through the admin API and after a reload.
import { beforeAll, describe, expect, it } from 'vitest';
import { routingEventModel } from '../../../server/src/model/routing.js';
import { ADMIN_PASSWORD, signInConsole } from './stack.js';
import { useRoutingAdmin } from './routing-admin-env.js';

describe('console routing admin', () => {
  const r = useRoutingAdmin('console-routing-groups');
  const { group } = r;

  beforeAll(async () => {
    await signInConsole(r.page, r.server, 'admin', ADMIN_PASSWORD);
  });

  it("edits a skill group's mode, business hours and overflow", async () => {
    await r.page.click('a[href="#/admin"]');
    const item = r.page.locator('li[data-group="售后组"]');
    await item.locator('summary').click();
    const editor = item.locator('form.group-routing');
    expect(await editor.locator('select[name=mode]').inputValue()).toBe('');
    await editor.locator('select[name=mode]').selectOption('longest_idle');
    await editor.locator('input[name=limited]').check();
    expect(await editor.locator('input[name=timezone]').inputValue()).toBe('Asia/Shanghai');
    const day = (n: number) => editor.locator(`input[name="windows.0.days"][value="${String(n)}"]`);
    expect(await day(1).isChecked()).toBe(true);
    await day(5).uncheck();
    await day(6).check();
    await editor.locator('input[name="windows.0.start"]').fill('08:30');
    await editor.locator('input[name="windows.0.end"]').fill('20:00');

    const addLevel = editor.locator('button:has-text("添加一级")');
    for (let i = 0; i < 3; i++) await addLevel.click();
    expect(await addLevel.isDisabled()).toBe(true);
    await editor.locator('button[aria-label="删除 第 3 级"]').click();
    await editor.locator('select[name="overflow.0.when"]').selectOption('all_busy');
    await editor.locator('select[name="overflow.0.to"]').selectOption(`g:${r.ids['VIP组']!}`);
    await editor.locator('select[name="overflow.1.when"]').selectOption('off_duty');
    await editor.locator('select[name="overflow.1.to"]').selectOption(`a:${r.ids['xiaoli']!}`);
    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('[role=status]').textContent()).toBe('已保存');

    expect(await group('售后组')).toMatchObject({
      mode: 'longest_idle',
      business_hours: {
        timezone: 'Asia/Shanghai',
        windows: [{ days: [1, 2, 3, 4, 6], start: '08:30', end: '20:00' }],
      },
      overflow: [
        { when: 'all_busy', to: { group_id: r.ids['VIP组'] } },
        { when: 'off_duty', to: { agent_uid: r.ids['xiaoli'] } },
      ],
    });

    // A bad time zone is refused by the server and shown in the editor.
    await editor.locator('input[name=timezone]').fill('Mars/Olympus');
    await editor.locator('button[type=submit]').click();
    await expect
      .poll(() => editor.locator('[role=alert] li[data-path="business_hours.timezone"]').textContent())
      .toBe('时区：未知的时区');
    expect((await group('售后组'))?.business_hours?.timezone).toBe('Asia/Shanghai');

    await r.page.reload();
    const again = r.page.locator('li[data-group="售后组"]');
    await again.locator('summary').click();
    const reopened = again.locator('form.group-routing');
    expect(await reopened.locator('select[name=mode]').inputValue()).toBe('longest_idle');
    expect(await reopened.locator('input[name=limited]').isChecked()).toBe(true);
    expect(await reopened.locator('input[name="windows.0.start"]').inputValue()).toBe('08:30');
    expect(await reopened.locator('input[name="windows.0.days"][value="5"]').isChecked()).toBe(false);
    expect(await reopened.locator('input[name="windows.0.days"][value="6"]').isChecked()).toBe(true);
    expect(await reopened.locator('select[name="overflow.1.to"]').inputValue()).toBe(`a:${r.ids['xiaoli']!}`);

    // Back to always on duty and the global mode.
    await reopened.locator('select[name=mode]').selectOption('');
    await reopened.locator('input[name=limited]').uncheck();
    await reopened.locator('button[type=submit]').click();
    await expect.poll(() => reopened.locator('[role=status]').textContent()).toBe('已保存');
    expect(await group('售后组')).toMatchObject({ mode: null, business_hours: null });
  });

  it('adds and removes a blacklist entry', async () => {
    await r.page.click('a[href="#/routing"]');
    const add = r.page.locator('form[aria-label="黑名单"]');
    await add.locator('input[name=customer_uid]').fill('u_u2002');
    await add.locator('input[name=reason]').fill('恶意骚扰');
    // An expiry in the past is refused with the server's message.
    await add.locator('input[name=expires_at]').fill('2020-01-01T10:00');
    await add.locator('button[type=submit]').click();
    await expect.poll(() => r.page.locator('[role=alert]').last().textContent()).toBe('到期时间必须晚于现在');

    await add.locator('input[name=expires_at]').fill('2099-01-01T10:00');
    await add.locator('button[type=submit]').click();
    const row = r.page.locator('tr[data-customer="u_u2002"]');
    await expect.poll(() => row.textContent()).toContain('恶意骚扰');
    expect(await row.textContent()).toContain('2099');
    const entries = (await r.api('GET', '/admin/blacklist'))['entries'] as Record<string, unknown>[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ customer_uid: 'u_u2002', reason: '恶意骚扰' });
    expect(String(entries[0]!['expires_at'])).toMatch(/^2099-01-01T/);
    expect(await add.locator('input[name=customer_uid]').inputValue()).toBe('');

    await row.locator('button[aria-label="删除 u_u2002"]').click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await r.api('GET', '/admin/blacklist'))['entries']).toEqual([]);
  });

  it("lists the last hour's routing events, newest first", async () => {
    const now = Date.now();
    const event = (id: string, type: 'queued' | 'assigned', agoMs: number) => ({
      _id: id,
      type,
      conversation_id: `c_${id}`,
      customer_uid: 'u_u3003',
      channel: 'web',
      group_id: r.ids['售后组'],
      ...(type === 'assigned' ? { agent_uid: r.ids['xiaoli'], wait_ms: 4200 } : {}),
      at: new Date(now - agoMs),
    });
    await routingEventModel(r.server.db).insertMany([
      event('old', 'assigned', 2 * 3_600_000),
      event('e1', 'queued', 60_000),
      event('e2', 'assigned', 30_000),
    ]);
    await r.page.locator('h2 button:has-text("刷新")').click();
    const rows = r.page.locator('table.routing-events tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-event')).toBe('assigned');
    const cells = await rows.nth(0).locator('td').allTextContents();
    expect(cells.slice(1)).toEqual(['已分配', '网页', 'u_u3003', '售后组', '小李', '4200', '']);
    expect(await rows.nth(1).getAttribute('data-event')).toBe('queued');
  });

  it('had no uncaught errors in the page', () => {
    expect(r.pageErrors).toEqual([]);
  });
});
