// End-to-end (issue 17): the console shows words, not codes — roles, permissions, channels, routing events
// and error codes in zh-CN and English; a page the agent may not use says so (no "ApiError: …"), and
// the navigation follows permission and role changes while the console is open. Also its icon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '@kefu/tools/testing';
import { ADMIN_PASSWORD, signInConsole, startStack, type Stack } from './stack.js';

const NO_PERMISSION = '你没有访问此页面的权限，请联系管理员';
const RAW_CODES = ['pii:view', 'stats:view', 'supervisor', 'ApiError', 'Missing permission', 'forbidden'];

describe('console labels, permissions and errors', () => {
  let stack: Stack;
  let admin: Page;
  let agent: Page;
  const nav = (p: Page) => p.locator('header.top nav a');

  beforeAll(async () => {
    stack = await startStack('console-codes', {
      agents: [{ username: 'xiaowang', display_name: '小王', role: 'agent', password: 'xiaowang-pass-1' }],
    });
    admin = await stack.page();
    agent = await stack.page();
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  });

  it('has an icon, and asks the server for no other one', async () => {
    const asked: string[] = [];
    admin.on('response', (r) => {
      if (/favicon|\.ico$/.test(r.url()) || r.status() === 404)
        asked.push(`${String(r.status())} ${r.url()}`);
    });
    await signInConsole(admin, stack.server, 'admin', ADMIN_PASSWORD);
    const href = (await admin.locator('link[rel=icon]').getAttribute('href')) ?? '';
    expect(href).toMatch(/^data:image\/svg\+xml,/);
    expect(decodeURIComponent(href)).toContain('<svg');
    // The browser draws it (a broken icon would not load as an image).
    const drawn = await admin.evaluate(
      `(async () => { const img = new Image(); img.src = ${JSON.stringify(href)}; await img.decode(); return img.naturalWidth > 0; })()`,
    );
    expect(drawn).toBe(true);
    await admin.waitForTimeout(500);
    expect(asked).toEqual([]);
  });

  it('names roles and permissions in the admin pages (zh-CN and English)', async () => {
    await admin.click('a[href="#/admin"]');
    const roles = admin.locator('table.role-permissions');
    await expect
      .poll(() => roles.locator('th').allTextContents(), { timeout: 20_000 })
      .toEqual([
        '角色',
        '接待会话',
        '查看客户敏感信息',
        '查看积分',
        '查看全部会话',
        '查看统计',
        '系统配置',
        '导出数据',
      ]);
    expect(await roles.locator('tbody td:first-child').allTextContents()).toEqual(['客服', '主管', '管理员']);
    const roleSelect = admin.locator('tr[data-agent=xiaowang] select[name=role]');
    await expect
      .poll(() => roleSelect.locator('option').allTextContents(), { timeout: 10_000 })
      .toEqual(['客服', '主管', '管理员']);
    expect(await roleSelect.inputValue()).toBe('agent');
    const text = (await admin.locator('section.admin').textContent({ timeout: 1_000 })) ?? '';
    for (const code of RAW_CODES) expect(text).not.toContain(code);

    await admin.click('header button:has-text("English")');
    await expect
      .poll(() => roles.locator('th').nth(2).textContent({ timeout: 1_000 }))
      .toBe('See customer personal data');
    expect(await roles.locator('tbody td:first-child').allTextContents()).toEqual([
      'Agent',
      'Supervisor',
      'Administrator',
    ]);
    await admin.click('header button:has-text("中文")');
  });

  it("says why the server refused a change, in words, with the server's text as a tooltip", async () => {
    // An admin may not disable their own account: 409 with an English message.
    const box = admin.locator('tr[data-agent=admin] input[name=disabled]');
    await box.click({ timeout: 5_000 });
    const alert = admin.locator('section.admin > [role=alert]');
    await expect
      .poll(() => alert.textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toBe('不能停用自己的账户');
    expect(await alert.getAttribute('title')).toMatch(/^conflict: /);
    await expect.poll(() => box.isChecked()).toBe(false);
  });

  it('shows a friendly page, not "ApiError", after another account signs in on an admin page', async () => {
    expect(admin.url()).toContain('#/admin');
    await admin.click('header button:has-text("退出登录")');
    // The sign-in form (the admin page has username/password inputs of its own until it is gone).
    const signIn = admin.locator('form[aria-label="登录"]');
    await signIn.locator('input[name=username]').fill('xiaowang');
    await signIn.locator('input[name=password]').fill('xiaowang-pass-1');
    await signIn.locator('button[type=submit]').click();
    await expect
      .poll(() => admin.locator('.no-permission').textContent({ timeout: 1_000 }), { timeout: 20_000 })
      .toContain(NO_PERMISSION);
    expect(await nav(admin).allTextContents()).toEqual(['工作台', '个人工作台']);
    const body = (await admin.locator('body').textContent({ timeout: 1_000 })) ?? '';
    for (const code of RAW_CODES) expect(body).not.toContain(code);
    await admin.click('.no-permission a');
    await admin.waitForSelector('.workbench');
    await admin.click('header button:has-text("退出登录")');
  });

  it('shows the channel of a chat by name', async () => {
    await signInConsole(agent, stack.server, 'xiaowang', 'xiaowang-pass-1');
    const customer = await stack.customer('u2001', '李四');
    const id = await stack.chat(customer, 'xiaowang', 'miniprogram');
    await customer.client.sendText(id, '你好');
    await agent.click(`[data-conversation="${id}"]`);
    await expect
      .poll(() => agent.locator('[data-field=chat-status]').textContent({ timeout: 1_000 }))
      .toBe('小程序');
    await expect
      .poll(() => agent.locator('.customer-panel [data-field=channel]').textContent({ timeout: 1_000 }))
      .toBe('小程序');
  });

  it('offers the admin pages once the role gets `config`, and takes them away again, without a reload', async () => {
    await agent.goto(`${stack.server.url}/console/#/admin`);
    await expect.poll(() => agent.locator('.no-permission').count(), { timeout: 20_000 }).toBe(1);
    const uid = stack.uids['xiaowang'] ?? '';
    // The server pushes the change (AccessChanged) to the agent's open console.
    await stack.api('PATCH', `/admin/agents/${uid}`, { role: 'admin' });
    await expect
      .poll(() => nav(agent).allTextContents(), { timeout: 15_000 })
      .toEqual(['工作台', '个人工作台', '管理', '路由设置', '满意度评价']);
    await expect.poll(() => agent.locator('table.role-permissions').count(), { timeout: 15_000 }).toBe(1);
    expect(await agent.locator('.no-permission').count()).toBe(0);

    await stack.api('PATCH', `/admin/agents/${uid}`, { role: 'agent' });
    await expect
      .poll(() => nav(agent).allTextContents(), { timeout: 15_000 })
      .toEqual(['工作台', '个人工作台']);
    expect(await agent.locator('.no-permission').textContent({ timeout: 1_000 })).toContain(NO_PERMISSION);
  });

  it('follows a change of the role’s permissions', async () => {
    await agent.goto(`${stack.server.url}/console/#/workbench`);
    await agent.waitForSelector('.workbench');
    const tabs = () => agent.locator('.tabs button').allTextContents();
    expect(await tabs()).toEqual(['我的会话', '排队中']);
    await stack.api('PUT', '/admin/roles/agent', { perms: ['chat', 'monitor'] });
    await expect.poll(tabs, { timeout: 10_000 }).toEqual(['我的会话', '排队中', '全部会话']);
    await agent.click('.tabs button:has-text("全部会话")');
    await stack.api('PUT', '/admin/roles/agent', { perms: ['chat'] });
    await expect.poll(tabs, { timeout: 10_000 }).toEqual(['我的会话', '排队中']);
    // The "all" view went with the permission: back on "mine", without an error.
    expect(await agent.locator('.tabs button.active').textContent({ timeout: 1_000 })).toBe('我的会话');
    await waitFor('no error shown', async () => (await agent.locator('.conversations .error').count()) === 0);
  });

  it('checks its permissions again when the window gets focus (a missed push)', async () => {
    let reads = 0;
    const count = (r: { url(): string }): void => {
      if (r.url().endsWith('/api/v1/agent/me')) reads += 1;
    };
    agent.on('request', count);
    await agent.evaluate("window.dispatchEvent(new Event('focus'))");
    await expect.poll(() => reads, { timeout: 5_000 }).toBe(1);
    agent.off('request', count);
  });

  it("opens a queued customer of the agent's group without a thread, a panel or an error", async () => {
    const uid = stack.uids['xiaowang'] ?? '';
    const group = await stack.api('POST', '/admin/groups', { name: '售后服务' });
    await stack.api('PATCH', `/admin/agents/${uid}`, { group_ids: [group['id']] });
    await stack.api('PUT', '/admin/routing', { default_group_id: group['id'] });
    await agent.selectOption('select[name=status]', 'busy');
    await waitFor('xiaowang busy', async () => {
      const targets = (await stack.api('GET', '/agent/transfer-targets'))['agents'] as { uid: string }[];
      return !targets.some((a) => a.uid === uid);
    });
    const customer = await stack.customer('u2002', '周九');
    const state = await customer.client.open({ channel: 'h5' });
    const row = agent.locator(`[data-conversation="${state.id ?? ''}"]`);
    // The server takes a few seconds to see the new membership: the tab reloads the list each time.
    const listed = async (): Promise<number> => {
      await agent.click('.tabs button:has-text("排队中")');
      return row.count();
    };
    await expect.poll(listed, { timeout: 15_000, interval: 1_000 }).toBe(1);
    expect(await row.locator('.conv-last').textContent()).toBe('排队中');
    await row.click();
    await expect
      .poll(() => agent.locator('.queue-only').textContent({ timeout: 1_000 }))
      .toBe('客户正在排队，接入后才能查看消息');
    expect(await agent.locator('[data-field=chat-status]').textContent()).toBe('排队中');
    expect(await agent.locator('.customer-panel').count()).toBe(0);
    expect(await agent.locator('main.chat .error').count()).toBe(0);
  });

  it('says why single sign-on failed in words, never its code', async () => {
    const p = await stack.page();
    for (const [reason, text] of [
      ['unknown_user', '没有与此单点登录身份对应的客服账号，请联系管理员'],
      ['access_denied', '单点登录已取消'],
      ['something_new', '单点登录失败，请重试'],
    ] as const) {
      // A fresh load each time (a hash change alone does not start the page again).
      await p.goto('about:blank');
      await p.goto(`${stack.server.url}/console/#sso_error=${reason}`);
      await expect.poll(() => p.locator('form [role=alert]').textContent({ timeout: 1_000 })).toBe(text);
      expect(p.url()).not.toContain('sso_error');
    }
    await p.context().close();
  });

  it('had no uncaught errors in the pages', () => {
    expect(stack.pageErrors).toEqual([]);
  });
});
