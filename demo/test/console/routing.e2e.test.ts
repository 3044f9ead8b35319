// End-to-end: the console's routing admin pages in a real Chromium against the real server (embedded
// broker, FerretDB). An admin edits the routing settings (mode, reception, rules, timeouts), sees the
// server's validation errors next to the form, edits a skill group's business hours and overflow, and
// manages the blacklist; every change is checked through the admin API and after a reload.
import { agentToken, apiAs } from '../helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { testMongoUri } from '@kefu/tools/testing';
import { launchChromium } from '@kefu/tools/chromium';
import { startServer, type KefuServer } from '../../../server/src/server.js';
import { silentLogger, testConfig } from '../../../server/test/helpers.js';
import { routingEventModel } from '../../../server/src/model/routing.js';

const ADMIN_PASSWORD = 'admin-pass-123';

interface GroupBody {
  id: string;
  name: string;
  mode: string | null;
  business_hours: { timezone: string; windows: { days: number[]; start: string; end: string }[] } | null;
  overflow: { when: string; to: { group_id?: string; agent_uid?: string } }[];
}

describe('console routing admin', () => {
  let server: KefuServer;
  let browser: Browser;
  let page: Page;
  let adminToken = '';
  const pageErrors: string[] = [];
  const ids: Record<string, string> = {};

  const api = apiAs(
    () => server.url,
    () => adminToken,
  );
  const routing = () => api('GET', '/admin/routing');
  const group = async (name: string): Promise<GroupBody | undefined> =>
    ((await api('GET', '/admin/groups'))['groups'] as GroupBody[]).find((g) => g.name === name);
  const form = () => page.locator('form.routing-form');
  const save = async (): Promise<void> => {
    await form().locator('button[type=submit]').click();
  };

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('console-routing'), ADMIN_PASSWORD }),
      silentLogger,
    );
    adminToken = await agentToken(server.url, 'admin', ADMIN_PASSWORD);
    for (const name of ['售后组', 'VIP组'])
      ids[name] = String((await api('POST', '/admin/groups', { name }))['id']);
    const agent = await api('POST', '/admin/agents', {
      username: 'xiaoli',
      display_name: '小李',
      role: 'agent',
      password: 'xiaoli-pass-1',
    });
    ids['xiaoli'] = String(agent['uid']);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('opens the routing page from the admin navigation', async () => {
    await page.goto(`${server.url}/console/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.workbench');
    const link = page.locator('a[href="#/routing"]');
    expect(await link.textContent()).toBe('路由设置');
    await link.click();
    // The defaults are loaded into the form.
    await expect
      .poll(() => form().locator('select[name=mode]').inputValue(), { timeout: 20_000 })
      .toBe('saturation');
    expect(await form().locator('select[name=reception_mode]').inputValue()).toBe('human_only');
    expect(await form().locator('input[name=reception_override]').isChecked()).toBe(true);
    expect(await form().locator('input[name="texts.greeting"]').getAttribute('placeholder')).toBe(
      '留空则使用内置文案',
    );
  });

  it('saves the mode, reception mode, tags, a text and ordered rules; they persist', async () => {
    await form().locator('select[name=mode]').selectOption('round_robin');
    await form().locator('select[name=reception_mode]').selectOption('robot_first');
    await form().locator('input[name=reception_override]').uncheck();
    await form().locator('select[name=default_group_id]').selectOption({ label: '售后组' });
    await form().locator('input[name=queue_first_tags]').fill('vip，黄金会员');
    await form().locator('input[name=max_queue_length]').fill('50');
    await form().locator('input[name="texts.greeting"]').fill('您好，欢迎咨询');

    const addRule = form().locator('button:has-text("添加规则")');
    await addRule.click();
    await form().locator('input[name="rules.0.name"]').fill('VIP客户');
    await form().locator('select[name="rules.0.vip"]').selectOption('true');
    await form().locator('select[name="rules.0.target"]').selectOption(`g:${ids['VIP组']!}`);
    await addRule.click();
    await form().locator('input[name="rules.1.name"]').fill('广东');
    await form().locator('input[name="rules.1.regions"]').fill('广东省, 深圳市');
    await form().locator('input[name="rules.1.min_level"]').fill('2');
    await form().locator('select[name="rules.1.target"]').selectOption(`a:${ids['xiaoli']!}`);
    // Move the second rule up with the keyboard.
    await form().locator('li[data-rule="1"] button[aria-label="上移 广东"]').press('Enter');
    expect(await form().locator('input[name="rules.0.name"]').inputValue()).toBe('广东');
    await save();
    await expect.poll(() => page.locator('.flash[role=status]').textContent()).toBe('已保存');

    const stored = await routing();
    expect(stored).toMatchObject({
      mode: 'round_robin',
      reception_mode: 'robot_first',
      reception_override: false,
      default_group_id: ids['售后组'],
      queue_first_tags: ['vip', '黄金会员'],
      max_queue_length: 50,
      texts: { greeting: '您好，欢迎咨询' },
    });
    expect(stored['rules']).toEqual([
      {
        name: '广东',
        match: { regions: ['广东省', '深圳市'], min_level: 2 },
        target: { agent_uid: ids['xiaoli'] },
      },
      { name: 'VIP客户', match: { vip: true }, target: { group_id: ids['VIP组'] } },
    ]);

    await page.reload();
    await expect
      .poll(() => form().locator('select[name=mode]').inputValue(), { timeout: 20_000 })
      .toBe('round_robin');
    expect(await form().locator('select[name=reception_mode]').inputValue()).toBe('robot_first');
    expect(await form().locator('input[name=reception_override]').isChecked()).toBe(false);
    expect(await form().locator('input[name=queue_first_tags]').inputValue()).toBe('vip, 黄金会员');
    expect(await form().locator('input[name="texts.greeting"]').inputValue()).toBe('您好，欢迎咨询');
    expect(await form().locator('input[name="rules.0.name"]').inputValue()).toBe('广东');
    expect(await form().locator('input[name="rules.0.regions"]').inputValue()).toBe('广东省, 深圳市');
    expect(await form().locator('select[name="rules.0.target"]').inputValue()).toBe(`a:${ids['xiaoli']!}`);
    expect(await form().locator('input[name="rules.1.name"]').inputValue()).toBe('VIP客户');
    expect(await form().locator('select[name="rules.1.vip"]').inputValue()).toBe('true');
  });

  it("shows the server's validation errors next to the form and saves nothing", async () => {
    await form().locator('input[name="queue_timeout.remind_after_s"]').fill('120');
    await form().locator('input[name="queue_timeout.close_after_s"]').fill('60');
    // A rule without any condition is refused too.
    await form().locator('button:has-text("添加规则")').click();
    await form().locator('input[name="rules.2.name"]').fill('空规则');
    await form().locator('select[name="rules.2.target"]').selectOption(`g:${ids['售后组']!}`);
    await save();
    const alert = form().locator('[role=alert]');
    await expect
      .poll(() => alert.locator('li[data-path="queue_timeout"]').textContent())
      .toBe('排队超时：提醒须早于结束会话');
    expect(await alert.locator('li[data-path="rules.2.match"]').textContent()).toBe(
      '规则 3 · 条件：至少需要一个条件',
    );
    // The server's own words stay available as a tooltip.
    expect(await alert.locator('li[data-path="queue_timeout"]').getAttribute('title')).toBe(
      'the reminder must come before the close',
    );
    expect(
      await form().locator('input[name="queue_timeout.close_after_s"]').getAttribute('aria-invalid'),
    ).toBe('true');
    expect((await routing())['queue_timeout']).toEqual({ remind_after_s: 0, close_after_s: 0 });
    expect(await page.locator('.flash[role=status]').count()).toBe(0);

    // Fixed: the errors go and the values are saved.
    await form().locator('li[data-rule="2"] button[aria-label="删除 空规则"]').click();
    await form().locator('input[name="queue_timeout.close_after_s"]').fill('300');
    await save();
    await expect.poll(() => page.locator('.flash[role=status]').textContent()).toBe('已保存');
    expect(await form().locator('[role=alert]').count()).toBe(0);
    expect((await routing())['queue_timeout']).toEqual({ remind_after_s: 120, close_after_s: 300 });
    expect((await routing())['rules']).toHaveLength(2);
  });

  it("edits a skill group's mode, business hours and overflow", async () => {
    await page.click('a[href="#/admin"]');
    const item = page.locator('li[data-group="售后组"]');
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
    await editor.locator('select[name="overflow.0.to"]').selectOption(`g:${ids['VIP组']!}`);
    await editor.locator('select[name="overflow.1.when"]').selectOption('off_duty');
    await editor.locator('select[name="overflow.1.to"]').selectOption(`a:${ids['xiaoli']!}`);
    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('[role=status]').textContent()).toBe('已保存');

    expect(await group('售后组')).toMatchObject({
      mode: 'longest_idle',
      business_hours: {
        timezone: 'Asia/Shanghai',
        windows: [{ days: [1, 2, 3, 4, 6], start: '08:30', end: '20:00' }],
      },
      overflow: [
        { when: 'all_busy', to: { group_id: ids['VIP组'] } },
        { when: 'off_duty', to: { agent_uid: ids['xiaoli'] } },
      ],
    });

    // A bad time zone is refused by the server and shown in the editor.
    await editor.locator('input[name=timezone]').fill('Mars/Olympus');
    await editor.locator('button[type=submit]').click();
    await expect
      .poll(() => editor.locator('[role=alert] li[data-path="business_hours.timezone"]').textContent())
      .toBe('时区：未知的时区');
    expect((await group('售后组'))?.business_hours?.timezone).toBe('Asia/Shanghai');

    await page.reload();
    const again = page.locator('li[data-group="售后组"]');
    await again.locator('summary').click();
    const reopened = again.locator('form.group-routing');
    expect(await reopened.locator('select[name=mode]').inputValue()).toBe('longest_idle');
    expect(await reopened.locator('input[name=limited]').isChecked()).toBe(true);
    expect(await reopened.locator('input[name="windows.0.start"]').inputValue()).toBe('08:30');
    expect(await reopened.locator('input[name="windows.0.days"][value="5"]').isChecked()).toBe(false);
    expect(await reopened.locator('input[name="windows.0.days"][value="6"]').isChecked()).toBe(true);
    expect(await reopened.locator('select[name="overflow.1.to"]').inputValue()).toBe(`a:${ids['xiaoli']!}`);

    // Back to always on duty and the global mode.
    await reopened.locator('select[name=mode]').selectOption('');
    await reopened.locator('input[name=limited]').uncheck();
    await reopened.locator('button[type=submit]').click();
    await expect.poll(() => reopened.locator('[role=status]').textContent()).toBe('已保存');
    expect(await group('售后组')).toMatchObject({ mode: null, business_hours: null });
  });

  it('adds and removes a blacklist entry', async () => {
    await page.click('a[href="#/routing"]');
    const add = page.locator('form[aria-label="黑名单"]');
    await add.locator('input[name=customer_uid]').fill('u_u2002');
    await add.locator('input[name=reason]').fill('恶意骚扰');
    // An expiry in the past is refused with the server's message.
    await add.locator('input[name=expires_at]').fill('2020-01-01T10:00');
    await add.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('[role=alert]').last().textContent()).toBe('到期时间必须晚于现在');

    await add.locator('input[name=expires_at]').fill('2099-01-01T10:00');
    await add.locator('button[type=submit]').click();
    const row = page.locator('tr[data-customer="u_u2002"]');
    await expect.poll(() => row.textContent()).toContain('恶意骚扰');
    expect(await row.textContent()).toContain('2099');
    const entries = (await api('GET', '/admin/blacklist'))['entries'] as Record<string, unknown>[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ customer_uid: 'u_u2002', reason: '恶意骚扰' });
    expect(String(entries[0]!['expires_at'])).toMatch(/^2099-01-01T/);
    expect(await add.locator('input[name=customer_uid]').inputValue()).toBe('');

    await row.locator('button[aria-label="删除 u_u2002"]').click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await api('GET', '/admin/blacklist'))['entries']).toEqual([]);
  });

  it("lists the last hour's routing events, newest first", async () => {
    const now = Date.now();
    const event = (id: string, type: 'queued' | 'assigned', agoMs: number) => ({
      _id: id,
      type,
      conversation_id: `c_${id}`,
      customer_uid: 'u_u3003',
      channel: 'web',
      group_id: ids['售后组'],
      ...(type === 'assigned' ? { agent_uid: ids['xiaoli'], wait_ms: 4200 } : {}),
      at: new Date(now - agoMs),
    });
    await routingEventModel(server.db).insertMany([
      event('old', 'assigned', 2 * 3_600_000),
      event('e1', 'queued', 60_000),
      event('e2', 'assigned', 30_000),
    ]);
    await page.locator('h2 button:has-text("刷新")').click();
    const rows = page.locator('table.routing-events tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-event')).toBe('assigned');
    const cells = await rows.nth(0).locator('td').allTextContents();
    expect(cells.slice(1)).toEqual(['已分配', '网页', 'u_u3003', '售后组', '小李', '4200', '']);
    expect(await rows.nth(1).getAttribute('data-event')).toBe('queued');
  });

  it('shows the routing page in English', async () => {
    await page.click('header button:has-text("English")');
    await expect.poll(() => page.locator('a[href="#/routing"]').textContent()).toBe('Routing');
    expect(await form().locator('input[name="texts.no_agent"]').getAttribute('placeholder')).toBe(
      'Empty: the built-in text',
    );
    expect(await form().locator('select[name=mode] option:checked').textContent()).toBe('Round robin');
    await page.click('header button:has-text("中文")');
    await expect.poll(() => page.locator('a[href="#/routing"]').textContent()).toBe('路由设置');
  });

  it('had no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
