// End-to-end: the agent console's dashboards in a real Chromium against the real stack (console-env.ts):
// the agent's personal dashboard and quick replies, and the admin choosing a role's widgets.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useConsoleEnv } from './console-env.js';
import { signInConsole } from './stack.js';

describe('agent console', () => {
  const c = useConsoleEnv('console-dashboard');

  beforeAll(async () => {
    await signInConsole(c.agentPage, c.server, 'xiaowang', 'xiaowang-pass-1');
  });

  it("shows the personal dashboard of the agent's role and manages personal quick replies", async () => {
    await c.agentPage.goto(`${c.server.url}/console/#/dashboard`);
    await expect.poll(() => c.agentPage.locator('[data-widget]').count(), { timeout: 20_000 }).toBe(4);
    expect(await c.agentPage.locator('[data-widget=my_closed_today] .widget-title').textContent()).toBe(
      '今日已结束',
    );
    const form = c.agentPage.locator('form[aria-label="新增"]').last();
    await form.locator('input[name=shortcut]').fill('dz');
    await form.locator('input[name=title]').fill('地址');
    await form.locator('input[name=text]').fill('请提供您的收货地址');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => c.agentPage.locator('tr[data-shortcut=dz]').textContent()).toContain('个人');
    // An agent without `config` cannot create team replies: no scope choice, and the API refuses.
    expect(await form.locator('select[name=scope]').count()).toBe(0);
  });

  it("lets an admin choose a role's dashboard widgets in the admin pages", async () => {
    const admin = await c.browser.newPage({ viewport: { width: 1400, height: 900 } });
    admin.on('pageerror', (e) => c.pageErrors.push(e.message));
    await admin.goto(`${c.server.url}/console/`);
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.click('button[type=submit]');
    await admin.waitForSelector('.workbench');
    await admin.click('a[href="#/admin"]');
    const box = admin.locator('tr[data-role=agent] input[data-widget=my_rating_avg]');
    expect(await box.getAttribute('aria-label')).toBe('客服 今日平均评分');
    await expect.poll(() => box.isChecked(), { timeout: 20_000 }).toBe(true);
    await box.uncheck();
    await expect
      .poll(async () =>
        ((await c.api('GET', '/admin/dashboard/agent'))['widgets'] as string[]).includes('my_rating_avg'),
      )
      .toBe(false);
    await c.agentPage.reload();
    await expect.poll(() => c.agentPage.locator('[data-widget]').count(), { timeout: 20_000 }).toBe(3);
    expect(await c.agentPage.locator('[data-widget=my_rating_avg]').count()).toBe(0);
    await admin.close();
  });

  it('had no uncaught errors in either page', () => {
    expect(c.pageErrors).toEqual([]);
  });
});
