import { afterEach, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { kefu } from '@kefu/proto';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { customerModel } from '../../src/model/customer.js';
import { MessageRepository, PresenceRepository } from '../../src/repository/message-repository.js';
import type { RoutingEventType } from '../../src/model/routing.js';
import { GroupRepository, type Group } from '../../src/repository/group-repository.js';
import { RoutingRepository } from '../../src/repository/routing-repository.js';
import { ForbiddenError, ValidationError } from '../../src/errors.js';
import type { RoutingConfig } from '../../src/service/routing/settings.js';
import { onlineAgent, routingInstance } from './instance.js';

// Every routing rule on the real database (FerretDB), one fresh database per test: skill groups and
// their modes, designation (strict and not), back to the last agent, smart rules, overflow, reception
// modes, the queue length limit, the blacklist, and the events they record. The publisher records what
// would go out over MQTT.

let db: mongoose.Connection | undefined;
afterEach(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
  db = undefined;
});

interface Setup {
  agents?: { uid: string; limit: number; groups?: string[]; offline?: boolean }[];
  groups?: (Omit<Group, 'createdAt' | 'description'> & { description?: string })[];
  customers?: { uid: string; vip?: boolean; level?: number; tags?: string[]; lastIp?: string }[];
  config?: Partial<RoutingConfig>;
  regions?: (ip: string) => string[];
}

async function setup(label: string, s: Setup) {
  db = await mongoose.createConnection(testMongoUri(label)).asPromise();
  await db.syncIndexes();
  const groups = new GroupRepository(db);
  for (const g of s.groups ?? []) {
    await groups.createGroup({ id: g.id, name: g.name, description: '', createdAt: new Date() });
    await groups.saveGroup(g.id, { mode: g.mode, businessHours: g.businessHours, overflow: g.overflow });
  }
  for (const [i, a] of (s.agents ?? []).entries()) {
    await onlineAgent(db, a.uid, a.limit, new Date(Date.UTC(2026, 0, 1, 0, i)), a.groups ?? []);
    if (a.offline)
      await new PresenceRepository(db).savePresence({ uid: a.uid, device: 'd1', role: 'a', online: false });
  }
  if (s.customers?.length)
    await customerModel(db).insertMany(
      s.customers.map((c) => ({
        _id: c.uid,
        kind: 'customer',
        vip: c.vip,
        level: c.level,
        tags: c.tags ?? [],
        last_ip: c.lastIp,
        created_at: new Date(),
        last_seen_at: new Date(),
      })),
    );
  const sent: { uid: string; envelope: kefu.v1.IEnvelope }[] = [];
  const instance = routingInstance(
    db,
    {
      toUser(_role, uid, envelope) {
        sent.push({ uid, envelope });
        return Promise.resolve();
      },
    },
    s.regions ? { regions: s.regions } : {},
  );
  if (s.config) await instance.allocator.saveConfig(s.config);
  const conn = db;
  const open = (uid: string, req: kefu.v1.IOpenConversation = {}) =>
    instance.service.open({ role: 'c', uid }, { channel: 'web', ...req }, `r_${uid}`);
  /** The notices stored in a conversation: [sender role, code, internal]. */
  const stored = (conversationId: string) =>
    new MessageRepository(conn).listMessagesAfter(conversationId, 0, 100);
  const notices = async (conversationId: string) =>
    (await stored(conversationId))
      .filter((m) => m.contentKind === 'system')
      .map((m) => {
        const c = kefu.v1.Content.decode(m.content);
        return [m.senderRole, c.system?.code ?? '', m.internalNote] as const;
      });
  const events = async (type?: RoutingEventType) => {
    await instance.service.eventsWritten();
    return (await new RoutingRepository(conn).listEvents(type ? { type } : {}, 1000)).map((e) => ({
      type: e.type,
      conversation: e.conversationId,
      agent: e.agentUid,
      group: e.groupId,
      reason: e.reason,
      wait: e.waitMs,
    }));
  };
  return { instance, open, notices, stored, events, sent, db: conn };
}

