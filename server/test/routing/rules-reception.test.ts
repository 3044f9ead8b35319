import { afterEach, describe, expect, it } from 'vitest';
import { kefu } from '@kefu/proto';
import { RoutingRepository } from '../../src/repository/routing-repository.js';
import { ForbiddenError } from '../../src/errors.js';
import { dropRulesDatabase, setup } from './rules-setup.js';

// Routing rules for chats nobody in the first choice can take, on the real database (rules-setup.ts):
// overflow, reception modes, the queue length limit, the blacklist, and the events they record.

afterEach(dropRulesDatabase);

describe('overflow', () => {
  it('sends chats on when the group is all busy, nobody is online, or off duty, and records it', async () => {
    const t = await setup('rules_overflow', {
      groups: [
        {
          id: 'g_a',
          name: 'A',
          overflow: [
            { when: 'all_busy', to: { groupId: 'g_b' } },
            { when: 'none_online', to: { agentUid: 'a_lead' } },
          ],
        },
        { id: 'g_b', name: 'B' },
        {
          id: 'g_night',
          name: '夜间',
          // Never on duty: a window of one minute on a day that is never today in UTC+14 and UTC-12 both.
          businessHours: {
            timezone: 'UTC',
            windows: [{ days: [(new Date().getUTCDay() + 3) % 7], start: '00:00', end: '00:01' }],
          },
          overflow: [{ when: 'off_duty', to: { groupId: 'g_a' } }],
        },
      ],
      agents: [
        { uid: 'a_a', limit: 1, groups: ['g_a', 'g_night'] },
        { uid: 'a_b', limit: 1, groups: ['g_b'], offline: true },
        { uid: 'a_lead', limit: 5 },
      ],
    });
    expect((await t.open('u_1', { groupId: 'g_a', strict: true })).agentUid).toBe('a_a');
    // A all busy → B; B has nobody online → a_lead.
    const second = await t.open('u_2', { groupId: 'g_a', strict: true });
    expect(second.agentUid).toBe('a_lead');
    expect(second.routeAgentUid).toBe('a_lead');
    // Off duty → A (all busy) → B (none online) → a_lead: the night group's chain has one level only.
    const third = await t.open('u_3', { groupId: 'g_night', strict: true });
    expect(third.routeGroupId).toBe('g_a');
    expect(third.status).toBe('queued');
    expect((await t.events('overflowed')).map((e) => e.conversation)).toEqual([second.id, third.id]);
  });
});

describe('reception modes', () => {
  it('robot only: the greeting and no human; robot first: the greeting, then an agent; human: the agent greets', async () => {
    const t = await setup('rules_reception', {
      agents: [{ uid: 'a_1', limit: 5 }],
      config: { receptionMode: 'robot_only', texts: { greeting: '您好，我是小助手' } },
    });
    const bot = await t.open('u_bot');
    expect(bot.status).toBe('open');
    expect(bot.agentUid).toBeNull();
    expect(bot.handler).toBe('bot');
    expect(await t.notices(bot.id)).toEqual([['bot', 'greeting', false]]);
    const [greetingMessage] = await t.stored(bot.id);
    const greeting = kefu.v1.Content.decode(greetingMessage!.content);
    expect(greeting.system?.text).toBe('您好，我是小助手');
    // The embedding code may override (allowed by default).
    const first = await t.open('u_first', { receptionMode: 'robot_first' });
    expect(first.agentUid).toBe('a_1');
    expect(await t.notices(first.id)).toEqual([['bot', 'greeting', false]]);
    const human = await t.open('u_human', { receptionMode: 'human_only' });
    expect(human.agentUid).toBe('a_1');
    // Every mode greets (issue 17): in human reception by the agent who took the chat, with the admin's text.
    expect(await t.notices(human.id)).toEqual([['system', 'greeting', false]]);
    const humanGreeting = kefu.v1.Content.decode((await t.stored(human.id))[0]!.content).system;
    expect(humanGreeting?.text).toBe('您好，我是小助手');
    expect(humanGreeting?.params).toEqual({ agent: 'a_1' });
    // Override off: the admin's mode wins.
    await t.instance.allocator.saveConfig({ receptionOverride: false });
    await new Promise((r) => setTimeout(r, 50));
    const forced = await t.open('u_forced', { receptionMode: 'human_only' });
    expect(forced.handler).toBe('bot');
  });

  it("human reception with nobody online: the greeting, then the admin's no-agent text", async () => {
    const t = await setup('rules_no_agent', {
      agents: [{ uid: 'a_off', limit: 5, offline: true }],
      config: { receptionMode: 'human_first', texts: { no_agent: '客服下班了，请留言' } },
    });
    const c = await t.open('u_1');
    expect(c.status).toBe('queued');
    expect(await t.notices(c.id)).toEqual([
      ['system', 'greeting', false],
      ['system', 'no_agent', false],
    ]);
    const greeting = kefu.v1.Content.decode((await t.stored(c.id))[0]!.content).system;
    expect(greeting?.text).toBe('您好，欢迎咨询，请问有什么可以帮您？');
    const state = await t.instance.service.state(c);
    expect(state.onlineAgents).toBe(0);
    const only = await t.open('u_2', { receptionMode: 'human_only' });
    expect(await t.notices(only.id)).toEqual([
      ['system', 'greeting', false],
      ['system', 'no_agent', false],
    ]);
    // Without a text of the admin's the state alone says it (online_agents 0): no message.
    await t.instance.allocator.saveConfig({ texts: {} });
    const quiet = await t.open('u_3', { receptionMode: 'human_only' });
    expect(await t.notices(quiet.id)).toEqual([['system', 'greeting', false]]);
    expect((await t.instance.service.state(quiet)).onlineAgents).toBe(0);
  });
});

