// End-to-end: 满意度评价 and a skill group's greeting in the console, in Chromium against the real server.
// The admin sets the default rating template to NPS with a tag, gives a group a two-level template and
// removes it again, sees a refused value next to its field (nothing saved), and sets the group's
// greeting. Each change is checked through the admin API, and then where it matters: a customer who opens
// a chat in the group is greeted with the agent's name, and the agent's rating invite follows the group's
// template while it has one, the default after it is removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { kefu } from '@kefu/proto';
import { ROUTING_CACHE_MS } from '../../../server/src/service/routing/allocator.js';
import { ADMIN_PASSWORD, received, signInConsole, startStack, type Customer, type Stack } from './stack.js';

interface Template {
  scale: string;
  prompt: string;
  ask_solved: boolean;
  options: {
    score: number;
    label: string;
    tags: string[];
    tag_required: boolean;
    comment_required: boolean;
  }[];
}
interface Templates {
  default: Template;
  groups: (Template & { group_id: string })[];
}

const GROUP = '售后组';
const GREETING = '您好，我是售后客服{agent}，请问有什么可以帮您？';
const NPS_PROMPT = '您愿意把我们推荐给朋友吗？';

describe('console rating templates and group greetings', () => {
  let stack: Stack;
  let admin: Page;
  let agent: Page;
  let customer: Customer;
  let conversationId = '';
  const groupIds: Record<string, string> = {};

  const templates = async (): Promise<Templates> =>
    (await stack.api('GET', '/admin/rating-templates')) as unknown as Templates;
  // The default's form is the page's own; each group's is in its box (aria-labels change with the language).
  const defaultForm = (): Locator => admin.locator('section.ratings > form.rating-editor');
  const groupBox = (): Locator => admin.locator(`fieldset[data-group="${GROUP}"]`);
  const preview = (form: Locator): Locator => form.locator('aside.rating-preview');
  /** The next rating invite the customer receives after the agent asks for one in the console. */
  const invite = async (): Promise<kefu.v1.IRatingInvite> => {
    const before = customer.messages.length;
    await agent.click('.actions button:has-text("邀请评价")');
    const m = await received(
      customer,
      'a rating invite',
      (x) => customer.messages.indexOf(x) >= before && !!x.content?.ratingInvite,
    );
    return m.content?.ratingInvite ?? {};
  };

  beforeAll(async () => {
    stack = await startStack('console-ratings', {
      agents: [{ username: 'xiaoli', display_name: '小李', role: 'agent', password: 'xiaoli-pass-1' }],
    });
    for (const name of [GROUP, 'VIP组'])
      groupIds[name] = String((await stack.api('POST', '/admin/groups', { name }))['id']);
    await stack.api('PATCH', `/admin/agents/${stack.uids['xiaoli'] ?? ''}`, { group_ids: [groupIds[GROUP]] });
    admin = await stack.page();
    agent = await stack.page();
    await signInConsole(admin, stack.server, 'admin', ADMIN_PASSWORD);
    await signInConsole(agent, stack.server, 'xiaoli', 'xiaoli-pass-1');
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  });

  it('opens 满意度评价 from the admin navigation with the five-star default', async () => {
    const link = admin.locator('a[href="#/ratings"]');
    expect(await link.textContent()).toBe('满意度评价');
    await link.click();
    const form = defaultForm();
    await expect
      .poll(() => form.locator('select[name=scale]').inputValue(), { timeout: 10_000 })
      .toBe('five_star');
    expect(await form.getAttribute('aria-label')).toBe('默认评价模板');
    expect(await form.locator('tbody tr').count()).toBe(5);
    expect(await preview(form).locator('.rp-scale button').count()).toBe(5);
    expect(await groupBox().locator('[data-field=template-state]').textContent()).toBe('使用默认模板');
  });

  it('sets the default to NPS with a tag, previewed as the customer sees it', async () => {
    const form = defaultForm();
    await form.locator('select[name=scale]').selectOption('nps');
    expect(await form.locator('tbody tr').count()).toBe(11);
    await form.locator('input[name=prompt]').fill(NPS_PROMPT);
    await form.locator('input[name="options.10.tags"]').fill('专业耐心，回复及时');
    const shown = preview(form);
    expect(await shown.locator('.rp-title').textContent()).toBe(NPS_PROMPT);
    expect(await shown.locator('.rp-scale button').allTextContents()).toEqual(
      Array.from({ length: 11 }, (_, n) => String(n)),
    );
    const tags = shown.locator('[data-field=preview-tags] .tag');
    expect(await tags.allTextContents()).toEqual(['专业耐心', '回复及时']);
    expect(await shown.locator('[data-field=preview-solved]').count()).toBe(1);
    // A score picked in the preview shows its tags; so does the row being edited.
    await shown.locator('.rp-scale button[data-score="3"]').click();
    expect(await tags.allTextContents()).toEqual(['回复太慢', '没有解决问题', '态度不好']);
    await form.locator('input[name="options.10.label"]').focus();
    expect(await tags.allTextContents()).toEqual(['专业耐心', '回复及时']);
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('[role=status]').textContent()).toBe('默认模板已保存');

    const saved = (await templates()).default;
    expect(saved).toMatchObject({ scale: 'nps', prompt: NPS_PROMPT, ask_solved: true });
    expect(saved.options.map((o) => o.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(saved.options[10]?.tags).toEqual(['专业耐心', '回复及时']);
  });

  it("sets a group's greeting, explained next to the field and on the routing page", async () => {
    await admin.click('a[href="#/routing"]');
    const globalHint = admin.locator('form.routing-form .hint');
    await expect.poll(() => globalHint.textContent(), { timeout: 10_000 }).toContain('所有接待模式');
    expect(await globalHint.textContent()).toContain('{agent}');

    await admin.click('a[href="#/admin"]');
    const item = admin.locator(`li[data-group="${GROUP}"]`);
    await item.locator('summary').click();
    const editor = item.locator('form.group-routing');
    const hint = editor.locator('.greeting-field .hint');
    expect(await hint.textContent()).toContain('{agent}');
    expect(await hint.textContent()).toContain('所有接待模式');
    await editor.locator('input[name=greeting]').fill(GREETING);
    await editor.locator('button[type=submit]').click();
    await expect.poll(() => editor.locator('[role=status]').textContent()).toBe('已保存');
    const groups = (await stack.api('GET', '/admin/groups'))['groups'] as {
      name: string;
      greeting: string | null;
    }[];
    expect(groups.find((g) => g.name === GROUP)?.greeting).toBe(GREETING);
    expect(groups.find((g) => g.name === 'VIP组')?.greeting).toBeNull();
    await expect.poll(() => item.locator('[data-field=greeting]').textContent()).toContain(GREETING);
  });

  it('gives the group a two-level template: its chats are asked with it', async () => {
    await admin.click('a[href="#/ratings"]');
    const box = groupBox();
    await box.locator('button:has-text("为本组单独设置")').click();
    const form = box.locator('form.rating-editor');
    // It starts as a copy of the default.
    expect(await form.locator('select[name=scale]').inputValue()).toBe('nps');
    await form.locator('select[name=scale]').selectOption('two_level');
    expect(await form.locator('tbody tr').count()).toBe(2);
    await form.locator('input[name="options.0.label"]').fill('不太满意');
    await form.locator('input[name="options.0.tags"]').fill('等太久、答非所问');
    await form.locator('input[name="options.0.tag_required"]').check();
    const shown = preview(form);
    expect(await shown.locator('.rp-scale button').allTextContents()).toEqual(['👍 满意', '👎 不太满意']);
    expect(await shown.locator('[data-field=preview-tags] .tag').allTextContents()).toEqual([
      '等太久',
      '答非所问',
    ]);
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('[role=status]').textContent()).toBe('“售后组”的评价模板已保存');
    await expect
      .poll(() => box.locator('[data-field=template-state]').textContent())
      .toBe('使用本组模板（满意 / 不满意）');

    const { default: byDefault, groups } = await templates();
    expect(byDefault.scale).toBe('nps');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ group_id: groupIds[GROUP], scale: 'two_level' });
    expect(groups[0]?.options[0]).toMatchObject({
      score: 0,
      label: '不太满意',
      tags: ['等太久', '答非所问'],
      tag_required: true,
    });

    // A customer opens a chat in the group: greeted with the serving agent's name, first of all.
    await new Promise((r) => setTimeout(r, ROUTING_CACHE_MS + 200));
    customer = await stack.customer('u3001', '王五');
    const state = await customer.client.open({ channel: 'web', groupId: groupIds[GROUP] });
    conversationId = state.id ?? '';
    await received(customer, 'the greeting', (m) => m.content?.system?.code === 'greeting');
    const first = customer.messages.find((m) => m.conversationId === conversationId);
    expect(first?.content?.system?.text).toBe('您好，我是售后客服小李，请问有什么可以帮您？');

    await agent.click(`[data-conversation="${conversationId}"]`, { timeout: 20_000 });
    const asked = await invite();
    expect(asked.scale).toBe(kefu.v1.RatingScale.RATING_SCALE_TWO_LEVEL);
    expect(asked.options?.map((o) => [o.score, o.label, o.tags, o.tagRequired])).toEqual([
      [0, '不太满意', ['等太久', '答非所问'], true],
      [1, '满意', ['回复及时', '态度很好', '问题已解决'], false],
    ]);
  });

  it('removes the group template: the group uses the default again', async () => {
    const box = groupBox();
    await box.locator('button:has-text("删除本组模板，改用默认模板")').click();
    await expect.poll(() => box.locator('[role=status]').textContent()).toBe('“售后组”已改用默认模板');
    await expect.poll(() => box.locator('[data-field=template-state]').textContent()).toBe('使用默认模板');
    expect(await box.locator('form.rating-editor').count()).toBe(0);
    expect((await templates()).groups).toEqual([]);

    const asked = await invite();
    expect(asked.scale).toBe(kefu.v1.RatingScale.RATING_SCALE_NPS);
    expect(asked.prompt).toBe(NPS_PROMPT);
    expect(asked.options?.[10]?.tags).toEqual(['专业耐心', '回复及时']);
  });

  it('shows refused values next to their fields in plain words and saves nothing', async () => {
    const before = await templates();
    const form = defaultForm();
    await form.locator('input[name=prompt]').fill('   ');
    await form
      .locator('input[name="options.3.tags"]')
      .fill('回复太慢，这个标签写得实在是太长了超过了二十个字的限制');
    await form.locator('button[type=submit]').click();
    const refused = (path: string): Locator => form.locator(`[role=alert][data-path="${path}"]`);
    await expect.poll(() => refused('prompt').textContent(), { timeout: 10_000 }).toBe('不能为空');
    expect(await refused('options.3.tags').textContent()).toBe(
      '“这个标签写得实在是太长了超过了二十个字的限制”：不能超过 20 个字',
    );
    expect(await form.locator('input[name=prompt]').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('[role=status]').count()).toBe(0);
    const text = (await form.textContent()) ?? '';
    for (const raw of ['Too big', 'Too small', 'options.3', 'bad_request']) expect(text).not.toContain(raw);
    expect(await templates()).toEqual(before);

    // The same in English.
    await admin.click('header button:has-text("English")');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => refused('prompt').textContent()).toBe('must not be empty');
    expect(await admin.locator('section.ratings h2').textContent()).toBe('Ratings');
    await admin.click('header button:has-text("中文")');
    expect(await templates()).toEqual(before);
  });

  it('had no uncaught errors in the pages', () => {
    expect(stack.pageErrors).toEqual([]);
  });
});