describe('skill groups', () => {
  it('gives a group chat only to its online members below their limit, in the group mode', async () => {
    const t = await setup('rules_groups', {
      groups: [{ id: 'g_pre', name: '售前', mode: 'round_robin' }],
      agents: [
        { uid: 'a_out', limit: 10 },
        { uid: 'a_g1', limit: 10, groups: ['g_pre'] },
        { uid: 'a_g2', limit: 10, groups: ['g_pre'] },
        { uid: 'a_g3', limit: 10, groups: ['g_pre'], offline: true },
      ],
    });
    const got: string[] = [];
    for (let i = 0; i < 4; i++)
      got.push((await t.open(`u_g${String(i)}`, { groupId: 'g_pre', strict: true })).agentUid ?? 'queued');
    // Round-robin inside the group (global mode is saturation): members in creation order, offline skipped.
    expect(got).toEqual(['a_g1', 'a_g2', 'a_g1', 'a_g2']);
    const c = await t.open('u_any');
    expect(c.routeKey).toBe('*');
    expect(await t.events('assigned')).toHaveLength(5);
    const [assigned] = await t.events('assigned');
    expect(assigned).toMatchObject({ agent: 'a_g1', group: 'g_pre' });
    expect(assigned?.wait).toBeGreaterThanOrEqual(0);
  });

  it('queues a group chat for the group when its members are full, and serves it when one frees up', async () => {
    const t = await setup('rules_group_queue', {
      groups: [{ id: 'g_a', name: 'A' }],
      agents: [
        { uid: 'a_free', limit: 10 },
        { uid: 'a_member', limit: 1, groups: ['g_a'] },
      ],
    });
    const first = await t.open('u_1', { groupId: 'g_a', strict: true });
    expect(first.agentUid).toBe('a_member');
    const second = await t.open('u_2', { groupId: 'g_a', strict: true });
    expect(second.status).toBe('queued');
    expect(second.routeKey).toBe('g:g_a');
    // Someone for everyone still gets a_free: the group's queue does not hold up the others.
    expect((await t.open('u_3')).agentUid).toBe('a_free');
    await t.instance.service.close({ role: 'a', uid: 'a_member' }, { conversationId: first.id }, 'r');
    await waitFor('the group queue served', async () =>
      (await conversationModel(t.db).findById(second.id).lean())?.agent_uid === 'a_member' ? true : null,
    );
    expect(await t.events('queued')).toEqual([
      expect.objectContaining({ conversation: second.id, group: 'g_a' }),
    ]);
  });
});

describe('designation by the embedding code', () => {
  it('a designated agent takes the chat; when full, the normal flow takes it unless strict', async () => {
    const t = await setup('rules_designated', {
      agents: [
        { uid: 'a_star', limit: 1 },
        { uid: 'a_other', limit: 10 },
      ],
    });
    expect((await t.open('u_1', { agentUid: 'a_star' })).agentUid).toBe('a_star');
    // Full: falls back to the normal flow.
    expect((await t.open('u_2', { agentUid: 'a_star' })).agentUid).toBe('a_other');
    // Strict: waits for them.
    const strict = await t.open('u_3', { agentUid: 'a_star', strict: true });
    expect(strict.status).toBe('queued');
    expect(strict.routeKey).toBe('a:a_star');
  });

  it('refuses a group or agent that does not exist, creating nothing', async () => {
    const t = await setup('rules_designated_bad', { agents: [{ uid: 'a_1', limit: 1 }] });
    await expect(t.open('u_1', { groupId: 'g_nope' })).rejects.toBeInstanceOf(ValidationError);
    await expect(t.open('u_1', { agentUid: 'a_nope', strict: true })).rejects.toBeInstanceOf(ValidationError);
    await expect(t.open('u_1', { receptionMode: 'robot_sometimes' })).rejects.toBeInstanceOf(ValidationError);
    expect(await conversationModel(t.db).countDocuments()).toBe(0);
  });
});