describe('queue length, blacklist, abandonment', () => {
  it('beyond the maximum queue length a customer goes to leave-a-message instead of queuing', async () => {
    const t = await setup('rules_queue_full', {
      agents: [{ uid: 'a_1', limit: 1 }],
      config: { maxQueueLength: 2 },
    });
    await t.open('u_0'); // served
    const q1 = await t.open('u_1');
    const q2 = await t.open('u_2');
    expect([q1.status, q2.status]).toEqual(['queued', 'queued']);
    const full = await t.open('u_3');
    expect(full.status).toBe('closed');
    expect(full.closeReason).toBe('queue_full');
    expect(await t.notices(full.id)).toEqual([['system', 'queue_full', false]]);
    expect((await t.instance.service.state(full)).closeReason).toBe('queue_full');
    expect(await t.events('rejected')).toEqual([
      expect.objectContaining({ conversation: full.id, reason: 'queue_full' }),
    ]);
    // The customer can try again later: the full queue left no open claim behind.
    await t.instance.service.close({ role: 'c', uid: 'u_1' }, { conversationId: q1.id }, 'r');
    expect((await t.open('u_3')).status).toBe('queued');
  });

  it('refuses a blocked customer, and records who left the queue and how long they waited', async () => {
    const t = await setup('rules_blacklist', { agents: [{ uid: 'a_1', limit: 1 }] });
    await new RoutingRepository(t.db).saveBlacklistEntry({
      customerUid: 'u_bad',
      reason: 'spam',
      by: 'a_admin',
      createdAt: new Date(),
    });
    await expect(t.open('u_bad')).rejects.toBeInstanceOf(ForbiddenError);
    await new RoutingRepository(t.db).saveBlacklistEntry({
      customerUid: 'u_was_bad',
      reason: 'spam',
      by: 'a_admin',
      createdAt: new Date(Date.now() - 2000),
      expiresAt: new Date(Date.now() - 1000),
    });
    expect((await t.open('u_was_bad')).agentUid).toBe('a_1');
    const waiting = await t.open('u_wait');
    expect(waiting.status).toBe('queued');
    await new Promise((r) => setTimeout(r, 30));
    await t.instance.service.close({ role: 'c', uid: 'u_wait' }, { conversationId: waiting.id }, 'r');
    const [abandoned] = await t.events('abandoned');
    expect(abandoned).toMatchObject({ conversation: waiting.id });
    expect(abandoned?.wait).toBeGreaterThanOrEqual(30);
  });
});
