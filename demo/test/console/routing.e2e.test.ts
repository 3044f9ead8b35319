// End-to-end: the console's routing settings page in a real Chromium against the real stack
// (routing-admin-env.ts). An admin edits the routing settings (mode, reception, rules, timeouts) and sees
// the server's validation errors next to the form; every change is checked through the admin API and
// after a reload.
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from './stack.js';
import { useRoutingAdmin } from './routing-admin-env.js';

describe('console routing admin', () => {
  const r = useRoutingAdmin('console-routing');
  const { routing, form, save } = r;

  it('opens the routing page from the admin navigation', async () => {
    await r.page.goto(`${r.server.url}/console/`);
    await r.page.fill('input[name=username]', 'admin');
    await r.page.fill('input[name=password]', ADMIN_PASSWORD);
    await r.page.click('button[type=submit]');
    await r.page.waitForSelector('.workbench');
    const link = r.page.locator('a[href="#/routing"]');
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
    await form().locator('select[name="rules.0.target"]').selectOption(`g:${r.ids['VIP组']!}`);
    await addRule.click();
    await form().locator('input[name="rules.1.name"]').fill('广东');
    await form().locator('input[name="rules.1.regions"]').fill('广东省, 深圳市');
    await form().locator('input[name="rules.1.min_level"]').fill('2');
    await form().locator('select[name="rules.1.target"]').selectOption(`a:${r.ids['xiaoli']!}`);
    // Move the second rule up with the keyboard.
    await form().locator('li[data-rule="1"] button[aria-label="上移 广东"]').press('Enter');
    expect(await form().locator('input[name="rules.0.name"]').inputValue()).toBe('广东');
    await save();
    await expect.poll(() => r.page.locator('.flash[role=status]').textContent()).toBe('已保存');

    const stored = await routing();
    expect(stored).toMatchObject({
      mode: 'round_robin',
      reception_mode: 'robot_first',
      reception_override: false,
      default_group_id: r.ids['售后组'],
      queue_first_tags: ['vip', '黄金会员'],
      max_queue_length: 50,
      texts: { greeting: '您好，欢迎咨询' },
    });
    expect(stored['rules']).toEqual([
      {
        name: '广东',
        match: { regions: ['广东省', '深圳市'], min_level: 2 },
        target: { agent_uid: r.ids['xiaoli'] },
      },
      { name: 'VIP客户', match: { vip: true }, target: { group_id: r.ids['VIP组'] } },
    ]);

    await r.page.reload();
    await expect
      .poll(() => form().locator('select[name=mode]').inputValue(), { timeout: 20_000 })
      .toBe('round_robin');
    expect(await form().locator('select[name=reception_mode]').inputValue()).toBe('robot_first');
    expect(await form().locator('input[name=reception_override]').isChecked()).toBe(false);
    expect(await form().locator('input[name=queue_first_tags]').inputValue()).toBe('vip, 黄金会员');
    expect(await form().locator('input[name="texts.greeting"]').inputValue()).toBe('您好，欢迎咨询');
    expect(await form().locator('input[name="rules.0.name"]').inputValue()).toBe('广东');
    expect(await form().locator('input[name="rules.0.regions"]').inputValue()).toBe('广东省, 深圳市');
    expect(await form().locator('select[name="rules.0.target"]').inputValue()).toBe(`a:${r.ids['xiaoli']!}`);
    expect(await form().locator('input[name="rules.1.name"]').inputValue()).toBe('VIP客户');
    expect(await form().locator('select[name="rules.1.vip"]').inputValue()).toBe('true');
  });

  it("shows the server's validation errors next to the form and saves nothing", async () => {
    await form().locator('input[name="queue_timeout.remind_after_s"]').fill('120');
    await form().locator('input[name="queue_timeout.close_after_s"]').fill('60');
    // A rule without any condition is refused too.
    await form().locator('button:has-text("添加规则")').click();
    await form().locator('input[name="rules.2.name"]').fill('空规则');
    await form().locator('select[name="rules.2.target"]').selectOption(`g:${r.ids['售后组']!}`);
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
    expect(await r.page.locator('.flash[role=status]').count()).toBe(0);

    // Fixed: the errors go and the values are saved.
    await form().locator('li[data-rule="2"] button[aria-label="删除 空规则"]').click();
    await form().locator('input[name="queue_timeout.close_after_s"]').fill('300');
    await save();
    await expect.poll(() => r.page.locator('.flash[role=status]').textContent()).toBe('已保存');
    expect(await form().locator('[role=alert]').count()).toBe(0);
    expect((await routing())['queue_timeout']).toEqual({ remind_after_s: 120, close_after_s: 300 });
    expect((await routing())['rules']).toHaveLength(2);
  });

  it('shows the routing page in English', async () => {
    await r.page.click('header button:has-text("English")');
    await expect.poll(() => r.page.locator('a[href="#/routing"]').textContent()).toBe('Routing');
    expect(await form().locator('input[name="texts.no_agent"]').getAttribute('placeholder')).toBe(
      'Empty: the built-in text',
    );
    expect(await form().locator('select[name=mode] option:checked').textContent()).toBe('Round robin');
    await r.page.click('header button:has-text("中文")');
    await expect.poll(() => r.page.locator('a[href="#/routing"]').textContent()).toBe('路由设置');
  });

  it('had no uncaught errors in the page', () => {
    expect(r.pageErrors).toEqual([]);
  });
});