describe('back to the same agent', () => {
  it('within the window the returning customer goes to the agent who served them last', async () => {
    const t = await setup('rules_last_agent', {
      agents: [
        { uid: 'a_1', limit: 10 },
        { uid: 'a_2', limit: 10 },
      ],
      config: { mode: 'round_robin', returnToLastAgentMinutes: 30 },
    });
    const first = await t.open('u_back');
    const served = first.agentUid;
    await t.instance.service.close({ role: 'c', uid: 'u_back' }, { conversationId: first.id }, 'r');
    // Round-robin would now give the other agent; the window sends them back.
    expect((await t.open('u_back')).agentUid).toBe(served);
  });

  it('outside the window (or with it off) the normal flow decides', async () => {
    const t = await setup('rules_last_agent_off', {
      agents: [
        { uid: 'a_1', limit: 10 },
        { uid: 'a_2', limit: 10 },
      ],
      config: { mode: 'round_robin', returnToLastAgentMinutes: 30 },
    });
    const first = await t.open('u_back');
    await t.instance.service.close({ role: 'c', uid: 'u_back' }, { conversationId: first.id }, 'r');
    await conversationModel(t.db).updateOne(
      { _id: first.id },
      { $set: { closed_at: new Date(Date.now() - 31 * 60_000) } },
    );
    expect((await t.open('u_back')).agentUid).not.toBe(first.agentUid);
  });
});

describe('smart routing rules', () => {
  it('routes by tags, level, channel, region from the IP and entry page, first match wins', async () => {
    const regions = (ip: string) =>
      ip === '120.24.78.68' ? ['中国', '广东省', '深圳市'] : ['中国', '江苏省'];
    const t = await setup('rules_smart', {
      groups: [
        { id: 'g_vip', name: 'VIP' },
        { id: 'g_gd', name: '广东' },
        { id: 'g_mp', name: '小程序' },
        { id: 'g_default', name: '默认' },
      ],
      agents: [
        { uid: 'a_any', limit: 50, groups: ['g_default'] },
        { uid: 'a_vip', limit: 50, groups: ['g_vip'] },
        { uid: 'a_gd', limit: 50, groups: ['g_gd'] },
        { uid: 'a_mp', limit: 50, groups: ['g_mp'] },
        { uid: 'a_order', limit: 50 },
      ],
      customers: [
        { uid: 'u_big', tags: ['大客户'], level: 1 },
        { uid: 'u_lvl', level: 6 },
        { uid: 'u_gd', lastIp: '120.24.78.68' },
        { uid: 'u_js', lastIp: '114.114.114.114' },
        { uid: 'u_mp' },
        { uid: 'u_order' },
        { uid: 'u_plain' },
      ],
      config: {
        defaultGroupId: 'g_default',
        rules: [
          { name: 'big', match: { tags: ['大客户'] }, target: { groupId: 'g_vip' } },
          { name: 'level', match: { minLevel: 5 }, target: { groupId: 'g_vip' } },
          { name: 'gd', match: { regions: ['广东省'] }, target: { groupId: 'g_gd' } },
          { name: 'mp', match: { channels: ['miniprogram'] }, target: { groupId: 'g_mp' } },
          { name: 'order', match: { entryUrlContains: '/order/' }, target: { agentUid: 'a_order' } },
        ],
      },
      regions,
    });
    expect((await t.open('u_big')).agentUid).toBe('a_vip');
    expect((await t.open('u_lvl')).agentUid).toBe('a_vip');
    expect((await t.open('u_gd')).agentUid).toBe('a_gd');
    expect((await t.open('u_mp', { channel: 'miniprogram' })).agentUid).toBe('a_mp');
    expect((await t.open('u_order', { entryUrl: 'https://mall.example/order/42' })).agentUid).toBe('a_order');
    // No rule matches: the default group.
    expect((await t.open('u_js')).agentUid).toBe('a_any');
    expect((await t.open('u_plain')).agentUid).toBe('a_any');
  });
});

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
