// The cast of the agent-shift suite (issue 17) and the scripted parts of its steps: the stack with agents
// 小王 and 小李 and supervisor 老张 in one skill group, each at a console desk (people.ts), and the console
// dialogs the steps go through (transfer, close with a summary). What each person sees is checked in
// shift.e2e.test.ts, not here.
import { waitFor } from '@kefu/tools/testing';
import { conversationModel } from '../../../server/src/model/conversation.js';
import { startStack, type Stack } from '../console/stack.js';
import { desk, setStatus, type Desk, type PaneExpectation } from './people.js';

/** Each step's time limit: a step waits on several people across the real stack. */
export const STEP_MS = 120_000;
export const GREETING_WANG = '您好，我是客服小王，很高兴为您服务，请问有什么可以帮您？';
/** The panes of 张三's and 李四's chats as an agent without pii:view sees them. */
export const Z: PaneExpectation = { name: '张*', shows: ['张三：积分什么时候到账'], hides: ['李四：订单'] };
export const L: PaneExpectation = { name: '李*', shows: ['李四：订单'], hides: ['张三：积分什么时候到账'] };

export interface Cast {
  stack: Stack;
  /** Agents 小王 and 小李, supervisor 老张. */
  wang: Desk;
  li: Desk;
  boss: Desk;
}

/** Starts the stack and seats the desks: 小李 and 老张 start busy, so the first two customers go to 小王. */
export async function startShift(): Promise<Cast> {
  const stack = await startStack('shift', {
    mall: true,
    proxy: true,
    agents: [
      { username: 'xiaowang', display_name: '小王', role: 'agent', password: 'xiaowang-pass-1' },
      { username: 'xiaoli', display_name: '小李', role: 'agent', password: 'xiaoli-pass-1' },
      { username: 'laozhang', display_name: '老张', role: 'supervisor', password: 'laozhang-pass-1' },
    ],
  });
  // One skill group: 老张 supervises the chats of its members.
  const group = await stack.api('POST', '/admin/groups', { name: '积分售后' });
  for (const uid of Object.values(stack.uids))
    await stack.api('PATCH', `/admin/agents/${uid}`, { group_ids: [group['id']] });
  const li = await desk(stack, 'xiaoli', 'xiaoli-pass-1');
  await setStatus(li, 'busy');
  const boss = await desk(stack, 'laozhang', 'laozhang-pass-1');
  await setStatus(boss, 'busy');
  const wang = await desk(stack, 'xiaowang', 'xiaowang-pass-1');
  return { stack, wang, li, boss };
}

/** Routing is not under test here: under a loaded machine it may take a while, so wait for it first. */
export function assignedTo(stack: Stack, id: string, d: Desk): Promise<boolean> {
  return waitFor(
    `${id} assigned to ${d.username}`,
    async () => (await conversationModel(stack.server.db).findById(id).lean())?.agent_uid === d.uid,
    { timeoutMs: 60_000 },
  );
}

/**
 * Transfers the selected chat to another agent with a note; the page keeps the time of the click on
 * submit in `window.__submitAt`.
 */
export async function transfer(from: Desk, to: Desk, note: string): Promise<void> {
  await from.page.click('.actions button:has-text("转接")');
  await from.page.selectOption('form.dialog select[name=target]', `a:${to.uid}`);
  await from.page.fill('form.dialog textarea[name=note]', note);
  await from.page.evaluate(
    "document.querySelector('form.dialog').addEventListener('submit', () => (window.__submitAt = Date.now()), { capture: true })",
  );
  await from.page.click('form.dialog button[type=submit]');
}

/** Closes the selected chat with the first category and a remark. */
export async function closeWithSummary(d: Desk, remark: string): Promise<void> {
  await d.page.click('.actions button:has-text("结束会话")');
  const form = d.page.locator('form.dialog');
  const category = (await form.locator('select[name=category] option').nth(1).textContent()) ?? '';
  await form.locator('select[name=category]').selectOption({ label: category });
  await form.locator('textarea[name=remark]').fill(remark);
  await form.locator('button[type=submit]').click();
}
