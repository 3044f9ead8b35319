import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { ValidationError } from '../../src/errors.js';
import { dropRulesDatabase, setup } from './rules-setup.js';

// Routing rules that choose who serves a chat, on the real database (rules-setup.ts): skill groups and
// their modes, designation (strict and not), back to the last agent, and smart rules.

afterEach(dropRulesDatabase);

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
